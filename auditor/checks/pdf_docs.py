"""Documents linked from the démarche: accessible PDFs (RGAA 13.3, PDF/UA).

Forms such as Cerfa are often PDFs a user must read or fill in.  RGAA 13.3
asks that every office document offered for download has, when needed, an
accessible version.  The collector fetches the documents the steps link to
(``collect/linked_documents.py``) and keeps the facts ``auditor.pdf_facts``
reads; this check judges them:

- tagged (``StructTreeRoot`` and ``MarkInfo``), PDF/UA 7.1;
- document language (``/Lang``), PDF/UA 7.2;
- a title shown in the title bar (``DisplayDocTitle``), PDF/UA 7.1;
- real text, not an image-only scan, PDF/UA 7.1 / 7.3;
- form fields with an accessible name (``/TU``), PDF/UA 7.18.1;
- no encryption that shuts assistive technologies out, PDF/UA 7.16.

An accessible alternative stated beside the link (« version accessible »,
« remplir le formulaire en ligne ») turns a finding into ``review``: RGAA 13.3
is met when such a version exists, but someone should check it.  Office
documents (docx, odt, xlsx…) are listed with their format, not analysed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..model import Capture, CheckResult, LinkedDocument, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._frtext import fold, fold_words, page_links
from .observatoire_rules import DocumentsRules, observatoire_rules, search

if TYPE_CHECKING:
    from ..config import Rules

OUI, PARTIEL, NON, VERIFY, NA = "Oui", "Partiel", "Non", "À vérifier", "Non applicable"
MAX_FIELD_FINDINGS = 20  # per document (the count stays exact)

# rule id → title, references (RGAA criteria, PDF/UA clause, WCAG)
PDF_RULES: dict[str, dict[str, Any]] = {
    "pdf/untagged": {"title": "PDF non balisé (pas d'arbre de structure)", "rgaa": ["13.3"],
                     "pdfua": "ISO 14289-1 § 7.1", "wcag": ["1.3.1"]},
    "pdf/no-lang": {"title": "Langue du document non indiquée", "rgaa": ["13.3"],
                    "pdfua": "ISO 14289-1 § 7.2", "wcag": ["3.1.1"]},
    "pdf/no-title": {"title": "Titre du document non affiché dans la barre de titre", "rgaa": ["13.3"],
                     "pdfua": "ISO 14289-1 § 7.1 (dc:title, DisplayDocTitle)", "wcag": ["2.4.2"]},
    "pdf/image-only": {"title": "Pages sans texte (image numérisée)", "rgaa": ["13.3"],
                       "pdfua": "ISO 14289-1 § 7.1, 7.3", "wcag": ["1.1.1", "1.4.5"]},
    "pdf/field-no-name": {"title": "Champ de formulaire sans nom accessible (TU)", "rgaa": ["13.3", "11.1"],
                          "pdfua": "ISO 14289-1 § 7.18.1", "wcag": ["1.3.1", "4.1.2"]},
    "pdf/encryption": {"title": "Chiffrement qui bloque les technologies d'assistance", "rgaa": ["13.3"],
                       "pdfua": "ISO 14289-1 § 7.16", "wcag": ["1.3.1"]},
    "pdf/unreadable": {"title": "PDF illisible", "rgaa": ["13.3"], "pdfua": "", "wcag": []},
}


def document_format(href: str, text: str, cfg: DocumentsRules) -> str | None:
    """The format of a linked document (``pdf``, ``docx``…), from its
    address's extension, else from the link's words; None for a page."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    path = unquote(parts.path).lower()
    for fmt, exts in cfg.formats.items():
        if path.endswith(tuple(exts)):  # one C call per format: every link of every page comes here
            return fmt
    if text and search(cfg.link_text, fold_words(text)):
        return "pdf"
    return None


