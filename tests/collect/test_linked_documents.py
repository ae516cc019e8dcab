"""Documents fetched after the walk (collect/linked_documents.py), through a
real scan: the PDF linked from the start page is downloaded and analysed, a
too large one is listed without its body, one behind a logout address is
never requested, and the start page that only offers a form is « Non »."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.config import CrawlList, load_rules
from auditor.demo.server import StaticServer
from auditor.pipeline import run_scan
from tests.checks.pdf_build import make_pdf

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def test_scan_fetches_linked_pdfs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "deconnexion").mkdir()
    (site / "docs" / "cerfa_13788.pdf").write_bytes(make_pdf(fields=[("nom", "")]))
    (site / "docs" / "gros.pdf").write_bytes(make_pdf() + b"\n%" + b"x" * 40_000)
    (site / "docs" / "annexe.odt").write_bytes(b"PK\x03\x04 not really an odt")
    (site / "deconnexion" / "guide.pdf").write_bytes(make_pdf())
    (site / "index.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Carte de stationnement</title></head>"
        "<body><main><h1>Demande de carte de stationnement</h1>\n"
        "<p>Remplissez le formulaire et adressez-le à votre département.</p>\n"
        "<p><a href='docs/cerfa_13788.pdf'>Télécharger le formulaire cerfa n° 13788 (PDF)</a></p>\n"
        "<p><a href='docs/gros.pdf'>Notice détaillée (PDF)</a></p>\n"
        "<p><a href='docs/annexe.odt'>Annexe</a></p>\n"
        "<p><a href='deconnexion/guide.pdf'>Guide</a></p>\n"
        "</main></body></html>", encoding="utf-8")
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    data = yaml.safe_load((ROOT / "rules" / "observatoire.yaml").read_text(encoding="utf-8"))
    data["documents"]["max_bytes"] = 20_000
    (rules_dir / "observatoire.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rules = load_rules(rules_dir)
    with StaticServer(site) as srv:
        crawl = CrawlList.model_validate({"defaults": {"timeout_s": 10}, "demarches": [
            {"id": "stationnement", "name": "Carte de stationnement", "url": srv.url + "index.html"}]})
        (card,) = run_scan(crawl.effective_demarches(), rules, tmp_path / "out", screenshots=False,
                           concurrency=1).cards
        requested = list(srv.requested)
    docs = {d["file_name"]: d for d in card["documents"]["documents"]}
    assert docs["cerfa_13788.pdf"]["status"] == "downloaded" and docs["cerfa_13788.pdf"]["facts"]["fields_count"] == 1
    assert {f["id"] for f in docs["cerfa_13788.pdf"]["findings"]} >= {"pdf/untagged", "pdf/field-no-name"}
    assert docs["gros.pdf"]["status"] == "too_large"
    assert docs["annexe.odt"]["format"] == "odt" and docs["annexe.odt"]["status"] == "downloaded"
    assert docs["guide.pdf"]["status"] == "refused"
    assert not any("deconnexion" in r for r in requested)
    assert card["indicators"]["pdf"] == "Non"
    assert card["indicators"]["online"] == "Non", (card["status"], card["status_reason"], card["online"], [p["url"] for p in card["pages"]])
    assert card["documents"]["fetch"]["downloaded"] == 2
