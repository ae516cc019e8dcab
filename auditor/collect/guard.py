"""Keeping one démarche's walk safe and bounded on sites we do not control.

- ``bounded``: every call into the page has a hard timeout, because a page
  whose JavaScript loops forever makes ``evaluate`` wait forever (Playwright
  has no timeout on it).  A page that stops answering is marked
  unresponsive and the walk stops instead of hanging the run.
- ``PageEvents``: downloads and renderer crashes, recorded so the scorecard
  says what happened (dialogs and popups are answered by the walker).
- ``BlockedLog`` / ``ThirdPartyGuard``: the scorecard's ``blocked_requests``
  (navigations outside the démarche's scope, blocked by the walker's guard,
  and with ``--block-third-party`` every request to another origin).
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


def dialog_message(kind: str, accepted: bool, text: str) -> str:
    """How a dialog the site opened was answered, for the démarche's ``errors``."""
    if kind == "alert":
        answer = "acquittée"
    elif kind == "beforeunload":
        answer = "acceptée (quitter la page)" if accepted else "refusée"
    else:
        answer = "acceptée (allow_submit: true)" if accepted else "refusée"
    text = re.sub(r"\s+", " ", text or "").strip()[:200]
    return f"boîte de dialogue « {kind} » {answer} automatiquement" + (f" : « {text} »" if text else "")


@dataclass
class PageEvents:
    """Downloads and renderer crashes, recorded (dialogs and popups are
    answered by the walker, which records them too).

    ``record(stage, message, url)`` is the walker's error recorder.  A
    download is never saved (the context refuses downloads)."""

    record: Callable[[str, str, str], None]
    crashed: bool = False
    downloads: int = 0
    _tasks: set[Any] = field(default_factory=set)

    def _spawn(self, aw: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(aw)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def attach(self, page: Any) -> None:
        page.on("download", lambda d: self._spawn(self._on_download(d, page)))
        page.on("crash", lambda _p: self._on_crash(page))

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


# ------------------------------------------------------------- blocked requests


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _js_escape(s: str) -> str:
    """Escape for a JavaScript regular expression (Playwright evaluates route
    regexes in the driver, with JS syntax)."""
    return re.sub(r"([.*+?^${}()|\[\]\\/])", r"\\\1", s)


@dataclass
class BlockedLog:
    """Requests the browser was not allowed to make, for the scorecard's
    ``blocked_requests``: one entry per address and reason, with a count."""

    blocked: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    total: int = 0

    def note(self, url: str, reason: str, resource_type: str) -> None:
        self.total += 1
        key = (url, reason)
        entry = self.blocked.get(key)
        if entry is not None:
            entry["count"] += 1
        elif len(self.blocked) < MAX_BLOCKED:
            self.blocked[key] = {"url": url[:2000], "origin": origin_of(url), "resource_type": resource_type,
                                 "reason": reason, "count": 1}

    def report(self) -> list[dict[str, Any]]:
        """Most frequent first."""
        return sorted(self.blocked.values(), key=lambda e: (-e["count"], e["reason"], e["url"]))


@dataclass
class ThirdPartyGuard:
    """``--block-third-party``: every request to another origin than the
    démarche's own (start URL and scope) is refused before it leaves the
    browser, in every frame and popup of the context, and logged.

    Only other origins are intercepted (a negative-lookahead regex handed to
    the browser), so the démarche's own traffic pays nothing.  Installed
    only with the option: Playwright's routing disables the HTTP cache."""

    origins: set[str]
    log: BlockedLog

    def pattern(self) -> "re.Pattern[str]":
        hosts = "|".join(_js_escape(o.split("://", 1)[1]) for o in sorted(self.origins)) or "(?!)"
        return re.compile(f"^https?://(?!(?:{hosts})(?:[/?#]|$))", re.IGNORECASE)

    async def install(self, context: Any) -> None:
        await context.route(self.pattern(), self._handle)

    async def _handle(self, route: Any, request: Any) -> None:
        url = request.url
        if origin_of(url) in self.origins:  # same host, other scheme: let the check below decide
            try:
                await route.fallback()
            except Exception:
                pass
            return
        self.log.note(url, "third_party", request.resource_type)
        try:
            await route.abort("blockedbyclient")
        except Exception:
            pass