def document_links(page: PageCapture, cfg: DocumentsRules) -> list[tuple[str, str, str, str]]:
    """(href without fragment, format, link text, selector) of every document link of a page."""
    out: list[tuple[str, str, str, str]] = []
    for link in page_links(page):
        fmt = document_format(link.href, link.text, cfg)
        if fmt:
            href = link.href.split("#")[0]
            if not any(o[0] == href for o in out):
                out.append((href, fmt, (link.text or "").strip(), link.selector))
    return out


def _alternative(doc: LinkedDocument, pages: dict[int, PageCapture], cfg: DocumentsRules,
                 window: int = 250) -> dict[str, str] | None:
    """An accessible alternative stated near the link (its words, or a link beside it)."""
    page = pages.get(doc.page_index) if doc.page_index is not None else None
    if page is None:
        page = next((p for p in pages.values() if p.url == doc.linked_from), None)
    own = fold_words(doc.link_text)
    if own and search(cfg.alternative, own):
        return {"text": doc.link_text[:200], "url": doc.linked_from}
    if page is None:
        return None
    folded = fold(page.text or "")
    at = folded.find(own) if own else -1
    if at >= 0:
        a, b = max(0, at - window), min(len(folded), at + len(own) + window)
        m = search(cfg.alternative, folded[a:b])
        if m:
            s = page.text[a + m.start():a + m.end()]
            return {"text": re.sub(r"\s+", " ", s).strip()[:200], "url": page.url}
    return None


def _finding(rule: str, doc: LinkedDocument, status: str, message: str, **evidence: Any) -> dict[str, Any]:
    meta = PDF_RULES[rule]
    return {"id": rule, "status": status, "title": meta["title"], "message": message, "rgaa": meta["rgaa"],
            "pdfua": meta["pdfua"], "wcag": meta["wcag"],
            "evidence": {"url": doc.final_url or doc.url, "linked_from": doc.linked_from, "link_text": doc.link_text,
                         "file_name": doc.file_name, **evidence}}


def judge_pdf(doc: LinkedDocument, status: str) -> list[dict[str, Any]]:
    """The findings of one analysed PDF (``status``: fail, or review when an alternative is offered)."""
    f = doc.pdf or {}
    name = doc.file_name or doc.url
    out: list[dict[str, Any]] = []
    if f.get("error"):
        if f.get("needs_password"):
            return [_finding("pdf/encryption", doc, status, f"{name} : protégé par un mot de passe, illisible "
                                                            "sans lui")]
        return [_finding("pdf/unreadable", doc, "review", f"{name} : {f['error']}")]
    if not f.get("tagged") or not f.get("marked"):
        what = "ni arbre de structure ni MarkInfo" if not f.get("tagged") and not f.get("marked") else \
            ("pas d'arbre de structure (StructTreeRoot)" if not f.get("tagged") else "MarkInfo absent ou faux")
        out.append(_finding("pdf/untagged", doc, status, f"{name} : PDF non balisé ({what})"))
    if not f.get("lang"):
        out.append(_finding("pdf/no-lang", doc, status, f"{name} : langue du document (/Lang) non indiquée"))
    if not f.get("title") or not f.get("display_doc_title"):
        what = "pas de titre" if not f.get("title") else f"titre « {f['title'][:80]} » non affiché (DisplayDocTitle)"
        out.append(_finding("pdf/no-title", doc, status, f"{name} : {what}"))
    image_only = f.get("image_only_pages") or []
    if f.get("pages_analysed") and not f.get("text_pages"):
        out.append(_finding("pdf/image-only", doc, status, f"{name} : aucun texte, document numérisé en image",
                            page=image_only[0] if image_only else 1, pages=image_only[:50]))
    elif image_only:
        out.append(_finding("pdf/image-only", doc, status,
                            f"{name} : {len(image_only)} page(s) sans texte (image seule)",
                            page=image_only[0], pages=image_only[:50]))
    unnamed = [fl for fl in f.get("fields") or [] if not (fl.get("tu") or "").strip()]
    for fl in unnamed[:MAX_FIELD_FINDINGS]:
        out.append(_finding("pdf/field-no-name", doc, status,
                            f"{name} : champ « {fl.get('name') or '?'} » sans nom accessible (TU)",
                            field=fl.get("name") or "", page=fl.get("page")))
    if f.get("encrypted") and not f.get("accessibility_allowed", True):
        out.append(_finding("pdf/encryption", doc, status,
                            f"{name} : chiffré, l'accès des technologies d'assistance est interdit"))
    return out


