"""Shared chrome (auditor/collect/chrome.py): axe's results with a site's
header, navigation and footer reused from an earlier page are the results of
axe on the whole page.

The browser tests run every HTML page of the test fixtures (grouped by
folder, as one site each) and the generated bench site, each page audited
whole and with reuse, and compare rule, impact and every node's target,
HTML and message, in order.  For the fixtures, regions of any size are
candidates (``min_elements: 1``) so that their small headers and footers
are reused too.  ``chrome_site.py`` writes the subtle cases: the same
header with one link colour changed, or one ARIA attribute changed, is not
reused; an unchanged one is, with its contrast finding re-targeted; one whose
ids are generated anew is reused with this page's ids, unless a reference
no longer resolves the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.collect.chrome import ChromeReuseRules, ChromeStore
from auditor.demo.server import StaticServer
from auditor.ruleset import load_rules
from support import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
# pages that defeat a shared comparison on purpose (endless scripts, crashes) or need their own server
SKIP = ("hostile", "polite")


def _signature(raw: dict[str, Any]) -> list[Any]:
    return [(kind, r["rule"], r["impact"], [(n["target"], n["html"], n["summary"]) for n in r["nodes"]])
            for kind in ("violations", "incomplete") for r in raw[kind]]


def _compare(harness: Any, root: Path, names: list[str], rules: ChromeReuseRules) -> list[dict[str, Any]]:
    """Audit each page of ``names`` (served from ``root``, in order, one browser page) whole and with
    reuse; return per page {name, same, reused}."""
    from auditor.collect.page_audit import _axe_raw, _ensure_installed

    store = ChromeStore(rules)

    async def go(base: str) -> list[dict[str, Any]]:
        ctx = await harness.browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
        out = []
        try:
            page = await ctx.new_page()
            await _ensure_installed(page)
            for name in names:
                await page.goto(base + name, wait_until="load")
                args = store.script_args(base + name)
                for attempt in range(4):
                    whole, err = await _axe_raw(page, 60)
                    reuse, err2 = await _axe_raw(page, 60, chrome=args)
                    assert whole is not None and reuse is not None, (name, err, err2)
                    if _signature(whole) == _signature(reuse):
                        break
                    # a page that redraws itself just after loading (a single-page app's first view) changed
                    # between the two runs: once more, settled (a difference in reuse itself stays)
                    await page.wait_for_timeout(500 * (attempt + 1))
                reused = store.record(base + name, reuse, args)
                out.append({"name": name, "same": _signature(whole) == _signature(reuse), "reused": reused,
                            "whole": whole, "reuse": reuse})
        finally:
            await ctx.close()
        return out

    with StaticServer(root) as srv:
        return harness._run(go(srv.url), timeout=900)


def test_subtle_changes_are_not_reused_and_results_match(harness, tmp_path):
    from chrome_site import write

    rules = load_rules().models["axe-reuse"]
    names = write(tmp_path)
    got = {r["name"]: r for r in _compare(harness, tmp_path, names, rules)}
    assert all(r["same"] for r in got.values()), [n for n, r in got.items() if not r["same"]]
    regions = lambda name: sorted(r["region"] for r in got[name]["reused"])  # noqa: E731
    assert regions("1-etape.html") == []  # first page: learnt
    assert regions("2-etape.html") == ["footer", "header"]
    # one link colour changed in the menu: the header is audited again (its contrast differs), not the footer
    assert regions("3-couleur.html") == ["footer"]
    assert any(r["rule"] == "color-contrast" and any(".lien" in str(n["target"]) or "rubrique" in n["html"]
                                                     for n in r["nodes"])
               for r in got["3-couleur.html"]["whole"]["violations"])
    # one ARIA attribute changed: audited again, and its invalid value is found
    assert regions("4-aria.html") == ["footer"]
    assert "aria-valid-attr-value" in {r["rule"] for r in got["4-aria.html"]["reuse"]["violations"]}
    # unchanged again: reused, the header's own contrast finding put back with a target on this page
    assert regions("5-etape.html") == ["footer", "header"]
    header = next(r for r in got["5-etape.html"]["reused"] if r["region"] == "header")
    assert header["from_url"].endswith("/1-etape.html") and header["nodes"] >= 1
    contrast = next(r for r in got["5-etape.html"]["reuse"]["violations"] if r["rule"] == "color-contrast")
    assert any("faible" in n["html"] for n in contrast["nodes"])
    # the page's own findings are still there (page-level and element-level outside the regions)
    rules5 = {r["rule"] for r in got["5-etape.html"]["reuse"]["violations"]}
    assert "image-alt" in rules5
    # ids generated anew: the header is reused, its findings written with this page's ids
    assert regions("6-ids.html") == ["footer", "header"]
    label = next(r for r in got["6-ids.html"]["reuse"]["violations"] if r["rule"] == "label")
    assert [n["html"] for n in label["nodes"]] == ['<input type="search" id="recherche-7f3a" class="recherche">']
    assert label["nodes"][0]["target"] == ["#recherche-7f3a"]
    # renamed ids the button no longer resolves: audited again (its results equal the whole page's, above)
    assert regions("7-ids-casses.html") == ["footer"]


def test_every_fixture_page_gives_the_same_results(harness):
    """Every fixture folder as a site: pages audited in order, small regions allowed."""
    rules = load_rules().models["axe-reuse"].model_copy(update={"min_elements": 1, "give_up_after": 0})
    folders = sorted({p.relative_to(FIXTURES).parts[0] for p in FIXTURES.rglob("*.html")} - set(SKIP))
    differ: list[str] = []
    reused = 0
    for folder in folders:
        names = sorted(str(p.relative_to(FIXTURES / folder)) for p in (FIXTURES / folder).rglob("*.html"))
        for r in _compare(harness, FIXTURES / folder, names, rules):
            reused += bool(r["reused"])
            if not r["same"]:
                differ.append(f"{folder}/{r['name']}")
    assert differ == []
    assert reused >= 20  # the comparison exercised reuse, not only whole pages


def test_bench_site_gives_the_same_results(harness, tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import sitegen

    ids = sitegen.generate(tmp_path, 2)
    names = sorted(str(p.relative_to(tmp_path)) for i in ids for p in (tmp_path / i).glob("*.html"))
    got = _compare(harness, tmp_path, names, load_rules().models["axe-reuse"])
    assert [r["name"] for r in got if not r["same"]] == []
    assert sum(bool(r["reused"]) for r in got) >= len(names) - len(ids)  # all but each démarche's first page


def test_a_region_that_cannot_be_put_back_leaves_the_page_audited_whole(harness, tmp_path):
    """Recorded results that no longer fit the page (a region redrawn during the run; here, a node path
    that resolves to nothing) never cost the page its audit: it is audited whole, and says it reused nothing."""
    import copy

    from chrome_site import write

    from auditor.collect.page_audit import _axe_raw, _ensure_installed

    names = write(tmp_path)
    store = ChromeStore(load_rules().models["axe-reuse"])

    async def go(base: str) -> tuple[Any, Any, Any]:
        ctx = await harness.browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
        try:
            page = await ctx.new_page()
            await _ensure_installed(page)
            await page.goto(base + names[0], wait_until="load")
            args = store.script_args(base + names[0])
            store.record(base + names[0], (await _axe_raw(page, 60, chrome=args))[0], args)
            await page.goto(base + names[4], wait_until="load")
            args = copy.deepcopy(store.script_args(base + names[4]))
            for results in args["known"].values():
                for rule in results["violations"].values():
                    for node in rule["nodes"]:
                        node["path"] = [999]
            whole, _ = await _axe_raw(page, 60)
            broken, err = await _axe_raw(page, 60, chrome=args)
            return whole, broken, err
        finally:
            await ctx.close()

    with StaticServer(tmp_path) as srv:
        whole, broken, err = harness._run(go(srv.url))
    assert err is None and broken["reused"] == [] and broken["chrome"].startswith("reuse failed")
    assert _signature(broken) == _signature(whole)
