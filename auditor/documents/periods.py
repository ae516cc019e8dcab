"""Years a request names: plain years, school years ("2023-2024"), ``N``,
``N-1``, "l'année précédente", "il y a deux ans", "l'avant-dernier exercice".

Two requests of one document for different years are two documents; a
long help counts only for years it anchors to a document ("revenus 2023",
"année scolaire 2024"), not for the decree numbers and dates it also holds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .text import normalise

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SCHOOL_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d) (\d{4}|\d{2})\b")
_N_MINUS = re.compile(r"\b(?:annee )?n (?:moins )?([1-5])\b")
_N_MINUS_RAW = re.compile(r"\bN\s*[-–]\s*([1-5])\b")
_N_PLUS_RAW = re.compile(r"\bN\s*\+\s*([1-5])\b")  # « certificat de scolarité de l'année N+1 »: next year's
_N_ALONE = re.compile(r"\bannee n\b(?! \d)")
# « Rapport d'activité d'il y a deux ans », « comptes de l'avant-dernier exercice »
_YEARS_AGO = re.compile(r"\bil y a (deux|trois|quatre|cinq|[2-5]) ans\b")
_COUNT = {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5"}
_BEFORE_LAST = re.compile(r"\bavant derni(?:er|ere)s? (?:exercice|annee|bilan|compte)")
_PREV_YEAR = re.compile(r"\bannee (?:precedente|derniere|passee|ecoulee)\b")
_CUR_YEAR = re.compile(r"\bannee (?:en cours|actuelle)\b")
# « du 1/01 au 31/03/2022 », « du 1er avril au 31 décembre » : a stretch within a year (read on the raw text, whose
# slashes normalising would drop)
_MONTHS = {m: k for k, m in enumerate(("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                        "septembre", "octobre", "novembre", "decembre"), start=1)}
_DAY_MONTH = r"(\d{1,2})(?:er)?\s*(?:[/.]\s*(\d{1,2})|\s+(" + "|".join(_MONTHS) + r"))(?:\s*[/.]?\s*(?:19|20)?\d{2})?"
_RANGE = re.compile(r"\bdu\s+" + _DAY_MONTH + r"\s+au\s+" + _DAY_MONTH)
# « 1er semestre 2023 », « 2e trimestre » : a part of the year
_PART_OF_YEAR = re.compile(r"\b(1er|1ere|premier|premiere|2e|2eme|2nd|2nde|second|seconde|deuxieme|3e|3eme|troisieme|"
                           r"4e|4eme|quatrieme) (semestre|trimestre)\b")
_PART_NUMBER = {"1er": 1, "1ere": 1, "premier": 1, "premiere": 1, "2e": 2, "2eme": 2, "2nd": 2, "2nde": 2,
                "second": 2, "seconde": 2, "deuxieme": 2, "3e": 3, "3eme": 3, "troisieme": 3, "4e": 4, "4eme": 4,
                "quatrieme": 4}
_HINT_YEAR = re.compile(
    r"\b(?:revenus?|annee|avis|imposition|impot|exercice|scolaire|universitaire|campagne|session|rentree)"
    r"(?: (?:de|d|des|du|sur|les|le|la|clos|close|clot|cloture|clotures|en|au))* (19[5-9]\d|20[0-4]\d)\b"
)


class PeriodsMixin:
    """Periods for :class:`~auditor.documents.taxonomy.Taxonomy`; reads nothing of it."""

    def periods(self, text: str) -> list[str]:
        """Years and relative years (``N``, ``N-1``) a text names."""
        out: set[str] = set()
        for m in _N_MINUS_RAW.finditer(text or ""):
            out.add(f"N-{m.group(1)}")
        for m in _N_PLUS_RAW.finditer(text or ""):
            out.add(f"N+{m.group(1)}")
        norm = normalise(_N_PLUS_RAW.sub(" ", text or ""))  # « N+1 » is not « N 1 » read as N-1
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
        out.update(_within_year(text or "", norm))
        return sorted(out)

    @lru_cache(maxsize=100_000)
    def _hint_periods(self, text: str) -> tuple[str, ...]:
        """Years a long help text anchors to a document ("revenus 2023",
        "année scolaire 2024"), ignoring decree numbers and dates."""
        norm = normalise(text or "")
        out = set(_HINT_YEAR.findall(norm))
        if _CUR_YEAR.search(norm):
            out.add("N")  # « Certificat de scolarité pour l'année en cours »
        for m in _N_MINUS_RAW.finditer(text or ""):
            out.add(f"N-{m.group(1)}")
        return tuple(sorted(out))

    def hint_periods(self, text: str) -> list[str]:
        """Years a long help text anchors to a document ("revenus 2023",
        "année scolaire 2024"), ignoring decree numbers and dates."""
        return list(self._hint_periods(text))


def _within_year(raw: str, norm: str) -> set[str]:
    """Stretches of a year a text names: « du 1/01 au 31/03 » → ``1/1-31/3``, « 2e semestre » → ``S2``.
    Two reports of one year for two stretches are two documents."""
    out: set[str] = set()
    plain = "".join(ch for ch in unicodedata.normalize("NFD", raw.lower()) if not unicodedata.combining(ch))
    for m in _RANGE.finditer(plain):
        d1, m1, n1, d2, m2, n2 = m.groups()
        start, end = f"{int(d1)}/{int(m1) if m1 else _MONTHS[n1]}", f"{int(d2)}/{int(m2) if m2 else _MONTHS[n2]}"
        if (start, end) != ("1/1", "31/12"):  # the whole year says no more than the year
            out.add(f"{start}-{end}")
    for m in _PART_OF_YEAR.finditer(norm):
        out.add(f"{'S' if m.group(2) == 'semestre' else 'T'}{_PART_NUMBER[m.group(1)]}")
    return out