def candidate_documents(capture: Capture, cfg: DocumentsRules) -> list[LinkedDocument]:
    """The document links of the step pages (and annexes), not downloaded:
    what a capture made without the collector's fetch still shows."""
    out: list[LinkedDocument] = []
    for page in capture.pages:
        for href, fmt, text, selector in document_links(page, cfg):
            if not any(d.url == href for d in out):
                out.append(LinkedDocument(url=href, linked_from=page.url, page_index=page.index, link_text=text,
                                          selector=selector, format=fmt, status="not_fetched",
                                          file_name=unquote(urlsplit(href).path.rsplit("/", 1)[-1])))
    return out


def decide(capture: Capture, cfg: DocumentsRules) -> dict[str, Any]:
    if not capture.pages:
        return {"status": "not_checked", "reason": "Aucune page parcourue : documents non vérifiés."}
    fetched = capture.documents_fetch is not None
    docs = list(capture.documents) if fetched else candidate_documents(capture, cfg)
    pages = {p.index: p for p in capture.pages}
    listed: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    analysed = failing = 0
    review: list[str] = []
    for doc in docs:
        entry: dict[str, Any] = {k: v for k, v in doc.to_dict().items() if k != "pdf"}
        alt = _alternative(doc, pages, cfg)
        entry["alternative"] = alt
        if doc.format == "pdf" and doc.pdf is not None:
            f = doc.pdf
            entry["facts"] = {k: f.get(k) for k in ("pages", "tagged", "marked", "lang", "title", "display_doc_title",
                                                    "encrypted", "accessibility_allowed", "text_pages",
                                                    "fields_count", "error") if k in f}
            got = judge_pdf(doc, "review" if alt else "fail")
            entry["findings"] = got
            findings.extend(got)
            if not f.get("error") or f.get("needs_password"):
                analysed += 1
                if any(g["status"] == "fail" for g in got):
                    failing += 1
        elif doc.format == "pdf":
            review.append(f"{doc.file_name or doc.url} ({doc.linked_from}) : non analysé"
                          + (f" — {doc.reason}" if doc.reason else "") + ".")
        listed.append(entry)
    pdfs = [d for d in docs if d.format == "pdf"]
    office = [d for d in docs if d.format != "pdf"]
    n_fail = sum(1 for g in findings if g["status"] == "fail")
    n_review = sum(1 for g in findings if g["status"] == "review")
    if not docs:
        level, reason = NA, "Aucun document PDF ou bureautique lié depuis les pages parcourues."
    elif not fetched:
        level = VERIFY
        reason = f"{len(docs)} document(s) lié(s), non téléchargé(s) pendant cette analyse : à vérifier."
    elif not analysed:
        level = VERIFY
        reason = (f"{len(pdfs)} PDF lié(s), aucun n'a pu être analysé" if pdfs else
                  f"{len(office)} document(s) bureautique(s) ({', '.join(sorted({d.format for d in office}))}) "
                  "lié(s), non analysé(s)") + " : à vérifier."
    elif failing == 0:
        level = OUI
        reason = f"{analysed} PDF analysé(s) : balisés, langue et titre indiqués, texte présent" + \
            (f" ; {n_review} point(s) à vérifier sur des PDF dont une version accessible est proposée" if n_review
             else "") + "."
    elif failing == analysed:
        level = NON
        reason = f"{failing} PDF analysé(s) sur {analysed} présentent des défauts d'accessibilité ({n_fail} constat(s))."
    else:
        level = PARTIEL
        reason = f"{failing} PDF sur {analysed} présentent des défauts d'accessibilité ({n_fail} constat(s))."
    if office and level not in (VERIFY,):
        review.append(f"{len(office)} document(s) bureautique(s) non analysé(s) : "
                      + ", ".join(f"{d.file_name or d.url} ({d.format})" for d in office[:5]) + ".")
    return {"level": level, "reason": reason, "documents": listed, "pdf_count": len(pdfs),
            "office_count": len(office), "analysed": analysed, "failing": failing,
            "findings": findings, "findings_fail": n_fail, "findings_review": n_review,
            # the fetch's duration stays in the capture: a rescan of an unchanged site gives the same scorecard
            "fetch": {k: v for k, v in capture.documents_fetch.items() if k != "duration_ms"}
            if capture.documents_fetch is not None else None,
            "review": review}


