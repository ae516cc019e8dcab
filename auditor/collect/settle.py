"""Waiting for the page to settle after an action, and reading where the
walk is.

After every action the walk waits for the page to settle — a quiet DOM,
measured in the page by a MutationObserver (``settle.js``), no navigation
pending and no request in flight; bounded — instead of sleeping.  What the
page looks like once settled (``state.js``) is read in the same call: a
:class:`PageState` says where the walk is (URL and main content).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .guard import PageUnresponsive
from .scripts import js as _js


@dataclass
class PageState:
    """What identifies where the walk is: URL (fragment included: hash
    routers) and main content; plus what explains a refusal."""

    url: str
    key: str
    origin: float  # performance.timeOrigin: changes with each new document
    messages: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    title: str = ""
    h1: str = ""
    alerts: list[dict[str, Any]] = field(default_factory=list)  # the app's alerts (state.js)
    main_chars: int | None = None  # visible characters of the main region
    fields: str = ""  # the visible fields' signature


_LOADING_JS = """([sels, texts]) => {
  const main = document.querySelector("main, [role=main], #main, #content") || document.body;
  if (!main) return false;
  const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const s of sels) {
    try { if (Array.from(main.querySelectorAll(s)).some(shown) || (main.matches(s) && shown(main))) return true; }
    catch (e) { /* invalid selector: ignored */ }
  }
  const t = (main.innerText || "").replace(/\\s+/g, " ").trim();
  return t.length < 80 && texts.some((p) => { try { return new RegExp(p, "i").test(t); } catch (e) { return false; } });
}"""


@lru_cache(maxsize=1)
def _settled_script() -> str:
    """The quiet window (settle.js), then the loading indicators, the
    document's readyState and the walk's state, in one call."""
    return f"""async ([q, m, since, sels, texts, ignore, idle]) => {{
  if (window.__auditorQuiet) await window.__auditorQuiet(q, m, since, idle, true);
  else {{  // settle.js absent from this document: at least its load event
    const t0 = performance.now();
    while (document.readyState !== "complete" && performance.now() - t0 < m) await new Promise((r) => setTimeout(r, 30));
  }}
  const loading = ({_LOADING_JS})([sels, texts]);
  const navigating = window.__auditorNavigating ? window.__auditorNavigating(true) : false;
  return {{ loading, navigating, ready: document.readyState, state: ({_js("state.js").strip().rstrip(";")})(ignore) }};
}}"""


@lru_cache(maxsize=1)
def _signals_script() -> str:
    """candidates.js and the walk's state (state.js) in one call."""
    return f"""([opts, ignore]) => {{
  const out = ({_js("candidates.js").strip().rstrip(";")})(opts);
  out.state = ({_js("state.js").strip().rstrip(";")})(ignore);
  return out;
}}"""


