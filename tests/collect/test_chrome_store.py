"""Shared chrome without a browser: what the store keeps, what it hands to the
page script, what the scorecard and the report say (collect/chrome.py)."""

from __future__ import annotations

import pytest

from auditor.collect.chrome import ChromeReuseRules, ChromeStore
from auditor.config import ConfigError
from auditor.model import PageCapture
from auditor.render.html import render_scorecard
from auditor.ruleset import load_rules
from auditor.schemas import validate_scorecard
from auditor.score import page_dict

RESULTS = {"violations": {"color-contrast": {"tags": [], "help": "h", "help_url": "", "description": "",
                                             "nodes": [{"path": [0, 1], "impact": "serious", "html": "<p>",
                                                        "summary": "s"}]}},
           "incomplete": {}}


def _rules(**over):
    return load_rules().models["axe-reuse"].model_copy(update=over)


def test_bundled_rules_load_with_page_rules_and_styles():
    rules = load_rules().models["axe-reuse"]
    assert isinstance(rules, ChromeReuseRules) and rules.enabled
    assert "region" in rules.page_rules and "landmark-*" in rules.page_rules
    assert "color" in rules.styles and "background-color" in rules.ancestor_styles


def test_unknown_key_in_the_rules_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "axe-reuse.yaml").write_text("enabled: true\nregion: header\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(tmp_path)
    assert "axe-reuse.yaml" in str(exc.value) and "region" in str(exc.value)


def test_learnt_region_is_offered_to_pages_of_the_same_origin_only():
    store = ChromeStore(_rules())
    first = store.script_args("https://a.gouv.fr/etape-1")
    assert first["known"] == {}
    raw = {"learned": [{"fp": "f1", "region": "header", "results": RESULTS, "nodes": 1}], "reused": []}
    assert store.record("https://a.gouv.fr/etape-1", raw, first) == []
    assert store.script_args("https://a.gouv.fr/etape-2")["known"] == {"f1": RESULTS}
    assert store.script_args("https://b.gouv.fr/etape-2")["known"] == {}
    assert store.script_args("http://a.gouv.fr/etape-2")["known"] == {}  # another scheme, another origin


def test_reuse_names_the_page_it_came_from_even_if_dropped_meanwhile():
    store = ChromeStore(_rules(max_regions=1))
    args = store.script_args("https://a.gouv.fr/2")
    store.record("https://a.gouv.fr/1", {"learned": [{"fp": "f1", "region": "header", "results": RESULTS,
                                                      "nodes": 1}]}, args)
    args = store.script_args("https://a.gouv.fr/2")
    # another walk teaches a second region: the first is dropped (max_regions: 1)
    store.record("https://a.gouv.fr/9", {"learned": [{"fp": "f2", "region": "footer", "results": RESULTS,
                                                      "nodes": 1}]}, store.script_args("https://a.gouv.fr/9"))
    assert list(k[1] for k in store.entries) == ["f2"]
    got = store.record("https://a.gouv.fr/2", {"reused": [{"fp": "f1", "region": "header.fr-header", "nodes": 1}]},
                       args)
    assert got == [{"region": "header.fr-header", "from_url": "https://a.gouv.fr/1", "nodes": 1}]
    assert store.reused_pages == 1


def test_first_page_to_show_a_region_keeps_it():
    store = ChromeStore(_rules())
    for url in ("https://a.gouv.fr/1", "https://a.gouv.fr/2"):
        store.record(url, {"learned": [{"fp": "f1", "region": "header", "results": RESULTS, "nodes": 1}]},
                     store.script_args(url))
    assert store.script_args("https://a.gouv.fr/3")["from"]["f1"][0] == "https://a.gouv.fr/1"


def test_disabled_reuse_gives_no_arguments():
    assert ChromeStore(_rules(enabled=False)).script_args("https://a.gouv.fr/") is None


def test_scorecard_and_report_say_which_regions_were_reused_and_from_where():
    page = PageCapture(index=2, kind="step", url="https://a.gouv.fr/2", title="Étape 2",
                       axe_reused=[{"region": "header.fr-header", "from_url": "https://a.gouv.fr/1", "nodes": 3}])
    d = page_dict(page)
    assert d["axe_reused"] == [{"region": "header.fr-header", "from_url": "https://a.gouv.fr/1", "nodes": 3}]
    assert "axe_reused" not in page_dict(PageCapture(index=1, kind="step", url="https://a.gouv.fr/1"))
    from tests.render.test_render import card

    c = card()
    c["pages"][1]["axe_reused"] = d["axe_reused"]
    html = render_scorecard(c)
    assert "Régions communes reprises" in html
    assert "header.fr-header" in html and "https://a.gouv.fr/1" in html and "3 éléments en anomalie ou à vérifier" in html
    assert "Régions communes reprises" not in render_scorecard(card())


def test_schema_accepts_the_reused_regions_and_rejects_a_malformed_entry():
    from tests.cards import full_card

    c = full_card()
    c["pages"][1]["axe_reused"] = [{"region": "header", "from_url": "https://x/1", "nodes": 0}]
    assert validate_scorecard(c) == []
    c["pages"][1]["axe_reused"] = [{"region": "header"}]
    assert validate_scorecard(c) != []


def test_an_origin_whose_regions_never_repeat_is_given_up():
    store = ChromeStore(_rules(give_up_after=3))
    for i in range(3):
        url = f"https://a.gouv.fr/{i}"
        assert store.script_args(url) is not None
        store.record(url, {"learned": [{"fp": f"f{i}", "region": "header", "results": RESULTS, "nodes": 1}],
                           "reused": []}, store.script_args(url))
    assert store.script_args("https://a.gouv.fr/9") is None  # fingerprints cost, and never paid off here
    assert store.script_args("https://b.gouv.fr/1") is not None
    # a page without candidate regions neither counts nor resets; a reuse resets the count
    store2 = ChromeStore(_rules(give_up_after=2))
    args = store2.script_args("https://a.gouv.fr/1")
    store2.record("https://a.gouv.fr/1", {"learned": [{"fp": "f1", "region": "h", "results": RESULTS, "nodes": 1}]},
                  args)
    store2.record("https://a.gouv.fr/2", {"learned": [], "reused": []}, store2.script_args("https://a.gouv.fr/2"))
    args = store2.script_args("https://a.gouv.fr/3")
    store2.record("https://a.gouv.fr/3", {"reused": [{"fp": "f1", "region": "h", "nodes": 1}]}, args)
    store2.record("https://a.gouv.fr/4", {"learned": [{"fp": "f4", "region": "h", "results": RESULTS, "nodes": 1}]},
                  store2.script_args("https://a.gouv.fr/4"))
    assert store2.script_args("https://a.gouv.fr/5") is not None
