"""Capture + check results → scorecard (the contract of ../spec/scorecard-json.md).

The stage after the checks: it combines their results with the capture and
computes the indicators (``auditor.indicators``); it runs no check and reads
no rule of a check (``auditor.pipeline`` runs the checks).

The scorecard is a plain JSON-ready dict: every renderer and exporter reads
only this.  Indicator levels follow the observatory ("Vos démarches
essentielles") with thresholds read from ``rules/indicators.yaml``.  A block
whose check did not run stays ``{"status": "not_checked"}`` and its indicator
``null``: never an invented value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import __version__
from .indicators import compute_indicators
from .model import SCHEMA_VERSION, Capture, CheckResult, ErrorRecord, PageCapture
from .run.resume import config_digest
from .step_names import step_names

if TYPE_CHECKING:
    from .config import Rules

NOT_CHECKED: dict[str, Any] = {"status": "not_checked"}

def page_dict(page: PageCapture, name: str | None = None) -> dict[str, Any]:
    """One page of the scorecard; ``name``: what the step asks (step_names.py)
    when the auditor's script gave it none.  ``axe_reused`` (only when some
    region's axe results were taken from an earlier page, collect/chrome.py)
    lets the reader see which, and from which page."""
    out = {
        "url": page.url,
        "title": page.title,
        "name": page.name or name,
        "kind": page.kind,
        "index": page.index,
        "http_status": page.http_status,
        "load_ms": page.load_ms,
        "violations": [],  # filled by checks/axe_pages.py
        "incomplete": len(page.incomplete),
        "incomplete_rules": [],
        "axe_error": page.axe_error,
        "screenshot": page.screenshot,
        "screenshot_size": page.screenshot_size,
    }
    if page.axe_reused:
        out["axe_reused"] = [dict(r) for r in page.axe_reused]
    return out


def expect_missing(capture: Capture) -> list[str]:
    """Entries of ``expect`` (URL substrings or headings) that no step page reached."""
    missing = []
    steps = capture.step_pages()
    for want in capture.demarche.get("expect") or []:
        low = want.casefold()
        hit = any(
            want in p.url
            or low in p.title.casefold()
            or any(low in h.casefold() for h in p.headings)
            or (p.name or "").casefold() == low
            for p in steps
        )
        if not hit:
            missing.append(want)
    return missing


def build_scorecard(capture: Capture, rules: "Rules") -> dict[str, Any]:
    """Old entry point, kept for ``tests/collect`` (owned by the collector's
    engineer): checks then scores.  New code calls
    :func:`auditor.pipeline.check_and_score`."""
    from .pipeline import check_and_score

    return check_and_score(capture, rules)


def combine(capture: Capture, results: list[CheckResult], check_errors: list[ErrorRecord],
            rules: "Rules") -> dict[str, Any]:
    """The whole scorecard of one démarche: its capture and its checks'
    results combined, indicators computed.  Runs no check."""
    names = step_names(capture.pages)
    d = capture.demarche
    card: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": d["id"],
        "name": d.get("name"),
        "url": d.get("url"),
        "administration": d.get("administration"),
        "annual_users": d.get("annual_users"),
        "ref": d.get("ref"),  # the observatory's reference (Ref_Demarche), when demarches.yaml gives it
        "essential": (d.get("annual_users") or 0) > 200_000,
        "scanned_at": capture.scanned_at,
        "tool": {**capture.tool, "version": capture.tool.get("version", __version__), "rules": rules.digest,
                 **({"rules_overridden": list(rules.overridden)} if rules.overridden else {})},
        "status": capture.status,
        "status_reason": capture.status_reason,
        "errors": [e.to_dict() for e in capture.errors] + [e.to_dict() for e in check_errors],
        "stopped_before": capture.stopped_before,
        "robots": capture.robots,  # what robots.txt said of the start address (None: not read)
        "duration_ms": capture.duration_ms,
        "expect_missing": expect_missing(capture),
        "blocked_requests": list(capture.blocked_requests),
        "config_digest": config_digest(capture.demarche, rules.digest, capture.scan_options),
        "pages": [page_dict(p, names.get(p.index)) for p in capture.pages],
        "accessibility": dict(NOT_CHECKED),
        "dlnuf": dict(NOT_CHECKED),
        "alternatives": dict(NOT_CHECKED),
        "auth": dict(NOT_CHECKED),
        "online": dict(NOT_CHECKED),
        "jdma": dict(NOT_CHECKED),
        "documents": dict(NOT_CHECKED),
    }
    by_index = {p["index"]: p for p in card["pages"]}
    for res in _merge(results):
        if res.key:  # a check may fill pages only (checks/axe_pages.py)
            card[res.key] = {"status": "checked", **res.block}
        for idx, fields in res.page_fields.items():
            if idx in by_index:
                by_index[idx].update(fields)
    if card["expect_missing"] and card["status"] == "complete":
        card["status"] = "partial"
        card["status_reason"] = "Étapes attendues non atteintes : " + ", ".join(card["expect_missing"]) + "."
    card["indicators"] = compute_indicators(card, rules)
    return card


class CheckCollision(ValueError):
    """Two checks filled the same field: one would silently overwrite the other."""


def _merge(results: list[CheckResult]) -> list[CheckResult]:
    """One result per block: checks that share a block (the three of
    ``accessibility``) are merged in name order; a field filled twice is an
    error, never an overwrite."""
    merged: dict[str, CheckResult] = {}
    for r in results:
        if r.key in merged:
            m = merged[r.key]
            if clash := set(m.block) & set(r.block):
                raise CheckCollision(f"block {r.key!r}: fields {sorted(clash)} filled by two checks")
            m.block.update(r.block)
            for idx, f in r.page_fields.items():
                if clash := set(m.page_fields.get(idx, {})) & set(f):
                    raise CheckCollision(f"page {idx}: fields {sorted(clash)} filled by two checks")
                m.page_fields.setdefault(idx, {}).update(f)
        else:
            merged[r.key] = CheckResult(key=r.key, block=dict(r.block), page_fields={k: dict(v) for k, v in r.page_fields.items()})
    return list(merged.values())
