"""Summary of axe-core's automated findings, with their RGAA references.

axe-core tags each rule with the RGAA tests it covers (``RGAA-11.1.1``);
``rules/rgaa.yaml`` can add or replace that mapping per axe rule
(``axe_rules: {rule-id: {rgaa: ["11.1.1"]}}``) where auditors disagree with it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import AxeRuleResult, Capture, CheckResult
from . import check

if TYPE_CHECKING:
    from ..config import Rules

_RGAA_TAG = re.compile(r"^RGAA-(\d+\.\d+\.\d+)$")
_WCAG_SC_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


def _overrides(rules: "Rules | None") -> dict[str, Any]:
    raw = rules.raw.get("rgaa") if rules is not None else None
    if isinstance(raw, dict) and isinstance(raw.get("axe_rules"), dict):
        return raw["axe_rules"]
    return {}


def rgaa_tests(result: AxeRuleResult, rules: "Rules | None" = None) -> list[str]:
    """RGAA test ids (``1.1.1``) of an axe rule: its tags, unless rules/ override them."""
    override = _overrides(rules).get(result.rule)
    if isinstance(override, dict) and "rgaa" in override:
        return [str(t) for t in override["rgaa"] or []]
    tests = [m.group(1) for t in result.tags if (m := _RGAA_TAG.match(t))]
    return sorted(set(tests), key=_version_key)


def wcag_criteria(result: AxeRuleResult) -> list[str]:
    """WCAG success criteria (``1.1.1``) from tags such as ``wcag111``."""
    out = []
    for t in result.tags:
        m = _WCAG_SC_TAG.match(t)
        if m:
            out.append(f"{m.group(1)}.{m.group(2)}.{m.group(3)}")
    return sorted(set(out), key=_version_key)


def criterion_of(test_id: str) -> str:
    """``11.1.2`` → ``11.1``."""
    return ".".join(test_id.split(".")[:2])


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) if x.isdigit() else 0 for x in v.split("."))


@check("axe_summary")
def axe_summary(capture: Capture, rules: "Rules") -> CheckResult:
    """Counts axe violations across all audited pages (step and annex), the
    rules that failed and the RGAA criteria they point at."""
    rules_failed: set[str] = set()
    criteria: set[str] = set()
    nodes = 0
    for page in capture.pages:
        for v in page.violations:
            rules_failed.add(v.rule)
            nodes += len(v.nodes)
            criteria.update(criterion_of(t) for t in rgaa_tests(v, rules))
    block = {
        "violations": sum(len(p.violations) for p in capture.pages),
        "violation_nodes": nodes,
        "rules_failed": sorted(rules_failed),
        "rgaa_criteria_failed": sorted(criteria, key=_version_key),
        "pages_audited": sum(1 for p in capture.pages if p.axe_error is None),
        "pages_not_audited": [p.url for p in capture.pages if p.axe_error is not None],
    }
    return CheckResult(key="accessibility", block=block)
