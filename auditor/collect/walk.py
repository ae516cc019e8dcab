"""Walking one démarche: scripted steps or auto-walk, then annex pages.

Each step page — every new state: a navigation, or a change of the main
content in a single-page app — is audited once.  After every action the walk
waits for the page to settle (a quiet DOM, measured in the page by a
MutationObserver, and no request in flight; bounded) instead of sleeping.

Safety: the walk never clicks a final irreversible control (send, pay, sign)
unless the démarche sets ``allow_submit: true``, and it says where it
stopped; main-frame navigations out of scope or to a logout address are
blocked before any request leaves the browser; dialogs are dismissed and
popups closed.  Honesty: a login wall, an error page, a loop or a form that
refuses our data ends the walk as ``partial`` with the reason, never as a
clean pass.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

from .. import __version__
from ..config import (
    Demarche, Rules, TestDataRules, WalkRules, default_scope, resolve_env, secret_values,
)
from ..model import Capture, Control, ErrorRecord, PageCapture
from . import fill, page_call
from .app_error import app_error
from .polite import HostGate, retry_after_s
from .final_control import Decision, Signal, classify, control_facts, page_facts, position
from .final_control import norm as norm_name  # accessible names as the rules expect them
from .next_control import (OUTSIDE_REGIONS, NextChoice, WalkWords, account_creation, choose_next, error_page,
                           login_controls, login_page, unknown_submits)
from .scripts import js as _js
from .guard import (BlockedLog, PageEvents, PageUnresponsive, ThirdPartyGuard, bounded, describe_error,
                    dialog_message, origin_of)
from .page_audit import (AuditOptions, audit_page, axe_version, prepare_page, redact,
                         redact_tree)

HERE = Path(__file__).parent
SAMPLE_PDF = HERE / "sample.pdf"
AUDIT_MIN_S = 10.0  # floor of the per-page audit timeouts (axe, extraction): a slow machine is not a fault
THROTTLED = (429, 503)  # « slow down » and « unavailable »: waited for, never audited as the démarche's page
MAX_RETRIES = 2
# long-lived connections never "finish": they must not keep the walk waiting
_LONG_LIVED = ("websocket", "eventsource", "ping")  # ping: navigator.sendBeacon, never awaited by the page


class StepFailed(Exception):
    """A scripted step could not be carried out (message in French)."""


@dataclass
class WalkOptions:
    report_dir: Path | None = None  # where screenshots go (reports/<id>/)
    screenshots: bool = True
    base_dir: Path = field(default_factory=Path.cwd)  # relative upload paths
    environ: dict[str, str] | None = None
    browser_version: str = ""
    audit: AuditOptions | None = None  # axe cache and per-page axe timeout (runner)
    block_third_party: bool = False  # --block-third-party: no request to another origin
    # politeness (polite.py): the scan's per-host gate (None: no throttle, as in unit tests), the
    # minimum gap between two document requests to a host, and how long a Retry-After is honoured
    hosts: HostGate | None = None
    host_gap_s: float = 0.0
    retry_after_max_s: float = 60.0


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


def in_scope(url: str, scope: list[str]) -> bool:
    return any(url.startswith(prefix) for prefix in scope)


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlparse(a), urlparse(b)
    return (pa.scheme, pa.netloc) == (pb.scheme, pb.netloc)


def _host(url: str) -> str:
    return urlparse(url).netloc or url



class Walker:
    """Walks one démarche in its own browser context."""

    def __init__(self, context: Any, demarche: Demarche, rules: Rules, opts: WalkOptions):
        self.context = context
        self.d = demarche
        self.rules = rules
        self.opts = opts
        wr = rules.get("walk")
        self.walk_rules: WalkRules = wr if isinstance(wr, WalkRules) else WalkRules.model_validate(wr or {})
        td = rules.get("test-data")
        self.test_data: TestDataRules = td if isinstance(td, TestDataRules) else TestDataRules.model_validate(td or {})
        m = self.walk_rules.matcher
        self.words = WalkWords.from_rules(self.walk_rules)  # next_control.py and the guard's words
        self.vocab = self.words.guard
        self.re_annex = m("annex_links")
        self.re_never_urls, self.re_login_urls, self.re_login_page = m("never_urls"), m("login_urls"), m("login_page")
        self.re_annex_any_site = m("annex_links_any_site")
        self.re_upload = m("upload_buttons")
        self.re_consent_refuse = m("consent_refuse")
        self.re_redirect = m("redirect_text")
        self.re_settle_ignore = m("settle_ignore_urls")
        self.re_app_error = m("app_error")
        self.timeout_s = float(demarche.timeout_s or 30)
        self.max_pages = int(demarche.max_pages or 70)
        self.max_steps = int(demarche.max_steps or 60)
        self.scope = list(demarche.scope or [default_scope(demarche.url)])
        self.secrets = tuple(secret_values(demarche, opts.environ))
        self.pages: list[PageCapture] = []
        self.errors: list[ErrorRecord] = []
        self.status = "complete"
        self.reason: str | None = None
        self.stopped_before: dict[str, Any] | None = None
        self.robots: dict[str, Any] | None = None  # what robots.txt said (set by the runner)
        self.account_flow = False  # a new-password field was met: an account creation is under way
        self._last_step = False  # the page shown is judged the démarche's last step (browser guard)
        self._guard_blocked: list[tuple[str, str]] = []  # (reason, url) refused by the browser guard
        self._pending_stop: tuple[str, str, Decision] | None = None  # a scripted click the guard stopped
        self._clicked = ""  # name of the control the walk clicked last
        self.seen_states: set[str] = set()
        self.page: Any = None
        self._nav_status: int | None = None
        self._nav_method = "GET"  # of the last main-frame document request
        self._retry_after: str | None = None  # Retry-After of the last main-frame document response
        # how long the host gate held the current main-frame navigation: our own politeness, taken
        # out of the page's load time (the performance indicator judges the service, not the crawler)
        self._gate_held_ms = 0.0
        self._gate_chain: str | None = None
        self._inflight: dict[Any, float] = {}
        self._nav_pending = False
        self._blocked: list[str] = []
        self._free_nav = False  # the start page and explicit `goto` steps may go anywhere
        self._free_chain: str | None = None  # …but only that navigation and its HTTP redirects
        self._annex_origin: str | None = None  # annex pages may redirect within their origin
        self._dialogs: list[str] = []
        self._cdp: Any = None
        # when the last action (click, goto, step) started, on the epoch clock the page's
        # performance.timeOrigin uses: the settle quiet window counts from there
        self._action_epoch_ms: float | None = None
        self._nav_request_at = 0.0  # epoch ms of the last main-frame document request
        self._main_frame_id: str | None = None
        self._popups = 0
        self._last_key: str | None = None  # state of the last audited page
        self.scanned_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._started = time.monotonic()
        # faults: what the site did behind our back, and the hard timeouts
        self.events = PageEvents(record=self._error)
        self.blocked_log = BlockedLog()  # the scorecard's blocked_requests
        self._blocked_seen: set[str] = set()
        self.unresponsive: str | None = None  # set when a call into the page timed out

    # ------------------------------------------------------------------ helpers

    def _stop(self, status: str, reason: str) -> None:
        if self.status != "failed":
            self.status = status
        self.reason = self.reason or reason

    def _error(self, stage: str, message: str, url: str | None = None) -> None:
        self.errors.append(ErrorRecord(url=url or (self.page.url if self.page else self.d.url), stage=stage,
                                       message=redact(message, self.secrets)))

    def _in_scope(self, url: str) -> bool:
        return in_scope(url, self.scope) or in_scope(urldefrag(url)[0], self.scope)

    def _step_budget_left(self) -> int:
        """Pages the walk may still audit as steps (annexes share ``max_pages``)."""
        steps = sum(p.kind == "step" for p in self.pages)
        return min(self.max_pages - len(self.pages), self.max_steps - steps)

    def _blocked_navigation(self, url: str) -> None:
        """Logged for the scorecard's ``blocked_requests``, and recorded in
        ``errors`` once per address (a page retrying on a timer is counted,
        not repeated)."""
        self.blocked_log.note(url, "scope", "document")
        if url in self._blocked_seen or len(self._blocked_seen) >= 50:
            return
        self._blocked_seen.add(url)
        self._error("navigate", f"navigation hors du périmètre de la démarche bloquée : {url[:300]}", url)

    # ------------------------------------------------------------ hard timeouts

    async def _bounded(self, aw: Any, seconds: float, what: str) -> Any:
        """A page call with a hard timeout; a timeout marks the page unresponsive
        (the walk stops: further calls into a looping page would hang too)."""
        try:
            return await bounded(aw, seconds, what)
        except PageUnresponsive as exc:
            self.unresponsive = self.unresponsive or str(exc)
            raise

    def _call(self, source: str, arg: Any = page_call.NO_ARG) -> Any:
        """One of the walk's scripts in the page's main frame, through the
        walk's DevTools session (``page_call``: half the cost of
        ``page.evaluate``)."""
        return page_call.call(self.page, self._cdp, source, arg)

    async def _fast_click(self, selector: str) -> bool:
        """Click a control the walk found (a CSS selector of the main frame)
        with two DevTools calls, when nothing hides it; False when it cannot
        be clicked so (covered, out of reach): Playwright's click then waits
        for it and retries."""
        if self._cdp is None:
            return False
        try:
            point = await self._bounded(page_call.click_point(self.page, self._cdp, selector), self.timeout_s,
                                        "le clic")
        except PageUnresponsive:
            raise
        except Exception:
            return False
        if point is None:
            return False
        # the settle counts from the click itself, not from the scroll and frames before it
        self._action_epoch_ms = time.time() * 1000
        await self._bounded(page_call.click_at(self._cdp, point), self.timeout_s + 5, "le clic")
        return True

    def _alive(self) -> bool:
        """False once the page crashed or stopped answering: the walk ends."""
        return not (self.events.crashed or self.unresponsive)

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

    # ------------------------------------------------------------ page events

    def _is_main_nav(self, request: Any) -> bool:
        try:
            return bool(request.is_navigation_request()) and request.frame == self.page.main_frame
        except Exception:
            return False

    def _on_response(self, response: Any) -> None:
        if self._is_main_nav(response.request) and response.status != 204:  # 204: a blocked navigation
            self._nav_status = response.status
            try:
                self._retry_after = response.headers.get("retry-after")
            except Exception:
                self._retry_after = None

    def _on_request(self, request: Any) -> None:
        try:
            if request.resource_type in _LONG_LIVED or self.re_settle_ignore.search(request.url):
                return  # analytics and long-polling: the page never waits for them, nor does the walk
        except Exception:
            pass
        self._inflight[request] = time.monotonic()
        if self._is_main_nav(request):
            self._nav_pending = True

    def _on_request_done(self, request: Any) -> None:
        self._inflight.pop(request, None)
        if self._is_main_nav(request) and getattr(request, "failure", None):
            self._nav_pending = False  # aborted (blocked, network error): no load will come

    def _on_load(self, *_: Any) -> None:
        self._nav_pending = False

    async def _on_dialog(self, dialog: Any) -> None:
        """alert/confirm/prompt are dismissed (a « confirm » may be « Envoyer
        vraiment ? ») unless ``allow_submit`` lets the walk send; beforeunload
        is accepted, else the walk's own navigation would be cancelled."""
        accepted = False
        try:
            self._dialogs.append(f"{dialog.message}"[:200])
            if dialog.type == "beforeunload" or (dialog.type == "confirm" and self.d.allow_submit):
                accepted = True
                await dialog.accept()
            else:
                await dialog.dismiss()
        except Exception:
            pass
        try:
            self._error("action", dialog_message(dialog.type, accepted, dialog.message))
        except Exception:
            pass

    async def _on_popup(self, popup: Any) -> None:
        if popup is self.page:
            return
        self._popups += 1
        url = ""
        try:
            url = popup.url
            await asyncio.wait_for(popup.close(run_before_unload=False), 5)
        except Exception:
            pass
        where = f" ({url})" if url and url != "about:blank" else ""
        self._error("action", f"fenêtre surgissante ouverte par la page et fermée{where}")

    def _free_navigation(self, event: dict[str, Any]) -> bool:
        """Is this document request the free navigation itself (the start URL,
        a `goto` the auditor wrote) or one of its HTTP redirects?  A
        navigation the page's own script starts meanwhile (a ``load``
        handler sending the browser elsewhere) is not: it stays within the
        scope.  Chromium gives every request of one redirect chain the same
        ``networkId``."""
        if not self._free_nav:
            return False
        chain = event.get("networkId") or event.get("requestId")
        if self._free_chain is None:
            self._free_chain = chain
            return True
        return chain == self._free_chain

    def _set_free_nav(self, on: bool) -> None:
        self._free_nav = on
        self._free_chain = None

    def _nav_allowed(self, url: str, event: dict[str, Any] | None = None) -> bool:
        """May the main frame load ``url``?  Never a logout address, never
        out of scope — except the start URL's redirects, an address the
        auditor wrote (`goto`) and an annex page's own site."""
        if not url.startswith(("http://", "https://")):
            return True
        free = self._free_navigation(event or {})
        if self.re_never_urls.search(url) and not free:
            return False
        return (free or self._in_scope(url)
                or (self._annex_origin is not None and same_origin(url, self._annex_origin)))

    async def _on_paused(self, event: dict[str, Any]) -> None:
        """DevTools ``Fetch.requestPaused`` for a document request (redirects
        included): block a forbidden main-frame navigation before anything
        leaves the browser, let everything else go."""
        request_id = event["requestId"]
        url = event.get("request", {}).get("url", "")
        try:
            final = self._final_request(event)
            if final:
                if event.get("frameId") == self._main_frame_id:
                    self._guard_blocked.append((final, url))  # the page itself went there: the walk stops
                self.blocked_log.note(url, final, (event.get("resourceType") or "Document").lower())
                await self._refuse(request_id)
                return
            if event.get("frameId") == self._main_frame_id and not self._nav_allowed(url, event):
                self._blocked.append(url)
                self._blocked_navigation(url)
                await self._refuse(request_id)
                return
            if event.get("frameId") == self._main_frame_id and event.get("resourceType", "Document") == "Document":
                # the browser starts loading a new document: the settle waits for it from now
                # on, before the page-level ``request`` event (later, and later still under load)
                self._nav_pending = True
                self._nav_request_at = time.time() * 1000
                self._nav_method = (event.get("request", {}).get("method") or "GET").upper()
            if self.opts.hosts is not None and event.get("frameId") == self._main_frame_id:
                # one page navigation to a host at a time, at least host_gap_s apart (every walk of the
                # scan); a page's own frames load with it, as for a user
                chain = event.get("networkId") or request_id
                if chain != self._gate_chain:  # a new navigation (its redirects share the chain)
                    self._gate_chain, self._gate_held_ms = chain, 0.0
                waited = await self.opts.hosts.before_document(url, self.opts.host_gap_s)
                self._gate_held_ms += waited * 1000
        except Exception:
            pass
        try:
            await self._cdp.send("Fetch.continueRequest", {"requestId": request_id})
        except Exception:
            pass

    def _final_request(self, event: dict[str, Any]) -> str | None:
        """The browser's own guard, behind the walk's judgement: a document
        (page or frame) from a payment service, or a non-GET navigation
        from a page judged the démarche's last step, is never requested
        unless ``allow_submit``.  Returns the blocked-request reason."""
        main = event.get("frameId") == self._main_frame_id
        if self.d.allow_submit or (main and self._free_navigation(event)):
            return None  # the start URL and the auditor's own `goto` go where they are told
        req = event.get("request", {})
        url = req.get("url", "")
        if url.startswith(("http://", "https://")) and self.vocab.payment_urls.search(url):
            return "payment"
        if (self._last_step and main
                and (req.get("method") or "GET").upper() not in ("GET", "HEAD")):
            return "final_post"
        return None

    async def _refuse(self, request_id: str) -> None:
        """204 No Content: the browser stays on the current page (failing the
        request would replace it with Chromium's error page, then audited as
        a step)."""
        try:
            await self._cdp.send("Fetch.fulfillRequest", {"requestId": request_id, "responseCode": 204,
                                                          "responseHeaders": [], "body": ""})
        except Exception:
            await self._cdp.send("Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"})

    async def _install_guard(self) -> None:
        """Intercept document requests only, through DevTools: Playwright's
        own routing would disable the HTTP cache for the whole walk (every
        step reloading every stylesheet and script, load times inflated)."""
        self._cdp = await self.context.new_cdp_session(self.page)
        tree = await self._cdp.send("Page.getFrameTree")
        self._main_frame_id = tree["frameTree"]["frame"]["id"]
        self._cdp.on("Fetch.requestPaused", lambda ev: asyncio.ensure_future(self._on_paused(ev)))
        await self._cdp.send("Fetch.enable", {"patterns": [
            {"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"},
        ]})

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

    # --------------------------------------------------------------- auditing

    async def _audit(self, kind: str, state: PageState, *, new_doc: bool, name: str | None = None) -> PageCapture:
        """Audit the current state.  HTTP status and load time belong to a
        new document only: a single-page-app state has neither."""
        index = len(self.pages) + 1
        shot_to = shot_rel = None
        if self.opts.screenshots and self.opts.report_dir is not None:
            shot_rel = f"screenshots/{index:02d}.jpg"
            shot_to = self.opts.report_dir / shot_rel
        # axe and the extraction get at least AUDIT_MIN_S even when navigation
        # timeouts are short; the whole audit is bounded (a page may start looping)
        audit_s = max(self.timeout_s, AUDIT_MIN_S)
        for attempt in range(3):
            try:
                page = await self._bounded(audit_page(
                    self.page, index=index, kind=kind, name=name, timeout_s=audit_s,
                    http_status=self._nav_status if new_doc else None, read_load_time=new_doc,
                    screenshot_to=shot_to, screenshot_rel=shot_rel, secrets=self.secrets,
                    screenshot_options=self.walk_rules.screenshot, options=self.opts.audit, cdp=self._cdp,
                ), audit_s * 4 + 10, "l'analyse de la page")
                if not (page.axe_error and attempt < 2 and await self._replaced(state.origin)):
                    break
                # the page left by itself while axe ran (a timed redirect): audit where it went
            except PageUnresponsive:
                raise
            except Exception as exc:
                # the page navigated by itself while it was being read: read the new one
                if attempt == 2 or "context was destroyed" not in str(exc) or not self._alive():
                    raise
            await self._settle()
        if new_doc and page.load_ms is not None and self._gate_held_ms:
            page.load_ms = max(0, int(round(page.load_ms - self._gate_held_ms)))
        self.pages.append(page)
        self._last_key = state.key
        if page.axe_error:
            self._error("axe", page.axe_error, page.url)
        return page

    async def _replaced(self, origin: float) -> bool:
        """Is the document another one than the one whose ``performance.timeOrigin``
        was ``origin`` (it navigated away, or went away under the call)?"""
        doc = await self._document()
        return doc is None or (origin > 0 and doc[0] != origin)

    async def _goto(self, url: str) -> bool:
        self._nav_status = None
        self._action_epoch_ms = time.time() * 1000
        try:
            resp = await self.page.goto(url, wait_until="load", timeout=self.timeout_s * 1000)
        except Exception as exc:
            if self.pages:
                await self._probe_after_failure()  # a hung page is not a loading error
            if self._blocked:
                # the page's own script sent the browser out of scope while it loaded: that
                # navigation was blocked, and the page it interrupted never finishes loading
                self._error("navigate", f"chargement impossible : la page part d'elle-même hors du périmètre "
                                        f"de la démarche ({self._blocked[-1][:300]}), navigation bloquée", url)
            else:
                self._error("navigate", f"chargement impossible : {describe_error(exc, self.timeout_s)}", url)
            return False
        if resp is not None:
            self._nav_status = resp.status
        return True

    async def _throttled(self) -> str | None:
        """The service answered 429 (too many requests) or 503 (unavailable):
        wait what its ``Retry-After`` asks (bounded) and load the same page
        again, at most twice.  None once it answers; else the reason, and the
        page is never audited (its body is the crawler's doing, not the
        démarche's error page)."""
        for attempt in range(1, MAX_RETRIES + 1):
            status = self._nav_status
            if status not in THROTTLED or self._nav_method not in ("GET", "HEAD"):
                break
            wait = retry_after_s(self._retry_after, bound=self.opts.retry_after_max_s)
            url = self.page.url
            self._error("navigate", f"le service a répondu {status} : nouvel essai dans {wait:.0f} s "
                                    f"({attempt}/{MAX_RETRIES})", url)
            await asyncio.sleep(wait)
            self._set_free_nav(True)  # the same address as before: it was allowed then
            try:
                ok = await self._goto(url)
            finally:
                self._set_free_nav(False)
            if not ok:
                return "page inaccessible après une demande de ralentissement du service"
            await self._settle()
        status = self._nav_status
        if status not in THROTTLED:
            return None
        why = ("le service a demandé de ralentir (429)" if status == 429
               else "le service est momentanément indisponible (503)")
        self._error("navigate", why, self.page.url)
        return why

    def _app_error(self, page: PageCapture, state: PageState, before: PageState | None = None) -> str | None:
        """An error the application shows itself (HTTP 200, same title):
        an alert or a heading saying so, or a main region emptied by a
        route change (app_error.py; words in ``app_error`` of walk.yaml)."""
        return app_error(alerts=state.alerts, headings=page.headings, error_words=self.re_app_error,
                         main_chars=state.main_chars, main_chars_before=before.main_chars if before else None,
                         route_changed=before is not None and state.url != before.url)

    def _budget_reason(self, state: PageState) -> str:
        """The page budget ran out: how far the walk went, and what was next."""
        steps = sum(p.kind == "step" for p in self.pages)
        upcoming = state.h1 or state.title
        nxt = f" ; étape suivante non auditée : « {upcoming[:80]} »" if upcoming else ""
        if steps >= self.max_steps:
            return (f"limite de {self.max_steps} étapes atteinte après {steps} étapes{nxt} "
                    f"(max_steps dans demarches.yaml pour aller plus loin)")
        return (f"limite de {self.max_pages} pages atteinte après {steps} étape(s){nxt} "
                f"(max_pages dans demarches.yaml pour aller plus loin)")

    def _stop_after_guard(self) -> None:
        """The browser refused what the last click started (a payment, a
        form posted from the last step): the walk ends before it, as before
        any final control, saying what was refused."""
        kind, url = self._guard_blocked[0]
        label = ("requête vers un service de paiement bloquée" if kind == "payment"
                 else "envoi de formulaire (POST) depuis la dernière étape bloqué")
        decision = Decision("final", (Signal(f"blocked_{kind}", f"{label} : {url[:120]}"),))
        self._guard_blocked.clear()
        self._stop_before(self._clicked or "?", "", decision, self.pages[-1].index if self.pages else None)

    def _blocked_reason(self, url: str) -> str:
        if self.re_login_urls.search(url):
            return f"mur de connexion : la démarche renvoie vers l'identification ({_host(url)}), non suivie"
        if self.re_never_urls.search(url):
            return f"lien de déconnexion non suivi ({url})"
        return f"la démarche mène hors du périmètre autorisé ({url}) : page non visitée"

    async def _after_action(self, before: PageState, *, name: str | None = None,
                            content_counts: bool = True, scripted: bool = False) -> str:
        """Settle, then audit the new state if the action produced one.
        Returns ``new``, ``same`` (nothing changed), ``seen`` (a state
        already audited, scripted walk only) or ``stop``."""
        settled = await self._settle()
        if self._guard_blocked:
            self._stop_after_guard()
            return "stop"
        if self._blocked:
            url = self._blocked[-1]
            self._blocked.clear()
            self._stop("partial", self._blocked_reason(url))
            return "stop"
        if await self._still_loading(settled):
            self._stop("partial", f"la page n'a pas fini de charger en {self.timeout_s:.0f} s")
            return "stop"
        state = await self._state(settled)
        if state.key == before.key:
            return "same"
        new_doc = state.origin != before.origin
        if new_doc and self._nav_status in THROTTLED:
            why = await self._throttled()
            if why:
                self._stop("partial", why)
                return "stop"
            state = await self._state()
        if not content_counts and not new_doc and state.url == before.url:
            return "same"  # a field revealed another: not a new step
        if not new_doc and state.url == before.url and state.fields == before.fields and state.h1 == before.h1 \
                and (state.h1 or state.fields):
            return "updated"  # the same question with new content (a list filled from an API): not a new step
        if not self._in_scope(state.url):
            self._stop("partial", f"la démarche mène hors du périmètre autorisé ({state.url})")
            return "stop"
        if state.key in self.seen_states:
            if scripted:
                return "seen"
            self._stop("partial", f"boucle : la démarche revient à une étape déjà vue ({state.url})")
            return "stop"
        if self._step_budget_left() <= 0:
            self._stop("partial", self._budget_reason(state))
            return "stop"
        self.seen_states.add(state.key)
        page = await self._audit("step", state, new_doc=new_doc, name=name)
        err = error_page(page, self.words) or self._app_error(page, state, before)
        if err:
            self._error("navigate", err, page.url)
            self._stop("partial", err)
            return "stop"
        return "new"

    async def _start(self) -> bool:
        self._set_free_nav(True)  # the start URL may redirect anywhere: we audit where users land
        try:
            ok = await self._goto(self.d.url)
        finally:
            self._set_free_nav(False)
        if not ok:
            self.status = "failed"
            self.reason = "la page de départ n'a pas pu être chargée"
            return False
        settled = await self._settle()
        if self._nav_status in THROTTLED:
            why = await self._throttled()
            if why:
                self.status, self.reason = "failed", f"page de départ : {why}"
                return False
            settled = None
        state = await self._state(settled)
        landed = state.url
        if not self._in_scope(landed) and not self.re_login_urls.search(landed):
            if self.d.scope is None or self.d.scope == [default_scope(self.d.url)]:
                # default scope: the démarche lives where the start URL redirects
                self.scope.append(default_scope(landed))
        self.seen_states.add(state.key)
        page = await self._audit("step", state, new_doc=True)
        err = error_page(page, self.words) or self._app_error(page, state)
        if err:
            self.status = "failed" if (page.http_status or 0) >= 400 else "partial"
            self.reason = f"page de départ : {err}"
            self._error("navigate", self.reason, page.url)
            return False
        if not self._in_scope(landed):
            self._stop("partial", self._blocked_reason(landed) if self.re_login_urls.search(landed)
                       else f"la page de départ redirige hors du périmètre autorisé ({landed})")
            return False
        return True

    # ---------------------------------------------------------- the auto-walk

    async def _extract_controls(self) -> list[Control]:
        try:
            data = await self._bounded(self._call(_js("extract.js"), {"maxText": 1}),
                                       self.timeout_s, "la lecture du formulaire")
        except PageUnresponsive:
            raise
        except Exception:
            return []
        return [Control(**c) for c in data["controls"]]

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

    def _stop_before(self, name: str, selector: str, decision: Decision, page_index: int | None,
                     *, script_steps_left: int = 0) -> None:
        """Stop before a control the guard judged final or uncertain, and say
        where, why and how to go further.  A final stop is ``complete`` when
        every step before it was walked; an uncertain one is ``partial``."""
        reason = decision.reason(name)
        if decision.verdict == "uncertain":
            how = ("pour aller plus loin : si ce bouton mène seulement à l'étape suivante, ajoutez son nom aux motifs "
                   "« next » de rules/walk.yaml ou décrivez le parcours dans « steps » ; « allow_submit: true » "
                   "(environnement de test seulement) autorise l'envoi")
        else:
            how = ("pour aller plus loin : seul « allow_submit: true », sur un environnement de test, autorise ce "
                   "clic ; si ce bouton ne fait en réalité qu'avancer, corrigez les motifs de rules/walk.yaml")
        self.stopped_before = {"url": self.page.url, "selector": selector, "text": name, "page_index": page_index,
                               "verdict": decision.verdict, "signals": [s.to_dict() for s in decision.signals],
                               "reason": reason, "how": how}
        if decision.verdict == "uncertain":
            self._stop("partial", reason)
        elif script_steps_left:
            self._stop("partial", f"{reason} : {script_steps_left} étape(s) du script non exécutée(s)")

    async def _fill(self, controls: list[Control], *, passwords: bool = False) -> fill.FillReport:
        """Fill the form, then the fields that filling revealed (a radio
        that opens a sub-question), up to three passes.  ``passwords``: an
        account creation, whose password fields get the test password."""
        done: set[str] = set()
        total = fill.FillReport()
        for _ in range(3):
            rep = await fill.fill_page(self.page, [c for c in controls if not c.frame_url], self.test_data,
                                       self.walk_rules, self.timeout_s, done=done, cdp=self._cdp,
                                       passwords=passwords)
            total.filled += rep.filled
            total.refused += rep.refused
            if not rep.filled:
                break
            controls = [c for c in await self._extract_controls() if c.selector not in done]
            if not controls:
                break
        return total

    async def _open_upload_widgets(self, sig: dict[str, Any]) -> bool:
        """Widgets whose file input is not in the page (created on click) open
        the file picker from a button: click each such button once, unless a
        file input next to it already holds a file; the file picker it opens
        gets the dummy PDF."""
        clicked = False
        for c in sig["candidates"]:
            name = norm_name(c["name"])
            if c["visible"] and not c["disabled"] and c["tag"] != "a" and not c["submit"] and not c["near_file"] \
                    and c["region"] not in OUTSIDE_REGIONS and self.re_upload.search(name) \
                    and not self.vocab.final.search(name) and not self.vocab.payment_names.search(name):
                t = min(self.timeout_s, 3) * 1000
                try:
                    async with self.page.expect_file_chooser(timeout=t) as chooser:
                        await self.page.locator(c["selector"]).first.click(timeout=t)
                    await (await chooser.value).set_files(str(SAMPLE_PDF), timeout=t)
                    clicked = True
                except Exception:
                    continue  # no file picker behind this button after all
        if clicked:
            await self._settle()
        return clicked

    async def _click(self, selector: str, before: PageState) -> bool:
        """Click like a user; if something covers the control (a sticky
        banner, an overlay) or it never stops moving, and nothing happened,
        a DOM click does what the user's click would.  True when the click
        went the fast way (``_fast_click``)."""
        if await self._fast_click(selector):
            return True
        loc = self.page.locator(selector).first
        try:
            await loc.click(timeout=min(self.timeout_s, 5) * 1000)
        except Exception:
            if self._blocked or self._nav_pending or (await self._state()).key != before.key:
                raise
            self._action_epoch_ms = time.time() * 1000  # the settle counts from this click
            await self._bounded(loc.evaluate("e => e.click()", timeout=self.timeout_s * 1000),
                                self.timeout_s + 5, "le clic")
        return False

    async def _wait_announced_redirect(self, page: PageCapture) -> None:
        """A waiting page (« Vous allez être redirigé… », a meta refresh)
        with no way on: wait, at most ``settle.redirect_max_ms``, for it to
        leave by itself, however fast the walk audited it.  Other dead ends
        end the walk at once."""
        meta = re.search(r"<meta[^>]+http-equiv\s*=\s*[\"']?refresh", page.html or "", re.IGNORECASE)
        if not meta and not self.re_redirect.search(page.text or ""):
            return
        here = urldefrag(page.url)[0]
        try:
            await self.page.wait_for_url(lambda u: urldefrag(u)[0] != here, wait_until="commit",
                                         timeout=self.walk_rules.settle.redirect_max_ms)
        except Exception:
            pass  # it did not leave: the démarche ends on this page

    async def _click_again_waiting(self, nxt: NextChoice) -> bool:
        """Nothing happened after a fast click: before calling it a stall,
        click once more the way Playwright does (it waits for the control
        to be still and to receive the click, then for the navigation the
        click starts), in case the fast click missed (the page moved under
        it).  False when that click cannot be made."""
        self._dialogs.clear()
        self._action_epoch_ms = time.time() * 1000
        try:
            await self.page.locator(nxt.selector).first.click(timeout=min(self.timeout_s, 5) * 1000)
        except PageUnresponsive:
            raise
        except Exception:
            return False
        return True

    def _may_have_consent_banner(self, controls: list[Control]) -> bool:
        """A button of the page as audited is named like a cookie refusal:
        only then is it worth reading the candidates before filling (one
        more round trip to the page; none on pages without a banner)."""
        return any(c.tag != "a" and c.visible and not c.disabled and c.frame_url == ""
                   and self.re_consent_refuse.search(norm_name(c.label))
                   for c in controls)

    async def _refuse_cookies(self, sig: dict[str, Any]) -> bool:
        """Refuse cookies in a consent banner (it would cover the form)."""
        for c in sig["candidates"]:
            if c.get("consent") and c["visible"] and not c["disabled"] and c["tag"] != "a" \
                    and self.re_consent_refuse.search(norm_name(c["name"])):
                self._action_epoch_ms = time.time() * 1000  # the settle counts from this click
                try:
                    if not await self._fast_click(c["selector"]):
                        await self.page.locator(c["selector"]).first.click(timeout=min(self.timeout_s, 5) * 1000)
                except PageUnresponsive:
                    raise
                except Exception:
                    continue
                await self._settle()
                return True
        return False

    def _stall_reason(self, label: str, state: PageState, refused: list[str]) -> str:
        parts = [f"la démarche n'avance plus après « {label} »"]
        fields = list(dict.fromkeys(state.invalid + refused))
        if fields:
            parts.append("champs refusés : " + ", ".join(f"« {f} »" for f in fields[:5]))
        if state.messages:
            parts.append("message : « " + state.messages[0][:150] + " »")
        if self._dialogs:
            parts.append("alerte : « " + self._dialogs[-1][:150] + " »")
        return " ; ".join(parts)

    async def auto_walk(self) -> None:
        """Fill, find the next control, click, until the démarche ends."""
        if not await self._start():
            return
        controls: list[Control] | None = None
        retried = False
        while self._alive():
            page = self.pages[-1]
            wall = login_page(page, self.words)
            if wall:
                self._stop("partial", wall)
                return
            await self._probe()
            current = controls if controls is not None else page.controls
            if self._may_have_consent_banner(current) and await self._refuse_cookies(await self._signals()):
                controls = await self._extract_controls()
            current = controls if controls is not None else page.controls
            if account_creation(current):
                self.account_flow = True  # its steps are walked with a test password; creating it is final
            report = await self._bounded(self._fill(current, passwords=self.account_flow),
                                         self.timeout_s * 10 + 10, "le remplissage du formulaire")
            sig = await self._signals()
            if await self._open_upload_widgets(sig):
                sig = await self._signals()
            if sig["password"] and not (sig.get("guard") or {}).get("new_password"):
                self._stop("partial", "mur de connexion : la page demande un mot de passe")
                return
            nxt = choose_next(sig, page, self.words, self._in_scope, account_flow=self.account_flow)
            # the browser guard refuses any non-GET navigation from a page judged the last step
            self._last_step = nxt is not None and nxt.last_step
            if nxt is None and urldefrag(self.page.url)[0] == urldefrag(page.url)[0]:
                await self._wait_announced_redirect(page)
            if nxt is None and urldefrag(self.page.url)[0] != urldefrag(page.url)[0]:
                # the page moved on by itself (a timed redirect, « vous allez être redirigé… »): follow it
                outcome = await self._after_action(PageState(url=page.url, key=self._last_key or "", origin=-1.0))
                if outcome == "stop":
                    return
                controls, retried = None, False
                continue
            if nxt is None:
                wall = login_controls(sig, self.words)
                if wall:
                    self._stop("partial", wall)
                    return
                unknown = unknown_submits(sig, page, self.words, account_flow=self.account_flow)
                if unknown:
                    # a form is still there, sent by a button we do not recognise: say so
                    names = ", ".join(f"« {n[:40]} »" for n in unknown[:3])
                    self._stop("partial", f"aucun bouton « suivant » reconnu parmi {names} : "
                                          "à ajouter à rules/walk.yaml (next) ou à décrire dans steps")
                # else: no way on, the démarche ends here
                return
            if nxt.decision.stops and not self.d.allow_submit:
                self._stop_before(nxt.name, nxt.selector, nxt.decision, page.index)
                return
            if nxt.out_of_scope:
                self._stop("partial", self._blocked_reason(nxt.href))
                return
            before = await self._state(sig)
            self._dialogs.clear()
            self._blocked.clear()  # a self-navigation blocked earlier was recorded: not this click's doing
            self._guard_blocked.clear()
            self._clicked = nxt.name
            self._action_epoch_ms = time.time() * 1000
            fast = False
            try:
                if nxt.new_tab and nxt.href:
                    # a link that opens a new tab: follow it here (popups are closed)
                    await self.page.goto(nxt.href, wait_until="commit", timeout=self.timeout_s * 1000)
                else:
                    fast = await self._click(nxt.selector, before)
            except Exception as exc:
                if self._blocked:
                    await self._after_action(before)  # reports the blocked navigation
                    return
                await self._probe_after_failure()
                self._error("action", f"clic sur « {nxt.name} » impossible : {_short(exc)}")
                self._stop("partial", f"clic sur « {nxt.name} » impossible")
                return
            outcome = await self._after_action(before)
            if outcome == "stop":
                return
            if outcome == "updated" and not retried:
                # the same question, its content completed (a list loaded from an API): fill and try again
                retried = True
                controls = await self._extract_controls()
                continue
            if outcome in ("same", "updated"):
                fresh = await self._extract_controls()
                known = {c.selector for c in (controls if controls is not None else page.controls)}
                revealed = [c for c in fresh if c.selector not in known and c.visible and not c.disabled
                            and c.tag in ("input", "select", "textarea") and c.type not in ("submit", "button")]
                if not retried and revealed:
                    # validation may have revealed fields: one more try on the same page
                    retried = True
                    controls = fresh
                    continue
                if fast and await self._click_again_waiting(nxt):
                    outcome = await self._after_action(before)
                    if outcome == "stop":
                        return
                    if outcome != "same":
                        controls, retried = None, False
                        continue
                self._stop("partial", self._stall_reason(nxt.name, await self._state(), report.refused))
                return
            controls = None
            retried = False

    # --------------------------------------------------------- scripted walk

    async def scripted_walk(self) -> None:
        if not await self._start():
            return
        steps = self.d.steps or []
        for i, step in enumerate(steps, 1):
            if not self._alive():
                return
            verb = step.verb
            before = await self._state()
            self._blocked.clear()
            try:
                if verb == "audit":
                    state = await self._state(await self._settle())
                    if state.key == self._last_key and self.pages and self.pages[-1].name is None:
                        self.pages[-1].name = step.audit  # this state was just audited: name it
                        continue
                    if self._step_budget_left() <= 0:
                        self._stop("partial", self._budget_reason(state))
                        return
                    self.seen_states.add(state.key)
                    await self._audit("step", state, new_doc=state.origin != before.origin, name=step.audit)
                    continue
                guarded = await self._do_step(verb, step.value)
                if guarded:
                    label, selector, decision = self._pending_stop
                    self._stop_before(label, selector, decision, self.pages[-1].index if self.pages else None,
                                      script_steps_left=len(steps) - i)
                    return
            except PageUnresponsive:
                raise
            except StepFailed as exc:
                await self._probe_after_failure()
                self._error("action", f"étape n° {i} ({verb}) : {exc}")
                self._stop("partial", f"l'étape n° {i} ({verb}) a échoué")
                return
            except Exception as exc:
                if self._blocked:
                    await self._after_action(before, scripted=True)
                    return
                await self._probe_after_failure()
                self._error("action", f"étape n° {i} ({verb}) : {_short(exc)}")
                self._stop("partial", f"l'étape n° {i} ({verb}) a échoué")
                return
            outcome = await self._after_action(before, content_counts=verb in ("click", "goto", "wait_for"),
                                               scripted=True)
            if outcome == "stop":
                return

    def _locator(self, target: str, clickable: bool = False) -> Any:
        if target.startswith(("css=", "xpath=")):
            return self.page.locator(target).first
        if not clickable:
            return self.page.locator(target).first
        p = self.page
        return (
            p.get_by_role("button", name=target, exact=True)
            .or_(p.get_by_role("link", name=target, exact=True))
            .or_(p.get_by_role("button", name=target))
            .or_(p.get_by_role("link", name=target))
            .or_(p.get_by_text(target, exact=True))
        ).first

    async def _decide_scripted(self, loc: Any, label: str) -> Decision:
        """The guard's decision on a control a script clicks.  A script names
        the controls the auditor chose, so only what the guard calls final
        stops it: a commit verb the page does not place anywhere
        (``uncertain``) is the auditor's decision to take."""
        page = self.pages[-1] if self.pages else None
        try:  # candidates.js tells which of its candidates this is (``aimed``)
            await loc.evaluate("e => { window.__auditorAimed = e; }", timeout=self.timeout_s * 1000)
        except Exception:
            pass
        sig = await self._signals()
        cand = next((c for c in sig["candidates"] if c.get("aimed")), None)
        cand = cand or {"name": label, "tag": "button", "submit": True, "region": "main", "form": -1}
        cand = {**cand, "name": label}
        facts = page_facts(sig, page, account_flow=self.account_flow)
        decision = classify(control_facts(cand, sig.get("forms") or []), facts, self.vocab)
        self._last_step = position(facts, self.vocab).where == "last"  # the browser guard's cue
        if decision.verdict == "uncertain":
            return Decision("next", decision.signals)
        return decision

    async def _do_step(self, verb: str, value: Any) -> bool:
        """Carry out one scripted step; True when the submit guard stopped it."""
        t = self.timeout_s * 1000
        env = self.opts.environ
        if verb == "fill":
            for sel, val in value.items():
                await self._locator(sel).fill(resolve_env(val, env), timeout=t)
        elif verb == "select":
            for sel, val in value.items():
                loc = self._locator(sel)
                v = resolve_env(val, env)
                try:
                    await loc.select_option(label=v, timeout=t)
                except Exception:
                    await loc.select_option(value=v, timeout=t)
        elif verb == "check":
            loc = self._locator(value)
            try:
                await loc.check(timeout=min(t, 2000))
            except Exception:
                await loc.evaluate("e => { if (!e.checked) e.click(); }", timeout=t)  # visually hidden input
        elif verb == "upload":
            for sel, val in value.items():
                path = SAMPLE_PDF if val == "sample" else (self.opts.base_dir / resolve_env(val, env))
                if not Path(path).exists():
                    raise StepFailed(f"fichier à joindre introuvable : {val}")
                await self._locator(sel).set_input_files(str(path), timeout=t)
        elif verb == "click":
            loc = self._locator(value, clickable=True)
            try:
                name = await loc.evaluate(
                    "e => (e.getAttribute('aria-label') || e.innerText || e.value || '').trim()", timeout=t
                )
            except Exception as exc:
                raise StepFailed(f"élément « {value} » introuvable ({_short(exc)})") from None
            label = norm_name(name or value)
            decision = await self._decide_scripted(loc, label)
            if decision.stops and not self.d.allow_submit:
                self._pending_stop = (label, value, decision)
                return True
            self._dialogs.clear()
            self._guard_blocked.clear()
            self._clicked = label
            await loc.click(timeout=t)
        elif verb == "wait_for":
            target = value
            if target.startswith(("css=", "xpath=")):
                await self.page.locator(target).first.wait_for(timeout=t)
            else:
                await self.page.get_by_text(target).first.wait_for(timeout=t)
        elif verb == "goto":
            self._set_free_nav(True)  # an address the auditor wrote: follow it
            try:
                ok = await self._goto(resolve_env(value, env))
            finally:
                self._set_free_nav(False)
            if not ok:
                raise StepFailed(f"chargement impossible de {value}")
        return False

    # ------------------------------------------------------------ annex pages

    def _annex_todo(self) -> list[tuple[str, str]]:
        seen = {urldefrag(p.url)[0] for p in self.pages}
        todo: list[tuple[str, str]] = []
        for p in list(self.pages):
            for lk in p.links:
                url = urldefrag(lk.href)[0]
                if not url.startswith(("http://", "https://")) or url in seen:
                    continue
                if not (self._in_scope(url) or same_origin(url, self.d.url)
                        or (lk.text and self.re_annex_any_site.search(lk.text))):
                    continue
                if self.re_never_urls.search(url):
                    continue
                if lk.text and self.re_annex.search(lk.text) and not self.words.never.search(lk.text):
                    seen.add(url)
                    todo.append((url, lk.text))
        return todo

    async def visit_annexes(self) -> None:
        """Visit once each help/contact/accessibility/legal page linked from
        the step pages (same site), audited as ``annex``.  The déclaration
        d'accessibilité is visited even on another site (``annex_links_any_site``):
        démarches often live on a platform whose declaration is elsewhere.
        One page only: a redirect may stay within that page's site, no more."""
        visited = {urldefrag(p.url)[0] for p in self.pages}
        for url, text in self._annex_todo():
            if len(self.pages) >= self.max_pages or not self._alive():
                break
            self._annex_origin = url
            settled = None
            try:
                ok = await self._goto(url)
                if not ok:
                    continue
                settled = await self._settle()
                if self._nav_status in THROTTLED:
                    if await self._throttled():
                        continue  # recorded; an annex page is never audited as the service's error page
                    settled = None
            finally:
                self._annex_origin = None
            self._blocked.clear()
            state = await self._state(settled)
            landed = urldefrag(state.url)[0]
            if landed in visited:
                continue  # redirected to a page already audited
            visited.add(landed)
            page = await self._audit("annex", state, new_doc=True, name=text)
            err = error_page(page, self.words)
            if err:
                self._error("navigate", f"page annexe « {text[:60]} » : {err}", page.url)

    # ------------------------------------------------------------------- run

    async def _setup(self) -> None:
        self.page = await bounded(self.context.new_page(), self.timeout_s + 10, "l'ouverture d'un onglet")
        await bounded(prepare_page(self.page, self.opts.audit), self.timeout_s + 10,  # axe: once per document
                      "la préparation de l'onglet")
        await self.page.add_init_script(script=_js("settle.js"))
        self.page.on("response", self._on_response)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_request_done)
        self.page.on("requestfailed", self._on_request_done)
        self.page.on("load", self._on_load)
        self.page.on("dialog", self._on_dialog)
        self.context.on("page", self._on_popup)
        self.events.attach(self.page)  # downloads and renderer crashes, recorded
        await bounded(self._install_guard(), self.timeout_s + 10, "l'installation du filtre de navigation")
        if self.opts.block_third_party:
            origins = {origin_of(self.d.url), *(origin_of(u) for u in self.scope)}
            await bounded(ThirdPartyGuard(origins, self.blocked_log).install(self.context), self.timeout_s + 10,
                          "l'installation du filtre réseau")

    async def run(self) -> Capture:
        self._started = time.monotonic()
        self.scanned_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            await self._setup()
            if self.d.steps:
                await self.scripted_walk()
            else:
                await self.auto_walk()
            if self.pages and self._alive():
                await self.visit_annexes()
        except PageUnresponsive:
            pass  # recorded by capture(), with the pages already audited
        except Exception as exc:  # the browser died, or something unforeseen
            if self._alive():
                self._error("navigate", f"parcours interrompu : {describe_error(exc, self.timeout_s)}")
                self._stop("failed" if not self.pages else "partial", "parcours interrompu par une erreur")
        return self.capture()

    def stop_on_budget(self, budget_s: float) -> None:
        """The démarche's wall-clock budget ran out: keep what was audited."""
        self._error("navigate", f"budget de temps de la démarche dépassé ({budget_s:.0f} s) : "
                                f"parcours arrêté après {len(self.pages)} page(s)")
        self._stop("partial", f"budget de temps de la démarche dépassé ({budget_s:.0f} s)")

    def capture(self) -> Capture:
        """The Capture of the walk as it stands (also after an interruption):
        every page audited so far is kept, secrets are masked everywhere."""
        if self.events.crashed:
            self._stop("partial", "le moteur de rendu de la page a planté")
        elif self.unresponsive:
            if not any(e.stage == "browser" and e.message == self.unresponsive for e in self.errors):
                self._error("browser", self.unresponsive)
            self._stop("partial", "la page ne répond plus (script en boucle ?)")
        if not self.pages:
            self.status = "failed"
        elif self.status == "complete":
            no_axe = [p.index for p in self.pages if p.axe_error]
            if no_axe:
                self._stop("partial", "axe n'a pas pu analyser la page n° " + ", ".join(map(str, no_axe))
                           + " : à vérifier manuellement")
        cap = Capture(
            demarche=self.d.public_dict(),
            scanned_at=self.scanned_at,
            tool={"version": __version__, "axe_version": axe_version(), "browser": self.opts.browser_version},
            status=self.status,
            status_reason=self.reason,
            errors=list(self.errors),
            pages=list(self.pages),
            stopped_before=self.stopped_before,
            duration_ms=int((time.monotonic() - self._started) * 1000),
            blocked_requests=self.blocked_log.report(),
            robots=self.robots,
            scan_options={"block_third_party": self.opts.block_third_party},
        )
        return redact_tree(cap, self.secrets)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:300]
