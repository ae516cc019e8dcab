"""Keeping one démarche's walk safe and bounded on sites we do not control.

- ``bounded``: every call into the page has a hard timeout, because a page
  whose JavaScript loops forever makes ``evaluate`` wait forever (Playwright
  has no timeout on it).  A page that stops answering is marked
  unresponsive and the walk stops instead of hanging the run.
- ``PageEvents``: dialogs (alert, confirm, prompt, beforeunload), popups,
  downloads and renderer crashes, each answered safely and recorded so the
  scorecard says what happened.
- ``RequestGuard``: no main-frame navigation outside the démarche's scope
  (blocked before the request leaves the browser) and, with
  ``--block-third-party``, no request at all to another origin; every
  blocked request is listed in the scorecard.
- ``describe_error``: Chromium's and Playwright's errors in plain French.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

MAX_BLOCKED = 200  # distinct blocked URLs kept per démarche (the count goes on)


class PageUnresponsive(Exception):
    """A call into the page did not return in time (script looping, renderer stuck)."""


async def bounded(aw: Awaitable[T], seconds: float, what: str) -> T:
    """Await ``aw`` for at most ``seconds``; raise PageUnresponsive with a
    French message otherwise (the awaited call is cancelled)."""
    try:
        return await asyncio.wait_for(aw, timeout=max(0.1, seconds))
    except asyncio.TimeoutError:
        raise PageUnresponsive(
            f"la page ne répond plus ({what} sans réponse après {seconds:.0f} s : script en boucle ou page bloquée)"
        ) from None


# Chromium network error codes and Playwright messages → French, most specific first.
_ERRORS_FR: list[tuple[str, str]] = [
    ("ERR_NAME_NOT_RESOLVED", "nom de domaine introuvable (échec DNS)"),
    ("ERR_NAME_RESOLUTION_FAILED", "nom de domaine introuvable (échec DNS)"),
    ("ERR_CONNECTION_REFUSED", "connexion refusée par le serveur"),
    ("ERR_CONNECTION_RESET", "connexion interrompue par le serveur"),
    ("ERR_CONNECTION_CLOSED", "connexion fermée par le serveur"),
    ("ERR_EMPTY_RESPONSE", "le serveur n'a rien répondu"),
    ("ERR_CONNECTION_TIMED_OUT", "le serveur ne répond pas (délai de connexion dépassé)"),
    ("ERR_ADDRESS_UNREACHABLE", "serveur injoignable"),
    ("ERR_INTERNET_DISCONNECTED", "pas de connexion réseau"),
    ("ERR_TOO_MANY_REDIRECTS", "trop de redirections (boucle de redirections)"),
    ("ERR_CERT_", "certificat TLS invalide"),
    ("ERR_SSL_", "erreur TLS"),
    ("ERR_BLOCKED_BY_CLIENT", "requête bloquée par auditor (hors du périmètre de la démarche, ou autre origine"
                              " avec --block-third-party)"),
    ("ERR_ABORTED", "chargement interrompu"),
    ("ERR_INVALID_RESPONSE", "réponse invalide du serveur"),
    ("ERR_RESPONSE_HEADERS_TOO_BIG", "en-têtes de réponse trop volumineux"),
    ("Download is starting", "l'adresse déclenche un téléchargement au lieu d'afficher une page"),
    ("Target crashed", "le moteur de rendu de la page a planté"),
    ("Target page, context or browser has been closed", "la page a été fermée (navigateur arrêté ou planté)"),
    ("Execution context was destroyed", "la page a changé pendant l'analyse"),
]


def describe_error(exc: BaseException | str, timeout_s: float | None = None) -> str:
    """A short French description of a navigation/browser error, keeping the
    technical code in parentheses for whoever digs further."""
    raw = exc if isinstance(exc, str) else (str(exc).strip() or type(exc).__name__)
    first = raw.strip().splitlines()[0] if raw.strip() else raw
    if isinstance(exc, PageUnresponsive):
        return first
    if "Timeout" in first and "exceeded" in first:
        secs = f" en {timeout_s:.0f} s" if timeout_s else ""
        return f"la page n'a pas fini de charger{secs} (délai dépassé)"
    for needle, fr in _ERRORS_FR:
        if needle in first:
            code = re.search(r"net::(ERR_[A-Z_]+)", first)
            return f"{fr} ({code.group(1)})" if code else fr
    return first[:300]


# ------------------------------------------------------------------ page events


@dataclass
class PageEvents:
    """What the site did behind the walk's back, answered safely and recorded.

    ``record(stage, message, url)`` is the walker's error recorder.  Dialogs:
    alerts are acknowledged, confirm/prompt are refused (never agree to
    something on the user's behalf), ``beforeunload`` is accepted so the
    walk can leave the page.  Popups are closed.  A download is never
    saved (the context refuses downloads)."""

    record: Callable[[str, str, str], None]
    crashed: bool = False
    dialogs: int = 0
    popups: int = 0
    downloads: int = 0
    _tasks: set[Any] = field(default_factory=set)

    def _spawn(self, aw: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(aw)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def attach(self, context: Any, page: Any) -> None:
        page.on("dialog", lambda d: self._spawn(self._on_dialog(d, page)))
        page.on("download", lambda d: self._spawn(self._on_download(d, page)))
        page.on("crash", lambda _p: self._on_crash(page))
        context.on("page", lambda p: self._spawn(self._on_popup(p, page)) if p is not page else None)

    async def _on_dialog(self, dialog: Any, page: Any) -> None:
        self.dialogs += 1
        kind = dialog.type
        text = re.sub(r"\s+", " ", dialog.message or "").strip()[:200]
        try:
            if kind in ("alert", "beforeunload"):
                await asyncio.wait_for(dialog.accept(), 5)
            else:
                await asyncio.wait_for(dialog.dismiss(), 5)
        except Exception:
            pass
        answer = {"alert": "acquittée", "beforeunload": "acceptée (quitter la page)"}.get(kind, "refusée")
        msg = f"boîte de dialogue « {kind} » {answer} automatiquement"
        self.record("action", msg + (f" : « {text} »" if text else ""), _url(page))

    async def _on_popup(self, popup: Any, page: Any) -> None:
        self.popups += 1
        try:
            await asyncio.wait_for(popup.wait_for_load_state("domcontentloaded"), 2)
        except Exception:
            pass
        url = _url(popup)
        try:
            await asyncio.wait_for(popup.close(run_before_unload=False), 5)
        except Exception:
            pass
        where = f" ({url})" if url and url != "about:blank" else ""
        self.record("action", f"fenêtre surgissante ouverte par la page et fermée{where}", _url(page))

    async def _on_download(self, download: Any, page: Any) -> None:
        self.downloads += 1
        name = ""
        try:
            name = download.suggested_filename
            await asyncio.wait_for(download.cancel(), 5)
        except Exception:
            pass
        self.record("navigate", f"la page déclenche un téléchargement ({name or 'fichier'}) au lieu d'afficher une page",
                    _safe_attr(download, "url") or _url(page))

    def _on_crash(self, page: Any) -> None:
        if not self.crashed:
            self.crashed = True
            self.record("browser", "le moteur de rendu de la page a planté (onglet « Aïe aïe aïe ! »)", _url(page))


def _url(page: Any) -> str:
    return _safe_attr(page, "url") or ""


def _safe_attr(obj: Any, name: str) -> str:
    try:
        return str(getattr(obj, name))
    except Exception:
        return ""


# ---------------------------------------------------------------- request guard


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _js_escape(s: str) -> str:
    """Escape for a JavaScript regular expression (Playwright evaluates route
    regexes in the driver, with JS syntax)."""
    return re.sub(r"([.*+?^${}()|\[\]\\/])", r"\\\1", s)


@dataclass
class RequestGuard:
    """Blocks main-frame navigations outside ``scope`` (except the URLs the
    walker itself chose, such as annex pages, via ``allow``) and, when
    ``block_third_party`` is set, every request to another origin than the
    démarche's own (start URL and scope).

    Only requests outside the scope are intercepted (a negative-lookahead
    regex handed to the browser), so in-scope traffic pays nothing; Playwright
    does not route redirects, which the walker checks after the fact."""

    scope: list[str]
    start_url: str
    block_third_party: bool = False
    on_blocked_navigation: Callable[[str], None] | None = None
    blocked: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    allowed: set[str] = field(default_factory=set)
    total_blocked: int = 0

    @property
    def origins(self) -> set[str]:
        return {origin_of(self.start_url), *(origin_of(s) for s in self.scope)}

    def pattern(self) -> "re.Pattern[str]":
        prefixes = "|".join(_js_escape(p) for p in self.scope) or "(?!)"
        return re.compile(f"^(?!(?:{prefixes}))")

    def allow(self, url: str) -> None:
        """Let the walker go to ``url`` although it is out of scope (annex pages)."""
        self.allowed.add(url.split("#")[0])

    async def install(self, context: Any) -> None:
        await context.route(self.pattern(), self._handle)

    def _note(self, url: str, reason: str, resource_type: str) -> None:
        self.total_blocked += 1
        key = (url, reason)
        entry = self.blocked.get(key)
        if entry is not None:
            entry["count"] += 1
        elif len(self.blocked) < MAX_BLOCKED:
            self.blocked[key] = {"url": url[:2000], "origin": origin_of(url), "resource_type": resource_type,
                                 "reason": reason, "count": 1}

    async def _handle(self, route: Any, request: Any) -> None:
        url = request.url
        try:
            main_nav = request.is_navigation_request() and request.frame.parent_frame is None
        except Exception:  # service-worker requests have no frame
            main_nav = False
        if main_nav and url.split("#")[0] not in self.allowed and url.startswith(("http://", "https://")):
            self._note(url, "scope", request.resource_type)
            if self.on_blocked_navigation:
                self.on_blocked_navigation(url)
            # 204 No Content: the browser stays on the current page (an abort
            # would replace it with Chromium's error page)
            try:
                await route.fulfill(status=204, body="")
            except Exception:
                await _abort(route)
            return
        if self.block_third_party and url.startswith(("http://", "https://")) and origin_of(url) not in self.origins:
            self._note(url, "third_party", request.resource_type)
            await _abort(route)
            return
        try:
            await route.fallback()
        except Exception:
            pass

    def report(self) -> list[dict[str, Any]]:
        """The blocked requests, most frequent first (the scorecard's ``blocked_requests``)."""
        return sorted(self.blocked.values(), key=lambda e: (-e["count"], e["reason"], e["url"]))


async def _abort(route: Any) -> None:
    try:
        await route.abort("blockedbyclient")
    except Exception:
        pass
