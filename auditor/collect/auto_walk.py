"""The auto-walk: fill the form, find the next control, click, until the
démarche ends.

Used when a démarche describes no ``steps``.  Around the loop: refusing a
cookie banner that would cover the form, sending the form untouched once
before filling it (the empty submission probe, RGAA 11.10), opening upload
widgets whose file input appears on click, clicking like a user (and a DOM
click when something covers the control), waiting for an announced
redirect, and saying why the walk stalled.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any
from urllib.parse import urldefrag

from ..model import Control, PageCapture
from . import fill, page_call
from .final_control import norm as norm_name  # accessible names as the rules expect them
from .guard import PageUnresponsive
from .next_control import (OUTSIDE_REGIONS, NextChoice, account_creation, choose_next, login_controls, login_page,
                           unknown_submits)
from .probes.empty_submit import NAME as EMPTY_SUBMIT
from .probes.empty_submit import empty_submit
from .scripts import js as _js
from .settle import PageState
from .walk_common import SAMPLE_PDF, _short


class AutoWalkMixin:
    """The auto-walk of :class:`~auditor.collect.walk.Walker`, apart so that
    its loop and the helpers only it uses can be read together.

    Reads the walker's ``d``, ``page``, ``pages``, ``words``, ``vocab``,
    ``walk_rules``, ``test_data``, ``timeout_s``, ``re_upload``,
    ``re_consent_refuse``, ``re_redirect``, ``_cdp``, ``_last_key``,
    ``_nav_pending`` and ``_blocked``; writes ``account_flow``,
    ``_last_step``, ``_clicked``, ``_dialogs``, ``_blocked``,
    ``_guard_blocked`` and ``_action_epoch_ms``.  Calls the walker's
    ``_start``, ``_after_action``, ``_stop``, ``_stop_before``, ``_error``,
    ``_blocked_reason``, ``_in_scope``, ``_bounded``, ``_call``,
    ``_alive``, ``_probe``, ``_probe_after_failure``, ``_settle``,
    ``_state``, ``_signals`` and ``_hold_requests``; reads and writes
    ``_empty_submitted``, ``_inflight`` and ``_nav_pending`` around the
    empty submission.
    """

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

    async def _extract_controls(self) -> list[Control]:
        try:
            data = await self._bounded(self._call(_js("extract.js"), {"maxText": 1}),
                                       self.timeout_s, "la lecture du formulaire")
        except PageUnresponsive:
            raise
        except Exception:
            return []
        return [Control(**c) for c in data["controls"]]

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

    def _empty_submit_refusal(self, nxt: NextChoice | None, sig: dict[str, Any], current: list[Control]) -> str:
        """Why the empty submission must not run on this step ('' when it may):
        only before a control the guard judged ``next``, never on the last
        step, an account creation, a login or payment page, nor before a
        control that leaves the démarche or opens a new tab."""
        guard = sig.get("guard") or {}
        if nxt is None:
            return "aucun contrôle pour avancer avant la saisie"
        if nxt.decision.verdict != "next":
            verdict = {"final": "final", "uncertain": "incertain"}.get(nxt.decision.verdict, nxt.decision.verdict)
            return f"« {nxt.name[:60]} » jugé {verdict} par la garde : jamais cliqué"
        if nxt.last_step:
            return "dernière étape de la démarche"
        if self.account_flow or account_creation(current) or guard.get("new_password"):
            return "création de compte"
        if sig.get("password"):
            return "champ de mot de passe : page de connexion"
        if guard.get("card_fields") or guard.get("payment_links"):
            return "page liée à un paiement"
        if nxt.out_of_scope or nxt.new_tab:
            return "contrôle qui mène hors de la démarche ou dans un nouvel onglet"
        return ""

    async def _empty_submit_step(self, page: PageCapture, current: list[Control]) -> PageState | None:
        """Once per step page, before the walk fills it: send its form
        untouched (``probes/empty_submit.py``) and record what the page did in
        ``page.probes["empty_submit"]``; the walk then fills and goes on as
        usual.  Nothing leaves the browser meanwhile (``_hold_requests``).

        Returns the state before the click when the empty submission itself
        moved the démarche on (a single-page app that goes to its next state
        without validating or asking the server): that state is the next
        step, and the walk takes it from there."""
        audit = self.opts.audit
        if audit is None or EMPTY_SUBMIT not in audit.probes or page.index in self._empty_submitted \
                or page is not self.pages[-1]:
            return None
        self._empty_submitted.add(page.index)
        if not any(c.tag in ("input", "select", "textarea") and c.type not in ("hidden", "submit", "button", "reset",
                                                                              "image") and c.visible and not c.frame_url
                   for c in current):
            return None  # no field on this step: nothing to leave empty, nothing recorded
        stored = None if self.account_flow else self._stored_empty_submit()
        if stored is not None:
            # an unchanged page: the first scan chose its control on this very DOM and kept what the
            # submission did, so the controls need not be read again (≈ 55 kB of them on a DSFR page)
            page.probes[EMPTY_SUBMIT] = {**stored, "cached": True}
            return None
        sig = await self._signals()
        nxt = choose_next(sig, page, self.words, self._in_scope, account_flow=self.account_flow)
        refusal = self._empty_submit_refusal(nxt, sig, current)
        if refusal:
            page.probes[EMPTY_SUBMIT] = {"ran": False, "skipped": refusal,
                                         "control": {"selector": nxt.selector, "name": nxt.name} if nxt else {}}
            return None
        assert nxt is not None
        before = await self._state(sig)
        since = time.monotonic()
        self._dialogs.clear()
        try:
            result = await asyncio.wait_for(
                empty_submit(self.page, nxt.selector, allow_server=self.d.probe_errors, timeout_s=self.timeout_s,
                             hold=self._hold_requests if self._cdp is not None else None),
                timeout=min(self.timeout_s, 10) + 10)
        except asyncio.TimeoutError:
            result = {"error": "envoi à vide interrompu : la page ne répondait plus"}
        except Exception as exc:  # never a reason to stop the walk
            result = {"error": f"envoi à vide en échec : {type(exc).__name__}: {_short(exc)}"}
        finally:
            # what the probe's click started was refused or answered: the settle must not wait for it
            self._nav_pending = False
            for request, started in list(self._inflight.items()):
                if started >= since:
                    self._inflight.pop(request, None)
            self._dialogs.clear()
        result.setdefault("control", {}).update(selector=nxt.selector, name=nxt.name)
        page.probes[EMPTY_SUBMIT] = result
        self._store_empty_submit(result)
        if not result.get("moved"):
            return None
        self._clicked = nxt.name
        return before

    def _submit_cache(self) -> tuple[Any, str, str] | None:
        """(cache, key, viewport) under which this page's empty submission is kept, or None.

        Only without ``probe_errors``: then nothing reached a server, and on
        the same DOM the page's scripts answer the same way."""
        audit = self.opts.audit
        if audit is None or audit.cache is None or self.d.probe_errors:
            return None
        from .page_audit import cache_key_of

        known = cache_key_of(self.page)
        if known is None:
            return None
        return audit.cache, known[0], known[1]

    def _stored_empty_submit(self) -> dict[str, Any] | None:
        """An unchanged page's empty submission, from the cache: the facts recorded on the first scan,
        without clicking (rescans skip its second of waiting, as they skip axe and the other probes)."""
        where = self._submit_cache()
        return where[0].get_submit(where[1], where[2]) if where is not None else None

    def _store_empty_submit(self, result: dict[str, Any]) -> None:
        """Keep a submission that left no trace in the DOM: the browser's own validation blocked it or
        only the form's GET navigation was refused, nothing was said in a dialog, written or marked on a
        field (``_left_no_trace``).  A page that changed (error
        messages, ``aria-invalid``, a summary) is submitted again on the next scan, so that the walk
        goes on from the same state as the first time."""
        where = self._submit_cache()
        if where is not None and _left_no_trace(result):
            where[0].put_submit(where[1], where[2], result)

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
            moved_from = await self._empty_submit_step(page, current)
            if moved_from is not None:
                # the untouched form was accepted without a request and the page went on: the next step
                outcome = await self._after_action(moved_from)
                if outcome == "stop":
                    return
                controls, retried = None, False
                continue
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


