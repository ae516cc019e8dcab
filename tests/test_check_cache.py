"""Reusing the checks' results of an unchanged capture (``auditor/check_cache.py``).

Why: a rescan must give the scorecard a full run gives.  Two things could
break that: a check that reads a field the key leaves out (a load time, the
time of the scan), and results that do not survive their JSON round trip.
Both are tested over every capture of the golden test (every check, every
fixture, no browser)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from auditor import check_cache
from auditor import pipeline
from auditor.checks import run_checks
from auditor.config import load_rules
from auditor.model import Capture, CheckResult, ErrorRecord
from auditor.render import html as html_render
from auditor.score import combine

from .checks.test_form_errors_submit import _capture as _form_capture
from .checks.test_form_errors_submit import _with_after
from .checks.test_keyboard_check import el, walk
from .checks.test_reflow_check import _reflow, _spacing, _width
from .test_golden import captures

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")


def _probed() -> Capture:
    """A step with the four probes' records, each with something to report (the golden captures hold none):
    a keyboard trap, a page that scrolls at 320 px, text spacing applied, a form sent empty whose errors
    are not tied to their fields."""
    cap = _form_capture(_with_after(None, {"aria_invalid": False, "state": "", "native": "", "value_missing": True,
                                           "messages": ["Champ obligatoire"], "tied_by": [], "tied": False,
                                           "focused": False}))
    cap.demarche = {**cap.demarche, "id": "sondes"}
    cap.pages[0].load_ms = 420
    cap.pages[0].probes.update({
        "keyboard": walk([el(0, "#a"), el(1, "#piege", tag="div")], ended="trap",
                         traps=[{"kind": "stuck", "ids": [1], "direction": "forward", "escape_released": False,
                                 "left_backward": False}]),
        "reflow": _reflow(narrow=_width(320, scroll_width=900, scrolls=True)),
        "text_spacing": _spacing(),
    })
    return cap


CAPTURES = captures() + [_probed()]


def _plain(results: list[CheckResult]) -> str:
    return json.dumps([r.to_dict() for r in results], sort_keys=True, ensure_ascii=False, default=str)


def _card_json(card: dict[str, Any]) -> str:
    return json.dumps(card, sort_keys=True, ensure_ascii=False, default=str)


def _volatile_changed(cap: Capture) -> Capture:
    """The same capture as a rescan of an unchanged site records it: other load
    times and durations, probe records marked as taken from the cache, another
    time of the same day."""
    other = copy.deepcopy(cap)
    for i, p in enumerate(other.pages):
        p.load_ms = 4321 + i if p.load_ms is not None else None
        p.probes = {name: ({**rec, "cached": True} if isinstance(rec, dict) else rec) for name, rec in p.probes.items()}
    other.duration_ms = (cap.duration_ms or 0) + 98_765
    if other.documents_fetch:
        other.documents_fetch = {**other.documents_fetch, "duration_ms": 55_555}
    scanned = cap.scanned_at or "2026-12-07T10:00:00Z"
    other.scanned_at = f"{scanned[:10]}T23:59:58Z" if not scanned.endswith("23:59:58Z") else f"{scanned[:10]}T00:00:01Z"
    return other


def test_the_golden_captures_cover_the_volatile_fields() -> None:
    assert any(p.load_ms is not None for c in CAPTURES for p in c.pages)
    assert any(c.documents_fetch for c in CAPTURES)
    assert any(p.probes for c in CAPTURES for p in c.pages)  # a rescan marks the probes it reused
    assert any(p.kind == "annex" and "accessibilit" in p.url for c in CAPTURES for p in c.pages)  # dated declaration


@pytest.mark.parametrize("cap", CAPTURES, ids=[c.id for c in CAPTURES])
def test_no_check_reads_what_the_key_leaves_out(cap: Capture) -> None:
    """Load times, durations and the time of day change at every rescan: no check
    may read them, or a reused result would be stale."""
    other = _volatile_changed(cap)
    assert check_cache.checks_key(other.to_dict(), RULES.digest) == check_cache.checks_key(cap.to_dict(), RULES.digest)
    assert _plain(run_checks(other, RULES)[0]) == _plain(run_checks(cap, RULES)[0])


@pytest.mark.parametrize("cap", CAPTURES, ids=[c.id for c in CAPTURES])
def test_reused_results_give_the_same_scorecard_and_page(cap: Capture, tmp_path: Path) -> None:
    results, errors = run_checks(cap, RULES)
    assert not errors
    key = check_cache.checks_key(cap.to_dict(), RULES.digest)
    check_cache.put(tmp_path / ".cache", cap.id, key, results, errors)
    cached = check_cache.get(tmp_path / ".cache", cap.id, key)
    assert cached is not None, "results that do not survive JSON are never stored: every check's must"
    fresh_card, reused_card = combine(cap, results, errors, RULES), combine(cap, *cached, RULES)
    assert _card_json(reused_card) == _card_json(fresh_card)
    html_render.write_scorecard(fresh_card, tmp_path / "fresh")
    html_render.write_scorecard(reused_card, tmp_path / "reused")
    assert (tmp_path / "reused" / cap.id / "scorecard.html").read_text(encoding="utf-8") \
        == (tmp_path / "fresh" / cap.id / "scorecard.html").read_text(encoding="utf-8")


def _with_upload() -> tuple[Capture, int]:
    """The golden capture built by hand with uploads on its second page."""
    cap = next(c for c in CAPTURES if c.id == "axe-et-pdf")
    return cap, next(i for i, p in enumerate(cap.pages) if p.controls)


def test_what_the_checks_read_is_in_the_key() -> None:
    cap, i = _with_upload()
    base = check_cache.checks_key(cap.to_dict(), RULES.digest)
    other = copy.deepcopy(cap)
    other.pages[i].controls[0].label += " (copie)"
    assert check_cache.checks_key(other.to_dict(), RULES.digest) != base
    next_day = copy.deepcopy(cap)
    next_day.scanned_at = "2031-01-01T10:00:00Z"  # a declaration's 3-year validity is counted from the day
    assert check_cache.checks_key(next_day.to_dict(), RULES.digest) != base
    assert check_cache.checks_key(cap.to_dict(), RULES.digest + "x") != base


def test_another_code_makes_every_entry_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    cap = CAPTURES[0]
    base = check_cache.checks_key(cap.to_dict(), RULES.digest)
    monkeypatch.setattr(check_cache, "code_digest", lambda: "a fixed check")
    assert check_cache.checks_key(cap.to_dict(), RULES.digest) != base


def test_process_capture_reuses_only_what_it_may(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Second run of an unchanged capture: no check runs, same scorecard; a changed
    capture, or a run where a check crashed, runs them again."""
    cap, i = _with_upload()
    calls: list[str] = []

    def counting(capture: Capture, rules: Any) -> Any:
        calls.append(capture.id)
        return run_checks(capture, rules)

    monkeypatch.setattr(pipeline, "run_checks", counting)
    first = pipeline.process_capture(cap, RULES, tmp_path, reuse_checks=True)
    second = pipeline.process_capture(_volatile_changed(cap), RULES, tmp_path, reuse_checks=True)
    assert calls == [cap.id]
    assert second["dlnuf"] == first["dlnuf"] and second["indicators"]["dlnuf"] == first["indicators"]["dlnuf"]
    changed = copy.deepcopy(cap)
    changed.pages[i].controls[2].label = "Justificatif de domicile"
    pipeline.process_capture(changed, RULES, tmp_path, reuse_checks=True)
    assert calls == [cap.id, cap.id]
    pipeline.process_capture(changed, RULES, tmp_path, reuse_checks=False)  # --no-cache: runs, reads nothing
    assert calls == [cap.id] * 3

    def crashing(capture: Capture, rules: Any) -> Any:
        calls.append("crash")
        results, _ = run_checks(capture, rules)
        return results, [ErrorRecord(url="", stage="check", message="vérification « x » en échec")]

    monkeypatch.setattr(pipeline, "run_checks", crashing)
    other = copy.deepcopy(cap)
    other.pages[0].title = "Autre titre"
    pipeline.process_capture(other, RULES, tmp_path, reuse_checks=True)
    pipeline.process_capture(other, RULES, tmp_path, reuse_checks=True)
    assert calls[-2:] == ["crash", "crash"]  # never stored, run again


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "checks" / "x.json"
    path.parent.mkdir(parents=True)
    for text in ("", "[]", '{"key": "k"}', '{"key": "k", "results": [{"key": 1}], "errors": []}'):
        path.write_text(text, encoding="utf-8")
        assert check_cache.get(tmp_path, "x", "k") is None
