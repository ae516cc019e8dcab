"""The small formatting filters of the HTML reports, in French.

Dates, numbers, plurals, the observatory levels' badges and safe links: the
templates call them as Jinja filters (``render.html.environment``) and the
page and index builders reuse them, so they live apart from both; none of
them reads a template.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

# Observatory levels → tone (colour family), symbol (so that colour is never
# the only signal) and rank (sort order: best first).
LEVEL_TONES: dict[str | None, tuple[str, str, int]] = {
    "Oui": ("bon", "✓", 1), "Optimal": ("bon", "✓", 1), "FranceConnect +": ("bon", "✓", 1),
    "FranceConnect": ("bon", "✓", 2),
    "Partiel": ("moyen", "◐", 3),
    "Non": ("mauvais", "✗", 4), "Faible": ("mauvais", "✗", 4),
    "Non applicable": ("neutre", "–", 5),
    "À vérifier": ("inconnu", "?", 6),  # the walk did not see enough (online, jdma, pdf)
    None: ("inconnu", "?", 6),
}
UNKNOWN_LEVEL = "Non vérifié"

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]


def safe_url(url: Any) -> str:
    """Only http(s), mailto, tel and relative links survive; anything else
    (``javascript:``, ``data:``, also spelt with tabs or newlines inside,
    which browsers drop) becomes ``#``."""
    s = str(url or "").strip()
    low = re.sub(r"[\x00-\x20]", "", s).lower()
    if low.startswith(("http://", "https://", "mailto:", "tel:", "#", "/", "./", "../")):
        return s
    if ":" not in low.split("/")[0].split("?")[0].split("#")[0]:
        return s  # relative path
    return "#"


def date_fr(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        d = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return f"{d.day} {MONTHS_FR[d.month - 1]} {d.year} à {d.hour:02d} h {d.minute:02d} (UTC)"


def date_court(iso: str | None) -> str:
    """``2026-11-27T10:00:00Z`` → ``27/11/2026`` (table cells)."""
    try:
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00")).strftime("%d/%m/%Y")
    except ValueError:
        return "—"


def nombre(n: Any) -> str:
    try:
        return f"{int(n):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return str(n)


def secondes(ms: Any) -> str:
    """``15512`` ms → ``15,5 s`` (French decimal comma)."""
    try:
        return f"{float(ms) / 1000:.1f}".replace(".", ",") + "\u00a0s"
    except (TypeError, ValueError):
        return "—"


def pluriel(n: Any, singular: str, plural: str | None = None) -> str:
    """``3 anomalies``, ``1 anomalie``, ``0 anomalie`` (French: 0 and 1 are singular)."""
    try:
        k = int(n)
    except (TypeError, ValueError):
        k = 0
    return f"{nombre(n)} {singular if abs(k) < 2 else (plural or singular + 's')}"


def level_class(level: Any) -> str:
    if not level:
        return "inconnu"
    return str(level).lower().replace(" +", "-plus").replace(" ", "-")


def level_info(level: Any) -> dict[str, Any]:
    """What a badge needs: label (never empty), tone class, symbol, sort rank."""
    tone, icon, rank = LEVEL_TONES.get(level, ("neutre", "•", 5))
    return {"label": level or UNKNOWN_LEVEL, "tone": tone, "icon": icon, "rank": rank, "cls": level_class(level)}


def slug(s: Any) -> str:
    """A safe fragment for an HTML id."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(s).lower()).strip("-") or "x"
