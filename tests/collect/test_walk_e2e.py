"""The auto-walk end to end, in a real Chromium, on the fixture démarches of
tests/fixtures/walk/ (one folder per démarche, all served from one root so
that each démarche's default scope is its own folder).

Each test says where the walk must end and with which status, and proves on
the server side what must never be requested (guarded submissions, logout,
out-of-scope pages)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from auditor.cli import main
from auditor.config import ScreenshotRules
from auditor.demo.server import StaticServer
from auditor.schemas import validate_scorecard
from support import FIXTURES, scan_folder

WALK = FIXTURES / "walk"
pytestmark = pytest.mark.browser


def _path(url: str) -> str:
    """``/folder/page.html#fragment`` (no host, no query)."""
    u = urlparse(url)
    return u.path + (f"#{u.fragment}" if u.fragment else "")


def _query(srv, page: str) -> dict[str, str]:
    """The query string the server received for ``page`` (GET forms)."""
    hits = [r for r in srv.requested if r.split("?")[0] == page]
    assert hits, f"{page} never requested: {srv.requested}"
    return {k: v[0] for k, v in parse_qs(urlparse(hits[0]).query, keep_blank_values=True).items()}


def _never(srv, *pages: str) -> None:
    got = [r for r in srv.requested if r.split("?")[0] in pages]
    assert not got, f"requested although it must never be: {got}"


def _steps(card):
    return [p for p in card["pages"] if p["kind"] == "step"]


def test_get_form_every_kind_of_field_stops_before_validation_on_summary(harness):
    cap, card, srv = scan_folder(harness, WALK, start="formulaire/index.html", timeout_s=10,
                                 expect=["etape-2", "Récapitulatif"])
    assert [_path(p["url"]) for p in _steps(card)] == [
        "/formulaire/index.html", "/formulaire/etape-1.html", "/formulaire/etape-2.html",
        "/formulaire/recapitulatif.html",
    ]
    assert card["status"] == "complete", card["status_reason"]
    assert card["expect_missing"] == []
    # the summary page's plain « Valider » is treated as the final submission
    assert card["stopped_before"]["text"] == "Valider"
    assert card["stopped_before"]["page_index"] == 4
    assert "recapitulatif.html" in card["stopped_before"]["url"]
    # never sent, never drafted, never logged out, never searched
    _never(srv, "/formulaire/envoi.html", "/formulaire/brouillon.html", "/formulaire/plus-tard.html",
           "/formulaire/deconnexion.html", "/formulaire/recherche.html")

    # step 1: the browser accepted every value (GET forms only submit when valid)
    q1 = _query(srv, "/formulaire/etape-2.html")
    assert q1["civilite"] == "mme"  # the first real option, not the placeholder
    assert q1["nom"] == "Martin" and q1["prenom"] == "Camille" and q1["lieu"] == "Lyon"
    assert q1["naissance"] == "1990-01-01"
    assert q1["email"] == "test.auditor@example.org"
    assert q1["tel"] == "0199001234"
    assert q1["fiscal"] == "1234567890066" and q1["nir"] == "190017505612370"
    assert q1["situation"] == "locataire"  # first radio, hidden DSFR-style behind its label
    assert q1["cgu"] == "on"  # required checkbox
    assert q1["atteste"] == "on"  # attestation without `required`, enforced in JavaScript
    assert 20 <= len(q1["precisions"]) <= 200

    # step 2: constraints respected
    q2 = _query(srv, "/formulaire/recapitulatif.html")
    assert q2["cp"] == "75001" and q2["commune"] == "Paris" and q2["adresse"] == "10 rue de Rivoli"
    assert 0 <= int(q2["enfants"]) <= 10
    assert "2020-01-01" <= q2["emmenagement"] <= "2024-12-31"
    loyer = int(q2["loyer"])
    assert 100 <= loyer <= 5000 and (loyer - 100) % 50 == 0
    assert q2["siret"] == "12345678200002"
    assert len(q2["reference"]) == 8 and q2["reference"][:2].isalpha() and q2["reference"][2:].isdigit()
    assert q2["debut"] >= "2025-01" and q2["heure"] == "10:00"
    assert q2["piece"] == "sample.pdf"

    # annex pages: each visited once, after the steps; the logout link never
    annex = [p for p in card["pages"] if p["kind"] == "annex"]
    assert sorted(_path(p["url"]) for p in annex) == [
        "/formulaire/accessibilite.html", "/formulaire/contact.html", "/formulaire/mentions-legales.html",
    ]
    assert srv.requested.count("/formulaire/contact.html") == 1
    assert [p["index"] for p in card["pages"]] == list(range(1, len(card["pages"]) + 1))
    assert all(p["http_status"] == 200 and p["load_ms"] is not None for p in card["pages"])
    assert validate_scorecard(card) == []


