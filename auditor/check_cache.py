"""Incremental rescans, after the browser: the checks' results of a démarche
whose capture has not changed.

A rescan of an unchanged site already skips axe, the captures and the
probes of every page (``collect/cache.py``); what is left after the walk is
the checks themselves (the search for alternatives, the reading of forms…),
≈ 55 ms of processor per démarche of the bench, in a thread that shares
Python with the walks.  Checks are pure functions of the capture and the
rules (``checks/__init__.py``): the same inputs give the same results, so
those of the previous scan are reused when the key says the inputs are the
same:

- the capture, minus what changes at every scan of an unchanged site and
  no check reads — the load times of the pages, the walk's and the
  documents' durations, the mark of probe records taken from the axe cache
  (``cached``), the time of day of ``scanned_at`` (its day stays: the
  validity of an accessibility declaration is counted from it);
- the digest of ``rules/`` and of the package's own code, so that a new
  rule, a new check or a fixed one always runs.

``tests/test_check_cache.py`` changes every field left out of the key and
asserts that no check's result moves: a check that starts reading one of
them fails there, not silently in a rescan.  The scorecard is still built
(``score.combine``) from the capture of this scan: its load times, its
performance indicator and its dates are today's.  One entry per démarche
(``<report folder>/.cache/checks/<id>.json``), overwritten by each scan;
``--no-cache`` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .checks._mention_declaration import scan_day
from .fileio import write_text
from .model import CheckResult, ErrorRecord

CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The package's own code (Python and the scripts it runs in pages) and
    the rules it ships: any change makes every entry stale."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".js", ".yaml", ".json") and p.is_file()):
        h.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def stable_inputs(capture: dict[str, Any]) -> dict[str, Any]:
    """The capture (as ``Capture.to_dict`` gives it) without what a rescan
    of an unchanged site changes and no check reads."""
    out = {k: v for k, v in capture.items() if k not in ("duration_ms", "scanned_at", "pages", "documents_fetch")}
    # the day is read (declaration validity), as the checks read it; the time is not
    out["scanned_on"] = scan_day(capture.get("scanned_at")).isoformat()
    out["pages"] = [{k: (_uncached(v) if k == "probes" else v) for k, v in p.items() if k != "load_ms"}
                    for p in capture.get("pages") or []]
    fetch = capture.get("documents_fetch")
    out["documents_fetch"] = {k: v for k, v in fetch.items() if k != "duration_ms"} if isinstance(fetch, dict) else fetch
    return out


def _uncached(probes: Any) -> Any:
    """A page's probe records without the mark a rescan puts on those it took from the axe cache
    (``cached``): the first scan and its rescan record the same facts."""
    if not isinstance(probes, dict):
        return probes
    return {name: ({k: v for k, v in rec.items() if k != "cached"} if isinstance(rec, dict) else rec)
            for name, rec in probes.items()}


def checks_key(capture: dict[str, Any], rules_digest: str) -> str:
    raw = json.dumps(stable_inputs(capture), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{code_digest()}\0{rules_digest}\0".encode())
    h.update(raw.encode("utf-8", "replace"))
    return h.hexdigest()


def _path(root: Path, demarche_id: str) -> Path:
    return root / "checks" / f"{demarche_id}.json"


def get(root: Path, demarche_id: str, key: str) -> tuple[list[CheckResult], list[ErrorRecord]] | None:
    """The results stored for this démarche under ``key``, or None (no entry,
    another key, an unreadable file)."""
    try:
        data = json.loads(_path(root, demarche_id).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        results = [CheckResult(key=r["key"], block=r["block"],
                               page_fields={int(i): f for i, f in r["page_fields"].items()})
                   for r in data["results"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return results, []  # only runs without a crashed check are stored


def put(root: Path, demarche_id: str, key: str, results: list[CheckResult], errors: list[ErrorRecord]) -> None:
    """Store the results of a run whose checks all ran: one that crashed
    (an error of stage ``check``) runs again next time."""
    if errors:
        return
    data = {"key": key, "results": [r.to_dict() for r in results]}
    try:
        write_text(_path(root, demarche_id), json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except (OSError, TypeError, ValueError):
        pass
