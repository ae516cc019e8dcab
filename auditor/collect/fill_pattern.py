"""A value built from an HTML ``pattern`` when no value of the table fits it.

The pattern is parsed with Python's own regular-expression parser and walked
to write a deterministic string that matches it and the field's length limits
(a French postcode, a SIRET, an identifier with letters and digits); a
pattern only JavaScript can read gives no value and the browser judges.
"""

from __future__ import annotations

import re
from typing import Any


def _pattern_ok(pattern: str, value: str) -> bool | None:
    """Does ``value`` match the HTML ``pattern`` (anchored)?  None when the
    pattern is JavaScript-only syntax Python cannot read."""
    try:
        return re.fullmatch(f"(?:{pattern})", value) is not None
    except re.error:
        return None


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
