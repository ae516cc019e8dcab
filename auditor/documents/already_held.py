"""Documents an administration already holds (« déjà détenue »): whether the
requesting administration may obtain a document itself for one request.

A source of ``rules/justificatifs.yaml`` names an API and its
administration, and may name whom it serves and which wording puts the
document out of its reach (a translated foreign birth act); the finding is
measured on its own, apart from the repetitions, so its rule is apart too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .model import Classification
from .text import normalise

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

# a clause that leaves something out, to the end of its sentence (read per sentence of the raw text)
_EXCEPT = re.compile(r"\b(?:ne concerne pas|ne s applique pas|non concernee?s?|sauf|hors|a l exception d\w*|excepte)\b.*")


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
        # « NE CONCERNE PAS LES COLLECTIVITES OU EPCI », « sauf pour les sociétés en formation »: what a clause
        # leaves out does not put the document out of reach
        kept = " ".join(_EXCEPT.sub(" ", normalise(part)) for part in re.split(r"[.;:\n]", c.text))
        txt = f" {' '.join(tax.tokens(kept))} "
        if any(f" {u} " in txt for u in blockers):
            return False
    return True