def _left_no_trace(result: dict[str, Any]) -> bool:
    """True when the empty submission changed nothing in the page's DOM (see ``_store_empty_submit``).

    Either the browser's own validation blocked it (not even the ``submit`` event fired), or the form
    went for its GET navigation and that alone was refused: the page stayed as it was, as it does for a
    user who would have left it.  A refused request of the page's own scripts (a ``fetch`` that posts),
    a dialog or anything written in the page is a trace."""
    if not result.get("ran") or result.get("error") or result.get("moved"):
        return False
    native = result.get("native") or {}
    refused = result.get("refused") or []
    own_navigation = bool(refused) and all(
        r.get("main") and r.get("type") == "document" and (r.get("method") or "").upper() == "GET" for r in refused)
    if not native.get("blocked") and not own_navigation:
        return False
    if refused and not own_navigation:
        return False
    if any(result.get(k) for k in ("dialogs", "summary", "other_errors", "new_text", "new_lines", "popups",
                                   "sockets")):
        return False
    for f in result.get("fields") or []:
        after = f.get("after") or {}
        # a changed colour may be an inline style the page wrote, a class, or the browser's :user-invalid
        # style sheet: all but the last leave the DOM changed, and they cannot be told apart here
        if after.get("messages") or after.get("state"):
            return False
    return True
