"""What a request says once read: :class:`TextAnalysis` for one piece of
text, :class:`Classification` for a whole request (label, help, surroundings).

Apart from the reading so that the comparison (``repetition``,
``conditions``) and the two sources (``checks/dlnuf.py``, the catalogue)
share these shapes without the code that fills them.  The helpers of person
ids (``_base_subject``, ``_HOUSEHOLD``) sit here because both the
classification and the comparison read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
    and_or: bool = False  # « X et/ou Y »: one of them or both, none asked first
    either_unknown: bool = False  # « X ou Y » where only Y is a document the taxonomy knows
    joined: bool = False  # several pieces named, all asked (« une facture … ET le bail »): none is a choice


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
    # a help that only says for whom, when the label already says when: « Si la subvention dépasse 45 730 € :
    # bilans… » / help « Pour les associations »; both hold, and either can exclude another request
    hint_condition: str | None = None
    context_text: str = ""  # the section's condition as written, for the reasons a reader sees
    matched_on: str | None = None  # label | hint | legend | options | context | heading | type
    text: str = ""  # the request's own wording (label and help), for a source's ``not_when``
    ambiguous: str | None = None  # why a document was not retained, in French
    # the pieces a help names for a slot when it names several and the slot asks none in particular (« … comprenant
    # l'extrait de KBIS et/ou les statuts »): not a request of any, but held when every one is
    candidates: list[str] = field(default_factory=list)
    # (common wording, what tells the slot apart): "Passeport (Visa d'entrée)" → ("passeport", "visa entree")
    slot: tuple[str, str] | None = None
    either: bool = False  # « X ou Y »: the user provides one of the documents named
    and_or: bool = False  # « X et/ou Y »: one of them or both, none asked first
    either_unknown: bool = False  # « X ou Y », X a piece the taxonomy does not know: the user may give X
    joined: bool = False  # several pieces named, all asked (« une facture … ET le bail »): none is a choice
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


def _base_subject(subject: str | None) -> str:
    """"enfant-2" → "enfant" ("representant-legal" keeps its hyphen)."""
    return re.sub(r"-\d+$", "", subject or "")


_HOUSEHOLD = {"demandeur", "conjoint", "enfant", "fratrie", "representant-legal", "famille"}
