"""Being a polite visitor of public services we do not run.

Observatory editors scan hundreds of services; product teams scan theirs
from CI several times a day.  A service under load, or behind an anti-bot
filter, must see who is visiting and at what pace, and the scorecard must
never blame a service for the crawler's own haste:

- ``user_agent``: Chromium's own string, then ``auditor/<version>`` and the
  contact the auditor gave (``defaults.contact``);
- ``HostGate``: at most N démarches walking one host at once, and a minimum
  gap between two document requests to a host (the walk's DevTools guard
  holds each document request until its turn);
- ``retry_after_s``: the ``Retry-After`` of a 429 or 503, in seconds or as a
  date, bounded;
- ``RobotsCache``: robots.txt read once per host (RFC 9309), and what it
  said kept for the scorecard.
"""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, AsyncIterator, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

ROBOTS_TOKEN = "auditor"  # the product token robots.txt groups are matched against
ROBOTS_MAX_BYTES = 500_000  # RFC 9309: at least 500 KiB parsed


def user_agent(browser_ua: str, version: str, contact: str | None = None) -> str:
    """``<Chromium's UA> auditor/0.1.0 (+contact)``: a site administrator who
    sees the traffic knows what it is and whom to ask."""
    ua = f"{browser_ua.strip()} auditor/{version}".strip()
    return f"{ua} (+{contact.strip()})" if contact and contact.strip() else ua


def host_of(url: str) -> str:
    """``host:port`` of an http(s) address ('' for other schemes)."""
    parts = urlsplit(url)
    return parts.netloc.lower() if parts.scheme in ("http", "https") else ""


def retry_after_s(value: str | None, *, now: datetime | None = None, default: float = 5.0,
                  bound: float = 60.0) -> float:
    """Seconds to wait before asking again: ``Retry-After`` as seconds or as
    an HTTP date, ``default`` when absent or unreadable, never more than
    ``bound`` (a service asking for an hour is recorded, not waited for)."""
    wait = default
    v = (value or "").strip()
    if v.isdigit():
        wait = float(v)
    elif v:
        try:
            when = parsedate_to_datetime(v)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            wait = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return max(0.0, min(wait, bound))


@dataclass
class _Host:
    walking: int = 0
    next_request: float = 0.0  # monotonic time before which no document request goes out
    changed: asyncio.Condition | None = None


@dataclass
class HostGate:
    """Per-host limits shared by every walk of one scan.  Walks to other
    hosts never wait for each other."""

    clock: Callable[[], float] = time.monotonic
    hosts: dict[str, _Host] = field(default_factory=dict)

    def _host(self, host: str) -> _Host:
        h = self.hosts.get(host)
        if h is None:
            h = self.hosts[host] = _Host()
        return h

    @asynccontextmanager
    async def walking(self, host: str, limit: int, on_wait: Callable[[str], None] | None = None
                      ) -> AsyncIterator[None]:
        """Hold one of the ``limit`` places of ``host`` while a démarche walks it."""
        h = self._host(host)
        if h.changed is None:
            h.changed = asyncio.Condition()
        async with h.changed:
            if h.walking >= max(1, limit) and on_wait is not None:
                on_wait(host)
            await h.changed.wait_for(lambda: h.walking < max(1, limit))
            h.walking += 1
        try:
            yield
        finally:
            async with h.changed:
                h.walking -= 1
                h.changed.notify_all()

    def reserve(self, host: str, gap_s: float) -> float:
        """Book the next document request to ``host``: the seconds to wait
        before sending it (0 when the gap since the last one has passed).
        Booking is immediate, so concurrent requests queue in order."""
        if not host or gap_s <= 0:
            return 0.0
        h = self._host(host)
        now = self.clock()
        at = max(now, h.next_request)
        h.next_request = at + gap_s
        return at - now

    async def before_document(self, url: str, gap_s: float) -> float:
        """Wait for the turn of a document request to ``url``'s host."""
        wait = self.reserve(host_of(url), gap_s)
        if wait > 0:
            await asyncio.sleep(wait)
        return wait


