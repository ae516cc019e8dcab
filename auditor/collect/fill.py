"""Filling a form with plausible French test data (auto-walk).

The values come from ``rules/test-data.yaml`` (autocomplete token, then the
field's name/id/label/placeholder, then its type) and are adjusted to the
field's own constraints — ``pattern``, ``minlength``/``maxlength``,
``min``/``max``/``step``, dates between ``min`` and ``max`` — because a
démarche that refuses our data stops the walk on its first page.  The
browser has the last word: after each value the field's ``validity`` is
read, and the next candidate is tried when it is refused.

A dummy file goes into every file input, hidden ones included: custom upload
widgets hide the real ``input[type=file]`` behind a button or a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import TestDataRules, WalkRules
from ..model import Control
from .page_call import call, set_files
from .scripts import js as _js

HERE = Path(__file__).parent
SAMPLE_PDF = HERE / "sample.pdf"
SAMPLE_PNG = HERE / "sample.png"
SAMPLE_JPG = HERE / "sample.jpg"

TEXT_TYPES = ("text", "search", "email", "tel", "url", "number", "textarea", "", "password")  # password: account creation only
DATE_TYPES = ("date", "datetime-local", "month", "week")
SKIP_REGIONS = ("banner", "navigation", "contentinfo")
RELATIVE_DATE = re.compile(r"^today(?:\s*([+-])\s*(\d+))?$", re.IGNORECASE)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


# --------------------------------------------------------------------- values


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


def _pattern_ok(pattern: str, value: str) -> bool | None:
    """Does ``value`` match the HTML ``pattern`` (anchored)?  None when the
    pattern is JavaScript-only syntax Python cannot read."""
    try:
        return re.fullmatch(f"(?:{pattern})", value) is not None
    except re.error:
        return None


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


# ---------------------------------------------------------- pattern examples

_PREFERRED_CHARS = "1aA02bB" + "".join(chr(i) for i in range(32, 127))


def _allowed(items: list[tuple[Any, Any]], ch: str) -> bool:
    res, neg = False, False
    o = ord(ch)
    for op, val in items:
        n = str(op)
        if n == "NEGATE":
            neg = True
        elif n == "LITERAL":
            res = res or o == val
        elif n == "RANGE":
            res = res or val[0] <= o <= val[1]
        elif n == "CATEGORY":
            cat = str(val)
            if cat.endswith("NOT_DIGIT"):
                res = res or not ch.isdigit()
            elif cat.endswith("DIGIT"):
                res = res or ch.isdigit()
            elif cat.endswith("NOT_SPACE"):
                res = res or not ch.isspace()
            elif cat.endswith("SPACE"):
                res = res or ch.isspace()
            elif cat.endswith("NOT_WORD"):
                res = res or not (ch.isalnum() or ch == "_")
            elif cat.endswith("WORD"):
                res = res or ch.isalnum() or ch == "_"
    return res != neg


def _pick(pred: Any) -> str:
    for ch in _PREFERRED_CHARS:
        if pred(ch):
            return ch
    for o in range(160, 0x250):
        if pred(chr(o)):
            return chr(o)
    return "a"


def _generate(items: Any, stretch: int, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, av in items:
        n = str(op)
        if n == "LITERAL":
            out.append(chr(av))
        elif n == "NOT_LITERAL":
            out.append(_pick(lambda ch, av=av: ord(ch) != av))
        elif n == "ANY":
            out.append("a")
        elif n == "IN":
            out.append(_pick(lambda ch, av=av: _allowed(av, ch)))
        elif n == "BRANCH":
            out.append(_generate(av[1][0], stretch, groups))
        elif n == "SUBPATTERN":
            group, _add, _del, sub = av
            s = _generate(sub, stretch, groups)
            if group is not None:
                groups[group] = s
            out.append(s)
        elif n == "ATOMIC_GROUP":
            out.append(_generate(av, stretch, groups))
        elif n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            count = lo + stretch
            if hi is not None and str(hi) != "MAXREPEAT" and isinstance(hi, int) and hi < 2**31 - 1:
                count = min(count, hi)
            out.append("".join(_generate(sub, stretch, groups) for _ in range(count)))
        elif n == "GROUPREF":
            out.append(groups.get(av, ""))
        # AT (anchors), ASSERT, ASSERT_NOT, GROUPREF_EXISTS: nothing to write
    return "".join(out)


def sample_for_pattern(pattern: str, min_len: int = 0, max_len: int | None = None) -> str | None:
    """A deterministic string that matches the HTML ``pattern`` and the
    length limits, or None (pattern Python cannot parse, or no luck)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(f"(?:{pattern})")
    except Exception:
        return None
    for stretch in (0, 1, 2, 3, 5, 8, 13, 21, 34, 64):
        try:
            s = _generate(parsed, stretch, {})
        except Exception:
            return None
        if len(s) < min_len:
            continue
        if max_len is not None and len(s) > max_len:
            return None
        if _pattern_ok(pattern, s):
            return s
    return None


