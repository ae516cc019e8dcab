"""« Je donne mon avis » (checks/jdma.py) → ``jdma`` block → ``indicators.jdma``.

Each fixture is the last step the walk reached; ``stopped_before`` is a
final control unless the fixture's ``status`` says the walk stopped early.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.jdma import jdma_check
from auditor.config import load_rules
from auditor.report.findings import enumerate_findings
from auditor.pipeline import build_scorecard

from ..expected import expected_of
from .acc_pages import FIXTURES, capture_of, page_from_html

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules")
HOME = "https://demarche.example.gouv.fr/"
URL = "https://demarche.example.gouv.fr/demande/recapitulatif"
BUTTON = ('<a href="https://jedonnemonavis.numerique.gouv.fr/Demarches/3321?button=4567">'
          '<img src="bouton.svg" alt="Je donne mon avis"></a>')


def _capture(*pages, status="complete", final=True):  # type: ignore[no-untyped-def]
    cap = capture_of(*pages, status=status)
    if final and status == "complete":
        cap.stopped_before = {"verdict": "final", "text": "Valider", "page_index": pages[-1].index}
    return cap


@pytest.mark.parametrize("path", sorted((FIXTURES / "observatoire" / "jdma").glob("*.html")), ids=lambda p: p.stem)
def test_jdma_fixture(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    want = expected_of(path)
    home = page_from_html("<html><body><h1>Accueil</h1><a href='/demande'>Commencer</a></body></html>", HOME, index=1)
    cap = _capture(home, page_from_html(html, URL, index=2), status=want.get("status", "complete"))
    cap.status_reason = want.get("status_reason")
    card = build_scorecard(cap, RULES)
    block = card["jdma"]
    assert block["level"] == want["level"], block
    assert card["indicators"]["jdma"] == want["level"]
    assert block["procedure_id"] == want.get("procedure_id")
    if want.get("procedure_id"):
        b = block["buttons"][0]
        assert b["position"] == "fin" and b["url"] == URL and b["href"].startswith("https://")
        assert b["image"] is bool(want.get("image") or want.get("findings"))
    assert [f["id"] for f in block["findings"]] == want.get("findings", [])
    assert len(block["review"]) == want.get("review", 0)
    if want.get("findings"):
        ci = [f for f in enumerate_findings(card) if f.check == "jdma"]
        assert ci and ci[0].url == URL and ci[0].category == "jdma"


def test_trap_button_on_home_page_only_is_partial() -> None:
    home = page_from_html(f"<html><body><h1>Accueil</h1>{BUTTON}</body></html>", HOME, index=1)
    end = page_from_html("<html><body><h1>Récapitulatif</h1></body></html>", URL, index=2)
    block = jdma_check(_capture(home, end), RULES).block
    assert block["level"] == "Partiel"
    assert block["procedure_id"] == "3321"
    assert block["buttons"][0]["position"] == "départ"
    assert "pas à la fin" in block["reason"]


def test_button_on_an_annex_page_is_not_at_the_end() -> None:
    end = page_from_html("<html><body><h1>Récapitulatif</h1></body></html>", URL, index=1)
    annex = page_from_html(f"<html><body>{BUTTON}</body></html>", HOME + "contact", kind="annex", index=2)
    block = jdma_check(_capture(end, annex), RULES).block
    assert block["level"] == "Partiel"
    assert block["buttons"][0]["position"] == "annexe"


def test_button_on_last_reached_step_of_a_stopped_walk_is_to_check() -> None:
    end = page_from_html(f"<html><body><h1>Étape 2</h1>{BUTTON}</body></html>", URL, index=1)
    block = jdma_check(_capture(end, status="partial"), RULES).block
    assert block["level"] == "À vérifier"
    assert block["procedure_id"] == "3321"