def test_hash_routed_spa_each_route_is_a_step(harness):
    cap, card, srv = scan_folder(harness, WALK, start="spa-hash/index.html", timeout_s=10)
    steps = _steps(card)
    assert [_path(p["url"]) for p in steps] == [
        "/spa-hash/index.html", "/spa-hash/index.html#/identite", "/spa-hash/index.html#/coordonnees",
        "/spa-hash/index.html#/recapitulatif",
    ]
    # the content fetched after each click was waited for (no fixed sleep):
    # every audited state holds its own heading, not « Chargement… »
    assert [cap.pages[i].headings[0] for i in range(4)] == [
        "Inscription à la cantine scolaire", "L'enfant", "Vos coordonnées", "Récapitulatif",
    ]
    # SPA states have no load time and no HTTP status of their own
    assert steps[0]["load_ms"] is not None and all(p["load_ms"] is None for p in steps[1:])
    assert all(p["http_status"] is None for p in steps[1:])
    assert card["status"] == "complete"
    assert card["stopped_before"]["text"] == "Confirmer le dépôt"
    _never(srv, "/spa-hash/depot")
    assert [_path(p["url"]) for p in card["pages"] if p["kind"] == "annex"] == ["/spa-hash/contact.html"]


def test_dom_replacement_spa_without_url_change(harness):
    cap, card, srv = scan_folder(harness, WALK, start="spa-dom/index.html", timeout_s=10)
    steps = _steps(card)
    assert len({p["url"] for p in steps}) == 1  # the URL never changes
    assert [cap.pages[i].headings[0] for i in range(len(steps))] == [
        "Votre situation", "Vos coordonnées", "Vérifiez votre demande",
    ]
    assert card["status"] == "complete"
    assert card["stopped_before"]["text"] == "Transmettre mon dossier"
    _never(srv, "/spa-dom/transmettre")


def test_loading_message_is_waited_for_not_audited(harness):
    cap, card, srv = scan_folder(harness, WALK, start="spa-dom/lent.html", timeout_s=10)
    assert [p.headings[0] for p in cap.pages] == ["Prise de rendez-vous", "Choisissez un créneau"]
    assert card["status"] == "complete"


def test_form_refusing_our_data_is_partial_with_the_message_not_a_new_step(harness):
    cap, card, srv = scan_folder(harness, WALK, start="spa-dom/refus.html", timeout_s=10)
    # the error message shown in place is not counted as a new step
    assert len(card["pages"]) == 1
    assert card["status"] == "partial"
    assert "n'avance plus après « Suivant »" in card["status_reason"]
    assert "Ce code d'invitation est inconnu." in card["status_reason"]


def test_custom_upload_widgets_hidden_input_and_file_chooser(harness):
    cap, card, srv = scan_folder(harness, WALK, start="upload/index.html", timeout_s=10)
    assert [_path(p["url"]) for p in _steps(card)] == ["/upload/index.html", "/upload/fin.html"]
    q = _query(srv, "/upload/fin.html")
    # widget 1: visually hidden input behind « Parcourir… »; widget 2: input
    # created on click, the file chooser answered with the dummy PDF
    assert q["piece_nom"] == "sample.pdf" and q["photo_nom"] == "sample.pdf"
    assert card["status"] == "complete"
    hidden = next(c for c in cap.pages[0].controls if c.selector == "#piece")
    assert hidden.visible  # usable through its button, so visible to the checks


