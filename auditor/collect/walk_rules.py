"""The schemas of the walk's rules files: ``rules/walk.yaml`` and ``rules/test-data.yaml``.

How the walk recognises buttons, links and dead ends, how long it waits for
a page to settle, how it takes screenshots and what it types in fields:
auditors tune these by hand, so every pattern is checked when the rules are
loaded, with one wording for a bad one (``_check_regexes``, also used by
other checks' schemas).  They live with the walk that reads them (issue 23);
``auditor.config`` re-exports them.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


def _check_regexes(v: list[str]) -> list[str]:
    for pat in v:
        try:
            re.compile(pat)
        except re.error as exc:
            raise ValueError(f"expression régulière invalide « {pat} » : {exc}") from None
    return v


class SettleRules(BaseModel):
    """How long the walk waits for a page to settle after an action: the DOM
    must stay quiet for ``quiet_ms`` with no request in flight, at most
    ``max_ms`` (then the walk goes on with the page as it is).  ``idle_ms``
    is the shorter quiet window enough for a page with no timer due within a
    second and no animation frame pending: most pages, once loaded, have
    nothing left to run, and waiting the full window for them is idle time."""

    model_config = ConfigDict(extra="forbid")

    quiet_ms: int = Field(150, ge=0, le=10_000)
    idle_ms: int = Field(50, ge=0, le=10_000)
    max_ms: int = Field(5000, ge=0, le=120_000)
    # a waiting page that announces a redirect, with no way on: how long the
    # walk waits for it to leave by itself
    redirect_max_ms: int = Field(5000, ge=0, le=120_000)
    # a request still unanswered after this long no longer holds the settle
    # (an analytics beacon or a long poll the page does not wait for)
    request_max_ms: int = Field(1000, ge=0, le=120_000)

    @model_validator(mode="after")
    def _idle_within_quiet(self) -> "SettleRules":
        if self.idle_ms > self.quiet_ms:
            raise ValueError(f"idle_ms ({self.idle_ms}) ne peut pas dépasser quiet_ms ({self.quiet_ms})")
        return self


class ScreenshotRules(BaseModel):
    """One small JPEG per page, within ``max_bytes``: pages up to
    ``full_scale_pixels`` (CSS px²) are first tried at full scale, taller
    ones scaled down (never below ``min_scale``); then the quality steps down
    through ``qualities``; only then is the bottom cut.  At most
    ``max_height`` CSS pixels are captured.  From a walk's second page on,
    the first try aims at ``aim`` × ``max_bytes`` from the previous
    capture's bytes per pixel (``page_audit._SHOT_DENSITY``): aiming below
    the limit leaves room for a page a little more detailed than the last
    one, which would otherwise be captured twice (a second capture costs as
    much as the first, to save a few kilobytes)."""

    model_config = ConfigDict(extra="forbid")

    max_bytes: int = Field(110_000, ge=10_000, le=5_000_000)
    max_height: int = Field(8000, ge=400, le=30_000)
    full_scale_pixels: int = Field(3_000_000, ge=100_000, le=50_000_000)
    min_scale: float = Field(0.35, gt=0.05, le=1)
    aim: float = Field(0.8, ge=0.3, le=1)
    qualities: list[int] = Field(default_factory=lambda: [55, 42, 32], min_length=1)

    @field_validator("qualities")
    @classmethod
    def _qualities(cls, v: list[int]) -> list[int]:
        if any(not 10 <= q <= 95 for q in v):
            raise ValueError("qualités JPEG attendues entre 10 et 95")
        return v


_WALK_PATTERN_LISTS = (
    "next", "never", "final_submit", "annex_links", "annex_links_any_site", "error_page", "login_wall",
    "never_urls", "login_urls",
    "login_page", "summary_page", "commit_verbs", "attestation", "payment_names", "payment_urls", "submit_actions",
    "account_create", "account_pages", "not_demarche_forms", "consent_checkbox", "upload_buttons",
    "primary_classes", "secondary_classes", "search_fields", "loading_text", "consent_context", "consent_refuse",
    "redirect_text", "settle_ignore_urls", "app_error",
)


class WalkRules(BaseModel):
    """rules/walk.yaml: how the walk recognises buttons, links and dead ends."""

    model_config = ConfigDict(extra="forbid")

    next: list[str] = Field(default_factory=list)
    never: list[str] = Field(default_factory=list)
    final_submit: list[str] = Field(default_factory=list)
    annex_links: list[str] = Field(default_factory=list)
    annex_links_any_site: list[str] = Field(default_factory=list)
    error_page: list[str] = Field(default_factory=list)
    login_wall: list[str] = Field(default_factory=list)
    never_urls: list[str] = Field(default_factory=list)
    login_urls: list[str] = Field(default_factory=list)
    login_page: list[str] = Field(default_factory=list)
    summary_page: list[str] = Field(default_factory=list)
    # the final-control guard (collect/final_control.py): what the page around a control says
    commit_verbs: list[str] = Field(default_factory=list)
    attestation: list[str] = Field(default_factory=list)
    payment_names: list[str] = Field(default_factory=list)
    payment_urls: list[str] = Field(default_factory=list)
    submit_actions: list[str] = Field(default_factory=list)
    account_create: list[str] = Field(default_factory=list)
    account_pages: list[str] = Field(default_factory=list)
    not_demarche_forms: list[str] = Field(default_factory=list)
    consent_checkbox: list[str] = Field(default_factory=list)
    upload_buttons: list[str] = Field(default_factory=list)
    consent_context: list[str] = Field(default_factory=list)
    consent_refuse: list[str] = Field(default_factory=list)
    primary_classes: list[str] = Field(default_factory=list)
    secondary_classes: list[str] = Field(default_factory=list)
    search_fields: list[str] = Field(default_factory=list)
    state_ignore: list[str] = Field(default_factory=list)  # CSS selectors
    loading_selectors: list[str] = Field(default_factory=list)  # CSS selectors
    loading_text: list[str] = Field(default_factory=list)
    redirect_text: list[str] = Field(default_factory=list)
    settle_ignore_urls: list[str] = Field(default_factory=list)
    app_error: list[str] = Field(default_factory=list)
    settle: SettleRules = Field(default_factory=SettleRules)
    screenshot: ScreenshotRules = Field(default_factory=ScreenshotRules)

    @field_validator(*_WALK_PATTERN_LISTS)
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _check_regexes(v)

    def matcher(self, name: str) -> "re.Pattern[str]":
        pats = getattr(self, name)
        return re.compile("|".join(f"(?:{p})" for p in pats) or r"(?!x)x", re.IGNORECASE)


class TestDataField(BaseModel):
    """One line of the test-data table: a field recognised by ``match``
    (regular expression on its autocomplete token, name, id, label,
    placeholder and hint) gets ``value``.  Values that are dates are written
    ISO (``1990-01-01``) or relative to the day of the scan (``today-365``)
    and formatted for the field (``01/01/1990`` in a text field)."""

    model_config = ConfigDict(extra="forbid")

    match: str
    value: str
    types: list[str] = Field(default_factory=list)  # restrict to these control types (empty: any)

    @field_validator("match")
    @classmethod
    def _regex(cls, v: str) -> str:
        _check_regexes([v])
        return v


class TestDataRules(BaseModel):
    """rules/test-data.yaml: the plausible French test data of the auto-walk."""

    model_config = ConfigDict(extra="forbid")
    __test__ = False  # not a pytest test class despite its name

    autocomplete: dict[str, str] = Field(default_factory=dict)
    fields: list[TestDataField] = Field(default_factory=list)
    types: dict[str, str] = Field(default_factory=dict)
    select_placeholder: list[str] = Field(default_factory=list)
    required_group: list[str] = Field(default_factory=list)

    @field_validator("select_placeholder", "required_group")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _check_regexes(v)
