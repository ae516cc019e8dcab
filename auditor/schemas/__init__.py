"""The JSON Schema of scorecard.json (the published contract), and its validator."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SCORECARD_SCHEMA = Path(__file__).parent / "scorecard.schema.json"


@lru_cache(maxsize=1)
def scorecard_schema() -> dict[str, Any]:
    return json.loads(SCORECARD_SCHEMA.read_text(encoding="utf-8"))


def validate_scorecard(card: Any) -> list[str]:
    """French messages for every schema violation (empty when valid)."""
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(scorecard_schema(), format_checker=FormatChecker())
    out = []
    for err in sorted(validator.iter_errors(card), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(racine)"
        out.append(f"{where} : {err.message}")
    return out
