"""The RGAA view of axe-core's findings, and French help for axe's rules.

axe-core tests only part of the RGAA: about a third of its 106 criteria have
at least one axe rule.  This check lays every criterion of ``rules/rgaa.yaml``
next to what axe found, with one of four statuses:

- ``non_conforme``: an axe violation points at one of its tests;
- ``a_verifier``: axe could not decide (its "needs review" results);
- ``sans_anomalie``: axe has rules for it and none failed: *not* a proof of
  conformance, a manual audit still decides;
- ``non_teste``: no axe rule covers it.

It never computes a conformance rate: only an audit by a person can (the
published rate lives in the déclaration d'accessibilité, read by the
``mention`` check).

Which criteria axe can test is read offline from ``rules/axe-fr.yaml``
(``rgaa_tags``, a copy of axe's ``RGAA-x.y.z`` tags, checked against the
bundled axe-core by a browser test) corrected by ``rules/rgaa.yaml``
(``axe_rules``), the same overrides :func:`~auditor.checks.axe_summary.rgaa_tests`
applies to each result.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..model import AxeRuleResult, Capture, CheckResult
from . import check
from .axe_summary import _version_key, criterion_of, rgaa_tests

if TYPE_CHECKING:
    from ..config import Rules

_TEST_ID = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")
_CRITERION_ID = re.compile(r"^\d{1,2}\.\d{1,2}$")

# Status of a criterion, most severe first, with the words the reports show.
STATUSES: dict[str, str] = {
    "non_conforme": "non conforme (détecté automatiquement)",
    "a_verifier": "à vérifier",
    "sans_anomalie": "aucune anomalie détectée automatiquement (à confirmer par un audit)",
    "non_teste": "non testé automatiquement",
}


# ------------------------------------------------------------------ rules/ schemas


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RgaaCriterion(_Strict):
    id: str
    tests: int = Field(ge=1, le=50)
    title: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _CRITERION_ID.match(v):
            raise ValueError(f"identifiant de critère « {v} » invalide (attendu : thème.critère, ex. « 11.1 »)")
        return v


class RgaaTheme(_Strict):
    id: int = Field(ge=1)
    title: str = Field(min_length=1)
    criteria: list[RgaaCriterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _criteria_in_theme(self) -> "RgaaTheme":
        for c in self.criteria:
            if c.id.split(".")[0] != str(self.id):
                raise ValueError(f"le critère « {c.id} » n'appartient pas à la thématique {self.id}")
        return self


class AxeRuleOverride(_Strict):
    """Replaces axe's own RGAA tags for one rule (``rgaa: []`` drops them)."""

    rgaa: list[str]
    note: str | None = None

    @field_validator("rgaa")
    @classmethod
    def _tests(cls, v: list[str]) -> list[str]:
        for t in v:
            if not _TEST_ID.match(t):
                raise ValueError(f"test RGAA « {t} » invalide (attendu : thème.critère.test, ex. « 11.1.1 »)")
        return v


class RgaaRules(_Strict):
    """``rules/rgaa.yaml``: the RGAA criteria and the axe → RGAA overrides."""

    version: str = "4.1.2"
    themes: list[RgaaTheme] = Field(default_factory=list)
    axe_rules: dict[str, AxeRuleOverride] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> "RgaaRules":
        tests: dict[str, int] = {}
        for theme in self.themes:
            for c in theme.criteria:
                if c.id in tests:
                    raise ValueError(f"critère « {c.id} » en double")
                tests[c.id] = c.tests
        if tests:
            for rule, override in self.axe_rules.items():
                for t in override.rgaa:
                    crit, n = criterion_of(t), int(t.rsplit(".", 1)[1])
                    if crit not in tests:
                        raise ValueError(f"règle axe « {rule} » : le critère {crit} n'existe pas dans « themes »")
                    if n > tests[crit]:
                        raise ValueError(
                            f"règle axe « {rule} » : le critère {crit} n'a que {tests[crit]} test(s), pas de test {t}"
                        )
        return self

    def criteria(self) -> list[tuple[RgaaTheme, RgaaCriterion]]:
        return [(theme, c) for theme in self.themes for c in theme.criteria]


