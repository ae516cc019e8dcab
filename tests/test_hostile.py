"""Safe on hostile input: one CLI scan of three hostile démarches.

- ``hostile``: titles, labels, texts, links and HTML excerpts carrying
  ``<script>``, event handlers and ``javascript:`` URLs.  The generated HTML
  reports are opened in Chromium: no injected script runs, no dialog opens.
- ``secret``: a test password given as ``${VAR}`` is typed into a page that
  echoes it in its title, text, a field, the DOM and its URL: it appears in
  no file written and in no log line (masked ``***``).
- ``tierce``: with ``--block-third-party`` no request reaches another origin;
  a form leading out of the démarche's scope is never followed.  Both are
  listed in the scorecard.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import lzma
import io
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from auditor.cli import main
from auditor.config import CrawlList
from auditor.collect.walk import WalkOptions, Walker
from auditor.demo.server import StaticServer
from auditor.fileio import read_json
from auditor.pipeline import CAPTURE_FILE
from auditor.schemas import validate_scorecard
from support import FIXTURES

pytestmark = pytest.mark.browser

SECRET = "Tr0ub4dor&3 zèbre"
SECRET_VAR = "AUDITOR_TEST_SECRET"
# every way a page or a URL may carry it
SECRET_FORMS = {SECRET, quote(SECRET, safe=""), quote_plus(SECRET), quote(SECRET, safe="&"), "Tr0ub4dor",
                "Tr0ub4dor&3%20z%C3%A8bre"}


def _third_party_site(root: Path, other: str) -> None:
    (root / "tierce").mkdir(parents=True)
    (root / "tierce" / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Étape 1 – site avec traceurs</title>
<script src="{other}traceur.js"></script></head>
<body><main><h1>Étape 1</h1>
<img src="{other}pixel.png" alt="">
<form action="../ailleurs/etape-2.html" method="get">
<label for="nom">Nom</label> <input id="nom" name="nom">
<button type="submit">Suivant</button></form>
</main></body></html>
""", encoding="utf-8")
    (root / "ailleurs").mkdir()
    (root / "ailleurs" / "etape-2.html").write_text("<!DOCTYPE html><title>Hors périmètre</title><p>x</p>",
                                                    encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_scan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("hostile")
    root = tmp / "site"
    shutil.copytree(FIXTURES / "hostile", root)
    other_root = tmp / "autre-origine"
    other_root.mkdir()
    (other_root / "traceur.js").write_text("window.__traced = 1;", encoding="utf-8")
    (other_root / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with StaticServer(other_root) as other, StaticServer(root) as srv:
        _third_party_site(root, other.url)
        cfg = tmp / "demarches.yaml"
        cfg.write_text(f"""defaults: {{timeout_s: 10, max_pages: 8}}
demarches:
  - id: hostile
    name: "Démarche <script>window.__pwned=10</script>"
    administration: "@SUM(1+1)<img src=x onerror=window.__pwned=11>"
    url: "{srv.url}hostile/index.html"
  - id: secret
    name: "Espace personnel"
    url: "{srv.url}secret/index.html"
    steps:
      - fill: {{"#identifiant": "camille", "#motdepasse": "${{{SECRET_VAR}}}"}}
      - click: "Se connecter"
      - audit: "Espace personnel"
      - goto: "{srv.url}secret/introuvable.html?jeton=${{{SECRET_VAR}}}"
  - id: tierce
    name: "Site avec traceurs"
    url: "{srv.url}tierce/index.html"
""", encoding="utf-8")
        out = tmp / "rapports"
        err = io.StringIO()
        old = os.environ.get(SECRET_VAR)
        os.environ[SECRET_VAR] = SECRET
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
                code = main(["scan", str(cfg), "-o", str(out), "--block-third-party", "--concurrency", "3",
                             "--format", "junit,sarif,markdown"])
        finally:
            if old is None:
                os.environ.pop(SECRET_VAR, None)
            else:
                os.environ[SECRET_VAR] = old
        requested, other_requested = list(srv.requested), list(other.requested)
    return {"out": out, "code": code, "log": err.getvalue(), "requested": requested,
            "other_requested": other_requested, "other_url": other.url, "site_url": srv.url}


def _card(scan: dict[str, Any], ident: str) -> dict[str, Any]:
    card = read_json(scan["out"] / ident / "scorecard.json")
    assert validate_scorecard(card) == []
    return card


# ------------------------------------------------------------------ hostile HTML


REPORT_PROBE = """async () => {
  // fire what an injected handler would wait for
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'focus', 'click']) {
      if (type === 'click' && (el.tagName === 'A' || el.closest('a, button, summary, details, label'))) continue;
      try { el.dispatchEvent(new Event(type, {bubbles: false})); } catch (e) {}
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  const attrs = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) attrs.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  const hrefs = [...document.querySelectorAll('[href], [src], [action], [formaction]')]
    .map((e) => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction'));
  return {pwned: window.__pwned, attrs, hrefs, text: document.body.innerText,
          scripts: [...document.scripts].map((s) => s.src || s.textContent.slice(0, 200))};
}"""


def test_html_reports_show_hostile_content_as_text_in_chromium(hostile_scan, harness):
    out = hostile_scan["out"]
    card = _card(hostile_scan, "hostile")
    assert any("<script>window.__pwned=1" in p["title"] for p in card["pages"]), "the hostile title was captured"
    reports = [out / "index.html", *sorted(out.glob("*/scorecard.html"))]
    assert len(reports) == 4

    async def open_all() -> list[tuple[str, dict[str, Any], list[str]]]:
        ctx = await harness.browser.new_context()
        results = []
        try:
            for path in reports:
                page = await ctx.new_page()
                dialogs: list[str] = []
                page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message),
                                                              asyncio.ensure_future(d.dismiss())))
                await page.goto(path.as_uri(), wait_until="load")
                results.append((path.name, await page.evaluate(REPORT_PROBE), dialogs))
                await page.close()
        finally:
            await ctx.close()
        return results

    results = harness._run(open_all())
    for name, probe, dialogs in results:
        assert probe["pwned"] is None, (name, probe["pwned"])
        assert dialogs == [], (name, dialogs)
        assert not [a for a in probe["attrs"] if "pwned" in a or "alert" in a], (name, probe["attrs"])
        for h in probe["hrefs"]:
            assert not h.strip().lower().startswith(("javascript:", "data:text/html", "vbscript:")), (name, h)
        assert not any("pwned" in s or "alert(" in s for s in probe["scripts"]), (name, probe["scripts"])
    # the hostile strings are there, shown as text
    scorecard_text = next(p["text"] for n, p, _ in results if n == "scorecard.html" and "window.__pwned=10" in p["text"])
    assert "<script>window.__pwned=10</script>" in scorecard_text
    assert "<script>window.__pwned=1;alert('titre')</script>" in scorecard_text
    index_text = next(p["text"] for n, p, _ in results if n == "index.html")
    assert "<script>window.__pwned=10</script>" in index_text


