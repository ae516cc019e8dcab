"""The generated reports in a real Chromium.

- every generated page (a scorecard with violations, screenshots and errors;
  an index of 300 démarches) passes axe-core with zero violations, also with
  its folded evidence opened and with one step selected;
- sorting and filtering the index work with the keyboard alone;
- reports are self-contained (no request leaves the report folder) and
  hostile page content stays inert text;
- the overlay box lands on the failing element of the screenshot.
"""

from __future__ import annotations

import asyncio
import copy
import random
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest
from support import FIXTURES

from auditor.collect.page_audit import run_axe
from auditor.demo.server import StaticServer
from auditor.model import ErrorRecord
from auditor.pipeline import process_capture
from auditor.render.html import INDICATOR_LABELS, write_index

SITE = FIXTURES / "render" / "site"
N_INDEX = 300  # the keyboard test's index; axe runs on an index of N_AXE (rows are alike, axe is slow)
N_AXE = 60
THEMES = ["cantine scolaire", "carte d'identité", "aide au logement", "permis de construire", "bourse", "voirie"]
LEVELS = {
    "handicap": ["Oui", "Partiel", "Non", None],
    "dlnuf": ["Optimal", "Partiel", "Faible", "Non applicable", None],
    "alternative": ["Oui", "Partiel", "Non", None],
    "auth": ["FranceConnect", "FranceConnect +", "Non", None],
    "performance": ["Optimal", "Partiel", "Faible", None],
}
DOCS = ["justificatif-domicile", "piece-identite", "avis-imposition", "rib", "livret-famille"]


def variant(card: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    """Another démarche for the index: same pages, other name, status,
    levels and document requests."""
    c = copy.deepcopy(card)
    c["id"] = f"d{i:03d}"
    c["name"] = f"Démarche {i:03d} : {THEMES[i % len(THEMES)]}"
    c["administration"] = f"Administration {i % 7}"
    c["status"] = ["complete", "partial", "failed"][i % 3]
    c["indicators"] = {k: rng.choice(v) for k, v in LEVELS.items()}
    c["indicators"]["reasons"] = card["indicators"]["reasons"]
    for p in c["pages"]:
        p["requests"] = [{"label": f"Votre {d}", "selector": "#f", "document": d, "subject": "demandeur"}
                         for d in rng.sample(DOCS, rng.randint(0, 3))]
        p["violations"] = p["violations"][: i % 3]
    c["dlnuf"] = {"status": "checked", "labels": {d: d.replace("-", " ").capitalize() for d in DOCS}}
    c["accessibility"] = {"status": "checked", "violations": sum(len(p["violations"]) for p in c["pages"])}
    return c


@pytest.fixture(scope="module")
def reports(harness, tmp_path_factory) -> dict[str, Any]:
    """A hostile fixture démarche walked for real (screenshots, boxes, an
    iframe, a stop before the final submit), plus an index of 300."""
    out = tmp_path_factory.mktemp("reports")
    with StaticServer(SITE) as srv:
        cap = harness.walk({"id": "hostile", "name": "Démarche <script>alert('nom')</script> test",
                            "url": srv.url + "index.html"}, report_dir=out / "hostile")
    cap.errors.append(ErrorRecord(url="javascript:alert(1)", stage="navigate",
                                  message="<img src=x onerror=alert(3)> chargement impossible"))
    card = process_capture(cap, harness.rules, out)
    rng = random.Random(1)
    cards = [card] + [variant(card, i, rng) for i in range(1, N_INDEX)]
    write_index(cards, out)
    write_index(cards[:N_AXE], out / "extrait")
    return {"out": out, "card": card, "cards": cards}


def browse(harness, root: Path, path: str, fn: Callable[[Any], Awaitable[Any]], *, js: bool = True,
           media: str = "screen") -> dict[str, Any]:
    """Open ``root/path`` over HTTP in a fresh context and run ``fn(page)``;
    also returns every request, console error and dialog seen."""
    seen: dict[str, Any] = {"requests": [], "errors": [], "dialogs": []}

    async def go() -> Any:
        ctx = await harness.browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
        try:
            page = await ctx.new_page()
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))
            page.on("dialog", lambda d: (seen["dialogs"].append(d.message), asyncio.ensure_future(d.dismiss())))
            await page.emulate_media(media=media)
            await page.goto(seen["base"] + path, wait_until="load")
            return await fn(page)
        finally:
            await ctx.close()

    with StaticServer(root) as srv:
        seen["base"] = srv.url
        seen["result"] = harness._run(go())
    return seen


async def wait_js(page: Any, expression: str, timeout_s: float = 20) -> None:
    """Poll ``expression`` until truthy (the reports' CSP forbids the eval
    behind Playwright's wait_for_function, and that is a good thing)."""
    for _ in range(int(timeout_s * 20)):
        if await page.evaluate(expression):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never true: {expression}")


