"""Non-digital alternatives: phone line, counter, appointment, callback, contact form, post.

Every essential démarche must offer a way to get help or to apply without the
online form (a phone line or an in-person counter), and since the 2023 « Plan
Téléphone » the phone number must be easy to find, readable and not charged at
a premium rate.  This check reads what every audited page (step and annex)
shows — visible text, links, and the DOM for images and forms — and reports,
per channel, whether it is offered, its normalised values and the evidence.

Both directions matter: a SIRET or a date reported as the démarche's phone
line is a false alarm in a published scorecard, and a missed line or counter
accuses a service falsely.  A number is kept when nothing around it says it is
something else (fax, reference, amount…), and what is rejected is listed in
``phone.ignored`` with the reason.  Contact pages say what a number is by the
heading it sits under (« Par téléphone », « Par télécopie », « Sur place »):
those headings are read (``alternatives_context``), as is who a line is for
(callers abroad, overseas…), so that the démarche-level flags follow the line
open to everyone; numbers of other services (emergency, the Défenseur des
droits in an accessibility statement) are kept apart in ``other_numbers``.
Mentions that look like a channel but lack what makes them usable (a bare
« guichet », a directory link alone, a number shown only as an image) go to
``review`` rather than counting either way.

All the vocabulary lives in ``rules/alternatives.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Iterable, Literal
from urllib.parse import unquote, urlsplit

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType, shortnumberinfo
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ..model import Capture, CheckResult, DomFacts, Link, MessageForm, PageCapture, PageImage
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._frtext import page_links
from .alternatives_context import PageLines, Section, labels_in, squash

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from ..config import Rules

CHANNELS = ("phone", "in_person", "appointment", "callback", "contact_form", "postal")
Tariff = Literal["free", "standard", "premium"]
TARIFF_ORDER: tuple[Tariff, ...] = ("premium", "standard", "free")  # marker priority

# --------------------------------------------------------------------------- rules schema


def _valid_regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"expression régulière invalide « {value} » : {exc}") from None
    return value


Regex = Annotated[str, AfterValidator(_valid_regex)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelledPattern(_Strict):
    """A pattern whose ``label`` is what the report shows (a normalised value or a reason)."""

    label: str = Field(min_length=1)
    pattern: Regex


class KnownShortNumber(_Strict):
    number: str = Field(pattern=r"^\d{2,6}$")
    name: str = ""
    tariff: Tariff = "standard"
    other: bool = False  # an emergency or helpline number: never the démarche's own line


class KnownNumber(_Strict):
    number: str = Field(pattern=r"^0\d{9}$")
    name: str = Field(min_length=1)


class OtherContext(LabelledPattern):
    any_number: bool = True  # False: only known national numbers are someone else's there


class OthersRules(_Strict):
    """Where a page quotes another service's number, and the numbers known to be others'."""

    lines_before: int = Field(6, ge=0, le=50)
    contexts: list[OtherContext] = Field(default_factory=list)
    numbers: list[KnownNumber] = Field(default_factory=list)


SectionKind = Literal["phone", "contact", "fax", "sms", "in_person", "postal", "online"]


class SectionRules(_Strict):
    """Channel headings (« Par téléphone », « Sur place »…) and how far they reach."""

    max_chars: int = Field(90, ge=10, le=500)
    max_lines: int = Field(12, ge=1, le=200)
    headings: dict[SectionKind, list[Regex]] = Field(default_factory=dict)


class PhoneRules(_Strict):
    region: str = "FR"
    also_regions: list[str] = Field(default_factory=list)
    labels: list[Regex] = Field(min_length=1)
    exclude_labels: list[LabelledPattern] = Field(default_factory=list)
    exclude_after: list[LabelledPattern] = Field(default_factory=list)
    placeholders: list[Regex] = Field(default_factory=list)
    dates: list[Regex] = Field(default_factory=list)
    short_number: Regex
    short_numbers: list[KnownShortNumber] = Field(default_factory=list)
    default_short_tariff: Tariff = "standard"
    prefixes: dict[Tariff, list[Regex]] = Field(default_factory=dict)
    markers: dict[Tariff, list[Regex]] = Field(default_factory=dict)
    label_window: int = Field(45, ge=5, le=500)
    marker_window: int = Field(140, ge=10, le=2000)
    image_words: list[Regex] = Field(default_factory=list)
    hours_lines_after: int = Field(2, ge=0, le=20)
    hours_lines_before: int = Field(1, ge=0, le=20)
    audiences: list[LabelledPattern] = Field(default_factory=list)
    others: OthersRules = Field(default_factory=OthersRules)


def expand(pattern: str, definitions: dict[str, str]) -> str:
    """Replace ``{name}`` by its definition (each wrapped in a group), recursively."""
    for _ in range(5):
        before = pattern
        for name, definition in definitions.items():
            pattern = pattern.replace("{" + name + "}", f"(?:{definition})")
        if pattern == before:
            break
    return pattern


class HoursRules(_Strict):
    definitions: dict[str, str] = Field(default_factory=dict)
    patterns: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _compile(self) -> "HoursRules":
        for p in self.patterns:
            _valid_regex(self.expand(p))
        return self

    def expand(self, pattern: str) -> str:
        return expand(pattern, self.definitions)


class ChannelRules(_Strict):
    patterns: list[LabelledPattern] = Field(min_length=1)
    exclude: list[Regex] = Field(default_factory=list)
    link_text: list[Regex] = Field(default_factory=list)
    link_href: list[Regex] = Field(default_factory=list)


class InPersonRules(ChannelRules):
    definitions: dict[str, str] = Field(default_factory=dict)
    explicit: list[LabelledPattern] = Field(default_factory=list)
    address: list[Regex] = Field(default_factory=list)
    nearby: list[Regex] = Field(default_factory=list)

    @model_validator(mode="after")
    def _compile(self) -> "InPersonRules":
        for p in [x.pattern for x in self.explicit] + self.exclude:
            _valid_regex(expand(p, self.definitions))
        return self


class ContactFormRules(ChannelRules):
    form_page: list[Regex] = Field(default_factory=list)


class PostalRules(ChannelRules):
    cerfa: Regex
    download: list[Regex] = Field(default_factory=list)


class AlternativesRules(_Strict):
    """Schema of ``rules/alternatives.yaml`` (validated when rules are loaded)."""

    evidence_chars: int = Field(220, ge=40, le=2000)
    max_evidence: int = Field(5, ge=1, le=100)
    context_lines_before: int = Field(1, ge=0, le=20)
    context_lines_after: int = Field(3, ge=0, le=20)
    context_chars: int = Field(400, ge=50, le=5000)
    phone: PhoneRules
    sections: SectionRules = Field(default_factory=SectionRules)
    hours: HoursRules
    in_person: InPersonRules
    appointment: ChannelRules
    callback: ChannelRules
    contact_form: ContactFormRules
    postal: PostalRules

    _compiled: "_Compiled | None" = PrivateAttr(default=None)

    def compiled(self) -> "_Compiled":
        if self._compiled is None:
            self._compiled = _Compiled(self)
        return self._compiled


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE | re.MULTILINE)


def _any(patterns: Iterable[str]) -> re.Pattern[str] | None:
    pats = list(patterns)
    return _rx("|".join(f"(?:{p})" for p in pats)) if pats else None


@dataclass
class _Channel:
    patterns: list[tuple[str, re.Pattern[str]]]
    exclude: re.Pattern[str] | None
    link_text: re.Pattern[str] | None
    link_href: re.Pattern[str] | None

    @classmethod
    def of(cls, r: ChannelRules, definitions: dict[str, str] | None = None) -> "_Channel":
        return cls(
            patterns=[(p.label, _rx(p.pattern)) for p in r.patterns],
            exclude=_any(expand(x, definitions or {}) for x in r.exclude),
            link_text=_any(r.link_text),
            link_href=_any(r.link_href),
        )


class _Compiled:
    """The rules with every pattern compiled once."""

    def __init__(self, r: AlternativesRules):
        ph = r.phone
        self.rules = r
        self.phone_labels = [_rx(p) for p in ph.labels]
        self.phone_excludes = [(x.label, _rx(x.pattern)) for x in ph.exclude_labels]
        self.phone_exclude_after = [(x.label, _rx(x.pattern)) for x in ph.exclude_after]
        self.placeholders = _any(ph.placeholders)
        self.dates = [_rx(p) for p in ph.dates]
        self.short_number = _rx(ph.short_number)
        self.known_short = {k.number: k for k in ph.short_numbers}
        # known short numbers the 3BPQ pattern does not read (15, 112, 116 006…)
        special = [k.number for k in ph.short_numbers if not self.short_number.fullmatch(k.number)]
        self.special_short = _rx(r"(?<![\d,.€/§])(?<!\d\s)\b(?:" + "|".join(
            r"\s?".join(n) for n in sorted(special, key=len, reverse=True)) + r")\b(?![\d,.]?\d|\s\d)") if special else None
        self.audiences = [(a.label, _rx(a.pattern)) for a in ph.audiences]
        self.other_contexts = [(o.label, _rx(o.pattern), o.any_number) for o in ph.others.contexts]
        self.other_numbers = {k.number: k.name for k in ph.others.numbers}
        self.sections = r.sections
        self.section_rx = {kind: rx for kind, ps in r.sections.headings.items() if (rx := _any(ps)) is not None}
        self.prefixes = {t: [_rx(p) for p in ps] for t, ps in ph.prefixes.items()}
        self.markers = {t: _any(ps) for t, ps in ph.markers.items()}
        self.image_words = _any(ph.image_words)
        self.any_phone_label = _any(ph.labels)
        self.hours = [_rx(r.hours.expand(p)) for p in r.hours.patterns]
        self.channels = {
            "in_person": _Channel.of(r.in_person, r.in_person.definitions),
            "appointment": _Channel.of(r.appointment),
            "callback": _Channel.of(r.callback),
            "contact_form": _Channel.of(r.contact_form),
            "postal": _Channel.of(r.postal),
        }
        self.explicit = [(p.label, _rx(expand(p.pattern, r.in_person.definitions))) for p in r.in_person.explicit]
        self.address = [_rx(p) for p in r.in_person.address]
        self.nearby = _any(r.in_person.nearby)
        self.form_page = _any(r.contact_form.form_page)
        self.cerfa = _rx(r.postal.cerfa)
        self.download = _any(r.postal.download)


# --------------------------------------------------------------------------- text helpers

_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\u200a\f\v]")
_APOS = re.compile(r"[\u2019\u2018\u02bc`´]")
_DASHES = re.compile(r"[\u2010\u2011]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý«\"(])")


def normalise_text(text: str) -> str:
    """Same text, with the typographic variants French pages use (non-breaking
    and thin spaces, curly apostrophes, non-breaking hyphens) made plain, so
    that patterns in rules/ stay simple.  Tabs stay: they part table cells,
    and a number followed by a price in the next cell must end at the cell.
    Lengths change only for CRLF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _APOS.sub("'", text)
    return _DASHES.sub("-", text)


