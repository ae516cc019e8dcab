"""Text helpers of the alternatives check: plain typography, excerpts, sentences.

French pages write the same thing with many typographic variants (non-breaking
spaces, curly apostrophes); making them plain once keeps the patterns of
``rules/alternatives.yaml`` simple.  Excerpts are what a scorecard shows as
evidence, so they are cut at word boundaries.
"""

from __future__ import annotations

import re

from ..model import PageImage
from .alternatives_context import squash

_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\u200a\f\v]")
_APOS = re.compile(r"[\u2019\u2018\u02bc`´]")
_DASHES = re.compile(r"[\u2010\u2011]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý«\"(])")


def normalise_text(text: str) -> str:
    """Same text, with the typographic variants French pages use (non-breaking
    and thin spaces, curly apostrophes, non-breaking hyphens) made plain, so
    that patterns in rules/ stay simple.  Tabs stay: they part table cells,
    and a number followed by a price in the next cell must end at the cell.
    Lengths change only for CRLF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _APOS.sub("'", text)
    return _DASHES.sub("-", text)


def excerpt(text: str, start: int, end: int, width: int) -> str:
    """A readable excerpt of ``text`` around [start, end), at most ``width``
    characters, cut at word boundaries, with an ellipsis where cut."""
    text_len = len(text)
    pad = max(0, (width - (end - start)) // 2)
    a, b = max(0, start - pad), min(text_len, end + pad)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < text_len:
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    out = squash(text[a:b])
    return ("… " if a > 0 else "") + out + (" …" if b < text_len else "")


def line_excerpt(text: str, start: int, end: int, width: int) -> str:
    """Excerpt of the line holding [start, end); a short line (a number alone
    under its heading) is shown with the lines just around it."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b == -1 else b
    if b - a < width // 3:
        prev = text.rfind("\n", 0, max(a - 1, 0)) + 1 if a > 0 else a
        nxt = text.find("\n", b + 1) if b < len(text) else -1
        a = prev
        b = len(text) if (b < len(text) and nxt == -1) else (nxt if nxt != -1 else b)
    return excerpt(text[a:b], start - a, end - a, width)


def sentences(line: str) -> list[tuple[int, str]]:
    """Sentences of one line, with their offset in the line."""
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(line):
        out.append((pos, line[pos : m.start()]))
        pos = m.end()
    out.append((pos, line[pos:]))
    return [(o, s) for o, s in out if s.strip()]



def _context_text(img: PageImage) -> str | None:
    """Text of the closest ancestor (up to three levels) that has any, or
    None when there is none: the words an image is shown with."""
    for raw in img.context:
        text = normalise_text(raw)
        if text.strip():
            return squash(text)
    return None
