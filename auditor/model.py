"""Plain data shared by every stage of the pipeline.

The pipeline is config → collect → check → score → render.  Stages talk to
each other only through the dataclasses below, which all round-trip through
JSON (``to_dict`` / ``from_dict``): a capture saved by ``collect`` can be
re-checked and re-rendered offline, without a browser.  No other module
defines pipeline types.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

CAPTURE_VERSION = 1
SCHEMA_VERSION = 1

PageKind = Literal["step", "annex"]
Status = Literal["complete", "partial", "failed"]
ErrorStage = Literal["navigate", "action", "axe", "check", "config", "browser", "render"]

T = TypeVar("T")


class _Serializable:
    """Mixin: JSON round-trip for nested dataclasses (lists, dicts, optionals)."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _build(cls, data)


# values copied as they are: immutable, and the bulk of a capture (its texts and DOM)
_ATOMS = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """What ``dataclasses.asdict`` gives (a deep copy, dataclasses as dicts),
    without its per-value deep copy of strings and numbers: a capture holds
    tens of thousands of them: ~28 ms of processor per démarche of the bench
    for ``asdict``, ~5 ms here, paid after every walk."""
    if type(value) in _ATOMS:
        return value
    if type(value) is list:
        return [_plain(v) for v in value]
    if type(value) is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if hasattr(type(value), "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, tuple):
        items = [_plain(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, list):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):  # a subclass (a defaultdict keeps its factory)
        out = copy.copy(value)
        out.clear()
        out.update((_plain(k), _plain(v)) for k, v in value.items())
        return out
    return copy.deepcopy(value)


@lru_cache(maxsize=None)
def _hints(tp: type) -> tuple[tuple[str, Any], ...]:
    """A dataclass's fields and their resolved types: resolving them costs more
    than building the object, and a capture rebuilds thousands of them."""
    hints = get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))