def excerpt(text: str, start: int, end: int, width: int) -> str:
    """A readable excerpt of ``text`` around [start, end), at most ``width``
    characters, cut at word boundaries, with an ellipsis where cut."""
    text_len = len(text)
    pad = max(0, (width - (end - start)) // 2)
    a, b = max(0, start - pad), min(text_len, end + pad)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < text_len:
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    out = squash(text[a:b])
    return ("… " if a > 0 else "") + out + (" …" if b < text_len else "")


def line_excerpt(text: str, start: int, end: int, width: int) -> str:
    """Excerpt of the line holding [start, end); a short line (a number alone
    under its heading) is shown with the lines just around it."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b == -1 else b
    if b - a < width // 3:
        prev = text.rfind("\n", 0, max(a - 1, 0)) + 1 if a > 0 else a
        nxt = text.find("\n", b + 1) if b < len(text) else -1
        a = prev
        b = len(text) if (b < len(text) and nxt == -1) else (nxt if nxt != -1 else b)
    return excerpt(text[a:b], start - a, end - a, width)


def sentences(line: str) -> list[tuple[int, str]]:
    """Sentences of one line, with their offset in the line."""
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(line):
        out.append((pos, line[pos : m.start()]))
        pos = m.end()
    out.append((pos, line[pos:]))
    return [(o, s) for o, s in out if s.strip()]


# --------------------------------------------------------------------------- results


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


@dataclass
class _Candidate:
    start: int
    end: int
    raw: str
    number: phonenumbers.PhoneNumber | None  # None for short numbers
    short: str | None = None
    special: bool = False  # a known short number outside the 3BPQ range (15, 112, 116 006…)


@dataclass
class _Decision:
    keep: bool
    reason: str = ""  # why it was ignored (French)
    label: str = ""  # "phone" | exclusion label | ""


_TYPE_FR = {
    PhoneNumberType.FIXED_LINE: "fixe",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixe ou mobile",
    PhoneNumberType.TOLL_FREE: "numéro gratuit",
    PhoneNumberType.PREMIUM_RATE: "numéro surtaxé",
    PhoneNumberType.SHARED_COST: "numéro à coût partagé",
    PhoneNumberType.VOIP: "non géographique",
    PhoneNumberType.UAN: "numéro unique",
}

_HEADS_LINE = re.compile(r"[\s\-–•·:(]*(?:ou\s+)?(?:le\s+|au\s+)?", re.IGNORECASE)  # before a number heading its line
_ALTERNATIVE = re.compile(r"\s*(?:\(\s*)?(?:ou|/|,|et)\s*(?:\(\s*)?(?:(?:au|le)\s+)?", re.IGNORECASE)
_NATIONAL_TEN = re.compile(r"(?<![\d+])0\d(?:[ .\-]?\d){8}(?!\d)")
_URL_NEIGHBOUR = set("/=_@#&?\\")
_URL_TOKEN = re.compile(r"://|^www\.|@|=|\.(?:pdf|html?|php|aspx?|docx?|odt|xlsx?|png|jpe?g)\b|^/|/$|/\w+/")


class _Collector:
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

    # ------------------------------------------------------------------ phone

    def _candidates(self, text: str, dates_out: list[_Candidate] | None = None) -> list[_Candidate]:
        """Number-like spans of ``text``: phonenumbers' matches (region FR, then
        the overseas regions), 4-digit short numbers and the known short
        numbers of other lengths; those inside a date go to ``dates_out``."""
        region = self.r.phone.region
        cands: list[_Candidate] = []
        for m in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            cands.append(_Candidate(m.start, m.end, m.raw_string, m.number))
        if self.r.phone.also_regions:
            # « 0694 38 54 45 » is a number of French Guiana, not of metropolitan
            # France: ten-digit national numbers left over are tried in each region
            for m in _NATIONAL_TEN.finditer(text):
                if any(c.start < m.end() and m.start() < c.end for c in cands):
                    continue
                for other in self.r.phone.also_regions:
                    try:
                        num = phonenumbers.parse(m.group(0), other)
                    except phonenumbers.NumberParseException:
                        continue
                    if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == other:
                        cands.append(_Candidate(m.start(), m.end(), m.group(0), num))
                        break
        dates = [m.span() for rx in self.c.dates for m in rx.finditer(text)]
        if dates:
            kept = []
            for c in cands:
                if any(a < c.end and c.start < b for a, b in dates):
                    if dates_out is not None:
                        dates_out.append(c)
                else:
                    kept.append(c)
            cands = kept
        shorts = [(m, False) for m in self.c.short_number.finditer(text)]
        if self.c.special_short is not None:
            shorts += [(m, True) for m in self.c.special_short.finditer(text)]
        for m, special in shorts:
            if any(c.start < m.end() and m.start() < c.end for c in cands):
                continue
            digits = re.sub(r"\D", "", m.group(0))
            cands.append(_Candidate(m.start(), m.end(), m.group(0), None, short=digits, special=special))
        cands.sort(key=lambda c: c.start)
        return cands

    def _nearest_label(self, window: str) -> tuple[str, str, int] | None:
        """The label closest to the end of ``window``: ("phone", "", end) or
        ("exclude", reason, end).  Ties go to the longest match, so « Tél./Fax »
        beats « Fax »."""
        best: tuple[int, int, str, str] | None = None
        for rx in self.c.phone_labels:
            for m in rx.finditer(window):
                key = (m.end(), m.end() - m.start(), "phone", "")
                best = key if best is None or key[:2] > best[:2] else best
        for reason, rx in self.c.phone_excludes:
            for m in rx.finditer(window):
                key = (m.end(), m.end() - m.start(), "exclude", reason)
                best = key if best is None or key[:2] > best[:2] else best
        return (best[2], best[3], best[0]) if best else None

    @staticmethod
    def _section_label(section: Section | None) -> tuple[str, str, int] | None:
        """What a channel heading above a bare number says it is."""
        if section is None or "phone" in section.kinds:
            return ("phone", "", 0) if section is not None else None
        if "fax" in section.kinds:
            return ("exclude", "numéro de fax (rubrique « " + section.heading + " »)", 0)
        if "sms" in section.kinds:
            return ("exclude", "numéro pour SMS (rubrique « " + section.heading + " »)", 0)
        return None

    def _decide(self, text: str, cand: _Candidate, prev: _Candidate | None, prev_dec: _Decision | None,
                force_label: bool = False, ctx: PageLines | None = None) -> tuple[_Decision, int]:
        """Keep or ignore a candidate; returns the decision and where its label window starts."""
        line_start = text.rfind("\n", 0, cand.start) + 1
        win_start = max(line_start, cand.start - self.r.phone.label_window, prev.end if prev else 0)
        window = text[win_start : cand.start]
        before_char = text[cand.start - 1] if cand.start > 0 else " "
        after_char = text[cand.end] if cand.end < len(text) else " "
        tok_start = max(text.rfind(" ", 0, cand.start), text.rfind("\n", 0, cand.start)) + 1
        tok_end = min([i for i in (text.find(" ", cand.end), text.find("\n", cand.end)) if i != -1] or [len(text)])
        token = text[tok_start:tok_end].lower()
        if (after_char.isalnum() or before_char.isalnum() or before_char in _URL_NEIGHBOUR - {"/"}
                or after_char in _URL_NEIGHBOUR - {"/"} or _URL_TOKEN.search(token)):
            return _Decision(False, "fait partie d'une adresse web ou d'un identifiant"), win_start
        for reason, rx in self.c.phone_exclude_after:
            if rx.search(text[cand.end : cand.end + 12]):
                return _Decision(False, reason), win_start
        label = self._nearest_label(window)
        if label is None and prev is not None and prev_dec is not None and prev_dec.label and prev.end >= line_start:
            # « Fax : 01 … / 01 … » : a number right after another one shares its label
            if re.fullmatch(r"[\s/,;:(-]*(?:ou|et)?[\s/,;:(-]*", window, re.IGNORECASE):
                label = ("phone", "", 0) if prev_dec.label == "phone" else ("exclude", prev_dec.label, 0)
        section = ctx.section_at(cand.start) if ctx is not None else None
        heads_line = bool(_HEADS_LINE.fullmatch(text[line_start : cand.start]))
        if label is None and section is not None and "contact" in section.kinds and heads_line:
            # « Nous contacter » over « 36 46 » alone on its line: a contact block's number
            section = Section(section.kinds | {"phone"}, section.heading, section.line, section.last)
        from_section = label is None and self._section_label(section) is not None
        if label is None:
            label = self._section_label(section)
        if from_section and label is not None and label[0] == "phone" and not heads_line and (
                cand.short is not None or re.fullmatch(r"\d+", cand.raw.strip())):
            # « supérieure à 3 500 kilogrammes » under a « Téléphone » heading: a
            # short or unspaced number counts there only at the head of its line
            label, from_section = None, False
        if label and label[0] == "exclude":
            return _Decision(False, label[1], label[1]), win_start
        labelled = force_label or (label is not None and label[0] == "phone")
        if cand.special:
            # « 17 », « 115 » are common numbers: read only right after « composez
            # le », « appelez le »…, or alone at the head of a line under « Par téléphone »
            tight = label is not None and not from_section and bool(
                re.fullmatch(r"[\s:]*(?:le|au|l')?[\s:]*", window[label[2]:], re.IGNORECASE))
            if not (force_label or tight or (from_section and heads_line)):
                return _Decision(False, "numéro court sans « composez le » ni rubrique « téléphone »"), win_start
            return _Decision(True, label="phone"), win_start
        if cand.short is not None:
            known = self.c.known_short.get(cand.short)
            if not labelled and known is not None and known.name:
                labelled = known.name.casefold() in window.casefold()
            if not labelled:
                # « 3646 (service gratuit + prix d'un appel) »: a tariff right after is a label too
                after = text[cand.end : cand.end + 60].split("\n")[0]
                labelled = any(rx is not None and rx.search(after) for rx in self.c.markers.values())
            if not labelled:
                return _Decision(False, "nombre à 4 chiffres sans mention de téléphone"), win_start
            num = phonenumbers.parse(cand.short, self.r.phone.region)
            if cand.short not in self.c.known_short and not shortnumberinfo.is_valid_short_number(num):
                return _Decision(False, "numéro court inconnu"), win_start
            return _Decision(True, label="phone"), win_start
        raw = cand.raw.strip()
        if not raw[:1] in ("0", "+", "("):
            return _Decision(False, "nombre sans indicatif ni 0 initial"), win_start
        if re.fullmatch(r"\d+", raw) and not labelled:
            return _Decision(False, "nombre sans séparateurs ni mention de téléphone"), win_start
        if cand.number is not None and self.c.placeholders is not None:
            national = "0" + str(cand.number.national_number)
            if self.c.placeholders.search(national):
                return _Decision(False, "numéro d'exemple"), win_start
        return _Decision(True, label="phone" if labelled else ""), win_start

    def _marker(self, text: str) -> tuple[Tariff, str] | None:
        """The tariff a text states, premium first (a price per minute beats « prix d'un appel »)."""
        for t in TARIFF_ORDER:
            rx = self.c.markers.get(t)
            m = rx.search(text) if rx else None
            if m:
                return t, squash(m.group(0))
        return None

    def _tariff(self, key_national: str, is_fr: bool, marker_text: str) -> tuple[Tariff, str | None, Tariff | None]:
        """Tariff from the number's prefix, unless a marker near it says
        otherwise; a premium-rate prefix stays premium."""
        prefix_tariff: Tariff | None = None
        if is_fr:
            for t in TARIFF_ORDER:
                if any(rx.search(key_national) for rx in self.c.prefixes.get(t, [])):
                    prefix_tariff = t
                    break
        found = self._marker(marker_text)
        marker_tariff, marker_txt = found if found else (None, None)
        if prefix_tariff is not None:
            # the numbering plan fixes the tariff (a 0806 is not free, whatever the
            # page says); only a price written next to the number can raise it
            if marker_tariff == "premium":
                return "premium", marker_txt, prefix_tariff
            return prefix_tariff, marker_txt if marker_tariff == prefix_tariff else None, prefix_tariff
        return marker_tariff or "standard", marker_txt, prefix_tariff

    def _line_for(self, cand: _Candidate) -> tuple[str, str, str, str, bool, str | None, Tariff | None]:
        """key, display, national, type, is_fr, name, default tariff"""
        if cand.short is not None:
            known = self.c.known_short.get(cand.short)
            d = cand.short
            nat = " ".join(d[i : i + 2] for i in range(0, len(d), 2)) if len(d) == 4 else (
                f"{d[:3]} {d[3:]}" if len(d) == 6 else d)
            return (d, d, nat, "numéro court", True, known.name if known else None,
                    known.tariff if known else self.r.phone.default_short_tariff)
        n = cand.number
        assert n is not None
        key = phonenumbers.format_number(n, PhoneNumberFormat.E164)
        display = phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL)
        national = phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL)
        ntype = _TYPE_FR.get(phonenumbers.number_type(n), "autre")
        is_fr = n.country_code == 33
        return key, display, national, ntype, is_fr, None, None

    def _record(self, page: PageCapture, cand: _Candidate, *, source: str, marker_text: str,
                hours: str | None, ev: Evidence, clickable: bool = False, audience: str | None = None,
                whose: tuple[str, str] | None = None) -> None:
        key, display, national, ntype, is_fr, name, short_tariff = self._line_for(cand)
        digits = "0" + str(cand.number.national_number) if cand.number is not None else cand.short or ""
        tariff, tariff_text, _ = self._tariff(digits, is_fr and cand.short is None, marker_text)
        if cand.short is not None:
            marker_tariff = self._tariff("", False, marker_text)
            tariff = marker_tariff[0] if marker_tariff[1] else (short_tariff or "standard")
            tariff_text = marker_tariff[1]
        bucket = self.others if whose else self.lines
        line = bucket.get(key)
        if line is None:
            line = bucket[key] = PhoneLine(key, display, national, ntype, tariff, tariff_text, name,
                                           audience=audience)
            if whose:
                line.whose, line.other_reason = whose
        else:
            if TARIFF_ORDER.index(tariff) < TARIFF_ORDER.index(line.tariff) and tariff_text:
                # a page that states a premium price is believed over one that does not
                line.tariff, line.tariff_text = tariff, tariff_text
            elif line.tariff_text is None and tariff_text:
                line.tariff_text = tariff_text
            if audience is None:
                line.audience = None  # offered to everyone somewhere: a main line
        if hours and not line.hours:
            line.hours = hours
        line.clickable = line.clickable or clickable
        if source not in line.sources:
            line.sources.append(source)
        if page.url not in line.pages:
            line.pages.append(page.url)
        self._add_evidence(line.evidence, ev)

    def scan_phone_text(self, page: PageCapture, text: str, *, source: str = "text", selector: str = "",
                        force_label: bool = False, ctx: PageLines | None = None) -> list[_Candidate]:
        """Find phone numbers in ``text`` (visible text or an image's text
        alternative); returns the kept candidates."""
        in_dates: list[_Candidate] = []
        cands = self._candidates(text, in_dates)
        for cand in in_dates:
            if cand.short is None:
                self._ignore(page, cand.raw, "date", line_excerpt(text, cand.start, cand.end, self.r.evidence_chars))
        kept: list[tuple[int, _Candidate, int]] = []  # index in cands, candidate, label window start
        prev: _Candidate | None = None
        prev_dec: _Decision | None = None
        for i, cand in enumerate(cands):
            dec, win_start = self._decide(text, cand, prev, prev_dec, force_label, ctx)
            prev, prev_dec = cand, dec
            if dec.keep:
                kept.append((i, cand, win_start))
            elif not cand.special and (cand.short is None or cand.short in self.c.known_short):
                # « 3 500 habitants », « le 17 mars »: not worth listing
                self._ignore(page, cand.raw, dec.reason, line_excerpt(text, cand.start, cand.end, self.r.evidence_chars))
        shared = self._shared_tails(text, [c for _, c, _ in kept], cands)
        for k, (i, cand, win_start) in enumerate(kept):
            prev_end = cands[i - 1].end if i > 0 else 0
            nxt = cands[i + 1].start if i + 1 < len(cands) else len(text)
            next_line = text.rfind("\n", cand.end, nxt) if i + 1 < len(cands) else -1
            if next_line != -1:
                nxt = next_line  # what shares a line with the next number belongs to it
            stop, width, lines = nxt, self.r.phone.marker_window, 1
            section = ctx.section_at(cand.start) if ctx is not None else None
            if section is not None and "phone" in section.kinds:
                # under « Par téléphone », the lines down to the next number speak of this one
                own_line = ctx.lines[ctx.index(cand.start)].end
                stop = min(nxt, max(own_line, ctx.lines[section.last].end))
                width, lines = self.r.context_chars, self.r.sections.max_lines
            marker_text = text[win_start : cand.start] + " " + self._after(text, cand.end, stop, width, lines)
            hours = self._hours_near(text, cand, prev_end=prev_end, next_start=nxt)
            tail = shared.get(k)
            if tail:
                if self._marker(marker_text) is None:
                    marker_text += " " + tail  # « 39 60 (ou 09 71 10 39 60) » + the tariff line below both
                if hours is None:
                    found = self.hours_in(tail)
                    hours = found[0][2] if found else None
            ev_text = line_excerpt(text, cand.start, cand.end, self.r.evidence_chars)
            self._record(page, cand, source=source, marker_text=marker_text, hours=hours,
                         ev=Evidence(page.url, page.kind, ev_text, selector),
                         audience=self._audience(text, cand, prev_end, nxt, ctx),
                         whose=self._whose(text, cand, ctx))
        return [c for _, c, _ in kept]

    def _shared_tails(self, text: str, kept: list[_Candidate], cands: list[_Candidate]) -> dict[int, str]:
        """For numbers given as alternatives of one another on one line
        (« 39 60 (ou 09 71 10 39 60 …) », « 01 … ou 01 … »), the text after the
        group that speaks for all of them: after the parenthesis holding the
        last one, and the lines below.  Keyed by position in ``kept``, for
        every member but the last (whose own text already runs on)."""
        out: dict[int, str] = {}
        k = 0
        while k < len(kept):
            j = k
            while (j + 1 < len(kept) and "\n" not in text[kept[j].end : kept[j + 1].start]
                   and _ALTERNATIVE.fullmatch(text[kept[j].end : kept[j + 1].start])):
                j += 1
            if j > k:
                last = kept[j]
                line_end = text.find("\n", last.end)
                line_end = len(text) if line_end == -1 else line_end
                opened = text[kept[k].start : last.start].count("(") - text[kept[k].start : last.start].count(")")
                close = text.find(")", last.end, line_end) if opened > 0 else -1
                start = close + 1 if close != -1 else line_end
                later = [c.start for c in cands if c.start >= start]
                stop = min(later) if later else len(text)
                tail = self._after(text, start, stop, self.r.context_chars, max(1, self.r.phone.hours_lines_after))
                for m in range(k, j):
                    out[m] = tail
            k = j + 1
        return out

    def _audience(self, text: str, cand: _Candidate, prev_end: int, next_start: int,
                  ctx: PageLines | None) -> str | None:
        """Who a line is for when not everyone: said before the number on its
        line, right after it, on the line above ending with « : », or in its
        section's heading.  None for a main line."""
        if not self.c.audiences:
            return None
        line_start = text.rfind("\n", 0, cand.start) + 1
        line_end = text.find("\n", cand.end)
        line_end = len(text) if line_end == -1 else line_end
        before = text[max(line_start, prev_end) : cand.start]
        after = text[cand.end : min(line_end, next_start)]
        if next_start < line_end and after.rstrip().endswith(":"):
            after = ""  # « 39 39 (depuis l'étranger : +33 …) »: those words introduce the next number
        parts = [before, after]
        if not before.strip(" -–•·(:"):
            # « Depuis l'outre-mer : » or a heading « La Réunion et Mayotte » just above
            above = ctx.previous(cand.start) if ctx is not None else None
            if above is not None and (above[0].rstrip().endswith(":") or above[1]):
                parts.append(above[0])
        section = ctx.section_at(cand.start) if ctx is not None else None
        if section is not None:
            parts.append(section.heading)
        labels: list[str] = []
        for part in parts:
            labels += [lb for lb in labels_in(part, self.c.audiences) if lb not in labels]
        if "main" in labels:
            return None
        return ", ".join(labels) or None

    def _whose(self, text: str, cand: _Candidate, ctx: PageLines | None) -> tuple[str, str] | None:
        """(whose, why) when the number is someone else's: an emergency or
        helpline number, or one quoted where the page speaks of another
        service (an accessibility statement's recourse section, a national
        helpline given « pour en savoir plus »)."""
        known = self.c.known_short.get(cand.short) if cand.short else None
        if known is not None and known.other:
            return known.name or "numéro d'urgence", "numéro d'urgence ou d'écoute, pas la ligne de la démarche"
        digits = "0" + str(cand.number.national_number) if cand.number is not None else ""
        known_name = (known.name if known is not None else None) or self.c.other_numbers.get(digits)
        line_start = text.rfind("\n", 0, cand.start) + 1
        parts = [text[line_start : cand.start]]
        if ctx is not None:
            parts += ctx.before(cand.start, self.r.phone.others.lines_before)
        for label, rx, any_number in self.c.other_contexts:
            if (any_number or known_name) and any(rx.search(p) for p in parts):
                return known_name or self._name_before(text[line_start : cand.start]) or label, label
        return None

    def _name_before(self, before: str) -> str | None:
        """The service named before a number on its line (« Allô Service public : »)."""
        name = before
        for rx in self.c.phone_labels:  # « Info escroqueries, appelez le » → « Info escroqueries »
            m = rx.search(name)
            name = name[: m.start()] if m else name
        name = squash(name).strip(" :–-—,(")
        return name if 3 <= len(name) <= 60 and re.search(r"[A-Za-zÀ-ÿ]{3}", name) else None

    @staticmethod
    def _after(text: str, start: int, stop: int, width: int, max_lines: int = 1) -> str:
        """Text after a number: up to the next number, ``width`` characters, the
        rest of its line and ``max_lines`` non-empty lines after it."""
        chunk = text[start : min(stop, start + width)]
        parts = chunk.split("\n")
        out, extra = [parts[0]], 0
        for part in parts[1:]:
            if extra >= max_lines:
                break
            out.append(part)
            extra += bool(part.strip())
        return "\n".join(out)

    @staticmethod
    def _before(text: str, start: int, stop: int, width: int, max_lines: int = 1) -> str:
        """Text before a number, back to ``stop`` (the previous number), at most
        ``width`` characters, its line and ``max_lines`` non-empty lines above."""
        chunk = text[max(stop, start - width) : start]
        parts = chunk.split("\n")
        out, extra = [parts[-1]], 0
        for part in reversed(parts[:-1]):
            if extra >= max_lines:
                break
            out.insert(0, part)
            extra += bool(part.strip())
        return "\n".join(out)

    def _hours_near(self, text: str, cand: _Candidate, prev_end: int, next_start: int) -> str | None:
        """Opening hours written right after the number (same line or the next
        lines), else just before it."""
        ph = self.r.phone
        found = self.hours_in(self._after(text, cand.end, next_start, self.r.context_chars, ph.hours_lines_after))
        if found:
            return found[0][2]
        before = self._before(text, cand.start, 0, self.r.context_chars, ph.hours_lines_before)
        if prev_end > cand.start - len(before):
            # another number just above: the lines between belong to it, keep
            # only this number's own line
            line_start = text.rfind("\n", 0, cand.start) + 1
            before = text[max(line_start, prev_end) : cand.start]
        found = self.hours_in(before)
        return found[-1][2] if found else None

    def scan_tel_links(self, page: PageCapture, links: list[Link]) -> None:
        for link in links:
            href = link.href.strip()
            if not href.lower().startswith("tel:"):
                continue
            target = unquote(href[4:]).split(";")[0].split("?")[0].strip()
            link_text = squash(normalise_text(link.text or ""))
            label = self._nearest_label(link_text) if link_text else None
            shown = link_text or target
            if label and label[0] == "exclude":
                self._ignore(page, target, label[1], shown)
                continue
            digits = re.sub(r"[^\d+]", "", target)
            cand: _Candidate | None = None
            if (re.fullmatch(r"\d{3,6}", digits) and digits[0] == "3") or digits in self.c.known_short:
                cand = _Candidate(0, 0, digits, None, short=digits, special=not self.c.short_number.fullmatch(digits))
            else:
                try:
                    num = phonenumbers.parse(target, self.r.phone.region)
                except phonenumbers.NumberParseException:
                    num = None
                if num is not None and phonenumbers.is_valid_number(num):
                    cand = _Candidate(0, 0, target, num)
            if cand is None:
                self._review("phone", page, shown, f"lien « tel: » illisible : « {href} »")
                continue
            key = self._line_for(cand)[0]
            existing = self.lines.get(key) or self.others.get(key)
            ev = Evidence(page.url, page.kind, f"Lien d'appel « {shown} » ({href})", link.selector)
            if existing is not None:
                existing.clickable = True
                if "tel_link" not in existing.sources:
                    existing.sources.append("tel_link")
                self._add_evidence(existing.evidence, ev)
                continue
            self._record(page, cand, source="tel_link", marker_text=link_text, hours=None, ev=ev, clickable=True,
                         whose=self._whose("", cand, None))

    def scan_images(self, page: PageCapture, images: list[PageImage]) -> None:
        """Numbers in images: read from their text alternative, or reported as
        unreadable when the image looks like a phone number and has none."""
        for img in images:
            parts = (img.alt, img.aria_label, img.title, img.svg_title)
            alt = normalise_text(" ".join(a for a in parts if isinstance(a, str)))
            phone_like = self._image_phone_like(img)
            if alt.strip():
                kept = self.scan_phone_text(page, alt, source="image_alt", selector=img.selector,
                                            force_label=phone_like)
                if kept:
                    continue
            if not phone_like or img.in_control:
                continue
            context = _context_text(img)
            if context is not None and self._candidates(context):
                continue  # an icon next to a number written in text
            if context and not (self.c.any_phone_label and self.c.any_phone_label.search(context)):
                continue  # the image sits in unrelated text: not a number
            item = {"url": page.url, "selector": img.selector, "src": img.src,
                    "text": squash(context or "") or squash(alt) or img.src}
            if item not in self.unreadable:
                self.unreadable.append(item)

    def _image_phone_like(self, img: PageImage) -> bool:
        if self.c.image_words is None:
            return False
        src = img.src
        name = urlsplit(src).path.rsplit("/", 1)[-1] if not src.startswith("data:") else ""
        hay = " ".join([name, img.classes, img.id, img.title or "", img.alt or ""])
        hay = re.sub(r"[_\-.]", " ", hay)
        return bool(self.c.image_words.search(hay))

    # ------------------------------------------------------------------ other channels

    def page_lines(self, page: PageCapture, text: str) -> PageLines:
        """The page's lines with the channel section each one is in."""
        sec = self.c.sections
        fields = [t for c in page.controls for t in (c.label, c.hint, *c.legend.split("\n"))]
        return PageLines(text, page.headings, self.c.section_rx, sec.max_chars, sec.max_lines, fields)

    def _quoting_others(self, ctx: PageLines) -> list[bool]:
        """Lines where the page speaks of another service's channels (an
        accessibility statement's recourse section): what they offer is not
        the démarche's."""
        rxs = [rx for _, rx, any_number in self.c.other_contexts if any_number]
        if not rxs:
            return [False] * len(ctx.lines)
        hit = [bool(ln.text.strip()) and any(rx.search(ln.text) for rx in rxs) for ln in ctx.lines]
        out = []
        for i, ln in enumerate(ctx.lines):
            if hit[i]:
                out.append(True)
                continue
            above = ctx.before(ln.start, self.r.phone.others.lines_before)
            out.append(any(rx.search(a) for a in above for rx in rxs) if any(hit[max(0, i - 50) : i]) else False)
        return out

    def scan_channels(self, page: PageCapture, text: str, ctx: PageLines | None = None) -> None:
        ctx = ctx if ctx is not None else self.page_lines(page, text)
        others = self._quoting_others(ctx)
        in_person = self.c.channels["in_person"]
        for i, line in enumerate(ctx.lines):
            if not line.text.strip() or others[i] or ctx.is_field[i]:
                continue  # a form field's label (« Date de votre rendez-vous en préfecture ») offers nothing
            heading = ctx.heading_at(i)
            if (heading is not None and "in_person" in heading.kinds
                    and not (in_person.exclude is not None and in_person.exclude.search(line.text))):
                # « Sur place » over an address: the service receives people
                body = [ln.text for ln in ctx.lines[i + 1 : heading.last + 1] if ln.text.strip()]
                ev = Evidence(page.url, page.kind, excerpt(squash(" — ".join([line.text, *body[:2]])), 0,
                                                           len(line.text), self.r.evidence_chars))
                self._in_person(page, ctx, range(i + 1, heading.last + 1), "sur place", ev, explicit=True)
            for off, sent in sentences(line.text):
                for channel, ch in self.c.channels.items():
                    if ch.exclude is not None and ch.exclude.search(sent):
                        continue
                    found = None
                    if channel == "in_person":
                        found = next(((lb, m, True) for lb, rx in self.c.explicit if (m := rx.search(sent))), None)
                    found = found or next(((lb, m, False) for lb, rx in ch.patterns if (m := rx.search(sent))), None)
                    if found is None:
                        continue
                    label, m, explicit = found
                    if explicit:  # name the place when the text does (« en mairie » → « mairie »)
                        label = next((lb for lb, rx in ch.patterns if rx.search(m.group(0))), label)
                    ev = Evidence(page.url, page.kind, excerpt(sent, m.start(), m.end(), self.r.evidence_chars))
                    if channel == "in_person":
                        window = self._nonempty(ctx, i, self.r.context_lines_before, self.r.context_lines_after)
                        self._in_person(page, ctx, window, label, ev, explicit)
                    else:
                        self._channel_hit(channel, label, ev)
                # Cerfa numbers are values of the postal channel (found only with a route)
                for m in self.c.cerfa.finditer(sent):
                    num = _cerfa_number(m)
                    if num and num not in self.postal_forms:
                        self.postal_forms.append(num)

    @staticmethod
    def _nonempty(ctx: PageLines, i: int, before: int, after: int) -> list[int]:
        """Indexes of line ``i`` and of up to ``before`` non-empty lines above
        it and ``after`` below it."""
        above: list[int] = []
        j = i - 1
        while j >= 0 and len(above) < before:
            if ctx.lines[j].text.strip():
                above.insert(0, j)
            j -= 1
        below: list[int] = []
        j = i + 1
        while j < len(ctx.lines) and len(below) < after:
            if ctx.lines[j].text.strip():
                below.append(j)
            j += 1
        return [*above, i, *below]

    def _in_person(self, page: PageCapture, ctx: PageLines, indexes: Iterable[int], label: str, ev: Evidence,
                   explicit: bool) -> None:
        """A counter mentioned: counted with what its neighbourhood gives
        (address, hours — not those of a phone line — or a hint of place);
        a bare mention waits for a directory link on the same page, else
        goes to review.  An explicit one (« sur place », « se rendre au
        guichet ») counts alone."""
        addresses: list[str] = []
        current: list[str] = []
        postal = self.c.channels["postal"]
        window = [ctx.lines[j] for j in indexes if ctx.lines[j].text.strip()]
        for ln in window:
            # a line about sending mail is the postal route's address, not the counter's
            is_postal = any(rx.search(ln.text) for _, rx in postal.patterns)
            if (len(ln.text) <= 2 * self.r.evidence_chars and not is_postal
                    and any(rx.search(ln.text) for rx in self.c.address)):
                current.append(squash(ln.text)[: self.r.evidence_chars])
            elif current:
                addresses.append(", ".join(current))
                current = []
        if current:
            addresses.append(", ".join(current))
        not_phone = [ln for ln in window if not ((s := ctx.section_at(ln.start)) and "phone" in s.kinds)]
        joined = "\n".join(ln.text for ln in not_phone)[: self.r.context_chars * 2]
        hours = [h for _, _, h in self.hours_in(joined)]
        near = bool(self.c.nearby and self.c.nearby.search(joined))
        if not (explicit or addresses or hours or near):
            self._pending.append((label, ev))
            return
        self._channel_hit("in_person", label, ev)
        rank = (0 if addresses and hours else 1 if addresses or hours else 2) + (0 if explicit else 1)
        self.places.append({"label": label, "address": addresses[0] if addresses else None,
                            "hours": hours[0] if hours else None, "url": ev.url, "text": ev.text, "rank": rank})
        for a in addresses:
            if a not in self.in_person_addresses:
                self.in_person_addresses.append(a)
        for h in hours:
            if h not in self.in_person_hours:
                self.in_person_hours.append(h)

    def finish_page(self, page: PageCapture) -> None:
        """Bare counter mentions and directory links of one page, judged
        together: a directory link gives the address of a counter the text
        mentions; alone, it does not say the service receives anyone."""
        pending, links = self._pending, self._directory
        self._pending, self._directory = [], []
        mentioned = bool(pending) or page.url in self.channels["in_person"]["pages"]
        if links and mentioned:
            for label, ev in pending:
                self._channel_hit("in_person", label, ev)
                self.places.append({"label": label, "address": None, "hours": None, "url": ev.url,
                                    "text": ev.text, "rank": 4})
            for ev in links:
                self._channel_hit("in_person", "annuaire des lieux d'accueil", ev)
            return
        for label, ev in pending:
            self._review("in_person", page, ev.text, "accueil physique mentionné sans adresse ni horaires à proximité")
        for ev in links[:2]:
            self._review("in_person", page, ev.text,
                         "lien vers un annuaire, sans mention d'un accueil du public sur la page")

    def scan_links(self, page: PageCapture, links: list[Link]) -> None:
        for link in links:
            href = link.href.strip()
            if href.lower().startswith(("tel:", "javascript:")):
                continue
            text = squash(normalise_text(link.text or ""))
            ev = Evidence(page.url, page.kind, f"Lien « {text or href} » vers {href}", link.selector)
            for channel, ch in self.c.channels.items():
                by_text = bool(text and ch.link_text and ch.link_text.search(text))
                by_href = bool(ch.link_href and ch.link_href.search(href))
                if channel == "postal":
                    cerfa = bool(by_text or by_href or self.c.cerfa.search(text) or self.c.cerfa.search(href))
                    download = bool(self.c.download and (self.c.download.search(href) or self.c.download.search(text)))
                    for m in list(self.c.cerfa.finditer(text)) + list(self.c.cerfa.finditer(href)):
                        num = _cerfa_number(m)
                        if num and num not in self.postal_forms:
                            self.postal_forms.append(num)
                    if cerfa and download:
                        self._channel_hit("postal", "formulaire à télécharger", ev)
                        if href not in self.postal_links:
                            self.postal_links.append(href)
                    continue
                if not (by_text or by_href):
                    continue
                if ch.exclude is not None and text and ch.exclude.search(text):
                    continue
                if channel == "in_person":
                    self._directory.append(ev)
                elif channel == "appointment":
                    self._channel_hit("appointment", "lien de prise de rendez-vous", ev)
                    if href not in self.appointment_links:
                        self.appointment_links.append(href)
                elif channel == "callback":
                    self._channel_hit("callback", "demande de rappel", ev)
                elif channel == "contact_form":
                    self._channel_hit("contact_form", "lien vers un formulaire de contact", ev)
                    if href not in self.contact_links:
                        self.contact_links.append(href)

    def scan_contact_form(self, page: PageCapture, form: MessageForm | None) -> None:
        """A page about contacting the service that shows a free-text field is a contact form."""
        about = " ".join([page.title, page.url, *page.headings])
        if self.c.form_page is None:
            return
        has_textarea_control = any(c.tag == "textarea" for c in page.controls)
        form_sel = form.selector if form is not None else ""
        heading_text = form.headings if form is not None else ""
        about = normalise_text(about + " " + heading_text)
        if not (has_textarea_control or form_sel):
            return
        m = self.c.form_page.search(about)
        if not m:
            return
        label = squash(page.title) or squash(m.group(0))
        ev = Evidence(page.url, page.kind, f"formulaire avec zone de message sur la page « {label} »", form_sel)
        self._channel_hit("contact_form", "formulaire de contact", ev)
        if page.url not in self.contact_links:
            self.contact_links.append(page.url)

    # ------------------------------------------------------------------ block

    def block(self, pages: list[PageCapture]) -> dict[str, Any]:
        # main lines (offered to everyone) first: they decide « premium » and
        # « free », and are what the scorecard shows first
        found = list(self.lines.values())
        main = [ln for ln in found if ln.audience is None] or found
        main = [ln for ln in main if ln.tariff != "premium"] + [ln for ln in main if ln.tariff == "premium"]
        lines = main + [ln for ln in found if ln not in main]
        non_premium = [ln for ln in main if ln.tariff != "premium"]
        best = (next((ln for ln in non_premium if ln.hours), None) or next((ln for ln in main if ln.hours), None)
                or next((ln for ln in lines if ln.hours), None))
        phone_evidence: list[Evidence] = []
        for ln in lines:
            for ev in ln.evidence:
                self._add_evidence(phone_evidence, ev)
        if self.unreadable and not lines:
            for u in self.unreadable[:3]:
                self.review.append({"channel": "phone", "url": u["url"], "text": u["text"],
                                    "reason": "numéro de téléphone affiché en image, sans alternative textuelle"})
        phone = {
            "found": bool(lines),
            "numbers": [ln.number for ln in lines],
            "main": main[0].number if main else None,
            "premium": bool(lines) and not non_premium,
            "free": any(ln.tariff == "free" for ln in main),
            "hours": best.hours if best else None,
            "lines": [{**ln.to_dict(), "main": ln in main} for ln in lines],
            "other_numbers": [o.to_dict() for key, o in self.others.items() if key not in self.lines],
            "unreadable": self.unreadable,
            "ignored": self.ignored,
            "evidence": [e.to_dict() for e in phone_evidence],
        }

        def chan(name: str, **extra: Any) -> dict[str, Any]:
            ch = self.channels[name]
            return {"found": bool(ch["evidence"]), "values": ch["values"], **extra,
                    "pages": ch["pages"], "evidence": [e.to_dict() for e in ch["evidence"]]}

        postal_found = bool(self.channels["postal"]["evidence"])
        # the counter a user would go to first: explicit, with an address and hours
        places = [{k: v for k, v in p.items() if k != "rank"} for p in sorted(self.places, key=lambda p: p["rank"])]
        addresses = [p["address"] for p in places if p["address"]]
        addresses += [a for a in self.in_person_addresses if a not in addresses]
        first_hours = next((p["hours"] for p in places if p["hours"]), None)
        block: dict[str, Any] = {
            "phone": phone,
            "in_person": chan("in_person", addresses=list(dict.fromkeys(addresses)), places=places,
                              hours=first_hours or (self.in_person_hours[0] if self.in_person_hours else None),
                              all_hours=self.in_person_hours),
            "appointment": chan("appointment", links=self.appointment_links),
            "callback": chan("callback"),
            "contact_form": chan("contact_form", links=self.contact_links),
            "postal": chan("postal", forms=self.postal_forms if postal_found else [],
                           cited_forms=self.postal_forms, links=self.postal_links),
            "review": self.review,
            "pages_read": len(pages),
        }
        block["phone"]["pages"] = sorted({u for ln in lines for u in ln.pages})
        block["found"] = [c for c in CHANNELS if block[c]["found"]]
        block["missing"] = [c for c in CHANNELS if not block[c]["found"]]
        return block


