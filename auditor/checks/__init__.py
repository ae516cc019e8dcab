"""Checks: pure functions of a Capture and the loaded rules.

A check is a plain function decorated with ``@check("key")`` (as in Bandit);
it returns a :class:`~auditor.model.CheckResult` whose ``block`` becomes the
scorecard's ``key``.  Checks never touch a browser, so ``auditor report
capture.json`` re-runs them offline while auditors tune ``rules/``.

Every module of this package is imported on first use, so adding a check is
adding a module: no list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Callable

from ..model import Capture, CheckResult, ErrorRecord

if TYPE_CHECKING:
    from ..config import Rules

CheckFn = Callable[[Capture, "Rules"], CheckResult]

REGISTRY: dict[str, CheckFn] = {}
_loaded = False


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