def test_radio_branching_first_option_and_revealed_field(harness):
    cap, card, srv = scan_folder(harness, WALK, start="branches/index.html", timeout_s=10)
    assert [_path(p["url"]) for p in _steps(card)] == [
        "/branches/index.html", "/branches/particulier.html", "/branches/fin.html",
    ]
    q = _query(srv, "/branches/particulier.html")
    assert q["cookies"] == "refus"  # the cookie banner covering the page was refused, never accepted
    assert q["profil"] == "particulier"
    assert q["fiscal"] == "1234567890066"  # revealed by the radio, filled on a second pass
    assert _query(srv, "/branches/fin.html")["parts"] == "1"
    _never(srv, "/branches/professionnel.html")
    assert card["status"] == "complete" and card["stopped_before"] is None


def test_radio_branching_scripted_other_branch(harness):
    cap, card, srv = scan_folder(harness, WALK, start="branches/index.html", timeout_s=10, steps=[
        {"click": "Tout refuser"},  # a script does exactly what it says: the banner is its business
        {"check": "#profil-pro"},
        {"fill": {"#siret": "12345678200002"}},
        {"click": "Suivant"},
    ])
    assert [_path(p["url"]) for p in _steps(card)] == ["/branches/index.html", "/branches/professionnel.html"]
    assert card["status"] == "complete"
    _never(srv, "/branches/particulier.html")


def test_guarded_submit_dialogs_popups_logout_and_expect(harness):
    cap, card, srv = scan_folder(harness, WALK, start="garde/index.html", timeout_s=10,
                                 expect=["recapitulatif", "Votre demande est envoyée"])
    assert [_path(p["url"]) for p in _steps(card)] == ["/garde/index.html", "/garde/recapitulatif.html"]
    # the alert on load, the popup and the beforeunload prompt did not stop the walk
    stop = card["stopped_before"]
    assert {k: stop[k] for k in ("url", "selector", "text", "page_index", "verdict")} == {
        "url": cap.pages[1].url, "selector": "#f > button", "text": "Envoyer ma demande", "page_index": 2,
        "verdict": "final",
    }
    _never(srv, "/garde/envoi.html", "/garde/deconnexion.html")
    # expected but not reached (the guard stopped before it): listed, and the démarche is partial
    assert card["expect_missing"] == ["Votre demande est envoyée"]
    assert card["status"] == "partial"
    assert "Votre demande est envoyée" in card["status_reason"]


def test_allow_submit_sends_and_confirms(harness):
    cap, card, srv = scan_folder(harness, WALK, start="garde/index.html", timeout_s=10, allow_submit=True)
    assert [_path(p["url"]) for p in _steps(card)] == [
        "/garde/index.html", "/garde/recapitulatif.html", "/garde/envoi.html",
    ]
    assert _query(srv, "/garde/envoi.html") == {"confirme": "1"}  # the confirm() was accepted
    assert card["stopped_before"] is None and card["status"] == "complete"
    _never(srv, "/garde/deconnexion.html")


def test_login_wall_password_page(harness):
    cap, card, srv = scan_folder(harness, WALK, start="connexion/index.html", timeout_s=10)
    assert [_path(p["url"]) for p in _steps(card)] == ["/connexion/index.html", "/connexion/connexion.html"]
    assert card["status"] == "partial"
    assert card["status_reason"].startswith("mur de connexion")
    _never(srv, "/connexion/espace.html")  # its « Continuer » is never clicked


def test_login_wall_franceconnect_only_way_on(harness):
    cap, card, srv = scan_folder(harness, WALK, start="connexion/franceconnect.html", timeout_s=10)
    assert card["status"] == "partial"
    assert "mur de connexion" in card["status_reason"] and "FranceConnect" in card["status_reason"]
    _never(srv, "/connexion/fc-retour.html")


@pytest.mark.parametrize("start,reason", [
    ("erreur/index.html", "HTTP 404"),
    ("erreur/autre.html", "Page introuvable"),
])
def test_error_page_mid_walk_is_partial(harness, start, reason):
    cap, card, srv = scan_folder(harness, WALK, start=start, timeout_s=10)
    assert len(_steps(card)) == 2  # the error page is audited (users see it) and the walk stops
    assert card["status"] == "partial" and reason in card["status_reason"]


