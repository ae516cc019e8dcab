"""What a fixture page expects, read from the page itself.

Every fixture that states expectations does it one way: a JSON block in the
page's ``<head>``::

    <script type="application/json" id="expected">{"level": "Oui"}</script>

The browser neither runs nor shows it, so the page is tested as it is.  A
multi-page démarche (``tests/fixtures/dlnuf/<case>/``) holds it in its first
page.  Each check's tests compare the keys with their own results; only the
reading is shared, here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]


def expected_of(source: Path | str, name: str | None = None) -> dict[str, Any]:
    """The ``<script type="application/json" id="expected">`` object of a
    fixture, given its path or its HTML (``name`` then names it in messages)."""
    if isinstance(source, Path):
        path = source.resolve()
        html = path.read_text(encoding="utf-8")
        name = name or str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    else:
        html, name = source, name or "page HTML"
    blocks = BeautifulSoup(html, "html.parser").find_all("script", id="expected")
    assert len(blocks) == 1, f"{name}: {len(blocks)} blocs <script id=\"expected\"> (il en faut un, dans <head>)"
    tag = blocks[0]
    assert tag.get("type") == "application/json", f"{name}: le bloc expected doit être type=\"application/json\""
    assert tag.find_parent("head") is not None, f"{name}: le bloc <script id=\"expected\"> doit être dans <head>"
    try:
        value = json.loads(tag.string or "")
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{name}: bloc <script id=\"expected\"> en JSON invalide ({exc})") from None
    assert isinstance(value, dict), f"{name}: le bloc <script id=\"expected\"> doit contenir un objet JSON"
    return value
