"""Exports and CI gate of a report folder: what ``scan``, ``report`` and
``merge`` do once the scorecards are written.

Every export format is one module of ``auditor/render/`` with the same
signature, ``write(cards, out_dir, ctx) -> Path`` (cards: scorecard dicts;
ctx: ``ExportContext`` with the findings already matched against the
baseline and the gate).  Adding a format is adding a module and a line to
``FORMATS``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence, TextIO

from .findings import GateError, evaluate, failure_line, load_baseline, parse_fail_on
from ..model import ExportContext

# --format name → module of auditor/render/ (each has FILENAME and write(cards, out_dir, ctx))
FORMATS: dict[str, str] = {
    "json": "scorecards_json",
    "csv": "observatoire_csv",
    "junit": "junit",
    "sarif": "sarif",
    "markdown": "markdown",
    "baseline": "baseline",
}
ALIASES = {"md": "markdown", "xml": "junit", "scorecards": "json", "observatoire": "csv"}
# Always written: the whole portfolio in one file, and the observatory's CSV.
DEFAULT_FORMATS = ("json", "csv")


def writer(fmt: str) -> Any:
    return importlib.import_module(f"..render.{FORMATS[fmt]}", __package__)


def parse_formats(values: Iterable[str] | None) -> list[str]:
    """``--format junit,sarif --format md`` → the default formats plus those, in order."""
    out = list(DEFAULT_FORMATS)
    for v in values or []:
        for raw in v.replace(" ", ",").split(","):
            name = ALIASES.get(raw.strip().lower(), raw.strip().lower())
            if not name:
                continue
            if name not in FORMATS:
                raise GateError(f"--format : format inconnu « {raw} » (possibles : {', '.join(FORMATS)})")
            if name not in out:
                out.append(name)
    return out


@dataclass
class ExportOptions:
    """The export and gate options of the command line, already validated
    (and the baseline already read, so that a wrong path fails before a
    long scan rather than after it)."""

    formats: list[str] = field(default_factory=lambda: list(DEFAULT_FORMATS))
    fail_on: list[str] = field(default_factory=list)
    baseline: Path | None = None
    known: Counter[str] | None = None  # fingerprint counts of the baseline


def prepare_options(formats: Iterable[str] | None = None, fail_on: Iterable[str] | None = None,
                    baseline: Path | None = None) -> ExportOptions:
    """Validate ``--format``, ``--fail-on`` and ``--baseline``; ``GateError`` (French) when wrong."""
    return ExportOptions(
        formats=parse_formats(formats),
        fail_on=parse_fail_on(fail_on or []),
        baseline=baseline,
        known=load_baseline(baseline) if baseline else None,
    )


def write_exports(cards: Sequence[dict[str, Any]], out_dir: Path, opts: ExportOptions,
                  gate_ids: Iterable[str] | None = None) -> tuple[ExportContext, list[Path]]:
    """Evaluate the gate and write every requested export into ``out_dir``."""
    ctx = evaluate(cards, opts.fail_on, opts.known, str(opts.baseline) if opts.baseline else None, gate_ids)
    paths = [writer(fmt).write(cards, out_dir, ctx) for fmt in opts.formats]
    return ctx, paths


def _gh_escape(s: str) -> str:
    """Escape a GitHub workflow-command message."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    """Escape a GitHub workflow-command property value (``title=``)."""
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def report_gate(ctx: ExportContext, stream: TextIO | None = None) -> bool:
    """Print one line per gate failure (démarche, finding, where) and one per
    gate that could not be evaluated; return True when the gate failed.
    Under GitHub Actions the lines are also workflow annotations."""
    stream = stream or sys.stdout
    if not ctx.fail_on:
        return False
    gh = os.environ.get("GITHUB_ACTIONS") == "true"
    failures = [f for f in ctx.findings if f.gated]
    for n in ctx.notices:
        line = f"{n['demarche']} : non vérifié ({n['gate']}) — {n['message']}"
        print(f"::warning title=auditor::{_gh_escape(line)}" if gh else f"avertissement : {line}", file=stream)
    for f in failures:
        line = failure_line(f)
        print(f"::error title={_gh_property('auditor ' + f.rule)}::{_gh_escape(line)}" if gh else line, file=stream)
    gate = f"--fail-on {','.join(ctx.fail_on)}" + (f", référence {ctx.baseline}" if ctx.baseline else "")
    if failures:
        what = "nouveau(x) constat(s)" if ctx.baseline else "constat(s)"
        print(f"Contrôle en échec : {len(failures)} {what} au-delà du seuil ({gate}).", file=stream)
    else:
        what = "aucun nouveau constat" if ctx.baseline else "aucun constat"
        print(f"Contrôle réussi : {what} au-delà du seuil ({gate}).", file=stream)
    stream.flush()
    return bool(failures)
