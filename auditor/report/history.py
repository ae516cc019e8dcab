"""What changed between two scans: one démarche (the scorecard's ``previous``
field) or two whole report folders (``auditor diff OLD NEW``).

Pure: scorecards in, plain dicts out.  Findings are matched by the
fingerprints of ``auditor.report.findings`` (so a finding that only moved in the DOM
is neither "fixed" nor "appeared"), indicator levels by the observatory's
scales (better / worse).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from ..indicators import INDICATOR_SCALES
from .findings import enumerate_findings
from ..model import Finding

TREND_FR = {"better": "en mieux", "worse": "en moins bien", "mixed": "contrastée", "unchanged": "inchangée"}
# Beyond this many, the per-finding lists of ``previous`` are cut (the counts stay exact).
MAX_LISTED = 50


def _brief(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "level": f.level, "message": f.message, "url": f.url, "target": f.target,
            "fingerprint": f.fingerprint}


def _indicator_change(name: str, before: Any, after: Any) -> str | None:
    scale = INDICATOR_SCALES.get(name, ())
    if before == after:
        return None
    if before in scale and after in scale:
        return "up" if scale.index(after) < scale.index(before) else "down"
    return "changed"  # to or from "not checked" / "Non applicable": not a move on the scale


def _unmatched(these: list[Finding], others: list[Finding]) -> list[Finding]:
    """The findings of ``these`` with no counterpart in ``others`` (same fingerprint, counted with multiplicity)."""
    left = Counter(f.fingerprint for f in others)
    out: list[Finding] = []
    for f in these:
        if left[f.fingerprint] > 0:
            left[f.fingerprint] -= 1
        else:
            out.append(f)
    return out


def compare_cards(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The change from ``old`` to ``new`` (two scans of one démarche)."""
    old_f, new_f = enumerate_findings(old), enumerate_findings(new)
    appeared, fixed = _unmatched(new_f, old_f), _unmatched(old_f, new_f)
    # indicator findings are reported as level changes, not as findings
    appeared_nf = [f for f in appeared if f.check != "indicators"]
    fixed_nf = [f for f in fixed if f.check != "indicators"]

    old_ind, new_ind = old.get("indicators") or {}, new.get("indicators") or {}
    indicators: dict[str, dict[str, Any]] = {}
    for name in INDICATOR_SCALES:
        change = _indicator_change(name, old_ind.get(name), new_ind.get(name))
        if change:
            indicators[name] = {"before": old_ind.get(name), "after": new_ind.get(name), "change": change}
    ups = sum(1 for v in indicators.values() if v["change"] == "up")
    downs = sum(1 for v in indicators.values() if v["change"] == "down")
    if ups and downs:
        trend = "mixed"
    elif downs:
        trend = "worse"
    elif ups:
        trend = "better"
    elif len(appeared_nf) > len(fixed_nf):
        trend = "worse"
    elif len(fixed_nf) > len(appeared_nf):
        trend = "better"
    else:
        trend = "unchanged"
    return {
        "scanned_at": old.get("scanned_at"),
        "status": {"before": old.get("status"), "after": new.get("status")},
        "trend": trend,
        "indicators": indicators,
        "findings": {
            "before": sum(1 for f in old_f if f.check != "indicators"),
            "after": sum(1 for f in new_f if f.check != "indicators"),
            "appeared": len(appeared_nf),
            "fixed": len(fixed_nf),
            "appeared_list": [_brief(f) for f in appeared_nf[:MAX_LISTED]],
            "fixed_list": [_brief(f) for f in fixed_nf[:MAX_LISTED]],
        },
    }


