"""The schema of ``rules/alternatives.yaml`` and its patterns compiled once.

Auditors tune the vocabulary of the alternatives check by hand: every
pattern is validated when the rules are loaded, so that a bad regular
expression is reported with its file and line instead of failing a scan,
and compiled once per rules object (``AlternativesRules.compiled``) because
the check reads every page of every démarche with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Iterable, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

CHANNELS = ("phone", "in_person", "appointment", "callback", "contact_form", "postal")
Tariff = Literal["free", "standard", "premium"]
TARIFF_ORDER: tuple[Tariff, ...] = ("premium", "standard", "free")  # marker priority


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