def _cerfa_number(m: re.Match[str]) -> str | None:
    groups = [g for g in m.groups() if g]
    return f"{groups[0]}*{groups[1]}" if len(groups) >= 2 else None


def _context_text(img: PageImage) -> str | None:
    """Text of the closest ancestor (up to three levels) that has any, or
    None when there is none: the words an image is shown with."""
    for raw in img.context:
        text = normalise_text(raw)
        if text.strip():
            return squash(text)
    return None


# Each ancestor's text is cut there: the words around an image are what
# matters, not a whole page section.  At most MAX_IMAGES images per page.
# dom_facts.js has the same limits.
MAX_CONTEXT = 2000
MAX_IMAGES = 400
_ID = re.compile(r"[A-Za-z][\w-]*")
_SKIP_TEXT = ("script", "style", "noscript", "template")


def css_path(el: Tag) -> str:
    """A CSS selector for a parsed element: ``#id`` when it has one, else a
    ``tag:nth-of-type(n)`` path from the nearest ancestor with an id."""
    from bs4 import Tag

    parts: list[str] = []
    node: Tag | None = el
    while node is not None and node.name not in ("[document]", None):
        ident = node.get("id")
        if isinstance(ident, str) and _ID.fullmatch(ident):
            parts.append(f"#{ident}")
            break
        parent = node.parent if isinstance(node.parent, Tag) else None
        if parent is None or node.name == "html":
            parts.append(node.name)
            break
        same = [s for s in parent.find_all(node.name, recursive=False)]
        parts.append(node.name if len(same) == 1 else f"{node.name}:nth-of-type({same.index(node) + 1})")
        node = parent
    return " > ".join(reversed(parts))


