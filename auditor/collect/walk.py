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

The walker is composed of parts, one module each (mixins of ``Walker``):

- ``nav_guard``: what the main frame may load (DevTools interception), the
  page's requests, dialogs and popups, the service's « slow down » answers,
  and stopping before what the guard refuses;
- ``settle``: waiting for the page to settle and reading where the walk is
  (``PageState``);
- ``auto_walk``: fill, find the next control, click, until the démarche ends;
- ``scripted_walk``: the ``steps`` a démarche describes;
- ``annexes``: the help, contact, accessibility and legal pages;
- ``walk_common``: the constants and small functions they share.

This module keeps the ``Walker`` itself: its state, what every part uses
(stopping, recording an error, page calls with a hard timeout, loading an
address, auditing a page, judging what an action produced) and ``run``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from .. import __version__
from ..config import Demarche, Rules, TestDataRules, WalkRules, default_scope, secret_values
from ..model import Capture, ErrorRecord, PageCapture
from ..run.resume import scan_options
from . import page_call
from .annexes import AnnexesMixin
from .app_error import app_error
from .auto_walk import AutoWalkMixin
from .final_control import Decision
from .final_control import norm as norm_name  # accessible names as the rules expect them
from .guard import BlockedLog, PageEvents, PageUnresponsive, ThirdPartyGuard, bounded, describe_error, origin_of
from .nav_guard import NavGuardMixin
from .next_control import WalkWords, error_page
from .page_audit import AuditOptions, audit_page, axe_version, prepare_page, redact, redact_tree
from .polite import HostGate
from .scripted_walk import ScriptedWalkMixin, StepFailed
from .scripts import js as _js
from .settle import PageState, SettleMixin
from .walk_common import THROTTLED, in_scope, same_origin

# the module's names before it was split into parts (tests and the runner import them from here)
__all__ = ["PageState", "StepFailed", "WalkOptions", "Walker", "in_scope", "norm_name", "same_origin"]

AUDIT_MIN_S = 10.0  # floor of the per-page audit timeouts (axe, extraction): a slow machine is not a fault


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


class Walker(NavGuardMixin, SettleMixin, AutoWalkMixin, ScriptedWalkMixin, AnnexesMixin):
    """Walks one démarche in its own browser context.

    The state lives here (``__init__``); the parts (mixins, one module
    each: see the module's docstring) read and write it through ``self``.
    """

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
        # while a probe acts on the page (the empty submission): the requests refused so far; None otherwise
        self._held: list[dict[str, Any]] | None = None
        self._empty_submitted: set[int] = set()  # indices of the step pages the empty submission ran on
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

    def _alive(self) -> bool:
        """False once the page crashed or stopped answering: the walk ends."""
        return not (self.events.crashed or self.unresponsive)

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
            scan_options=scan_options(self.opts.block_third_party, self.opts.audit.probes if self.opts.audit else ()),
        )
        return redact_tree(cap, self.secrets)

