"""Documents linked from a démarche: pdf_facts (bytes → facts) and the
``documents`` check (facts → findings, level), without a browser.  The PDFs
are built by the test with pikepdf (tests/checks/pdf_build.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.checks.pdf_docs import decide, document_format
from auditor.checks.observatoire_rules import observatoire_rules
from auditor.config import load_rules
from auditor.report.findings import enumerate_findings, evaluate
from auditor.model import Capture, LinkedDocument
from auditor.pdf_facts import pdf_facts
from auditor.pipeline import build_scorecard

from .acc_pages import capture_of, page_from_html
from .pdf_build import accessible_pdf, make_pdf

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules")
CFG = observatoire_rules(RULES).documents
URL = "https://demarche.example.gouv.fr/etape-2"
PDF_URL = "https://demarche.example.gouv.fr/docs/cerfa_12345.pdf"


def doc(data: bytes | None, *, url: str = PDF_URL, text: str = "Formulaire cerfa n° 12345 (PDF)", fmt: str = "pdf",
        status: str = "downloaded") -> LinkedDocument:
    return LinkedDocument(url=url, linked_from=URL, page_index=1, link_text=text, format=fmt, status=status,
                          file_name=url.rsplit("/", 1)[-1], size=len(data) if data else None,
                          pdf=pdf_facts(data) if data is not None and fmt == "pdf" else None)


def capture(*docs: LinkedDocument, html: str = "") -> Capture:
    body = html or "".join(f'<p><a href="{d.url}">{d.link_text}</a></p>\n' for d in docs)
    cap = capture_of(page_from_html(f"<html><body><h1>Pièces</h1>\n{body}</body></html>", URL))
    cap.documents = list(docs)
    cap.documents_fetch = {"found": len(docs), "downloaded": len(docs), "max_files": 10, "max_bytes": 10_000_000,
                           "duration_ms": 1}
    return cap


def ids(block: dict[str, Any]) -> list[str]:
    return sorted({f["id"] for f in block["findings"]})


def test_accessible_pdf_passes() -> None:
    block = decide(capture(doc(accessible_pdf(fields=[("nom", "Nom de naissance")]))), CFG)
    assert block["level"] == "Oui", block
    assert block["findings"] == [] and block["analysed"] == 1


@pytest.mark.parametrize("kwargs, rule", [
    ({"tagged": False}, "pdf/untagged"),
    ({"lang": ""}, "pdf/no-lang"),
    ({"title": ""}, "pdf/no-title"),
    ({"display_title": False}, "pdf/no-title"),
    ({"text": False, "image": True, "pages": 2}, "pdf/image-only"),
    ({"fields": [("nom", "Nom"), ("champ12", "")]}, "pdf/field-no-name"),
    ({"encrypt_no_accessibility": True}, "pdf/encryption"),
])
def test_each_defect_is_found_with_its_evidence(kwargs: dict[str, Any], rule: str) -> None:
    block = decide(capture(doc(accessible_pdf(**kwargs))), CFG)
    assert ids(block) == [rule], block["findings"]
    f = block["findings"][0]
    assert f["status"] == "fail" and "13.3" in f["rgaa"] and f["pdfua"].startswith("ISO 14289-1")
    ev = f["evidence"]
    assert ev["url"] == PDF_URL and ev["linked_from"] == URL and ev["file_name"] == "cerfa_12345.pdf"
    assert ev["link_text"].startswith("Formulaire cerfa")
    if rule == "pdf/field-no-name":
        assert ev["field"] == "champ12" and ev["page"] == 1
    if rule == "pdf/image-only":
        assert ev["page"] == 1 and ev["pages"] == [1, 2]
    assert block["level"] == "Non"


def test_untagged_scan_has_every_finding() -> None:
    block = decide(capture(doc(make_pdf(text=False, image=True))), CFG)
    assert ids(block) == ["pdf/image-only", "pdf/no-lang", "pdf/no-title", "pdf/untagged"]


def test_trap_accessible_html_version_beside_turns_findings_to_review() -> None:
    d = doc(make_pdf())
    html = (f'<p><a href="{PDF_URL}">{d.link_text}</a>\n'
            '<a href="/formulaire-en-ligne">Version accessible (HTML) du formulaire</a></p>')
    card = build_scorecard(capture(d, html=html), RULES)
    block = card["documents"]
    assert block["findings"] and all(f["status"] == "review" for f in block["findings"])
    assert block["documents"][0]["alternative"]["text"].lower().startswith("version accessible")
    assert block["level"] == "Oui" and block["findings_fail"] == 0
    assert not [f for f in enumerate_findings(card) if f.check == "documents"]


def test_mixed_documents_are_partial_and_counted_in_ci() -> None:
    good = doc(accessible_pdf(), url="https://demarche.example.gouv.fr/docs/notice.pdf", text="Notice (PDF)")
    bad = doc(make_pdf())
    card = build_scorecard(capture(good, bad), RULES)
    assert card["documents"]["level"] == "Partiel"
    assert card["indicators"]["pdf"] == "Partiel"
    ctx = evaluate([card], fail_on=["pdf"])
    gated = [f for f in ctx.findings if f.gated]
    assert gated and all(f.check == "documents" and f.url == URL and f.target == PDF_URL for f in gated)
    assert any("RGAA 13.3" in f.message for f in gated)


def test_office_documents_are_listed_not_judged() -> None:
    d = doc(None, url="https://demarche.example.gouv.fr/docs/annexe.odt", text="Annexe", fmt="odt")
    block = decide(capture(d), CFG)
    assert block["level"] == "À vérifier"
    assert block["documents"][0]["format"] == "odt" and block["office_count"] == 1


def test_no_document_is_not_applicable() -> None:
    block = decide(capture(), CFG)
    assert block["level"] == "Non applicable"


def test_links_without_the_fetch_are_to_check() -> None:
    cap = capture_of(page_from_html(f'<html><body><a href="{PDF_URL}">Cerfa</a></body></html>', URL))
    block = decide(cap, CFG)
    assert block["level"] == "À vérifier" and block["documents"][0]["status"] == "not_fetched"


def test_too_large_is_to_check() -> None:
    d = doc(None, status="too_large")
    d.reason = "au-delà de la limite de 10 Mo"
    block = decide(capture(d), CFG)
    assert block["level"] == "À vérifier" and "10 Mo" in block["review"][0]


def test_unreadable_and_password_pdfs() -> None:
    block = decide(capture(doc(b"%PDF-1.4 garbage")), CFG)
    assert ids(block) == ["pdf/unreadable"] and block["findings"][0]["status"] == "review"
    block = decide(capture(doc(make_pdf(password="secret"))), CFG)
    assert ids(block) == ["pdf/encryption"] and block["level"] == "Non"


def test_document_format() -> None:
    assert document_format("https://a.fr/x/Cerfa%2012.PDF?v=2", "", CFG) == "pdf"
    assert document_format("https://a.fr/telecharger?id=3", "Formulaire (PDF, 120 ko)", CFG) == "pdf"
    assert document_format("https://a.fr/x.docx", "", CFG) == "docx"
    assert document_format("https://a.fr/page", "Formulaire en ligne", CFG) is None
    assert document_format("ftp://a.fr/x.pdf", "", CFG) is None
