"""axe-core's results on each page, with their RGAA tests, WCAG criteria and French help.

Why a check: the scorer used to reach into the RGAA mapping and the French
help itself; reading ``rules/rgaa.yaml`` and ``rules/axe-fr.yaml`` is a
check's work, so the scorer only combines results.  This check fills no
block of its own: it adds ``violations`` and ``incomplete_rules`` to every
page (``page_fields``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import AxeRuleResult, Capture, CheckResult, PageCapture
from . import check
from .axe_summary import rgaa_tests, wcag_criteria
from .rgaa import french_help

if TYPE_CHECKING:
    from ..config import Rules


def format_target(target: list[Any]) -> str:
    """axe's target (a list of selectors, nested across iframes and shadow
    roots) as one readable string: frames joined by `` >> ``."""
    parts = []
    for t in target:
        parts.append(" >>> ".join(map(str, t)) if isinstance(t, list) else str(t))
    return " >> ".join(parts)


def violation_dict(v: AxeRuleResult, rules: "Rules | None") -> dict[str, Any]:
    return {
        "rule": v.rule,
        "impact": v.impact,
        "wcag": wcag_criteria(v),
        "rgaa": rgaa_tests(v, rules),
        "nodes": [
            {"target": format_target(n.target), "target_path": n.target, "html": n.html, "summary": n.summary,
             "box": n.box}
            for n in v.nodes
        ],
        "help": french_help(v.rule, rules) or v.help,  # rules/axe-fr.yaml, else axe's English
        "help_en": v.help,
        "help_url": v.help_url,
    }


def page_results(page: PageCapture, rules: "Rules | None") -> dict[str, Any]:
    """A page's violations (every node) and needs-review rules (counted)."""
    return {
        "violations": [violation_dict(v, rules) for v in page.violations],
        "incomplete_rules": [
            {"rule": v.rule, "impact": v.impact, "rgaa": rgaa_tests(v, rules), "nodes": len(v.nodes),
             "help": french_help(v.rule, rules) or v.help}
            for v in page.incomplete
        ],
    }


@check("axe_pages")
def axe_pages(capture: Capture, rules: "Rules") -> CheckResult:
    """Every page's axe results, annotated from ``rules/``."""
    return CheckResult(key="", page_fields={p.index: page_results(p, rules) for p in capture.pages})
