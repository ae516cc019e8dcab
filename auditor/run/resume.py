"""Going on after an interrupted scan (``auditor scan --resume``).

A démarche is skipped on resume when its ``scorecard.json`` in the output
folder is whole and was produced **for the same configuration**, which means
the same ``config_digest``: a hash of

- the démarche's entry as the scan used it (after ``defaults`` are applied,
  ``${VAR}`` references unresolved: secrets never enter the hash),
- the content of every ``rules/*.yaml`` file (``rules.digest``),
- the scan options that change results (``--block-third-party``),
- the auditor version.

"Whole" means: it parses, it validates against the scorecard schema, and
its status is ``complete`` or ``partial`` (a démarche that ``failed`` — site
down, DNS error — is scanned again: that is usually what one wants after an
outage).  Reports are written atomically (``fileio``), so an interrupted run
leaves either the previous file or the new one, never half of one; stray
temporary files of a killed run are removed at the next scan.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from .. import __version__
from ..fileio import read_json

RESUMABLE_STATUSES = ("complete", "partial")


def scan_options(block_third_party: bool, probes: Any = ()) -> dict[str, Any]:
    """The scan options that change a démarche's result, as its digest records them (the walk writes
    them in the capture, ``--resume`` recomputes them): third-party blocking and the probes run."""
    out: dict[str, Any] = {"block_third_party": bool(block_third_party)}
    if probes:
        out["probes"] = sorted(probes)
    return out


def config_digest(demarche: dict[str, Any], rules_digest: str, scan_options: dict[str, Any] | None = None) -> str:
    """The fingerprint of what decides a démarche's result (see module docstring)."""
    payload = json.dumps(
        {"demarche": demarche, "rules": rules_digest, "options": scan_options or {}, "version": __version__},
        sort_keys=True, ensure_ascii=False, default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def is_done(out_dir: Path, ident: str, digest: str) -> bool:
    """True when ``out_dir/<ident>/scorecard.json`` is whole, for this configuration."""
    from ..schemas import validate_scorecard

    path = out_dir / ident / "scorecard.json"
    try:
        card = read_json(path)
    except (OSError, ValueError):
        return False
    if not isinstance(card, dict) or card.get("config_digest") != digest:
        return False
    if card.get("status") not in RESUMABLE_STATUSES:
        return False
    return not validate_scorecard(card)


def clean_stale_temp_files(out_dir: Path, older_than_s: float = 60.0) -> int:
    """Remove the temporary files a killed run left behind (``.name.XXXX.tmp``,
    see ``fileio``); recent ones may belong to a run still writing."""
    if not out_dir.is_dir():
        return 0
    now = time.time()
    removed = 0
    for tmp in out_dir.rglob(".*.tmp"):
        try:
            if tmp.is_file() and now - tmp.stat().st_mtime > older_than_s:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed
