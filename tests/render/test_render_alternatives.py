"""The « Alternatives non numériques » section of scorecard.html."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from auditor.config import load_rules
from auditor.model import Capture
from auditor.render.html import SECTIONS, _css, environment, render_scorecard
from auditor.pipeline import build_scorecard

from ..checks.test_alternatives import FIXTURES, static_page

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")


def card_of(*names: str) -> dict[str, Any]:
    pages = [static_page((FIXTURES / n).read_text(encoding="utf-8"), url=f"https://d.example.gouv.fr/{n}",
                         index=i, kind="step" if i == 1 else "annex")
             for i, n in enumerate(names, start=1)]
    cap = Capture(demarche={"id": "essai", "name": "Essai", "url": "https://d.example.gouv.fr/"},
                  scanned_at="2026-01-01T00:00:00Z", tool={"version": "t", "axe_version": "4", "browser": "C"},
                  pages=pages)
    return build_scorecard(cap, RULES)


def section(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    sec = soup.find("section", id="alternatives")
    assert sec is not None
    return sec


def test_section_is_wired() -> None:
    assert "alternatives" in SECTIONS


def test_channels_found_with_evidence_and_missing() -> None:
    card = card_of("pass-phone-standard.html", "fail-phone-image-only.html", "fail-in-person-no-address.html",
                   "pass-phone-and-fax.html")
    sec = section(render_scorecard(card))
    text = sec.get_text(" ")
    phone_row = sec.find("tr", id="alternative-phone")
    assert "01 40 07 60 60" in phone_row.get_text(" ")
    assert "du lundi au vendredi de 9h à 12h et de 14h à 17h" in phone_row.get_text(" ")
    assert "non surtaxé" in phone_row.get_text(" ")
    assert phone_row.find("a", href="https://d.example.gouv.fr/pass-phone-standard.html")
    # what is missing, said in words
    missing = [li.get_text(" ") for li in sec.find("h3", string="Ce qui manque").find_next("ul").find_all("li")]
    assert any(m.startswith("Accueil physique") for m in missing)
    assert any(m.startswith("Voie postale") for m in missing)
    assert not any(m.startswith("Téléphone") for m in missing)
    # the number shown only as an image, the counter without address, the ignored fax
    assert "Numéros affichés en image" in text and "/images/numero-telephone.png" in text
    assert "accueil physique mentionné sans adresse ni horaires" in text
    ignored = sec.find("details")
    assert "02 47 31 40 01" in ignored.get_text(" ") and "numéro de fax" in ignored.get_text(" ")
    assert "Oui" in sec.find("p").get_text(" ")


def test_premium_only_is_flagged() -> None:
    sec = section(render_scorecard(card_of("fail-phone-premium.html")))
    row = sec.find("tr", id="alternative-phone").get_text(" ")
    assert "surtaxé" in row and "ne doit pas imposer un numéro surtaxé" in row
    assert "Partiel" in sec.find("p").get_text(" ")


def test_not_checked() -> None:
    card = card_of("pass-phone-standard.html")
    card["alternatives"] = {"status": "not_checked"}
    sec = section(render_scorecard(card))
    assert "n'ont pas été vérifiées" in sec.get_text(" ")
    assert sec.find("table") is None


def test_hostile_evidence_is_inert() -> None:
    card = card_of("pass-phone-standard.html")
    alt = card["alternatives"]
    alt["phone"]["evidence"][0]["text"] = "<script>alert(1)</script>"
    alt["phone"]["evidence"][0]["url"] = "javascript:alert(2)"
    alt["phone"]["lines"][0]["evidence"][0]["url"] = "javascript:alert(2)"
    alt["appointment"] = {"found": True, "values": ["<b>x</b>"], "links": ["javascript:alert(3)"], "evidence": []}
    html = render_scorecard(card)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<b>x</b>" not in html


def test_old_or_partial_blocks_do_not_break_rendering() -> None:
    """A scorecard written before some fields existed still renders."""
    card = card_of("pass-phone-standard.html")
    alt = copy.deepcopy(card["alternatives"])
    for key in ("review", "missing", "pages_read"):
        alt.pop(key)
    for ch in ("in_person", "appointment", "callback", "contact_form", "postal"):
        alt.pop(ch)
    alt["phone"].pop("lines")
    card["alternatives"] = alt
    assert "Alternatives non numériques" in render_scorecard(card)


@pytest.mark.browser
def test_section_passes_axe(harness: Any, tmp_path: Path) -> None:
    """The section alone, in the report's page frame, has no axe violation."""
    card = card_of("pass-all-channels.html", "fail-phone-image-only.html", "pass-phone-and-fax.html",
                   "fail-in-person-no-address.html")
    tpl = environment().from_string(
        '{% extends "base.html.j2" %}{% block title %}Alternatives{% endblock %}'
        '{% block content %}<h1>Essai</h1>{% include "sections/alternatives.html.j2" %}{% endblock %}')
    path = tmp_path / "alternatives.html"
    path.write_text(tpl.render(card=card, css=_css()), encoding="utf-8")
    page = harness.capture(path.as_uri())
    assert page.axe_error is None
    assert [(v.rule, [n.target for n in v.nodes]) for v in page.violations] == []
