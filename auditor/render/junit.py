"""``reports/junit.xml``: JUnit XML, the test report format every CI reads
(GitLab merge-request widget, Jenkins, Azure, GitHub test-reporter actions).

One ``<testsuite>`` per démarche, one ``<testcase>`` per check (the walk,
axe-core, the accessibility mention, « dites-le-nous une fois », the
alternatives, the « Je donne mon avis » button, the linked PDFs, then one per
observatory indicator).  A testcase fails with
its findings as evidence (page, selector, HTML excerpt), one per line:

- when ``--fail-on`` is given, only the findings that make the gate fail
  (new ones when a baseline is given) — the JUnit report then says exactly
  what the exit code says;
- without a gate, every finding (every new one with a baseline) fails its
  check, and indicators never fail.

A check that did not run (block ``not_checked``, démarche in failure) is
``<skipped>``, never a pass.  Findings that do not fail are listed in the
testcase's ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Sequence

from ..fileio import write_bytes
from ..indicators import INDICATOR_FR, INDICATOR_SCALES
from ..checks import metas
from ..report.findings import checks_fr, is_checked
from ..model import ExportContext, Finding

FORMAT = "junit"
FILENAME = "junit.xml"

_XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: Any) -> str:
    """Text safe for XML 1.0 (pages can contain control characters that
    would make the whole report unparseable)."""
    return _XML_INVALID.sub("\ufffd", "" if text is None else str(text))


def _skip_reason(card: dict[str, Any], check: str, indicator: str | None) -> str | None:
    if card.get("status") == "failed" and check != "walk":
        return "analyse en échec : rien n'a pu être vérifié"
    if check == "axe":
        pages = card.get("pages") or []
        if pages and all(p.get("axe_error") for p in pages):
            return "axe-core n'a pu analyser aucune page"
        return None
    meta = next((m for m in metas() if m.id == check), None)
    if meta is not None:  # a check's own testcase: skipped when its block was not filled
        if not is_checked(card.get(meta.block)):
            return meta.not_checked
        return meta.skip_reason(card) if meta.skip_reason else None
    if check == "indicators" and indicator:
        level = (card.get("indicators") or {}).get(indicator)
        if level == "À vérifier":
            reason = ((card.get("indicators") or {}).get("reasons") or {}).get(indicator)
            return f"indicateur {INDICATOR_FR[indicator]} à vérifier" + (f" : {reason}" if reason else "")
        level = (card.get("indicators") or {}).get(indicator)
        return None if level is not None else f"indicateur {INDICATOR_FR[indicator]} non calculé"
    return None


def _evidence_lines(f: Finding) -> list[str]:
    lines = [f"- {f.message}"]
    for ev in f.evidence[:20]:
        bits = [f"page : {ev['url']}"] if ev.get("url") else []
        for k, label in (("selector", "sélecteur"), ("label", "libellé"), ("text", "extrait"), ("html", "html"),
                         ("summary", "détail")):
            if ev.get(k):
                bits.append(f"{label} : {' '.join(str(ev[k]).split())[:500]}")
        lines.extend("    " + b for b in bits)
    if f.baseline:
        lines.append(f"    référence : {'nouveau' if f.baseline == 'new' else 'déjà connu'} ({f.fingerprint})")
    return lines


def _fails(f: Finding, ctx: ExportContext) -> bool:
    if ctx.fail_on:
        return f.gated
    return f.check != "indicators" and f.baseline != "unchanged"


def _testcase(suite: ET.Element, card: dict[str, Any], name: str, classname: str, findings: list[Finding],
              ctx: ExportContext, skip: str | None) -> tuple[int, int]:
    tc = ET.SubElement(suite, "testcase", {"classname": _x(classname), "name": _x(name), "time": "0"})
    if skip:
        ET.SubElement(tc, "skipped", {"message": _x(skip)})
        return 0, 1
    failing = [f for f in findings if _fails(f, ctx)]
    others = [f for f in findings if not _fails(f, ctx)]
    if failing:
        worst = failing[0]
        el = ET.SubElement(tc, "failure", {
            "message": _x(f"{len(failing)} constat(s) — {worst.message}"[:1000]),
            "type": _x(worst.category),
        })
        el.text = _x("\n".join(line for f in failing for line in _evidence_lines(f)))
    if others:
        out = ET.SubElement(tc, "system-out")
        head = "Constats qui ne font pas échouer ce test :" if failing or ctx.fail_on or ctx.baseline else "Constats :"
        out.text = _x("\n".join([head] + [line for f in others for line in _evidence_lines(f)]))
    return (1 if failing else 0), 0


def build(cards: Sequence[dict[str, Any]], ctx: ExportContext) -> ET.Element:
    by_card: dict[str, list[Finding]] = {}
    for f in ctx.findings:
        by_card.setdefault(f.demarche, []).append(f)
    root = ET.Element("testsuites", {"name": "auditor"})
    totals = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for card in sorted(cards, key=lambda c: str(c.get("id"))):
        did = str(card.get("id"))
        findings = by_card.get(did, [])
        secs = (card.get("duration_ms") or 0) / 1000
        suite = ET.SubElement(root, "testsuite", {
            "name": _x(f"{did} — {card.get('name') or ''}".strip(" —")),
            "timestamp": _x((card.get("scanned_at") or "").rstrip("Z")),
            "time": f"{secs:.3f}",
        })
        props = ET.SubElement(suite, "properties")
        for k, v in (("id", did), ("url", card.get("url")), ("administration", card.get("administration")),
                     ("statut", card.get("status"))):
            if v:
                ET.SubElement(props, "property", {"name": k, "value": _x(v)})
        for k in INDICATOR_SCALES:
            level = (card.get("indicators") or {}).get(k)
            ET.SubElement(props, "property", {"name": f"indicateur.{k}", "value": _x(level or "non vérifié")})
        tests = failures = skipped = 0
        classname = f"auditor.{did}"
        for check, label in checks_fr().items():
            if check == "indicators":
                for ind in INDICATOR_SCALES:
                    fs = [f for f in findings if f.category == f"indicator:{ind}"]
                    fl, sk = _testcase(suite, card, f"Indicateur {INDICATOR_FR[ind]}", classname, fs, ctx,
                                       _skip_reason(card, check, ind))
                    tests, failures, skipped = tests + 1, failures + fl, skipped + sk
                continue
            fs = [f for f in findings if f.check == check]
            fl, sk = _testcase(suite, card, label, classname, fs, ctx, _skip_reason(card, check, None))
            tests, failures, skipped = tests + 1, failures + fl, skipped + sk
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        totals["tests"] += tests
        totals["failures"] += failures
        totals["skipped"] += skipped
        totals["time"] += secs
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    root.set("time", f"{totals['time']:.3f}")
    return root


def write(cards: Sequence[dict[str, Any]], out_dir: Path, ctx: ExportContext) -> Path:
    root = build(cards, ctx)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    path = out_dir / FILENAME
    write_bytes(path, data + b"\n")
    return path
