"""--shard K/N and merging shard outputs (no browser: scorecards written by hand)."""

from __future__ import annotations

import json

import pytest
from cards import full_card

from auditor.cli import main
from auditor.run.shards import ShardError, merge_outputs, parse_shard, select_shard, shard_of


def test_parse_shard():
    assert parse_shard("2/5") == (2, 5) and parse_shard(" 1 / 1 ") == (1, 1)
    for bad in ("0/3", "4/3", "1/0", "a/b", "2", ""):
        with pytest.raises(ShardError):
            parse_shard(bad)


def test_shards_partition_the_ids_deterministically():
    ids = [f"demarche-{i}" for i in range(300)]
    parts = [select_shard(ids, k, 4, key=str) for k in range(1, 5)]
    assert sorted(sum(parts, [])) == sorted(ids)  # every id in exactly one shard
    assert all(40 < len(p) < 110 for p in parts)  # roughly even
    assert [shard_of(i, 4) for i in ids] == [shard_of(i, 4) for i in ids]
    # adding démarches never moves the existing ones
    assert select_shard(ids + ["nouvelle"], 2, 4, key=str)[: len(parts[1])] == parts[1]


def _write(folder, card, extra=None):
    (folder / card["id"]).mkdir(parents=True, exist_ok=True)
    (folder / card["id"] / "scorecard.json").write_text(json.dumps(card), encoding="utf-8")
    for name, text in (extra or {}).items():
        (folder / card["id"] / name).write_text(text, encoding="utf-8")


def test_merge_keeps_the_most_recent_of_duplicates_and_copies_everything(tmp_path):
    _write(tmp_path / "a" / "reports-1", full_card("x", scanned_at="2026-11-01T00:00:00Z"), {"scorecard.html": "old"})
    _write(tmp_path / "b", full_card("x", scanned_at="2026-11-02T00:00:00Z"), {"scorecard.html": "new"})
    _write(tmp_path / "b", full_card("y"), {"capture.json": "{}"})
    (tmp_path / "b" / "y" / "screenshots").mkdir()
    (tmp_path / "b" / "y" / "screenshots" / "01.jpg").write_bytes(b"\xff\xd8")
    res = merge_outputs([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    assert res.ids == ["x", "y"] and len(res.duplicates) == 1 and "2026-11-02" in res.duplicates[0]
    assert (tmp_path / "out" / "x" / "scorecard.html").read_text() == "new"
    assert (tmp_path / "out" / "y" / "screenshots" / "01.jpg").is_file()


def test_merge_cli_rebuilds_index_and_exports_and_gates(tmp_path, capsys):
    _write(tmp_path / "s1", full_card("x"))
    _write(tmp_path / "s2", full_card("y"))
    code = main(["merge", str(tmp_path / "s1"), str(tmp_path / "s2"), "-o", str(tmp_path / "out"),
                 "--format", "junit", "--fail-on", "critical"])
    assert code == 1
    out = tmp_path / "out"
    for name in ("index.html", "scorecards.json", "observatoire.csv", "junit.xml"):
        assert (out / name).is_file(), name
    assert json.loads((out / "scorecards.json").read_text())["count"] == 2
    assert sum(line.startswith(("x :", "y :")) for line in capsys.readouterr().out.splitlines()) == 2
    assert main(["merge", str(tmp_path / "s1"), "-o", str(tmp_path / "out2")]) == 0
    assert main(["merge", str(tmp_path / "absent"), "-o", str(tmp_path / "out3")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["merge", str(tmp_path / "empty"), "-o", str(tmp_path / "out4")]) == 3


def test_empty_shard_succeeds_without_a_browser(tmp_path, capsys):
    cfg = tmp_path / "d.yaml"
    cfg.write_text("demarches:\n  - id: cni\n    name: CNI\n    url: https://example.invalid/\n", encoding="utf-8")
    k = 1 if shard_of("cni", 2) == 2 else 2  # the shard cni is not in
    out = tmp_path / "r"
    assert main(["scan", str(cfg), "-o", str(out), "--shard", f"{k}/2", "--fail-on", "critical",
                 "--browser", "/nonexistent/chromium"]) == 0
    assert json.loads((out / "scorecards.json").read_text())["count"] == 0
    assert (out / "index.html").is_file()


def test_bad_options_fail_before_scanning(tmp_path, capsys):
    cfg = tmp_path / "d.yaml"
    cfg.write_text("demarches:\n  - id: cni\n    name: CNI\n    url: https://example.invalid/\n", encoding="utf-8")
    for args in (["--shard", "3/2"], ["--fail-on", "severe"], ["--format", "pdf"], ["--fail-on", "dlnuf=Moyen"]):
        with pytest.raises(SystemExit) as exc:
            main(["scan", str(cfg), "-o", str(tmp_path / "r"), *args])
        assert exc.value.code == 2
    assert main(["scan", str(cfg), "-o", str(tmp_path / "r"), "--baseline", str(tmp_path / "absent.json")]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_merge_in_place_rebuilds_the_exports_of_a_report_folder(tmp_path, capsys):
    _write(tmp_path / "r", full_card("x"), {"scorecard.html": "fiche"})
    assert main(["merge", str(tmp_path / "r"), "-o", str(tmp_path / "r"), "--format", "sarif"]) == 0
    assert (tmp_path / "r" / "x" / "scorecard.html").read_text() == "fiche"
    assert (tmp_path / "r" / "auditor.sarif").is_file() and (tmp_path / "r" / "index.html").is_file()
