"""« Réalisable en ligne » (checks/online.py) → ``online`` block → ``indicators.online``.

One fixture per value (and the traps: optional help to download, another
channel offered by choice), each the last page the walk reached, with how the
walk ended in its ``<script type="application/json" id="expected">`` block
(read by tests/expected.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.online import online_check
from auditor.config import load_rules
from auditor.model import Capture
from auditor.pipeline import build_scorecard

from ..expected import expected_of
from .acc_pages import FIXTURES, capture_of, page_from_html

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules")
URL = "https://demarche.example.gouv.fr/demande"


def capture_for(html: str, want: dict, *extra_pages) -> Capture:  # type: ignore[no-untyped-def]
    pages = [*extra_pages, page_from_html(html, URL, index=len(extra_pages) + 1)]
    cap = capture_of(*pages, status=want.get("status", "complete"))
    cap.status_reason = want.get("status_reason")
    if want.get("stopped_before"):
        cap.stopped_before = {"verdict": want["stopped_before"], "text": "Valider", "url": URL,
                              "page_index": len(pages), "selector": "button"}
    return cap


@pytest.mark.parametrize("path", sorted((FIXTURES / "observatoire" / "online").glob("*.html")),
                         ids=lambda p: p.stem)
def test_online_fixture(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    want = expected_of(path)
    card = build_scorecard(capture_for(html, want), RULES)
    block = card["online"]
    assert block["level"] == want["level"], block
    assert card["indicators"]["online"] == want["level"]
    assert card["indicators"]["reasons"]["online"] == block["reason"]
    kinds = [e["kind"] for e in block["evidence"]]
    for kind in want.get("evidence", []):
        assert kind in kinds, block["evidence"]
        ev = next(e for e in block["evidence"] if e["kind"] == kind)
        assert ev["url"] == URL and ev["text"]
    for kind in want.get("not_counted", []):
        assert kind in [e["kind"] for e in block["not_counted"]], block
    if want["level"] == "Oui":
        assert not block["evidence"]


def test_paper_step_on_an_annex_page_is_not_counted() -> None:
    step = page_from_html("<html><body><h1>Récapitulatif</h1></body></html>", URL, index=1)
    annex = page_from_html("<html><body><p>Imprimez le formulaire et envoyez-le par courrier.</p></body></html>",
                           "https://demarche.example.gouv.fr/aide", kind="annex", index=2)
    cap = capture_of(step, annex)
    cap.stopped_before = {"verdict": "final", "text": "Valider", "page_index": 1}
    block = online_check(cap, RULES).block
    assert block["level"] == "Oui"
    assert any("annexe" in r for r in block["review"])


def test_paper_step_seen_before_a_login_wall_is_established() -> None:
    """A paper step is a fact even when the walk stops later: Partiel, not À vérifier."""
    html = "<html><body><p>Imprimez le formulaire puis envoyez-le par courrier à la mairie.</p></body></html>"
    cap = capture_for(html, {"status": "partial", "status_reason": "mur de connexion"})
    assert online_check(cap, RULES).block["level"] == "Partiel"


def test_no_step_is_not_checked() -> None:
    cap = capture_of(status="failed")
    card = build_scorecard(cap, RULES)
    assert card["online"]["status"] == "not_checked"
    assert card["indicators"]["online"] is None


def test_allow_submit_to_confirmation_is_online() -> None:
    cap = capture_for("<html><body><h1>Demande envoyée</h1><p>Merci.</p></body></html>", {})
    cap.demarche["allow_submit"] = True
    assert online_check(cap, RULES).block["level"] == "Oui"