def _soup(page: PageCapture) -> BeautifulSoup | None:
    if not page.html.strip():
        return None
    from bs4 import BeautifulSoup  # imported on first use, off the start of a run (pipeline.warm_up)

    soup = BeautifulSoup(page.html, "html.parser")
    for t in soup(list(_SKIP_TEXT)):
        t.decompose()
    return soup


def facts_from_html(page: PageCapture) -> DomFacts | None:
    """The records ``dom_facts.js`` makes in the browser, read from the
    page's HTML instead: for captures made without them (hand-built, older
    tools).  None when there is no HTML."""
    soup = _soup(page)
    if soup is None:
        return None
    from bs4 import Tag

    images: list[PageImage] = []
    texts: dict[int, str] = {}  # ancestor → its text, read once (a gallery shares its container)
    for el in soup.find_all(["img", "input", "area", "svg", "object"]):
        if el.name == "input" and (el.get("type") or "").lower() != "image":
            continue
        if len(images) >= MAX_IMAGES:
            break
        title = el.find("title") if el.name == "svg" else None
        in_control = el.find_parent(["a", "button"]) is not None
        context: list[str] = []
        node = el.parent if isinstance(el.parent, Tag) else None
        while not in_control and node is not None and len(context) < 3 and node.name not in ("body", "html", "[document]"):
            if id(node) not in texts:
                texts[id(node)] = node.get_text(" ")[:MAX_CONTEXT]
            context.append(texts[id(node)])
            node = node.parent if isinstance(node.parent, Tag) else None

        def attr(name: str) -> str | None:
            v = el.get(name)
            return v if isinstance(v, str) else None

        images.append(PageImage(
            tag=el.name, selector=css_path(el), alt=attr("alt"), aria_label=attr("aria-label"),
            title=attr("title"), svg_title=title.get_text() if title is not None else None,
            src=str(el.get("src") or el.get("data") or ""), classes=" ".join(el.get("class") or []),
            id=str(el.get("id") or ""), in_control=in_control, context=context,
        ))
    form = next((f for f in soup.find_all("form") if f.find("textarea") is not None), None)
    message_form = None
    if form is not None:
        headings = " ".join(h.get_text(" ") for h in soup.find_all(["h1", "h2", "h3", "legend"]))
        message_form = MessageForm(selector=css_path(form), headings=headings)
    return DomFacts(images=images, message_form=message_form)


