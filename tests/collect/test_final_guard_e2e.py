"""The final-control guard end to end, in a real Chromium, on the fixture
démarches of tests/fixtures/walk/garde-finale/: the server proves that no
final target is ever requested, and that every intermediate step is walked."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from auditor.schemas import validate_scorecard
from support import FIXTURES, scan_folder

ROOT = FIXTURES / "walk" / "garde-finale"
pytestmark = pytest.mark.browser


def _steps(card) -> list[str]:
    return [urlparse(p["url"]).path.rsplit("/", 1)[-1] for p in card["pages"] if p["kind"] == "step"]


def _never(srv, *paths: str) -> None:
    got = [r for r in srv.requested if any(r.split("?")[0].endswith("/" + p) for p in paths)]
    assert not got, f"requested although it must never be: {got}"


def _walk(harness, start: str):
    return scan_folder(harness, ROOT, start=start, timeout_s=10)


@pytest.mark.parametrize("folder,walked,target,signal", [
    ("payer", ["index.html", "tarif.html"], "paiement.html", "payment_name"),
    ("pre-demande", ["index.html", "verification.html"], "envoi.html", "final_name"),
    ("trois-etapes", ["index.html", "etape-2.html", "etape-3.html"], "fin.html", "last_step"),
    ("je-confirme", ["index.html", "recapitulatif.html"], "confirmation.html", "summary_title"),
    ("depot", ["index.html"], "dossiers/1234/depot", "final_name"),
    ("dsfr-valider", ["index.html", "etape-2.html", "etape-3.html"], "envoi.html", "last_step"),
    ("compte", ["index.html", "identite.html", "adresse.html"], "compte-cree.html", "account_flow"),
    ("paiement-lien", ["index.html", "recapitulatif.html"], "paiement/tpa.html", "payment_target"),
])
def test_stops_before_the_final_control_after_walking_every_step(harness, folder, walked, target, signal):
    cap, card, srv = _walk(harness, f"{folder}/index.html")
    assert _steps(card) == walked, card["status_reason"]
    _never(srv, target, "abonnement.html")
    stop = card["stopped_before"]
    assert stop is not None and stop["verdict"] == "final"
    assert signal in [s["code"] for s in stop["signals"]], stop
    assert stop["reason"].startswith(f"arrêt prudent avant « {stop['text']} »")
    assert "rules/walk.yaml" in stop["how"]
    assert card["status"] == "complete", card["status_reason"]  # every step before it was walked
    assert validate_scorecard(card) == []


def test_dsfr_intermediate_valider_are_passed(harness):
    cap, card, srv = _walk(harness, "dsfr-valider/index.html")
    # both intermediate « Valider » were clicked (the server saw their GET submissions), the last one was not
    assert any(r.startswith("/dsfr-valider/etape-2.html?v1=") for r in srv.requested)
    assert any(r.startswith("/dsfr-valider/etape-3.html?v2=") for r in srv.requested)
    assert card["stopped_before"]["text"] == "Valider"
    assert "dernière étape (3 sur 3)" in card["stopped_before"]["reason"]


def test_account_creation_is_walked_with_a_test_password_but_never_created(harness):
    cap, card, srv = _walk(harness, "compte/index.html")
    first = next(r for r in srv.requested if r.startswith("/compte/identite.html?"))
    assert "password=Audit-Test-2026" in first  # the test password was typed (not a login wall)
    assert card["stopped_before"]["page_index"] == 3


def test_a_newsletter_form_is_never_sent_nor_a_reason_to_stop(harness):
    cap, card, srv = _walk(harness, "newsletter/index.html")
    assert _steps(card) == ["index.html", "etape-1.html"]
    _never(srv, "abonnement.html", "envoi.html")
    assert card["stopped_before"]["text"] == "Envoyer ma demande"
    assert card["status"] == "complete", card["status_reason"]


def test_the_browser_blocks_a_payment_the_walk_did_not_foresee(harness):
    # « Continuer » looks like a step; its script sends the browser to a payment page
    cap, card, srv = _walk(harness, "defense/index.html")
    _never(srv, "paiement/session.html")
    blocked = [b for b in card["blocked_requests"] if b["reason"] == "payment"]
    assert blocked and blocked[0]["url"].endswith("/paiement/session.html")
    stop = card["stopped_before"]
    assert stop["text"] == "Continuer" and [s["code"] for s in stop["signals"]] == ["blocked_payment"]


def test_the_browser_blocks_a_form_posted_from_the_last_step(harness):
    # « Continuer » on a recap page, posting its form: the POST never leaves the browser
    cap, card, srv = _walk(harness, "defense/recapitulatif.html")
    _never(srv, "suite.html")
    assert [b["reason"] for b in card["blocked_requests"]] == ["final_post"]
    assert validate_scorecard(card) == []
    assert card["stopped_before"]["signals"][0]["code"] == "blocked_final_post"


def test_a_script_is_guarded_too(harness):
    # the auditor's script clicks « Valider » on every step: the last one is never clicked
    cap, card, srv = scan_folder(harness, ROOT, start="dsfr-valider/index.html", timeout_s=10, steps=[
        {"fill": {"#v1": "a"}}, {"click": "Valider"},
        {"fill": {"#v2": "b"}}, {"click": "Valider"},
        {"fill": {"#v3": "c"}}, {"click": "Valider"},
        {"audit": "Demande envoyée"},
    ])
    assert _steps(card) == ["index.html", "etape-2.html", "etape-3.html"]
    _never(srv, "envoi.html")
    assert card["stopped_before"]["verdict"] == "final"
    assert card["status"] == "partial" and "1 étape(s) du script non exécutée(s)" in card["status_reason"]


def test_a_payment_frame_is_refused_without_stopping_the_walk(harness):
    # an embedded payment widget is never loaded, and the walk goes on to the real final control
    cap, card, srv = _walk(harness, "cadre-paiement/index.html")
    _never(srv, "paiement/widget.html", "envoi.html")
    assert _steps(card) == ["index.html", "etape-2.html"]
    assert [b["reason"] for b in card["blocked_requests"]] == ["payment"]
    assert card["stopped_before"]["text"] == "Envoyer ma demande" and card["status"] == "complete"
