"""The values a fill pass tries in one field, decided without the browser.

The table's values (``rules/test-data.yaml``: autocomplete token, then the
field's name, id, label and placeholder, then its type) fitted to the field's
own constraints: dates resolved (``today-365``), clamped between ``min`` and
``max`` and written as the field expects them, numbers on the ``step`` grid,
lengths within ``minlength``/``maxlength``, variants that satisfy
``pattern``.  Pure functions of the control and the table, tested without a
page; ``collect.fill`` sends them to the browser, which has the last word.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from ..config import TestDataRules
from ..model import Control
from .fill_pattern import _pattern_ok, sample_for_pattern

DATE_TYPES = ("date", "datetime-local", "month", "week")
RELATIVE_DATE = re.compile(r"^today(?:\s*([+-])\s*(\d+))?$", re.IGNORECASE)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def resolve_date(value: str, today: date) -> date | None:
    """``1990-01-01`` or ``today``, ``today-365``, ``today+30`` → a date."""
    v = value.strip()
    m = RELATIVE_DATE.match(v)
    if m:
        days = int(m.group(2) or 0)
        return today + timedelta(days=days if m.group(1) != "-" else -days)
    m = ISO_DATE.match(v)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _parse_bound(value: str, kind: str) -> date | None:
    """An HTML ``min``/``max`` for a date-like input, as a date."""
    v = value.strip()
    try:
        if kind in ("date", "datetime-local"):
            return date.fromisoformat(v[:10])
        if kind == "month":
            y, mo = v.split("-")[:2]
            return date(int(y), int(mo), 1)
        if kind == "week":
            y, w = v.split("-W")
            return date.fromisocalendar(int(y), int(w), 1)
    except (ValueError, TypeError):
        return None
    return None


def clamp_date(d: date, c: Control) -> date:
    kind = c.type if c.type in DATE_TYPES else "date"
    lo, hi = _parse_bound(c.min, kind), _parse_bound(c.max, kind)
    if lo and d < lo:
        d = lo
    if hi and d > hi:
        if kind == "month":  # the month of max, any day of it is that month
            d = date(hi.year, hi.month, 1)
        else:
            d = hi
    return d


def format_date(d: date, c: Control) -> str:
    """The date as the control expects it: ISO for date inputs, French
    ``JJ/MM/AAAA`` in a text field unless its hint asks for another form."""
    if c.type == "date":
        return d.isoformat()
    if c.type == "datetime-local":
        return f"{d.isoformat()}T10:00"
    if c.type == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if c.type == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    hint = f"{c.placeholder} {c.hint} {c.label}".lower()
    if re.search(r"aaaa-mm-jj|yyyy-mm-dd", hint):
        return d.isoformat()
    if re.search(r"jj/mm/aaaa|dd/mm/yyyy", hint):
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    if re.search(r"\bmm/aaaa\b|\bmm/yyyy\b", hint):
        return f"{d.month:02d}/{d.year:04d}"
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _num(v: str) -> float | None:
    try:
        return float(v.replace(",", ".").replace(" ", ""))
    except (ValueError, AttributeError):
        return None


def _fmt_num(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.6f}".rstrip("0").rstrip(".")


def adjust_number(value: float, c: Control) -> str:
    """``value`` brought between ``min`` and ``max`` and onto the ``step`` grid."""
    lo, hi = _num(c.min), _num(c.max)
    step = _num(c.step) if c.step and c.step.lower() != "any" else None
    if step is None and c.step.lower() != "any":
        step = 1.0 if abs(value - round(value)) < 1e-9 else None
    if lo is not None and value < lo:
        value = lo
    if hi is not None and value > hi:
        value = hi
    if step and step > 0:
        base = lo if lo is not None else 0.0
        k = round((value - base) / step)
        value = base + k * step
        if hi is not None and value > hi:
            value -= step
        if lo is not None and value < lo:
            value += step
    return _fmt_num(value)


def _kind(c: Control) -> str:
    if c.tag == "textarea":
        return "textarea"
    return c.type or "text"


_CAMEL = re.compile(r"(?<=[a-zà-ÿ0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[_\-.\[\]]+")


def _words(identifier: str) -> str:
    """A technical name read as words (``nom_naissance``, ``nomNaissance`` →
    ``nom naissance``), so that ``\\bnom\\b`` sees the name in it before
    « naissance » makes it a date."""
    return " ".join(_SEPARATORS.sub(" ", _CAMEL.sub(" ", identifier)).split())


def _sources(c: Control) -> list[str]:
    """The texts a field is recognised by: name and id as written and as
    words, label, placeholder."""
    out: list[str] = []
    for s in (c.name, c.id):
        if s:
            out.append(s)
            w = _words(s)
            if w != s:
                out.append(w)
    out += [s for s in (c.label, c.placeholder) if s]
    return out


@lru_cache(maxsize=256)
def _rx(pattern: str) -> "re.Pattern[str]":
    return re.compile(pattern, re.IGNORECASE)


def base_values(c: Control, data: TestDataRules) -> list[str]:
    """The table's values for this control, best first."""
    out: list[str] = []
    for token in c.autocomplete.lower().split():
        if token in data.autocomplete and data.autocomplete[token]:
            out.append(data.autocomplete[token])
            break
    kind = _kind(c)
    srcs = _sources(c)
    today = date.today()
    for f in data.fields:
        if f.types and kind not in f.types:
            continue
        # a line whose value cannot go in this kind of field (« allocataire »
        # in « Date de naissance de l'allocataire ») gives way to the next one
        if not _compatible(f.value, c, today):
            continue
        if any(_rx(f.match).search(s) for s in srcs):
            out.append(f.value)
            break
    default = data.types.get(kind) or (data.types.get("text") if kind in ("search", "") else None)
    if default:
        out.append(default)
    return out


