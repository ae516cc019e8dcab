"""The three observatory indicators (done online, « Je donne mon avis », linked
PDFs) in every output: scorecard.json (schema), observatoire.csv, the HTML
scorecard and index, JUnit, SARIF, Markdown and ``--fail-on``."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema

from auditor.config import load_rules
from auditor.report.findings import GateError, evaluate, parse_fail_on
from auditor.model import Capture
from auditor.render import html, junit, markdown, observatoire_csv, sarif
from auditor.pipeline import build_scorecard
from tests.checks.acc_pages import capture_of, page_from_html
from tests.checks.pdf_build import make_pdf

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")
SCHEMA = json.loads((ROOT / "auditor" / "schemas" / "scorecard.schema.json").read_text(encoding="utf-8"))
HOME = "https://demarche.example.gouv.fr/"
END = "https://demarche.example.gouv.fr/recapitulatif"
PDF_URL = "https://demarche.example.gouv.fr/docs/cerfa_12345.pdf"


def observed_card() -> dict[str, Any]:
    """Paper step, JDMA on the home page only, an inaccessible PDF: Partiel, Partiel, Non."""
    from auditor.model import LinkedDocument
    from auditor.pdf_facts import pdf_facts

    home = page_from_html(
        '<html><body><h1>Accueil</h1><a href="https://jedonnemonavis.numerique.gouv.fr/Demarches/3321?button=9">'
        '<img src="b.svg" alt="Je donne mon avis"></a></body></html>', HOME, index=1)
    end = page_from_html(
        '<html><body><h1>Récapitulatif</h1>\n<p>Imprimez le formulaire et envoyez-le par courrier.</p>\n'
        f'<p><a href="{PDF_URL}">Formulaire cerfa n° 12345 (PDF)</a></p></body></html>', END, index=2)
    cap: Capture = capture_of(home, end)
    cap.demarche.update(id="observee", name="Démarche observée")
    cap.stopped_before = {"verdict": "final", "text": "Valider", "page_index": 2, "url": END, "selector": "button"}
    cap.documents = [LinkedDocument(url=PDF_URL, linked_from=END, page_index=2, link_text="Formulaire cerfa n° 12345 (PDF)",
                                    format="pdf", file_name="cerfa_12345.pdf", size=900, pdf=pdf_facts(make_pdf()))]
    cap.documents_fetch = {"found": 1, "downloaded": 1, "max_files": 10, "max_bytes": 10_000_000, "duration_ms": 3}
    return build_scorecard(cap, RULES)


def test_scorecard_json_carries_the_three_indicators_and_validates() -> None:
    card = observed_card()
    ind = card["indicators"]
    assert (ind["online"], ind["jdma"], ind["pdf"]) == ("Partiel", "Partiel", "Non")
    assert card["jdma"]["procedure_id"] == "3321"
    jsonschema.validate(json.loads(json.dumps(card)), SCHEMA)


def test_csv_columns(tmp_path: Path) -> None:
    path = observatoire_csv.write([observed_card()], tmp_path, evaluate([]))
    row = next(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert row["Statut_En_ligne"] == "Partiel"
    assert row["Ajout_Bouton_JDMA"] == "Non"  # on the home page, not at the end
    assert row["Auditor_Niveau_JDMA"] == "Partiel" and row["Auditor_JDMA_Identifiant"] == "3321"
    assert row["Auditor_Niveau_PDF"] == "Non" and row["Auditor_PDF_Constats"] == "3"
    assert row["Auditor_Documents_Lies"] == "1" and row["Auditor_PDF_Analyses"] == "1"


def test_to_check_is_an_empty_observatory_cell(tmp_path: Path) -> None:
    cap = capture_of(page_from_html("<html><body><h1>Connexion</h1></body></html>", HOME), status="partial")
    cap.status_reason = "mur de connexion"
    card = build_scorecard(cap, RULES)
    assert card["indicators"]["online"] == "À vérifier" and card["indicators"]["jdma"] == "À vérifier"
    path = observatoire_csv.write([card], tmp_path, evaluate([]))
    row = next(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert row["Statut_En_ligne"] == "" and row["Ajout_Bouton_JDMA"] == ""
    assert row["Auditor_Niveau_En_Ligne"] == "À vérifier"
    # a gate on an indicator to check is a notice, never a pass nor a failure
    ctx = evaluate([card], fail_on=["online=Partiel", "jdma=Non"])
    assert not [f for f in ctx.findings if f.gated]
    assert {n["gate"] for n in ctx.notices} == {"online=Partiel", "jdma=Non"}
    assert all("à vérifier" in n["message"] for n in ctx.notices)


def test_fail_on_tokens() -> None:
    card = observed_card()
    assert parse_fail_on(["online=partiel,jdma=Non,pdf=Non,pdf,jdma"]) == \
        ["online=Partiel", "jdma=Non", "pdf=Non", "pdf", "jdma"]
    gated = [f for f in evaluate([card], fail_on=["online=Partiel"]).findings if f.gated]
    assert [f.rule for f in gated] == ["indicator/online"]
    assert not [f for f in evaluate([card], fail_on=["jdma=Non"]).findings if f.gated]
    assert [f.rule for f in evaluate([card], fail_on=["jdma=Partiel"]).findings if f.gated] == ["indicator/jdma"]
    pdf = [f for f in evaluate([card], fail_on=["pdf"]).findings if f.gated]
    assert sorted(f.rule for f in pdf) == ["pdf/no-lang", "pdf/no-title", "pdf/untagged"]
    try:
        parse_fail_on(["online=Peut-être"])
    except GateError as exc:
        assert "Oui, Partiel, Non" in str(exc)
    else:
        raise AssertionError("unknown level accepted")


def test_junit_sarif_markdown(tmp_path: Path) -> None:
    cards = [observed_card()]
    ctx = evaluate(cards, fail_on=["pdf"])
    root = ET.parse(junit.write(cards, tmp_path, ctx)).getroot()
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    pdf_case = cases["Documents PDF accessibles (RGAA 13.3)"]
    assert pdf_case.find("failure") is not None and "cerfa_12345.pdf" in pdf_case.find("failure").text
    assert cases["Bouton « Je donne mon avis »"].find("failure") is None
    for name in ("réalisable en ligne", "bouton « Je donne mon avis »", "documents PDF accessibles"):
        assert f"Indicateur {name}" in cases
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["indicateur.online"] == "Partiel" and props["indicateur.pdf"] == "Non"
    log = json.loads(sarif.write(cards, tmp_path, ctx).read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "PDF/UA" in rules["pdf/untagged"]["fullDescription"]["text"]
    assert any(r["ruleId"] == "pdf/untagged" for r in log["runs"][0]["results"])
    md = markdown.write(cards, tmp_path, ctx).read_text(encoding="utf-8")
    assert "En ligne" in md and "Je donne mon avis" in md and "| Partiel |" in md


def test_html_scorecard_and_index() -> None:
    card = observed_card()
    page = html.render_scorecard(card)
    for title in ("Réalisable en ligne", "Bouton « Je donne mon avis »", "Documents PDF et bureautiques"):
        assert title in page
    assert "3321" in page and "cerfa_12345.pdf" in page and "Imprimez le formulaire" in page
    assert "ISO 14289-1" in page
    index = html.render_index([card])
    assert "Je donne mon avis" in index and "Documents PDF accessibles" in index
