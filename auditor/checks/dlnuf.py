"""« Dites-le-nous une fois » on crawled step pages.

A *request* is a file input on a step page: native ``<input type=file>``,
DSFR ``fr-upload``, or the hidden input behind a custom widget (captured with
``visible=False`` but ``shown=True``: its block is displayed).  An input whose
whole block is hidden (the next step of a single-page app, already in the DOM)
is counted on the page that shows it, and listed for review if none does.  The words that name the document come from the control's
label, then — when the label says nothing ("Ajouter un fichier") — its hint,
fieldset legend, companion select ("Type de justificatif" and its options),
group context and nearest heading.  A page that only lists the documents to
prepare ("Pièces à fournir") has no file input and requests nothing.  Annex
pages never count.

Classification and findings come from :mod:`auditor.documents`, shared with
``auditor catalogue``: repetitions (same document, person, period, on two
request points), documents an administration already holds (with the API),
information both typed and uploaded (IBAN + RIB), and ``score`` = the number
of avoidable requests, which :mod:`auditor.score` turns into ``indicators.dlnuf``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..documents import DocumentRequest, Taxonomy, analyse_requests, normalise, taxonomy_from
from ..model import Capture, CheckResult, Control, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe

if TYPE_CHECKING:
    from ..config import Rules

_COMPANION_WORDS = ("type", "nature", "choix", "choisissez", "selectionnez", "quel", "quelle")


def _is_file(c: Control) -> bool:
    return c.tag == "input" and c.type.lower() == "file"


def _companion_options(page: PageCapture, ctl: Control, pos: int) -> list[str]:
    """Options of a select that qualifies this upload: same fieldset legend or
    group, or just before it and labelled "Type de justificatif"/"Nature de la pièce"."""
    best: list[str] = []
    for j, other in enumerate(page.controls):
        if other.tag != "select" or not other.options:
            continue
        same_group = bool(ctl.legend) and other.legend == ctl.legend
        same_ctx = bool(ctl.context) and other.context == ctl.context
        lab = normalise(other.label)
        near = 0 < pos - j <= 2 and any(w in lab.split() for w in _COMPANION_WORDS)
        if same_group or same_ctx or near:
            best = [o for o in other.options if o.strip()]
    return best


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _evidence_label(ctl: Control, tax: Taxonomy) -> str:
    """What the user reads as the request's name: the accessible name, else
    (an unlabelled input behind a custom widget) the line of its block that
    names a document — the champ's title — else the block's first line."""
    if ctl.label:
        return ctl.label
    for text in (ctl.context, ctl.legend, ctl.heading):
        if text:
            an, line = tax.first_naming_line(text)
            if an.documents:
                return _excerpt(line)
    return _excerpt((ctl.context or ctl.legend or ctl.heading).split("\n")[0])


def page_requests(page: PageCapture, tax: Taxonomy) -> list[tuple[Control, Any]]:
    """Each file input the page shows, with its classification (deduplicated
    by selector).  An input whose whole block is not displayed (a step of a
    single-page app already in the DOM but not yet shown, a closed tab) is not
    in front of the user on this page: see :func:`hidden_uploads`."""
    out = []
    seen: set[str] = set()
    for pos, ctl in enumerate(page.controls):
        if not _is_file(ctl) or not ctl.shown or ctl.selector in seen:
            continue
        seen.add(ctl.selector)
        others = [("legend", ctl.legend), ("context", ctl.context), ("heading", ctl.heading)]
        c = tax.classify(
            ctl.label,
            ctl.hint,
            others=[(n, t) for n, t in others if t and t != ctl.label],
            options=_companion_options(page, ctl, pos),
            subject_context=[ctl.legend, ctl.heading],
            condition_context=ctl.legend if ctl.legend and tax.is_condition(ctl.legend) else None,
        )
        out.append((ctl, c))
    return out


def help_requests(tax: Taxonomy, asked: list[tuple[Control, Any]]) -> list[tuple[Control, Any, str]]:
    """Pieces a group's help asks for in a case it names (« Dans le cas de dossiers portant sur des travaux […],
    fournir l'avant-projet établi par le maître d'œuvre », said once for a block of uploads): a request of its
    own, cited by the group's first upload, as the catalogue reads a ``Repetition`` block's description
    (:meth:`~auditor.documents.classify.ClassifyMixin.instructed_requests`); and those a field's own help asks
    for in a case (:meth:`~auditor.documents.classify.ClassifyMixin.field_help_requests`), cited by that field.
    ``(control, classification, sentence)``."""
    groups: dict[str, list[tuple[Control, Any]]] = {}
    for ctl, c in asked:
        if ctl.group_help:
            groups.setdefault(ctl.group_help, []).append((ctl, c))
    from_groups = [(members[0][0], c, sentence) for text, members in groups.items()
                   for c, sentence in tax.instructed_requests(text, [c.documents for _, c in members],
                                                              [members[0][0].legend, members[0][0].heading])]
    # a field's own help asking, in a case, for a piece besides the field's (« Si hébergement à l'hôtel :
    # attestation de l'hôtelier ») — as the catalogue reads a champ's description
    from_fields = [(ctl, extra, sentence) for ctl, c in asked if ctl.hint
                   for extra, sentence in tax.field_help_requests(ctl.hint, c, [ctl.legend, ctl.heading])]
    return from_groups + from_fields


def hidden_uploads(page: PageCapture) -> list[Control]:
    """File inputs present in the page but in a block that is not displayed."""
    return [c for c in page.controls if _is_file(c) and not c.shown]


def _typed_controls(page: PageCapture, tax: Taxonomy) -> list[tuple[Control, str]]:
    out = []
    for ctl in page.controls:
        if ctl.tag in ("input", "textarea") and ctl.type.lower() not in ("file", "checkbox", "radio", "submit",
                                                                          "button", "hidden", "image", "reset"):
            t = tax.typed_field(label=ctl.label)
            if t is not None:
                out.append((ctl, t.id))
    return out


def _labels(tax: Taxonomy, page_fields: dict[int, dict[str, Any]]) -> dict[str, str]:
    """French labels of the documents, variants and persons the scorecard cites."""
    out: dict[str, str] = {}
    for fields in page_fields.values():
        for r in fields["requests"]:
            for ident in r["documents"] + ([r["variant"]] if r["variant"] else []):
                out[ident] = tax.labels.get(ident, ident)
            if r["subject"]:
                base = r["subject"].rsplit("-", 1)
                sid = base[0] if len(base) == 2 and base[1].isdigit() else r["subject"]
                label = tax.subject_labels.get(sid, sid)
                out[r["subject"]] = label + (f" {base[1]}" if sid != r["subject"] else "")
    return out


@check("dlnuf")
def dlnuf(capture: Capture, rules: "Rules") -> CheckResult:
    """Document requests of the step pages and what could be avoided."""
    tax = taxonomy_from(rules)
    reqs: list[DocumentRequest] = []
    page_fields: dict[int, dict[str, Any]] = {}
    state_seen: dict[tuple[str, str, str, str], int] = {}
    revisits: list[dict[str, Any]] = []
    hidden: dict[tuple[str, str], dict[str, Any]] = {}
    for page in capture.step_pages():
        listed = []
        asked = page_requests(page, tax)
        for ctl, c, sentence in [(ctl, c, "") for ctl, c in asked] + help_requests(tax, asked):
            entry = {
                # a piece asked in a group's help is cited by that sentence, beside the group's first upload
                "label": _excerpt(sentence, 300) if sentence else _evidence_label(ctl, tax),
                "hint": sentence or ctl.hint,
                "selector": ctl.selector,
                **c.to_dict(),
                **({"from_help": True} if sentence else {}),
            }
            if c.ambiguous:
                entry["ambiguous"] = c.ambiguous
            listed.append(entry)
            evidence = {"url": page.url, "page": page.index, "label": entry["label"], "selector": ctl.selector}
            # the same step seen twice (an SPA re-render, a "retour" click) is not a new request
            key = (page.url, ctl.selector, sentence or ctl.label, "|".join(page.headings))
            if key in state_seen and state_seen[key] != page.index:
                revisits.append({
                    "document": c.document,
                    "reason": "Même champ, même adresse et mêmes titres sur deux pages : étape revisitée plutôt "
                              "que nouvelle demande ; non comptée comme répétition.",
                    "requests": [{"url": page.url, "page": state_seen[key], "label": entry["label"],
                                  "selector": ctl.selector}, evidence],
                })
                continue
            state_seen[key] = page.index
            reqs.append(DocumentRequest(evidence=evidence, c=c))
        for ctl, field_id in _typed_controls(page, tax):
            reqs.append(DocumentRequest(
                evidence={"url": page.url, "page": page.index, "label": ctl.label, "selector": ctl.selector},
                c=tax.classify(""), typed=True, typed_field=field_id,
            ))
        page_fields[page.index] = {"requests": listed}
        for ctl in hidden_uploads(page):
            hidden.setdefault((page.url, ctl.selector), {
                "url": page.url, "page": page.index,
                "label": _evidence_label(ctl, tax), "selector": ctl.selector,
            })

    # who asks decides whether a source may serve (COMEDEC for a civil-status service, not a school)
    steps = capture.step_pages()
    context = "\n".join(str(capture.demarche.get(k) or "") for k in ("name", "title", "organisme", "id"))
    context += "\n" + (steps[0].title if steps else "")
    f = analyse_requests(reqs, tax, context=context)
    shown_at = {(r.evidence["url"], r.evidence["selector"]) for r in reqs}
    never_shown = [
        {"document": None,
         "reason": "Champ de dépôt présent dans la page mais masqué lors du parcours (étape suivante d'une "
                   "application monopage, onglet fermé, bloc conditionnel) : non compté.",
         "requests": [e]}
        for key, e in hidden.items() if key not in shown_at
    ]
    unmatched_review = [
        {"document": None, "reason": "Pièce demandée non reconnue par la taxonomie : à classer à la main.",
         "requests": [e]}
        for e in f.unmatched
    ]
    block = {
        "requests": f.requests,
        "repeated": f.repeated,
        "already_held": f.already_held,
        "typed_and_uploaded": f.typed_and_uploaded,
        "score": f.score,
        "avoidable": f.avoidable,
        "unmatched": f.unmatched,
        "generic": f.generic,
        "review": f.review + revisits + unmatched_review + never_shown,
        "labels": _labels(tax, page_fields),
    }
    return CheckResult(key="dlnuf", block=block, page_fields=page_fields)

# --------------------------------------------------------------------------- findings


def _evidence(requests: list[Any]) -> list[dict[str, Any]]:
    return [{k: r[k] for k in ("url", "label", "selector") if r.get(k)} for r in requests or [] if isinstance(r, dict)]


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """Repeated and already-held requests of the ``dlnuf`` block."""
    from ..report.findings import _clean

    dl, start = card["dlnuf"], card.get("url")
    out: list[CheckFinding] = []
    for item in dl.get("repeated") or []:
        doc = str(item.get("document") or "?")
        reqs = item.get("requests") or []
        label = _clean(item.get("label") or ((reqs[0] or {}).get("label") if reqs else doc), 120)
        out.append(CheckFinding(
            rule="dlnuf/repeated", category="repeated", message=f"Pièce « {label} » demandée {len(reqs)} fois ({doc})",
            url=(reqs[0] or {}).get("url") if reqs else start, target=doc, evidence=_evidence(reqs),
            # the same document asked for two people (applicant, spouse) is two findings
            identity=(doc, *([str(item["subject"])] if item.get("subject") else []))))
    for item in dl.get("already_held") or []:
        doc = str(item.get("document") or "?")
        reqs = item.get("requests") or []
        label = _clean(item.get("label") or ((reqs[0] or {}).get("label") if reqs else doc), 120)
        source = _clean(item.get("source") or "une administration", 120)
        out.append(CheckFinding(
            rule="dlnuf/already-held", category="already-held",
            message=f"Pièce « {label} » déjà détenue par l'administration ({source})",
            url=(reqs[0] or {}).get("url") if reqs else start, target=doc, evidence=_evidence(reqs), identity=(doc,)))
    return out


META = describe(CheckMeta(
    section="dlnuf",
    id="dlnuf", title="Dites-le-nous une fois", block="dlnuf", order=30,
    not_checked="« dites-le-nous une fois » non vérifié", gates=("repeated", "already-held"), findings=card_findings,
    rules=(Rule("dlnuf/repeated", "Pièce justificative demandée plusieurs fois",
                "La même pièce est demandée à plusieurs étapes (principe « dites-le-nous une fois »)."),
           Rule("dlnuf/already-held", "Pièce déjà détenue par l'administration",
                "La pièce demandée est déjà détenue par une administration et peut être obtenue par échange de "
                "données."))))
