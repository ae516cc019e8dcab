"""axe-core in the page: installed once per page object, run in every frame
with a time limit (interrupted past it), and its failing nodes located on the
screenshot.

Split from ``page_audit.py`` (which audits the page as a whole and still
exposes these names): axe-core (~570 kB) is read once per process and
installed as an init script (``prepare_page``) rather than evaluated in every
frame of every page; results are slimmed inside the browser
(``axe_run.js``) so that only what the pipeline keeps crosses the wire; the
shared-chrome arguments (``chrome.py``) go with the run.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..model import AxeNode, AxeRuleResult
from .page_call import call
from .scripts import js as _js

if TYPE_CHECKING:
    from .page_audit import AuditOptions

# Failing elements located on the screenshot, per page: enough for the report's
# overlays, and a bounded cost on pages with hundreds of failing nodes.
MAX_BOXES = 80


@lru_cache(maxsize=1)
def axe_script() -> str:
    """axe-core's source, as shipped by axe-playwright-python."""
    from axe_playwright_python import base

    return base.AXE_SCRIPT


def axe_version() -> str:
    import re

    m = re.search(r'axe\.version\s*=\s*"([^"]+)"', axe_script()[:5000]) or re.search(
        r'version\s*:\s*"(\d+\.\d+\.\d+)"', axe_script()
    )
    return m.group(1) if m else "inconnue"


@lru_cache(maxsize=1)
def axe_init_script() -> str:
    """axe-core and its configuration, as one script the browser runs at the
    creation of every document of a page (see ``prepare_page``)."""
    return axe_script() + "\n;try { axe.configure({allowedOrigins: ['<unsafe_all_origins>']}); } catch (e) {}\n"


_AXE_INSTALLED: "weakref.WeakSet[Any]" = weakref.WeakSet()


async def prepare_page(page: Any, options: "AuditOptions | None" = None) -> None:
    """Install axe-core in every document the page will load.

    With a cache that holds results (incremental rescans) nothing is
    installed up front: most pages will not need axe at all, and running
    its 570 kB in every document costs about as much as loading a simple
    page.  The first page that misses the cache gets axe by ``evaluate`` and
    installs it for the documents that follow (``_ensure_installed``).  An
    empty cache (first scan) installs it at once: every page will miss.

    The 570 kB script crosses the wire once per démarche instead of once per
    frame of every page (Playwright → driver → browser, three copies each
    time), and Chromium runs it while the document is created, without an
    extra round trip.  It is installed on the page rather than on the
    context: a context-wide init script also runs in the page's first,
    empty document, in a renderer that has just started, which cost two
    seconds per démarche on the benchmark.  Frames where the init script
    did not run (some sandboxed frames) still get axe by ``evaluate``."""
    if options is not None and options.cache is not None and not options.cache.cold:
        return
    await _ensure_installed(page)


async def _ensure_installed(page: Any) -> None:
    try:
        if page in _AXE_INSTALLED:
            return
        _AXE_INSTALLED.add(page)
    except TypeError:  # not weak-referenceable: install (idempotent in effect)
        pass
    await page.add_init_script(axe_init_script())


async def _inject_axe(frame: Any) -> None:
    has = await frame.evaluate("() => typeof window.axe !== 'undefined' && !!window.axe.run")
    if not has:
        await frame.evaluate(axe_script())
        await frame.evaluate("() => axe.configure({allowedOrigins: ['<unsafe_all_origins>']})")


async def _interrupt(page: Any, cdp: Any) -> None:
    """Stop a script still running in the page (axe past its time budget).

    ``asyncio.wait_for`` only stops waiting: axe itself would keep the
    page's main thread busy (minutes on a 20 000-node page) and block the
    rest of the walk.  ``Runtime.terminateExecution`` aborts it; the page
    stays usable.  A termination that arrives after axe finished would hit
    the next script instead, so a harmless evaluation absorbs it."""
    if cdp is None:
        return
    try:
        await cdp.send("Runtime.terminateExecution")
    except Exception:
        return
    for _ in range(2):
        try:
            await asyncio.wait_for(page.evaluate("0"), timeout=5)
            return
        except Exception:
            continue


