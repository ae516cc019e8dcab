"""rules/rgaa.yaml, rules/axe-fr.yaml and the RGAA view of axe's findings."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest

from auditor.checks.rgaa import STATUSES, axe_rule_tests, french_help, rgaa_rules, rgaa_view
from auditor.config import ConfigError, load_rules
from auditor.model import AxeNode, AxeRuleResult, PageCapture
from auditor.pipeline import build_scorecard

from .acc_pages import SHARED, capture_of

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")
OFFICIAL = SHARED / "data" / "rgaa" / "criteres-4.1.2.json"


def _official() -> dict:
    if not OFFICIAL.exists():
        pytest.skip(f"{OFFICIAL} absent (../shared/data not available)")
    return json.loads(OFFICIAL.read_text(encoding="utf-8"))


def _plain(title: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)


def test_criteria_match_the_official_list() -> None:
    data = _official()
    official = {
        f"{t['number']}.{c['criterium']['number']}": (t["number"], len(c["criterium"]["tests"]), _plain(c["criterium"]["title"]))
        for t in data["topics"]
        for c in t["criteria"]
    }
    rg = rgaa_rules(RULES)
    assert rg is not None and rg.version == "4.1.2"
    assert len(rg.themes) == len(data["topics"]) == 13
    mine = {c.id: (theme.id, c.tests, c.title) for theme, c in rg.criteria()}
    assert len(mine) == 106
    assert list(mine) == list(official)  # same ids, same order
    for cid, (theme, tests, title) in mine.items():
        assert (theme, tests) == official[cid][:2], cid
        # short titles of our own: never the official wording
        ratio = difflib.SequenceMatcher(None, title.lower(), official[cid][2].lower()).ratio()
        assert ratio < 0.75, (cid, title)


def test_overrides_point_at_existing_tests() -> None:
    rg = rgaa_rules(RULES)
    tests = {c.id: c.tests for _, c in rg.criteria()}
    for rule, tests_of_rule in axe_rule_tests(RULES).items():
        for t in tests_of_rule:
            crit, n = t.rsplit(".", 1)
            assert crit in tests and 1 <= int(n) <= tests[crit], (rule, t)


def test_bad_override_is_reported_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "rgaa.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  image-alt:\n    rgaa: [\"1.1.99\"]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    msg = "\n".join(err.value.messages)
    assert "rgaa.yaml:" in msg and "1.1.99" in msg


def test_every_rule_has_french_help() -> None:
    fr = RULES.get("axe-fr")
    assert len(fr.rules) >= 100
    for rule, entry in fr.rules.items():
        assert entry.help[0].isupper() and entry.help.endswith("."), rule
        # French, not axe's English
        assert not re.search(r"\b(must|should|elements?)\b", entry.help), rule
    assert french_help("image-alt", RULES) == "Chaque image doit avoir une alternative textuelle (attribut alt)."
    assert french_help("no-such-rule", RULES) is None


# ------------------------------------------------------------------ the view


def _result(rule: str, tags: list[str], nodes: int = 1) -> AxeRuleResult:
    return AxeRuleResult(
        rule=rule, impact="serious", tags=tags, help="English help", help_url="https://dequeuniversity.com/x",
        nodes=[AxeNode(target=[f"#n{i}"]) for i in range(nodes)],
    )


def _pages() -> list[PageCapture]:
    img = _result("image-alt", ["wcag2a", "wcag111", "RGAAv4", "RGAA-1.1.1"], nodes=2)
    p1 = PageCapture(index=1, kind="step", url="https://d.fr/1", violations=[img],
                     incomplete=[_result("color-contrast", ["RGAAv4", "RGAA-3.2.1"])])
    p2 = PageCapture(index=2, kind="step", url="https://d.fr/2", violations=[_result("image-alt", img.tags)])
    p3 = PageCapture(index=3, kind="annex", url="https://d.fr/aide", axe_error="timeout",
                     violations=[_result("label", ["RGAA-11.1.1"])])
    return [p1, p2, p3]


def _by_id(view: dict) -> dict[str, dict]:
    return {c["id"]: c for c in view["criteria"]}


def test_view_statuses() -> None:
    view = rgaa_view(capture_of(*_pages()), RULES)
    crit = _by_id(view)
    assert len(crit) == 106
    c11 = crit["1.1"]
    assert c11["status"] == "non_conforme" and c11["label"] == "non conforme (détecté automatiquement)"
    (rule,) = c11["violations"]
    assert rule["rule"] == "image-alt" and rule["tests"] == ["1.1.1"]
    assert rule["help"].startswith("Chaque image")  # French help
    assert [(p["url"], p["nodes"]) for p in rule["pages"]] == [("https://d.fr/1", 2), ("https://d.fr/2", 1)]
    assert crit["3.2"]["status"] == "a_verifier" and crit["3.2"]["review"][0]["rule"] == "color-contrast"
    # the page axe could not audit gives nothing
    assert crit["11.1"]["status"] == "sans_anomalie"
    assert crit["8.5"]["status"] == "sans_anomalie" and "document-title" in crit["8.5"]["axe_rules"]
    assert crit["1.2"]["status"] == "non_teste" and crit["1.2"]["axe_rules"] == []
    assert crit["12.3"]["label"] == "non testé automatiquement"
    assert sum(view["counts"].values()) == 106
    assert view["counts"]["non_conforme"] == 1 and view["counts"]["a_verifier"] == 1
    assert view["criteria_automated"] == view["counts"]["non_conforme"] + view["counts"]["a_verifier"] + view["counts"]["sans_anomalie"]
    assert 25 <= view["criteria_automated"] <= 50


def test_view_never_claims_a_rate() -> None:
    view = rgaa_view(capture_of(*_pages()), RULES)
    assert f"Résultats automatiques sur {view['criteria_automated']} critères" in view["summary"]
    assert "%" not in view["summary"]
    assert not any(k for k in view if "rate" in k or "taux" in k)


def test_nothing_audited_means_nothing_tested() -> None:
    page = PageCapture(index=1, kind="step", url="https://d.fr/1", axe_error="axe a échoué")
    view = rgaa_view(capture_of(page), RULES)
    assert view["counts"]["non_teste"] == 106 and view["criteria_automated"] == 0


def test_overrides_replace_axe_tags(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "rgaa.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  image-alt:\n    rgaa: [\"1.2.1\"]\n", encoding="utf-8")
    view = rgaa_view(capture_of(*_pages()), load_rules(rules))
    crit = _by_id(view)
    assert crit["1.2"]["status"] == "non_conforme"
    assert crit["1.1"]["status"] != "non_conforme"


def test_unknown_rule_with_rgaa_tag_counts_as_tested() -> None:
    page = PageCapture(index=1, kind="step", url="https://d.fr/1", violations=[_result("new-rule", ["RGAA-12.3.1"])])
    crit = _by_id(rgaa_view(capture_of(page), RULES))
    assert crit["12.3"]["status"] == "non_conforme"


def test_scorecard_carries_the_view_and_french_help() -> None:
    card = build_scorecard(capture_of(*_pages()), RULES)
    acc = card["accessibility"]
    assert acc["rgaa"]["available"] and set(STATUSES) == set(acc["rgaa"]["counts"])
    v = card["pages"][0]["violations"][0]
    assert v["help"].startswith("Chaque image") and v["help_en"] == "English help"
    assert card["pages"][0]["incomplete_rules"][0]["help"].startswith("Le contraste")
