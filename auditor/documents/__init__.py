"""Supporting documents ("justificatifs"): taxonomy, French normalisation, matching, findings.

One engine for two sources: the file inputs of crawled step pages
(:mod:`auditor.checks.dlnuf`) and the ``PieceJustificative`` champs of the
démarches-simplifiées catalogue (:mod:`auditor.catalogue`).  Both turn each
request into a :class:`Classification` with :meth:`Taxonomy.classify`, then
hand the list to :func:`analyse_requests`, so a repetition means the same
thing whichever way the form was read.

Why this design:

* the vocabulary lives in ``rules/justificatifs.yaml`` (auditors tune it), and
  is validated at load by ``JustificatifsRules`` (see ``auditor.ruleset``) with file:line errors;
* matching is on normalised *tokens*, not regular expressions over raw text:
  accents, case, apostrophes, plurals, stop words and dotted abbreviations
  ("C.N.I.") vanish on both sides, so a synonym is written once in plain
  French and ``relevé d'identité bancaire`` can never match ``pièce d'identité``;
* overlapping matches are resolved longest-first (``certificat
  d'immatriculation … SIRET`` beats ``certificat d'immatriculation``);
* whatever is not recognised stays ``document: None``: never guessed.  Doubtful
  cases (a period stated on one request only, a request made under a condition)
  go to ``review`` rather than being reported as repetitions.

Its parts: the schema of the rules file (``schema``), French normalisation
and pattern matching (``text``), what a request says (``model``), the
compiled taxonomy (``taxonomy``) and how it reads, one mixin a concern:
conditions (``conditions``), one piece of text (``reading``), which
document of its kind (``qualifiers``), years (``periods``), a whole request
(``classify``); then the comparison: two requests of one document
(``repetition``), documents an administration already holds
(``already_held``) and a démarche's findings (``findings``).  Every name
other code uses is imported from here (``from auditor.documents import …``).
"""

from __future__ import annotations

from .already_held import source_applies
from .classify import hint_names_document
from .conditions import exclusive
from .findings import DocumentRequest, Findings, Logical, analyse_requests
from .model import Classification, TextAnalysis
from .schema import DocumentEntry, JustificatifsRules, Source, SubjectEntry, Subjects, TypedField, VariantEntry
from .taxonomy import Taxonomy, taxonomy_from
from .text import Hit, normalise, stem

__all__ = [
    "Classification", "DocumentEntry", "DocumentRequest", "Findings", "Hit", "JustificatifsRules", "Logical",
    "Source", "SubjectEntry", "Subjects", "Taxonomy", "TextAnalysis", "TypedField", "VariantEntry",
    "analyse_requests", "exclusive", "hint_names_document", "normalise", "source_applies", "stem", "taxonomy_from",
]
