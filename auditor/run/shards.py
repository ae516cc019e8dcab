"""Sharding a large portfolio over several CI runners, and merging their outputs.

``auditor scan --shard K/N`` keeps the démarches whose id hashes to K among N
(SHA-256 of the id, so the split depends on nothing but the ids: every
runner computes the same partition, a démarche stays in its shard when
others are added, and no list has to be shared between jobs).

``auditor merge DIR ...`` gathers the per-démarche folders
(``<id>/scorecard.json`` with its HTML, capture and screenshots) found in
shard outputs — at any depth, since CI artifact downloads nest them — into
one folder, then the CLI rebuilds ``index.html`` and every export from
the merged scorecards, exactly as an unsharded scan would have.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TypeVar

from ..fileio import copy_file, read_json

T = TypeVar("T")


class ShardError(ValueError):
    """A --shard value that is not K/N (message in French)."""


def parse_shard(value: str) -> tuple[int, int]:
    """``"2/5"`` → ``(2, 5)``; K counts from 1 like CI matrix indexes do."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value or "")
    if not m:
        raise ShardError(f"--shard : « {value} » n'est pas de la forme K/N (ex. 2/5)")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ShardError(f"--shard : {k}/{n} impossible (il faut 1 ≤ K ≤ N)")
    return k, n


def shard_of(demarche_id: str, n: int) -> int:
    """The shard (1..n) of a démarche id."""
    digest = hashlib.sha256(demarche_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n + 1


def select_shard(items: Sequence[T], k: int, n: int, key: Any = lambda d: d.id) -> list[T]:
    return [d for d in items if shard_of(str(key(d)), n) == k]


@dataclass
class MergeResult:
    ids: list[str] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)  # id → folder it came from
    duplicates: list[str] = field(default_factory=list)  # French messages about ids found twice
    unreadable: list[str] = field(default_factory=list)


def find_demarche_folders(root: Path) -> list[tuple[str, Path, dict[str, Any] | None]]:
    """(id, folder, scorecard) of every ``<id>/scorecard.json`` under ``root``."""
    out = []
    for path in sorted(root.rglob("scorecard.json")):
        try:
            card = read_json(path)
        except (OSError, ValueError):
            out.append((path.parent.name, path.parent, None))
            continue
        if isinstance(card, dict) and card.get("id") == path.parent.name:
            out.append((path.parent.name, path.parent, card))
    return out


def merge_outputs(sources: Sequence[Path], out_dir: Path) -> MergeResult:
    """Copy every démarche folder of ``sources`` into ``out_dir``.  An id found
    in several sources keeps its most recent scan (``scanned_at``); folders
    already inside ``out_dir`` are left where they are."""
    res = MergeResult()
    chosen: dict[str, tuple[Path, dict[str, Any]]] = {}
    for src in sources:
        for did, folder, card in find_demarche_folders(src):
            if card is None:
                res.unreadable.append(str(folder / "scorecard.json"))
                continue
            if did in chosen:
                prev_folder, prev = chosen[did]
                if prev_folder.resolve() == folder.resolve():
                    continue
                keep_new = str(card.get("scanned_at") or "") > str(prev.get("scanned_at") or "")
                res.duplicates.append(
                    f"{did} : présente dans {prev_folder} et {folder} ; "
                    f"analyse la plus récente gardée ({(card if keep_new else prev).get('scanned_at')})")
                if not keep_new:
                    continue
            chosen[did] = (folder, card)
    for did, (folder, _card) in sorted(chosen.items()):
        dest = out_dir / did
        if folder.resolve() != dest.resolve():
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(folder, dest, copy_function=copy_file)  # each file whole, even if interrupted
        res.ids.append(did)
        res.sources[did] = folder
    return res