def compiled_rules(rules: "Rules | None") -> _Compiled:
    model = rules.get("alternatives") if rules is not None else None
    if not isinstance(model, AlternativesRules):
        raise ValueError("règles « alternatives » absentes : fichier rules/alternatives.yaml introuvable")
    return model.compiled()


def find_alternatives(pages: list[PageCapture], rules: "Rules | None") -> dict[str, Any]:
    """The ``alternatives`` block for these pages (step and annex, in visit order)."""
    col = _Collector(compiled_rules(rules))
    for page in sorted(pages, key=lambda p: (p.index, p.kind)):
        text = normalise_text(page.text or "")
        facts = page.dom_facts if page.dom_facts is not None else facts_from_html(page)  # likewise
        links = page_links(page)  # recorded by the collector, else read from the HTML
        ctx = col.page_lines(page, text)
        col.scan_phone_text(page, text, ctx=ctx)
        col.scan_tel_links(page, links)
        col.scan_images(page, facts.images if facts else [])
        col.scan_channels(page, text, ctx)
        col.scan_links(page, links)
        col.finish_page(page)
        col.scan_contact_form(page, facts.message_form if facts else None)
    return col.block(pages)


@check("alternatives")
def alternatives(capture: Capture, rules: "Rules") -> CheckResult:
    """Which non-digital channels the démarche offers (phone, counter,
    appointment, callback, contact form, post), read on every audited page."""
    return CheckResult(key="alternatives", block=find_alternatives(capture.pages, rules))

# --------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """No line open to everyone nor counter: one finding for the démarche."""
    from ..report.findings import _clean

    indicators = card.get("indicators") or {}
    if indicators.get("alternative") != "Non":
        return []
    start, n_pages = card.get("url"), len(card.get("pages") or [])
    return [CheckFinding(
        rule="alternatives/none", category="no-alternative", level="Non",
        message=f"Aucun téléphone non surtaxé ni accueil physique trouvé sur les {n_pages} page(s) parcourue(s)",
        url=start, evidence=[{"url": start, "text": _clean((indicators.get("reasons") or {}).get("alternative"))}])]


META = describe(CheckMeta(
    section="alternatives",
    id="alternatives", title="Alternatives non numériques", block="alternatives", order=40,
    not_checked="alternatives non numériques non vérifiées", gates=("no-alternative",), findings=card_findings,
    skip_reason=lambda card: None if (card.get("indicators") or {}).get("alternative") is not None
    else "alternatives non numériques non vérifiées",
    rules=(Rule("alternatives/none", "Aucune alternative non numérique",
                "Ni téléphone non surtaxé ni accueil physique n'est proposé sur les pages parcourues."),)))
