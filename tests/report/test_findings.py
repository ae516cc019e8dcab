"""Findings, fingerprints, CI gates and baselines (auditor/findings.py): pure, no browser."""

from __future__ import annotations

import copy

import pytest
from cards import bare_card, full_card, violation

from auditor.report.findings import (
    GateError,
    apply_baseline,
    baseline_counts,
    element_signature,
    enumerate_findings,
    evaluate,
    failure_line,
    gate_matches,
    load_baseline,
    node_key,
    normalise_selector,
    page_key,
    parse_fail_on,
)
from auditor.schemas import validate_scorecard


def by_rule(card):
    return {f.rule: f for f in enumerate_findings(card)}


def test_synthetic_cards_follow_the_schema():
    assert validate_scorecard(full_card()) == []
    assert validate_scorecard(bare_card()) == []


def test_every_kind_of_finding_is_enumerated_with_evidence():
    fs = by_rule(full_card())
    assert set(fs) == {"image-alt", "label", "color-contrast", "region", "dlnuf/repeated", "dlnuf/already-held",
                       "alternatives/none", "accessibility/no-mention", "indicator/handicap", "indicator/dlnuf",
                       "indicator/auth", "indicator/performance", "indicator/alternative"}
    img = fs["image-alt"]
    assert (img.check, img.category, img.url, img.target) == (
        "axe", "critical", "https://www.example.gouv.fr/cni/etape-2.html", "#main > div:nth-child(2) > img")
    assert img.evidence[0]["html"] == '<img src="/s/logo.png">'
    rep = fs["dlnuf/repeated"]
    assert rep.category == "repeated" and rep.target == "justificatif-domicile"
    assert [e["url"] for e in rep.evidence] == ["https://www.example.gouv.fr/cni/etape-2.html",
                                                 "https://www.example.gouv.fr/cni/etape-3.html"]
    assert "2 fois" in rep.message
    assert "DGFiP" in fs["dlnuf/already-held"].message
    assert all(len(f.fingerprint) == 32 for f in fs.values())


def test_not_checked_blocks_yield_no_finding_and_a_notice_not_a_pass():
    card = bare_card()
    fs = enumerate_findings(card)
    assert [f.rule for f in fs] == []
    ctx = evaluate([card], ["repeated", "already-held", "no-alternative", "no-mention", "dlnuf=Faible"])
    assert not any(f.gated for f in ctx.findings)
    gates = {n["gate"] for n in ctx.notices}
    assert gates == {"repeated", "already-held", "no-alternative", "no-mention", "dlnuf=Faible"}
    assert all("non" in n["message"] for n in ctx.notices)


def test_a_checked_block_without_the_field_is_not_checked_either():
    # the accessibility block is filled by axe_summary before the mention check exists
    card = bare_card()
    assert "mention" not in card["accessibility"]
    ctx = evaluate([card], ["no-mention"])
    assert [n["gate"] for n in ctx.notices] == ["no-mention"]


def test_failed_demarche_is_a_notice_unless_partial_is_gated():
    card = bare_card(status="failed", status_reason="page de départ : erreur 404", pages=[])
    ctx = evaluate([card], ["serious"])
    assert not any(f.gated for f in ctx.findings) and "échec" in ctx.notices[0]["message"]
    ctx = evaluate([card], ["partial"])
    (f,) = [f for f in ctx.findings if f.gated]
    assert f.rule == "walk/failed" and "404" in f.message


@pytest.mark.parametrize("tokens,expected", [
    (["critical"], {"image-alt"}),
    (["serious"], {"image-alt", "label"}),  # a threshold: serious or worse
    (["critical,serious"], {"image-alt", "label"}),
    (["moderate"], {"image-alt", "label", "color-contrast"}),
    (["minor"], {"image-alt", "label", "color-contrast", "region"}),
    (["repeated"], {"dlnuf/repeated"}),
    (["already-held"], {"dlnuf/already-held"}),
    (["no-alternative"], {"alternatives/none"}),
    (["no-mention"], {"accessibility/no-mention"}),
    (["dlnuf=Faible"], set()),  # Partiel is better than Faible
    (["dlnuf=Partiel"], {"indicator/dlnuf"}),
    (["performance=partiel"], {"indicator/performance"}),
    (["handicap=Non", "auth=Non"], {"indicator/handicap", "indicator/auth"}),
    (["partial"], set()),
])
def test_gate_tokens(tokens, expected):
    ctx = evaluate([full_card()], tokens)
    assert {f.rule for f in ctx.findings if f.gated} == expected


