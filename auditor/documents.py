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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


if TYPE_CHECKING:
    from .config import Rules

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# --------------------------------------------------------------------------- schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_patterns(patterns: list[str], what: str) -> list[str]:
    for p in patterns:
        words = p.split()
        if not words or all(w == "*" for w in words):
            raise ValueError(f"{what} : motif vide ou composé seulement de « * »")
        if words[0] == "*" or words[-1] == "*":
            raise ValueError(f"{what} : le motif « {p} » ne peut ni commencer ni finir par « * »")
        if not normalise(p.replace("*", " ")).strip():
            raise ValueError(f"{what} : le motif « {p} » ne contient aucun mot utile")
    return patterns


class Source(_Strict):
    """Where an administration can obtain the document itself, and who may.

    ``users``: patterns matched against the démarche (title and organisme);
    when given, the source counts only for those démarches (COMEDEC serves
    civil-status services and identity titles, not a school).  ``not_when``:
    patterns in the request's own wording that put the document out of the
    source's reach (a birth act "traduit", "apostillé": no French registry)."""

    api: str = Field(min_length=1)
    administration: str = Field(min_length=1)
    users: list[str] = Field(default_factory=list)
    users_label: str | None = None
    not_when: list[str] = Field(default_factory=list)

    @field_validator("users", "not_when")
    @classmethod
    def _pat(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif de source")


class VariantEntry(_Strict):
    id: str
    label: str = Field(min_length=1)
    synonyms: list[str] = Field(min_length=1)
    # False: the variant does not stand for its category on its own (an
    # "attestation d'hébergement" comes with the host's bill), so asking the
    # category and then this variant is not a repetition
    standalone: bool = True

    @field_validator("synonyms")
    @classmethod
    def _syn(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "synonyme")


class DocumentEntry(_Strict):
    id: str
    label: str = Field(min_length=1)
    category: str = ""
    synonyms: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    variants: list[VariantEntry] = Field(default_factory=list)
    subject_default: str | None = None
    multiple: bool = False
    # True: one document for the whole household (the livret de famille): the applicant's, the spouse's
    # and the children's are the same booklet
    household: bool = False
    # True: the document is defined by its object (a deliberation, a medical certificate,
    # minutes): two requests whose qualifying words differ are two documents
    qualified: bool = False
    source: Source | None = None
    note: str | None = None

    @field_validator("synonyms", "exclude")
    @classmethod
    def _syn(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif")


class SubjectEntry(_Strict):
    id: str
    label: str = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _pat(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif de personne")


class Subjects(_Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    default: str = "demandeur"
    entries: list[SubjectEntry] = Field(default_factory=list, alias="list")


class TypedField(_Strict):
    id: str
    label: str = Field(min_length=1)
    champ_types: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    documents: list[str] = Field(min_length=1)


class JustificatifsRules(_Strict):
    """Schema of ``rules/justificatifs.yaml``."""

    version: int = 1
    stopwords: list[str] = Field(default_factory=list)
    abbreviations: dict[str, str] = Field(default_factory=dict)
    request_verbs: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    # words marking an upload slot as the continuation of the previous one
    # ("Avis d'imposition (suite)"): another part of a file, never a repeat
    continuations: list[str] = Field(default_factory=list)
    # words marking a translation ("acte de naissance traduit"): the original and its
    # translation are two documents, never a repeat
    translations: list[str] = Field(default_factory=list)
    # words after which a label only mentions other documents ("Délibération approuvant
    # le plan de financement", "Règlement intérieur adopté pour compléter les statuts")
    reference_words: list[str] = Field(default_factory=list)
    # words that do not change which document of a qualified kind is meant ("signée",
    # "dernière", "en cours de validité"): left out when comparing what two requests qualify
    plain_words: list[str] = Field(default_factory=list)
    # phrases saying a request is for another person or copy than a previous one
    # ("si différent du représentant légal"): never a repeat of it
    other_instance: list[str] = Field(default_factory=list)
    # words that, heading a label, name something else than the document mentioned after them
    # ("Tableau des pièces d'identité acceptées", "Déclaration de vol du titre de séjour",
    # "Projet de délibération"): the request is not for that document
    other_heads: list[str] = Field(default_factory=list)
    # words that put the document named right after them out of the request ("hors CAF")
    negations: list[str] = Field(default_factory=list)
    generic: list[str] = Field(default_factory=list)
    subjects: Subjects = Field(default_factory=Subjects)
    # groups of words naming the options of one choice: two conditions that
    # name different members of one group cannot hold together
    exclusive_conditions: list[list[str]] = Field(default_factory=list)
    typed_fields: list[TypedField] = Field(default_factory=list)
    documents: list[DocumentEntry] = Field(min_length=1)

    @field_validator("generic")
    @classmethod
    def _gen(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif générique")

    @field_validator("other_heads")
    @classmethod
    def _heads(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif de tête")

    @model_validator(mode="after")
    def _ids(self) -> "JustificatifsRules":
        seen: set[str] = set()
        for d in self.documents:
            for ident in [d.id] + [v.id for v in d.variants]:
                if not _ID_RE.match(ident):
                    raise ValueError(f"identifiant « {ident} » invalide : minuscules, chiffres et tirets seulement")
                if ident in seen:
                    raise ValueError(f"identifiant « {ident} » en double dans la taxonomie")
                seen.add(ident)
        subject_ids = {s.id for s in self.subjects.entries}
        if self.subjects.entries and self.subjects.default not in subject_ids:
            raise ValueError(f"personne par défaut « {self.subjects.default} » absente de subjects.list")
        for d in self.documents:
            if d.subject_default and subject_ids and d.subject_default not in subject_ids:
                raise ValueError(f"document « {d.id} » : personne « {d.subject_default} » inconnue")
        doc_ids = {d.id for d in self.documents}
        for t in self.typed_fields:
            for ident in t.documents:
                if ident not in doc_ids:
                    raise ValueError(f"champ saisi « {t.id} » : document « {ident} » absent de la taxonomie")
        return self


# -------------------------------------------------------------------- normalisation

_APOSTROPHES = "'’‘`´ʼʻ′"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_PLURAL_MARK = re.compile(r"\((?:e|s|es|x|e\)\(s|nt)\)", re.I)
_DOTTED = re.compile(r"\b((?:[a-z]\.){2,}[a-z]?)(?![a-z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_WORD_ANY = re.compile(r"[\W_]+")
_GLUED_NUMBER = re.compile(r"\b([a-z]{3,})(\d{1,2})\b")
_DOTTED_ANY = re.compile(r"(?<!\w)((?:\w\.){2,}\w?)(?!\w)")


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: accents, ligatures,
    apostrophes, punctuation and "(s)" plural marks removed; "C.N.I." → "cni".
    Digits are kept (years, "N-1" become "n 1")."""
    s = text.translate(_LIGATURES).lower()
    s = _PLURAL_MARK.sub("", s)
    s = _DOTTED_ANY.sub(lambda m: m.group(1).replace(".", ""), s)
    s = _NON_WORD_ANY.sub(" ", s)  # punctuation and apostrophes of any script → space
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = _NON_WORD.sub(" ", s).strip()
    # "Semestre5", "page2": a glued number is still a number (three letters at least, so "n1" stays)
    return _GLUED_NUMBER.sub(r"\1 \2", s)


def stem(token: str) -> str:
    """Crude French singular: enough to make "justificatifs" equal
    "justificatif" and "bureaux" equal "bureau", applied to text and patterns alike."""
    if len(token) > 3 and not token.isdigit():
        if token.endswith("s") and not token.endswith("ss"):
            return token[:-1]
        if token.endswith(("aux", "eux", "eaux")):
            return token[:-1]
    return token


# ------------------------------------------------------------------------ patterns

_GAP = 3  # "*" in a pattern: up to this many arbitrary tokens


@dataclass(frozen=True)
class _Pattern:
    elems: tuple[tuple[str, str], ...]  # ("tok"|"pre"|"gap", value)
    kind: str  # doc | variant | exclude | generic | subject
    target: str  # document / variant / subject id
    parent: str = ""  # document id for variants


def _match_at(elems: tuple[tuple[str, str], ...], toks: list[str], i: int) -> int:
    """End index (exclusive) of ``elems`` matched from ``toks[i]``, or -1.
    Gaps are lazy: the shortest match wins."""
    if not elems:
        return i
    kind, val = elems[0]
    if kind == "gap":
        for skip in range(0, _GAP + 1):
            end = _match_at(elems[1:], toks, i + skip)
            if end >= 0:
                return end
        return -1
    if i >= len(toks):
        return -1
    t = toks[i]
    if (kind == "tok" and t == val) or (kind == "pre" and t.startswith(val)):
        return _match_at(elems[1:], toks, i + 1)
    return -1


@dataclass(frozen=True)
class Hit:
    kind: str
    target: str
    parent: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


# ------------------------------------------------------------------ classification


@dataclass
class TextAnalysis:
    """What one piece of text says about a request (cached per text)."""

    documents: list[str] = field(default_factory=list)
    variants: dict[str, list[str]] = field(default_factory=dict)  # document → variants named
    subject: str | None = None  # subject named, with ordinal ("enfant-2")
    period: list[str] = field(default_factory=list)
    item: str | None = None
    part: str | None = None  # recto | verso
    condition: str | None = None
    generic: bool = False
    empty: bool = True  # no meaningful word at all
    qualifier: frozenset[str] = frozenset()  # words naming what the document is about
    other_instance: bool = False  # "si différent de…": another person or copy
    other_head: bool = False  # the label asks for something else that mentions a document
    # what the document is about, named after a reference word ("fixant les attributions de compensation")
    obj: frozenset[str] = frozenset()
    either: bool = False  # documents named as alternatives ("X ou Y"): the user gives one of them


@dataclass
class Classification:
    """A document request read through the taxonomy."""

    document: str | None = None
    documents: list[str] = field(default_factory=list)
    variant: str | None = None
    variants: list[str] = field(default_factory=list)
    subject: str | None = None
    subject_named: bool = False
    period: list[str] = field(default_factory=list)
    item: str | None = None
    part: str | None = None
    condition: str | None = None
    branch: tuple[str, str] | None = None  # (choice, option) the request sits under
    generic: bool = False
    qualifier: frozenset[str] = frozenset()
    other_instance: bool = False
    scope_condition: str | None = None  # the section's condition, kept beside the request's own
    matched_on: str | None = None  # label | hint | legend | options | context | heading | type
    text: str = ""  # the request's own wording (label and help), for a source's ``not_when``
    ambiguous: str | None = None  # why a document was not retained, in French
    # (common wording, what tells the slot apart): "Passeport (Visa d'entrée)" → ("passeport", "visa entree")
    slot: tuple[str, str] | None = None
    either: bool = False  # « X ou Y »: the user provides one of the documents named
    # (ref, label) of the question right before the request in a form description: its answer most
    # likely decides whether the request is shown
    guard: tuple[str, str, bool] | None = None  # (ref, label, one answer only)
    alternative: tuple[str, str] | None = None  # ("ou" chain, ref): "… ou copie des quittances" after a request
    obj: frozenset[str] = frozenset()  # what the label says the document is about (after "approuvant", "fixant"…)
    # (text announcing cases, case): « Les pièces demandées sont fonction du statut » then « Société » / « Association »
    # ("*": a case for all); in a form description, pieces of two cases are never asked together
    case: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "documents": list(self.documents),
            "variant": self.variant,
            "subject": self.subject,
            "period": list(self.period),
            "item": self.item,
            "part": self.part,
            "condition": self.condition,
            "branch": list(self.branch) if self.branch else None,
            "generic": self.generic,
            "matched_on": self.matched_on,
        }


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SCHOOL_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d) (\d{4}|\d{2})\b")
_N_MINUS = re.compile(r"\b(?:annee )?n (?:moins )?([1-5])\b")
_N_MINUS_RAW = re.compile(r"\bN\s*[-–]\s*([1-5])\b")
_N_ALONE = re.compile(r"\bannee n\b(?! \d)")
# « Rapport d'activité d'il y a deux ans », « comptes de l'avant-dernier exercice »
_EACH = re.compile(r"\b(?:chaque|chacun|chacune|chacuns|chacunes)\b")
_YEARS_AGO = re.compile(r"\bil y a (deux|trois|quatre|cinq|[2-5]) ans\b")
_COUNT = {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5"}
_SECONDARY = re.compile(r"\b(?:lbis|l bis|etablissements? secondaires?)\b")
_BEFORE_LAST_ANY = re.compile(r"\bavant derni(?:er|ere)s?\b")
_BEFORE_LAST = re.compile(r"\bavant derni(?:er|ere)s? (?:exercice|annee|bilan|compte)")
_PREV_YEAR = re.compile(r"\bannee (?:precedente|derniere|passee|ecoulee)\b")
_CUR_YEAR = re.compile(r"\bannee (?:en cours|actuelle)\b")
_HINT_YEAR = re.compile(
    r"\b(?:revenus?|annee|avis|imposition|impot|exercice|scolaire|universitaire|campagne|session|rentree)"
    r"(?: (?:de|d|des|du|sur|les|le|la))* (19[5-9]\d|20[0-4]\d)\b"
)
_ORDINAL = {
    "1er": "1", "1ere": "1", "premier": "1", "premiere": "1", "2e": "2", "2eme": "2", "deuxieme": "2",
    "second": "2", "seconde": "2", "3e": "3", "3eme": "3", "troisieme": "3", "4e": "4", "4eme": "4",
    "quatrieme": "4", "5e": "5", "5eme": "5", "cinquieme": "5",
}
# a reference word ("approuvant") cuts a label only this close to its start: further on, it sits
# inside a list of documents ("- Rapport CAF - Document attestant du handicap - Bail…")
_REFERENCE_REACH = 12
_CLAUSE_WORDS = {"si", "lorsque", "lorsqu", "qui", "dont", "afin", "sauf"}
_CLAUSE_PAIRS = {("s", "il"), ("s", "ils"), ("en", "cas"), ("dans", "le"), ("a", "defaut")}
_TIME_WORDS = {"mois", "an", "ans", "annee", "annees", "jour", "jours", "dernier", "derniers", "derniere",
               "dernieres", "semaine", "semaines", "heure", "heures", "exemplaire", "exemplaires", "mo", "ko",
               "page", "pages", "premier", "premiers", "er", "ere", "fois"}
_LIST_LINE = re.compile(r"(?m)^\s*(?:[-•*–]|\d+\s*[-.)])\s*\S")
_SEPARATORS = re.compile(r"[,/;+&()\[\]]|\s[-–—]\s|\n")
_COORDINATORS = {"ou", "et", "puis", "ainsi", "plus", "avec", "accompagne", "accompagnee", "sinon", "defaut"}
_PARENTHESES = re.compile(r"\(([^()]{2,200})\)")
_HEADING_DASH = re.compile(r"\s[-–—]\s")
_POSSESSIVE = re.compile(r"^(?:(?:copie|joindre|fournir|scan) (?:de |d )?)?(?:votre|vos|mon|ma|mes) ")
# a list entry's number: at the label's start ("3) Statuts", "2 - Plan") or written with a leading zero
# ("Justificatif travaux 02 - …"); "Véhicule 2 - Assurance" numbers an item and is not one
_LIST_NUMBER = re.compile(r"(?:^\s*|\b0)(\d{1,2})\s*(?:\s[-–—]|:|\)|\.)\s")
_NUMBERED = re.compile(r"\b(?:n|no|numero)\s*([1-9]\d?)\b")
_RELATIVE = re.compile(r"(?i)\s(?:qui|que|qu['’]|dont|où|lequel|laquelle|lesquels|lesquelles|auquel|auxquels)\b")
_SLOT_SUFFIX = re.compile(r"^(.{3,}?)\s*\(([^()]{2,80})\)\s*$")
# "Si la structure déposant la demande n'est pas la structure porteuse, fournir…": the piece of another
# body or person than the one the form is about
_NOT_THE_SAME = re.compile(r" si (?:\w+ ){0,12}?n (?:est|etes|es) pas (?:le|la|l|celui|celle|la meme|le meme) ")
_NOT_IN = re.compile(r"^s ils? ne (?:figure|figurent|sont|est|apparait|apparaissent) pas\b")
_ANNOUNCES = re.compile(r"\bsuivante?s?$|\bci dessous$")
_OUTLINE = re.compile(r"^\s*(?:(?:\d{1,2}|[A-Ha-h]|[IVX]{1,4})[.)]\s*)+")
_SPLIT_RAW = re.compile(r"\s*[:;,–—]\s*|\s+-\s+")


class Taxonomy:
    """Compiled ``rules/justificatifs.yaml``: normalise, match, classify."""

    def __init__(self, model: JustificatifsRules):
        self.model = model
        self.stopwords = {t for w in model.stopwords for t in normalise(w).split()}
        self.abbreviations = {normalise(k): normalise(v).split() for k, v in model.abbreviations.items()}
        self.verbs = {normalise(v) for v in model.request_verbs}
        self.conditions = sorted({tuple(normalise(c).split()) for c in model.conditions if normalise(c)},
                                 key=len, reverse=True)
        self.item_words = {normalise(w) for w in model.items}
        self.continuations = {normalise(w) for w in model.continuations}
        self.translations = {normalise(w) for w in model.translations}
        self.reference_words = {normalise(w) for w in model.reference_words}
        self.plain_words = {t for w in model.plain_words for t in self.tokens(w)}
        self.other_instance = [normalise(w) for w in model.other_instance]
        self.qualified = {d.id for d in model.documents if d.qualified}
        self.documents = {d.id: d for d in model.documents}
        self.variant_parent: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for d in model.documents:
            self.labels[d.id] = d.label
            for v in d.variants:
                self.variant_parent[v.id] = d.id
                self.labels[v.id] = v.label
        self.standalone = {v.id: v.standalone for d in model.documents for v in d.variants}
        self.exclusive_groups = [{" ".join(self.tokens(w)) for w in g if self.tokens(w)}
                                 for g in model.exclusive_conditions]
        self.source_users = {d.id: [" ".join(self.tokens(u)) for u in d.source.users]
                             for d in model.documents if d.source is not None}
        self.source_not_when = {d.id: [" ".join(self.tokens(u)) for u in d.source.not_when]
                                for d in model.documents if d.source is not None}
        self.subject_labels = {s.id: s.label for s in model.subjects.entries}
        self.default_subject = model.subjects.default
        self._index: dict[str, list[_Pattern]] = {}
        self._prefix_first: list[_Pattern] = []
        for d in model.documents:
            for p in d.synonyms:
                self._add(p, "doc", d.id)
            for p in d.exclude:
                self._add(p, "exclude", d.id)
            for v in d.variants:
                for p in v.synonyms:
                    self._add(p, "variant", v.id, d.id)
        for p in model.generic:
            self._add(p, "generic", "")
        for p in model.other_heads:
            self._add(p, "head", "")
        self.negations = {t for w in model.negations for t in self.tokens(w)}
        # the words that tell one document from the others (in the synonyms of at most two documents)
        vocab: dict[str, set[str]] = {}
        for d in model.documents:
            words = {t for p in d.synonyms + [x for v in d.variants for x in v.synonyms]
                     for t in self.tokens(p.replace("*", " "))}
            vocab[d.id] = words
        freq: dict[str, int] = {}
        for words in vocab.values():
            for t in words:
                freq[t] = freq.get(t, 0) + 1
        self.doc_vocab = {d: frozenset(t for t in words if freq[t] <= 2 and len(t) > 2) for d, words in vocab.items()}
        for s in model.subjects.entries:
            for p in s.patterns:
                self._add(p, "subject", s.id)
        self.typed_labels: list[tuple[TypedField, set[str]]] = [
            (t, {" ".join(self.tokens(lbl)) for lbl in t.labels}) for t in model.typed_fields
        ]
        self._analyse = lru_cache(maxsize=200_000)(self._analyse_uncached)

    # -- compilation --------------------------------------------------------------

    def _compile(self, pattern: str) -> tuple[tuple[str, str], ...]:
        elems: list[tuple[str, str]] = []
        for word in pattern.split():
            if word == "*":
                elems.append(("gap", ""))
                continue
            prefix = word.endswith("*") and len(word) > 1
            toks = self.tokens(word.rstrip("*"))
            for j, t in enumerate(toks):
                if prefix and j == len(toks) - 1:
                    elems.append(("pre", normalise(word.rstrip("*")).split()[-1]))
                else:
                    elems.append(("tok", t))
        while elems and elems[0][0] == "gap":
            elems.pop(0)
        while elems and elems[-1][0] == "gap":
            elems.pop()
        return tuple(elems)

    def _add(self, pattern: str, kind: str, target: str, parent: str = "") -> None:
        elems = self._compile(pattern)
        if not elems:
            return
        pat = _Pattern(elems, kind, target, parent)
        first_kind, first = elems[0]
        if first_kind == "pre":
            self._prefix_first.append(pat)
        else:
            self._index.setdefault(first, []).append(pat)

    # -- tokens -------------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """The matching stream: normalised, abbreviations expanded, stop words
        dropped, plurals folded."""
        out: list[str] = []
        for t in normalise(text).split():
            expanded = self.abbreviations.get(t)
            for u in expanded if expanded else (t,):
                if u not in self.stopwords:
                    out.append(stem(u))
        return out

    def hits(self, toks: list[str]) -> list[Hit]:
        found: list[Hit] = []
        for i, t in enumerate(toks):
            cands = self._index.get(t, ())
            for pat in list(cands) + [p for p in self._prefix_first if t.startswith(p.elems[0][1])]:
                end = _match_at(pat.elems, toks, i)
                if end > i:
                    found.append(Hit(pat.kind, pat.target, pat.parent, i, end))
        return found

    # -- analysis of one text -----------------------------------------------------

    def analyse(self, text: str) -> TextAnalysis:
        return self._analyse(text or "")

    def _split_condition(self, text: str) -> tuple[str | None, str]:
        """``("si vous êtes hébergé", "la pièce d'identité de l'hébergeant")`` for
        a conditional label; ``(None, text)`` otherwise."""
        norm = normalise(text)
        words = norm.split()
        cond_len = 0
        for c in self.conditions:
            if tuple(words[: len(c)]) == c:
                cond_len = len(c)
                break
        # the document named after a request verb ("…, joindre X")
        for j, w in enumerate(words):
            if w in self.verbs and j + 1 < len(words):
                before = " ".join(words[:j]) or None
                return (before if cond_len else None), " ".join(words[j + 1:])
        if not cond_len:
            # "ASSOCIATIONS - Statuts", "Établissements publics : extrait des statuts": a heading naming
            # one member of an exclusive group is the request's condition
            parts = _SPLIT_RAW.split(text.strip(), maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                head_toks = self.tokens(parts[0])
                head = f" {' '.join(head_toks)} "
                named_doc = any(h.kind in ("doc", "variant") for h in self.hits(head_toks))
                if head_toks and len(head_toks) <= 6 and not named_doc \
                        and any(f" {w} " in head for g in self.exclusive_groups for w in g):
                    return normalise(parts[0]), parts[1]
        if cond_len:
            parts = _SPLIT_RAW.split(text.strip(), maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                if _ANNOUNCES.search(normalise(parts[0])):
                    # « Pièce obligatoire pour la situation et la condition suivantes : … Condition : couple marié »:
                    # what follows the colon is the condition itself
                    return norm, text
                return normalise(parts[0]), parts[1]
            return norm, text
        return None, text

    def _heading_dropped(self, body: str) -> str:
        """A label made of a document's bare name, a spaced dash, then another
        document ("Statuts - Publication au JO") is a heading and the request
        under it: the form files the publication under « Statuts », it does not
        ask for the articles again.  Only when the part before the dash is
        nothing but one document's name (at most three words) and the part
        after names another one; "Pièce d'identité - Recto" or a long sentence
        cut by a dash keep their whole wording."""
        parts = _HEADING_DASH.split(body.strip())
        if len(parts) != 2 or not parts[1].strip():
            return body
        head_toks = self.tokens(parts[0])
        if not head_toks or len(head_toks) > 3:
            return body
        docs = [h for h in self.hits(head_toks) if h.kind in ("doc", "variant")]
        if not any(h.start == 0 and h.end == len(head_toks) for h in docs):
            return body
        heading = {h.parent or h.target for h in docs}
        after = [h.parent or h.target for h in self.hits(self.tokens(parts[1])) if h.kind in ("doc", "variant")]
        if not after or heading & set(after):
            return body
        return parts[1]

    def _head(self, body: str) -> str:
        """The part of a label that names the request: "Justificatif du nom
        d'exercice s'il ne correspond pas à la pièce d'identité" requests the
        former, not the identity document.  The words after a clause marker
        count only when the words before it name nothing specific."""
        words = normalise(body).split()
        for j in range(1, len(words)):
            w = words[j]
            two = (w, words[j + 1]) if j + 1 < len(words) else (w, "")
            clause = w in _CLAUSE_WORDS or two in _CLAUSE_PAIRS
            if clause or (w in self.reference_words and j <= _REFERENCE_REACH):
                head = " ".join(words[:j])
                toks = self.tokens(head)
                if not toks:
                    if clause:
                        return body
                    continue
                hits = self.hits(toks)
                if any(h.kind in ("doc", "variant") for h in hits):
                    return head
                if not clause:
                    continue  # "Toute pièce attestant…": the document comes after the participle
                covered = [False] * len(toks)
                for h in hits:
                    if h.kind == "generic":
                        for k in range(h.start, h.end):
                            covered[k] = True
                if all(covered[k] or toks[k].isdigit() or toks[k] in self.item_words for k in range(len(toks))):
                    return " ".join(words[j:])
                return head
        return body

    def _analyse_uncached(self, text: str) -> TextAnalysis:
        res = TextAnalysis()
        if not text.strip():
            return res
        condition, body = self._split_condition(text)
        if condition is None:
            # a condition stated after the document: "Pièce d'identité de l'hébergeant (Si hébergement par un tiers)"
            for m in _PARENTHESES.finditer(text):
                if self._starts_with_condition(m.group(1)):
                    condition = normalise(m.group(1))
                    break
        if condition is None:
            # "Avis d'imposition si déclaration à part des parents": a condition after the document
            m = _TRAILING_IF.search(normalise(text))
            if m and m.start() > 0:
                condition = m.group(0).strip()
        res.condition = condition
        body = self._heading_dropped(body)
        full_body = body
        body = self._head(body)
        norm = normalise(body)
        toks = self.tokens(body)
        res.empty = not toks
        all_hits = self.hits(toks)

        # documents: drop excluded spans, then keep the longest non-overlapping hits
        excludes = [h for h in all_hits if h.kind == "exclude"]
        doc_hits = []
        for h in all_hits:
            if h.kind not in ("doc", "variant"):
                continue
            owner = h.parent or h.target
            if any(e.target == owner and e.start < h.end and h.start < e.end for e in excludes):
                continue
            doc_hits.append(h)
        doc_hits.sort(key=lambda h: (-h.length, h.start))
        kept: list[Hit] = []
        taken = [False] * len(toks)
        for h in doc_hits:
            if not any(taken[h.start:h.end]):
                kept.append(h)
                for k in range(h.start, h.end):
                    taken[k] = True
        kept.sort(key=lambda h: h.start)
        # "Justificatif des prestations familiales hors CAF", "hors attestation CAF": a document named
        # after a negation, or whose own distinctive word follows one, is not the one asked for
        negated = {toks[j + 1] for j in range(len(toks) - 1) if toks[j] in self.negations}
        # « Pièce justificative du titulaire du RIB »: the RIB only says whose identity paper is asked (but « La
        # personne est titulaire du permis de conduire » asks for the licence)
        heads = [h.end for h in all_hits if h.kind in ("generic", "doc", "variant")]
        kept = [h for h in kept if not (h.start > 1 and toks[h.start - 1] == "titulaire"
                                        and any(e < h.start for e in heads))]
        kept = [h for h in kept if not (h.start > 0 and toks[h.start - 1] in self.negations)
                and not (negated & self.doc_vocab.get(h.parent or h.target, frozenset()))]
        if kept and _NOT_IN.match(norm):
            # « S'ils ne figurent pas dans les statuts ou le règlement intérieur »: documents looked up, not asked
            kept = []
        if kept:
            first = kept[0].start
            lead = [h for h in all_hits if h.kind == "head" and h.start < first and not any(taken[h.start:h.end])]
            if lead and all(self._only_plain(toks[:lead[0].start])):
                # "Tableau des pièces d'identité acceptées", "Projet de délibération": something else is asked
                res.other_head = True
                kept = []
                taken = [False] * len(toks)
        kept, either = self._coordinated(body, toks, kept)
        res.either = either and len({h.parent or h.target for h in kept}) > 1
        generic_named: set[str] = set()
        for h in kept:
            doc = h.parent or h.target
            if doc not in res.documents:
                res.documents.append(doc)
            if h.kind == "variant":
                vs = res.variants.setdefault(doc, [])
                if h.target not in vs:
                    vs.append(h.target)
            else:
                generic_named.add(doc)
        for doc in generic_named:
            # "pièce d'identité ou titre de séjour": the category, any variant accepted
            res.variants.pop(doc, None)

        # generic: every meaningful token is covered by a generic pattern / item word / number
        covered = list(taken)
        for h in all_hits:
            if h.kind == "generic":
                for k in range(h.start, h.end):
                    covered[k] = True
        if not res.documents and toks:
            rest = [t for k, t in enumerate(toks) if not covered[k] and not t.isdigit()
                    and t not in self.item_words and t not in _ORDINAL and t not in ("recto", "verso")]
            res.generic = not rest

        # subject: first subject named after the first document, else the first one
        # a person named across a document's words ("statuts de la société | de régie") still counts
        subj_hits = sorted((h for h in all_hits if h.kind == "subject" and not all(taken[h.start:h.end])),
                           key=lambda h: (h.start, -h.length))
        first_doc = kept[0].start if kept else -1
        chosen = next((h for h in subj_hits if h.start > first_doc), subj_hits[0] if subj_hits else None)
        subj_toks = toks
        if chosen is None and body != full_body and normalise(full_body).startswith(norm):
            # a person whose name begins before the clause the head stops at:
            # "Pièce d'identité de la personne | qui vous héberge"
            full_toks = self.tokens(full_body)
            cut = [h for h in self.hits(full_toks) if h.kind == "subject" and h.start < len(toks) < h.end]
            if cut:
                chosen = min(cut, key=lambda h: (h.start, -h.length))
                subj_toks = full_toks
        if chosen is not None:
            sid = chosen.target
            nxt = subj_toks[chosen.end] if chosen.end < len(subj_toks) else ""
            prev = subj_toks[chosen.start - 1] if chosen.start > 0 else ""
            if nxt.isdigit() and 0 < int(nxt) < 10:
                sid = f"{sid}-{int(nxt)}"
            elif prev in _ORDINAL:
                sid = f"{sid}-{_ORDINAL[prev]}"
            res.subject = sid

        # period
        res.period = self.periods(text)

        # item: "… 2", "Navire 2 : …", "… n°3", "… supplémentaire", "2e …"
        words = norm.split()
        n_minus = {p[2:] for p in res.period if p.startswith("N-")}
        # "Justificatif travaux 02 - Plan de situation", "3) Statuts": the number of a list entry, not an item
        listed = {str(int(m.group(1))) for m in _LIST_NUMBER.finditer(text)}
        number = None
        for j in range(1, len(words)):
            w = words[j]
            if w.isdigit() and 0 < int(w) <= 20 and w not in n_minus and str(int(w)) not in listed:
                nxt = words[j + 1] if j + 1 < len(words) else ""
                prev = words[j - 1]
                if nxt not in _TIME_WORDS and prev not in ("moins", "plus", "de", "des", "les", "aux", "sur"):
                    number = str(int(w))
                    break
        if number is None and condition:
            # "Pour la salle n°2, titre de propriété…": the condition numbers the item
            m = _NUMBERED.search(condition)
            if m:
                number = str(int(m.group(1)))
        if _BEFORE_LAST_ANY.search(normalise(full_body)):
            res.item = "avant-dernier"  # « Avant-dernier rapport annuel d'activité »: not the last one
        elif _SECONDARY.search(normalise(full_body)):
            res.item = "etablissement-secondaire"  # « LBIS », « … de l'établissement secondaire »: not the head office's
        elif number is not None:
            res.item = number
        elif _EACH.search(normalise(full_body)):
            # « CV de chacun des intervenants », « rapport d'activité … de chaque partenaire »: one per item
            res.item = "chaque"
        else:
            for k, t in enumerate(toks):
                if t in self.item_words and not any(taken[k:k + 1]):
                    res.item = t
                    break
                if t in _ORDINAL and k + 1 < len(toks) and taken[k + 1]:
                    res.item = _ORDINAL[t]
                    break
        res.qualifier = self._qualifier(full_body)
        res.obj = self._object(full_body)
        head_norm = f" {normalise(text)} "
        res.other_instance = any(f" {w} " in head_norm for w in self.other_instance) \
            or bool(_NOT_THE_SAME.search(head_norm))
        # « Photocopie d'une pièce d'identité (si verso) »: the side may sit in a condition the head stops before
        full_words = set(normalise(full_body).split())
        has_recto, has_verso = "recto" in full_words, "verso" in full_words
        if self.translations & set(normalise(full_body).split()):
            res.part = "traduction"  # the translation of a document is another document than the original
        elif has_recto != has_verso:
            res.part = "recto" if has_recto else "verso"
        elif self.continuations & set(words):
            res.part = "suite"  # a further file of the same request, not the document again
        elif "page" in words or "pages" in words:
            # the page's own words are read on the whole label ("page relative au visa"), not its head
            full_words = normalise(full_body).split()
            words = full_words if "page" in full_words or "pages" in full_words else words
            k = words.index("page") if "page" in words else words.index("pages")
            before = _ORDINAL.get(words[k - 1]) if k > 0 else None
            res.part = f"page {before}" if before else "page " + " ".join(w for w in words[k + 1:k + 4])
        return res

    def _only_plain(self, toks: list[str]) -> list[bool]:
        """For the words before a label's head: each one says nothing of what is asked
        (a verb, "copie", a number, a plain word)."""
        return [t.isdigit() or t in self.plain_words or t in self.verbs or len(t) <= 2 for t in toks]

    def _coordinated(self, body: str, toks: list[str], kept: list[Hit]) -> tuple[list[Hit], bool]:
        """The documents a label asks for: the first one named, and those
        joined to it by "ou", "et", a comma, a slash, a dash or a parenthesis
        ("Carte d'identité ou passeport", "Acte de mariage / Acte de
        naissance").  A document named as the complement of the first
        ("Certificat médical du permis de conduire", "Procès-verbal renseigné
        sur l'extrait Kbis") is only mentioned, not asked for.  The flag says whether the
        documents are alternatives ("ou", "soit"): the user provides one of them."""
        if len(kept) < 2:
            return kept, False
        marked = normalise(_SEPARATORS.sub(" ou ", body)).split()
        pos: list[int] = []
        for i, w in enumerate(marked):
            expanded = self.abbreviations.get(w)
            for u in expanded if expanded else (w,):
                if u not in self.stopwords:
                    pos.append(i)
        if len(pos) != len(toks):
            return kept, False  # the two readings disagree: keep every document rather than guess
        out = [kept[0]]
        plain = normalise(body).split()
        plain_pos = [i for i, w in enumerate(plain) for u in (self.abbreviations.get(w) or (w,))
                     if u not in self.stopwords]
        either = False
        for h in kept[1:]:
            between = marked[pos[out[-1].end - 1] + 1:pos[h.start]]
            if not between or any(w in _COORDINATORS for w in between):
                if len(plain_pos) == len(toks):
                    raw = plain[plain_pos[out[-1].end - 1] + 1:plain_pos[h.start]]
                    if any(w in ("ou", "soit") for w in raw) and (h.parent or h.target) != (
                            out[0].parent or out[0].target):
                        either = True  # « acte de naissance ou livret de famille »: one of them
                out.append(h)
        return out, either

    @lru_cache(maxsize=100_000)
    def _post_qualifier(self, body: str) -> frozenset[str]:
        """Which instance of any document a label asks for, read where French puts it:
        after the document's name ("RIB professionnel" / "RIB personnel", "CV de
        l'encadrant" / "CV du co-encadrant") and in a prefix cut off by a colon or a
        dash ("Psychologues : rapport d'activité").  The words before the name
        ("Plan de financement avec copie des accords") describe the slot, not which copy."""
        # a relative clause describes the document ("RIB du compte sur lequel l'aide sera versée"),
        # it does not say which one
        named = _RELATIVE.split(body, maxsplit=1)[0]
        toks = self.tokens(named)
        docs = [h for h in self.hits(toks) if h.kind in ("doc", "variant")]
        if not docs:
            return frozenset()
        start = min(h.start for h in docs)
        first = min(docs, key=lambda h: (h.start, -h.length))
        # up to the next document named ("Statuts … et procès-verbal de modification": the words after the
        # second name are its own) or a clause ("s'il y a lieu")
        own = first.parent or first.target
        nxt = min((h.start for h in docs if h.start >= first.end and (h.parent or h.target) != own),
                  default=len(toks))
        for j in range(first.end, nxt):
            if toks[j] in _CLAUSE_WORDS or toks[j] in ("il", "ils"):
                nxt = j
                break
        words = self._qualifier("", start, toks[:nxt])
        m = re.match(r"\s*([^:–—]{2,60}?)\s*(?::|\s[-–—]\s)", body)
        if m and not [h for h in self.hits(self.tokens(m.group(1))) if h.kind in ("doc", "variant")]:
            words |= self._qualifier(m.group(1))
        return words

    def _object(self, body: str) -> frozenset[str]:
        """The words after the first reference word of a label ("Délibération … fixant les attributions de
        compensation", "Attestation sur l'honneur relative au permis de conduire"): what the document is about,
        documents named there included.  Empty when no reference word says it."""
        words = normalise(body).split()
        j = next((k for k, w in enumerate(words) if w in self.reference_words), None)
        if j is None:
            return frozenset()
        return frozenset(t for t in self.tokens(" ".join(words[j + 1:]))
                         if not t.isdigit() and len(t) > 2 and t not in self.plain_words and t not in _TIME_WORDS
                         and t not in self.item_words)

    def _qualifier(self, body: str, start: int = 0, toks: list[str] | None = None) -> frozenset[str]:
        """The words of a request that say *which* document of its kind it is:
        what is left once the document's own name, people, generic and plain
        words, numbers and periods are set aside ("du conseil municipal",
        "approuvant le plan de financement", "d'aptitude à la reprise").  Two
        deliberations or two medical certificates are the same document only
        if one's qualifier holds the other's.  ``toks``: the body already tokenised."""
        if toks is None:
            toks = self.tokens(body)
        covered = [False] * len(toks)
        for h in self.hits(toks):
            if h.kind in ("doc", "variant", "subject", "generic", "exclude"):
                for k in range(h.start, h.end):
                    covered[k] = True
        # "co-porteur", "co-encadrant": another person than the "porteur", the "encadrant"
        merged: list[str] = []
        merged_covered: list[bool] = []
        k = 0
        while k < len(toks):
            if toks[k] == "co" and k + 1 < len(toks) and not covered[k + 1]:
                merged.append(f"co-{toks[k + 1]}")
                merged_covered.append(False)
                k += 2
                continue
            merged.append(toks[k])
            merged_covered.append(covered[k])
            k += 1
        start -= sum(1 for j in range(min(start, len(toks))) if toks[j] == "co")
        toks, covered = merged, merged_covered
        return frozenset(
            t for k, t in enumerate(toks)
            if k >= start and not covered[k] and not t.isdigit() and len(t) > 2 and t not in self.item_words
            and t not in _ORDINAL and t not in _TIME_WORDS and t not in self.plain_words
            and t not in self.verbs and t not in self.continuations
        )

    def periods(self, text: str) -> list[str]:
        """Years and relative years (``N``, ``N-1``) a text names."""
        out: set[str] = set()
        for m in _N_MINUS_RAW.finditer(text or ""):
            out.add(f"N-{m.group(1)}")
        norm = normalise(text or "")
        # a school or academic year ("2023-2024", "2023/24") is one period
        for m in _SCHOOL_YEAR.finditer(norm):
            y, nxt = int(m.group(1)), m.group(2)
            if (len(nxt) == 2 and (y + 1) % 100 == int(nxt)) or (len(nxt) == 4 and int(nxt) == y + 1):
                out.add(f"{y}-{y + 1}")
                norm = norm[: m.start()] + " " * (m.end() - m.start()) + norm[m.end():]
        out.update(_YEAR.findall(norm))
        if not any(p.startswith("N-") for p in out):
            for m in _N_MINUS.finditer(norm):
                if m.group(0).startswith("annee") or " moins " in m.group(0):
                    out.add(f"N-{m.group(1)}")
        if _N_ALONE.search(norm) or _CUR_YEAR.search(norm):
            out.add("N")
        if _PREV_YEAR.search(norm):
            out.add("N-1")
        m = _YEARS_AGO.search(norm)
        if m:
            out.add(f"N-{_COUNT.get(m.group(1), m.group(1))}")
        if _BEFORE_LAST.search(norm):
            out.add("N-2")
        return sorted(out)

    @lru_cache(maxsize=100_000)
    def _hint_periods(self, text: str) -> tuple[str, ...]:
        """Years a long help text anchors to a document ("revenus 2023",
        "année scolaire 2024"), ignoring decree numbers and dates."""
        norm = normalise(text or "")
        out = set(_HINT_YEAR.findall(norm))
        for m in _N_MINUS_RAW.finditer(text or ""):
            out.add(f"N-{m.group(1)}")
        return tuple(sorted(out))

    def hint_periods(self, text: str) -> list[str]:
        """Years a long help text anchors to a document ("revenus 2023",
        "année scolaire 2024"), ignoring decree numbers and dates."""
        return list(self._hint_periods(text))

    # -- classification of one request -----------------------------------------------

    def classify(
        self,
        label: str,
        hint: str = "",
        *,
        others: Iterable[tuple[str, str]] = (),
        options: Iterable[str] = (),
        subject_context: Iterable[str] = (),
        condition_context: str | None = None,
        default_document: str | None = None,
    ) -> Classification:
        """Read one request.  ``label`` names the document; ``hint`` (help
        text) is used when the label is generic; ``others`` are further texts
        in order of trust (legend, context, heading…); ``options`` the choices
        of a companion select ("Type de justificatif"); ``subject_context``
        texts that may name the person (a section header "Pièces concernant
        l'hébergeant"); ``default_document`` is what the control's type says
        (a démarches-simplifiées ``TitreIdentite`` champ)."""
        c = Classification()
        lab = self.analyse(label)
        source_text = ""
        c.condition = lab.condition
        source: TextAnalysis | None = None
        if lab.documents:
            source, c.matched_on = lab, "label"
        candidates: list[tuple[str, str]] = [("hint", hint)] + list(others)
        # a label that names something we do not know ("Curriculum vitae") stays
        # unmatched: the help text or the surroundings are read only when the
        # label itself says nothing ("Pièce justificative", "Ajouter un fichier")
        label_silent = ((lab.generic and lab.item not in self.item_words) or lab.empty) and not lab.other_head
        if not lab.documents and label.rstrip().endswith(":") and hint:
            # "Le justificatif obligatoire pour ce motif est :" announces its help text
            label_silent = True
        if source is None and not label_silent:
            candidates = []
            options = ()
        whole_text = ""
        if source is None:
            for name, text in candidates:
                if not text:
                    continue
                an, line = self.first_naming_line(text) if name != "hint" else (self.analyse(text), text)
                if name == "hint" and an.documents and (_EXAMPLES.match(normalise(text))
                                                        or _EXAMPLES_ANYWHERE.search(normalise(text))):
                    # "Exemple : décision de justice, livret de famille, etc.": any of them, none in particular
                    c.ambiguous = "l'aide ne donne que des exemples de pièces pour ce champ"
                    break
                if name == "hint" and len(an.documents) == 1 and len(_LIST_LINE.findall(text)) >= 2:
                    # a help text listing several pieces for one slot ("- Rapport CAF / - Rapport ARS /
                    # - Contrat de location"): the slot holds them all, not the one the taxonomy knows
                    c.ambiguous = "l'aide énumère plusieurs pièces pour ce champ"
                    break
                if len(an.documents) == 1:
                    source, c.matched_on, source_text, whole_text = an, name, line, text
                    break
                if len(an.documents) > 1:
                    c.ambiguous = f"plusieurs pièces citées ({name}) : " + ", ".join(an.documents)
                    break
        if source is None and options and c.ambiguous is None:
            docs: list[str] = []
            named = 0
            for o in options:
                an = self.analyse(o)
                if an.documents:
                    named += 1
                    for d in an.documents:
                        if d not in docs:
                            docs.append(d)
            if len(docs) == 1:
                source, c.matched_on = TextAnalysis(documents=docs), "options"
            elif len(docs) > 1:
                c.ambiguous = "la liste de choix propose plusieurs pièces : " + ", ".join(docs)
        if source is None and default_document and c.ambiguous is None and not lab.other_head:
            source, c.matched_on = TextAnalysis(documents=[default_document]), "type"
        if source is lab and hint and normalise(hint).split()[:1] and normalise(hint).split()[0] in self.verbs:
            # « Attestation de quotient familial » / help « Joindre l'attestation quotient familial Région (calculette
            # Région IDF) »: a help restating the request may show it is not the document the label names
            htoks = self.tokens(hint)
            hhits = self.hits(htoks)
            spans = [h for h in hhits if h.kind == "exclude"]
            excluded = {h.target for h in spans}
            # still named plainly somewhere in the help (« votre attestation CAF ou l'attestation … calculette »): kept
            plain = {h.parent or h.target for h in hhits if h.kind in ("doc", "variant") and not any(
                e.target == (h.parent or h.target) and e.start < h.end and h.start < e.end for e in spans)}
            if (excluded - plain) & set(lab.documents):
                source, c.matched_on = None, None
                c.ambiguous = "l'aide précise une autre pièce que celle du libellé"
        if source is lab and len(lab.documents) == 1 and hint:
            # « Statuts » / help « Uniquement pour les associations : publication des statuts au JO ou récépissé
            # de déclaration » : a bare name heads the slot, the help says which piece is asked, for which case
            line = hint.strip().split("\n", 1)[0]
            cond, rest = self._split_condition(line)
            if cond and rest != line and len(self.tokens(label)) <= 2:
                an = self.analyse(rest)
                first = self.hits(self.tokens(rest))
                starts = any(h.start == 0 and h.kind in ("doc", "variant") for h in first)
                if an.documents and starts and lab.documents[0] not in an.documents:
                    source, c.matched_on = an, "hint"

        if source is not None:
            c.either = source.either
            c.documents = list(source.documents)
            c.document = c.documents[0]
            vs = [v for d in c.documents for v in source.variants.get(d, [])]
            c.variants = vs
            c.variant = vs[0] if len(vs) == 1 and len(c.documents) == 1 else None
        c.generic = c.document is None and lab.generic and (
            lab.item in self.item_words or not hint_names_document(self, hint))

        # person: the label first, then the request's surroundings, then a short hint
        subject = lab.subject
        if subject is None and lab.condition:
            # "Avis d'imposition si déclaration à part du ou des parents": another person named by the condition
            named = self.subject_in(lab.condition)
            # "si vous êtes mineur", "si hébergement par un tiers" describe the user's case, not whose piece
            if named and _base_subject(named) in _HOUSEHOLD - {"demandeur"} \
                    and not {"vous", "votre", "vos", "je", "mon", "ma", "mes"} & set(lab.condition.split()):
                subject = named
        if subject is None and _POSSESSIVE.match(normalise(label)):
            # "Votre acte de naissance" under "Si vous êtes enfant d'un(e) Français(e)": the user's own
            subject = self.default_subject
        if subject is None:
            for text in subject_context:
                if text:
                    s = self.subject_in(text)
                    if s:
                        subject = s
                        break
        if subject is None and hint and len(hint) <= 120:
            hint_an = self.analyse(hint)
            # "La copie du livret de famille doit comporter les pages avec les parents": the help
            # describes the document's content, not whose it is
            # (but « Joindre la carte d'identité ou le livret de famille du responsable financier » restates the
            # request and says whose)
            if not (c.document and hint_an.documents[:1] == [c.document]) \
                    or normalise(hint).split()[:1] and normalise(hint).split()[0] in self.verbs:
                subject = hint_an.subject
        c.subject_named = subject is not None
        if subject is None and c.document is not None:
            entry = self.documents.get(c.document)
            subject = (entry.subject_default if entry else None) or self.default_subject
        c.subject = subject

        c.period = lab.period
        if not c.period and source_text and c.matched_on in ("legend", "heading"):
            c.period = self.periods(source_text)
        if not c.period and source_text and c.matched_on == "context":
            c.period = self.hint_periods(source_text)
        if not c.period and whole_text != source_text and c.matched_on in ("legend", "context", "heading"):
            # the title line named the document, the description its year ("revenus 2023")
            c.period = self.hint_periods(whole_text)
        if not c.period and hint and c.document is not None:
            c.period = self.hint_periods(hint)
        c.item = lab.item
        c.part = lab.part
        if c.part is None and hint and c.document is not None:
            # "Titre d'identité" / help "(Verso)"; "Justificatif de domicile" / help "2ème page";
            # a long help counts only for a numbered page or a side ("télécharger ici la deuxième
            # page"), not for "les pages avec les parents"
            hp = self.analyse(hint).part
            if hp in ("recto", "verso") or (hp == "suite" and len(hint) <= 160) or (hp and re.match(r"page \d", hp)):
                c.part = hp
        c.qualifier = self._request_qualifier(lab, c, hint, label)
        c.obj = lab.obj if c.matched_on == "label" else frozenset()
        if not c.obj and c.matched_on == "label" and c.document in self.qualified and hint:
            # « Délibération de l'AG » / help « Joindre la délibération de l'AG approuvant ce rapport d'activité »
            first = re.split(r"(?<=[.!?])\s|\n", hint.strip(), maxsplit=1)[0]
            an = self.analyse(first)
            if an.documents[:1] == [c.document]:
                c.obj = an.obj
        c.other_instance = lab.other_instance or (c.matched_on == "hint" and self.analyse(hint).other_instance)
        c.scope_condition = normalise(condition_context) if condition_context else None
        c.text = f"{label}\n{hint}"
        m = _SLOT_SUFFIX.match(label or "")
        if m and c.matched_on == "label" and not self._starts_with_condition(m.group(2)):
            # a condition in the parenthesis is read as a condition (alternatives or review), not as a slot
            common, suffix = " ".join(self.tokens(m.group(1))), " ".join(self.tokens(m.group(2)))
            if common and suffix:
                c.slot = (common, suffix)
        if c.condition is None and hint:
            c.condition = self.analyse(hint).condition if self._starts_with_condition(hint) else None
        if c.condition is None and hint:
            # "En cours de validité.\nA fournir si la structure dépose pour la 1ère fois…": a line of the
            # help that says when the piece is required
            for line in hint.splitlines()[1:]:
                norm_line = normalise(line)
                if norm_line.startswith(_REQUIRED_WHEN):
                    c.condition = norm_line
                    break
        if c.condition is None and condition_context:
            c.condition = normalise(condition_context)
        return c

    def _request_qualifier(self, lab: TextAnalysis, c: Classification, hint: str, label: str = "") -> frozenset[str]:
        """What the request says about which document it is: the label's own
        words, or, when the label is the bare name ("Délibération"), the
        first sentence of a help text that names the same document again
        ("Délibération de l'organe compétent approuvant le projet")."""
        if c.document is None:
            return frozenset()
        if c.document not in self.qualified:
            # any document: the label's own words only (a help text describes, it does not qualify)
            return self._post_qualifier(label) if c.matched_on == "label" else frozenset()
        if c.matched_on == "label" and lab.qualifier:
            return lab.qualifier
        if hint:
            first = re.split(r"(?<=[.!?])\s|\n", hint.strip(), maxsplit=1)[0]
            an = self.analyse(first)
            if an.documents[:1] == [c.document]:
                return an.qualifier
        return lab.qualifier if c.matched_on == "label" else frozenset()

    def first_naming_line(self, text: str) -> tuple[TextAnalysis, str]:
        """Read a block of text line by line (a champ's title, then its
        description, then its button): the first line that names a document
        is what the block asks for.  Reading the block as one sentence would
        let a verb in the description ("vous pouvez la télécharger sur caf.fr")
        or a button ("Ajouter un fichier") hide the title.  A single-line text
        is analysed as a whole."""
        lines = [ln for ln in (x.strip() for x in text.split("\n")) if ln]
        if len(lines) <= 1:
            return self.analyse(text), text
        for ln in lines:
            an = self.analyse(ln)
            if an.documents:
                return an, ln
        return self.analyse(" ".join(lines)), text

    @lru_cache(maxsize=100_000)
    def subject_in(self, text: str) -> str | None:
        """The person a surrounding text (section header, fieldset legends
        one per line) names, read from the last line (the innermost group)
        to the first."""
        for line in reversed([ln for ln in text.split("\n") if ln.strip()] or [text]):
            s = self.analyse(line).subject
            if s:
                return s
        return None

    @lru_cache(maxsize=100_000)
    def _starts_with_condition(self, text: str) -> bool:
        # "5.B. Pour les organismes publics", "II) Si…": the outline mark first (normalising would glue "5.B." into "5b")
        words = normalise(_OUTLINE.sub("", text[:80], count=1)).split()
        while words and (words[0].isdigit() or (len(words[0]) == 1 and words[0] in "abcdefghij")):
            words = words[1:]  # "3.2. Pour les associations", "a) Si vous êtes…"
        return any(tuple(words[: len(c)]) == c for c in self.conditions)

    def is_condition(self, text: str) -> bool:
        """Whether a text (a section header, an explanation) opens a condition:
        "Si vous êtes locataire", "Sinon, si vous êtes hébergé"."""
        return self._starts_with_condition(text)

    @lru_cache(maxsize=100_000)
    def typed_field(self, label: str = "", champ_type: str = "") -> TypedField | None:
        """The typed field (IBAN, SIRET) a form control stands for, if any."""
        for t, labels in self.typed_labels:
            if champ_type and champ_type in t.champ_types:
                return t
            if label and " ".join(self.tokens(label)) in labels:
                return t
        return None

    def source_text(self, document: str) -> str | None:
        entry = self.documents.get(document)
        if entry is None or entry.source is None:
            return None
        return f"{entry.source.api} ({entry.source.administration})"


def hint_names_document(tax: Taxonomy, hint: str) -> bool:
    return bool(hint) and bool(tax.analyse(hint).documents)


_CACHE: dict[int, Taxonomy] = {}


def taxonomy_from(rules: "Rules | JustificatifsRules | None") -> Taxonomy:
    """The compiled taxonomy of loaded rules (compiled once per rules object)."""
    model: Any = rules
    if rules is not None and not isinstance(rules, JustificatifsRules):
        model = rules.get("justificatifs")
    if model is None:
        raise LookupError("rules/justificatifs.yaml manquant : la taxonomie des pièces est introuvable.")
    key = id(model)
    tax = _CACHE.get(key)
    if tax is None or tax.model is not model:
        tax = Taxonomy(model)
        _CACHE[key] = tax
    return tax


# ------------------------------------------------------------------------- findings


@dataclass
class DocumentRequest:
    """One request point, whatever its source.  ``evidence`` is what findings
    cite (``url``/``label``/``selector`` for a page, ``ref``/``label`` for a
    catalogue champ); ``scope`` separates requests that are asked once per
    person or item (a démarches-simplifiées ``Repetition`` block)."""

    evidence: dict[str, Any]
    c: Classification
    scope: str = ""
    typed: bool = False  # a typed field (IBAN, SIRET), not an upload
    typed_field: str | None = None


@dataclass
class Logical:
    """A request as the user experiences it: recto + verso of one document are one."""

    members: list[DocumentRequest]

    @property
    def c(self) -> Classification:
        return self.members[0].c

    @property
    def scope(self) -> str:
        return self.members[0].scope

    def evidence(self) -> list[dict[str, Any]]:
        return [m.evidence for m in self.members]


@dataclass
class Findings:
    requests: int
    repeated: list[dict[str, Any]]
    already_held: list[dict[str, Any]]
    typed_and_uploaded: list[dict[str, Any]]
    review: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    generic: list[dict[str, Any]]
    score: int
    avoidable: list[dict[str, Any]]


def _merge_parts(reqs: list[DocumentRequest]) -> list[Logical]:
    out: list[Logical] = []
    for r in reqs:
        last = out[-1] if out else None
        if (
            last is not None
            and r.c.part in ("recto", "verso")
            and len(last.members) == 1
            and (({last.c.part, r.c.part} == {"recto", "verso"}) or (last.c.part is None and r.c.part == "verso"))
            and last.scope == r.scope
            and last.c.documents == r.c.documents
            and last.c.subject == r.c.subject
            and last.c.document is not None
        ):
            last.members.append(r)
        else:
            out.append(Logical([r]))
    return out


def exclusive(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """Whether two requests sit under conditions that cannot hold together:
    two options of one choice (a dropdown, "avance / acompte / solde"), "si…"
    and "sinon…", or two members of one group of ``exclusive_conditions``
    ("couple marié" / "couple pacsé", "association" / "société")."""
    if a.branch and b.branch and a.branch[0] == b.branch[0] and a.branch[1] != b.branch[1]:
        return True
    if a.alternative and b.alternative and a.alternative[0] == b.alternative[0] \
            and a.alternative[1] != b.alternative[1]:
        return True  # "Avis d'imposition" then "ou copie des quittances…": one or the other
    if _exclusive_conditions(a.condition or "", b.condition or "", tax):
        return True
    # the sections' own conditions ("Je suis allocataire CAF" / "Je ne suis pas allocataire CAF"),
    # even when a request adds its own ("le cas échéant")
    return _exclusive_conditions(a.scope_condition or "", b.scope_condition or "", tax)


_NEGATIONS = {"ne", "n", "pas", "non", "aucun", "aucune", "jamais"}


def _exclusive_conditions(ca: str, cb: str, tax: "Taxonomy") -> bool:
    if not ca or not cb or ca == cb:
        return False
    for one, other in ((ca, cb), (cb, ca)):
        if other.startswith(("sinon", "a defaut")) and not one.startswith(("sinon", "a defaut")):
            return True
    ta, tb = f" {' '.join(tax.tokens(ca))} ", f" {' '.join(tax.tokens(cb))} "
    wa, wb = set(ta.split()), set(tb.split())
    if (wa - _NEGATIONS) == (wb - _NEGATIONS) and bool(wa & _NEGATIONS) != bool(wb & _NEGATIONS):
        return True  # "je suis allocataire" / "je ne suis pas allocataire"
    for group in tax.exclusive_groups:
        ma = {w for w in group if f" {w} " in ta}
        mb = {w for w in group if f" {w} " in tb}
        if ma and mb and not ma & mb:
            return True
    return False


def _relation(a: Classification, b: Classification, doc: str, tax: "Taxonomy") -> tuple[str, str]:
    """("same" | "review" | "distinct", reason in French) for two requests of ``doc``.

    Same document, same person, overlapping period, not two parts of one
    document, conditions that can hold together: a repetition.  A request
    made under a condition that repeats an unconditional one counts (the user
    who meets the condition is asked twice); a category then one of its
    instances counts ("justificatif de domicile", then "facture
    d'électricité") unless the instance does not stand for the category on
    its own.  Only two different conditions whose compatibility the wording
    does not settle are left for review."""
    entry = tax.documents.get(doc)
    household = entry is not None and entry.household and {
        _base_subject(a.subject), _base_subject(b.subject)} <= _HOUSEHOLD
    if (a.subject != b.subject and not household) or a.item != b.item:
        return "distinct", ""
    if a.other_instance or b.other_instance:
        return "distinct", ""  # "si différent du représentant légal": another person's or copy
    if bool({q for q in a.qualifier if q.startswith("co-")}) != bool({q for q in b.qualifier if q.startswith("co-")}):
        return "distinct", ""  # « CV du candidat » / « CV du co-encadrant »: a co-somebody is another person
    if a.document == doc and b.document == doc and a.qualifier and b.qualifier \
            and not (a.qualifier <= b.qualifier or b.qualifier <= a.qualifier):
        return "distinct", ""  # two deliberations, two medical certificates with different objects
    if a.document == doc and b.document == doc and doc in tax.qualified and bool(a.qualifier) != bool(b.qualifier) \
            and len(a.qualifier or b.qualifier) >= 2 and not (a.qualifier | b.qualifier) & _ADDRESSEE:
        # « Attestation sur l'honneur » then « Attestation sur l'honneur d'éligibilité au FCTVA », « Délibération »
        # then « Délibération autorisant l'exécutif à signer » : the second names its own object, so it is another
        # statement or decision than the bare one (one word, « (pour les structures publiques) », says too little;
        # « lettre de motivation adressée au comité » names whom it is for, not another letter)
        return "distinct", ""
    if a.document == doc and b.document == doc and doc in tax.qualified and (
            (a.obj and b.obj and not a.obj & b.obj) or (bool(a.obj) != bool(b.obj) and len(a.obj or b.obj) >= 2)):
        # « Délibération du conseil communautaire » then « … fixant les attributions de compensation », « Attestation
        # sur l'honneur relative à l'exercice de la fonction » then « … relative au permis de conduire »: what follows
        # « fixant », « relative à »… says which decision or statement it is
        return "distinct", ""
    if (a.part or b.part) and a.part != b.part and not {a.part, b.part} <= {"recto", "verso", None}:
        return "distinct", ""  # two pages of a document, not the document twice
    if {a.part, b.part} == {"recto", "verso"}:
        return "distinct", ""  # the two sides of one document, even when not side by side
    if _tail_slots(a, b, tax):
        return "distinct", ""  # "… correspondant à la catégorie B" / "… à la catégorie AM"
    if a.slot and b.slot and a.slot[0] == b.slot[0] and a.slot[1] != b.slot[1]:
        # "Passeport … (Visa d'entrée)" / "Passeport … (Vignette OFII)", "Lettre de motivation (Groupe A)" /
        # "(groupes B et C)": one wording, two slots told apart by what follows it
        return "distinct", ""
    if "suite" in (a.part, b.part):
        return "distinct", ""  # continuation slots: each holds further pages or items
    va, vb = _variant_of(a, doc, tax), _variant_of(b, doc, tax)
    if va and vb and va != vb:
        return "distinct", ""
    if (va is None) != (vb is None) and not tax.standalone.get(va or vb or "", True):
        return "distinct", ""
    if a.period and b.period and set(a.period) != set(b.period):
        pa, pb = set(a.period), set(b.period)
        if pa & pb and (pa < pb or pb < pa):
            # "Avis d'imposition 2024" and "Avis 2024 sur les revenus 2023": maybe the same notice
            return "review", "périodes qui se recouvrent sans être identiques"
        return "distinct", ""  # "avis 2025 sur les revenus 2024" and "avis 2024 sur les revenus 2023"
    if exclusive(a, b, tax):
        return "distinct", ""
    if _negated_case(a, b, tax) or _negated_case(b, a, tax):
        # « Attestation de quotient familial Région CAF » / « … (pour les non allocataires CAF) »
        return "distinct", ""
    if _disjoint_marks(a.text, b.text) or _complementary_ranges(a.text, b.text):
        # « Lettre de motivation (Uniquement Groupe A) » / « (facultatif pour les groupes B et C) », « communes
        # de moins de 1000 habitants » / « de 1000 habitants et plus »: one slot per category or size
        return "distinct", ""
    if a.case and b.case and a.case[0] == b.case[0] and a.case[1] != b.case[1] and "*" not in (a.case[1], b.case[1]) \
            or (a.case and a.case == b.case and not a.case[1]):
        # after « les pièces demandées sont fonction du statut [Société / Association] » or « en fonction de la
        # demande, des pièces complémentaires… » then one section per case: one set of pieces per case
        return "distinct", ""
    for one, other in ((a, b), (b, a)):
        # « avis SIRENE ou Kbis » then « Kbis »: the user may have given the SIRENE notice first; but
        # « livret de famille intégral ou acte de naissance si 1er enfant » asks for the booklet first
        if one.either and len(one.documents) > 1 and one.documents[0] != doc \
                and not (other.either and set(other.documents) == set(one.documents)):
            others = [d for d in one.documents if d != doc]
            return "review", (f"« {' ou '.join([doc] + others)} » puis « {doc} » : l'usager a pu fournir l'autre "
                              "pièce la première fois")
    if a.guard and b.guard and a.guard[0] == b.guard[0] and a.guard[2]:
        # "La délibération est-elle prise ? [oui/non]" then « Projet de délibération », then « Délibération »
        return "review", (f"les deux champs suivent la même question à réponse unique (« {_short(a.guard[1])} ») : "
                          "sans doute l'un pour chaque réponse")
    if a.condition and b.condition and a.condition != b.condition:
        return "review", f"deux conditions différentes (« {a.condition} », « {b.condition} ») : peuvent-elles être " \
                         "vraies ensemble ?"
    return "same", ""


_MARKS = re.compile(r"(?i:\b(groupe|cat[ée]gorie|classe|niveau|cycle|zone|lot|tranche|section|option)s?)\s+"
                    r"((?:[A-Z]|\d{1,2})\b(?:\s*(?:,|et|ou|/|&)\s*(?:[A-Z]|\d{1,2})\b)*)")
_BELOW = re.compile(r"(?:moins de|-\s*de|inf[ée]rieure? (?:à|a)|jusqu'(?:à|a))\s*(\d[\d\s.]*\d|\d)")
_ABOVE = re.compile(r"(\d[\d\s.]*\d|\d)\s*(?:\w+\s+)?(?:et plus|ou plus)|(?:plus de|au moins|sup[ée]rieure? (?:à|a)|"
                    r"à partir de|a partir de)\s*(\d[\d\s.]*\d|\d)")


def _negated_case(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """``a`` is for those who are not X (« pour les non allocataires CAF »), ``b`` names X in its own label."""
    words = (a.condition or "").split()
    negated = {stem(w) for j, w in enumerate(words) if j and words[j - 1] == "non" for w in words[j:j + 2]}
    negated -= {"pour", "les", "des", "de", "du"}
    if not negated:
        return False
    label_b = b.text.split("\n", 1)[0]
    toks_b = set(tax.tokens(label_b))
    return bool(negated & toks_b) and "non" not in normalise(label_b).split()


def _marks(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in _MARKS.finditer(text or ""):
        noun = normalise(m.group(1)).rstrip("s")
        out.setdefault(noun, set()).update(re.findall(r"[A-Z]|\d{1,2}", m.group(2)))
    return out


def _disjoint_marks(ta: str, tb: str) -> bool:
    """Two wordings naming the same kind of category with no letter or number in common (« Groupe A » /
    « groupes B et C », « catégorie 1 » / « catégorie 2 »)."""
    ma, mb = _marks(ta), _marks(tb)
    return any(ma[n] and mb[n] and not ma[n] & mb[n] for n in ma.keys() & mb.keys())


def _complementary_ranges(ta: str, tb: str) -> bool:
    """« moins de 1000 habitants » in one wording, « 1000 habitants et plus » in the other."""
    def nums(rx: re.Pattern[str], t: str) -> set[str]:
        return {re.sub(r"[\s.]", "", g) for m in rx.finditer((t or "").lower()) for g in m.groups() if g}
    la, lb = nums(_BELOW, ta), nums(_BELOW, tb)
    ga, gb = nums(_ABOVE, ta), nums(_ABOVE, tb)
    return bool((la & gb) - lb - ga) or bool((lb & ga) - la - gb)


_ADDRESSEE = frozenset({"adresse", "adressee", "destine", "destinee", "attention", "intention"})


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_EXAMPLES = re.compile(r"^(?:exemples?|ex|par exemple|a titre d exemple)\b")
# « Joindre notamment les certifications et CV des agents », « tous documents (courriers, projet d'acte ou de
# bail) » : pieces given as examples of what a slot may hold, none asked in particular
_EXAMPLES_ANYWHERE = re.compile(r"\b(?:notamment|par exemple|tel que|tels que|telle que|telles que)\b"
                                r"|^(?:tous|tout|toute|toutes) (?:les )?(?:documents?|pieces?|justificatifs?|elements?)\b")
_TRAILING_IF = re.compile(r"\s(?:si|uniquement si|seulement si|lorsque|en cas de|en cas d)\s.+$")
_REQUIRED_WHEN = ("a fournir si", "a fournir uniquement", "obligatoire si", "obligatoire pour", "piece obligatoire",
                  "uniquement si", "uniquement pour", "seulement si", "seulement pour", "a joindre si",
                  "a joindre uniquement")
def _base_subject(subject: str | None) -> str:
    """"enfant-2" → "enfant" ("representant-legal" keeps its hyphen)."""
    return re.sub(r"-\d+$", "", subject or "")


_HOUSEHOLD = {"demandeur", "conjoint", "enfant", "representant-legal", "famille"}


def _tail_slots(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """Two labels worded alike for most of their length that end differently ("Carte grise ou bon
    de commande des véhicules correspondant à la catégorie B" / "… catégorie AM"): one wording for
    several slots.  Both tails must say something (not a plain word, a person or a side)."""
    wa = normalise(a.text.split("\n", 1)[0]).split()
    wb = normalise(b.text.split("\n", 1)[0]).split()
    k = 0
    while k < min(len(wa), len(wb)) and wa[k] == wb[k]:
        k += 1
    # a condition shared by its first words ("(Si hébergement…)" / "(Si candidat mineur…)") is where they part
    k = next((j for j in range(k) if tax.is_condition(" ".join(wa[j:j + 6]))), k)
    if k < 4 or k < 0.6 * max(len(wa), len(wb)):
        return False
    ta, tb = wa[k:], wb[k:]
    if not ta or not tb or tax.is_condition(" ".join(ta)) or tax.is_condition(" ".join(tb)):
        return False  # two conditions: alternatives or review, decided by the conditions

    def meaningful(words: list[str]) -> bool:
        toks = tax.tokens(" ".join(words))
        subj = {t for h in tax.hits(toks) if h.kind == "subject" for t in toks[h.start:h.end]}
        return any(t not in tax.plain_words and t not in subj and t not in ("recto", "verso") for t in toks) \
            or any(w.isdigit() or len(w) <= 3 for w in words)

    return meaningful(ta) and meaningful(tb)


def _variant_of(c: Classification, doc: str, tax: "Taxonomy") -> str | None:
    """The one variant of ``doc`` a request names ("statuts et récépissé de déclaration en
    préfecture": the préfecture's receipt, not the Journal officiel), else None."""
    if c.document == doc and len(c.documents) == 1:
        return c.variant
    vs = [v for v in c.variants if tax.variant_parent.get(v) == doc]
    return vs[0] if len(vs) == 1 else None


def source_applies(tax: "Taxonomy", doc: str, c: Classification, context: str) -> bool:
    """Whether the requesting administration may obtain ``doc`` itself for this
    request: the source exists, this démarche is one of its users (when the
    source names them) and the request's wording does not put the document
    out of reach (a translated foreign birth act)."""
    entry = tax.documents.get(doc)
    if entry is None or entry.source is None:
        return False
    users = tax.source_users.get(doc) or []
    if users:
        ctx = f" {' '.join(tax.tokens(context))} "
        if not any(f" {u} " in ctx for u in users):
            return False
    blockers = tax.source_not_when.get(doc) or []
    if blockers:
        txt = f" {' '.join(tax.tokens(c.text))} "
        if any(f" {u} " in txt for u in blockers):
            return False
    return True


def _cliques(n: int, same: set[tuple[int, int]]) -> list[list[int]]:
    """Groups of requests that are pairwise the same document.  Joining by
    transitivity would make « salle 1 » and « salle 2 » one group because each
    repeats a third request; a group is reported only when every pair in it
    is a repetition (greedy, in form order)."""
    groups: list[list[int]] = []
    for a, b in sorted(same):
        ga = next((g for g in groups if a in g), None)
        gb = next((g for g in groups if b in g), None)
        if ga is not None and ga is gb:
            continue
        if ga is None and gb is None:
            groups.append([a, b])
            continue
        if ga is not None and gb is not None:
            if all((min(x, y), max(x, y)) in same for x in ga for y in gb):
                ga.extend(gb)
                groups.remove(gb)
            continue
        g, new = (ga, b) if ga is not None else (gb, a)
        if all((min(x, new), max(x, new)) in same for x in g):  # type: ignore[union-attr]
            g.append(new)  # type: ignore[union-attr]
    # a repetition left out of every group (« carte grise » asked again under two cases) is its own pair
    covered = {(min(x, y), max(x, y)) for g in groups for x in g for y in g if x != y}
    extra = [[a, b] for a, b in sorted(same - covered)
             if not any(a in g and b in g for g in groups)]
    return [sorted(g) for g in groups] + extra


def _same_words(tax: Taxonomy, a: Any, b: Any) -> bool:
    """Two labels that differ only by accents, case, punctuation or stop words ("Piece identité" /
    "Pièce d'identité")."""
    def words(x: Any) -> list[str]:
        return [w for w in normalise(str(x)).split() if w not in _ELISIONS]

    return bool(a) and bool(b) and words(a) == words(b)


_ELISIONS = {"d", "de", "du", "des", "l", "la", "le", "les", "s"}


def _chain_alternatives(uploads: list[DocumentRequest]) -> None:
    """A request whose label begins with « ou » ("ou copie des quittances de loyer") is an
    alternative to the one before it: the user provides one of them, never both."""
    chain: str | None = None
    for k, r in enumerate(uploads):
        label = normalise(str(r.evidence.get("label") or ""))
        if k and (label.startswith("ou ") or label == "ou"):
            prev = uploads[k - 1]
            if chain is None:
                chain = f"ou:{k - 1}"
                prev.c.alternative = (chain, str(k - 1))
            r.c.alternative = (chain, str(k))
        else:
            chain = None


def analyse_requests(reqs: list[DocumentRequest], tax: Taxonomy, *, identical_labels_review: bool = False,
                     context: str = "") -> Findings:
    """Repeated, already-held and typed-and-uploaded requests of one démarche.

    ``identical_labels_review``: two request points with exactly the same
    label and help are reported for review, not as a repetition.  For form
    descriptions (catalogue) this is right: conditional champs are not in the
    dataset, and the same champ duplicated is usually shown under one
    condition or the other, or asks for several items."""
    uploads = [r for r in reqs if not r.typed]
    typed = [r for r in reqs if r.typed]
    _chain_alternatives(uploads)
    logical = _merge_parts(uploads)

    by_doc: dict[tuple[str, str], list[int]] = {}
    for i, lr in enumerate(logical):
        for d in lr.c.documents:
            by_doc.setdefault((lr.scope, d), []).append(i)

    repeated: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    avoidable: dict[int, str] = {}
    for (scope, doc), idxs in by_doc.items():
        if len(idxs) < 2:
            continue
        same: set[tuple[int, int]] = set()
        for a in range(len(idxs)):
            for b in range(a + 1, len(idxs)):
                la, lb = logical[idxs[a]], logical[idxs[b]]
                rel, why = _relation(la.c, lb.c, doc, tax)
                if rel == "same" and tax.documents.get(doc) is not None and tax.documents[doc].multiple:
                    rel, why = "review", "plusieurs pièces de ce type sont souvent attendues"
                ea, eb = la.members[0].evidence, lb.members[0].evidence
                if rel == "same" and identical_labels_review and ea.get("label") != eb.get("label") and (
                        ea.get("hint") == eb.get("hint")
                        and (_same_words(tax, ea.get("label"), eb.get("label"))
                             or len(str(ea.get("hint") or "").strip()) >= 40)):
                    rel, why = "review", ("deux champs presque identiques (même libellé ou même consigne) : sans doute "
                                          "affichés sous conditions différentes ou pour des personnes différentes")
                if rel == "same" and identical_labels_review and ea.get("label") == eb.get("label"):
                    rel, why = "review", ("deux champs identiques : sans doute affichés sous conditions différentes"
                                          if ea.get("hint") == eb.get("hint") else
                                          "même libellé, consignes différentes : sans doute une pièce par cas")
                if rel == "same":
                    same.add((a, b))
                elif rel == "review":
                    review.append({
                        "document": doc,
                        "reason": f"Même pièce demandée deux fois ? {why[0].upper()}{why[1:]}.",
                        "requests": logical[idxs[a]].evidence() + logical[idxs[b]].evidence(),
                    })
        for group in _cliques(len(idxs), same):
            members = [idxs[k] for k in group]
            first = logical[members[0]].c
            repeated.append({
                "document": doc,
                "label": tax.labels.get(doc, doc),
                "variant": first.variant if all(logical[m].c.variant == first.variant for m in members) else None,
                "subject": first.subject,
                "period": first.period,
                "requests": [e for m in members for e in logical[m].evidence()],
                "reason": f"« {tax.labels.get(doc, doc)} » demandée {len(members)} fois"
                          f" (personne : {tax.subject_labels.get((first.subject or '').split('-')[0], first.subject)}"
                          + (f", période : {', '.join(first.period)}" if first.period else "") + ").",
            })
            for m in members[1:]:
                avoidable.setdefault(m, "répétition")

    already: dict[str, dict[str, Any]] = {}
    for i, lr in enumerate(logical):
        # the document the request is about: "pièce d'identité des représentants désignés par les
        # statuts" asks for identity papers, not for the articles it mentions
        for d in lr.c.documents[:1]:
            src = tax.source_text(d)
            if src is None or not source_applies(tax, d, lr.c, context):
                continue
            entry = tax.documents[d]
            item = already.setdefault(d, {
                "document": d, "label": entry.label, "source": src,
                "api": entry.source.api if entry.source else None,
                "administration": entry.source.administration if entry.source else None,
                "requests": [],
                "reason": f"« {entry.label} » peut être obtenue directement : {src}"
                          + (f" ({entry.source.users_label})" if entry.source and entry.source.users_label else "")
                          + ".",
                **({"users": entry.source.users_label} if entry.source and entry.source.users_label else {}),
            })
            item["requests"].extend(lr.evidence())
            avoidable.setdefault(i, "déjà détenue")

    typed_and_uploaded: list[dict[str, Any]] = []
    for t in typed:
        field_def = next((f for f in tax.model.typed_fields if f.id == t.typed_field), None)
        if field_def is None:
            continue
        for i, lr in enumerate(logical):
            if lr.scope != t.scope:
                continue
            common = [d for d in lr.c.documents if d in field_def.documents]
            if not common:
                continue
            typed_and_uploaded.append({
                "document": common[0],
                "field": field_def.id,
                "requests": [t.evidence] + lr.evidence(),
                "reason": f"{field_def.label} dans le formulaire et « {tax.labels.get(common[0], common[0])} »"
                          " téléversé : la même information est demandée deux fois.",
            })
            avoidable.setdefault(i, "saisie et pièce")

    unmatched = [e for lr in logical if lr.c.document is None and not lr.c.generic for e in lr.evidence()]
    generic = [e for lr in logical if lr.c.document is None and lr.c.generic for e in lr.evidence()]
    return Findings(
        requests=len(logical),
        repeated=repeated,
        already_held=list(already.values()),
        typed_and_uploaded=typed_and_uploaded,
        review=review,
        unmatched=unmatched,
        generic=generic,
        score=len(avoidable),
        avoidable=[{"why": why, "requests": logical[i].evidence()} for i, why in sorted(avoidable.items())],
    )
