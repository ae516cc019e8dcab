"""History: the change since the previous scan (scorecard ``previous``) and ``auditor diff``."""

from __future__ import annotations

import json

from cards import bare_card, full_card

from auditor.cli import main
from auditor.report.history import attach_previous, compare_cards, diff_reports, previous_for
from auditor.schemas import validate_scorecard


def later(card, **over):
    return {**card, "scanned_at": "2026-12-04T10:00:00Z", **over}


def test_compare_finds_appeared_fixed_and_indicator_moves():
    old = full_card()
    new = later(full_card())
    new["pages"][1]["violations"] = new["pages"][1]["violations"][1:]  # image-alt fixed
    new["pages"][2]["violations"][0]["nodes"].append({"target": ".note", "html": '<p class="note">x</p>'})
    new["indicators"] = {**new["indicators"], "dlnuf": "Optimal", "performance": "Faible"}
    cmp = compare_cards(old, new)
    assert cmp["findings"]["fixed"] == 1 and cmp["findings"]["fixed_list"][0]["rule"] == "image-alt"
    assert cmp["findings"]["appeared"] == 1 and cmp["findings"]["appeared_list"][0]["target"] == ".note"
    assert cmp["indicators"] == {"dlnuf": {"before": "Partiel", "after": "Optimal", "change": "up"},
                                 "performance": {"before": "Partiel", "after": "Faible", "change": "down"}}
    assert cmp["trend"] == "mixed" and cmp["scanned_at"] == old["scanned_at"]


def test_trend_from_findings_when_indicators_do_not_move():
    old = full_card()
    new = later(full_card())
    new["pages"][2]["violations"] = []
    assert compare_cards(old, new)["trend"] == "better"
    assert compare_cards(new, old)["trend"] == "worse"
    assert compare_cards(old, later(full_card()))["trend"] == "unchanged"


def test_moved_element_is_neither_fixed_nor_appeared():
    old = full_card()
    new = later(full_card(host="https://autre.example.fr"))
    new["pages"][1]["violations"][0]["nodes"][0]["target"] = "#main > section > div:nth-child(4) > img"
    cmp = compare_cards(old, new)
    assert cmp["findings"]["appeared"] == cmp["findings"]["fixed"] == 0


def test_previous_in_scorecard_follows_the_schema(tmp_path):
    path = tmp_path / "d" / "scorecard.json"
    new = later(full_card())
    attach_previous(new, path)  # no previous scan
    assert new["previous"] is None and validate_scorecard(new) == []
    path.parent.mkdir()
    path.write_text(json.dumps(full_card()), encoding="utf-8")
    attach_previous(new, path)
    assert new["previous"]["trend"] == "unchanged" and validate_scorecard(new) == []
    # re-rendering the same scan (auditor report) keeps the comparison instead of comparing with itself
    path.write_text(json.dumps(new), encoding="utf-8")
    again = later(full_card())
    assert previous_for(again, json.loads(path.read_text(encoding="utf-8"))) == new["previous"]
    # another démarche's file, or garbage, gives no comparison
    assert previous_for(again, {**full_card("autre")}) is None
    path.write_text("{", encoding="utf-8")
    attach_previous(again, path)
    assert again["previous"] is None


def test_not_checked_to_checked_is_a_change_not_a_move():
    cmp = compare_cards(bare_card("x"), later(full_card("x")))
    assert cmp["indicators"]["dlnuf"] == {"before": None, "after": "Partiel", "change": "changed"}


def test_diff_reports_and_cli(tmp_path, capsys):
    old_cards = [full_card("a"), full_card("b"), full_card("gone")]
    b_new = later(full_card("b"))
    b_new["indicators"] = {**b_new["indicators"], "alternative": "Oui"}
    a_new = later(full_card("a"))
    a_new["pages"][1]["violations"][0]["nodes"].append({"target": "#x", "html": '<img id="x">'})
    new_cards = [a_new, b_new, full_card("fresh")]
    diff = diff_reports(old_cards, new_cards)
    assert diff["summary"] == {"better": 1, "worse": 1, "mixed": 0, "unchanged": 0}
    assert [d["id"] for d in diff["added"]] == ["fresh"] and [d["id"] for d in diff["removed"]] == ["gone"]
    assert diff["findings"] == {"appeared": 1, "fixed": 1}  # b: the no-alternative finding went away

    for name, cs in (("old", old_cards), ("new", new_cards)):
        for c in cs:
            (tmp_path / name / c["id"]).mkdir(parents=True)
            (tmp_path / name / c["id"] / "scorecard.json").write_text(json.dumps(c), encoding="utf-8")
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert "1 en mieux, 1 en moins bien" in out
    assert "▼ a" in out and "+ apparu : image-alt" in out and "#x" in out
    assert "▲ b" in out and "indicateur alternative en hausse : Non → Oui" in out
    assert "nouvelle démarche : fresh" in out and "démarche disparue : gone" in out
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["worse"] == 1
    assert main(["diff", str(tmp_path / "absent"), str(tmp_path / "new")]) == 2


def test_scorecard_html_shows_the_change_since_the_previous_scan():
    from auditor.render.html import render_scorecard

    new = later(full_card())
    new["pages"][1]["violations"] = new["pages"][1]["violations"][1:]
    new["previous"] = compare_cards(full_card(), new)
    html = render_scorecard(new)
    assert "Évolution depuis l'analyse précédente" in html and "1 corrigé(s)" in html
    assert "Évolution depuis" not in render_scorecard(full_card())