def test_indicator_gate_catches_worse_levels_and_never_non_applicable():
    card = full_card(indicators={**full_card()["indicators"], "dlnuf": "Faible"})
    assert {f.rule for f in evaluate([card], ["dlnuf=Partiel"]).findings if f.gated} == {"indicator/dlnuf"}
    card = full_card(indicators={**full_card()["indicators"], "dlnuf": "Non applicable"})
    assert not [f for f in evaluate([card], ["dlnuf=Partiel"]).findings if f.gated]


def test_partial_walk_gate_names_the_last_step():
    card = full_card(status="partial", status_reason="mur de connexion")
    (f,) = [f for f in evaluate([card], ["partial"]).findings if f.gated]
    assert f.url == "https://www.example.gouv.fr/cni/etape-3.html" and "mur de connexion" in f.message


def test_parse_fail_on_rejects_unknown_values_in_french():
    assert parse_fail_on(["critical,serious", "dlnuf=faible auth=franceconnect+", "grave"]) == [
        "critical", "serious", "dlnuf=Faible", "auth=FranceConnect +"]
    for bad, word in (["severe"], "inconnue"), (["dlnuf=Mauvais"], "niveau"), (["vitesse=Faible"], "indicateur"):
        with pytest.raises(GateError, match=word):
            parse_fail_on(bad)


def test_failure_line_says_which_demarche_which_finding_where_on_one_line():
    card = full_card()
    card["pages"][1]["violations"][0]["help"] = "Images\nmust ::error:: have alt"
    f = by_rule(card)["image-alt"]
    line = failure_line(f)
    assert line.startswith("carte-identite : image-alt (critique)")
    assert "https://www.example.gouv.fr/cni/etape-2.html" in line and "#main > div:nth-child(2) > img" in line
    assert "\n" not in line


# ------------------------------------------------------------------ fingerprints


def test_page_key_ignores_host_query_and_file_numbers():
    assert page_key("https://preview-42.example.fr/d/123456/etape-2?x=1") == "/d/{n}/etape-2"
    assert page_key("https://prod.example.fr/d/987654/etape-2/") == "/d/{n}/etape-2"
    assert page_key("http://127.0.0.1:8765/cni/index.html") == page_key("https://x.fr/cni/") == "/cni"
    assert page_key("https://x.fr/app/#/etape-2") == "/app#/etape-2"
    assert page_key("https://x.fr/a") != page_key("https://x.fr/b")


def test_selector_normalisation_drops_positions_and_generated_names():
    assert normalise_selector("#main > div:nth-child(3) > img.logo") == "#main … img.logo"
    assert normalise_selector("html > body > div:nth-child(2) > img") == "img"
    assert normalise_selector(".css-1q2w3e4 > a[href$=\"contact\"]") == 'a[href$="contact"]'
    assert normalise_selector("#field-12") == normalise_selector("#field-13")


def test_element_signature_reads_identity_not_position():
    assert element_signature('<img class="logo" src="/s/logo.png?v=3">') == "img src=s/logo.png"
    assert element_signature('<img src="https://cdn.x.fr/s/logo.png">') == "img src=s/logo.png"
    assert element_signature('<input type="text" id="mat-input-3" name="nom">') == "input type=text id=mat-input-0"
    assert element_signature('<button id=":r1:" class="fr-btn is-active"></button>') == "button .fr-btn"
    assert element_signature('<p class="css-ab12cd">Texte pâle</p>') == "p «texte pâle»"
    assert element_signature("") == ""
    # truncated by axe in the middle of an attribute: still a signature
    assert element_signature('<a href="/contact" title="Nous contacter pour') == "a href=contact"


def test_node_key_keeps_frames():
    assert node_key("#cadre >> #bouton-vide", '<button id="bouton-vide"></button>') == "#cadre >> button id=bouton-vide"
    assert node_key("iframe:nth-child(2) >> button", "<button>") == "iframe >> button"


