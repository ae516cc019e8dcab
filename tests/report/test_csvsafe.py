"""CSV injection: no cell a spreadsheet would evaluate, whatever the page said."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from auditor.report.csvsafe import csv_text, neutralise, write_csv


def test_formula_triggers_are_neutralised():
    for bad in ("=1+1", "+33 1 40 00 00 00", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =cmd|' /C calc'!A0",
                "\uff1d1+1", '=HYPERLINK("http://evil")'):
        assert neutralise(bad).startswith("'"), bad
    assert neutralise("Démarche") == "Démarche"
    assert neutralise("a=b") == "a=b"
    assert neutralise(None) == "" and neutralise(True) == "Oui" and neutralise(False) == "Non"
    assert neutralise(-5) == -5 and neutralise(0.62) == 0.62  # our numbers stay numbers


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_no_cell_read_back_can_start_a_formula(cells):
    text = csv_text(["a"] * len(cells), [cells])
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(cells)
    for cell in rows[1]:
        assert not cell.lstrip(" \u00a0").startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


def test_text_cells_are_quoted_so_semicolons_stay_inside(tmp_path):
    path = write_csv(tmp_path / "x.csv", ["Nom", "Volume"], [["a;=cmd()", 12]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig") == '"Nom","Volume"\r\n"a;=cmd()",12\r\n'