# ------------------------------------------------------------------ robots.txt


@dataclass
class RobotsVerdict:
    """What robots.txt says of one address, for the scorecard's ``robots``."""

    url: str  # the robots.txt address
    status: str  # allowed | disallowed | absent | unreadable
    rule: str | None = None  # the line that decides, e.g. « Disallow: /demarche »
    http_status: int | None = None
    ignored: bool = False  # the démarche runs anyway (`robots: ignore`)

    @property
    def forbids(self) -> bool:
        return self.status in ("disallowed", "unreadable")

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "status": self.status, "rule": self.rule, "http_status": self.http_status,
                "ignored": self.ignored}

    def reason(self, page: str) -> str:
        """Why the démarche was not walked, in French."""
        if self.status == "unreadable":
            return (f"robots.txt du site inaccessible ({self.http_status or 'erreur'}) : le site est traité comme "
                    f"fermé aux robots ; démarche non parcourue (« robots: ignore » pour auditer son propre service)")
        return (f"robots.txt interdit aux robots l'adresse de la démarche ({self.rule or page}) : démarche non "
                f"parcourue (« robots: ignore » pour auditer son propre service)")


def robots_url(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}/robots.txt"


def judge_robots(text: str, url: str, *, robots_at: str) -> RobotsVerdict:
    """Pure: what a robots.txt body says of ``url`` for our token."""
    rp = RobotFileParser()
    rp.parse(text.splitlines())
    allowed = rp.can_fetch(ROBOTS_TOKEN, url)
    return RobotsVerdict(url=robots_at, status="allowed" if allowed else "disallowed",
                         rule=None if allowed else _deciding_rule(rp, url))


def _deciding_rule(rp: RobotFileParser, url: str) -> str | None:
    """The Disallow line that forbids ``url`` (for the scorecard's evidence)."""
    from urllib.parse import quote, unquote, urlparse

    parsed = urlparse(unquote(url))
    path = quote(parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
    entries = [e for e in rp.entries if e.applies_to(ROBOTS_TOKEN)]
    if not entries and rp.default_entry is not None:
        entries = [rp.default_entry]
    for entry in entries:
        for line in entry.rulelines:
            if line.applies_to(path):
                return f"{'Allow' if line.allowance else 'Disallow'}: {line.path or '/'}"
    return None


def fetch_robots(url: str, ua: str, timeout_s: float = 10.0) -> tuple[int | None, str]:
    """(HTTP status, body) of a robots.txt; (None, '') when the server
    cannot be reached at all (the walk itself then says why)."""
    req = urllib.request.Request(url, headers={"User-Agent": ua})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - http(s) only
            return resp.status, resp.read(ROBOTS_MAX_BYTES).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError, ValueError):
        return None, ""


@dataclass
class RobotsCache:
    """robots.txt read once per host for a whole scan."""

    ua: str
    fetch: Callable[[str, str], tuple[int | None, str]] | None = None  # default: fetch_robots
    _bodies: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def verdict(self, url: str) -> RobotsVerdict | None:
        """What robots.txt says of ``url`` (None for non-http addresses).
        RFC 9309: a 4xx robots.txt means no restriction; a 5xx means the
        whole site is closed; an unreachable server is left to the walk."""
        if not host_of(url):
            return None
        at = robots_url(url)
        lock = self._locks.setdefault(at, asyncio.Lock())
        async with lock:
            if at not in self._bodies:
                self._bodies[at] = await asyncio.to_thread(self.fetch or fetch_robots, at, self.ua)
        status, body = self._bodies[at]
        if status is None:
            return RobotsVerdict(url=at, status="absent", rule="serveur injoignable")
        if status >= 500:
            return RobotsVerdict(url=at, status="unreadable", http_status=status)
        if status >= 400:
            return RobotsVerdict(url=at, status="absent", http_status=status)
        v = judge_robots(body, url, robots_at=at)
        v.http_status = status
        return v
