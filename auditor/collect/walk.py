"""Walking one démarche: scripted steps or auto-walk, then annex pages.

Each step page (every new state: a navigation, or a change of the main
content in a single-page app) is audited once.  The walk never clicks a final
irreversible control (send, pay, sign) unless the démarche sets
``allow_submit: true``; it stays in scope, and it records honestly why it
stopped (``status_reason``) instead of passing off a login wall, an error
page or a loop as a clean result.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

from .. import __version__
from ..config import Demarche, Rules, WalkRules, resolve_env, secret_values
from ..model import Capture, Control, ErrorRecord, PageCapture
from . import fill
from .page_audit import AuditOptions, audit_page, axe_version, navigation_load_ms, prepare_page, redact

SAMPLE_PDF = Path(__file__).parent / "sample.pdf"
QUIET_S = 0.1  # network silence that ends the settle wait after a page loads
QUIET_CAP_S = 3.0  # settle wait at most this long (long polling, beacons)


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


def in_scope(url: str, scope: list[str]) -> bool:
    return any(url.startswith(prefix) for prefix in scope)


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlparse(a), urlparse(b)
    return (pa.scheme, pa.netloc) == (pb.scheme, pb.netloc)


class Walker:
    """Walks one démarche in its own browser context."""

    def __init__(self, context: Any, demarche: Demarche, rules: Rules, opts: WalkOptions):
        self.context = context
        self.d = demarche
        self.rules = rules
        self.opts = opts
        wr = rules.get("walk")
        self.walk_rules: WalkRules = wr if isinstance(wr, WalkRules) else WalkRules.model_validate(wr or {})
        self.re_next = self.walk_rules.matcher("next")
        self.re_never = self.walk_rules.matcher("never")
        self.re_final = self.walk_rules.matcher("final_submit")
        self.re_annex = self.walk_rules.matcher("annex_links")
        self.re_annex_any_site = self.walk_rules.matcher("annex_links_any_site")
        self.re_error = self.walk_rules.matcher("error_page")
        self.re_login = self.walk_rules.matcher("login_wall")
        self.timeout_s = float(demarche.timeout_s or 30)
        self.max_pages = int(demarche.max_pages or 25)
        self.scope = list(demarche.scope or [])
        self.secrets = tuple(secret_values(demarche, opts.environ))
        self.pages: list[PageCapture] = []
        self.errors: list[ErrorRecord] = []
        self.status = "complete"
        self.reason: str | None = None
        self.stopped_before: dict[str, Any] | None = None
        self.seen_states: set[str] = set()
        self.page: Any = None
        self._nav_status: int | None = None
        self._navigated = False
        self._inflight: set[Any] = set()  # requests of the page not finished yet
        self._net_changed = time.monotonic()  # when a request last started or ended

    # ------------------------------------------------------------------ helpers

    def _stop(self, status: str, reason: str) -> None:
        if self.status != "failed":
            self.status = status
        self.reason = self.reason or reason

    def _error(self, stage: str, message: str, url: str | None = None) -> None:
        self.errors.append(ErrorRecord(url=url or (self.page.url if self.page else self.d.url), stage=stage,
                                       message=redact(message, self.secrets)))

    def _on_response(self, response: Any) -> None:
        try:
            if response.request.is_navigation_request() and response.frame == self.page.main_frame:
                self._nav_status = response.status
        except Exception:
            pass

    def _on_request(self, request: Any) -> None:
        try:
            if request.resource_type in ("eventsource", "websocket"):
                return  # long-lived by design: never "finished"
        except Exception:
            pass
        self._inflight.add(request)
        self._net_changed = time.monotonic()

    def _on_request_done(self, request: Any) -> None:
        self._inflight.discard(request)
        self._net_changed = time.monotonic()

    async def _network_quiet(self) -> None:
        """Wait until no request has been in flight for QUIET_S (at most
        QUIET_CAP_S): lets a script-rendered page fetch and draw its content.

        Playwright's "networkidle" waits a fixed 500 ms of silence after
        every page, even a static one whose last request ended long ago;
        at five pages per démarche that idle time was a third of a scan.
        This returns as soon as the network has been quiet for QUIET_S."""
        deadline = time.monotonic() + min(QUIET_CAP_S, self.timeout_s)
        while True:
            now = time.monotonic()
            wait = 0.05 if self._inflight else QUIET_S - (now - self._net_changed)
            if wait <= 0 or now + wait > deadline:
                return
            await asyncio.sleep(wait)

    def _on_nav(self, frame: Any) -> None:
        if self.page is not None and frame == self.page.main_frame:
            self._navigated = True

    async def _state_key(self) -> str:
        """URL (with fragment: hash routers) + a hash of the main content."""
        try:
            text = await self.page.evaluate(
                "() => { const m = document.querySelector('main, [role=main], #main, #content') || document.body;"
                " return m ? m.innerText : ''; }"
            )
        except Exception:
            text = ""
        digest = hashlib.sha1(re.sub(r"\s+", " ", text or "").encode()).hexdigest()[:16]
        return f"{self.page.url}#{digest}"

    async def _settle(self) -> None:
        """Wait for the page to settle after an action: the load event if a
        navigation started, then a short quiet window on the network (and
        the load event of a navigation that started meanwhile)."""
        for quiet in (True, False):
            try:
                await self.page.wait_for_load_state("load", timeout=self.timeout_s * 1000)
            except Exception:
                pass
            if quiet:
                await self._network_quiet()

    async def _audit(self, kind: str = "step", name: str | None = None, load_ms: int | None = None) -> PageCapture:
        index = len(self.pages) + 1
        shot_to = shot_rel = None
        if self.opts.screenshots and self.opts.report_dir is not None:
            shot_rel = f"screenshots/{index:02d}.jpg"
            shot_to = self.opts.report_dir / shot_rel
        page = await audit_page(
            self.page, index=index, kind=kind, name=name, timeout_s=self.timeout_s,
            http_status=self._nav_status, load_ms=load_ms, screenshot_to=shot_to, screenshot_rel=shot_rel,
            secrets=self.secrets, options=self.opts.audit,
        )
        self.pages.append(page)
        if page.axe_error:
            self._error("axe", page.axe_error, page.url)
        return page

    async def _goto(self, url: str) -> bool:
        self._nav_status = None
        try:
            resp = await self.page.goto(url, wait_until="load", timeout=self.timeout_s * 1000)
        except Exception as exc:
            self._error("navigate", f"chargement impossible : {_short(exc)}", url)
            return False
        if resp is not None:
            self._nav_status = resp.status
        await self._network_quiet()
        return True

    def _is_error_page(self, page: PageCapture) -> str | None:
        if page.http_status is not None and page.http_status >= 400:
            return f"page d'erreur HTTP {page.http_status}"
        first = page.headings[0] if page.headings else ""
        for text in (page.title, first):
            if text and self.re_error.search(text):
                return f"page d'erreur « {text[:80]} »"
        return None

    def _controls(self, page: PageCapture) -> list[Control]:
        return [c for c in page.controls if not c.frame_url]

    def _find_next(self, page: PageCapture) -> tuple[str, str, bool] | None:
        """The control that moves the démarche on: (selector, name, is_final)."""
        buttons = [
            c for c in self._controls(page)
            if c.visible and not c.disabled
            and (c.tag == "button" or c.type in ("submit", "image", "button") or c.type == "button")
            and c.type not in ("reset",)
            and c.label and not self.re_never.search(c.label)
        ]

        def primary_first(items: list[Control]) -> list[Control]:
            return sorted(items, key=lambda c: ("--secondary" in c.classes or "--tertiary" in c.classes))

        nexts = primary_first([c for c in buttons if self.re_next.search(c.label)])
        for c in nexts:
            return c.selector, c.label, bool(self.re_final.search(c.label))
        finals = [c for c in buttons if self.re_final.search(c.label)]
        if finals:
            c = primary_first(finals)[0]
            return c.selector, c.label, True
        for lk in page.links:
            if lk.text and self.re_next.search(lk.text) and not self.re_never.search(lk.text):
                if in_scope(lk.href, self.scope) and lk.selector:
                    return lk.selector, lk.text, bool(self.re_final.search(lk.text))
        submits = [c for c in buttons if c.type in ("submit", "image") and c.tag in ("button", "input")]
        if len(submits) == 1:
            c = submits[0]
            return c.selector, c.label, bool(self.re_final.search(c.label))
        return None

    def _login_wall(self, page: PageCapture) -> str | None:
        if any(c.type == "password" and c.visible for c in self._controls(page)):
            return "mur de connexion (champ mot de passe)"
        names = [c.label for c in self._controls(page) if c.visible] + [lk.text for lk in page.links]
        for n in names:
            if n and self.re_login.search(n):
                return f"mur de connexion (« {n[:60]} »)"
        return None

    # --------------------------------------------------------------- the walks

    async def _after_action(self, before: str, name: str | None = None) -> bool:
        """Audit the new state if the action produced one.  False when the
        walk must stop (loop, out of scope, error page, page budget)."""
        await self._settle()
        key = await self._state_key()
        if key == before:
            return True
        if not in_scope(urldefrag(self.page.url)[0], self.scope) and not in_scope(self.page.url, self.scope):
            self._stop("partial", f"la démarche quitte le périmètre autorisé ({self.page.url})")
            return False
        if key in self.seen_states:
            self._stop("partial", "boucle : la démarche revient à une étape déjà vue")
            return False
        if self._step_budget_left() <= 0:
            self._stop("partial", f"limite de {self.max_pages} pages atteinte")
            return False
        self.seen_states.add(key)
        load_ms = await navigation_load_ms(self.page) if self._navigated else None
        page = await self._audit("step", name=name, load_ms=load_ms)
        self._navigated = False
        err = self._is_error_page(page)
        if err:
            self._stop("partial", err)
            return False
        return True

    def _step_budget_left(self) -> int:
        return self.max_pages - len(self.pages)

    async def _start(self) -> bool:
        if not await self._goto(self.d.url):
            self.status = "failed"
            self.reason = "la page de départ n'a pas pu être chargée"
            return False
        self.seen_states.add(await self._state_key())
        page = await self._audit("step", load_ms=await navigation_load_ms(self.page))
        self._navigated = False
        err = self._is_error_page(page)
        if err:
            self.status = "failed" if (page.http_status or 0) >= 400 else "partial"
            self.reason = f"page de départ : {err}"
            return False
        return True

    async def auto_walk(self) -> None:
        """Fill, find the next control, click, until the démarche ends."""
        if not await self._start():
            return
        while True:
            page = self.pages[-1]
            await fill.fill_page(self.page, self._controls(page), self.timeout_s)
            nxt = self._find_next(page)
            if nxt is None:
                wall = self._login_wall(page)
                if wall:
                    self._stop("partial", wall)
                # else: no next control, the démarche ends here
                return
            selector, label, final = nxt
            if final and not self.d.allow_submit:
                self.stopped_before = {"url": self.page.url, "selector": selector, "text": label}
                return
            before = await self._state_key()
            try:
                await self.page.locator(selector).first.click(timeout=self.timeout_s * 1000)
            except Exception as exc:
                self._error("action", f"clic sur « {label} » impossible : {_short(exc)}")
                self._stop("partial", f"clic sur « {label} » impossible")
                return
            if not await self._after_action(before):
                return
            if await self._state_key() == before:
                self._stop("partial", f"la démarche n'avance plus après « {label} » (erreur de saisie ?)")
                return

    async def scripted_walk(self) -> None:
        if not await self._start():
            return
        for i, step in enumerate(self.d.steps or [], 1):
            verb = step.verb
            before = await self._state_key()
            try:
                if verb == "audit":
                    await self._settle()
                    if self._step_budget_left() <= 0:
                        self._stop("partial", f"limite de {self.max_pages} pages atteinte")
                        return
                    load_ms = await navigation_load_ms(self.page) if self._navigated else None
                    self.seen_states.add(before)
                    await self._audit("step", name=step.audit, load_ms=load_ms)
                    self._navigated = False
                    continue
                guarded = await self._do_step(verb, step.value)
                if guarded:
                    return
            except StepFailed as exc:
                self._error("action", f"étape n° {i} ({verb}) : {exc}")
                self._stop("partial", f"l'étape n° {i} ({verb}) a échoué")
                return
            except Exception as exc:
                self._error("action", f"étape n° {i} ({verb}) : {_short(exc)}")
                self._stop("partial", f"l'étape n° {i} ({verb}) a échoué")
                return
            if not await self._after_action(before):
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
            await self._locator(value).check(timeout=t)
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
            if self.re_final.search(name or value) and not self.d.allow_submit:
                self.stopped_before = {"url": self.page.url, "selector": value, "text": name or value}
                self._stop("partial", f"arrêt avant « {name or value} » : envoi final non autorisé (allow_submit: false)")
                return True
            await loc.click(timeout=t)
        elif verb == "wait_for":
            target = value
            if target.startswith(("css=", "xpath=")):
                await self.page.locator(target).first.wait_for(timeout=t)
            else:
                await self.page.get_by_text(target).first.wait_for(timeout=t)
        elif verb == "goto":
            if not await self._goto(resolve_env(value, env)):
                raise StepFailed(f"chargement impossible de {value}")
            self._navigated = True
        return False

    async def visit_annexes(self) -> None:
        """Visit once each help/contact/accessibility/legal page linked from
        the step pages (same site), audited as ``annex``.  The déclaration
        d'accessibilité is visited even on another site (``annex_links_any_site``):
        démarches often live on a platform whose declaration is elsewhere."""
        seen = {urldefrag(p.url)[0] for p in self.pages}
        todo: list[tuple[str, str]] = []
        for p in list(self.pages):
            for lk in p.links:
                url = urldefrag(lk.href)[0]
                if not url.startswith(("http://", "https://")) or url in seen:
                    continue
                if not (in_scope(url, self.scope) or same_origin(url, self.d.url)
                        or (lk.text and self.re_annex_any_site.search(lk.text))):
                    continue
                if lk.text and self.re_annex.search(lk.text) and not self.re_never.search(lk.text):
                    seen.add(url)
                    todo.append((url, lk.text))
        for url, text in todo:
            if self._step_budget_left() <= 0:
                break
            if not await self._goto(url):
                continue
            await self._audit("annex", name=text, load_ms=await navigation_load_ms(self.page))

    async def run(self) -> Capture:
        started = time.monotonic()
        scanned_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.page = await self.context.new_page()
        await prepare_page(self.page)
        self.page.on("response", self._on_response)
        self.page.on("framenavigated", self._on_nav)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_request_done)
        self.page.on("requestfailed", self._on_request_done)
        self.page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        self.context.on("page", lambda p: asyncio.ensure_future(p.close()) if p != self.page else None)
        try:
            if self.d.steps:
                await self.scripted_walk()
            else:
                await self.auto_walk()
            if self.pages:
                await self.visit_annexes()
        except Exception as exc:  # the browser died, or something unforeseen
            self._error("navigate", f"parcours interrompu : {_short(exc)}")
            self._stop("failed" if not self.pages else "partial", "parcours interrompu par une erreur")
        if not self.pages:
            self.status = "failed"
        return Capture(
            demarche=self.d.public_dict(),
            scanned_at=scanned_at,
            tool={"version": __version__, "axe_version": axe_version(), "browser": self.opts.browser_version},
            status=self.status,
            status_reason=self.reason,
            errors=self.errors,
            pages=self.pages,
            stopped_before=self.stopped_before,
            duration_ms=int((time.monotonic() - started) * 1000),
        )


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:300]
