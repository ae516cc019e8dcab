"""``reports/auditor.sarif``: SARIF 2.1.0, the static-analysis interchange
format (GitHub code scanning, Azure DevOps, SonarQube, VS Code's SARIF viewer).

Like Microsoft's axe-sarif-converter, a finding's location is the *page URL*
(``physicalLocation.artifactLocation.uri``) and the *CSS selector* of the
element (``logicalLocations[].fullyQualifiedName``, kind ``element``); the
HTML excerpt goes in the result's properties (a SARIF ``region`` needs line
or offset numbers, which a live DOM does not have).  Each result carries its
fingerprint in ``partialFingerprints`` (so a SARIF file can serve as
``--baseline``) and, when a baseline was given, its ``baselineState``.
Démarche-level findings (« dites-le-nous une fois », alternatives, mention,
incomplete walk, indicators) are results too, located on the pages that
prove them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..fileio import write_json
from ..indicators import IMPACTS
from ..report.findings import SARIF_FINGERPRINT_KEY, rules_fr
from ..model import ExportContext, Finding

FORMAT = "sarif"
FILENAME = "auditor.sarif"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

_LEVEL_BY_CATEGORY = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "note",
                      "repeated": "warning", "already-held": "warning", "no-alternative": "warning",
                      "no-mention": "warning", "partial": "warning"}


def _level(f: Finding) -> str:
    if f.gated:
        return "error"
    return _LEVEL_BY_CATEGORY.get(f.category, "note")


def _axe_rule_meta(cards: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    meta: dict[str, dict[str, Any]] = {}
    for c in cards:
        for p in c.get("pages") or []:
            for v in p.get("violations") or []:
                m = meta.setdefault(v["rule"], {"help": v.get("help_fr") or v.get("help") or v["rule"],
                                                "help_url": v.get("help_url"), "impact": v.get("impact"),
                                                "wcag": set(), "rgaa": set()})
                m["wcag"].update(v.get("wcag") or [])
                m["rgaa"].update(v.get("rgaa") or [])
    return meta


def _rule_descriptor(rule_id: str, axe: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if rule_id in axe:
        m = axe[rule_id]
        desc: dict[str, Any] = {
            "id": rule_id,
            "shortDescription": {"text": m["help"]},
            "defaultConfiguration": {"level": _LEVEL_BY_CATEGORY.get(m["impact"] or "minor", "note")},
            "properties": {"tags": ["accessibility", "axe-core"] + [f"wcag:{x}" for x in sorted(m["wcag"])]
                           + [f"rgaa:{x}" for x in sorted(m["rgaa"])], "impact": m["impact"]},
        }
        if m["help_url"]:
            desc["helpUri"] = m["help_url"]
        return desc
    ours = rules_fr().get(rule_id, {"name": rule_id, "help": rule_id})
    return {
        "id": rule_id,
        "shortDescription": {"text": ours["name"]},
        "fullDescription": {"text": ours["help"]},
        "defaultConfiguration": {"level": "note" if rule_id.startswith("indicator/") else "warning"},
        "properties": {"tags": [rule_id.split("/")[0]]},
    }


def _result(f: Finding, rule_index: int, start_urls: dict[str, str]) -> dict[str, Any]:
    url = f.url or start_urls.get(f.demarche) or ""
    location: dict[str, Any] = {}
    if url:
        location["physicalLocation"] = {"artifactLocation": {"uri": url}}
    if f.target:
        location["logicalLocations"] = [{"fullyQualifiedName": f.target,
                                         "kind": "element" if f.check == "axe" else "object"}]
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": _level(f),
        "message": {"text": f"{f.demarche} : {f.message}"},
        "partialFingerprints": {SARIF_FINGERPRINT_KEY: f.fingerprint},
        "properties": {"demarche": f.demarche, "category": f.category, "gated": f.gated,
                       "evidence": f.evidence, "key": f.key},
    }
    if location:
        res["locations"] = [location]
    # other pages that prove the same finding (a document asked on several steps)
    related = []
    for i, ev in enumerate(f.evidence[1:21], start=1):
        if ev.get("url") and ev.get("url") != url:
            rel: dict[str, Any] = {"id": i, "physicalLocation": {"artifactLocation": {"uri": ev["url"]}}}
            if ev.get("label") or ev.get("text"):
                rel["message"] = {"text": str(ev.get("label") or ev.get("text"))}
            related.append(rel)
    if related:
        res["relatedLocations"] = related
    if f.baseline:
        res["baselineState"] = f.baseline
    return res


def build(cards: Sequence[dict[str, Any]], ctx: ExportContext) -> dict[str, Any]:
    axe = _axe_rule_meta(cards)
    rule_ids = sorted({f.rule for f in ctx.findings},
                      key=lambda r: (r not in axe, IMPACTS.index(axe[r]["impact"]) if r in axe and
                                     axe[r]["impact"] in IMPACTS else 9, r))
    index = {r: i for i, r in enumerate(rule_ids)}
    start_urls = {str(c.get("id")): str(c.get("url") or "") for c in cards}
    notifications = [
        {"level": "warning", "message": {"text": f"{n['demarche']} : gate {n['gate']} non évalué — {n['message']}"}}
        for n in ctx.notices
    ]
    for c in sorted(cards, key=lambda c: str(c.get("id"))):
        for e in c.get("errors") or []:
            notifications.append({"level": "note", "message": {
                "text": f"{c.get('id')} : [{e.get('stage')}] {e.get('message')} — {e.get('url')}"}})
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "auditor",
            "version": __version__,
            "semanticVersion": __version__,
            "language": "fr-FR",
            "rules": [_rule_descriptor(r, axe) for r in rule_ids],
        }},
        "invocations": [invocation],
        "results": [_result(f, index[f.rule], start_urls) for f in ctx.findings],
        "properties": {"demarches": sorted(start_urls), "failOn": list(ctx.fail_on),
                       **({"baseline": ctx.baseline} if ctx.baseline else {})},
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(cards: Sequence[dict[str, Any]], out_dir: Path, ctx: ExportContext) -> Path:
    path = out_dir / FILENAME
    write_json(path, build(cards, ctx))
    return path
