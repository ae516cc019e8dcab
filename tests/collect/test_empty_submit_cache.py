"""Which empty submissions a rescan takes from the cache (``auto_walk._left_no_trace``), on facts in the
shape ``probes/empty_submit.py`` records.

Why: a rescan skips the click only when the first scan's click left the page as it was, so that the walk
goes on from the same state; every other submission is replayed (tests/collect/test_empty_submit.py drives
the browser side)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.collect.auto_walk import _left_no_trace

GET_NAV = {"method": "GET", "url": "https://exemple.gouv.fr/etape-4?nom=", "type": "document", "main": True}


def facts(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ran": True, "mode": "native", "moved": False, "native": {"blocked": True, "invalid": 2, "submit": False},
        "refused": [], "dialogs": [], "summary": None, "other_errors": [], "new_text": [], "new_lines": 0,
        "popups": [], "sockets": 0,
        "fields": [{"label": "Nom", "after": {"messages": [], "state": None}}],
    }
    return {**base, **over}


def test_a_submission_the_browser_blocked_is_kept() -> None:
    assert _left_no_trace(facts())


def test_a_get_form_whose_navigation_alone_was_refused_is_kept() -> None:
    """A form sent by GET without constraint (real: the upload step of the bench site, file fields only):
    its navigation is refused, the page stays as it was — a rescan need not click again."""
    assert _left_no_trace(facts(mode="get", native={"blocked": False, "submit": True}, refused=[GET_NAV]))


@pytest.mark.parametrize("over", [
    # the page's own script posted something: it was refused, and the page may have reacted to the failure
    {"mode": "get", "native": {"blocked": False, "submit": True},
     "refused": [GET_NAV, {"method": "POST", "url": "https://exemple.gouv.fr/api", "type": "fetch", "main": False}]},
    {"mode": "get", "native": {"blocked": False, "submit": True},
     "refused": [{**GET_NAV, "method": "POST"}]},
    # the navigation was refused but the page wrote something first
    {"mode": "get", "native": {"blocked": False, "submit": True}, "refused": [GET_NAV], "new_text": ["Erreur"]},
    {"mode": "get", "native": {"blocked": False, "submit": True}, "refused": [GET_NAV],
     "fields": [{"label": "Nom", "after": {"messages": ["Champ obligatoire"], "state": None}}]},
    {"mode": "get", "native": {"blocked": False, "submit": True}, "refused": [GET_NAV], "dialogs": ["Êtes-vous sûr ?"]},
    # the submit event fired and nothing was refused: a script took the submission over, unseen
    {"mode": "get", "native": {"blocked": False, "submit": True}},
    {"moved": True},
    {"error": "sonde en échec"},
])
def test_anything_else_is_submitted_again(over: dict[str, Any]) -> None:
    assert not _left_no_trace(facts(**over))
