"""FranceConnect detection → ``auth`` block → ``indicators.auth``."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.auth import auth_check
from auditor.config import load_rules
from auditor.model import Control
from auditor.pipeline import build_scorecard

from ..expected import expected_of
from .acc_pages import FIXTURES, capture_of, page_from_html

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules")
URL = "https://demarche.example.fr/connexion"


@pytest.mark.parametrize("path", sorted((FIXTURES / "auth").glob("*.html")), ids=lambda p: p.stem)
def test_auth_fixture(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    want = expected_of(path)
    card = build_scorecard(capture_of(page_from_html(html, URL)), RULES)
    auth = card["auth"]
    assert auth["level"] == want["level"]
    assert card["indicators"]["auth"] == want["level"]
    assert card["indicators"]["reasons"]["auth"] == auth["reason"]
    if want["level"] != "Non":
        assert auth["evidence"] and all(e["url"] == URL and e["text"] for e in auth["evidence"])
    if "review" in want:
        assert len(auth["review"]) == want["review"]


def test_button_on_annex_page_is_not_counted() -> None:
    html = (FIXTURES / "auth" / "pass-dsfr-button.html").read_text(encoding="utf-8")
    capture = capture_of(
        page_from_html("<html><body><h1>Étape 1</h1></body></html>", URL, index=1),
        page_from_html(html, "https://demarche.example.fr/aide", kind="annex", index=2),
    )
    block = auth_check(capture, RULES).block
    assert block["level"] == "Non"
    assert any("annexe" in r for r in block["review"])


def test_button_recorded_by_the_collector() -> None:
    page = page_from_html("<html><body><h1>Connexion</h1></body></html>", URL)
    page.html = ""  # only the collector's controls
    page.text = "Connexion"
    page.controls = [Control(selector="#fc", tag="button", type="button", label="S'identifier avec FranceConnect+")]
    block = auth_check(capture_of(page), RULES).block
    assert block["level"] == "FranceConnect +"
    assert block["evidence"][0]["selector"] == "#fc"


def test_authorize_link() -> None:
    html = ('<html><body><a href="https://app.franceconnect.gouv.fr/api/v1/authorize?client_id=x">'
            '<span class="sr-only">Connexion</span></a></body></html>')
    assert auth_check(capture_of(page_from_html(html, URL)), RULES).block["level"] == "FranceConnect"


def test_no_step_page_is_not_checked() -> None:
    card = build_scorecard(capture_of(status="failed"), RULES)
    assert card["auth"]["status"] == "not_checked"
    assert card["indicators"]["auth"] is None


def test_partial_walk_without_button_is_flagged() -> None:
    page = page_from_html("<html><body><h1>Étape 1</h1></body></html>", URL)
    block = auth_check(capture_of(page, status="partial"), RULES).block
    assert block["level"] == "Non" and any("incomplet" in r for r in block["review"])