def test_hostile_guarded_submit_and_javascript_link_never_followed(hostile_scan):
    card = _card(hostile_scan, "hostile")
    assert card["stopped_before"] and "onerror=alert(4)" in card["stopped_before"]["text"]
    assert not any(r.startswith("/hostile/envoye.html") for r in hostile_scan["requested"])
    assert all(not p["url"].startswith("javascript:") for p in card["pages"])


def test_machine_readable_exports_escape_hostile_content(hostile_scan):
    """JUnit, SARIF, Markdown and CSV written from the real hostile scan."""
    import csv
    import json
    import re
    import xml.etree.ElementTree as ET

    out = hostile_scan["out"]
    # JUnit: parses (no control character, no broken markup), no element smuggled in
    root = ET.parse(out / "junit.xml").getroot()
    tags = {el.tag for el in root.iter()}
    assert tags <= {"testsuites", "testsuite", "testcase", "failure", "skipped", "system-out", "properties",
                    "property", "error"}, tags
    assert "<script>window.__pwned=10</script>" in ET.tostring(root, encoding="unicode", method="text") or any(
        "<script>window.__pwned=10</script>" in (el.get("name") or "") + (el.get("value") or "")
        for el in root.iter())
    # SARIF: valid JSON, hostile text only inside JSON strings, never as Markdown
    sarif = json.loads((out / "auditor.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    for run in sarif["runs"]:
        for res in run.get("results", []):
            assert "<script" not in json.dumps(res.get("message", {}).get("markdown", ""))
    # Markdown: no raw HTML, no javascript: link, table rows keep their columns
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md and "<svg" not in md
    assert not re.search(r"\]\(\s*<?\s*javascript:", md, re.I)
    for block in re.split(r"\n(?!\|)", md):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        if rows:
            widths = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
            assert len(widths) == 1, rows
    # observatory CSV: the formula-like administration is neutralised
    text = (out / "observatoire.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    hostile = next(r for r in rows if r["Ref_Demarche"] == "hostile" or "pwned=10" in r["Nom_Demarche"])
    assert hostile["Nom_Administration"].startswith("'@SUM")
    for r in rows:
        for cell in r.values():
            assert not str(cell).lstrip().startswith(("=", "+", "@")), cell


# ------------------------------------------------------------------------ secrets


def test_secret_is_typed_but_never_written_nor_logged(hostile_scan):
    # the password really was typed and sent (else this test could not fail)
    assert any(quote_plus(SECRET) in r for r in hostile_scan["requested"]), hostile_scan["requested"]
    out = hostile_scan["out"]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".jpg" for p in files), "screenshots were taken"
    for path in files:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)  # compressed captures: search what they hold
        elif path.name.endswith(".xz"):
            data = lzma.decompress(data)
        for form in SECRET_FORMS:
            assert form.encode() not in data, (path, form)
            assert form.encode("latin-1", "ignore") not in data or not form.isascii(), (path, form)
    for form in SECRET_FORMS:
        assert form not in hostile_scan["log"], form
    cap = read_json(out / "secret" / CAPTURE_FILE)
    echo = next(p for p in cap["pages"] if "echo.html" in p["url"])
    assert echo["title"] == "Bienvenue – mot de passe ***"
    assert "Votre mot de passe est ***" in echo["text"] and "motdepasse=***" in echo["url"]
    assert echo["screenshot"] is None, "a page showing the secret is not photographed"
    assert cap["demarche"]["steps"][0]["fill"]["#motdepasse"] == "${" + SECRET_VAR + "}"
    assert any("jeton=***" in p["url"] for p in cap["pages"]) or any("jeton=***" in e["url"] for e in cap["errors"])


# --------------------------------------------------------------- scope, 3rd party


def test_block_third_party_and_scope(hostile_scan):
    card = _card(hostile_scan, "tierce")
    assert hostile_scan["other_requested"] == [], "a request reached the other origin"
    assert not any("/ailleurs/" in r for r in hostile_scan["requested"]), "the walk left its scope"
    blocked = {(b["reason"], b["url"].rsplit("/", 1)[-1].split("?")[0]) for b in card["blocked_requests"]}
    assert ("third_party", "traceur.js") in blocked and ("third_party", "pixel.png") in blocked
    # the « Suivant » form leads out of scope: the walk stops before it, the address is never requested
    assert card["status"] == "partial" and "hors du périmètre" in card["status_reason"]


def test_third_party_requests_go_through_without_the_option(hostile_scan, harness):
    """The same page without --block-third-party: the other origin is reached
    (so the test above proves the option works)."""
    root = hostile_scan["out"].parent / "site2"
    other_root = hostile_scan["out"].parent / "autre2"
    other_root.mkdir()
    (other_root / "traceur.js").write_text("window.__traced = 1;", encoding="utf-8")
    (other_root / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with StaticServer(other_root) as other, StaticServer(root.parent) as srv:
        _third_party_site(root, other.url)
        crawl = CrawlList.model_validate({"demarches": [
            {"id": "t", "name": "T", "url": f"{srv.url}site2/tierce/index.html", "timeout_s": 5}]})
        d = crawl.effective_demarches()[0]

        async def go() -> Any:
            ctx = await harness.browser.new_context()
            try:
                return await Walker(ctx, d, harness.rules, WalkOptions(screenshots=False)).run()
            finally:
                await ctx.close()

        cap = harness._run(go())
        assert any(r.startswith("/traceur.js") for r in other.requested)
    assert not [b for b in cap.blocked_requests if b["reason"] == "third_party"]
    assert all(b["reason"] == "scope" for b in cap.blocked_requests)
