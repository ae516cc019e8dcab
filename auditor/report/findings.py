"""Findings read back from scorecards, their fingerprints, CI gates and baselines.

Every CI output (the ``--fail-on`` gate, ``--baseline``, JUnit, SARIF,
Markdown, ``auditor diff``) needs the same list of findings; they all get it
from ``enumerate_findings`` so that they never disagree on what a finding is.
This module is pure: scorecards (dicts following the contract) in, findings
out; it never reads a capture nor drives a browser.

A finding's *fingerprint* must survive changes of the page that have nothing
to do with it (a banner inserted above it, a wrapper ``<div>``, re-numbered
auto-generated ids, a different host for a preview deployment), otherwise a
baseline would report known findings as new on every DOM change.  It hashes:

- the démarche id and the rule;
- the page *path* (no host, no query; long numbers and UUIDs folded), so
  ``https://preview-42.example/cni/etape-2`` and production match;
- a normalised *target*: the element's own identity read from its HTML
  (tag, type, role, then id / name / for / src / href… with digits folded)
  rather than axe's CSS path, which changes with every sibling added;
  enclosing iframes keep their (normalised) selectors.

Fingerprints are compared as a multiset: two identical ``<img>`` without
``alt`` on a page are two findings with the same fingerprint, and a third
one appearing is new.

Blocks a check did not fill (``{"status": "not_checked"}``) yield no
finding: a gate that needs them reports a *notice* ("non vérifié"), never a
pass nor a failure.

The parts: what every output names the same way (``finding_common``), the
fingerprints (``fingerprints``) and the ``--fail-on`` gate (``gates``); this
module enumerates the findings, reads baselines and evaluates a run, and
every name is still importable from here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..checks import metas
from ..indicators import IMPACT_FR, IMPACTS, INDICATOR_FR, INDICATOR_SCALES
from ..model import ExportContext, Finding
from .finding_common import (  # noqa: F401  (re-exported: the checks and renderers name them from here)
    BUILTIN_CHECKS,
    BUILTIN_RULES,
    INDICATORS_CHECK,
    _clean,
    checks_fr,
    finding_tokens,
    is_checked,
    rules_fr,
)
from .fingerprints import (  # noqa: F401  (re-exported)
    FINGERPRINT_VERSION,
    _url_tail,
    element_signature,
    fingerprint,
    node_key,
    normalise_selector,
    page_key,
)
from .gates import GateError, gate_matches, gate_notices, parse_fail_on

SARIF_FINGERPRINT_KEY = "auditorFingerprint/v1"


# --------------------------------------------------------------------------- enumeration


def enumerate_findings(card: dict[str, Any]) -> list[Finding]:
    """Every finding of one scorecard, in a stable order (pages in visit
    order, then the démarche-level findings)."""
    did = str(card.get("id"))
    start = card.get("url")
    out: list[Finding] = []

    status = card.get("status")
    if status in ("partial", "failed"):
        rule = f"walk/{status}"
        reason = _clean(card.get("status_reason") or "raison non précisée")
        fp, key = fingerprint(did, rule)
        steps = [p for p in card.get("pages") or [] if p.get("kind") == "step"]
        where = steps[-1].get("url") if steps else start  # the last step reached
        out.append(Finding(
            demarche=did, check="walk", rule=rule, category="partial", level=status,
            message=("Parcours incomplet : " if status == "partial" else "Analyse en échec : ") + reason,
            url=where, evidence=[{"url": where, "text": reason}], fingerprint=fp, key=key))

    for page in card.get("pages") or []:
        path = page_key(page.get("url"))
        for v in page.get("violations") or []:
            impact = v.get("impact") if v.get("impact") in IMPACTS else "minor"
            help_text = _clean(v.get("help_fr") or v.get("help") or v.get("rule"))
            for node in v.get("nodes") or []:
                target = node.get("target") or ""
                fp, key = fingerprint(did, v["rule"], path, node_key(target, node.get("html")))
                out.append(Finding(
                    demarche=did, check="axe", rule=v["rule"], category=impact, level=v.get("impact"),
                    message=f"{v['rule']} ({IMPACT_FR.get(impact, impact)}) : {help_text}",
                    url=page.get("url"), target=target,
                    evidence=[{"url": page.get("url"), "selector": target, "html": node.get("html") or "",
                               **({"summary": node["summary"]} if node.get("summary") else {})}],
                    fingerprint=fp, key=key))

    for meta in metas():  # each check turns its own block into findings (checks/*.py)
        if not is_checked(card.get(meta.block)):
            continue
        for cf in meta.findings(card):
            if cf.status != "fail":  # « review »: shown by the check's section, never counted
                continue
            fp, key = fingerprint(did, cf.rule, *cf.identity)
            out.append(Finding(
                demarche=did, check=meta.id, rule=cf.rule, category=cf.category, level=cf.level, message=cf.message,
                url=cf.url, target=cf.target, evidence=cf.evidence, fingerprint=fp, key=key))

    indicators = card.get("indicators") or {}
    reasons = indicators.get("reasons") or {}
    for name, scale in INDICATOR_SCALES.items():
        level = indicators.get(name)
        if level in scale and level != scale[0]:
            fp, key = fingerprint(did, f"indicator/{name}", level)
            out.append(Finding(
                demarche=did, check="indicators", rule=f"indicator/{name}", category=f"indicator:{name}",
                level=level, message=f"Indicateur {INDICATOR_FR[name]} : {level}"
                + (f" — {_clean(reasons.get(name), 200)}" if reasons.get(name) else ""),
                url=start, evidence=[{"url": start, "text": _clean(reasons.get(name))}] if reasons.get(name) else [],
                fingerprint=fp, key=key))
    return out


def all_findings(cards: Sequence[dict[str, Any]]) -> list[Finding]:
    return [f for c in sorted(cards, key=lambda c: str(c.get("id"))) for f in enumerate_findings(c)]


# --------------------------------------------------------------------------- baseline


def baseline_counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.fingerprint for f in findings)


def load_baseline(path: Path) -> Counter[str]:
    """Fingerprints (with their counts) of the findings of a baseline, read
    from a reports folder (``*/scorecard.json`` or ``scorecards.json``), a
    ``scorecards.json``, one ``scorecard.json``, a ``baseline.json`` or a
    SARIF file written by auditor."""
    import json

    def read(p: Path) -> Any:
        try:
            return json.loads(p.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise GateError(f"--baseline : {p} illisible ({exc})") from exc

    if path.is_dir():
        cards_files = sorted(path.glob("*/scorecard.json"))
        if cards_files:
            return baseline_counts(all_findings([read(p) for p in cards_files]))
        for name in ("scorecards.json", "baseline.json"):
            if (path / name).is_file():
                return load_baseline(path / name)
        raise GateError(f"--baseline : aucune fiche (*/scorecard.json, scorecards.json, baseline.json) dans {path}")
    if not path.is_file():
        raise GateError(f"--baseline : {path} introuvable")
    data = read(path)
    if isinstance(data, dict) and data.get("format") == "auditor-baseline":
        return Counter(str(f["fingerprint"]) for f in data.get("findings") or [] if isinstance(f, dict))
    if isinstance(data, dict) and isinstance(data.get("scorecards"), list):
        return baseline_counts(all_findings(data["scorecards"]))
    if isinstance(data, dict) and isinstance(data.get("runs"), list):  # SARIF
        counts: Counter[str] = Counter()
        for run in data["runs"]:
            for res in (run or {}).get("results") or []:
                fp = ((res or {}).get("partialFingerprints") or {}).get(SARIF_FINGERPRINT_KEY)
                if fp:
                    counts[fp] += 1
        return counts
    if isinstance(data, list):
        return baseline_counts(all_findings([c for c in data if isinstance(c, dict)]))
    if isinstance(data, dict) and "id" in data and "pages" in data:
        return baseline_counts(enumerate_findings(data))
    raise GateError(f"--baseline : {path} n'est ni une fiche, ni scorecards.json, ni baseline.json, ni un SARIF d'auditor")


def apply_baseline(findings: Sequence[Finding], known: Counter[str]) -> None:
    """Mark each finding ``new`` or ``unchanged``: as many findings of one
    fingerprint as the baseline had are known, the rest are new."""
    left = Counter(known)
    for f in findings:
        if left[f.fingerprint] > 0:
            left[f.fingerprint] -= 1
            f.baseline = "unchanged"
        else:
            f.baseline = "new"


def evaluate(cards: Sequence[dict[str, Any]], fail_on: Sequence[str] = (), baseline: Counter[str] | None = None,
             baseline_label: str | None = None, gate_ids: Iterable[str] | None = None) -> ExportContext:
    """Findings of every card, matched against the baseline and the gate.
    ``gate_ids`` limits the gate to some démarches (those scanned in this run);
    the findings of the others are still listed, never gated."""
    tokens = parse_fail_on(fail_on)
    findings = all_findings(cards)
    if baseline is not None:
        apply_baseline(findings, baseline)
    ids = None if gate_ids is None else set(gate_ids)
    notices: list[dict[str, str]] = []
    for f in findings:
        f.gated = bool(tokens) and (ids is None or f.demarche in ids) and f.baseline != "unchanged" \
            and gate_matches(f, tokens)
    if tokens:
        for c in sorted(cards, key=lambda c: str(c.get("id"))):
            if ids is None or str(c.get("id")) in ids:
                notices.extend(gate_notices(c, tokens))
    return ExportContext(findings=findings, fail_on=tokens, baseline=baseline_label, notices=notices)


def failure_line(f: Finding) -> str:
    """``démarche : finding — where``: one line per gate failure, safe to print in CI logs."""
    where = " — ".join(_clean(x, 200) for x in (f.url, f.target) if x)
    return f"{f.demarche} : {_clean(f.message)}" + (f" — {where}" if where else "")
