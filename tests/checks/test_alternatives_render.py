"""The scorecard's « Alternatives non numériques » section shows first what a
user would use: the line open to everyone (with its tariff and hours) before
the lines kept for callers abroad or overseas, the counter with an address and
hours first, and the numbers of other services apart."""

from __future__ import annotations

from bs4 import BeautifulSoup

from auditor.render.html import render_scorecard

from ..render.test_render_alternatives import card_of


def phone_row(card: dict) -> str:
    soup = BeautifulSoup(render_scorecard(card), "html.parser")
    return soup.find("tr", id="alternative-phone").get_text(" ")


def test_main_line_first_with_its_audience_and_tariff() -> None:
    card = card_of("fail-phone-premium-main-line.html")
    text = phone_row(card)
    assert text.index("0 820 00 23 78") < text.index("0 800 50 02 53") < text.index("01 40 07 60 60")
    assert "Ligne principale, ouverte à tous" in text
    assert "Seulement pour : depuis l'outre-mer" in text
    assert "La ligne ouverte à tous est surtaxée" in text
    assert card["indicators"]["alternative"] == "Partiel"


def test_other_services_numbers_are_listed_apart() -> None:
    card = card_of("fail-phone-other-defenseur.html")
    text = phone_row(card)
    assert "09 69 39 00 00 — Défenseur des droits" in " ".join(text.split()) and "ne comptent pas" in text
    assert card["alternatives"]["phone"]["found"] is False


def test_counter_with_address_and_hours_first() -> None:
    card = card_of("pass-in-person-accueil-tribunal.html", "pass-in-person-sur-place-heading.html")
    soup = BeautifulSoup(render_scorecard(card), "html.parser")
    row = soup.find("tr", id="alternative-in_person").get_text(" ")
    assert "Accueil principal : sur place, 201 rue Carnot, 94136 Fontenay-sous-Bois Cedex (de 9h à 15h)" in row


def test_scorecard_with_new_fields_validates() -> None:
    from auditor.schemas import validate_scorecard

    card = card_of("fail-phone-premium-main-line.html", "fail-phone-other-helpline.html",
                   "pass-in-person-sur-place-heading.html")
    card["tool"].update(axe_version="4", browser="C")
    assert validate_scorecard(card) == []