def _compatible(value: str, c: Control, today: date) -> bool:
    t = c.type
    if t == "email":
        return "@" in value
    if t == "tel":
        return bool(re.fullmatch(r"[0-9+ ().-]{4,}", value))
    if t in ("number", "range"):
        return _num(value) is not None
    if t in DATE_TYPES:
        return resolve_date(value, today) is not None
    if t == "url":
        return value.startswith(("http://", "https://"))
    if t == "time":
        return bool(re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", value))
    return True


def _fit_length(value: str, c: Control) -> str:
    if c.maxlength is not None and c.maxlength >= 0 and len(value) > c.maxlength:
        value = value[: c.maxlength]
    if c.minlength and len(value) < c.minlength:
        pad = "0" if value.isdigit() else "x"
        value = value + pad * (c.minlength - len(value))
    return value


def adjust(value: str, c: Control, today: date) -> str | None:
    """One table value made to fit the control's type and constraints
    (None when it cannot be)."""
    if not _compatible(value, c, today):
        return None
    if c.type in DATE_TYPES:
        d = resolve_date(value, today)
        return format_date(clamp_date(d, c), c) if d else None
    if c.type in ("number", "range"):
        n = _num(value)
        return adjust_number(n, c) if n is not None else None
    d = resolve_date(value, today) if (RELATIVE_DATE.match(value) or ISO_DATE.match(value)) else None
    if d is not None:
        value = format_date(clamp_date(d, c) if (c.min or c.max) else d, c)
    return _fit_length(value, c)


def candidate_values(c: Control, data: TestDataRules, today: date | None = None) -> list[str]:
    """Values to try for a text-like control, best first: the table's values
    fitted to the constraints, their variants that satisfy ``pattern``,
    then a value built from the pattern itself."""
    today = today or date.today()
    if c.type == "range":
        lo, hi = _num(c.min), _num(c.max)
        lo = 0.0 if lo is None else lo
        hi = 100.0 if hi is None else hi
        return [adjust_number((lo + hi) / 2, c)]
    out: list[str] = []

    def add(v: str | None) -> None:
        if v is not None and v != "" and v not in out:
            out.append(v)

    fitted = [adjust(v, c, today) for v in base_values(c, data)]
    if c.pattern:
        for v in fitted:
            if v is None:
                continue
            for variant in (v, re.sub(r"\s", "", v), re.sub(r"\D", "", v), v.upper(), re.sub(r"[\s.-]", "", v).upper()):
                if _pattern_ok(c.pattern, variant):
                    add(_fit_length(variant, c) if _pattern_ok(c.pattern, _fit_length(variant, c)) else variant)
                    break
        generated = sample_for_pattern(c.pattern, c.minlength or 0, c.maxlength)
        add(generated)
    for v in fitted:
        if v is not None and not (c.pattern and _pattern_ok(c.pattern, v) is False):
            add(v)
    if not out:  # nothing fits the pattern as Python reads it: let the browser judge
        for v in fitted:
            add(v)
    return out
