"""rules/axe-fr.yaml against the axe-core the crawler really injects.

Runs ``axe.getRules()`` in Chromium: every rule has French help, and the RGAA
tags copied in ``rgaa_tags`` are axe's own (they tell, offline, which RGAA
criteria axe can test).  Fails when axe-core is upgraded until the file follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import load_rules

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def _axe_rules() -> tuple[str, list[dict]]:
    playwright = pytest.importorskip("playwright.sync_api")
    axe_pkg = pytest.importorskip("axe_playwright_python")
    source = (Path(axe_pkg.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    from auditor.collect.browser import find_browser

    with playwright.sync_playwright() as p:
        # the browser the tool itself would launch (Playwright's own, else the system's)
        browser = p.chromium.launch(executable_path=find_browser(None, p.chromium.executable_path))
        try:
            page = browser.new_page()
            page.set_content("<!doctype html><html lang='fr'><body></body></html>")
            page.evaluate(source)
            return page.evaluate("axe.version"), page.evaluate(
                "axe.getRules().map(r => ({id: r.ruleId, tags: r.tags}))"
            )
        finally:
            browser.close()


def test_axe_fr_matches_bundled_axe() -> None:
    version, rules = _axe_rules()
    fr = load_rules(ROOT / "rules").get("axe-fr")
    assert fr.axe_version == version, "mettre à jour rules/axe-fr.yaml pour cette version d'axe-core"
    axe_ids = {r["id"] for r in rules}
    assert axe_ids - set(fr.rules) == set(), "règles axe sans aide française"
    for r in rules:
        tags = sorted(t[len("RGAA-"):] for t in r["tags"] if t.startswith("RGAA-"))
        assert sorted(fr.rules[r["id"]].rgaa_tags) == tags, r["id"]