def test_loop_is_detected(harness):
    cap, card, srv = scan_folder(harness, WALK, start="boucle/a.html", timeout_s=10)
    assert [_path(p["url"]) for p in card["pages"]] == ["/boucle/a.html", "/boucle/b.html"]
    assert card["status"] == "partial" and card["status_reason"].startswith("boucle")


@pytest.mark.parametrize("start", ["perimetre/index.html", "perimetre/js.html"])
def test_out_of_scope_is_never_requested(harness, start):
    cap, card, srv = scan_folder(harness, WALK, start=start, timeout_s=10)
    assert card["status"] == "partial" and "hors du périmètre" in card["status_reason"]
    _never(srv, "/ailleurs/etape.html")


def test_start_page_script_cannot_take_the_walk_out_of_scope(harness):
    """The start URL may redirect anywhere (HTTP redirects: we audit where
    users land), but a navigation its own script starts is not one of them:
    blocked before the request and recorded with a clear reason, never
    followed (the interrupted start page never finishes loading)."""
    cap, card, srv = scan_folder(harness, WALK, start="perimetre/depart.html", timeout_s=3)
    _never(srv, "/ailleurs/etape.html")
    assert card["status"] == "failed"
    assert any(b["reason"] == "scope" and "/ailleurs/etape.html" in b["url"] for b in card["blocked_requests"])
    assert any(e["stage"] == "navigate" and "part d'elle-même hors du périmètre" in e["message"]
               for e in card["errors"]), card["errors"]


def test_a_page_announcing_a_redirect_is_waited_for_however_fast_the_walk(harness):
    """« Vous allez être redirigé… » with no button: the walk waits for the
    page to leave (here after 1.5 s, longer than the audit takes) and
    audits where it lands."""
    cap, card, srv = scan_folder(harness, WALK, start="redirection/attente.html", timeout_s=10)
    steps = [p for p in card["pages"] if p["kind"] == "step"]
    assert [p["url"].rsplit("/", 1)[-1] for p in steps] == ["attente.html", "suite.html"], card["errors"]
    assert card["status"] == "complete"


def test_a_dead_end_that_announces_nothing_ends_the_walk_at_once(harness):
    """Waiting is only for pages that say they redirect: a silent dead end
    is not held for seconds (its late self-navigation is not followed)."""
    t0 = time.monotonic()
    cap, card, srv = scan_folder(harness, WALK, start="redirection/impasse.html", timeout_s=10)
    steps = [p for p in card["pages"] if p["kind"] == "step"]
    assert [p["url"].rsplit("/", 1)[-1] for p in steps] == ["impasse.html"]
    assert time.monotonic() - t0 < 3.5


def test_a_click_that_misses_because_the_page_moved_is_made_again(harness):
    """The fast click aims where the button was; a banner that appears at
    the first pointer movement pushes it away, and the click lands beside
    it.  Before calling it a stall, the walk clicks again the careful way."""
    cap, card, srv = scan_folder(harness, WALK, start="deplacement/index.html", timeout_s=10)
    steps = [p for p in card["pages"] if p["kind"] == "step"]
    assert [p["url"].split("?")[0].rsplit("/", 1)[-1] for p in steps] == ["index.html", "etape-2.html"], \
        (card["status_reason"], card["errors"])
    assert card["status"] == "complete"


def test_a_navigation_the_page_takes_over_is_not_waited_for_as_a_new_document(harness):
    """A single-page app on the Navigation API: the form announces a
    navigation to another document, then the page intercepts it and shows
    the next step itself.  The walk audits that step and does not wait its
    whole settle budget (5 s) for a document that will never come."""
    t0 = time.monotonic()
    cap, card, srv = scan_folder(harness, WALK, start="spa-intercept/index.html", timeout_s=10)
    steps = [p for p in card["pages"] if p["kind"] == "step"]
    assert [p["title"] for p in steps] == ["Étape 1 – Demande de badge", "Étape 2 – Demande de badge"], \
        (card["status_reason"], card["errors"])
    assert "etape-2.html" not in " ".join(srv.requested)  # taken over: no document requested
    assert time.monotonic() - t0 < 4.5


