"""The pipeline end to end: config → collect → check → score → render.

``scan`` drives the browser; ``process_capture`` is everything after it and
needs no browser, which is what ``auditor report capture.json.xz`` re-runs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import check_cache
from .config import Demarche, Rules
from .fileio import read_json, write_json
from .report.history import attach_previous
from .model import Capture
from .run.progress import ScanProgress
from .render import html as html_render
from .checks import run_checks
from .score import combine


CAPTURE_FILE = "capture.json.xz"  # compressed: it holds every page's DOM


def warm_up() -> None:
    """What the first ``process_capture`` would otherwise pay for on the
    run's critical path — compiling the report templates, importing the
    HTML parsers the checks use — done in a background thread while the
    browser starts and walks the first démarches (which leave Python
    mostly waiting).  A short scan, the usual CI run, ends that much
    sooner.  Failures are left for the real call to report."""
    try:
        import bs4  # noqa: F401
        import selectolax.lexbor  # noqa: F401

        html_render.compile_templates()
    except Exception:
        pass


def check_and_score(capture: Capture, rules: Rules) -> dict[str, Any]:
    """The stages after the browser, in order: checks, then the scorer combines their results."""
    results, errors = run_checks(capture, rules)
    return combine(capture, results, errors, rules)


build_scorecard = check_and_score  # the name tests and tools know


def process_capture(capture: Capture, rules: Rules, out_dir: Path, *, save_capture: bool = True,
                    reuse_checks: bool = False) -> dict[str, Any]:
    """Check, score and write one démarche's reports; returns its scorecard.
    ``reuse_checks``: take the checks' results from the previous scan when
    its capture had the same stable inputs (``check_cache``; ``--no-cache``
    turns it off)."""
    folder = out_dir / capture.id
    captured = capture.to_dict() if save_capture or reuse_checks else None
    if save_capture:
        write_json(folder / CAPTURE_FILE, captured)
    if reuse_checks and captured is not None:
        key = check_cache.checks_key(captured, rules.digest)
        cached = check_cache.get(out_dir / ".cache", capture.id, key)
        if cached is None:
            cached = run_checks(capture, rules)
            check_cache.put(out_dir / ".cache", capture.id, key, *cached)
        card = combine(capture, *cached, rules)
    else:
        card = check_and_score(capture, rules)
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


class ScanInterrupted(Exception):
    """The scan was stopped by a signal (SIGTERM); what was written is kept."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"signal {signum}")


@dataclass
class ScanResult:
    cards: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # ids kept from a previous run (--resume)

    @property
    def scanned(self) -> int:
        return sum(1 for c in self.cards if c and c.get("status") in ("complete", "partial"))


def run_scan(
    demarches: list[Demarche],
    rules: Rules,
    out_dir: Path,
    *,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    resume: bool = False,
    on_skip: Callable[[dict[str, Any]], None] | None = None,
    progress: ScanProgress | None = None,
    **scan_kwargs: Any,
) -> ScanResult:
    """Scan ``demarches`` (already effective: defaults applied) into ``out_dir``.

    Each démarche is checked, scored and written (atomically) in a worker
    thread as soon as its walk ends (``handle``), while the browser walks the
    next ones; ``progress`` is told about walks and finished scorecards.  So
    an interruption — Ctrl-C, SIGTERM, a crash — loses only the démarches in
    progress; ``resume=True`` then skips those already done for the same
    configuration (see ``auditor.run.resume``).  The index is rewritten even
    when the run is interrupted."""
    import signal

    from .collect.page_audit import redact_tree
    from .collect.runner import ScanOptions, scan
    from .config import secret_values
    from .run.resume import clean_stale_temp_files, config_digest, is_done, scan_options

    opts = ScanOptions(out_dir=out_dir, progress=progress, **scan_kwargs)
    clean_stale_temp_files(out_dir)
    skipped: list[dict[str, Any]] = []
    todo = list(demarches)
    if resume:
        options = scan_options(opts.block_third_party, opts.probes)
        todo = []
        for d in demarches:
            public = redact_tree(d.public_dict(), tuple(secret_values(d, opts.environ)))
            if is_done(out_dir, d.id, config_digest(public, rules.digest, options)):
                card = read_json(out_dir / d.id / "scorecard.json")
                skipped.append(card)
                if on_skip:
                    on_skip(card)
            else:
                todo.append(d)

    def handle(capture: Capture) -> dict[str, Any] | None:
        try:
            card = process_capture(capture, rules, out_dir, reuse_checks=opts.cache)
        except Exception as exc:  # a bug in a check or a writer must not cost the other démarches
            import sys

            print(f"Erreur interne en écrivant la fiche de « {capture.id} » : {type(exc).__name__}: {exc}",
                  file=sys.stderr, flush=True)
            return None
        if progress is not None:
            progress.demarche_done(card)
        if on_done:
            on_done(card)
        return card

    async def main() -> list[Any]:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        terminated: list[int] = []

        def on_term() -> None:
            terminated.append(signal.SIGTERM)
            if task is not None:
                task.cancel()

        try:
            loop.add_signal_handler(signal.SIGTERM, on_term)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
            pass
        try:
            return await scan(todo, rules, opts, handle)
        except asyncio.CancelledError:
            if terminated:
                raise ScanInterrupted(terminated[0]) from None
            raise
        finally:
            try:
                loop.remove_signal_handler(signal.SIGTERM)
            except (NotImplementedError, RuntimeError, ValueError):
                pass

    if todo:
        import threading

        threading.Thread(target=warm_up, name="auditor-warm-up", daemon=True).start()
    try:
        cards = asyncio.run(main()) if todo else []
    finally:
        if progress is not None:
            progress.close()
        write_index(out_dir)  # with every scorecard on disk, also after an interruption
    return ScanResult(cards=skipped + cards, skipped=[c["id"] for c in skipped])