async def axe_violations(page: Any) -> list[str]:
    violations, _, error = await run_axe(page, 240)
    assert error is None, error
    return [f"{v.rule}: {[n.target for n in v.nodes][:5]}" for v in violations]


def assert_inert(seen: dict[str, Any]) -> None:
    assert all(u.startswith(seen["base"]) for u in seen["requests"]), seen["requests"]
    assert seen["errors"] == [] and seen["dialogs"] == []


def test_scorecard_zero_axe_violations_and_self_contained(harness, reports):
    async def check(page: Any) -> dict[str, Any]:
        found = {"initial": await page.evaluate("document.querySelectorAll('details:not([open])').length")}
        await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        await page.wait_for_load_state("networkidle")
        found["details open"] = await axe_violations(page)
        await page.goto(page.url.split("#")[0] + "#page-2")
        found["step selected"] = await axe_violations(page)
        found["scripts"] = await page.evaluate("document.scripts.length")
        found["js links"] = await page.evaluate("document.querySelectorAll('a[href^=\"javascript\" i]').length")
        return found

    seen = browse(harness, reports["out"], "hostile/scorecard.html", check)
    res = seen["result"]
    assert res["initial"] > 0 and res["details open"] == [] and res["step selected"] == [], res
    assert res["scripts"] == 1 and res["js links"] == 0  # only our own script; hostile text stays text
    assert_inert(seen)
    assert any(u.endswith("/screenshots/01.jpg") for u in seen["requests"])


def test_overlay_lands_on_the_failing_element(harness, reports):
    card = reports["card"]
    # the fixture's first step has an image without alt at (100, 600), 200x100
    (node,) = [n for v in card["pages"][0]["violations"] if v["rule"] == "image-alt" for n in v["nodes"]]
    assert node["box"] == {"x": 100, "y": 600, "width": 200, "height": 100}

    async def check(page: Any) -> dict[str, Any]:
        # the link target opens the rule's folded list of elements; wait for the lazy crops to load
        await wait_js(page, "[...document.querySelectorAll('#regle-image-alt img')].every(i => i.complete && i.naturalHeight)")
        return await page.evaluate("""() => {
            const cap = document.querySelector('#page-1 .capture-image');
            const img = cap.querySelector('img').getBoundingClientRect();
            const boxes = [...cap.querySelectorAll('.cadre')].map(c => c.getBoundingClientRect());
            const crop = document.querySelector('#regle-image-alt .recadrage');
            const cimg = crop.querySelector('img').getBoundingClientRect(), cbox = crop.querySelector('.cadre').getBoundingClientRect();
            const rel = (r, i) => [(r.left - i.left) / i.width, (r.top - i.top) / i.height, r.width / i.width, r.height / i.height];
            return {overlays: boxes.map(b => rel(b, img)), crop: rel(cbox, cimg)};
        }""")

    seen = browse(harness, reports["out"], "hostile/scorecard.html#regle-image-alt-elements", check)
    size = card["pages"][0]["screenshot_size"]
    want = [100 / size["width"], 600 / size["height"], 200 / size["width"], 100 / size["height"]]
    for got in (seen["result"]["crop"], *seen["result"]["overlays"][:1]):
        assert all(abs(g - w) < 0.01 for g, w in zip(got, want)), (got, want)


def test_journey_strip_selects_a_step_with_the_keyboard(harness, reports):
    async def check(page: Any) -> dict[str, Any]:
        await page.focus("a[href='#page-2'][data-page]")
        await page.keyboard.press("Enter")
        await wait_js(page, "document.querySelector('a[aria-current][data-page]')")
        return await page.evaluate("""() => ({
            shown: [...document.querySelectorAll('.etape')].filter(e => e.offsetParent !== null).map(e => e.id),
            current: document.querySelector('a[aria-current][data-page]')?.getAttribute('data-page'),
        })""")

    res = browse(harness, reports["out"], "hostile/scorecard.html", check)["result"]
    assert res == {"shown": ["page-2"], "current": "page-2"}


def test_without_javascript_and_in_print(harness, reports):
    async def shown(page: Any) -> list[str]:
        return await page.evaluate(
            "[...document.querySelectorAll('.etape')].filter(e => getComputedStyle(e).display !== 'none').map(e => e.id)")

    all_pages = [f"page-{p['index']}" for p in reports["card"]["pages"]]
    assert browse(harness, reports["out"], "hostile/scorecard.html#page-2", shown, js=False)["result"] == ["page-2"]
    assert browse(harness, reports["out"], "hostile/scorecard.html", shown, js=False)["result"] == all_pages
    assert browse(harness, reports["out"], "hostile/scorecard.html#page-2", shown, media="print")["result"] == all_pages

    async def index(page: Any) -> dict[str, Any]:
        return await page.evaluate("""() => ({rows: document.querySelectorAll('#tableau tbody tr').length,
            filters: getComputedStyle(document.getElementById('filtres')).display, buttons: document.querySelectorAll('th button').length})""")

    assert browse(harness, reports["out"], "index.html", index, js=False)["result"] == {
        "rows": N_INDEX, "filters": "none", "buttons": 0}