def _build(tp: Any, value: Any) -> Any:
    """Rebuild ``value`` (parsed JSON) as type ``tp``; unknown keys are ignored
    so that newer captures still load in older tools."""
    if value is None:
        return None
    if dataclasses.is_dataclass(tp):
        kwargs = {}
        for name, hint in _hints(tp):  # type: ignore[arg-type]
            if name in value:
                kwargs[name] = _build(hint, value[name])
        return tp(**kwargs)
    origin = get_origin(tp)
    if origin is list:
        (item,) = get_args(tp) or (Any,)
        return [_build(item, v) for v in value]
    if origin is dict:
        args = get_args(tp)
        item = args[1] if len(args) == 2 else Any
        return {k: _build(item, v) for k, v in value.items()}
    if origin is not None and type(None) in get_args(tp):  # Optional[X]
        inner = [a for a in get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            return _build(inner[0], value)
    return value


@dataclass
class Control(_Serializable):
    """A form control as the user meets it: what it is and the words around it.

    The words (label, hint, legend, heading, context) are what the document
    and alternative checks read; they are captured once in the browser so
    that checks never need one.
    """

    selector: str  # unique CSS selector in its frame
    tag: str  # input | select | textarea | button
    type: str = ""  # text, email, file, checkbox, radio, submit, select-one…
    name: str = ""
    id: str = ""
    label: str = ""  # accessible name (aria-labelledby, aria-label, <label>, title…)
    hint: str = ""  # description: aria-describedby, DSFR .fr-hint-text
    legend: str = ""  # names of the enclosing fieldsets / ARIA groups, outermost first, one per line
    heading: str = ""  # nearest heading before the control
    context: str = ""  # text of the control's closest group/container (trimmed)
    group_help: str = ""  # file inputs: the enclosing group's own help (its paragraphs, outside legend and controls)
    required: bool = False
    visible: bool = True
    # the block around the control is displayed (a custom widget's hidden input
    # sits in a shown block; a not-yet-shown step of a single-page app does not)
    shown: bool = True
    disabled: bool = False
    autocomplete: str = ""
    accept: str = ""  # file inputs
    multiple: bool = False
    options: list[str] = field(default_factory=list)  # <select> option texts
    classes: str = ""  # class attribute (DSFR fr-btn--secondary tells a secondary button)
    frame_url: str = ""  # set when the control lives in an iframe
    # constraints the auto-walk's test data must respect (HTML attributes, as written)
    pattern: str = ""
    minlength: int | None = None
    maxlength: int | None = None
    min: str = ""
    max: str = ""
    step: str = ""
    placeholder: str = ""
    readonly: bool = False
    region: str = ""  # main | banner | navigation | contentinfo | complementary | "" (landmark around it)


@dataclass
class Link(_Serializable):
    href: str  # absolute URL
    text: str  # accessible name
    selector: str = ""


@dataclass
class PageImage(_Serializable):
    """An image as the alternatives check sees it in the markup (``img``,
    ``input type=image``, ``area``, ``svg``, ``object``): its text
    alternatives, raw (``None`` when the attribute is absent), and what
    tells whether it pictures a phone number."""

    tag: str
    selector: str = ""
    alt: str | None = None
    aria_label: str | None = None
    title: str | None = None
    svg_title: str | None = None  # an svg's first <title>
    src: str = ""  # src, else an object's data
    classes: str = ""
    id: str = ""
    in_control: bool = False  # inside a link or a button
    # text of up to three ancestors short of <body>, nearest first (empty
    # when in a control: not read there)
    context: list[str] = field(default_factory=list)


@dataclass
class MessageForm(_Serializable):
    """The page's first form with a free-text field (``textarea``)."""

    selector: str
    headings: str = ""  # the page's h1, h2, h3 and legend texts, joined


@dataclass
class DomFacts(_Serializable):
    """What the alternatives check reads from a page's markup, recorded by
    the collector off the DOM kept in ``html`` so that checks need not parse
    that HTML again (``None`` on a capture made without: the check parses
    ``html`` into the same records)."""

    images: list[PageImage] = field(default_factory=list)
    message_form: MessageForm | None = None


@dataclass
class AxeNode(_Serializable):
    target: list[Any]  # axe target: selectors, nested lists across iframes / shadow roots
    html: str = ""
    summary: str = ""  # axe failureSummary
    # where the element is drawn, in CSS pixels of the full-page screenshot:
    # {"x", "y", "width", "height"}; None when not located (hidden, capped, lost)
    box: dict[str, int] | None = None


@dataclass
class AxeRuleResult(_Serializable):
    rule: str
    impact: str | None = None
    tags: list[str] = field(default_factory=list)
    help: str = ""
    help_url: str = ""
    description: str = ""
    nodes: list[AxeNode] = field(default_factory=list)


@dataclass
class PageCapture(_Serializable):
    """Everything later stages need about one audited page (step or annex)."""

    index: int  # order of visit, from 1
    kind: PageKind
    url: str
    title: str = ""
    name: str | None = None  # name given by a scripted `audit` step
    http_status: int | None = None
    load_ms: int | None = None  # navigation start → load event; None for SPA states
    lang: str = ""
    text: str = ""  # visible text (innerText of body), frames appended
    html: str = ""  # serialised DOM after scripts ran (capped in size)
    headings: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)  # URLs of child frames
    violations: list[AxeRuleResult] = field(default_factory=list)
    incomplete: list[AxeRuleResult] = field(default_factory=list)  # axe "needs review"
    axe_error: str | None = None  # set when axe could not run on this page
    screenshot: str | None = None  # path relative to the démarche's report folder
    screenshot_size: dict[str, int] | None = None  # {"width", "height"} in CSS pixels (= image pixels)
    dom_hash: str = ""
    dom_facts: DomFacts | None = None
    # what the probes of ``auditor/collect/probes`` recorded on this step page (keyboard walk,
    # reflow, text spacing): name → raw facts, with ``ms`` and ``error``; empty when none ran
    probes: dict[str, Any] = field(default_factory=dict)
    # shared regions (header, navigation, footer) whose axe results were taken from an earlier page of
    # the scan (``auditor/collect/chrome.py``): [{"region": selector, "from_url": url, "nodes": n}]
    axe_reused: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class LinkedDocument(_Serializable):
    """A document (PDF, office file) a step page links to, as the collector
    fetched it after the walk (``collect/linked_documents.py``).  The bytes
    are not kept: ``pdf`` holds what the PDF checks read (``auditor.pdf_facts``),
    so that they run offline on a saved capture."""

    url: str  # absolute address of the document (as linked; ``final_url`` after redirects)
    linked_from: str  # address of the page holding the link
    page_index: int | None = None  # that page's ``index``
    link_text: str = ""  # the link's accessible name
    selector: str = ""
    format: str = ""  # pdf | docx | doc | odt | xlsx | xls | ods | rtf… (from the extension or content type)
    # downloaded | too_large | refused (the walk's guard would not follow it) | error | skipped (over max_files)
    status: str = "downloaded"
    reason: str = ""  # why not downloaded, in French
    final_url: str = ""
    http_status: int | None = None
    content_type: str = ""
    size: int | None = None  # bytes
    file_name: str = ""
    pdf: dict[str, Any] | None = None  # auditor.pdf_facts.pdf_facts(): tagged, lang, title, fields…