def file_for(c: Control) -> Path:
    """The dummy file for an upload field: the PDF unless ``accept`` only
    takes images."""
    accept = c.accept.lower()
    if not accept or "pdf" in accept or "*/*" in accept or "application/" in accept:
        return SAMPLE_PDF
    if "png" in accept or "image/*" in accept:
        return SAMPLE_PNG
    if "jp" in accept:
        return SAMPLE_JPG
    return SAMPLE_PDF


# ---------------------------------------------------------------- in the page


@dataclass
class FillReport:
    """What a fill pass did: controls filled (selectors) and the labels of
    fields the browser still refuses."""

    filled: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _skip(c: Control, walk: WalkRules) -> bool:
    if c.disabled or c.readonly or c.frame_url:
        return True
    if c.region in SKIP_REGIONS:
        return True
    if c.type == "search":
        return True
    if c.type not in ("file", "radio", "checkbox") and c.name and walk.matcher("search_fields").search(c.name):
        return True
    return False


async def fill_page(
    page: Any,
    controls: list[Control],
    data: TestDataRules,
    walk: WalkRules,
    timeout_s: float,
    *,
    done: set[str] | None = None,
    today: date | None = None,
    cdp: Any = None,
    passwords: bool = False,
) -> FillReport:
    """Fill every visible, enabled control of the main frame that is still
    empty.  ``done`` holds the selectors already handled on this step (a
    second pass only fills the fields the first one revealed).  Failures are
    skipped: the click on the next control tells whether the form was
    accepted.

    Each call to the browser costs a round trip through Python, the driver,
    the browser and the renderer, so the pass makes two whatever the number
    of fields: one snapshot of the controls (values, ticks, files, select
    options), then, once every value is decided here, one script that sets
    them all and reports which ones the browser refuses (fill_apply.js tries
    each field's candidates in turn).  File inputs take two DevTools
    messages each (``page_call.set_files``).  ``cdp``: the walk's DevTools
    session, through which these calls go (without it, Playwright's)."""
    t = min(timeout_s, 5) * 1000
    done = set() if done is None else done
    report = FillReport()
    todo = [
        c for c in controls
        if c.selector not in done and not _skip(c, walk) and c.tag in ("input", "select", "textarea")
        and c.type not in ("submit", "button", "reset", "image", "hidden")
        and (passwords or c.type != "password")  # only an account creation gets the test password
        and (c.visible or c.type == "file")
    ]
    if not todo:
        return report
    try:
        snap_list = await call(page, cdp, _js("fill_snapshot.js"), [c.selector for c in todo])
    except Exception:
        return report
    snap = {c.selector: s for c, s in zip(todo, snap_list) if s is not None}
    actions, files = plan(todo, snap, data, walk, today)
    done.update(c.selector for c in todo if c.selector in snap)

    if actions:
        try:
            results = await call(
                page, cdp, _js("fill_apply.js"),
                [{"selector": a.control.selector, "kind": a.kind, "candidates": a.candidates} for a in actions],
            )
        except Exception:
            results = []
        for a, r in zip(actions, results):
            if not r or not r.get("ok"):
                continue
            report.filled.append(a.control.selector)
            if a.kind == "text" and not r.get("valid"):
                c = a.control
                report.refused.append(c.label or c.name or c.selector)

    fast = await set_files(cdp, [(c.selector, [str(Path(file_for(c)).resolve())]) for c in files])
    for c, ok in zip(files, fast):
        if not ok:
            try:
                await page.locator(c.selector).first.set_input_files(str(file_for(c)), timeout=t)
            except Exception:
                continue
        report.filled.append(c.selector)
    return report