def test_a_page_that_leaves_while_axe_runs_is_replaced_by_where_it_went(harness, monkeypatch):
    """A page that redirects by itself during its audit (a timed redirect
    shorter than axe's run on a loaded machine): axe fails on a vanished
    document.  The walk audits the page it went to instead of keeping a
    page « à vérifier » that no longer exists.  Made deterministic: the
    first audit navigates the page away and reports axe's failure."""
    from dataclasses import replace

    from auditor.collect import walk as walk_module

    real = walk_module.audit_page
    calls = []

    async def leaving(page, **kw):
        got = await real(page, **kw)
        calls.append(got.url)
        if len(calls) == 1:
            await page.evaluate("() => { location.href = 'suite.html'; }")
            await page.wait_for_url("**/suite.html")
            return replace(got, axe_error="Execution context was destroyed, most likely because of a navigation")
        return got

    monkeypatch.setattr(walk_module, "audit_page", leaving)
    cap, card, srv = scan_folder(harness, WALK, start="redirection/impasse.html", timeout_s=10)
    steps = [p for p in card["pages"] if p["kind"] == "step"]
    assert [p["url"].rsplit("/", 1)[-1] for p in steps] == ["suite.html"], (card["status_reason"], card["errors"])
    assert card["status"] == "complete" and not steps[0]["axe_error"]


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's SOF marker."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    raise AssertionError("no SOF marker")


def test_twenty_five_pages_screenshots_keep_the_report_small(tmp_path):
    with StaticServer(WALK) as srv:
        cfg = tmp_path / "demarches.yaml"
        cfg.write_text(
            f"demarches:\n  - id: longue\n    name: Démarche longue\n    url: {srv.url}longue/etape.html?n=1\n"
            "    timeout_s: 10\n",
            encoding="utf-8",
        )
        out = tmp_path / "reports"
        assert main(["scan", str(cfg), "-o", str(out), "-q"]) == 0
    folder = out / "longue"
    card = json.loads((folder / "scorecard.json").read_text(encoding="utf-8"))
    assert len(card["pages"]) == 25 and card["status"] == "complete"
    shots = [p["screenshot"] for p in card["pages"]]
    assert shots == [f"screenshots/{i:02d}.jpg" for i in range(1, 26)]
    budget = ScreenshotRules()
    for page in card["pages"]:
        data = (folder / page["screenshot"]).read_bytes()
        assert data[:3] == b"\xff\xd8\xff" and len(data) <= budget.max_bytes
        width, height = _jpeg_size(data)
        # the full page (taller than the viewport), downscaled in proportion
        size = page["screenshot_size"]
        assert size["width"] == 1280 and 800 < size["height"] <= budget.max_height
        assert width < 1280 and abs(width / height - size["width"] / size["height"]) < 0.01
    total = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    assert total < 3_000_000, f"report folder is {total} bytes"


def test_scripted_walk_is_guarded_too(harness):
    cap, card, srv = scan_folder(harness, WALK, start="garde/index.html", timeout_s=10, steps=[
        {"fill": {"#nom": "Dupont", "#ville": "Lille"}},
        {"click": "Suivant"},
        {"click": "Envoyer ma demande"},
        {"audit": "Confirmation"},
    ])
    assert [_path(p["url"]) for p in _steps(card)] == ["/garde/index.html", "/garde/recapitulatif.html"]
    assert card["stopped_before"]["text"] == "Envoyer ma demande"
    _never(srv, "/garde/envoi.html")
    # the script wanted more after the guarded click: not a clean pass
    assert card["status"] == "partial" and "1 étape(s) du script non exécutée(s)" in card["status_reason"]


def test_unrecognised_buttons_are_reported_not_a_clean_end(harness):
    cap, card, srv = scan_folder(harness, WALK, start="inconnu/index.html", timeout_s=10)
    assert len(card["pages"]) == 1
    assert card["status"] == "partial"
    assert "« Calculer »" in card["status_reason"] and "« Estimer »" in card["status_reason"]
    _never(srv, "/inconnu/resultat-a.html", "/inconnu/resultat-b.html")
