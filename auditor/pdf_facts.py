"""What a PDF tells about its accessibility, read from its bytes (pure).

The collector downloads the PDFs a démarche links to and keeps only these
facts in the capture (never the bytes), so the check (``checks/pdf_docs.py``)
runs offline and the tests need no browser: ``pdf_facts(bytes) → dict``.

Read with pikepdf (qpdf), a maintained library that opens damaged files
leniently.  The facts follow what RGAA 13.3 and PDF/UA (ISO 14289-1) ask of a
document: a structure tree (tagged PDF), a language, a title shown in the
title bar, real text rather than a scan, form fields with an accessible
name (``/TU``), and no encryption that shuts assistive technologies out.
"""

from __future__ import annotations

import io
from typing import Any

# Content-stream operators that draw text.
_TEXT_OPS = {"Tj", "TJ", "'", '"'}
MAX_FIELDS = 200  # fields listed (the count stays exact)


def _str(obj: Any) -> str:
    try:
        return str(obj).strip()
    except Exception:
        return ""


def _page_has_text(page: Any, pikepdf: Any, depth: int = 0) -> bool:
    """Does the page (or a form XObject it draws) show text with a glyph?"""
    try:
        ops = pikepdf.parse_content_stream(page)
    except Exception:
        return False
    for operands, op in ops:
        if str(op) in _TEXT_OPS:
            for o in operands:
                if isinstance(o, pikepdf.String) and len(bytes(o)) > 0:
                    return True
                if isinstance(o, pikepdf.Array) and any(isinstance(x, pikepdf.String) and len(bytes(x)) for x in o):
                    return True
    if depth < 2:
        for xobj in _xobjects(page):
            if xobj.get("/Subtype") == "/Form" and _page_has_text(xobj, pikepdf, depth + 1):
                return True
    return False


def _xobjects(page: Any) -> list[Any]:
    try:
        res = page.get("/Resources") or {}
        xo = res.get("/XObject") or {}
        return [xo[k] for k in xo.keys()]
    except Exception:
        return []


def _page_has_image(page: Any) -> bool:
    return any(x.get("/Subtype") == "/Image" for x in _xobjects(page))


def _fields(pdf: Any) -> list[dict[str, Any]]:
    """Terminal form fields: full name, type, accessible name (``/TU``), page."""
    acro = pdf.Root.get("/AcroForm")
    if acro is None or "/Fields" not in acro:
        return []
    page_of: dict[tuple[int, int], int] = {}
    for n, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots") or []:
            try:
                page_of[annot.objgen] = n
            except Exception:
                continue
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()

    def walk(node: Any, prefix: str, ftype: str) -> None:
        try:
            key = node.objgen
        except Exception:
            key = (0, 0)
        if key != (0, 0):
            if key in seen:
                return
            seen.add(key)
        name = _str(node.get("/T", ""))
        full = f"{prefix}.{name}" if prefix and name else (name or prefix)
        ftype = _str(node.get("/FT", "")) or ftype
        kids = node.get("/Kids")
        field_kids = [k for k in kids if "/T" in k] if kids is not None else []
        if field_kids:
            for k in field_kids:
                walk(k, full, ftype)
            return
        if ftype == "/Btn" and int(node.get("/Ff", 0) or 0) & (1 << 16):  # push button: not an input
            return
        widgets = [node] if kids is None else list(kids)
        page = next((page_of[w.objgen] for w in widgets if getattr(w, "objgen", None) in page_of), None)
        out.append({"name": full, "type": ftype.lstrip("/"), "tu": _str(node.get("/TU", "")), "page": page})

    for f in acro.Fields:
        walk(f, "", "")
        if len(seen) > 5000:
            break
    return out


def pdf_facts(data: bytes, *, max_pages: int = 100) -> dict[str, Any]:
    """The accessibility facts of one PDF.  Never raises: an unreadable file
    gives ``{"error": …}`` (and a password-protected one ``needs_password``)."""
    import pikepdf

    facts: dict[str, Any] = {"error": None}
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return {"error": "document protégé par un mot de passe", "encrypted": True, "needs_password": True,
                "accessibility_allowed": False}
    except Exception as exc:
        return {"error": f"PDF illisible : {type(exc).__name__}: {str(exc)[:200]}"}
    with pdf:
        root = pdf.Root
        facts["pdf_version"] = pdf.pdf_version
        facts["pages"] = len(pdf.pages)
        facts["tagged"] = "/StructTreeRoot" in root
        mark = root.get("/MarkInfo")
        facts["marked"] = bool(mark is not None and bool(mark.get("/Marked", False)))
        facts["lang"] = _str(root.get("/Lang", ""))
        title = ""
        try:
            title = _str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
        except Exception:
            title = ""
        if not title:
            try:
                with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                    title = _str(meta.get("dc:title", "") or "")
            except Exception:
                pass
        facts["title"] = title
        prefs = root.get("/ViewerPreferences")
        facts["display_doc_title"] = bool(prefs is not None and bool(prefs.get("/DisplayDocTitle", False)))
        facts["encrypted"] = bool(pdf.is_encrypted)
        try:
            facts["accessibility_allowed"] = bool(pdf.allow.accessibility) if pdf.is_encrypted else True
            facts["extract_allowed"] = bool(pdf.allow.extract) if pdf.is_encrypted else True
        except Exception:
            facts["accessibility_allowed"] = facts["extract_allowed"] = True
        text_pages: list[int] = []
        image_only: list[int] = []
        analysed = min(len(pdf.pages), max_pages)
        for n, page in enumerate(pdf.pages[:analysed], start=1):
            if _page_has_text(page.obj, pikepdf):
                text_pages.append(n)
            elif _page_has_image(page.obj):
                image_only.append(n)
        facts["pages_analysed"] = analysed
        facts["text_pages"] = len(text_pages)
        facts["image_only_pages"] = image_only
        try:
            fields = _fields(pdf)
        except Exception:
            fields = []
        facts["fields_count"] = len(fields)
        facts["fields"] = fields[:MAX_FIELDS]
    return facts
