"""What to call each step: the question the user sees, not the page title.

Single-page démarches keep one ``<title>`` for every step (« Simulateur
d'aides »), so a journey named by titles reads forty times the same words.
A step is named by what it asks: the legend of its fields' group, else its
first heading, else the label of its only field, else its title — skipping
words every step repeats (the site's name in a heading, a shared legend).
Pure: it reads the captured pages only.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from .model import Control, PageCapture

_FIELD_TAGS = ("input", "select", "textarea")
_NOT_FIELDS = ("hidden", "submit", "button", "reset", "image")
MAX_CHARS = 120


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def _fields(page: PageCapture) -> list[Control]:
    """The visible fields of the page's content, a radio or checkbox group counted once."""
    out: list[Control] = []
    seen: set[str] = set()
    for c in page.controls:
        if c.tag not in _FIELD_TAGS or c.type in _NOT_FIELDS or not c.visible or c.frame_url \
                or c.region not in ("main", ""):
            continue
        key = f"{c.type}:{c.name}" if c.type in ("radio", "checkbox") and c.name else c.selector
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def candidates(page: PageCapture) -> list[str]:
    """Possible names of a step, best first."""
    out: list[str] = []
    fields = _fields(page)
    legend = next((c.legend.strip().splitlines()[-1] for c in fields if c.legend.strip()), "")
    if legend:
        out.append(legend)
    out += [h for h in page.headings[:4] if h]
    if len(fields) == 1 and fields[0].label:
        out.append(fields[0].label)
    if page.title:
        out.append(page.title)
    return [n for n in (_clean(x) for x in out) if n]


def step_names(pages: Iterable[PageCapture]) -> dict[int, str]:
    """index → name of every step page (a name given by the auditor's
    script is kept).  A candidate found on most steps (at least two) is the
    site's furniture, not a question, and is passed over."""
    steps = [p for p in pages if p.kind == "step"]
    cands = {p.index: candidates(p) for p in steps}
    counts = Counter(n for names in cands.values() for n in set(names))
    shared = {n for n, k in counts.items() if k >= 2 and k > len(steps) / 2}
    out: dict[int, str] = {}
    for p in steps:
        if p.name:
            out[p.index] = p.name
            continue
        names = cands[p.index]
        out[p.index] = next((n for n in names if n not in shared), names[0] if names else "") or p.url
    return out