async def tab_to(page: Any, predicate: str, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until ``predicate`` (JS, about document.activeElement) holds."""
    for _ in range(limit):
        await page.keyboard.press(key)
        if await page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"never reached with Tab: {predicate}")


def test_index_zero_axe_violations(harness, reports):
    async def check(page: Any) -> dict[str, Any]:
        res = {"rows": await page.evaluate("document.querySelectorAll('#tableau tbody tr').length")}
        res["axe"] = await axe_violations(page)
        await page.select_option("#f-status", "partial")
        await wait_js(page, "document.getElementById('compte').textContent.startsWith('20')")
        res["axe_filtered"] = await axe_violations(page)
        return res

    seen = browse(harness, reports["out"], "extrait/index.html", check)
    assert seen["result"] == {"rows": N_AXE, "axe": [], "axe_filtered": []}
    assert_inert(seen)


def test_index_keyboard_sort_and_filter(harness, reports):
    cards = reports["cards"]
    pages_col = 2  # Démarche, Parcours, Pages…
    cantine = [c for c in cards if "cantine" in c["name"]]

    async def check(page: Any) -> dict[str, Any]:
        res: dict[str, Any] = {}
        visible = "[...document.querySelectorAll('#tableau tbody tr')].filter(r => !r.hidden)"
        # sort by number of pages: Enter (ascending), then Space (descending)
        await tab_to(page, "el.matches('th button') && el.textContent.trim() === 'Pages'")
        await page.keyboard.press("Enter")
        res["sort_asc"] = await page.evaluate(
            f"[document.querySelectorAll('th')[{pages_col}].getAttribute('aria-sort'), "
            f"{visible}.map(r => +r.cells[{pages_col}].dataset.val)]")
        await page.keyboard.press("Space")
        res["sort_desc"] = await page.evaluate(
            f"[document.querySelectorAll('th')[{pages_col}].getAttribute('aria-sort'), "
            f"{visible}.map(r => r.cells[0].textContent.trim())]")
        # sort by name with the keyboard too
        await page.keyboard.press("Shift+Tab")
        await page.keyboard.press("Shift+Tab")
        res["on_name"] = await page.evaluate("document.activeElement.textContent.trim()")
        await page.keyboard.press("Enter")
        res["names_sorted"] = await page.evaluate(f"""(() => {{
            const names = {visible}.map(r => r.cells[0].querySelector('a').textContent.toLowerCase());
            const c = new Intl.Collator('fr', {{sensitivity: 'base', numeric: true}});
            return JSON.stringify(names) === JSON.stringify(names.slice().sort(c.compare)) && names.length;
        }})()""")
        # filter: type in the search field, then pick a status with the arrow keys
        await tab_to(page, "el.id === 'f-texte'", key="Shift+Tab")
        await page.keyboard.type("cantine")
        await wait_js(page, f"{visible}.length === {len(cantine)}")
        res["typed"] = await page.evaluate(f"{visible}.map(r => r.cells[0].textContent)")
        await page.keyboard.press("Tab")
        await page.keyboard.press("ArrowDown")  # « Tous » → « complet »
        res["status"] = await page.evaluate(f"[{visible}.map(r => r.dataset.status), "
                                            "document.getElementById('compte').textContent]")
        await tab_to(page, "el.id === 'f-effacer'")
        await page.keyboard.press("Enter")
        res["cleared"] = await page.evaluate(f"{visible}.length")
        return res

    seen = browse(harness, reports["out"], "index.html", check)
    res = seen["result"]
    assert_inert(seen)
    order, values = res["sort_asc"]
    assert order == "ascending" and values == sorted(values) and len(values) == N_INDEX
    order, names = res["sort_desc"]
    assert order == "descending" and names[0] != names[-1]
    assert res["on_name"] == "Démarche"
    assert res["names_sorted"] == N_INDEX
    assert len(res["typed"]) == len(cantine) and all("cantine" in t for t in res["typed"])
    statuses, live = res["status"]
    want = [c for c in cantine if c["status"] == "complete"]
    assert statuses == ["complete"] * len(want) and live.startswith(f"{len(want)}\u00a0démarche")
    assert res["cleared"] == N_INDEX


def test_index_badges_and_charts(reports):
    html = (reports["out"] / "index.html").read_text(encoding="utf-8")
    # every level is written as a word next to its symbol: colour never alone
    for key, _ in INDICATOR_LABELS:
        assert f'id="f-{key}"' in html
    assert "Non vérifié</span>" in html and "✓" in html
    assert html.count('<svg role="img"') == 3
    assert "Justificatif domicile" in html  # most requested documents, labelled from dlnuf.labels