@dataclass
class Action:
    """One decision of a fill pass, for fill_apply.js: type the first valid
    candidate (``text``), choose an option by value (``select``) or tick
    (``check``)."""

    control: Control
    kind: str
    candidates: list[str] = field(default_factory=list)


def plan(
    todo: list[Control],
    snap: dict[str, dict[str, Any]],
    data: TestDataRules,
    walk: WalkRules,
    today: date | None = None,
) -> tuple[list[Action], list[Control]]:
    """What to do with each control, given the page's snapshot: the actions
    for fill_apply.js, in page order, and the file inputs still empty.
    Values the service already filled in, choices already made and ticks
    already set are kept."""
    consent = walk.matcher("consent_checkbox")
    required_group = re.compile("|".join(f"(?:{p})" for p in data.required_group) or r"(?!x)x", re.IGNORECASE)
    by_group: dict[str, list[Control]] = {}
    for c in todo:
        if c.type in ("radio", "checkbox") and c.name:
            by_group.setdefault(f"{c.type}:{c.name}", []).append(c)
    groups_done: set[str] = set()
    actions: list[Action] = []
    files: list[Control] = []

    def ticked(members: list[Control]) -> bool:
        return any((snap.get(m.selector) or {}).get("checked") for m in members)

    for c in todo:
        state = snap.get(c.selector)
        if state is None:
            continue
        if c.type == "file":
            if not state.get("files"):
                files.append(c)
        elif c.tag == "select":
            value = choose_option(c, state.get("value", ""), state.get("options") or [], data)
            if value is not None:
                actions.append(Action(c, "select", [value]))
        elif c.type == "radio":
            key = f"radio:{c.name or c.selector}"
            if key in groups_done:
                continue
            groups_done.add(key)
            members = by_group.get(key, [c])
            if not ticked(members):
                first = next((m for m in members if not m.disabled), c)
                actions.append(Action(first, "check"))
        elif c.type == "checkbox":
            if state.get("checked"):
                continue
            must = c.required or bool(consent.search(c.label))
            key = f"checkbox:{c.name}" if c.name else ""
            if not must and key and key not in groups_done and required_group.search(c.legend or ""):
                groups_done.add(key)
                must = not ticked(by_group.get(key, [c]))
            if must:
                actions.append(Action(c, "check"))
        elif c.tag == "textarea" or c.type in TEXT_TYPES or c.type in DATE_TYPES or c.type in ("time", "range"):
            if c.type != "range" and state.get("value"):
                continue  # pre-filled by the service: keep its value
            values = candidate_values(c, data, today)
            if values:
                actions.append(Action(c, "text", values))
    return actions, files


def choose_option(c: Control, current_value: str, options: list[dict[str, Any]], data: TestDataRules) -> str | None:
    """The option to choose in a <select>: the one matching the table's value
    (« France » for a country), else the first real option; None to keep a
    real choice already made, or when there is no real option."""
    placeholder = [_rx(p) for p in data.select_placeholder]

    def real(o: dict[str, Any]) -> bool:
        return not o.get("disabled") and o.get("value", "") != "" \
            and not any(p.search(o.get("text", "")) for p in placeholder)

    current = next((o for o in options if o.get("value") == current_value), None)
    if current is not None and real(current):
        return None
    reals = [o for o in options if real(o)]
    if not reals:
        return None
    wanted = [v.casefold() for v in base_values(c, data)]
    choice = next((o for o in reals if o["text"].casefold() in wanted or o["value"].casefold() in wanted), reals[0])
    return str(choice["value"])
