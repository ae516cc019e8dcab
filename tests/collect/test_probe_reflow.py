"""The reflow and text spacing probes in a real Chromium, on one small page per case.

Each fixture of ``tests/fixtures/probes/reflow/`` and ``…/text_spacing/``
declares, in its ``<script type="application/json" id="expected">`` block
(read by tests/expected.py), the issues the judges must draw from what the
probes saw on it (``{"reflow": [{"rule", "status", "selector"}],
"text_spacing": […]}``; a probe left out: no issue).  All the fixtures are
captured once, in one browser page, with both probes, as the walk runs them
on step pages.  The probes act on the page (narrow window, wider spacing):
the last test checks they leave it exactly as they found it.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.checks._probe_issues import JUDGES
from auditor.checks.reflow import judge_reflow
from auditor.checks.text_spacing import judge_text_spacing
from auditor.collect.probes import run_probes
from auditor.collect.probes.spacing import STYLE_ID
from auditor.demo.server import StaticServer
from auditor.model import PageCapture

from tests.expected import expected_of
from support import FIXTURES, capture_folder

pytestmark = pytest.mark.browser

PROBES_DIR = FIXTURES / "probes"
NAMES = sorted(str(p.relative_to(PROBES_DIR)) for sub in ("reflow", "text_spacing")
               for p in (PROBES_DIR / sub).glob("*.html"))
BOTH = frozenset({"reflow", "text_spacing"})


@pytest.fixture(scope="module")
def captures(harness: Any) -> dict[str, PageCapture]:
    return capture_folder(harness, PROBES_DIR, NAMES, probes=BOTH)


def test_the_judges_are_those_of_the_checks() -> None:
    assert JUDGES["reflow"] is judge_reflow and JUDGES["text_spacing"] is judge_text_spacing


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_gives_exactly_its_issues(captures: dict[str, PageCapture], name: str) -> None:
    page = captures[name]
    want = expected_of(PROBES_DIR / name)
    for probe, judge in (("reflow", judge_reflow), ("text_spacing", judge_text_spacing)):
        facts = page.probes[probe]
        assert not facts.get("error"), facts
        issues = judge(page, None)
        got = sorted((i.rule, i.status, i.selector) for i in issues)
        expected = sorted((e["rule"], e["status"], e["selector"]) for e in want.get(probe, []))
        assert got == expected, f"{name} / {probe}: {facts}"
        for i in issues:  # the evidence the report crops the screenshot with
            assert i.url == page.url and i.excerpt and i.box and i.box["width"] > 0 and i.box["height"] > 0
            assert i.criterion == {"reflow/horizontal-scroll": "10.11", "reflow/clipped": "10.11",
                                   "reflow/zoom-200": "10.4", "reflow/height-256": "10.11"}.get(i.rule, "10.12")


def test_the_probes_restore_the_page_they_measured(captures: dict[str, PageCapture]) -> None:
    for name, page in captures.items():
        reflow, spacing = page.probes["reflow"], page.probes["text_spacing"]
        assert reflow["restored"] == {"viewport": True, "scroll": True}, name
        assert spacing["restored"] and not spacing["style_left"] and spacing["applied"], name
        assert reflow["narrow"]["width"] == 320 and reflow["zoom_200"]["width"] == 640, name
        assert isinstance(reflow["ms"], int) and isinstance(spacing["ms"], int)


def test_boxes_are_those_of_the_page_layout(captures: dict[str, PageCapture]) -> None:
    """Measured again after the viewport is restored: where the element is on the full-width screenshot."""
    (item,) = captures["reflow/fail-largeur-fixe.html"].probes["reflow"]["narrow"]["overflow"]
    assert item["box"] == {"x": 40, "y": 0, "width": 1200, "height": item["box"]["height"]}
    assert "box_at" not in item
    (clip,) = captures["text_spacing/fail-hauteur-fixe.html"].probes["text_spacing"]["clipped"]
    assert clip["box"]["height"] == 60 and clip["axis"] == "y"


_STATE = f"""() => ({{
  x: window.scrollX, y: window.scrollY, w: window.innerWidth, h: window.innerHeight,
  value: document.querySelector('#adresse').value, focused: document.activeElement && document.activeElement.id,
  sheets: document.adoptedStyleSheets.length, styles: document.querySelectorAll('style').length,
  injected: !!document.getElementById('{STYLE_ID}'),
  letter: getComputedStyle(document.body).letterSpacing, line: getComputedStyle(document.querySelector('p')).lineHeight,
  width: document.querySelector('main').getBoundingClientRect().width,
}})"""


def test_a_scrolled_page_with_a_typed_value_is_left_as_it_was(harness: Any) -> None:
    """Scroll position, window size, styles, the value typed in a field and the focus survive both probes."""
    viewport = {"width": 1000, "height": 300}

    async def go(url: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        ctx = await harness.browser.new_context(locale="fr-FR", viewport=viewport)
        try:
            page = await ctx.new_page()
            await page.goto(url, wait_until="load")
            await page.fill("#adresse", "12 rue de la Paix, 75002 Paris")
            await page.evaluate("() => window.scrollTo(0, 150)")
            before = await page.evaluate(_STATE)
            res = await run_probes(page, BOTH, 20)
            after = await page.evaluate(_STATE)
            assert page.viewport_size == viewport
            return before, after, res
        finally:
            await ctx.close()

    with StaticServer(PROBES_DIR / "reflow") as srv:
        before, after, res = harness._run(go(srv.url + "pass-dsfr-responsive.html"))
    assert before["y"] == 150 and before["focused"] == "adresse"
    assert after == before
    assert res["reflow"]["scroll"] == {"x": 0, "y": 150} and res["reflow"]["zoom_200"]["width"] == 500
    assert res["reflow"]["height_256"]["width"] == 1000 and res["reflow"]["height_256"]["height"] == 256
    assert not res["reflow"].get("error") and not res["text_spacing"].get("error")


def test_bands_at_256_px_high(captures: dict[str, PageCapture]) -> None:
    """The sticky header covers 180 px of a 256 px window; the small fixed link is not a band; the closed
    drawer of the DSFR-like page (fixed, full height, past the right edge) is not in the window."""
    low = captures["reflow/verifier-entete-collant.html"].probes["reflow"]["height_256"]
    assert (low["width"], low["height"], low["covered"]) == (1280, 256, 180)
    (band,) = low["bands"]
    assert band["selector"] == "#entete" and band["position"] == "sticky" and band["height"] == 180
    assert band["box"]["height"] == 180 and band["excerpt"].startswith("République française")
    dsfr = captures["reflow/pass-dsfr-responsive.html"].probes["reflow"]["height_256"]
    assert dsfr["bands"] == [] and dsfr["covered"] == 0
