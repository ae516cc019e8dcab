"""Incremental rescans: axe results of a page whose DOM has not changed.

axe is most of the browser time of a scan.  An observatory rescans the same
démarches week after week and most pages do not change, so the axe results
of a page are kept under the report folder (``reports/.cache/axe/``), keyed
by what decides them:

- the serialised DOM of the page and of each of its frames (as audited,
  after scripts ran and the walk filled the form),
- the axe-core version (a new axe finds other things),
- the digest of ``rules/`` (an auditor who changes a rule wants a fresh
  audit, even when today no rule feeds axe itself).

A page that comes back with the same key skips axe, and its screenshot and
what the probes recorded (keyboard walk, reflow, text spacing) are taken
from the cache too (same DOM, same viewport, same probes); ``--no-cache``
forces a full scan.  Failed or timed-out axe runs are never stored, so a page that
needed review is audited again next time.  Entries are small JSON files
written atomically, so concurrent démarches and an interrupted scan never
leave a half-written entry behind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fileio import write_bytes, write_text

CACHE_FORMAT = 2  # 2: the DOM is serialised in the page with the extraction


def dom_key(html: str, frames: list[tuple[str, str]]) -> str:
    """Digest of a page's DOM: the main document and every child frame
    (URL and serialised document), in frame order."""
    h = hashlib.sha256()
    h.update(html.encode("utf-8", "replace"))
    for url, content in frames:
        h.update(b"\0frame\0" + url.encode("utf-8", "replace") + b"\0" + content.encode("utf-8", "replace"))
    return h.hexdigest()


@dataclass
class AxeCache:
    """Axe results by page DOM, axe version and rules digest.

    ``hits`` / ``misses`` count lookups so that a scan (and the benchmark)
    can say how much of it was served from the cache."""

    root: Path
    axe_version: str
    rules_digest: str
    hits: int = 0
    misses: int = 0
    # no entry at all when the scan started (first scan into this folder,
    # cache just cleared): every page will run axe, so it is installed up front
    cold: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        try:
            self.cold = not any((self.root / "axe").iterdir())
        except OSError:
            self.cold = True

    def key(self, dom: str) -> str:
        raw = f"{CACHE_FORMAT}\0{self.axe_version}\0{self.rules_digest}\0{dom}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / "axe" / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored ``{"violations": [...], "incomplete": [...]}``, or None."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(data, dict) or not isinstance(data.get("violations"), list) \
                or not isinstance(data.get("incomplete"), list):
            self.misses += 1
            return None
        self.hits += 1
        return data

    def _shot_path(self, key: str, viewport: str) -> Path:
        return self.root / "shots" / key[:2] / f"{key}-{viewport}.jpg"

    def get_shot(self, key: str, viewport: str) -> tuple[bytes, dict[str, int]] | None:
        """The screenshot taken of the same DOM at the same viewport, with
        its CSS size, or None."""
        path = self._shot_path(key, viewport)
        try:
            size = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(size, dict) or not data:
            return None
        return data, size

    def put_shot(self, key: str, viewport: str, data: bytes, size: dict[str, int]) -> None:
        path = self._shot_path(key, viewport)
        try:
            write_bytes(path, data)
            write_text(path.with_suffix(".json"), json.dumps(size))
        except OSError:
            pass

    def _probes_path(self, key: str, viewport: str, names: list[str]) -> Path:
        tag = hashlib.sha256(",".join(sorted(names)).encode()).hexdigest()[:8]
        return self.root / "probes" / key[:2] / f"{key}-{viewport}-{tag}.json"

    def get_probes(self, key: str, viewport: str, names: list[str]) -> dict[str, Any] | None:
        """What the probes recorded on the same DOM at the same viewport (same probes asked), or None.
        Like the screenshot, they depend on layout as well as on the DOM: the viewport is in the key."""
        try:
            data = json.loads(self._probes_path(key, viewport, names).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or set(data) != set(names):
            return None
        return data

    def put_probes(self, key: str, viewport: str, names: list[str], probes: dict[str, Any]) -> None:
        if set(probes) != set(names) or any(isinstance(v, dict) and v.get("error") for v in probes.values()):
            return  # a probe that failed is run again next time, as axe is
        try:
            write_text(self._probes_path(key, viewport, names),
                       json.dumps(probes, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass

    def _submit_path(self, key: str, viewport: str) -> Path:
        return self.root / "probes" / key[:2] / f"{key}-{viewport}-vide.json"

    def get_submit(self, key: str, viewport: str) -> dict[str, Any] | None:
        """What the empty submission (``probes/empty_submit.py``) recorded on the same DOM at the same
        viewport (with the control that sent it: on the same DOM the walk chooses the same one), or None."""
        try:
            data = json.loads(self._submit_path(key, viewport).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("ran") else None

    def put_submit(self, key: str, viewport: str, result: dict[str, Any]) -> None:
        try:
            write_text(self._submit_path(key, viewport),
                       json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass

    def put(self, key: str, violations: list[dict[str, Any]], incomplete: list[dict[str, Any]],
            reused: list[dict[str, Any]] | None = None) -> None:
        """Store a page's axe results; ``reused``: the shared regions whose
        results came from another page (``chrome.py``), which a rescan reports again."""
        path = self._path(key)
        try:
            write_text(path, json.dumps({"violations": violations, "incomplete": incomplete, "reused": reused or []},
                                        ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass  # a read-only or full disk costs the next scan some time, never this one's results
