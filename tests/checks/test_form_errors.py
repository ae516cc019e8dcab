"""Required fields and error messages (RGAA 11.10): every fixture of tests/fixtures/form_errors/
declares in its ``<script type="application/json" id="expected">`` block (read by tests/expected.py) the
exact issues the check must find on it, so a new case is one HTML file; then the RGAA table and the CI
outputs read those issues."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from auditor.checks import form_errors
from auditor.checks._probe_issues import JUDGES, STATIC, issues_of, probed_pages
from auditor.config import load_rules
from auditor.model import Capture, Control
from auditor.pipeline import build_scorecard
from auditor.render import html as html_render
from auditor.report.exports import writer
from auditor.report.findings import evaluate
from auditor.schemas import validate_scorecard

from ..expected import expected_of
from .acc_pages import FIXTURES, capture_of, page_from_html

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")
CASES = sorted((FIXTURES / "form_errors").glob("*.html"))
URL = "https://demarche.example.gouv.fr/formulaire/etape-2"


def _capture(name: str, **page: Any) -> Capture:
    p = page_from_html((FIXTURES / "form_errors" / name).read_text(encoding="utf-8"), URL)
    for k, v in page.items():
        setattr(p, k, v)
    return capture_of(p)


def _issues(block: dict[str, Any]) -> list[dict[str, Any]]:
    return block.get("issues", []) + block.get("review", [])


def _criterion(card: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(c for c in card["accessibility"]["rgaa"]["criteria"] if c["id"] == cid)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_fixture_gives_exactly_its_expected_issues(path: Path) -> None:
    expect = expected_of(path)
    block = form_errors.form_errors_check(_capture(path.name), RULES).block
    got = sorted((i["rule"], i["status"], i["selector"]) for i in _issues(block))
    assert got == sorted((e["rule"], e["status"], e["selector"]) for e in expect["issues"])
    assert len(block["error_summaries"]) == expect.get("error_summaries", 0)
    for i in _issues(block):  # static evidence: the page, the element, its label; no box on a screenshot
        assert i["url"] == URL and i["criterion"] == "11.10" and i["excerpt"] and "box" not in i
        assert i["rule"] in form_errors.RULES
    # the file name says what kind of case it is
    statuses = {i["status"] for i in _issues(block)}
    kind = path.stem.split("-")[0]
    assert {"pass": set(), "fail": {"non_conforme"}, "review": {"a_verifier"}}[kind] == statuses, path.name


def test_the_fixtures_cover_every_rule_and_both_directions() -> None:
    seen = {e["rule"] for p in CASES for e in expected_of(p)["issues"]}
    # the rules only an empty submission finds are judged on its facts: test_form_errors_submit.py
    assert seen == {r.id for r in form_errors.META.rules} - form_errors.DYNAMIC
    assert any(p.stem.startswith("pass-") for p in CASES) and any(p.stem.startswith("fail-") for p in CASES)


def test_the_collector_selector_wins_and_hidden_blocks_are_skipped() -> None:
    """A real capture records its controls: the report shows their selector, and a field in a block
    the browser saw hidden (a later step of a single-page app) is not judged."""
    shown = Control(selector="main form > div:nth-of-type(2) > input", tag="input", type="text", id="prenom")
    hidden = Control(selector="#commune", tag="select", type="select-one", id="commune", shown=False)
    block = form_errors.form_errors_check(_capture("fail-obligatoire-non-signale.html", controls=[shown, hidden]),
                                          RULES).block
    assert sorted(i["selector"] for i in block["issues"]) == ["#logement", "main form > div:nth-of-type(2) > input"]


def test_no_field_no_block() -> None:
    """A page with no field to fill gives no block (the check had nothing to read) and 11.10 stays
    « non testé »."""
    page = page_from_html("<html><body><main><h1>Confirmation</h1><form><button>Imprimer</button>"
                          "<input type='hidden' name='t' value='1'></form></main></body></html>", URL)
    card = build_scorecard(capture_of(page), RULES)
    assert "form_errors" not in card
    assert _criterion(card, "11.10")["status"] == "non_teste"


def test_the_judge_needs_no_probe() -> None:
    """Registered as static, the judge reads every step page with a field, though no probe ran."""
    form = _capture("fail-obligatoire-non-signale.html").pages[0]
    plain = page_from_html("<html><body><h1>Accueil</h1></body></html>", URL + "/accueil", index=2)
    annex = page_from_html(form.html, URL + "/annexe", kind="annex", index=3)
    cap = capture_of(form, plain, annex)
    assert "form_errors" in JUDGES and "form_errors" in STATIC
    assert [p.index for p in probed_pages(cap, "form_errors")] == [1]
    assert {i.rule for i in issues_of(cap, RULES, "form_errors")} == {form_errors.REQUIRED}


def test_the_rgaa_table_reads_the_same_issues() -> None:
    card = build_scorecard(_capture("fail-obligatoire-non-signale.html"), RULES)
    crit = _criterion(card, "11.10")
    assert crit["status"] == "non_conforme"
    (v,) = [v for v in crit["violations"] if v["rule"] == form_errors.REQUIRED]
    assert v["pages"] == [{"url": URL, "index": 1, "kind": "step", "nodes": 3}]
    assert "RGAA 11.10.2" in v["help"]
    assert form_errors.REQUIRED in crit["axe_rules"]

    review = _criterion(build_scorecard(_capture("review-erreur-par-la-couleur.html"), RULES), "11.10")
    assert review["status"] == "a_verifier" and review["review"][0]["rule"] == form_errors.COLOUR
    clean = _criterion(build_scorecard(_capture("pass-erreurs-dsfr-reliees.html"), RULES), "11.10")
    assert clean["status"] == "sans_anomalie"


def test_the_findings_reach_every_output() -> None:
    card = build_scorecard(_capture("fail-erreurs-dsfr-non-reliees.html"), RULES)
    assert validate_scorecard(card) == []
    ctx = evaluate([card], ["form-errors"])
    mine = [f for f in ctx.findings if f.check == "form_errors"]
    assert len(mine) == 3 and all(f.gated and f.rule == form_errors.NOT_TIED for f in mine)
    (siret,) = [f for f in mine if f.target == "#champ_siret"]
    assert siret.evidence == [{"url": URL, "selector": "#champ_siret", "label": "Numéro SIRET *",
                               "text": "Ce champ doit contenir 14 chiffres"}]

    junit = ET.fromstring(ET.tostring(writer("junit").build([card], ctx)))
    (tc,) = [tc for tc in junit.iter("testcase") if tc.get("name") == "Champs obligatoires et messages d'erreur"]
    assert tc.find("failure") is not None and "Message d'erreur" in tc.find("failure").get("message")

    sarif = writer("sarif").build([card], ctx)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules[form_errors.NOT_TIED]["shortDescription"]["text"] == "Message d'erreur non relié à son champ"
    assert sum(r["ruleId"] == form_errors.NOT_TIED for r in sarif["runs"][0]["results"]) == 3

    page = unescape(html_render.render_scorecard(card))
    assert "Champs obligatoires et messages d'erreur" in page and "<code>#champ_siret</code>" in page


def test_review_findings_are_shown_never_counted() -> None:
    card = build_scorecard(_capture("review-asterisque-non-explique.html"), RULES)
    assert validate_scorecard(card) == []
    assert not [f for f in evaluate([card], ["form-errors"]).findings if f.check == "form_errors"]
    (f,) = form_errors.card_findings(card)
    assert f.status == "review" and f.rule == form_errors.ASTERISK
    assert "À vérifier : Astérisque" in unescape(html_render.render_scorecard(card))


def test_the_error_summary_is_recorded() -> None:
    block = form_errors.form_errors_check(_capture("pass-erreurs-dsfr-reliees.html"), RULES).block
    (s,) = block["error_summaries"]
    assert s["url"] == URL and s["links"] == s["linked"] == 3 and s["text"].startswith("Le formulaire contient")
    assert block["error_fields"] == 4 and block["pages_checked"] == 1