def _with_img_target(card, target, html='<img src="/s/logo.png">'):
    card = copy.deepcopy(card)
    card["pages"][1]["violations"][0]["nodes"][0].update(target=target, html=html)
    return card


def test_known_finding_survives_an_unrelated_dom_change_and_another_host():
    old = full_card()
    # a banner was inserted above, the image got wrapped, and the site moved to a preview host
    new = _with_img_target(full_card(host="https://pr-17.preview.example.fr"),
                           "#main > div:nth-child(3) > div.wrapper > img[src$=\"logo.png\"]")
    new["pages"][1]["url"] += "?session=abc"
    ctx = evaluate([new], ["minor", "repeated", "already-held", "no-alternative", "no-mention", "handicap=Non"],
                   baseline_counts(enumerate_findings(old)), "old")
    assert [f.rule for f in ctx.findings if f.baseline == "new"] == []
    assert not any(f.gated for f in ctx.findings)


def test_a_new_finding_fails_even_on_a_page_that_already_had_one():
    old = full_card()
    new = full_card()
    new["pages"][1]["violations"][0]["nodes"].append({"target": "#photo", "html": '<img id="photo" src="p.jpg">'})
    ctx = evaluate([new], ["critical"], baseline_counts(enumerate_findings(old)), "old")
    (f,) = [f for f in ctx.findings if f.gated]
    assert f.target == "#photo" and f.baseline == "new"


def test_baseline_is_a_multiset():
    old = full_card()
    new = full_card()
    # the same image twice on the page: the second one is new
    new["pages"][1]["violations"][0]["nodes"].append(dict(new["pages"][1]["violations"][0]["nodes"][0]))
    fs = enumerate_findings(new)
    apply_baseline(fs, baseline_counts(enumerate_findings(old)))
    imgs = [f for f in fs if f.rule == "image-alt"]
    assert [f.baseline for f in imgs] == ["unchanged", "new"]


def test_worse_indicator_level_is_new_against_the_baseline():
    old = full_card()
    new = full_card(indicators={**full_card()["indicators"], "dlnuf": "Faible"})
    ctx = evaluate([new], ["dlnuf=Partiel"], baseline_counts(enumerate_findings(old)), "old")
    (f,) = [f for f in ctx.findings if f.gated]
    assert f.level == "Faible"
    ctx = evaluate([old], ["dlnuf=Partiel"], baseline_counts(enumerate_findings(old)), "old")
    assert not any(f.gated for f in ctx.findings)


def test_gate_ids_limit_the_gate_to_the_demarches_of_this_run():
    ctx = evaluate([full_card("a"), full_card("b")], ["critical"], gate_ids=["b"])
    assert {f.demarche for f in ctx.findings if f.gated} == {"b"}


def test_load_baseline_from_every_supported_source(tmp_path):
    from auditor.report.exports import prepare_options, write_exports

    cards = [full_card("a"), bare_card("b", pages=[{**full_card()["pages"][1], "index": 1}])]
    out = tmp_path / "r"
    for c in cards:
        (out / c["id"]).mkdir(parents=True)
        (out / c["id"] / "scorecard.json").write_text(__import__("json").dumps(c), encoding="utf-8")
    write_exports(cards, out, prepare_options(["sarif,baseline"]))
    expected = baseline_counts([f for c in cards for f in enumerate_findings(c)])
    assert load_baseline(out) == expected
    assert load_baseline(out / "scorecards.json") == expected
    assert load_baseline(out / "baseline.json") == expected
    assert load_baseline(out / "auditor.sarif") == expected
    assert load_baseline(out / "a" / "scorecard.json") == baseline_counts(enumerate_findings(cards[0]))
    with pytest.raises(GateError, match="introuvable"):
        load_baseline(tmp_path / "absent.json")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(GateError, match="illisible"):
        load_baseline(tmp_path / "bad.json")


def test_gate_matches_only_axe_findings_for_impacts():
    f = by_rule(full_card())["dlnuf/repeated"]
    assert not gate_matches(f, ["minor"])
    assert gate_matches(f, ["repeated"])


def test_help_fr_is_preferred_when_present():
    card = full_card()
    card["pages"][1]["violations"] = [dict(violation("image-alt", "critical", ("img", "<img>")),
                                           help_fr="Les images doivent avoir une alternative")]
    assert "Les images doivent" in by_rule(card)["image-alt"].message
