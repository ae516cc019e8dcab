"""Fetch the documents (PDF, office files) a démarche links to, after its walk.

RGAA 13.3 and the observatory ask whether the forms a démarche offers for
download (Cerfa…) are accessible; only the file tells.  Once the walk is
done, this module downloads the documents linked from the step pages (and
from annex pages within the démarche's scope) with the browser context's
request API — same cookies, same User-Agent as the walk — and stores in the
Capture what the checks read (``auditor.pdf_facts``), never the bytes.

Limits, all in ``rules/observatoire.yaml`` (``documents``): at most
``max_files`` documents, each at most ``max_bytes`` (announced by a HEAD, and
checked on the body), only ``http(s)``, never an address the walk's guard
would refuse (payment services, logout and login addresses), redirects
followed by hand (three at most) and judged the same way; ``total_timeout_s``
for all of them.  A démarche without document links costs nothing: no
request is made.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ..checks.observatoire_rules import DocumentsRules, observatoire_rules
from ..checks.pdf_docs import document_links
from ..config import Rules, WalkRules
from ..model import Capture, LinkedDocument
from ..pdf_facts import pdf_facts

MAX_REDIRECTS = 3


def _in_scope(url: str, scope: list[str]) -> bool:
    return any(url.startswith(p) for p in scope)


class DocumentGuard:
    """What the walk would refuse to follow, applied to document addresses."""

    def __init__(self, rules: Rules):
        wr = rules.get("walk")
        walk = wr if isinstance(wr, WalkRules) else WalkRules.model_validate(wr or {})
        self.refuse = [(walk.matcher("payment_urls"), "service de paiement"),
                       (walk.matcher("never_urls"), "adresse que le parcours ne suit jamais (déconnexion…)"),
                       (walk.matcher("login_urls"), "adresse d'identification")]

    def refused(self, url: str) -> str | None:
        if urlsplit(url).scheme not in ("http", "https"):
            return "adresse ni http ni https"
        for rx, why in self.refuse:
            if rx.search(url):
                return why
        return None


def plan(capture: Capture, cfg: DocumentsRules, scope: list[str], guard: DocumentGuard) -> list[LinkedDocument]:
    """The documents to fetch, in page order: links of step pages, and links
    of annex pages within the scope; refused ones are listed with why, and
    those beyond ``max_files`` are listed as skipped."""
    out: list[LinkedDocument] = []
    kept = 0
    for page in capture.pages:
        for href, fmt, text, selector in document_links(page, cfg):
            if any(d.url == href for d in out):
                continue
            if page.kind != "step" and not _in_scope(href, scope):
                continue
            doc = LinkedDocument(url=href, linked_from=page.url, page_index=page.index, link_text=text[:300],
                                 selector=selector, format=fmt,
                                 file_name=unquote(urlsplit(href).path.rsplit("/", 1)[-1])[:200])
            why = guard.refused(href)
            if why:
                doc.status, doc.reason = "refused", f"non téléchargé : {why}"
            elif kept >= cfg.max_files:
                doc.status, doc.reason = "skipped", f"au-delà des {cfg.max_files} documents téléchargés par démarche"
            else:
                doc.status = "pending"
                kept += 1
            out.append(doc)
    return out


def _format_of(doc: LinkedDocument, content_type: str, cfg: DocumentsRules) -> str:
    ct = content_type.split(";")[0].strip().lower()
    for prefix, fmt in cfg.content_types.items():
        if ct.startswith(prefix):
            return fmt
    return doc.format


async def _get(request: Any, doc: LinkedDocument, cfg: DocumentsRules, guard: DocumentGuard,
               hosts: Any = None, gap_s: float = 0.0) -> None:
    """Download one document into ``doc`` (status, size, facts)."""
    url = doc.url
    timeout_ms = cfg.timeout_s * 1000
    for _ in range(MAX_REDIRECTS + 1):
        if hosts is not None:
            await hosts.before_document(url, gap_s)
        head = await request.head(url, timeout=timeout_ms, max_redirects=0, fail_on_status_code=False)
        if 300 <= head.status < 400 and head.headers.get("location"):
            nxt = urljoin(url, head.headers["location"])
            why = guard.refused(nxt)
            if why:
                doc.status, doc.reason, doc.final_url = "refused", f"redirigé vers une {why}", nxt
                return
            url = nxt
            continue
        break
    else:
        doc.status, doc.reason = "error", "trop de redirections"
        return
    doc.final_url = url if url != doc.url else ""
    length = head.headers.get("content-length")
    if head.ok and length and length.isdigit() and int(length) > cfg.max_bytes:
        doc.status, doc.size, doc.http_status = "too_large", int(length), head.status
        doc.content_type = head.headers.get("content-type", "")[:100]
        doc.reason = f"{int(length) // 1_000_000} Mo, au-delà de la limite de {cfg.max_bytes // 1_000_000} Mo"
        return
    if hosts is not None:
        await hosts.before_document(url, gap_s)
    resp = await request.get(url, timeout=timeout_ms, max_redirects=0, fail_on_status_code=False)
    doc.http_status = resp.status
    doc.content_type = resp.headers.get("content-type", "")[:100]
    if not resp.ok:
        doc.status, doc.reason = "error", f"réponse HTTP {resp.status}"
        return
    length = resp.headers.get("content-length")
    if length and length.isdigit() and int(length) > cfg.max_bytes:
        doc.status, doc.size = "too_large", int(length)
        doc.reason = f"au-delà de la limite de {cfg.max_bytes // 1_000_000} Mo"
        await resp.dispose()
        return
    body = await resp.body()
    await resp.dispose()
    doc.size = len(body)
    if doc.size > cfg.max_bytes:
        doc.status, doc.reason = "too_large", f"au-delà de la limite de {cfg.max_bytes // 1_000_000} Mo"
        return
    doc.format = _format_of(doc, doc.content_type, cfg)
    if doc.format == "pdf" and not body.startswith(b"%PDF") and b"%PDF" not in body[:1024]:
        # a page announced as a PDF (an HTML wrapper, a login page): not a document
        doc.status, doc.reason = "error", f"pas un PDF (type {doc.content_type or 'inconnu'})"
        return
    doc.status = "downloaded"
    if doc.format == "pdf":
        doc.pdf = await asyncio.to_thread(pdf_facts, body, max_pages=cfg.max_pages_analysed)


async def fetch_linked_documents(context: Any, capture: Capture, rules: Rules, scope: list[str], *,
                                 hosts: Any = None, gap_s: float = 0.0) -> None:
    """Fill ``capture.documents`` and ``capture.documents_fetch``.  Never
    raises: a document that cannot be fetched is listed with the reason."""
    if capture.status == "failed" or not capture.pages:
        return
    cfg = observatoire_rules(rules).documents
    started = time.monotonic()
    docs = plan(capture, cfg, scope, DocumentGuard(rules))
    todo = [d for d in docs if d.status == "pending"]

    async def all_docs() -> None:
        for doc in todo:
            try:
                await _get(context.request, doc, cfg, DocumentGuard(rules), hosts, gap_s)
            except Exception as exc:  # a timeout, a reset connection: this document only
                doc.status, doc.reason = "error", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"

    if todo:
        try:
            await asyncio.wait_for(all_docs(), timeout=cfg.total_timeout_s)
        except asyncio.TimeoutError:
            pass
        for doc in todo:
            if doc.status == "pending":
                doc.status, doc.reason = "error", f"temps imparti aux documents dépassé ({cfg.total_timeout_s:.0f} s)"
    capture.documents = docs
    capture.documents_fetch = {
        "found": len(docs), "downloaded": sum(d.status == "downloaded" for d in docs),
        "max_files": cfg.max_files, "max_bytes": cfg.max_bytes,
        "duration_ms": int((time.monotonic() - started) * 1000),
    }
