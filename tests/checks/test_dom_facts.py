"""The alternatives check's facts (images, message form) read in the browser
(``dom_facts.js``) and read from the captured HTML (``facts_from_html``, for
captures made without them) must be the same records: a rescan of an old
capture and a fresh scan then judge a page alike.  Checked on a fixture made
of the cases where two readings could part (SVG titles, controls, ids that
are not plain, removed ``noscript``/``template``, data: images, a message
form), on every alternatives fixture, and on the real public-sector pages of
``../shared/data`` when present."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import auditor.checks.alternatives as alternatives
from auditor.checks.alternatives import facts_from_html, find_alternatives
from auditor.collect.page_audit import dom_facts_of
from auditor.model import PageCapture

from ..support import capture_folder
from .test_alternatives import FIXTURE_FILES
from .test_accessibility_browser import REAL

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "dom-facts"


def _same_reading(page: PageCapture, harness: Any) -> None:
    assert page.dom_facts is not None, page.url
    from_html = facts_from_html(page)
    assert from_html is not None
    assert [dataclasses.asdict(i) for i in page.dom_facts.images] == [dataclasses.asdict(i) for i in from_html.images], page.url
    assert page.dom_facts.message_form == from_html.message_form, page.url
    old = dataclasses.replace(page, dom_facts=None)  # as an older capture would be checked
    assert find_alternatives([page], harness.rules) == find_alternatives([old], harness.rules), page.url


def test_tricky_page_read_alike(harness: Any) -> None:
    page = capture_folder(harness, HERE, ["parity.html"])["parity.html"]
    facts = page.dom_facts
    assert facts is not None
    by_src = {i.src: i for i in facts.images}
    # what the browser reads is what the DOM kept in capture.json holds: not
    # the noscript and template images, nor an svg's drawing
    assert "/pixel.gif" not in by_src and "/t.png" not in by_src
    assert [i.tag for i in facts.images].count("input") == 1  # the text field is no image
    svg = [i for i in facts.images if i.tag == "svg"]
    assert svg[0].in_control and svg[0].svg_title == "Menu"
    assert svg[1].svg_title == "Standard téléphonique 04 72 00 00 00" and svg[1].aria_label == "Standard"
    assert svg[2].svg_title is None
    assert by_src["/img/numero_telephone.png"].context[0].replace("\xa0", " ").strip() == "Par téléphone :"
    assert by_src["/img/numero_telephone.png"].classes == "icone tel"
    assert by_src["/img/phone.png"].selector == "#numéro"  # a Unicode id is a plain one
    assert by_src["/img/tel-accueil.png"].title == "Accueil"
    assert by_src["/img/telephone.svg"].tag == "object"
    assert by_src["/logo-marianne.svg"].in_control and by_src["/logo-marianne.svg"].context == []
    # a long text around a gallery is cut, at the same length both ways
    gallery = [by_src[f"/g{k}.png"] for k in (1, 2, 3)]
    assert all(len(g.context[0]) == alternatives.MAX_CONTEXT for g in gallery)
    assert facts.message_form is not None
    assert facts.message_form.selector == "#contenu > section > form"  # « 1-formulaire » is no plain id
    assert "Nous contacter" in facts.message_form.headings and "Votre message" in facts.message_form.headings
    _same_reading(page, harness)
    block = find_alternatives([page], harness.rules)
    assert "+33 3 88 12 34 56" in block["phone"]["numbers"]
    assert "+33 4 72 00 00 00" in block["phone"]["numbers"]
    assert block["contact_form"]["found"]


def test_alternatives_fixtures_read_alike(harness: Any) -> None:
    folder = FIXTURE_FILES[0].parent
    pages = capture_folder(harness, folder, [p.name for p in FIXTURE_FILES])
    for page in pages.values():
        _same_reading(page, harness)


def test_real_pages_read_alike(harness: Any) -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} absent (../shared/data not available)")
    names = sorted(p.name for p in REAL.glob("*.html"))
    pages = capture_folder(harness, REAL, names)
    assert sum(len(p.dom_facts.images) for p in pages.values() if p.dom_facts) > 20  # the pages do have images
    for page in pages.values():
        _same_reading(page, harness)


def test_recorded_facts_spare_the_html_parse(harness: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan's own captures carry the facts: the check does not parse the
    page's HTML again (the parse was about half of the check's time)."""
    page = capture_folder(harness, HERE, ["parity.html"])["parity.html"]
    expected = find_alternatives([page], harness.rules)

    def no_parse(_: PageCapture) -> None:
        raise AssertionError("the HTML was parsed again")

    monkeypatch.setattr(alternatives, "_soup", no_parse)
    assert find_alternatives([page], harness.rules) == expected


def test_facts_a_page_tampered_with_are_not_taken() -> None:
    """The script runs among the page's own scripts, which can redefine the
    built-ins it uses: anything but the records it returns is dropped, and
    the check reads the HTML instead, as for an older capture."""
    good = {"images": [{"tag": "img", "selector": "#a", "alt": "Tél. 01 23 45 67 89", "context": ["x"]}],
            "message_form": {"selector": "form", "headings": "Contact"}}
    facts = dom_facts_of(good, ("45 67",))
    assert facts is not None and facts.images[0].alt is not None and "45 67" not in facts.images[0].alt  # a secret is masked
    for bad in (None, "x", [], {"images": "x"}, {"images": {"a": 1}}, {"images": [1]}, {"images": [{"alt": "x"}]},
                {"images": [{"tag": "img", "context": "x"}]}, {"images": [{"tag": "img", "alt": 3}]},
                {"images": [], "message_form": "x"}, {"images": [], "message_form": {"selector": 3}}):
        assert dom_facts_of(bad) is None, bad
