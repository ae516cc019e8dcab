"""The JavaScript the collector runs in pages, read from this folder once
per process (each file is a function expression evaluated in the page,
except ``prelude.js``: declarations a probe includes, see ``expand``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent

# a line that is only ``/* @include prelude.js */`` (a path below this folder)
_INCLUDE = re.compile(r"^[ \t]*/\* @include ([\w./-]+\.js) \*/[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=None)
def _included(name: str) -> str:
    """The text of ``name`` put in place of its include line (read once, without its last newline)."""
    return (HERE / name).read_text(encoding="utf-8").rstrip("\n")


def expand(source: str) -> str:
    """``source`` with each line ``/* @include NAME.js */`` replaced by the
    text of that file of this folder, so that the probes' scripts (files and
    the inline strings of reflow.py and spacing.py alike) define their shared
    helpers once, in ``prelude.js``.  One level: an included file's own
    include lines are not expanded.  Callers keep the result (``js`` caches
    it; a module computes its inline scripts once, at import)."""
    return _INCLUDE.sub(lambda m: _included(m.group(1)), source)


@lru_cache(maxsize=None)
def js(name: str) -> str:
    """The source of ``name`` (``extract.js``, ``state.js``…), read once, its include lines expanded."""
    return expand((HERE / name).read_text(encoding="utf-8"))
