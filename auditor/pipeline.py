"""The pipeline end to end: config → collect → check → score → render.

``scan`` drives the browser; ``process_capture`` is everything after it and
needs no browser, which is what ``auditor report capture.json.xz`` re-runs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .config import Demarche, Rules
from .fileio import read_json, write_json
from .history import attach_previous
from .model import Capture
from .progress import ScanProgress
from .render import html as html_render
from .score import build_scorecard


CAPTURE_FILE = "capture.json.xz"  # compressed: it holds every page's DOM


def process_capture(capture: Capture, rules: Rules, out_dir: Path, *, save_capture: bool = True) -> dict[str, Any]:
    """Check, score and write one démarche's reports; returns its scorecard."""
    folder = out_dir / capture.id
    if save_capture:
        write_json(folder / CAPTURE_FILE, capture.to_dict())
    card = build_scorecard(capture, rules)
    attach_previous(card, folder / "scorecard.json")  # the change since the scan this one replaces
    write_json(folder / "scorecard.json", card)
    html_render.write_scorecard(card, out_dir)
    return card


def load_scorecards(out_dir: Path) -> list[dict[str, Any]]:
    """Every ``<id>/scorecard.json`` under ``out_dir`` (for the index)."""
    cards = []
    for path in sorted(out_dir.glob("*/scorecard.json")):
        try:
            cards.append(read_json(path))
        except (OSError, ValueError):
            continue
    return cards


def write_index(out_dir: Path) -> Path:
    return html_render.write_index(load_scorecards(out_dir), out_dir)


@dataclass
class ScanResult:
    cards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def scanned(self) -> int:
        return sum(1 for c in self.cards if c and c.get("status") in ("complete", "partial"))


def run_scan(
    demarches: list[Demarche],
    rules: Rules,
    out_dir: Path,
    *,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    progress: ScanProgress | None = None,
    **scan_kwargs: Any,
) -> ScanResult:
    """Scan ``demarches`` (already effective: defaults applied) into ``out_dir``.

    Each démarche is checked, scored and written in a worker thread as soon
    as its walk ends (``handle``), while the browser walks the next ones;
    ``progress`` is told about walks and finished scorecards."""
    from .collect.runner import ScanOptions, scan

    opts = ScanOptions(out_dir=out_dir, progress=progress, **scan_kwargs)

    def handle(capture: Capture) -> dict[str, Any]:
        card = process_capture(capture, rules, out_dir)
        if progress is not None:
            progress.demarche_done(card)
        if on_done:
            on_done(card)
        return card

    try:
        cards = asyncio.run(scan(demarches, rules, opts, handle))
    finally:
        if progress is not None:
            progress.close()
    write_index(out_dir)
    return ScanResult(cards=cards)
