"""The alternatives check on pages rendered by a real Chromium.

The same fixtures as ``test_alternatives.py``, but extracted by the crawler
itself (innerText, links with their accessible names, serialised DOM), so the
check is tested on exactly what a scan records; axe is skipped here to keep
the suite fast (it is tested elsewhere).  Then a whole démarche is walked
where the phone number appears only on the linked « Nous contacter » page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.checks.alternatives import find_alternatives
from auditor.model import PageCapture
from auditor.schemas import validate_scorecard

from ..support import capture_folder, scan_folder
from ..expected import expected_of
from .test_alternatives import FIXTURE_FILES, FIXTURES, check_expectations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def captured(harness: Any) -> dict[str, PageCapture]:
    """Every fixture, captured in one browser page (one server, no axe)."""
    return capture_folder(harness, FIXTURES, [p.name for p in FIXTURE_FILES])


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture_in_chromium(path: Path, captured: dict[str, PageCapture], harness: Any) -> None:
    page = captured[path.name]
    block = find_alternatives([page], harness.rules)
    check_expectations(block, expected_of(path), harness.rules, path.name)


def test_selectors_come_from_the_crawler(captured: dict[str, PageCapture], harness: Any) -> None:
    block = find_alternatives([captured["pass-phone-tel-link.html"]], harness.rules)
    ev = block["phone"]["lines"][0]["evidence"]
    assert any(e.get("selector") == "#appel" for e in ev)
    block = find_alternatives([captured["fail-phone-image-only.html"]], harness.rules)
    assert block["phone"]["unreadable"][0]["selector"] == "#numero"


def test_phone_only_on_linked_contact_page(harness: Any) -> None:
    """The steps show no number (only a file number, a date and an amount);
    the walk follows « Nous contacter » and finds the line there."""
    cap, card, _ = scan_folder(harness, FIXTURES / "site-contact")
    kinds = {Path(p["url"].split("?")[0]).name: p["kind"] for p in card["pages"]}
    assert kinds == {"index.html": "step", "etape-2.html": "step", "contact.html": "annex",
                     "mentions-legales.html": "annex"}
    alt = card["alternatives"]
    phone = alt["phone"]
    assert phone["numbers"] == ["+33 2 47 31 40 00"]
    assert phone["hours"] == "du lundi au vendredi de 9h à 12h et de 14h à 16h30"
    assert phone["premium"] is False
    line = phone["lines"][0]
    assert line["clickable"] and line["tariff"] == "standard"
    assert {Path(e["url"]).name for e in line["evidence"]} == {"contact.html"}
    assert all(e["kind"] == "annex" for e in line["evidence"])
    # the step pages' identifiers and the legal notice's fax are not phone lines
    ignored = {i["number"]: i["reason"] for i in phone["ignored"]}
    assert ignored.get("02 47 31 40 01") == "numéro de fax"
    assert alt["in_person"]["found"] and alt["in_person"]["addresses"] == ["Rectorat, 21 rue Étienne Marcel, 37000 Tours"]
    assert alt["appointment"]["found"]
    assert card["indicators"]["alternative"] == "Oui"
    assert validate_scorecard(card) == []
