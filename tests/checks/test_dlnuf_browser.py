"""« Dites-le-nous une fois » on multi-step démarches walked by the real crawler.

Each folder of ``tests/fixtures/dlnuf/`` whose first page, ``index.html``,
holds a ``<script type="application/json" id="expected">`` block is a démarche
written the way real ones are (DSFR upload groups, démarches-simplifiées champs
with hidden inputs, custom widgets, a companion "Type de pièce" select,
single-page-app steps, checklist and annex pages).  It is walked once with
Chromium (auto-walk, filling, annexes: what ``auditor scan`` does, axe-core left
out for speed) and its scorecard is compared with that block (read by
tests/expected.py): every request with its reading, every repetition and
already-held request with its evidence (page, URL, selector, label), and nothing
more — an unexpected finding fails the test as surely as a missed one.  Adding a
case needs no Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from auditor.render.html import render_scorecard
from auditor.schemas import validate_scorecard
from support import FIXTURES, scan_folder
from tests.expected import expected_of

pytestmark = pytest.mark.browser

CASES = sorted(p.parent for p in (FIXTURES / "dlnuf").glob("*/index.html")
               if 'id="expected"' in p.read_text(encoding="utf-8"))
_SCANS: dict[Path, tuple[Any, dict[str, Any], Any]] = {}


def _scan(harness: Any, folder: Path) -> tuple[Any, dict[str, Any], Any]:
    """One walk per folder for the whole module, without axe-core: the check
    reads the crawler's extraction only, and axe is the slow part of a capture."""
    if folder not in _SCANS:
        import auditor.collect.page_audit as page_audit

        async def no_results(page: Any, timeout_s: float, cdp: Any = None, **kw: Any) -> tuple[dict[str, Any], None]:
            return {"violations": [], "incomplete": []}, None

        assert hasattr(page_audit, "_axe_raw"), "page_audit changed: update this helper"
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(page_audit, "_axe_raw", no_results)
            _SCANS[folder] = scan_folder(harness, folder, id=folder.name, name=f"Démarche {folder.name}",
                                         timeout_s=20)
    return _SCANS[folder]


def _expected(folder: Path) -> dict[str, Any]:
    return expected_of(folder / "index.html")


def _file(url: str) -> str:
    return Path(urlparse(url).path).name


def _evidence(q: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    """The fields of a finding's request that ``want`` states (url as a file name)."""
    got = {"page": q.get("page"), "url": _file(q.get("url", "")), "selector": q.get("selector"),
           "label": q.get("label")}
    return {k: got[k] for k in want}


def _findings(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    """Same findings, same order, each with exactly the expected evidence."""
    assert [f["document"] for f in found] == [e["document"] for e in expected], found
    for f, e in zip(found, expected):
        assert [_evidence(q, w) for q, w in zip(f["requests"], e["requests"])] == e["requests"], f
        assert len(f["requests"]) == len(e["requests"]), f
        if "source" in e:
            assert f["source"] == e["source"]
        assert f["reason"], f


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_walk_reaches_every_step_and_annex(harness, folder):
    exp = _expected(folder)
    cap, card, srv = _scan(harness, folder)
    assert card["status"] == exp["status"], card["status_reason"]
    assert validate_scorecard(card) == []
    steps = [p for p in card["pages"] if p["kind"] == "step"]
    assert [_file(p["url"]) for p in steps] == exp["steps"]
    assert (card["stopped_before"] or {}).get("text") == exp["stopped_before"]
    # the annex pages were visited, they hold file inputs, and none of them counts
    annex = [p for p in cap.pages if p.kind == "annex"]
    assert [_file(p.url) for p in annex] == exp["annex"]
    assert all(any(c.type == "file" for c in p.controls) for p in annex)
    assert all("requests" not in p for p in card["pages"] if p["kind"] == "annex")
    assert not any(_file(q["url"]) in exp["annex"] for q in card["dlnuf"]["unmatched"] + card["dlnuf"]["generic"])


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_every_request_is_read(harness, folder):
    exp = _expected(folder)
    _, card, _ = _scan(harness, folder)
    got = [{**r, "page": p["index"], "url": p["url"]} for p in card["pages"] if p["kind"] == "step"
           for r in p.get("requests", [])]
    assert len(got) == len(exp["requests"]), [(r["page"], r["selector"], r["document"]) for r in got]
    for r, want in zip(got, exp["requests"]):
        actual = {k: (_file(r[k]) if k == "url" else r.get(k)) for k in want}
        assert actual == want, r
    assert card["dlnuf"]["requests"] == len(exp["requests"])


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_repeated_and_already_held_with_evidence_and_nothing_else(harness, folder):
    exp = _expected(folder)
    _, card, _ = _scan(harness, folder)
    dl = card["dlnuf"]
    _findings(dl["repeated"], exp["repeated"])
    _findings(dl["already_held"], exp["already_held"])
    assert dl["score"] == exp["score"]
    assert card["indicators"]["dlnuf"] == exp["level"]
    assert [r["reason"] for r in dl["review"]] == exp["review"]


def test_scorecard_section_shows_the_evidence(harness):
    """The French section marks repeated and already-held requests, step by step."""
    folder = FIXTURES / "dlnuf" / "dsfr-parcours"
    _, card, _ = _scan(harness, folder)
    html = render_scorecard(card)
    assert "Demandée plusieurs fois" in html and "Déjà détenue" in html
    assert "#champ-Q2hhbXAtNDQ1-pj" in html and "Justificatif d&#39;adresse" in html
    assert "API Impôt particulier (DGFiP)" in html
