"""Golden test: the scorecards, findings and CI exports of every fixture that
needs no browser, compared field by field with a snapshot.

Why: restructurings (the shape of check results, the rules module, the
packages) must change no output.  The snapshot ``tests/golden/snapshot.json``
was written by the code before such a change; rewrite it only for an
intended change of output, with ``AUDITOR_GOLDEN_WRITE=1``.
"""

from __future__ import annotations

import csv
import io
import json
import lzma
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from auditor.config import load_rules
from auditor.model import AxeNode, AxeRuleResult, Capture, Control, LinkedDocument
from auditor.pdf_facts import pdf_facts

from .checks.acc_pages import FIXTURES, capture_of, page_from_html
from .checks.pdf_build import accessible_pdf, make_pdf

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "golden" / "snapshot.json.xz"  # compressed: 113 scorecards
HOST = "https://demarche.example.gouv.fr"
# folders of single-page fixtures; each sub-folder of pages is one multi-step démarche
FOLDERS = ("accessibility-site", "alternatives", "auth", "declaration", "dlnuf", "mention", "observatoire/jdma",
           "observatoire/online", "outputs", "render", "site")


def _controls(html: str) -> list[Control]:
    """The file inputs of a fixture with their labels and hints, as the
    collector would record them (what the dlnuf check reads)."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for inp in soup.find_all("input", attrs={"type": "file"}):
        ident = inp.get("id") or ""
        label = soup.find("label", attrs={"for": ident}) if ident else None
        hint = " ".join(soup.find(id=i).get_text(" ", strip=True) for i in (inp.get("aria-describedby") or "").split()
                        if soup.find(id=i))
        out.append(Control(selector=f"#{ident}" if ident else "input[type=file]", tag="input", type="file", id=ident,
                           name=inp.get("name") or "", label=label.get_text(" ", strip=True) if label else "",
                           hint=hint))
    return out


def _page_order(p: Path) -> tuple[int, str]:
    return (0 if p.stem == "index" else 1, p.name)


def _single(path: Path, did: str) -> Capture:
    kind = "annex" if "declaration" in path.parts else "step"
    page = page_from_html(path.read_text(encoding="utf-8"), f"{HOST}/{did}.html", kind=kind, load_ms=250)
    status = "partial" if path.name.startswith("verifier") else "complete"
    cap = capture_of(page, status=status)
    if status == "partial":
        cap.status_reason = "Parcours arrêté (capture de test)."
    cap.demarche = {**cap.demarche, "id": did}
    return cap


def _folder(folder: Path, did: str) -> Capture:
    files = sorted(folder.glob("*.html"), key=_page_order)
    pages = []
    for i, f in enumerate(files, start=1):
        kind = "annex" if re.search(r"accessib|contact|mentions", f.stem) else "step"
        html = f.read_text(encoding="utf-8")
        pages.append(page_from_html(html, f"{HOST}/{did}/{f.name}", kind=kind, index=i, load_ms=100 * i))
        pages[-1].controls = _controls(html)
    cap = capture_of(*pages)
    cap.demarche = {**cap.demarche, "id": did}
    return cap


def _axe_capture() -> Capture:
    """Axe results (violations on several pages, needs-review) and a linked PDF."""
    step1 = page_from_html((FIXTURES / "auth" / "pass-dsfr-button.html").read_text(encoding="utf-8"),
                           f"{HOST}/axe/1", index=1, load_ms=900)
    step1.text += " Accessibilité : partiellement conforme"
    step1.html = step1.html.replace(
        "</main>", f'</main><a href="{HOST}/pdf/cerfa.pdf">Formulaire cerfa (PDF)</a>'
        '<a href="/accessibilite">Accessibilité : partiellement conforme</a>')
    step1.violations = [
        AxeRuleResult(rule="image-alt", impact="critical", tags=["RGAA-1.1.1", "wcag111"], help="Images must…",
                      help_url="https://dequeuniversity.com/rules/axe/4.12/image-alt",
                      nodes=[AxeNode(target=["img.logo"], html="<img src=x>", box={"x": 1, "y": 2, "w": 3, "h": 4}),
                             AxeNode(target=[["iframe#f", "img"]], html='<img src="/a/12345.png">')]),
        AxeRuleResult(rule="label", impact="serious", tags=["RGAA-11.1.1", "wcag412"], help="Form elements…",
                      nodes=[AxeNode(target=["#nom"], html='<input id="nom">', summary="Fix this")]),
    ]
    step1.incomplete = [AxeRuleResult(rule="color-contrast", tags=["RGAA-3.2.1"], nodes=[AxeNode(target=["p"])])]
    step2 = page_from_html("<html><body><main><h1>Étape 2</h1><p>Justificatif de domicile</p></main></body></html>",
                           f"{HOST}/axe/2", index=2, load_ms=350)
    step2.violations = [AxeRuleResult(rule="region", impact="moderate", tags=["wcag131"], help="Content…",
                                      nodes=[AxeNode(target=["footer"], html="<footer>Pied</footer>")]),
                        AxeRuleResult(rule="made-up", impact=None, tags=[], help="Unknown",
                                      nodes=[AxeNode(target=["div"], html="<div>")])]
    step2.axe_error = None
    step2.controls = [Control(selector="#dom1", tag="input", type="file", label="Justificatif de domicile"),
                      Control(selector="#dom2", tag="input", type="file", label="Justificatif de domicile (copie)"),
                      Control(selector="#avis", tag="input", type="file", label="Avis d'imposition")]
    decl = page_from_html((FIXTURES / "declaration" / "pass-template-partiellement.html").read_text(encoding="utf-8"),
                          f"{HOST}/accessibilite", kind="annex", index=3)
    cap = capture_of(step1, step2, decl)
    cap.demarche = {**cap.demarche, "id": "axe-et-pdf", "expect": ["Étape 2", "Paiement"]}
    docs = [(f"{HOST}/pdf/cerfa.pdf", make_pdf(text=False, image=True)),
            (f"{HOST}/pdf/notice.pdf", accessible_pdf())]
    cap.documents = [LinkedDocument(url=u, linked_from=step1.url, page_index=1, link_text="Formulaire cerfa (PDF)",
                                    format="pdf", file_name=u.rsplit("/", 1)[-1], size=1000, pdf=pdf_facts(data))
                     for u, data in docs]
    cap.documents_fetch = {"found": 2, "downloaded": 2, "max_files": 10, "max_bytes": 10_000_000, "duration_ms": 1}
    return cap


def captures() -> list[Capture]:
    out = []
    for name in FOLDERS:
        base = FIXTURES / name
        for f in sorted(base.glob("*.html")):
            out.append(_single(f, f"{name.replace('/', '-')}-{f.stem}"))
        for sub in sorted(p for p in base.rglob("*") if p.is_dir()):
            if list(sub.glob("*.html")):
                out.append(_folder(sub, "-".join(sub.relative_to(FIXTURES).parts)))
    out.append(_axe_capture())
    failed = capture_of(status="failed")
    failed.status_reason = "Page de départ injoignable."
    failed.demarche = {**failed.demarche, "id": "en-echec"}
    out.append(failed)
    return out



def outputs() -> dict[str, Any]:
    """Everything compared: scorecards, findings, and the CI exports."""
    from auditor.report.exports import writer
    from auditor.report.findings import evaluate
    from auditor.pipeline import build_scorecard

    rules = load_rules(ROOT / "rules")
    cards = [build_scorecard(c, rules) for c in captures()]
    ctx = evaluate(cards, ["serious", "repeated", "pdf", "jdma", "no-mention", "no-alternative", "partial",
                           "performance=Partiel", "handicap=Non"])
    out: dict[str, Any] = {
        "scorecards": {c["id"]: c for c in cards},
        "findings": [f.to_dict() for f in ctx.findings],
        "notices": ctx.notices,
        "junit": ET.tostring(writer("junit").build(cards, ctx), encoding="unicode"),
        "sarif": writer("sarif").build(cards, ctx),
        "markdown": writer("markdown").build(cards, ctx),
    }
    rows = [writer("csv").row(c) for c in cards]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    out["csv"] = buf.getvalue()
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))


def _diff(want: Any, got: Any, path: str, out: list[str]) -> None:
    if len(out) > 40:
        return
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            if k not in got:
                out.append(f"{path}.{k}: missing")
            elif k not in want:
                out.append(f"{path}.{k}: added")
            else:
                _diff(want[k], got[k], f"{path}.{k}", out)
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            out.append(f"{path}: {len(want)} items, now {len(got)}")
        for i, (a, b) in enumerate(zip(want, got)):
            _diff(a, b, f"{path}[{i}]", out)
    elif want != got:
        out.append(f"{path}: {str(want)[:200]!r} → {str(got)[:200]!r}")


def test_outputs_match_the_snapshot() -> None:
    got = outputs()
    if os.environ.get("AUDITOR_GOLDEN_WRITE") == "1":
        SNAPSHOT.write_bytes(lzma.compress((json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
                                           .encode("utf-8")))
        pytest.skip("snapshot written")
    want = json.loads(lzma.decompress(SNAPSHOT.read_bytes()))
    diffs: list[str] = []
    _diff(want, got, "", diffs)
    assert not diffs, "\n".join(diffs)


def test_snapshot_covers_every_check() -> None:
    """The fixtures fill every block, so a change in any check shows."""
    want = json.loads(lzma.decompress(SNAPSHOT.read_bytes()))
    cards = want["scorecards"].values()
    for key in ("accessibility", "dlnuf", "alternatives", "auth", "online", "jdma", "documents"):
        assert any(c[key].get("status") == "checked" for c in cards), key
    assert {f["check"] for f in want["findings"]} >= {"walk", "axe", "dlnuf", "alternatives", "accessibility",
                                                      "jdma", "documents", "indicators"}
