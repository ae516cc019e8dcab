"""What the alternatives check gathers over the pages of one démarche, and its small helpers.

The check reads each page in turn and merges what it finds (a phone line seen
on three pages is one line with three sources): ``_CollectorBase`` holds that
state; the phone (``_alt_phone``, ``_alt_phone_scan``) and other-channel
(``_alt_channels``) readers are mixins over it, put together in
``alternatives._Collector``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import PageCapture
from ._alt_rules import CHANNELS, Tariff, _Compiled
from .alternatives_context import squash

@dataclass
class Evidence:
    url: str
    kind: str
    text: str
    selector: str = ""

    def to_dict(self) -> dict[str, str]:
        d = {"url": self.url, "kind": self.kind, "text": self.text}
        if self.selector:
            d["selector"] = self.selector
        return d


@dataclass
class PhoneLine:
    """One distinct phone number, merged across pages."""

    key: str  # E.164 or the short number's digits
    number: str  # display: "+33 1 40 00 00 00" or "3939"
    national: str  # "01 40 00 00 00" or "39 39"
    type: str  # fixe, mobile, gratuit, coût partagé, surtaxé, numéro court, VoIP, autre
    tariff: Tariff
    tariff_text: str | None = None
    name: str | None = None
    hours: str | None = None
    clickable: bool = False
    audience: str | None = None  # who the line is for when not everyone (« depuis l'étranger »)
    whose: str | None = None  # for a number of someone else's: whose it is
    other_reason: str | None = None  # … and why it is not the démarche's own
    sources: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        other = {"whose": self.whose, "reason": self.other_reason} if self.whose else {}
        return {**other,
            "number": self.number,
            "e164": self.key if self.key.startswith("+") else None,
            "national": self.national,
            "type": self.type,
            "tariff": self.tariff,
            "premium": self.tariff == "premium",
            "free": self.tariff == "free",
            "tariff_text": self.tariff_text,
            "name": self.name,
            "hours": self.hours,
            "audience": self.audience,
            "clickable": self.clickable,
            "sources": self.sources,
            "pages": self.pages,
            "evidence": [e.to_dict() for e in self.evidence],
        }


class _CollectorBase:
    """Accumulates findings over the pages of one démarche."""

    def __init__(self, c: _Compiled):
        self.c = c
        self.r = c.rules
        self.lines: dict[str, PhoneLine] = {}
        self.others: dict[str, PhoneLine] = {}  # numbers of other services the pages quote
        self.ignored: list[dict[str, str]] = []
        self.unreadable: list[dict[str, str]] = []
        self.review: list[dict[str, str]] = []
        self.channels: dict[str, dict[str, Any]] = {
            ch: {"evidence": [], "values": [], "pages": []} for ch in CHANNELS if ch != "phone"
        }
        self.in_person_addresses: list[str] = []
        self.places: list[dict[str, Any]] = []  # counters with what was read beside them
        self._pending: list[tuple[str, Evidence]] = []  # this page's bare counter mentions
        self._directory: list[Evidence] = []  # this page's links to a directory of counters
        self.in_person_hours: list[str] = []
        self.appointment_links: list[str] = []
        self.contact_links: list[str] = []
        self.postal_forms: list[str] = []
        self.postal_links: list[str] = []

    # ------------------------------------------------------------------ helpers

    def _add_evidence(self, bucket: list[Evidence], ev: Evidence) -> None:
        if any(e.url == ev.url and e.text == ev.text and e.selector == ev.selector for e in bucket):
            return
        if len(bucket) < self.r.max_evidence:
            bucket.append(ev)

    def _channel_hit(self, channel: str, value: str, ev: Evidence) -> None:
        ch = self.channels[channel]
        if value and value not in ch["values"]:
            ch["values"].append(value)
        if ev.url not in ch["pages"]:
            ch["pages"].append(ev.url)
        self._add_evidence(ch["evidence"], ev)

    def _ignore(self, page: PageCapture, raw: str, reason: str, text: str) -> None:
        item = {"url": page.url, "number": squash(raw), "reason": reason, "text": text}
        if item not in self.ignored and len(self.ignored) < 100:
            self.ignored.append(item)

    def _review(self, channel: str, page: PageCapture, text: str, reason: str) -> None:
        item = {"channel": channel, "url": page.url, "text": text, "reason": reason}
        if item not in self.review and len(self.review) < 50:
            self.review.append(item)

    def hours_in(self, text: str) -> list[tuple[int, int, str]]:
        """Opening-hours expressions in ``text`` (longest, non-overlapping)."""
        found: list[tuple[int, int, str]] = []
        for rx in self.c.hours:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    h = squash(m.group(0))
                    found.append((m.start(), m.end(), h[:1].lower() + h[1:]))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        out: list[tuple[int, int, str]] = []
        for f in found:
            if out and f[0] < out[-1][1]:
                continue
            out.append(f)
        return out
