"""CI use end to end in a real Chromium: the gate with a baseline across an
unrelated DOM change, and a sharded scan merged back equal to one scan."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.demo.server import StaticServer
from auditor.run.shards import shard_of
from support import FIXTURES

pytestmark = pytest.mark.browser
VERSIONS = FIXTURES / "outputs"


def _config(tmp_path: Path, entries: list[tuple[str, str]], name: str = "demarches.yaml") -> Path:
    cfg = tmp_path / name
    cfg.write_text("defaults: {timeout_s: 10}\ndemarches:\n" + "".join(
        f"  - id: {i}\n    name: Démarche {i}\n    url: {u}\n" for i, u in entries), encoding="utf-8")
    return cfg


def _scan_version(tmp_path: Path, version: str, out: str, *extra: str) -> int:
    # each version is served by its own server (another port): the page path stays /index.html
    with StaticServer(VERSIONS / version) as srv:
        cfg = _config(tmp_path, [("badge", srv.url + "index.html")], f"{version}.yaml")
        return main(["scan", str(cfg), "-o", str(tmp_path / out), "--no-screenshots", "-q", *extra])


def test_gate_fails_on_a_new_violation_only_even_after_an_unrelated_dom_change(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # v1: one image without alt.  Without a baseline the gate fails on it, one line saying where.
    assert _scan_version(tmp_path, "v1", "r1", "--fail-on", "serious", "--format", "baseline,junit,sarif") == 1
    out = capsys.readouterr().out
    fails = [line for line in out.splitlines() if line.startswith("badge :")]
    assert len(fails) == 1 and "image-alt (critique)" in fails[0] and "/index.html — img" in fails[0]
    baseline = tmp_path / "r1" / "baseline.json"
    assert baseline.is_file()

    # v2: a banner inserted above and a wrapper div: axe now names the image differently,
    # yet it is the same finding — the gate passes.
    assert _scan_version(tmp_path, "v2", "r2", "--fail-on", "serious", "--baseline", str(baseline),
                         "--format", "junit,sarif,markdown") == 0
    out = capsys.readouterr().out
    assert not [line for line in out.splitlines() if line.startswith("badge :")]
    assert "Contrôle réussi" in out
    card2 = json.loads((tmp_path / "r2" / "badge" / "scorecard.json").read_text(encoding="utf-8"))
    (v2,) = card2["pages"][0]["violations"]
    assert v2["nodes"][0]["target"] != "img"  # the selector did change
    assert "Contrôle réussi" in (tmp_path / "r2" / "summary.md").read_text(encoding="utf-8")

    # v3: a second image without alt: that one, and only that one, fails.
    assert _scan_version(tmp_path, "v3", "r3", "--fail-on", "serious", "--baseline", str(baseline),
                         "--format", "junit,sarif") == 1
    out = capsys.readouterr().out
    fails = [line for line in out.splitlines() if line.startswith("badge :")]
    assert len(fails) == 1 and "photo.svg" in fails[0]
    failures = list(ET.parse(tmp_path / "r3" / "junit.xml").getroot().iter("failure"))
    assert len(failures) == 1 and "photo.svg" in failures[0].text and "logo.svg" not in failures[0].text
    sarif = json.loads((tmp_path / "r3" / "auditor.sarif").read_text(encoding="utf-8"))
    states = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r["baselineState"]
              for r in sarif["runs"][0]["results"] if r["ruleId"] == "image-alt"}
    assert states == {'img[src$="logo.svg"]': "unchanged", 'img[src$="photo.svg"]': "new"}


def _norm_card(c: dict) -> dict:
    """A scorecard without what differs between two scans of the same site
    (times, ports)."""
    c = json.loads(json.dumps(c))
    for k in ("scanned_at", "duration_ms", "previous"):
        c.pop(k, None)
    c["indicators"].get("reasons", {}).pop("performance", None)
    c["indicators"].pop("performance", None)
    for p in c["pages"]:
        p["load_ms"] = None
    return c


def _csv(path: Path) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    for r in rows:
        for k in ("Auditor_Date_Analyse", "Dashlord_UpDown_Tps_Moy_Chargement", "Auditor_Niveau_Performance"):
            r.pop(k)
    return rows


def test_shards_merged_equal_one_unsharded_scan(tmp_path, capsys):
    ids = ["cni", "passeport", "permis"]
    assert {shard_of(i, 2) for i in ids} == {1, 2}  # both shards have work
    fmt = ["--format", "junit,sarif,markdown,baseline"]
    with StaticServer(VERSIONS / "v3") as srv:  # one page, two violations: quick to walk
        cfg = _config(tmp_path, [(i, srv.url + "index.html") for i in ids])
        common = [str(cfg), "--no-screenshots", "-q", "--concurrency", "3"]
        assert main(["scan", *common, "-o", str(tmp_path / "one"), *fmt]) == 0
        for k in (1, 2):
            assert main(["scan", *common, "-o", str(tmp_path / "artifacts" / f"reports-{k}"), "--shard", f"{k}/2"]) == 0
    shard_ids = [sorted(p.name for p in (tmp_path / "artifacts" / f"reports-{k}").iterdir() if p.is_dir() and not p.name.startswith("."))
                 for k in (1, 2)]
    assert sorted(shard_ids[0] + shard_ids[1]) == ids and not set(shard_ids[0]) & set(shard_ids[1])

    # artifacts downloaded by CI are nested one level deeper: merge finds them at any depth
    assert main(["merge", str(tmp_path / "artifacts"), "-o", str(tmp_path / "merged"), *fmt]) == 0
    one, merged = tmp_path / "one", tmp_path / "merged"
    for i in ids:
        assert (merged / i / "scorecard.html").is_file() and (merged / i / "capture.json.xz").is_file()
    a = json.loads((one / "scorecards.json").read_text(encoding="utf-8"))
    b = json.loads((merged / "scorecards.json").read_text(encoding="utf-8"))
    assert [_norm_card(c) for c in a["scorecards"]] == [_norm_card(c) for c in b["scorecards"]]
    def fps(path: Path) -> list[dict]:  # load times (so the performance level) differ between two scans
        return [f for f in json.loads(path.read_text(encoding="utf-8"))["findings"]
                if f["rule"] != "indicator/performance"]

    assert fps(one / "baseline.json") == fps(merged / "baseline.json") != []
    assert _csv(one / "observatoire.csv") == _csv(merged / "observatoire.csv")
    def cases(path: Path) -> list[tuple]:
        return [(tc.get("classname"), tc.get("name"), [c.tag for c in tc]) for tc in ET.parse(path).iter("testcase")
                if tc.get("name") != "Indicateur performance"]

    assert cases(one / "junit.xml") == cases(merged / "junit.xml")
    ra = json.loads((one / "auditor.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    rb = json.loads((merged / "auditor.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in ra if r["ruleId"] != "indicator/performance"] == \
        [r["partialFingerprints"] for r in rb if r["ruleId"] != "indicator/performance"]
    ia, ib = (one / "index.html").read_text(encoding="utf-8"), (merged / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{i}/scorecard.html"' in ia and f'href="{i}/scorecard.html"' in ib for i in ids)
    assert (merged / "summary.md").is_file()
