"""The walk's guard on navigation: what the main frame may load, and what
the page does behind the walk's back.

- Document requests are intercepted through DevTools (``_install_guard``,
  ``_on_paused``): a main-frame navigation out of scope or to a logout
  address is refused before anything leaves the browser (``_nav_allowed``),
  and so is a payment page or a form posted from the last step
  (``_final_request``) unless ``allow_submit``.  The start URL and a `goto`
  the auditor wrote may go anywhere, with their HTTP redirects only
  (``_free_navigation``).  The per-host politeness gate is held here too.
- Playwright's page events keep count of the requests in flight and of the
  pending navigation (the settle reads them), record the document's HTTP
  status and ``Retry-After``, dismiss dialogs and close popups.
- A service that asks to slow down (429, 503) is waited for and loaded
  again (``_throttled``).
- When the guard refused something, the walk stops and says why
  (``_stop_after_guard``, ``_blocked_reason``, ``_stop_before``).
- While a probe acts on the page (the empty submission), the same
  interception widens to every request and refuses every main-frame
  navigation and every request other than GET (``_hold_requests``).
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
import time
from typing import Any, AsyncIterator
from urllib.parse import urlparse

from .final_control import Decision, Signal
from .guard import dialog_message
from .polite import retry_after_s
from .walk_common import THROTTLED, same_origin

MAX_RETRIES = 2
# what the guard intercepts: documents (pages and frames), before they are requested
_GUARD_PATTERNS = [{"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"}]
# long-lived connections never "finish": they must not keep the walk waiting
_LONG_LIVED = ("websocket", "eventsource", "ping")  # ping: navigator.sendBeacon, never awaited by the page


def _host(url: str) -> str:
    return urlparse(url).netloc or url


class NavGuardMixin:
    """The navigation guard of :class:`~auditor.collect.walk.Walker`, apart
    so that what may leave the browser can be read in one place.

    Reads the walker's ``d``, ``opts``, ``page``, ``context``, ``vocab``,
    ``re_never_urls``, ``re_login_urls``, ``re_settle_ignore``, ``pages``,
    ``_annex_origin``, ``_last_step`` and ``_clicked``; writes ``_cdp``,
    ``_main_frame_id``, ``_inflight``, ``_nav_pending``, ``_nav_status``,
    ``_nav_method``, ``_retry_after``, ``_nav_request_at``,
    ``_gate_chain``, ``_gate_held_ms``, ``_free_nav``, ``_free_chain``,
    ``_blocked``, ``_guard_blocked``, ``_blocked_seen``, ``_dialogs``,
    ``_popups``, ``_held``, ``blocked_log`` and ``stopped_before``.  Calls the
    walker's ``_error``, ``_stop``, ``_in_scope``, ``_goto`` and
    ``_settle``.
    """

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
        leaves the browser, let everything else go.  During a probe's hold,
        every request comes here (``_held_refusal``)."""
        request_id = event["requestId"]
        url = event.get("request", {}).get("url", "")
        held = self._held
        if (held is not None or (event.get("resourceType") or "Document") != "Document") \
                and await self._held_refusal(event, held):
            return
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

    async def _held_refusal(self, event: dict[str, Any], held: list[dict[str, Any]] | None) -> bool:
        """During ``_hold_requests`` (``held``: the list of refusals): refuse
        a main-frame navigation (an empty 204, the page stays) or any request
        other than GET (failed as blocked: the page's script sees a network
        error, never a success), and let the other requests go — a frame's
        GET document through the usual guard.  Only documents are
        intercepted outside a hold: another request here was paused during
        one, and is judged the same way.  True when answered here."""
        req = event.get("request", {})
        method = (req.get("method") or "GET").upper()
        kind = event.get("resourceType") or "Document"
        main = event.get("frameId") == self._main_frame_id and kind == "Document"
        if (main and held is not None) or method not in ("GET", "HEAD"):
            if held is not None:
                held.append({"method": method, "url": req.get("url", "")[:300], "type": kind.lower(), "main": main})
            try:
                if kind == "Document":
                    await self._refuse(event["requestId"])
                else:
                    await self._cdp.send("Fetch.failRequest", {"requestId": event["requestId"],
                                                               "errorReason": "BlockedByClient"})
            except Exception:
                pass
            return True
        if kind == "Document":
            return False
        try:
            await self._cdp.send("Fetch.continueRequest", {"requestId": event["requestId"]})
        except Exception:
            pass
        return True

    @asynccontextmanager
    async def _hold_requests(self) -> AsyncIterator[list[dict[str, Any]]]:
        """Nothing leaves the browser while a probe acts on the page: the
        guard's interception widens from documents to every request, and
        ``_held_refusal`` refuses what could send something.  The patterns
        are back to documents before the refusals stop, so that no request
        slips between the two.  Yields the list of refused requests."""
        if self._cdp is None:
            raise RuntimeError("interception des requêtes indisponible")
        refused: list[dict[str, Any]] = []
        self._held = refused
        try:
            await self._cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})
            yield refused
        finally:
            try:
                await self._cdp.send("Fetch.enable", {"patterns": _GUARD_PATTERNS})
            finally:
                self._held = None

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
        await self._cdp.send("Fetch.enable", {"patterns": _GUARD_PATTERNS})

    # ------------------------------------------------------------ refusals

    def _blocked_navigation(self, url: str) -> None:
        """Logged for the scorecard's ``blocked_requests``, and recorded in
        ``errors`` once per address (a page retrying on a timer is counted,
        not repeated)."""
        self.blocked_log.note(url, "scope", "document")
        if url in self._blocked_seen or len(self._blocked_seen) >= 50:
            return
        self._blocked_seen.add(url)
        self._error("navigate", f"navigation hors du périmètre de la démarche bloquée : {url[:300]}", url)

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

    # ------------------------------------------------------------ slow down

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
