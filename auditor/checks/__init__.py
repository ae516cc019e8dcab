"""Checks: pure functions of a Capture and the loaded rules.

A check is a plain function decorated with ``@check("key")`` (as in Bandit);
it returns a :class:`~auditor.model.CheckResult` whose ``block`` becomes the
scorecard's ``key``.  Checks never touch a browser, so ``auditor report
capture.json`` re-runs them offline while auditors tune ``rules/``.

Every module of this package is imported on first use, so adding a check is
adding a module: no list to edit.

Beside its code, a module that reports findings declares them with
``describe(CheckMeta(...))`` (as Lighthouse audits carry their metadata):
id, French title, the block it reads, its rules (id, French name and help),
its ``--fail-on`` token, RGAA/WCAG references, and ``findings(card)``, which
turns its own block into the uniform :class:`CheckFinding` list.  The
findings, JUnit, SARIF, CSV and HTML outputs read only that list and the
metadata, never a check's private layout (docs/architecture.md, « Ajouter
une vérification »).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..model import Capture, CheckResult, ErrorRecord

if TYPE_CHECKING:
    from ..config import Rules

CheckFn = Callable[[Capture, "Rules"], CheckResult]

REGISTRY: dict[str, CheckFn] = {}
_loaded = False


@dataclass(frozen=True)
class Rule:
    """One kind of finding: a stable id (``dlnuf/repeated``), its French name and help."""

    id: str
    name: str
    help: str


@dataclass
class CheckFinding:
    """A finding in the one shape every output reads.

    ``status``: ``fail`` (counted, gated) or ``review`` (shown, never
    counted).  ``identity``: the parts, after the démarche and the rule, that
    make its fingerprint stable across scans (a document kind, a page path…).
    ``evidence``: where and what (``url``, ``selector``, ``label``, ``text``,
    ``html``, ``box`` for the screenshot crop)."""

    rule: str
    category: str  # the --fail-on token that gates it
    message: str
    url: str | None = None
    target: str | None = None
    level: str | None = None
    status: str = "fail"
    evidence: list[dict[str, Any]] = field(default_factory=list)
    identity: tuple[str, ...] = ()


def _no_findings(card: dict[str, Any]) -> list[CheckFinding]:
    return []


@dataclass(frozen=True)
class CheckMeta:
    """What a check tells the outputs about itself, declared beside its code."""

    id: str  # Finding.check and the JUnit testcase
    title: str  # French, the JUnit testcase's name
    block: str  # the scorecard block it fills and reads
    order: int  # position among the checks in every output (walk 0, axe 10, then 20, 30…)
    not_checked: str  # French: why its testcase is skipped when its block was not filled
    rules: tuple[Rule, ...] = ()
    gates: tuple[str, ...] = ()  # its --fail-on tokens (the categories of its findings)
    rgaa: tuple[str, ...] = ()
    wcag: tuple[str, ...] = ()
    findings: Callable[[dict[str, Any]], list[CheckFinding]] = _no_findings
    # when the block is filled but the check still says nothing (None: it said something)
    skip_reason: Callable[[dict[str, Any]], str | None] | None = None
    csv_column: str | None = None  # an own column of the CSV (number of failing findings); None: none
    section: str | None = None  # its own section of scorecard.html; None: the generic « Autres vérifications »


METAS: dict[str, CheckMeta] = {}


def describe(meta: CheckMeta) -> CheckMeta:
    """Register the metadata of a check (once per id)."""
    if meta.id in METAS and METAS[meta.id] != meta:
        raise ValueError(f"check metadata {meta.id!r} described twice")
    METAS[meta.id] = meta
    return meta


def metas() -> list[CheckMeta]:
    """Every described check, in output order."""
    load_all()
    return sorted(METAS.values(), key=lambda m: (m.order, m.id))


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` under ``name``.  The block it fills is the ``key`` of the
    CheckResult it returns; two checks may fill the same block (their dicts
    are merged, in name order)."""

    def deco(fn: CheckFn) -> CheckFn:
        if name in REGISTRY and REGISTRY[name] is not fn:
            raise ValueError(f"check name {name!r} registered twice")
        REGISTRY[name] = fn
        return fn

    return deco


def load_all() -> dict[str, CheckFn]:
    """Import every check module once (they register themselves)."""
    global _loaded
    if not _loaded:
        for mod in pkgutil.iter_modules(__path__):
            if not mod.name.startswith("_"):
                importlib.import_module(f"{__name__}.{mod.name}")
        _loaded = True
    return REGISTRY


def run_checks(capture: Capture, rules: "Rules") -> tuple[list[CheckResult], list[ErrorRecord]]:
    """Run every registered check; a check that crashes is recorded as an
    error of stage ``check`` and its block stays ``not_checked``."""
    results: list[CheckResult] = []
    errors: list[ErrorRecord] = []
    for name, fn in sorted(load_all().items()):
        try:
            results.append(fn(capture, rules))
        except Exception as exc:  # one broken check must not cost the scorecard
            errors.append(
                ErrorRecord(url=capture.demarche.get("url", ""), stage="check",
                            message=f"vérification « {name} » en échec : {type(exc).__name__}: {exc}")
            )
    return results, errors