class AxeRuleFr(_Strict):
    help: str = Field(min_length=1)
    rgaa_tags: list[str] = Field(default_factory=list)

    @field_validator("rgaa_tags")
    @classmethod
    def _tests(cls, v: list[str]) -> list[str]:
        for t in v:
            if not _TEST_ID.match(t):
                raise ValueError(f"test RGAA « {t} » invalide (attendu : thème.critère.test, ex. « 11.1.1 »)")
        return v


class AxeFrRules(_Strict):
    """``rules/axe-fr.yaml``: French help text of each axe rule and axe's RGAA tags."""

    axe_version: str = ""
    rules: dict[str, AxeRuleFr] = Field(default_factory=dict)




def _model(rules: "Rules | None", name: str, cls: type[BaseModel]) -> Any:
    """The validated rules file, validating raw YAML if needed (tests may build
    ``Rules`` by hand); ``None`` when absent."""
    if rules is None:
        return None
    got = rules.get(name)
    if isinstance(got, cls):
        return got
    if isinstance(got, dict):
        return cls.model_validate(got)
    return None


def rgaa_rules(rules: "Rules | None") -> RgaaRules | None:
    return _model(rules, "rgaa", RgaaRules)


def axe_fr(rules: "Rules | None") -> AxeFrRules | None:
    return _model(rules, "axe-fr", AxeFrRules)


def french_help(rule: str, rules: "Rules | None") -> str | None:
    """French help of an axe rule from ``rules/axe-fr.yaml``, or ``None``
    (the caller then keeps axe's English text)."""
    fr = axe_fr(rules)
    entry = fr.rules.get(rule) if fr else None
    return entry.help if entry else None


def axe_rule_tests(rules: "Rules | None") -> dict[str, list[str]]:
    """RGAA tests of every known axe rule: axe's tags, replaced by the
    overrides of ``rules/rgaa.yaml``."""
    fr = axe_fr(rules)
    rg = rgaa_rules(rules)
    out = {rule: list(entry.rgaa_tags) for rule, entry in (fr.rules.items() if fr else [])}
    for rule, override in (rg.axe_rules.items() if rg else []):
        out[rule] = list(override.rgaa)
    return {r: t for r, t in out.items() if t}


# ------------------------------------------------------------------------ the view


def _add_finding(
    found: dict[str, dict[str, dict[str, Any]]],
    crit: str,
    result: AxeRuleResult,
    tests: list[str],
    page: Any,
    rules: "Rules | None",
) -> None:
    entry = found.setdefault(crit, {}).setdefault(
        result.rule,
        {
            "rule": result.rule,
            "impact": result.impact,
            "help": french_help(result.rule, rules) or result.help,
            "help_url": result.help_url,
            "tests": set(),
            "pages": {},
        },
    )
    entry["tests"].update(t for t in tests if criterion_of(t) == crit)
    pg = entry["pages"].setdefault(page.index, {"url": page.url, "index": page.index, "kind": page.kind, "nodes": 0})
    pg["nodes"] += len(result.nodes)