@dataclass
class ErrorRecord(_Serializable):
    url: str
    stage: str  # see ErrorStage
    message: str


@dataclass
class Capture(_Serializable):
    """The raw result of walking one démarche: the input of every check."""

    demarche: dict[str, Any]  # the validated démarche entry (secrets never resolved here)
    scanned_at: str  # ISO 8601, UTC
    tool: dict[str, Any]  # version, axe_version, browser
    status: str = "complete"  # see Status
    status_reason: str | None = None  # why the walk stopped early, in French
    errors: list[ErrorRecord] = field(default_factory=list)
    pages: list[PageCapture] = field(default_factory=list)
    stopped_before: dict[str, Any] | None = None  # the guarded control the walk did not click
    duration_ms: int | None = None
    # requests the browser was not allowed to make: {url, origin, resource_type,
    # reason: "scope" (navigation outside the démarche) | "third_party", count}
    blocked_requests: list[dict[str, Any]] = field(default_factory=list)
    scan_options: dict[str, Any] = field(default_factory=dict)  # options that change results (resume key)
    # what robots.txt said of the start address: {url, status (allowed | disallowed | absent |
    # unreadable), rule, http_status, ignored}; None when not read (file:// addresses, unit tests)
    robots: dict[str, Any] | None = None
    # documents linked from the démarche, fetched after the walk (LinkedDocument)
    documents: list[LinkedDocument] = field(default_factory=list)
    # how the documents were looked for: {found, downloaded, max_files, max_bytes, duration_ms};
    # None when they were not (older captures, hand-built ones): the PDF check then says « à vérifier »
    documents_fetch: dict[str, Any] | None = None
    capture_version: int = CAPTURE_VERSION

    @property
    def id(self) -> str:
        return str(self.demarche["id"])

    def step_pages(self) -> list[PageCapture]:
        return [p for p in self.pages if p.kind == "step"]

    def annex_pages(self) -> list[PageCapture]:
        return [p for p in self.pages if p.kind == "annex"]


@dataclass
class CheckResult(_Serializable):
    """What one check adds to a scorecard.

    ``block`` becomes the scorecard's top-level ``key`` (``dlnuf``,
    ``alternatives``…); ``page_fields`` adds fields to individual pages,
    keyed by the page's ``index`` (for example the ``requests`` of a page).
    """

    key: str
    block: dict[str, Any] = field(default_factory=dict)
    page_fields: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Finding(_Serializable):
    """One finding read back from a scorecard, as CI outputs see it.

    Built by ``auditor.report.findings`` from scorecards only (never from a capture),
    and shared by the gates, the baseline, JUnit, SARIF, Markdown and
    ``auditor diff`` so that they all count the same things.
    ``fingerprint`` identifies the finding across scans (rule + normalised
    target + page path), so that a baseline still recognises it after an
    unrelated change of the page's DOM.
    """

    demarche: str  # démarche id
    check: str  # walk | axe | accessibility | dlnuf | alternatives | indicators (a JUnit testcase)
    rule: str  # stable rule id: the axe rule (``image-alt``) or ours (``dlnuf/repeated``…)
    category: str  # what --fail-on names: an axe impact, repeated, already-held, no-alternative,
    #                no-mention, partial, or ``indicator:<name>``
    level: str | None  # axe impact, or indicator level
    message: str  # one French sentence
    url: str | None = None  # the page where it is (or the démarche's start page)
    target: str | None = None  # CSS selector (axe), document id (dlnuf)…
    evidence: list[dict[str, Any]] = field(default_factory=list)  # [{url, selector|text|html}]
    fingerprint: str = ""
    key: str = ""  # readable form of what the fingerprint hashes
    baseline: str | None = None  # "new" | "unchanged" when a baseline is given, else None
    gated: bool = False  # this finding makes the CI gate fail


@dataclass
class ExportContext(_Serializable):
    """What every export writer receives besides the scorecards: the
    findings already enumerated, matched against the baseline and the gate."""

    findings: list[Finding] = field(default_factory=list)
    fail_on: list[str] = field(default_factory=list)  # the --fail-on tokens, as given
    baseline: str | None = None  # where the baseline was read from
    notices: list[dict[str, str]] = field(default_factory=list)  # gates that could not be checked
