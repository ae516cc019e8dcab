"""The walk's fast way into the page (DevTools session instead of
Playwright's evaluate and locator actions), in a real Chromium: same
results, the same events a user's click or file choice makes, and a clear
"no" whenever the fast way cannot be sure, so that Playwright's waiting
action takes over."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from auditor.collect import page_call
from auditor.collect.fill import SAMPLE_PDF

PAGE = """<!doctype html><html lang="fr"><body style="margin:0">
<button id="ok" onclick="window.log.push('ok:' + event.isTrusted)">Suivant</button>
<button id="off" disabled>Désactivé</button>
<div style="height:3000px"></div>
<button id="loin" onclick="window.log.push('loin')">Tout en bas</button>
<div style="height:1000px"></div>
<button id="dessous" style="position:relative">Caché</button>
<div style="position:fixed;bottom:0;left:0;right:0;height:120px;background:#fff">bandeau</div>
<input type="file" id="piece" onchange="window.log.push('change:' + this.files[0].name)"
       oninput="window.log.push('input')">
<input type="text" id="nom">
<script>window.log = [];</script>
</body></html>"""


def run(harness: Any, body: Any) -> Any:
    async def go() -> Any:
        ctx = await harness.browser.new_context(locale="fr-FR", viewport={"width": 800, "height": 600})
        try:
            page = await ctx.new_page()
            await page.set_content(PAGE)
            cdp = await ctx.new_cdp_session(page)
            return await body(page, cdp)
        finally:
            await ctx.close()

    return harness._run(go())


def test_call_returns_the_value_and_raises_what_the_page_throws(harness: Any) -> None:
    async def body(page: Any, cdp: Any) -> Any:
        value = await page_call.call(page, cdp, "(a) => ({sum: a.x + 1, text: a.t, none: null})", {"x": 1, "t": "é«»"})
        no_arg = await page_call.call(page, cdp, "() => document.documentElement.lang")
        with pytest.raises(page_call.PageScriptError, match="boum"):
            await page_call.call(page, cdp, "() => { throw new Error('boum'); }")
        awaited = await page_call.call(page, cdp, "async (ms) => { await new Promise(r => setTimeout(r, ms)); return 'fini'; }", 20)
        without_session = await page_call.call(page, None, "(a) => a * 2", 21)
        with pytest.raises(page_call.PageScriptError, match="plus tard"):
            await page_call.call(page, cdp, "async () => { await null; throw new Error('plus tard'); }")
        # the result travels as JSON text: undefined and NaN read as None, nesting and strings as they were
        odd = [await page_call.call(page, cdp, s) for s in ("() => undefined", "() => NaN", "() => '[1]'",
                                                             "() => [[{a: [true, 1.5]}], '']")]
        return value, no_arg, awaited, without_session, odd

    value, no_arg, awaited, without_session, odd = run(harness, body)
    assert odd == [None, None, "[1]", [[{"a": [True, 1.5]}], ""]]
    assert value == {"sum": 2, "text": "é«»", "none": None}
    assert no_arg == "fr"
    assert awaited == "fini"
    assert without_session == 42


def test_a_navigation_during_the_call_reads_as_a_destroyed_context(harness: Any) -> None:
    """The walk re-reads the page on « context was destroyed »: the fast
    way must say it in the same words as Playwright."""
    async def body(page: Any, cdp: Any) -> str:
        try:
            await asyncio.wait_for(page_call.call(
                page, cdp, "() => { setTimeout(() => location.reload(), 10); return new Promise(() => {}); }"), 20)
        except page_call.PageScriptError as exc:
            return str(exc)
        return "no error"

    assert "context was destroyed" in run(harness, body)


def test_click_reaches_the_control_as_a_trusted_click(harness: Any) -> None:
    async def body(page: Any, cdp: Any) -> Any:
        point = await page_call.click_point(page, cdp, "#ok")
        assert point is not None
        await page_call.click_at(cdp, point)
        far = await page_call.click_point(page, cdp, "#loin")  # scrolled into view first
        assert far is not None and 0 <= far["y"] <= 600
        await page_call.click_at(cdp, far)
        return await page.evaluate("() => window.log")

    assert run(harness, body) == ["ok:true", "loin"]


def test_no_fast_click_when_the_control_is_covered_disabled_or_missing(harness: Any) -> None:
    async def body(page: Any, cdp: Any) -> Any:
        # #dessous sits under the fixed banner once scrolled to the bottom of the page
        await page.evaluate("() => { const b = document.getElementById('dessous');"
                            " b.style.position = 'fixed'; b.style.bottom = '10px'; b.style.left = '10px'; }")
        return [await page_call.click_point(page, cdp, sel)
                for sel in ("#dessous", "#off", "#absent", "button[", "#piece + #rien")]

    assert run(harness, body) == [None, None, None, None, None]


def test_set_files_fires_input_and_change_like_the_file_picker(harness: Any) -> None:
    async def body(page: Any, cdp: Any) -> Any:
        done = await page_call.set_files(cdp, [("#piece", [str(SAMPLE_PDF.resolve())]), ("#nom", [str(SAMPLE_PDF)]),
                                               ("#absent", [str(SAMPLE_PDF)])])
        names = await page.evaluate("() => Array.from(document.getElementById('piece').files).map(f => f.name)")
        return done, names, await page.evaluate("() => window.log")

    done, names, log = run(harness, body)
    assert done == [True, False, False]  # not a file input, no such element: Playwright's upload is used
    assert names == [SAMPLE_PDF.name]
    assert "input" in log and f"change:{SAMPLE_PDF.name}" in log


def test_a_header_that_appears_on_scroll_does_not_take_the_click(harness: Any) -> None:
    """Sites show a sticky header once the page scrolls: the point is
    checked after the scroll has had its effects, so the click goes to
    Playwright (which waits) rather than onto the header."""
    async def body(page: Any, cdp: Any) -> Any:
        await page.set_content("""<!doctype html><html><body style="margin:0">
<header id="h" style="position:fixed;top:0;left:0;right:0;height:600px;display:none;background:#fff">menu</header>
<div style="height:2000px"></div><button id="b">Suivant</button><div style="height:2000px"></div>
<script>addEventListener('scroll', () => { document.getElementById('h').style.display = 'block'; });</script>
</body></html>""")
        return await page_call.click_point(page, cdp, "#b")

    assert run(harness, body) is None
