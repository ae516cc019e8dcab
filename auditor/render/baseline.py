"""``reports/baseline.json``: the fingerprints of every finding, small enough
to commit next to a project's code and pass back as ``--baseline``.

Sorted and free of timestamps, so that a refreshed baseline shows in a code
review as exactly the findings that appeared or went away."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..fileio import write_json
from ..report.findings import FINGERPRINT_VERSION
from ..model import ExportContext

FORMAT = "baseline"
FILENAME = "baseline.json"


def build(ctx: ExportContext) -> dict[str, Any]:
    rows = [
        {"fingerprint": f.fingerprint, "demarche": f.demarche, "rule": f.rule, "key": f.key, "message": f.message}
        for f in ctx.findings
    ]
    rows.sort(key=lambda r: (r["demarche"], r["rule"], r["key"], r["fingerprint"]))
    return {"format": "auditor-baseline", "version": 1, "fingerprint": FINGERPRINT_VERSION,
            "tool_version": __version__, "findings": rows}


def write(cards: Sequence[dict[str, Any]], out_dir: Path, ctx: ExportContext) -> Path:
    path = out_dir / FILENAME
    write_json(path, build(ctx))
    return path
