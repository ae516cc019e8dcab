"""indicators.performance and indicators.handicap from the scorecard fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import load_rules
from auditor.model import Capture, PageCapture
from auditor.indicators import compute_indicators
from auditor.pipeline import build_scorecard

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")


def _capture(pages: list[PageCapture]) -> Capture:
    return Capture(demarche={"id": "essai", "url": "https://d.fr/"}, scanned_at="2026-11-27T10:00:00Z",
                   tool={}, pages=pages)


@pytest.mark.parametrize(
    "times, level",
    [
        ([120, 399, 5000], "Optimal"),  # median 399
        ([400, 100, 900], "Partiel"),  # median 400: not under 400
        ([799, 799, 10], "Partiel"),
        ([800, 900, 100], "Faible"),
        ([2500], "Faible"),
    ],
)
def test_performance_is_the_median_step_load(times: list[int], level: str) -> None:
    pages = [PageCapture(index=i + 1, kind="step", url=f"https://d.fr/{i}", load_ms=t) for i, t in enumerate(times)]
    # annex pages and SPA states (no load time) do not count
    pages.append(PageCapture(index=99, kind="annex", url="https://d.fr/aide", load_ms=10))
    pages.append(PageCapture(index=100, kind="step", url="https://d.fr/spa", load_ms=None))
    card = build_scorecard(_capture(pages), RULES)
    assert card["indicators"]["performance"] == level
    assert "médian" in card["indicators"]["reasons"]["performance"]


def test_performance_unknown_without_times() -> None:
    card = build_scorecard(_capture([PageCapture(index=1, kind="step", url="https://d.fr/", load_ms=None)]), RULES)
    assert card["indicators"]["performance"] is None


@pytest.mark.parametrize(
    "acc, level",
    [
        ({"declared_rate": 1.0, "declaration_valid": True}, "Oui"),
        ({"declared_rate": 0.99, "declaration_valid": True}, "Partiel"),
        ({"declared_rate": 0.5, "declaration_valid": True}, "Partiel"),
        ({"declared_rate": 0.49, "declaration_valid": True}, "Non"),
        ({"declared_rate": 1.0, "declaration_valid": False}, "Non"),  # expired
        ({"declared_rate": None, "declaration_valid": True}, "Non"),  # no rate published
        ({"declared_rate": None, "declaration_valid": False}, "Non"),  # no declaration
        ({"mention": "non"}, None),  # declaration linked but not read
    ],
)
def test_handicap_levels(acc: dict, level: str | None) -> None:
    card = {"pages": [], "accessibility": {"status": "checked", **acc}}
    assert compute_indicators(card, RULES)["handicap"] == level