def _finish(rules_found: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in sorted(rules_found.values(), key=lambda e: e["rule"]):
        out.append(
            {
                **entry,
                "tests": sorted(entry["tests"], key=_version_key),
                "pages": [entry["pages"][k] for k in sorted(entry["pages"])],
            }
        )
    return out


def rgaa_view(capture: Capture, rules: "Rules | None") -> dict[str, Any]:
    """Every RGAA criterion with what axe says about it (see the module doc)."""
    rg = rgaa_rules(rules)
    if rg is None or not rg.themes:
        return {"available": False, "reason": "Référentiel RGAA absent de rules/rgaa.yaml."}
    known = {c.id for _, c in rg.criteria()}
    testable: dict[str, set[str]] = {}
    for rule, tests in axe_rule_tests(rules).items():
        for t in tests:
            testable.setdefault(criterion_of(t), set()).add(rule)

    violations: dict[str, dict[str, dict[str, Any]]] = {}
    review: dict[str, dict[str, dict[str, Any]]] = {}
    unknown: set[str] = set()
    audited = [p for p in capture.pages if p.axe_error is None]
    for page in audited:
        for found, results in ((violations, page.violations), (review, page.incomplete)):
            for result in results:
                tests = rgaa_tests(result, rules)
                for crit in sorted({criterion_of(t) for t in tests}):
                    if crit not in known:
                        unknown.add(crit)
                        continue
                    testable.setdefault(crit, set()).add(result.rule)
                    _add_finding(found, crit, result, tests, page, rules)

    # what the probes saw (keyboard walk, reflow, text spacing): failures and manual checks, per criterion
    from ._probe_issues import JUDGE_RULES, JUDGES, NON_CONFORME, PROBE_ONLY, RULES as PROBE_RULES
    from ._probe_issues import issues_of, probe_ran, probed_pages

    for issue in issues_of(capture, rules):
        if issue.criterion not in known:
            unknown.add(issue.criterion)
            continue
        found = violations if issue.status == NON_CONFORME else review
        entry = found.setdefault(issue.criterion, {}).setdefault(issue.rule, {
            "rule": issue.rule, "impact": None,
            "help": PROBE_RULES.get(issue.rule, ("", issue.rule, ""))[2] or issue.message,
            "help_url": None, "tests": set(), "pages": {},
        })
        pg = entry["pages"].setdefault(issue.page_index, {"url": issue.url, "index": issue.page_index,
                                                          "kind": "step", "nodes": 0})
        pg["nodes"] += 1
    for probe in JUDGES:
        if probed_pages(capture, probe):
            for rule in sorted(JUDGE_RULES.get(probe, ())):
                if rule in PROBE_ONLY and not probe_ran(capture, PROBE_ONLY[rule]):
                    continue  # the empty submission's rules, when the walk did not send the forms empty
                testable.setdefault(PROBE_RULES[rule][0], set()).add(rule)

    criteria = []
    counts = dict.fromkeys(STATUSES, 0)
    for theme, c in rg.criteria():
        if c.id in violations:
            status = "non_conforme"
        elif c.id in review:
            status = "a_verifier"
        elif c.id in testable and audited:
            status = "sans_anomalie"
        else:
            status = "non_teste"
        counts[status] += 1
        criteria.append(
            {
                "id": c.id,
                "theme": theme.id,
                "theme_title": theme.title,
                "title": c.title,
                "status": status,
                "label": STATUSES[status],
                "axe_rules": sorted(testable.get(c.id, ())),
                "violations": _finish(violations.get(c.id, {})),
                "review": _finish(review.get(c.id, {})),
            }
        )
    automated = sum(1 for _, c in rg.criteria() if c.id in testable) if audited else 0
    return {
        "available": True,
        "version": rg.version,
        "criteria_total": len(criteria),
        "criteria_automated": automated,
        "pages_audited": len(audited),
        "counts": counts,
        "summary": (
            f"Résultats automatiques sur {automated} critères du RGAA {rg.version} (sur {len(criteria)}) : "
            f"{counts['non_conforme']} non conforme(s), {counts['a_verifier']} à vérifier. "
            "Les autres critères demandent un audit manuel ; aucun taux de conformité ne peut "
            "être déduit de ces tests."
        ),
        "unknown_criteria": sorted(unknown, key=_version_key),
        "criteria": criteria,
    }


@check("rgaa")
def rgaa_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``accessibility.rgaa``: the per-criterion view of axe's findings."""
    return CheckResult(key="accessibility", block={"rgaa": rgaa_view(capture, rules)})
