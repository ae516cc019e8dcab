"""Escaping what audited pages say, for every output format.

Titles, labels, texts, URLs and HTML excerpts come from sites we do not
control: in a report they must stay text.  HTML goes through Jinja2's
autoescaping plus ``html.safe_url``; the other writers call these helpers:

- ``csv_cell``: spreadsheet formula injection (a cell starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
  Excel/LibreOffice) — such text cells get a leading apostrophe;
- ``xml_text``: JUnit XML (text and attribute values), including the
  control characters XML 1.0 cannot carry even escaped;
- ``md_text`` / ``md_code`` / ``md_link``: Markdown for PR comments and
  ``$GITHUB_STEP_SUMMARY`` (no raw HTML, no link or image syntax, no table
  break-out, ``javascript:`` never a link);
- ``plain_text``: one-line text for logs and SARIF ``message.text``.
"""

from __future__ import annotations

import re
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs.

    Numbers stay numbers (a negative amount is not an attack); text that a
    spreadsheet would read as a formula gets a leading ``'``, the convention
    spreadsheets themselves use for "this is text"."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) or text.lstrip(" ").startswith(("=", "+", "@")):
        return "'" + text
    return text


# XML 1.0 allows \t \n \r and everything from U+0020 except surrogates and U+FFFE/U+FFFF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """Text safe inside an XML element or a quoted attribute: the five
    special characters escaped, characters XML cannot carry removed."""
    text = _XML_ILLEGAL.sub("", "" if value is None else str(value))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def xml_clean(value: Any) -> str:
    """Only remove the characters XML cannot carry (for libraries such as
    ElementTree that escape by themselves but choke on those)."""
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def plain_text(value: Any, limit: int | None = None) -> str:
    """One line of text: control characters and line breaks become spaces."""
    text = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", "" if value is None else str(value)).strip()
    text = re.sub(r" {2,}", " ", text)
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text


def md_text(value: Any, limit: int | None = None) -> str:
    """Text shown as-is in Markdown (GitHub flavour), also inside a table
    cell: Markdown punctuation backslash-escaped, ``<``/``>``/``&`` as
    entities (no raw HTML), line breaks removed (a newline would end a
    table row)."""
    text = plain_text(value, limit)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # ">" was backslash-escaped above; an entity is safer in every renderer
    return text.replace("\\>", "&gt;")


def md_code(value: Any, limit: int | None = None) -> str:
    """Inline code (selectors, HTML excerpts): a backtick fence longer than
    any backtick run inside, on one line.  Pipes are escaped so the span
    cannot split a table row."""
    text = plain_text(value, limit)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def md_link(text: Any, url: Any) -> str:
    """A Markdown link when ``url`` is http(s), else the escaped text alone
    (a ``javascript:`` or ``data:`` URL never becomes a link)."""
    label = md_text(text) or md_text(url)
    u = str(url or "").strip()
    if not re.match(r"^https?://[^\s<>()]+$", u, re.IGNORECASE):
        return label
    return f"[{label}]({u})"
