"""The keyboard walk on real pages (Chromium): each fixture of
``tests/fixtures/probes/keyboard/`` declares the issues it must give
(``<script type="application/json" id="expected">{"keyboard": [...]}``, read by
tests/expected.py), and
all of them are captured once, in one browser page, the probe running as
in a scan.  Then the probe runs alone on a scrolled page with a filled
field, which must be left exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditor.checks.keyboard import judge_keyboard
from auditor.demo.server import StaticServer
from auditor.model import PageCapture

from support import FIXTURES, capture_folder
from tests.expected import expected_of

pytestmark = pytest.mark.browser

FOLDER = FIXTURES / "probes" / "keyboard"
PAGES = sorted(FOLDER.glob("*.html"))


@pytest.fixture(scope="module")
def captured(harness: Any) -> dict[str, PageCapture]:
    """Every fixture walked once, in one browser page (no axe: it is tested elsewhere)."""
    return capture_folder(harness, FOLDER, [p.name for p in PAGES], probes=frozenset({"keyboard"}))


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_gives_its_issues(path: Path, captured: dict[str, PageCapture]) -> None:
    page = captured[path.name]
    facts = page.probes["keyboard"]
    assert "error" not in facts, facts.get("error")
    got = sorted((i.rule, i.selector, i.status) for i in judge_keyboard(page, None))
    want = sorted((e["rule"], e["selector"], e["status"]) for e in expected_of(path)["keyboard"])
    assert got == want, json.dumps({k: facts.get(k) for k in ("ended", "sequence", "traps", "unreached")},
                                   ensure_ascii=False)
    # every walk leaves the page as found: scrolled back, nothing focused
    assert facts["restored"] == {"x": 0, "y": 0, "focused": False}
    assert facts["ms"] < 5000


def test_what_the_walk_records(captured: dict[str, PageCapture]) -> None:
    form = captured["formulaire-dsfr.html"].probes["keyboard"]
    assert form["ended"] == "left_document" and form["traps"] == [] and form["unreached"] == []
    by_sel = {e["selector"]: e for e in form["elements"]}
    order = [form["elements"][i]["selector"] for i in form["sequence"]]
    # skip links first, one stop for the radio group (the checked radio), fields in source order
    assert order[:1] == ["#evitement-contenu"] and "#pour-tiers" not in order
    assert order.index("#nom") < order.index("#prenom") < order.index("#pour-moi") < order.index("#suivant")
    # the DSFR radio is drawn by its label: its focus ring is on label::before
    assert any(c.startswith("label::before outline") for c in by_sel["#pour-moi"]["focus_changes"])
    assert by_sel["#suivant"]["box"]["y"] > 720  # page coordinates, those of the full-page screenshot
    # the focus ring removed with nothing instead: judged on pixels, which do not move
    bare = {e["selector"]: e for e in captured["focus-supprime.html"].probes["keyboard"]["elements"]}
    assert bare["#sans-focus"]["focus_changes"] == [] and bare["#sans-focus"]["pixels"]["changed"] == 0
    assert {e["selector"]: e["focus_changes"] for e in
            captured["focus-remplace.html"].probes["keyboard"]["elements"]}["#ombre"] == ["box-shadow"]
    # the DSFR « enlarge link »: the ring is on the link's ::before, stretched over the card; read after 420
    # links hidden in a closed menu (the first candidates), and, when no style read shows it (an opacity),
    # seen in the pixels of the whole card, not only of the link's own box
    card = {e["selector"]: e for e in captured["lien-etendu.html"].probes["keyboard"]["elements"]}
    assert "::before outline-style" in card["#carte-contour"]["focus_changes"]
    shadow = card["#carte-ombre"]
    link_area = shadow["box"]["width"] * shadow["box"]["height"]
    assert shadow["focus_changes"] == [] and shadow["pixels"]["area"] > 10 * link_area
    assert shadow["pixels"]["changed"] > 0.02 * shadow["pixels"]["area"]
    (bare_card,) = [e for e in captured["lien-etendu-sans-focus.html"].probes["keyboard"]["elements"]
                    if e["selector"] == "#carte-sans-focus"]
    assert bare_card["pixels"]["changed"] == 0 and bare_card["pixels"]["area"] > 10 * link_area
    # the modal held focus, Escape released it, the walk went on to the footer
    modal = captured["modale-echap.html"].probes["keyboard"]
    assert [(t["kind"], t["escape_released"]) for t in modal["traps"]] == [("cycle", True)]
    assert modal["elements"][modal["sequence"][-1]]["selector"] == "body > footer > a"
    # the positive tabindex comes first, as from the address bar
    pos = captured["tabindex-positif.html"].probes["keyboard"]
    assert pos["elements"][pos["sequence"][0]]["selector"] == "#tabindex-positif"


def test_scripts_acting_on_the_focus(captured: dict[str, PageCapture]) -> None:
    """The walk sends Tab presses in batches (keyboard_batch.js): no stop may be lost where the page moves
    the focus itself, shows a menu on the focus or shows a link a moment after it (a timer: the page stops
    the batch and the read waits for it)."""
    facts = captured["focus-scripte.html"].probes["keyboard"]
    by_id = {e["id"]: e for e in facts["elements"]}
    assert [by_id[i]["selector"] for i in facts["sequence"]] == [
        "#accueil", "#cible-saut", "#menu", "#sous-1", "#sous-2", "#plus", "#apparu", "#cible-micro", "#revenu",
        "#suivant", "#a11y"]
    # the menu's links appeared with the focus of its button: their unfocused styles were read before Tab
    # reached them, so their ring is seen in the styles, not left to the pixels
    for e in facts["elements"]:
        if e["selector"].startswith("#sous-"):
            assert "outline-style" in e["focus_changes"] and "pixels" not in e


def test_batches_change_nothing(harness: Any, captured: dict[str, PageCapture],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Press by press (a read after every Tab) and in batches, the walk records the same facts on every
    fixture: the same elements, order, traps and pixel verdicts."""
    from auditor.collect.probes import keyboard

    monkeypatch.setattr(keyboard, "MAX_BATCH", 1)
    single = capture_folder(harness, FOLDER, [p.name for p in PAGES], probes=frozenset({"keyboard"}))
    for path in PAGES:
        batched, one = (dict(c[path.name].probes["keyboard"]) for c in (captured, single))
        batched.pop("ms"), one.pop("ms")
        assert batched == one, path.name


