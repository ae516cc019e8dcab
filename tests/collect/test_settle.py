"""settle.js in a real Chromium: the short quiet window (``idle_ms``) is only
taken when the page has nothing scheduled; a timer or an animation frame
still due keeps the walk waiting for what it will change, and the page's
own timers behave exactly as without the tracking."""

from __future__ import annotations

import asyncio
from typing import Any

from auditor.collect.page_audit import _js

QUIET, IDLE = 150, 40


def run(harness: Any, html: str, script: str) -> Any:
    async def go() -> Any:
        ctx = await harness.browser.new_context(locale="fr-FR")
        try:
            page = await ctx.new_page()
            await page.add_init_script(script=_js("settle.js"))  # runs in each new document
            await page.route("http://settle.test/", lambda route: route.fulfill(
                body=html, content_type="text/html; charset=utf-8"))
            await page.goto("http://settle.test/")
            return await page.evaluate(script)
        finally:
            await ctx.close()

    return harness._run(go())


def test_a_timer_still_due_is_waited_for(harness: Any) -> None:
    """Without the tracking, the short window ends at ~40 ms, before the
    timer adds the content the walk must see."""
    html = """<!doctype html><html lang="fr"><body><main id="m"></main><script>
      window.go = () => setTimeout(() => { document.getElementById('m').innerHTML = '<h1>Arrivé</h1>'; }, 100);
    </script></body></html>"""
    got = run(harness, html, f"""async () => {{
      window.go();
      const since = performance.timeOrigin + performance.now();
      await window.__auditorQuiet({QUIET}, 5000, since, {IDLE});
      return document.querySelector('h1') && document.querySelector('h1').textContent;
    }}""")
    assert got == "Arrivé"


def test_an_idle_page_settles_on_the_short_window(harness: Any) -> None:
    html = "<!doctype html><html lang='fr'><body><h1>Rien à faire</h1></body></html>"
    waited = run(harness, html, f"""async () => {{
      const t = performance.now();
      const since = performance.timeOrigin + t;
      await window.__auditorQuiet({QUIET} * 20, 10000, since, {IDLE});
      return performance.now() - t;
    }}""")
    assert waited < QUIET * 20  # the full window would be 3 s: the short one was taken


def test_animation_frames_and_cleared_timers(harness: Any) -> None:
    """A pending animation frame counts until it runs; a cleared timer, a
    long timer and an interval never count."""
    html = "<!doctype html><html lang='fr'><body><p>x</p></body></html>"
    got = run(harness, html, """async () => {
      const out = {};
      const raf = requestAnimationFrame(() => {});
      out.rafPending = window.__auditorPending().length;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      out.afterFrames = window.__auditorPending().length;
      const id = setTimeout(() => { window.ran = true; }, 200);
      out.timerPending = window.__auditorPending().length;
      clearTimeout(id);
      out.afterClear = window.__auditorPending().length;
      setTimeout(() => {}, 5000);
      const iv = setInterval(() => {}, 20);
      out.longAndInterval = window.__auditorPending().length;
      clearInterval(iv);
      const f = requestAnimationFrame(() => { window.frameRan = true; });
      cancelAnimationFrame(f);
      out.afterCancel = window.__auditorPending().length;
      await new Promise((r) => setTimeout(r, 250));
      out.clearedRan = !!window.ran;
      out.cancelledRan = !!window.frameRan;
      return out;
    }""")
    assert got == {"rafPending": 1, "afterFrames": 0, "timerPending": 1, "afterClear": 0,
                   "longAndInterval": 0, "afterCancel": 0, "clearedRan": False, "cancelledRan": False}


def test_the_page_timers_are_unchanged(harness: Any) -> None:
    """Arguments, ``this``, ids, string callbacks, and the functions' names
    and native-looking source: pages that inspect them see no difference."""
    html = "<!doctype html><html lang='fr'><body><p>x</p></body></html>"
    got = run(harness, html, """async () => {
      const out = {};
      out.args = await new Promise((r) => setTimeout((a, b) => r([a, b]), 0, 'un', 2));
      out.idType = typeof setTimeout(() => {}, 0);
      window.viaString = 0;
      setTimeout('window.viaString = 1', 0);
      await new Promise((r) => setTimeout(r, 20));
      out.viaString = window.viaString;
      out.names = [setTimeout.name, requestAnimationFrame.name, clearTimeout.name];
      out.native = String(setTimeout).includes('[native code]');
      out.thisOk = await new Promise((r) => window.setTimeout.call(window, () => r(true), 0));
      return out;
    }""")
    assert got == {"args": ["un", 2], "idType": "number", "viaString": 1,
                   "names": ["setTimeout", "requestAnimationFrame", "clearTimeout"],
                   "native": True, "thisOk": True}


def test_a_page_navigating_away_gets_the_full_window(harness: Any) -> None:
    """A form sent whose next page is slow to answer: the page looks idle,
    but it is about to be replaced.  The short window would declare it
    settled (the walk would then see « nothing happened » and click again on
    the next page); the full window lets the new document arrive, which ends
    the call with the old document."""
    html = """<!doctype html><html lang="fr"><body>
      <form action="http://settle.test/suite" method="get"><button>Suivant</button></form></body></html>"""

    async def go() -> Any:
        ctx = await harness.browser.new_context(locale="fr-FR")
        try:
            page = await ctx.new_page()
            await page.add_init_script(script=_js("settle.js"))

            async def serve(route: Any) -> None:
                if "suite" in route.request.url:
                    await asyncio.sleep(0.4)
                await route.fulfill(body=html, content_type="text/html; charset=utf-8")

            await page.route("http://settle.test/**", serve)
            await page.goto("http://settle.test/")
            try:
                await page.evaluate(f"""async () => {{
                  document.querySelector('form').requestSubmit();
                  await window.__auditorQuiet(3000, 10000, performance.timeOrigin + performance.now(), {IDLE});
                  return 'resté';
                }}""")
            except Exception as exc:
                return "navigated" if "destroyed" in str(exc) or "navigation" in str(exc) else repr(exc)
            return "settled on the old page"
        finally:
            await ctx.close()

    assert harness._run(go()) == "navigated"
