"""Incremental rescans and the per-page axe timeout, in a real Chromium.

- a second scan of an unchanged site runs axe on no page and writes the
  same scorecards (apart from timestamps and load times); ``cache=False``
  (``--no-cache``) runs axe on every page again (what invalidates the
  cache, rules and axe version, is tested in test_axe_cache.py);
- a page where axe cannot finish in time is recorded as needing review,
  axe is stopped in the page, and the walk goes on to the next step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditor.collect import page_audit
from auditor.config import CrawlList, load_rules
from auditor.demo.server import StaticServer
from auditor.pipeline import run_scan
from support import FIXTURES

pytestmark = pytest.mark.browser
SITE = FIXTURES / "site"


def comparable(card: dict[str, Any]) -> dict[str, Any]:
    """What must not change between two scans of an unchanged site (the
    ``previous`` block compares a scan with the one before it: it is history,
    not findings)."""
    card = json.loads(json.dumps(card))
    for k in ("scanned_at", "duration_ms", "previous"):
        card.pop(k, None)
    for p in card["pages"]:
        p.pop("load_ms", None)
    ind = card.get("indicators") or {}
    ind.pop("performance", None)
    (ind.get("reasons") or {}).pop("performance", None)
    return card


def without_shots(card: dict[str, Any]) -> dict[str, Any]:
    """A scan without screenshots has no screenshot, size or located boxes:
    the findings themselves must still be the same."""
    for p in card["pages"]:
        p.pop("screenshot", None)
        p.pop("screenshot_size", None)
        for v in p.get("violations", []):
            for n in v.get("nodes", []):
                n.pop("box", None)
    return card


def demarches(base: str, ids: list[str], start: str, **extra: Any) -> list[Any]:
    crawl = CrawlList.model_validate({"defaults": {"timeout_s": 10}, "demarches": [
        {"id": i, "name": f"Démarche {i}", "url": base + start, **extra} for i in ids]})
    return crawl.effective_demarches()


@pytest.fixture
def axe_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = page_audit._axe_raw

    async def counting(page: Any, timeout_s: float, cdp: Any = None, **kw: Any) -> Any:
        calls.append(page.url)
        return await real(page, timeout_s, cdp, **kw)

    monkeypatch.setattr(page_audit, "_axe_raw", counting)
    return calls


def test_rescan_of_unchanged_site_skips_axe_with_identical_scorecards(tmp_path: Path, axe_calls: list[str]) -> None:
    rules = load_rules()
    out = tmp_path / "reports"
    with StaticServer(SITE) as srv:
        ds = demarches(srv.url, ["a", "b"], "parcours/index.html")
        first = run_scan(ds, rules, out, concurrency=2).cards
        pages = sum(len(c["pages"]) for c in first)
        # the two démarches walk the same pages: what one audited, the other may reuse
        assert pages >= 6 and 0 < len(axe_calls) <= pages
        shots = {p: p.read_bytes() for p in out.glob("*/screenshots/*.jpg")}
        assert shots

        axe_calls.clear()
        second = run_scan(ds, rules, out, concurrency=2).cards
        assert axe_calls == []  # every page came from the cache
        assert [comparable(c) for c in second] == [comparable(c) for c in first]
        assert {p: p.read_bytes() for p in out.glob("*/screenshots/*.jpg")} == shots

        forced = run_scan(ds, rules, out, concurrency=2, cache=False).cards
        assert len(axe_calls) == pages  # --no-cache: axe on every page of both démarches
        assert [without_shots(comparable(c)) for c in forced] == [without_shots(comparable(c)) for c in first]



def test_rescan_reuses_what_the_probes_recorded(tmp_path: Path, axe_calls: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The probes beyond axe (keyboard walk, reflow, text spacing) cost processor time on every step: an
    unchanged page (same DOM, viewport and probes) takes their facts from the cache, and the scorecards
    (keyboard, reflow, text_spacing blocks and the RGAA table) stay identical."""
    from auditor.collect import probes as probes_pkg

    runs: list[str] = []
    real = probes_pkg.run_probes

    async def counting(page: Any, names: Any, timeout_s: float) -> Any:
        runs.append(page.url)
        return await real(page, names, timeout_s)

    monkeypatch.setattr(probes_pkg, "run_probes", counting)
    asked = frozenset(probes_pkg.NAMES)
    out = tmp_path / "reports"
    with StaticServer(SITE) as srv:
        ds = demarches(srv.url, ["a"], "parcours/index.html")
        first = run_scan(ds, load_rules(), out, concurrency=1, probes=asked).cards
        assert runs and all(first[0][b]["status"] == "checked" for b in ("keyboard", "reflow", "text_spacing"))
        runs.clear()
        second = run_scan(ds, load_rules(), out, concurrency=1, probes=asked).cards
        assert runs == [] and axe_calls  # the probes ran on no page the second time
        assert [comparable(c) for c in second] == [comparable(c) for c in first]
        # other probes asked: not the same entry, they run again
        third = run_scan(ds, load_rules(), out, concurrency=1, probes=frozenset({"reflow"})).cards
        assert runs and third[0]["keyboard"]["status"] == "not_checked"


def huge_site(root: Path, rows: int) -> Path:
    table = "".join(f"<tr><td>{r}</td><td>a</td><td>b</td><td>c</td></tr>" for r in range(rows))
    root.mkdir()
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Historique – Démarche</title></head>'
        '<body><main><h1>Historique</h1><form action="etape-2.html" method="get">'
        '<button type="submit">Suivant</button></form>'
        f"<table><caption>Historique</caption>{table}</table></main></body></html>", encoding="utf-8")
    (root / "etape-2.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Étape 2 – Démarche</title></head>'
        '<body><main><h1>Étape 2</h1><img src="x.png"><form action="fin.html" method="get">'
        '<button type="submit">Envoyer ma demande</button></form></main></body></html>', encoding="utf-8")
    return root


def test_axe_timeout_records_review_and_the_walk_goes_on(tmp_path: Path) -> None:
    site = huge_site(tmp_path / "site", rows=2000)  # 10 000 elements: axe needs far more than 1 s
    with StaticServer(site) as srv:
        (card,) = run_scan(demarches(srv.url, ["enorme"], "index.html"), load_rules(), tmp_path / "out",
                           screenshots=False, axe_timeout_s=1, cache=False).cards
    first, second = card["pages"][0], card["pages"][1]
    assert "axe n'a pas terminé en 1 s" in first["axe_error"] and "vérifier" in first["axe_error"]
    assert any(e["stage"] == "axe" and e["url"] == first["url"] for e in card["errors"])
    # axe was stopped: the busy page did not block the walk (timeout_s is 10 s), the next step
    # was reached and fully audited
    assert second["url"].split("?")[0].endswith("etape-2.html")
    assert second["axe_error"] is None and [v["rule"] for v in second["violations"]] == ["image-alt"]
    assert card["stopped_before"]["text"] == "Envoyer ma demande"
    assert first["url"] in card["accessibility"]["pages_not_audited"]
