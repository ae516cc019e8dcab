"""A single-page démarche end to end, in a real Chromium: History-API routing
(pushState, never a document load), one question per page, a CSS transition
between questions, an audience beacon that never answers, a postcode field
whose communes come from an API, and an error view the application renders
itself at the end (tests/fixtures/walk/spa-history/, served by spa_server)."""

from __future__ import annotations

import time

import pytest

from auditor.score import build_scorecard
from spa_server import SpaServer

pytestmark = pytest.mark.browser
QUESTIONS = 8


@pytest.fixture(scope="module")
def walked(harness):
    with SpaServer() as srv:
        started = time.monotonic()
        cap = harness.walk({"id": "simulateur", "name": "Simulateur", "url": f"{srv.url}?n={QUESTIONS}",
                            "timeout_s": 15})
        elapsed = time.monotonic() - started
        log = list(srv.log)
    return cap, build_scorecard(cap, harness.rules), elapsed, log


def test_every_question_is_a_step_and_the_walk_does_not_idle(walked):
    cap, card, elapsed, log = walked
    paths = [p.url.split("/spa-history", 1)[1] for p in cap.pages]
    assert paths == [f"/?n={QUESTIONS}"] + [f"/question/{k}" for k in range(1, QUESTIONS + 1)] + ["/resultats"]
    # one document for the whole walk: every later step came through pushState
    assert sum(1 for _, method, path, dest in log if dest == "document") == 1
    # the audience beacon never answered, yet no step waited for it: well under a second a step
    # (the browser opens at most 6 connections to the collector: later beacons wait in the browser)
    assert sum(path.startswith("/collect") for _, _, path, _ in log) >= 6
    assert elapsed / len(cap.pages) < 1.5, elapsed


def test_the_postcode_question_is_one_step_completed_by_its_api(walked):
    cap, card, elapsed, log = walked
    assert sum(p.url.endswith("/question/3") for p in cap.pages) == 1  # the communes list did not make a step
    assert any(path.startswith("/spa-history/api/communes?codePostal=") for _, _, path, _ in log)


def test_the_apps_own_error_view_makes_the_demarche_partial_with_its_words(walked):
    cap, card, elapsed, log = walked
    assert cap.status == "partial"
    assert cap.status_reason == ("erreur affichée par l'application : « Une erreur est survenue. Nos services ne "
                                 "sont pas disponibles pour le moment. »")
    assert any(e.url.endswith("/resultats") and "Une erreur est survenue" in e.message for e in cap.errors)


def test_steps_are_named_by_their_question(walked):
    cap, card, elapsed, log = walked
    names = [p["name"] for p in card["pages"]]
    assert len(set(names)) == len(names)  # every step has its own name, though all share one <title>
    assert len({p.title for p in cap.pages}) == 1
    assert names[1] == "Question 1 : êtes-vous concerné par la situation 1 ?" and names[3] == "Où habitez-vous ?"


def test_a_budget_stop_says_how_far_and_what_was_next(harness):
    with SpaServer() as srv:
        cap = harness.walk({"id": "s", "name": "S", "url": f"{srv.url}?n={QUESTIONS}", "timeout_s": 15,
                            "max_steps": 4})
    assert len(cap.pages) == 4 and cap.status == "partial"
    assert cap.status_reason.startswith("limite de 4 étapes atteinte après 4 étapes ; étape suivante non auditée : "
                                        "« Question 4 : combien de personnes sont concernées (4) ? »")
