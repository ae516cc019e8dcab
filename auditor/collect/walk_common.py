"""What the walker's parts share: the dummy file the walk uploads, the HTTP
statuses it waits out, the scope tests and the short form of an error.
Constants and plain functions only (no state): every part of the walker
(``walk``, ``nav_guard``, ``settle``, ``auto_walk``, ``scripted_walk``,
``annexes``) may import them without importing one another."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).parent
SAMPLE_PDF = HERE / "sample.pdf"
THROTTLED = (429, 503)  # « slow down » and « unavailable »: waited for, never audited as the démarche's page


def in_scope(url: str, scope: list[str]) -> bool:
    return any(url.startswith(prefix) for prefix in scope)


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlparse(a), urlparse(b)
    return (pa.scheme, pa.netloc) == (pb.scheme, pb.netloc)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:300]
