"""The application's own error views (pure: app_error.py), both directions."""

from __future__ import annotations

import re

import pytest

from auditor.collect.app_error import app_error
from auditor.config import load_rules
from support import ROOT


@pytest.fixture(scope="module")
def words() -> "re.Pattern[str]":
    return load_rules(ROOT / "rules").get("walk").matcher("app_error")


@pytest.mark.parametrize("text", [
    "Une erreur est survenue. Veuillez réessayer.", "Erreur technique : le service ne répond pas",
    "Service momentanément indisponible", "Oups ! Quelque chose s'est mal passé",
    "Nous rencontrons des difficultés techniques", "Impossible de charger vos informations",
])
def test_an_alert_that_speaks_of_an_error(words, text):
    assert app_error(alerts=[{"text": text, "field": False}], headings=["Vos résultats"], error_words=words)


@pytest.mark.parametrize("alert", [
    {"text": "Ce champ est obligatoire", "field": False},  # a validation message, not an error of the app
    {"text": "Le format du code postal est invalide", "field": False},
    {"text": "Une erreur est survenue", "field": True},  # a field's own message
    {"text": "Votre demande a bien été enregistrée", "field": False},
])
def test_form_messages_and_notices_are_not_app_errors(words, alert):
    assert app_error(alerts=[alert], headings=["Votre adresse"], error_words=words) is None


def test_a_heading_and_an_emptied_page(words):
    assert "Erreur technique" in app_error(alerts=[], headings=["Erreur technique"], error_words=words)
    emptied = app_error(alerts=[], headings=[], error_words=words, main_chars=0, main_chars_before=400,
                        route_changed=True)
    assert emptied and "vidée" in emptied
    # an empty main that was already empty, or without a route change, says nothing
    assert app_error(alerts=[], headings=[], error_words=words, main_chars=0, main_chars_before=0,
                     route_changed=True) is None
    assert app_error(alerts=[], headings=[], error_words=words, main_chars=0, main_chars_before=400) is None
