"""``reports/scorecards.json``: every scorecard in one file, for tools that
want the whole portfolio in one read (and as a ``--baseline``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..fileio import write_json
from ..model import SCHEMA_VERSION, ExportContext

FORMAT = "json"
FILENAME = "scorecards.json"


def build(cards: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Deterministic (sorted by id, no timestamp of its own): two exports of
    the same scorecards are byte for byte equal, whichever runner wrote them."""
    return {
        "format": "auditor-scorecards",
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "count": len(cards),
        "scorecards": sorted(cards, key=lambda c: str(c.get("id"))),
    }


def write(cards: Sequence[dict[str, Any]], out_dir: Path, ctx: ExportContext) -> Path:
    path = out_dir / FILENAME
    write_json(path, build(cards))
    return path
