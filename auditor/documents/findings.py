"""The requests of one démarche compared (:func:`analyse_requests`): repeated,
already held, typed and uploaded, for review, unmatched and generic.

The entry point of both sources: each builds :class:`DocumentRequest`
objects (a page's file inputs, a catalogue procedure's champs) and reads
the :class:`Findings`, so a repetition means the same thing whichever way
the form was read.  Recto and verso of one document are one request
(``_merge_parts``); a label starting with « ou » is an alternative to the
one before it (``_chain_alternatives``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .already_held import source_applies
from .model import Classification
from .repetition import _cases_both_hold, _cliques, _relation, _same_words
from .text import normalise

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

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


def _one_field(a: Logical, b: Logical) -> bool:
    """Whether two requests are read off one field: the field, and a piece its help asks for in a case
    (``from_help``)."""
    def where(lr: Logical) -> set[tuple[Any, ...]]:
        return {(e.get("url"), e.get("page"), e.get("ref"), e.get("selector")) for e in (m.evidence for m in lr.members)
                if e.get("ref") is not None or e.get("selector") is not None}
    return bool(where(a) & where(b))


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
                if _one_field(la, lb):
                    continue  # a field and a piece its own help asks in a case: the field is that piece's slot
                rel, why = _relation(la.c, lb.c, doc, tax)
                if rel == "same" and scope and (la.c.part or lb.c.part):
                    # a block filled once per person or item with several sides or pages of its document
                    # (« … (recto) », « … (recto) », « … (verso) »…): slots of that person's pieces
                    rel = "distinct"
                if rel == "same" and tax.documents.get(doc) is not None and tax.documents[doc].multiple:
                    rel, why = "review", "plusieurs pièces de ce type sont souvent attendues"
                ea, eb = la.members[0].evidence, lb.members[0].evidence
                # the same wording typed twice, a space more or less (« et/ou  les statuts »): one label
                # (« Carte Vitale » / « Carte vitale »: the same wording, a capital more or less)
                lab_a, lab_b = (" ".join(str(e.get("label") or "").split()).casefold() for e in (ea, eb))
                # copies shown under two stated conditions that both hold (« Dans le cas d'acquisitions » / « Dans
                # le cas de travaux ») are explained: the user meets both
                copies_review = identical_labels_review and not _cases_both_hold(la.c, lb.c, tax)
                if rel == "same" and copies_review and lab_a != lab_b and (
                        ea.get("hint") == eb.get("hint")
                        and (_same_words(tax, ea.get("label"), eb.get("label"))
                             or len(str(ea.get("hint") or "").strip()) >= 40)):
                    rel, why = "review", ("deux champs presque identiques (même libellé ou même consigne) : sans doute "
                                          "affichés sous conditions différentes ou pour des personnes différentes")
                if rel == "same" and copies_review and lab_a == lab_b:
                    rel, why = "review", ("deux champs identiques : sans doute affichés sous conditions différentes"
                                          if ea.get("hint") == eb.get("hint") else
                                          "même libellé, consignes différentes : sans doute une pièce par cas")
                if rel == "same":
                    same.add((a, b))
                elif rel == "review":
                    review.append({
                        "document": doc,
                        "reason": f"Même pièce demandée deux fois ? {why[0].upper()}{why[1:]}"
                                  + ("" if why.endswith(("?", ".", "!")) else "."),
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
        # statuts" asks for identity papers, not for the articles it mentions; a slot whose help names several
        # pieces, none in particular (« … l'extrait de KBIS et/ou les statuts »), when the administration may
        # obtain every one of them
        held_all = not lr.c.documents and len(lr.c.candidates) > 1 and all(
            tax.source_text(d) is not None and source_applies(tax, d, lr.c, context) for d in lr.c.candidates)
        for d in lr.c.documents[:1] or (lr.c.candidates[:1] if held_all else []):
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
