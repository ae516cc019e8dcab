"""The JavaScript the collector runs in pages, read from this folder once
per process (each file is a function expression evaluated in the page)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def js(name: str) -> str:
    """The source of ``name`` (``extract.js``, ``state.js``…), read once."""
    return (HERE / name).read_text(encoding="utf-8")
