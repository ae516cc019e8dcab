"""The one scale of every horizontal bar chart the reports draw.

Three pictures draw bars (the index's rules and documents, the portfolio's
APIs, the catalogue's most requested documents); each lays out its labels
its own way, but all share this: one row per item, bars proportional to
the largest value, a minimum width so that a small non-zero value stays
visible.  The templates draw the SVG; they also give every figure as text.
"""

from __future__ import annotations

from typing import Iterable


def scale_bars(values: Iterable[float], span: float, step: float, *, min_w: float = 2.0,
               zero_w: float | None = None) -> list[tuple[float, float]]:
    """``(y, width)`` of each bar: row ``i`` at ``i * step``, width ``span × value / max``
    (at least ``min_w``; ``zero_w`` when given is the width of a zero value)."""
    vals = list(values)
    top = max(vals, default=0) or 1
    out = []
    for i, v in enumerate(vals):
        w = max(min_w, span * v / top)
        if zero_w is not None and not v:
            w = zero_w
        out.append((i * step, w))
    return out


def shorten(text: str, limit: int) -> str:
    """A label cut to ``limit`` characters with an ellipsis (the whole label is in the text equivalent)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
