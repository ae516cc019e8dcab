"""Years a request names: plain years, school years ("2023-2024"), ``N``,
``N-1``, "l'année précédente", "il y a deux ans", "l'avant-dernier exercice".

Two requests of one document for different years are two documents; a
long help counts only for years it anchors to a document ("revenus 2023",
"année scolaire 2024"), not for the decree numbers and dates it also holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import normalise

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SCHOOL_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d) (\d{4}|\d{2})\b")
_N_MINUS = re.compile(r"\b(?:annee )?n (?:moins )?([1-5])\b")
_N_MINUS_RAW = re.compile(r"\bN\s*[-–]\s*([1-5])\b")
_N_ALONE = re.compile(r"\bannee n\b(?! \d)")
# « Rapport d'activité d'il y a deux ans », « comptes de l'avant-dernier exercice »
_YEARS_AGO = re.compile(r"\bil y a (deux|trois|quatre|cinq|[2-5]) ans\b")
_COUNT = {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5"}
_BEFORE_LAST = re.compile(r"\bavant derni(?:er|ere)s? (?:exercice|annee|bilan|compte)")
_PREV_YEAR = re.compile(r"\bannee (?:precedente|derniere|passee|ecoulee)\b")
_CUR_YEAR = re.compile(r"\bannee (?:en cours|actuelle)\b")
_HINT_YEAR = re.compile(
    r"\b(?:revenus?|annee|avis|imposition|impot|exercice|scolaire|universitaire|campagne|session|rentree)"
    r"(?: (?:de|d|des|du|sur|les|le|la))* (19[5-9]\d|20[0-4]\d)\b"
)


class PeriodsMixin:
    """Periods for :class:`~auditor.documents.taxonomy.Taxonomy`; reads nothing of it."""

    def periods(self, text: str) -> list[str]:
        """Years and relative years (``N``, ``N-1``) a text names."""
        out: set[str] = set()
        for m in _N_MINUS_RAW.finditer(text or ""):
            out.add(f"N-{m.group(1)}")
        norm = normalise(text or "")
        # a school or academic year ("2023-2024", "2023/24") is one period
        for m in _SCHOOL_YEAR.finditer(norm):
            y, nxt = int(m.group(1)), m.group(2)
            if (len(nxt) == 2 and (y + 1) % 100 == int(nxt)) or (len(nxt) == 4 and int(nxt) == y + 1):
                out.add(f"{y}-{y + 1}")
                norm = norm[: m.start()] + " " * (m.end() - m.start()) + norm[m.end():]
        out.update(_YEAR.findall(norm))
        if not any(p.startswith("N-") for p in out):
            for m in _N_MINUS.finditer(norm):
                if m.group(0).startswith("annee") or " moins " in m.group(0):
                    out.add(f"N-{m.group(1)}")
        if _N_ALONE.search(norm) or _CUR_YEAR.search(norm):
            out.add("N")
        if _PREV_YEAR.search(norm):
            out.add("N-1")
        m = _YEARS_AGO.search(norm)
        if m:
            out.add(f"N-{_COUNT.get(m.group(1), m.group(1))}")
        if _BEFORE_LAST.search(norm):
            out.add("N-2")
        return sorted(out)

    @lru_cache(maxsize=100_000)
    def _hint_periods(self, text: str) -> tuple[str, ...]:
        """Years a long help text anchors to a document ("revenus 2023",
        "année scolaire 2024"), ignoring decree numbers and dates."""
        norm = normalise(text or "")
        out = set(_HINT_YEAR.findall(norm))
        for m in _N_MINUS_RAW.finditer(text or ""):
            out.add(f"N-{m.group(1)}")
        return tuple(sorted(out))

    def hint_periods(self, text: str) -> list[str]:
        """Years a long help text anchors to a document ("revenus 2023",
        "année scolaire 2024"), ignoring decree numbers and dates."""
        return list(self._hint_periods(text))
