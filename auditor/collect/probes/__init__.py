"""Probes: what an auditor checks by hand on a live page, done by the browser.

axe-core reads the DOM once; a probe *acts* on the page as an auditor would
(presses Tab, narrows the window, widens the text spacing) and records raw
facts — focused elements and their boxes, overflowing elements, clipped
text — for the checks of ``auditor/checks/`` to judge offline (Lighthouse's
gatherer / audit split: the probe never decides, the check never touches a
browser).  Each probe restores the page as it found it, so that the walk
goes on as before: no character typed, no control activated.

A probe is an ``async (page, timeout_s) -> dict`` registered under a name
with ``@probe``; ``run_probes`` runs the asked ones on a step page and
records each one's result (or its error) and its cost in milliseconds.
The empty submission (``empty_submit.py``, in ``WALK_PROBES``) is the one
exception: it clicks, so the automatic walk calls it before filling a step,
and records its facts in the same ``PageCapture.probes``.
"""

from __future__ import annotations

import asyncio
import importlib
import time
import weakref
from typing import Any, Awaitable, Callable

ProbeFn = Callable[[Any, float], Awaitable[dict[str, Any]]]

# name → probe; filled by the modules of this package (see ``load_all``)
PROBES: dict[str, ProbeFn] = {}
# every probe the tool knows, in the order they run (text spacing last: it changes styles)
NAMES = ("keyboard", "reflow", "text_spacing")
# probes the automatic walk runs itself, at its own moment (not ``run_probes``: another signature):
# the empty submission acts before the walk fills a step (``empty_submit.py``, called by auto_walk.py)
WALK_PROBES = ("empty_submit",)
_MODULES = {"keyboard": "keyboard", "reflow": "reflow", "text_spacing": "spacing"}


def probe(name: str) -> Callable[[ProbeFn], ProbeFn]:
    def register(fn: ProbeFn) -> ProbeFn:
        PROBES[name] = fn
        return fn

    return register


# each page object's DevTools session for the probes' scripts (``page_call``): half the processor time of
# Playwright's ``evaluate`` per call; the walk's own session (``use_session``), else one opened on first use;
# it lives and dies with the page
_SESSIONS: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()


async def session(page: Any) -> Any:
    """The probes' DevTools session on ``page``, or None (not Chromium, a test double): then ``page_call.call``
    goes through Playwright's ``evaluate``, as before."""
    try:
        cdp = _SESSIONS.get(page)
    except TypeError:  # a page object that cannot be weakly referenced
        return None
    if cdp is None:
        try:
            cdp = await page.context.new_cdp_session(page)
        except Exception:
            return None
        _SESSIONS[page] = cdp
    return cdp


def use_session(page: Any, cdp: Any) -> None:
    """Let the probes' scripts use a DevTools session already attached to ``page`` (the walk's) instead of
    opening another (``session``)."""
    if cdp is None:
        return
    try:
        _SESSIONS.setdefault(page, cdp)
    except TypeError:  # a page object that cannot be weakly referenced
        pass


def load(name: str) -> ProbeFn | None:
    """The probe ``name``, importing its module on first use (None: unknown or not written)."""
    if name not in PROBES and name in _MODULES:
        try:
            importlib.import_module(f"{__name__}.{_MODULES[name]}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{_MODULES[name]}":
                raise
    return PROBES.get(name)


async def run_probes(page: Any, names: frozenset[str] | set[str], timeout_s: float) -> dict[str, Any]:
    """Run the asked probes on ``page`` in a fixed order.  A probe that fails
    or overruns its budget records ``{"error": …}`` (in French) and the
    others still run; every result carries ``ms``, its wall-clock cost."""
    out: dict[str, Any] = {}
    for name in NAMES:
        if name not in names:
            continue
        fn = load(name)
        if fn is None:
            continue
        t0 = time.perf_counter()
        try:
            res = await asyncio.wait_for(fn(page, timeout_s), timeout=timeout_s)
        except asyncio.TimeoutError:
            res = {"error": f"sonde interrompue après {timeout_s:.0f} s"}
        except Exception as exc:  # a probe never stops the walk
            res = {"error": f"sonde en échec : {type(exc).__name__}: {str(exc)[:200]}"}
        res["ms"] = int(round((time.perf_counter() - t0) * 1000))
        out[name] = res
    return out