async def _axe_raw(page: Any, timeout_s: float, cdp: Any = None,
                   chrome: dict[str, Any] | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """Raw (slimmed) axe results of the page and its frames, or an error.

    ``cdp`` is a DevTools session already attached to the page (the walk's
    own), used to stop axe past its budget; without one a session is
    attached for the run.  The main frame is not asked first whether it
    has axe (one round trip per page): ``axe_run.js`` answers ``null``
    when the init script did not run there, and only then is axe injected.
    ``chrome``: the shared-chrome arguments (``ChromeStore.script_args``)."""

    async def go() -> dict[str, Any]:
        for frame in page.frames:
            if frame is page.main_frame or frame.is_detached():
                continue
            try:
                await _inject_axe(frame)
            except Exception:
                # a frame that cannot take the script (detached, sandboxed) is
                # reported by axe itself as needing review
                continue
        args = {"frameWaitTime": int(min(timeout_s, 10) * 1000), "chrome": chrome}
        res = await call(page, cdp, _js("axe_run.js"), args)
        if res is None:
            await _inject_axe(page.main_frame)
            res = await call(page, cdp, _js("axe_run.js"), args)
        if res is None:
            raise RuntimeError("axe-core absent de la page")
        return res

    own = cdp is None
    if own:
        try:
            # attached before axe starts: a busy page could not attach one later
            cdp = await page.context.new_cdp_session(page)
        except Exception:
            cdp = None
    try:
        return await asyncio.wait_for(go(), timeout=timeout_s), None
    except asyncio.TimeoutError:
        await _interrupt(page, cdp)
        return None, f"axe n'a pas terminé en {timeout_s:g} s : page à vérifier manuellement"
    except Exception as exc:
        if "context was destroyed" in str(exc):
            raise  # the page navigated away during axe: the walk reads the new page
        return None, f"axe n'a pas pu s'exécuter : {_short(exc)}"
    finally:
        if own and cdp is not None:
            try:
                await cdp.detach()
            except Exception:
                pass


def _conv(items: list[dict[str, Any]]) -> list[AxeRuleResult]:
    return [
        AxeRuleResult(
            rule=r["rule"], impact=r.get("impact"), tags=r.get("tags", []), help=r.get("help", ""),
            help_url=r.get("help_url", ""), description=r.get("description", ""),
            nodes=[AxeNode(target=n.get("target", []), html=n.get("html", ""), summary=n.get("summary", ""))
                   for n in r.get("nodes", [])],
        )
        for r in items
    ]


async def run_axe(page: Any, timeout_s: float) -> tuple[list[AxeRuleResult], list[AxeRuleResult], str | None]:
    """axe-core on the page and all its frames; (violations, incomplete, error)."""
    raw, error = await _axe_raw(page, timeout_s)
    if raw is None:
        return [], [], error
    return _conv(raw["violations"]), _conv(raw["incomplete"]), None


async def locate_nodes(page: Any, results: list[AxeRuleResult], timeout_s: float, cdp: Any = None) -> None:
    """Give failing nodes their ``box`` in page coordinates (those of the
    full-page screenshot), so the report can frame the element on it.

    Targets are grouped by frame: one evaluation per frame, plus one per
    iframe crossed, whose content box offsets the boxes found inside it.
    At most MAX_BOXES nodes; a node that cannot be found keeps ``box=None``.
    The main frame's evaluation goes through ``cdp`` when given
    (``page_call``)."""
    nodes = [n for r in results for n in r.nodes if n.target][:MAX_BOXES]
    groups: dict[str, tuple[list[Any], list[AxeNode]]] = {}
    for n in nodes:
        path = list(n.target[:-1])
        groups.setdefault(json.dumps(path), (path, []))[1].append(n)

    async def go() -> None:
        for path, group in groups.values():
            frame, dx, dy, top = page.main_frame, 0.0, 0.0, True
            for sel in path:  # enter each iframe on the way to the node
                handle = await frame.evaluate_handle(_js("locate.js"), {"targets": [sel], "page": top,
                                                                        "element": True})
                box = await (await handle.get_property("box")).json_value()
                el = (await handle.get_property("el")).as_element()
                frame = await el.content_frame() if el is not None and box else None
                if frame is None:
                    break
                dx, dy, top = dx + box[0], dy + box[1], False
            if frame is None:
                continue
            args = {"targets": [n.target[-1] for n in group], "page": top}
            boxes = await (call(page, cdp, _js("locate.js"), args) if frame is page.main_frame
                           else frame.evaluate(_js("locate.js"), args))
            for n, b in zip(group, boxes):
                if b:
                    n.box = {"x": round(b[0] + dx), "y": round(b[1] + dy),
                             "width": round(b[2]), "height": round(b[3])}

    try:
        await asyncio.wait_for(go(), timeout=min(timeout_s, 10))
    except Exception:
        pass  # boxes are a convenience for the report: never fail the audit for them


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:300]
