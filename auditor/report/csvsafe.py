"""CSV files that are safe to open in a spreadsheet (shared by every CSV export).

Cells come from audited pages (titles, labels, phone numbers…), so a hostile
page could plant ``=HYPERLINK(…)`` or ``=cmd|…`` in a report that an editor
then opens in Excel or LibreOffice ("CSV injection").  ``neutralise`` prefixes
every text cell whose first non-blank character is ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (or their full-width forms) with an
apostrophe, so the spreadsheet shows it as text and never evaluates it.
Every text cell is also quoted, so a ``;`` inside a cell cannot start a new
cell in a spreadsheet that splits on semicolons (French Excel).

Files are UTF-8 *with* a byte-order mark: without it Excel reads UTF-8 as
Windows-1252 and mangles every accent (« démarche » → « dÃ©marche »);
LibreOffice, Python (``encoding="utf-8-sig"``), pandas and R all skip it.
Lines end with CRLF as RFC 4180 says.  Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..fileio import write_bytes

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """A cell value safe for a spreadsheet: numbers stay numbers, booleans
    become « Oui » / « Non », ``None`` an empty cell, and text that a
    spreadsheet would take for a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, (int, float)):
        return value
    s = str(value)
    stripped = s.lstrip(" \u00a0")
    if stripped.startswith(FORMULA_TRIGGERS) or s.startswith(FORMULA_TRIGGERS):
        return "'" + s
    return s


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """The CSV document (header + rows), every cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return (BOM if bom else "") + buf.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Path:
    """Write a spreadsheet-safe CSV atomically (see the module docstring)."""
    write_bytes(path, csv_text(header, rows, bom=bom).encode("utf-8"))
    return path
