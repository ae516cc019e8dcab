"""Issues found by the probes (keyboard, reflow, text spacing), in one shape.

The probes (``auditor/collect/probes``) record raw facts on each step page;
a *judge* turns one page's facts into :class:`ProbeIssue` items, each tied
to an RGAA criterion with a status (``non_conforme`` or ``a_verifier``) and
its evidence (page, selector, excerpt, box on the screenshot).  Two readers
share them: the check that owns the probe (its scorecard block and
findings) and the RGAA table (``checks/rgaa.py``), so that a criterion the
keyboard walk failed reads « non conforme » with the same evidence.

Judges are registered by the check modules with ``@judge("keyboard")``; the
module name starts with an underscore so that the check loader skips it.

A judge may need no probe at all: the form fields and errors judge reads the
DOM the capture already holds.  It registers with ``@judge("form_errors",
static=has_form)``, and for it the pages read are the step pages the
predicate selects, not the pages a probe ran on (``STATIC``): its issues
still reach the RGAA table through the same path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..model import Capture, PageCapture

if TYPE_CHECKING:
    from ..config import Rules

NON_CONFORME, A_VERIFIER = "non_conforme", "a_verifier"


@dataclass
class ProbeIssue:
    """One thing a probe saw that an auditor must read as a failure or check by hand."""

    rule: str  # "keyboard/trap", "reflow/horizontal-scroll"…
    criterion: str  # RGAA criterion, "12.9"
    status: str  # non_conforme | a_verifier
    message: str  # French, one sentence
    page_index: int
    url: str
    selector: str = ""
    excerpt: str = ""  # the element's text or markup, short
    box: dict[str, float] | None = None  # x, y, width, height in CSS px of the page's screenshot
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", {})}


JudgeFn = Callable[[PageCapture, "Rules | None"], list[ProbeIssue]]
JUDGES: dict[str, JudgeFn] = {}
# each probe's rules: id → (RGAA criterion, French name, French help); filled by the check modules
RULES: dict[str, tuple[str, str, str]] = {}
# judge name → the ids of its rules (what the RGAA table counts as tested when the judge read a page)
JUDGE_RULES: dict[str, set[str]] = {}
# judges that need no probe (they read the captured DOM): name → which step pages they read
STATIC: dict[str, Callable[[PageCapture], bool]] = {}
# rules of a static judge that only a probe can find (the empty submission's): rule → probe; the RGAA
# table counts them as tested only when that probe ran on a step page
PROBE_ONLY: dict[str, str] = {}


def register_rules(probe: str, rules: dict[str, tuple[str, str, str]]) -> None:
    """Declare a judge's rules (id → criterion, French name, French help), for its findings and the RGAA table."""
    RULES.update(rules)
    JUDGE_RULES.setdefault(probe, set()).update(rules)


def probe_ran(capture: Capture, probe: str) -> bool:
    """The probe ran (not skipped, not failed) on at least one step page."""
    return any(probe in p.probes and not p.probes[probe].get("error") and p.probes[probe].get("ran", True)
               for p in capture.step_pages())


def judge(probe: str, *, static: Callable[[PageCapture], bool] | None = None) -> Callable[[JudgeFn], JudgeFn]:
    """Register a judge; ``static`` marks one that needs no probe and selects the step pages it reads."""

    def register(fn: JudgeFn) -> JudgeFn:
        JUDGES[probe] = fn
        if static is not None:
            STATIC[probe] = static
        return fn

    return register


def probed_pages(capture: Capture, probe: str) -> list[PageCapture]:
    """Step pages the probe ran on without error (for a static judge: the step pages it reads)."""
    if probe in STATIC:
        return [p for p in capture.step_pages() if STATIC[probe](p)]
    return [p for p in capture.step_pages() if probe in p.probes and not p.probes[probe].get("error")]


def issues_of(capture: Capture, rules: "Rules | None", probe: str | None = None) -> list[ProbeIssue]:
    """Every issue of every probed step page (of one probe, or of all)."""
    from . import load_all

    load_all()  # the check modules register the judges
    out: list[ProbeIssue] = []
    for name, fn in sorted(JUDGES.items()):
        if probe is not None and name != probe:
            continue
        for page in probed_pages(capture, name):
            out.extend(fn(page, rules))
    return out


def probe_block(capture: Capture, rules: "Rules | None", probe: str) -> dict[str, Any]:
    """The scorecard block of one probe's check: issues, pages probed and errors.  The probe's cost
    (``ms``) stays in the capture: a scorecard must not change from one identical scan to the next."""
    steps = capture.step_pages()
    ran = [p for p in steps if probe in p.probes]
    if not ran:
        return {"status": "not_checked",
                "reason": "sonde non lancée (désactivée, ou aucune étape atteinte)"}
    ok = [p for p in ran if not p.probes[probe].get("error")]
    issues = issues_of(capture, rules, probe)
    return {
        "status": "checked",
        "pages_probed": len(ok),
        "pages_failed": [{"url": p.url, "index": p.index, "error": p.probes[probe]["error"]}
                         for p in ran if p.probes[probe].get("error")],
        "issues": [i.to_dict() for i in issues if i.status == NON_CONFORME],
        "review": [i.to_dict() for i in issues if i.status == A_VERIFIER],
    }
