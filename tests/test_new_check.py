"""A new check is one module: registered with ``@check`` and ``describe``, it
reaches the findings, JUnit, SARIF, the CSV and the HTML report with no other
edit (docs/architecture.md, « Ajouter une vérification »)."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator

import pytest

from auditor import checks
from auditor.checks import CheckFinding, CheckMeta, Rule, check, describe
from auditor.config import load_rules
from auditor.model import Capture, CheckResult
from auditor.pipeline import check_and_score
from auditor.render import html as html_render
from auditor.report.exports import writer
from auditor.report.findings import evaluate

from .checks.acc_pages import capture_of, page_from_html

ROOT = Path(__file__).resolve().parents[1]
URL = "https://demarche.example.gouv.fr/etape-1"


def tiny_check(capture: Capture, rules: Any) -> CheckResult:
    """Pages whose title is empty (the whole check: a pure function of the capture)."""
    bad = [p.url for p in capture.step_pages() if not p.title.strip()]
    return CheckResult(key="titles", block={"untitled": bad})


def tiny_findings(card: dict[str, Any]) -> list[CheckFinding]:
    return [CheckFinding(rule="titles/empty", category="untitled", message="Page sans titre", url=url,
                         evidence=[{"url": url, "text": "<title> vide"}], identity=(url,))
            for url in card["titles"]["untitled"]]


@pytest.fixture()
def registered() -> Iterator[None]:
    checks.load_all()
    check("titles")(tiny_check)
    describe(CheckMeta(id="titles", title="Titres des pages", block="titles", order=70,
                       not_checked="titres non vérifiés", gates=("untitled",), csv_column="Pages_Sans_Titre",
                       rules=(Rule("titles/empty", "Page sans titre", "La page n'a pas de titre (RGAA 8.5)."),),
                       rgaa=("8.5",), findings=tiny_findings))
    try:
        yield
    finally:
        checks.REGISTRY.pop("titles", None)
        checks.METAS.pop("titles", None)


def test_a_new_check_reaches_every_output(registered: None, tmp_path: Path) -> None:
    page = page_from_html("<html><head><title> </title></head><body><h1>Étape</h1></body></html>", URL)
    card = check_and_score(capture_of(page), load_rules(ROOT / "rules"))
    assert card["titles"] == {"status": "checked", "untitled": [URL]}

    ctx = evaluate([card], ["untitled"])
    (f,) = [f for f in ctx.findings if f.check == "titles"]
    assert f.gated and f.rule == "titles/empty" and f.url == URL

    junit = ET.fromstring(ET.tostring(writer("junit").build([card], ctx)))
    (tc,) = [tc for tc in junit.iter("testcase") if tc.get("name") == "Titres des pages"]
    assert tc.find("failure") is not None and "Page sans titre" in tc.find("failure").get("message")

    sarif = writer("sarif").build([card], ctx)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["titles/empty"]["shortDescription"]["text"] == "Page sans titre"
    assert any(r["ruleId"] == "titles/empty" for r in sarif["runs"][0]["results"])

    path = writer("csv").write([card], tmp_path, ctx)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        head, row = list(csv.reader(fh))[:2]
    assert row[head.index("Auditor_Pages_Sans_Titre")] == "1"

    html = html_render.render_scorecard(card)
    assert "Autres vérifications" in html and "Titres des pages" in html and "Page sans titre" in html


def test_without_it_nothing_changes() -> None:
    """The generic section and the extra column appear only for such checks."""
    page = page_from_html("<html><head><title>T</title></head><body><h1>Étape</h1></body></html>", URL)
    card = check_and_score(capture_of(page), load_rules(ROOT / "rules"))
    assert "titles" not in card
    assert "Titres des pages" not in html_render.render_scorecard(card)


def test_a_finding_with_a_box_is_shown_on_the_screenshot(registered: None) -> None:
    """A probe's finding (a focused element, an overflowing block) carries the element's box: the generic
    section crops the page's screenshot around it, as the violations view does for axe's elements."""
    meta = checks.METAS["titles"]
    boxed = CheckMeta(**{**meta.__dict__, "findings": lambda card: [
        CheckFinding(rule="titles/empty", category="untitled", message="Élément sans focus visible", url=URL,
                     evidence=[{"url": URL, "selector": "#ok", "box": {"x": 100, "y": 200, "width": 80, "height": 30}}])]})
    checks.METAS["titles"] = boxed
    card = {"id": "d", "titles": {"status": "checked", "untitled": [URL]},
            "pages": [{"index": 1, "url": URL, "kind": "step", "screenshot": "captures/etape-1.png",
                       "screenshot_size": {"width": 1280, "height": 2000}}]}
    (other,) = [c for c in html_render.other_checks(card) if c["title"] == "Titres des pages"]
    assert other["crops"][0]["src"] == "captures/etape-1.png" and "left:" in other["crops"][0]["box"]
    # the other direction: no box, no crop
    checks.METAS["titles"] = meta
    (other,) = [c for c in html_render.other_checks(card) if c["title"] == "Titres des pages"]
    assert other["crops"] == [None]