@check("documents")
def documents_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``documents``: the linked documents, each PDF's findings, ``level``."""
    return CheckResult(key="documents", block=decide(capture, observatoire_rules(rules).documents))

# --------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """The block's failing findings; an accessible alternative offered beside
    the document makes them ``review``: shown in the report, never counted."""
    from ..report.findings import _clean, _url_tail

    out, start = [], card.get("url")
    for item in card["documents"].get("findings") or []:
        if item.get("status") != "fail":
            continue
        ev = item.get("evidence") or {}
        extra = [str(ev[k]) for k in ("field", "page") if ev.get(k) not in (None, "")]
        refs = " ; ".join(x for x in (("RGAA " + ", ".join(item.get("rgaa") or [])) if item.get("rgaa") else "",
                                      item.get("pdfua") or "") if x)
        out.append(CheckFinding(
            rule=str(item["id"]), category="pdf", message=_clean(item.get("message")) + (f" ({refs})" if refs else ""),
            url=ev.get("linked_from") or start, target=ev.get("url"),
            evidence=[{"url": ev.get("linked_from") or start, "label": ev.get("link_text") or "",
                       "text": " — ".join(str(x) for x in (ev.get("url"), ev.get("field") and f"champ {ev['field']}",
                                                         ev.get("page") and f"page {ev['page']}") if x)}],
            identity=(_url_tail(str(ev.get("url") or "")), *extra)))
    return out


META = describe(CheckMeta(
    section="documents",
    id="documents", title="Documents PDF accessibles (RGAA 13.3)", block="documents", order=60,
    not_checked="documents PDF non vérifiés", gates=("pdf",), findings=card_findings, rgaa=("13.3",),
    skip_reason=lambda card: None if card["documents"].get("analysed")
    else (card["documents"].get("reason") or "aucun PDF analysé"),
    rules=tuple(Rule(rule, name, text) for rule, name, text in (
        ("pdf/untagged", "PDF non balisé", "Le PDF n'a pas d'arbre de structure (StructTreeRoot, MarkInfo) : RGAA 13.3, "
                                           "PDF/UA 7.1."),
        ("pdf/no-lang", "Langue du PDF non indiquée", "Le PDF n'indique pas sa langue (/Lang) : RGAA 13.3, PDF/UA 7.2."),
        ("pdf/no-title", "Titre du PDF non affiché", "Le PDF n'a pas de titre affiché dans la barre de titre "
                                                     "(DisplayDocTitle) : RGAA 13.3, PDF/UA 7.1."),
        ("pdf/image-only", "PDF numérisé en image", "Des pages du PDF n'ont pas de texte (image seule) : RGAA 13.3, "
                                                    "PDF/UA 7.1."),
        ("pdf/field-no-name", "Champ de PDF sans nom accessible", "Un champ de formulaire du PDF n'a pas de nom "
                                                                  "accessible (TU) : RGAA 13.3, PDF/UA 7.18.1."),
        ("pdf/encryption", "PDF chiffré contre les aides techniques", "Le chiffrement du PDF interdit l'accès des "
                                                                      "technologies d'assistance : RGAA 13.3, PDF/UA "
                                                                      "7.16."),
    ))))