class SettleMixin:
    """Settling and page state for :class:`~auditor.collect.walk.Walker`,
    apart so that the one wait the walk knows (``_settle``) can be read
    with what it waits for.

    Reads the walker's ``page``, ``walk_rules``, ``timeout_s``,
    ``unresponsive``, and ``_inflight``, ``_nav_pending``,
    ``_nav_request_at`` and ``_blocked`` (written by the navigation guard);
    writes ``_action_epoch_ms`` (an action's start is used once).  Calls
    the walker's ``_bounded``, ``_call``, ``_alive`` and ``_error``.
    """

    # ------------------------------------------------------------ liveness

    async def _probe(self) -> None:
        """Cheap liveness check before work that makes many page calls, and
        after a failed action (was it the page that stopped answering?)."""
        await self._bounded(self._call("() => 1"), self.timeout_s, "la page")

    async def _probe_after_failure(self) -> None:
        """After an action failed: raise PageUnresponsive when the page itself
        hangs (a click that times out on a looping page is not a click error)."""
        if not self._alive():
            raise PageUnresponsive(self.unresponsive or "le moteur de rendu de la page a planté")
        try:
            await self._probe()
        except PageUnresponsive:
            raise
        except Exception:
            pass

    async def _still_loading(self, settled: dict[str, Any] | None = None) -> bool:
        """The document never finished arriving (its body is still streaming
        after the settle budget): recorded, and the walk stops there."""
        if settled is not None and settled.get("ready"):
            state = settled["ready"]
        else:
            try:
                state = await self._bounded(self._call("() => document.readyState"), self.timeout_s,
                                            "l'état de chargement")
            except PageUnresponsive:
                raise
            except Exception:
                return False
        if state == "loading":
            self._error("navigate", f"la page n'a pas fini de charger en {self.timeout_s:.0f} s (délai dépassé)")
            return True
        return False

    # --------------------------------------------------------------- settling

    def _busy(self) -> bool:
        """A request is in flight.  One unanswered after
        ``settle.request_max_ms`` no longer holds the walk: a beacon stuck
        behind a slow collector must not stall every step (a page that waits
        for a slow answer shows it: its loading indicator holds the settle)."""
        horizon = time.monotonic() - self.walk_rules.settle.request_max_ms / 1000
        return any(t > horizon for t in self._inflight.values())

    async def _settle(self) -> dict[str, Any] | None:
        """Wait until the page has settled after an action: no navigation
        pending, the load event passed, the DOM quiet for ``quiet_ms`` (from
        the action and from its last change: a document created by the
        action counts from its own start) and no request in flight — at most
        ``max_ms``.  Never a fixed sleep.  A page with no short timer and no
        animation frame pending (settle.js tracks them) needs only
        ``idle_ms`` of quiet: nothing it scheduled can still change it.

        Returns what the page looked like once settled — ``readyState`` and
        the walk's state (``state.js``) — read in the same call as the quiet
        window, so the walk needs no further round trip to know where it is
        (None when it could not be read)."""
        cfg = self.walk_rules.settle
        wr = self.walk_rules
        loop = asyncio.get_running_loop()
        deadline = loop.time() + cfg.max_ms / 1000
        # an action's start is used once: a later settle with no new action counts from its call
        since = self._action_epoch_ms or time.time() * 1000
        action_at = since
        self._action_epoch_ms = None
        last: dict[str, Any] | None = None
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return last
            if self._nav_pending:
                await asyncio.sleep(0.03)
                continue
            try:  # the load event is awaited in the page (readyState): no Playwright waiter and its messages
                budget = max(0, int((deadline - loop.time()) * 1000))
                last = await self._bounded(self._call(_settled_script(), [
                    cfg.quiet_ms, budget, since, wr.loading_selectors, wr.loading_text, wr.state_ignore,
                    cfg.idle_ms,
                ]), budget / 1000 + self.timeout_s, "l'attente de la page")
            except PageUnresponsive:
                raise
            except Exception:
                last = None
                await asyncio.sleep(0.03)  # the document changed under us: start over
                continue
            if last and last.get("navigating") and not self._blocked and self._nav_request_at < action_at:
                # the page started leaving for another document (a form sent) and no document
                # request has come since the action: under load it may not have reached the
                # network yet.  Settle the next document rather than take the page it is
                # leaving for a stall.  (A request that came and went: a download, a failure.)
                if await self._left_page(deadline, (last.get("state") or {}).get("origin")):
                    continue
                return last  # it never left (a cancelled navigation): the page as it is
            if self._busy() or self._nav_pending:
                while (self._busy() or self._nav_pending) and loop.time() < deadline:
                    await asyncio.sleep(0.03)
                since = time.time() * 1000
                continue  # the responses may change the DOM: a fresh quiet window
            if last and last.get("loading"):
                await asyncio.sleep(0.05)  # a spinner is not a step: wait for what it announces
                continue
            return last

    async def _left_page(self, deadline: float, origin: float | None) -> bool:
        """The page said it is navigating to another document: wait for that
        navigation to show (its request, or a new document: another
        ``performance.timeOrigin`` than ``origin``), or to end in the page
        (a single-page app that took it over).  False when the guard blocked
        it (the caller reports it) or the settle budget ran out with the page
        still there (a cancelled navigation)."""
        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            if self._blocked:
                return False
            if self._nav_pending:
                return True
            await asyncio.sleep(0.03)
            doc = await self._document()
            if doc is None or origin is None or doc[0] != origin or not doc[1]:
                return True  # a new document, or the navigation ended here: settle what is there
        return False

    async def _document(self) -> tuple[float, bool] | None:
        """The current document's ``performance.timeOrigin`` and whether it
        is leaving for another one (settle.js); None when it went away under
        the call."""
        try:
            now, leaving = await self._bounded(self._call(
                "() => [performance.timeOrigin, !!(window.__auditorLeaving && window.__auditorLeaving())]"),
                self.timeout_s, "la page")
        except PageUnresponsive:
            raise
        except Exception:
            return None
        return now, leaving

    async def _state(self, settled: dict[str, Any] | None = None) -> PageState:
        """Where the walk is; ``settled`` is what ``_settle`` read (no extra
        round trip when given)."""
        if settled is not None and settled.get("state"):
            s = settled["state"]
        else:
            try:
                s = await self._bounded(self._call(_js("state.js"), self.walk_rules.state_ignore),
                                        self.timeout_s, "la lecture du contenu")
            except PageUnresponsive:
                raise
            except Exception:
                s = {"url": self.page.url, "text": "", "fields": "", "origin": 0.0}
        digest = hashlib.sha1(f"{s.get('text', '')}\0{s.get('fields', '')}".encode()).hexdigest()[:16]
        return PageState(
            url=s["url"], key=f"{s['url']}\0{digest}", origin=float(s.get("origin") or 0.0),
            messages=list(s.get("messages") or []), invalid=list(s.get("invalid") or []),
            title=s.get("title") or "", h1=s.get("h1") or "", alerts=list(s.get("alerts") or []),
            main_chars=s.get("main_chars"), fields=str(s.get("fields") or ""),
        )

    async def _replaced(self, origin: float) -> bool:
        """Is the document another one than the one whose ``performance.timeOrigin``
        was ``origin`` (it navigated away, or went away under the call)?"""
        doc = await self._document()
        return doc is None or (origin > 0 and doc[0] != origin)

    async def _signals(self) -> dict[str, Any]:
        """The controls that could move the démarche on, and (``state``) the
        walk's state of the page, read in the same call: it is the state
        before the click that follows."""
        try:
            return await self._bounded(self._call(_signals_script(), [
                {"search": self.walk_rules.search_fields, "consent": self.walk_rules.consent_context},
                self.walk_rules.state_ignore,
            ]), self.timeout_s, "la lecture des boutons")
        except PageUnresponsive:
            raise
        except Exception:
            return {"candidates": [], "forms": [], "password": False, "file_inputs": 0, "title": "", "h1": ""}