def previous_for(card: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ``previous`` field of ``card`` given the scorecard it replaces.
    A re-render of the same scan (``auditor report``, same ``scanned_at``)
    keeps the old comparison instead of comparing the scan with itself."""
    if not isinstance(old, dict) or old.get("id") != card.get("id"):
        return None
    if old.get("scanned_at") == card.get("scanned_at"):
        return old.get("previous")
    try:
        return compare_cards(old, card)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # an unreadable old scorecard (older format): no comparison rather than a crash


def attach_previous(card: dict[str, Any], old_path: Path) -> None:
    """Set ``card["previous"]`` from the scorecard at ``old_path`` (the one
    about to be overwritten), or ``None`` when there is none."""
    from ..fileio import read_json

    old = None
    if old_path.is_file():
        try:
            old = read_json(old_path)
        except (OSError, ValueError):
            old = None
    card["previous"] = previous_for(card, old)


def diff_reports(old_cards: Sequence[dict[str, Any]], new_cards: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``auditor diff``: per démarche comparison of two sets of scorecards."""
    old_by = {str(c.get("id")): c for c in old_cards}
    new_by = {str(c.get("id")): c for c in new_cards}
    demarches = []
    for did in sorted(set(old_by) & set(new_by)):
        cmp = compare_cards(old_by[did], new_by[did])
        demarches.append({"id": did, "name": new_by[did].get("name"), **cmp})
    counts = Counter(d["trend"] for d in demarches)
    return {
        "added": [{"id": i, "name": new_by[i].get("name")} for i in sorted(set(new_by) - set(old_by))],
        "removed": [{"id": i, "name": old_by[i].get("name")} for i in sorted(set(old_by) - set(new_by))],
        "summary": {k: counts.get(k, 0) for k in ("better", "worse", "mixed", "unchanged")},
        "findings": {"appeared": sum(d["findings"]["appeared"] for d in demarches),
                     "fixed": sum(d["findings"]["fixed"] for d in demarches)},
        "demarches": demarches,
    }


def format_diff(diff: dict[str, Any], old_label: str, new_label: str) -> str:
    """The diff as French text for a terminal or a CI log."""
    from .findings import _clean

    s = diff["summary"]
    lines = [
        f"Comparaison : {old_label} → {new_label}",
        f"Démarches : {s['better']} en mieux, {s['worse']} en moins bien, {s['mixed']} contrastée(s), "
        f"{s['unchanged']} inchangée(s), {len(diff['added'])} nouvelle(s), {len(diff['removed'])} disparue(s)",
        f"Constats : {diff['findings']['appeared']} apparu(s), {diff['findings']['fixed']} corrigé(s)",
    ]
    arrows = {"better": "▲", "worse": "▼", "mixed": "◆", "unchanged": "="}
    for d in diff["demarches"]:
        if d["trend"] == "unchanged" and not d["findings"]["appeared"] and not d["findings"]["fixed"] \
                and not d["indicators"]:
            continue
        lines.append("")
        lines.append(f"{arrows[d['trend']]} {d['id']} — {_clean(d.get('name'), 120)} : {TREND_FR[d['trend']]}")
        if d["status"]["before"] != d["status"]["after"]:
            lines.append(f"    parcours : {d['status']['before']} → {d['status']['after']}")
        for name, ch in d["indicators"].items():
            word = {"up": "en hausse", "down": "en baisse"}.get(ch["change"], "modifié")
            lines.append(f"    indicateur {name} {word} : {ch['before'] or 'non vérifié'} → {ch['after'] or 'non vérifié'}")
        for key, sign, word in (("appeared_list", "+", "apparu"), ("fixed_list", "−", "corrigé")):
            items = d["findings"][key]
            total = d["findings"]["appeared" if key == "appeared_list" else "fixed"]
            for f in items[:20]:
                where = " — ".join(_clean(x, 150) for x in (f.get("url"), f.get("target")) if x)
                lines.append(f"    {sign} {word} : {_clean(f['message'], 200)}" + (f" — {where}" if where else ""))
            if total > min(len(items), 20):
                lines.append(f"    {sign} … et {total - min(len(items), 20)} autre(s) {word}(s)")
    for a in diff["added"]:
        lines.append(f"+ nouvelle démarche : {a['id']} — {_clean(a.get('name'), 120)}")
    for r in diff["removed"]:
        lines.append(f"− démarche disparue : {r['id']} — {_clean(r.get('name'), 120)}")
    return "\n".join(lines) + "\n"