def _around_probe(harness: Any, name: str, prepare: Any, read: str) -> tuple[Any, Any, dict[str, Any]]:
    """Open ``name`` of the fixture folder, ``prepare`` the page, then read it (``read``) before and after the
    keyboard probe: (before, after, the probe's facts)."""
    from auditor.collect.probes import run_probes

    async def go(base: str) -> tuple[Any, Any, dict[str, Any]]:
        ctx = await harness.browser.new_context(locale="fr-FR")
        try:
            page = await ctx.new_page()
            await page.goto(base + name, wait_until="load")
            await prepare(page)
            before = await page.evaluate(read)
            res = await run_probes(page, {"keyboard"}, 20)
            return before, await page.evaluate(read), res["keyboard"]
        finally:
            await ctx.close()

    with StaticServer(FOLDER) as srv:
        return harness._run(go(srv.url))


def test_page_left_as_found(harness: Any) -> None:
    """Scrolled, a field filled by the user, a field focused: after the walk
    the scroll and the value are the same, the DOM carries no mark, nothing
    has the focus."""
    state = ("() => ({x: scrollX, y: scrollY, nom: document.getElementById('nom').value,"
             " pour: document.querySelector('input[name=pour]:checked').id,"
             " focused: document.activeElement !== document.body,"
             " html: document.documentElement.outerHTML, mark: '__auditorKeyboard' in window})")

    async def prepare(page: Any) -> None:
        await page.fill("#nom", "Martin")
        await page.evaluate("() => { document.getElementById('nom').blur(); window.scrollTo(0, 400); }")

    before, after, facts = _around_probe(harness, "formulaire-dsfr.html", prepare, state)
    assert before["y"] == 400 and before["nom"] == "Martin"
    assert after == before
    assert facts["start_scroll"] == [0, 400] and facts["restored"] == {"x": 0, "y": 400, "focused": False}
    assert len(facts["sequence"]) >= 12  # the walk started from the top, not from the scrolled place


def test_pixel_check_leaves_no_mark(harness: Any) -> None:
    """The pixel comparison hides the text caret for its screenshots without touching the DOM (Playwright's
    screenshot left an empty ``style`` attribute on every field), and still sees no change where the
    focus ring was removed."""
    async def prepare(page: Any) -> None:
        await page.evaluate("() => document.querySelector('main').insertAdjacentHTML('afterbegin',"
                            " '<input id=\"champ\" aria-label=\"Nom\">')")

    before, after, facts = _around_probe(harness, "focus-supprime.html", prepare,
                                         "() => document.documentElement.outerHTML")
    assert after == before
    bare = {e["selector"]: e for e in facts["elements"]}["#sans-focus"]
    assert facts["pixel_checks"] == 1 and bare["pixels"]["changed"] == 0
