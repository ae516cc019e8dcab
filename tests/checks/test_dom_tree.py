"""The tree the form-errors check reads a captured page from (``checks/_dom_tree.py``).

It must read a page as the browser built it (the HTML standard's parser),
keep the document order of elements and text, and leave out what the
document leaves out; the readers built on it must name elements as before
(selectors without the tags a fragment left implied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks._dom_tree import Element, Text, parse
from auditor.checks._form_read import _read
from auditor.checks._form_soup import _Reader


def _names(el: Element) -> list[str]:
    return [e.name for e in el.elements()]


def test_order_of_elements_and_text():
    doc = parse("<div id=a><p>un <b>deux</b> trois</p><p>quatre</p></div>")
    texts = [t.text for t in doc.texts()]
    assert texts == ["un ", "deux", " trois", "quatre"]
    order = [doc.order[id(n)] for n in doc.nodes]
    assert order == sorted(order)
    div = doc.find("div")
    assert _names(div) == ["p", "b", "p"]
    b = doc.find("b")
    assert [p.name for p in b.parents] == ["p", "div", "body", "html", "[document]"]
    # descendants of an element are a slice of the document's elements, nothing after it
    assert _names(doc.find("p")) == ["b"]
    assert doc.find_all("p")[1].elements() == []


def test_void_elements_do_not_swallow_what_follows():
    """``<source>``, ``<track>`` and ``<wbr>`` are empty in HTML: the next field is not their child (a parser
    that only knows HTML 4, like libxml2's, nests it, and the field's selector changes)."""
    doc = parse("<form><picture><source srcset=a.webp><img src=a.png alt=''></picture>"
                "<label for=n>Nom<wbr>de naissance</label><input id=n><input name=p></form>")
    inputs = doc.find_all("input")
    assert [i.parent.name for i in inputs] == ["form", "form"]
    assert doc.find("img").parent.name == "picture"
    assert _Reader(doc).css_path(inputs[1]) == "form > input:nth-of-type(2)"


def test_parsed_as_the_browser_does():
    """A ``<div>`` closes an open paragraph; a heading may hold a paragraph (an HTML 4 parser closes it)."""
    doc = parse("<p>a<div>b</div>c</p><h2><p>titre</p></h2>")
    assert doc.find("div").parent.name == "body"
    assert doc.find("h2").find("p") is not None


def test_fragment_selectors_do_not_name_implied_tags():
    html = "<form><input name=a><input name=b></form>"
    doc = parse(html)
    assert doc.find("body").implied and doc.find("html").implied
    assert _Reader(doc).css_path(doc.find_all("input")[1]) == "form > input:nth-of-type(2)"
    whole = parse(f"<!DOCTYPE html><html lang=fr><body>{html}</body></html>")
    assert not whole.find("body").implied
    assert _Reader(whole).css_path(whole.find_all("input")[1]) == "body > form > input:nth-of-type(2)"


def test_template_contents_and_scripts_are_not_page_text():
    doc = parse("<div>Visible<script>var a = 1;</script><style>p{}</style><template><p id=t>gabarit</p></template>"
                "<ruby>漢<rt>kan</rt></ruby></div>")
    assert doc.find("div").get_text(" ", strip=True) == "Visible 漢"
    assert doc.find_all(id="t") == []  # as document.getElementById: template contents are not in the document


def test_attributes_and_queries():
    doc = parse('<input id=x required aria-invalid="true"><label for="x">Nom</label><a href="#x">lien</a><a>rien</a>')
    el = doc.find("input")
    assert el.get("required") == "" and el.has_attr("required") and not el.has_attr("disabled")
    assert el["id"] == "x" and el.get("type") is None
    assert [a.get_text() for a in doc.find_all("a", href=True)] == ["lien"]
    assert doc.find_all("label", attrs={"for": "x"})[0].get_text() == "Nom"
    assert doc.find_all(attrs={"aria-invalid": "true"}) == [el]
    assert doc.find("label").find_parent("body") is doc.find("body")
    assert isinstance(doc.find("a").children[0], Text)


@pytest.mark.parametrize("html", ["", "   ", "texte seul", "a\x00b", "moitié \ud83d d'un caractère", "<p>x</p" * 3])
def test_any_text_reads(html):
    doc = parse(html)
    assert doc.find("body") is not None
    _read.__wrapped__(html)  # no exception


def test_real_form_pages_read_as_before():
    """The DSFR's form example pages, when the bench has fetched them: every field, label and error keeps the
    reading the check was written against (the DSFR marks fields with ``fr-input``, errors with
    ``fr-*-group--error``)."""
    import os

    cache = Path(os.environ.get("AUDITOR_BENCH_CACHE") or Path.home() / ".cache" / "auditor-bench")
    pages = sorted(cache.glob("dsfr-*/example/component/input/index.html"))
    if not pages:
        pytest.skip("pages d'exemple du DSFR absentes (python bench/probes.py les télécharge)")
    forms = _read.__wrapped__(pages[-1].read_text(encoding="utf-8"))
    assert len(forms.fields) >= 10
    assert forms.errors and all(e.messages and e.tied for e in forms.errors)
    assert all(f.label for f in forms.fields)
