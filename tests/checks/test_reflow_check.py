"""The reflow and text spacing checks, from probe facts written by hand (no browser).

The probes' facts are plain JSON in ``PageCapture.probes``: these tests
build them as the probes would, to pin what the judges decide (« non
conforme » or « à vérifier », which criterion), what the scorecard blocks
hold, the findings and their gate, and the RGAA table's statuses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.checks import metas
from auditor.checks._probe_issues import RULES, issues_of, probe_block
from auditor.checks.reflow import judge_reflow
from auditor.checks.rgaa import rgaa_view
from auditor.checks.text_spacing import judge_text_spacing
from auditor.config import load_rules
from auditor.model import PageCapture
from auditor.pipeline import check_and_score
from auditor.render import html as html_render
from auditor.report.findings import evaluate, finding_tokens
from auditor.schemas import validate_scorecard

from .acc_pages import capture_of, page_from_html

ROOT = Path(__file__).resolve().parents[2]
RULESET = load_rules(ROOT / "rules")
URL = "https://demarche.example.gouv.fr/etape-{}"
BOX = {"x": 40, "y": 0, "width": 1200, "height": 250}


def _width(width: int, **over: Any) -> dict[str, Any]:
    """One width's facts, nothing found unless ``over`` says so."""
    return {"width": width, "height": 640, "client_width": width, "scroll_width": width, "scrolls": False,
            "root_hidden": False, "overflow": [], "overflow_total": 0, "allowed": [], "allowed_total": 0,
            "box_only": [], "box_only_total": 0, "clipped": [], "clipped_total": 0, "examined": 40,
            "capped": False, **over}


def _reflow(narrow: dict[str, Any] | None = None, zoom: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"viewport": {"width": 1280, "height": 720}, "scroll": {"x": 0, "y": 0}, "clipped_at_width": 0,
            "narrow": narrow or _width(320), "zoom_200": zoom or _width(640),
            "restored": {"viewport": True, "scroll": True}, "ms": 120}


def _spacing(**over: Any) -> dict[str, Any]:
    return {"texts": 12, "capped": False, "boxes": 1, "applied": True, "clipped": [], "clipped_total": 0,
            "overlap": [], "overlap_total": 0, "restored": True, "moved": 0, "style_left": False, "ms": 70, **over}


def _page(index: int = 1, **probes: dict[str, Any]) -> PageCapture:
    page = page_from_html(f"<html><body><main><h1>Étape {index}</h1></main></body></html>", URL.format(index),
                          index=index)
    page.probes = probes
    return page


FIXED = {"selector": "#page", "tag": "div", "excerpt": "Demande de bourse — étape 1 sur 3", "overflow": 880,
         "fixed": False, "offscreen": False, "box": BOX}
TABLE = {"selector": "#bareme", "tag": "table", "kind": "table", "in_scroller": False, "text": False,
         "excerpt": "Loyer plafond par zone", "overflow": 696, "box": {"x": 16, "y": 114, "width": 1000, "height": 89}}
CLIPPED = {"selector": "#carte-creneau", "tag": "div", "excerpt": "Mardi 14 janvier à 9 h 30", "cut": 24,
           "box": {"x": 16, "y": 67, "width": 1248, "height": 26}}
SPACING_CLIP = {"selector": "#encadre-delai", "tag": "div", "excerpt": "Votre dossier sera instruit", "cut": 36,
                "axis": "y", "box": {"x": 8, "y": 80, "width": 294, "height": 60}}
OVERLAP = {"selector": "#etiquette-nom", "other": "#etiquette-prenom", "excerpt": "Nom d'usage",
           "other_excerpt": "Prénoms", "depth": 15, "box": {"x": 8, "y": 80, "width": 182, "height": 16}}


def _got(issues: list[Any]) -> list[tuple[str, str, str, str]]:
    return sorted((i.rule, i.status, i.criterion, i.selector) for i in issues)


# ------------------------------------------------------------------------------ judges


def test_a_fixed_width_layout_fails_10_11_and_is_reviewed_for_10_4() -> None:
    page = _page(reflow=_reflow(_width(320, scrolls=True, scroll_width=1200, overflow=[FIXED], overflow_total=1),
                                _width(640, scrolls=True, scroll_width=1200, overflow=[{**FIXED, "overflow": 560}])))
    issues = judge_reflow(page, None)
    assert _got(issues) == [("reflow/horizontal-scroll", "non_conforme", "10.11", "#page"),
                            ("reflow/zoom-200", "a_verifier", "10.4", "#page")]
    first = next(i for i in issues if i.rule == "reflow/horizontal-scroll")
    assert first.url == URL.format(1) and first.box == BOX and first.excerpt.startswith("Demande de bourse")
    assert "320 px" in first.message and "880 px" in first.message and "horizontalement" in first.message


def test_content_cut_off_at_200_percent_fails_10_4() -> None:
    """A root that hides its overflow, or a fixed block: what sticks out cannot be scrolled to."""
    zoom = _width(640, root_hidden=True, overflow=[FIXED])
    assert _got(judge_reflow(_page(reflow=_reflow(zoom=zoom)), None)) == [
        ("reflow/zoom-200", "non_conforme", "10.4", "#page")]
    fixed = _width(640, overflow=[{**FIXED, "fixed": True}], clipped=[CLIPPED])
    assert _got(judge_reflow(_page(reflow=_reflow(zoom=fixed)), None)) == [
        ("reflow/zoom-200", "non_conforme", "10.4", "#carte-creneau"),
        ("reflow/zoom-200", "non_conforme", "10.4", "#page")]


def test_a_data_table_that_widens_the_page_is_to_review_not_a_failure() -> None:
    narrow = _width(320, scrolls=True, scroll_width=1016, allowed=[TABLE], allowed_total=1)
    issues = judge_reflow(_page(reflow=_reflow(narrow, _width(640, allowed=[TABLE]))), None)
    assert _got(issues) == [("reflow/horizontal-scroll", "a_verifier", "10.11", "#bareme")]
    assert "tableau de données" in issues[0].message


def test_allowed_kinds_are_not_reviewed_beside_a_failure() -> None:
    narrow = _width(320, scrolls=True, overflow=[FIXED], allowed=[TABLE])
    assert _got(judge_reflow(_page(reflow=_reflow(narrow)), None)) == [
        ("reflow/horizontal-scroll", "non_conforme", "10.11", "#page")]


def test_scroll_zones_pass_with_a_table_and_are_reviewed_with_text() -> None:
    table_zone = {**TABLE, "selector": "#montants > div", "in_scroller": True}
    assert judge_reflow(_page(reflow=_reflow(_width(320, allowed=[table_zone]))), None) == []
    text_zone = {**table_zone, "kind": "scroll", "text": True, "selector": "#colonnes"}
    assert _got(judge_reflow(_page(reflow=_reflow(_width(320, allowed=[text_zone]))), None)) == [
        ("reflow/horizontal-scroll", "a_verifier", "10.11", "#colonnes")]


def test_a_page_widened_by_an_empty_gutter_is_to_review() -> None:
    gutter = {"selector": ".fr-grid-row", "tag": "div", "excerpt": "Carte", "overflow": 8,
              "box": {"x": -8, "y": 100, "width": 336, "height": 200}}
    narrow = _width(320, scrolls=True, scroll_width=328, box_only=[gutter], box_only_total=1)
    (issue,) = judge_reflow(_page(reflow=_reflow(narrow)), None)
    assert (issue.rule, issue.status, issue.selector) == ("reflow/horizontal-scroll", "a_verifier", ".fr-grid-row")
    bare = _width(320, scrolls=True, scroll_width=330)
    (issue,) = judge_reflow(_page(reflow=_reflow(bare)), None)
    assert issue.selector == "html" and "330 px pour 320 px" in issue.message


def test_text_clipped_at_320_px_fails_10_11() -> None:
    (issue,) = judge_reflow(_page(reflow=_reflow(_width(320, clipped=[CLIPPED]))), None)
    assert (issue.rule, issue.status, issue.criterion) == ("reflow/clipped", "non_conforme", "10.11")
    assert issue.box == CLIPPED["box"] and "« Mardi 14 janvier à 9 h 30 »" in issue.message


def test_a_box_measured_in_the_narrow_layout_says_so() -> None:
    (issue,) = judge_reflow(_page(reflow=_reflow(_width(320, overflow=[{**FIXED, "box_at": "narrow"}]))), None)
    assert issue.details["box_at"] == "narrow"


def test_no_zoom_facts_when_the_window_is_already_narrow() -> None:
    facts = {**_reflow(), "zoom_200": None}
    assert judge_reflow(_page(reflow=facts), None) == []


HEADER = {"selector": "#entete", "tag": "header", "excerpt": "Aide au logement", "position": "sticky", "height": 110,
          "box": {"x": 0, "y": 0, "width": 1280, "height": 110}}
COOKIES = {"selector": "#bandeau-cookies", "tag": "div", "excerpt": "Ce site utilise des cookies", "position": "fixed",
           "height": 60, "box": {"x": 0, "y": 660, "width": 1280, "height": 60}}


def _low(bands: list[dict[str, Any]], covered: int) -> dict[str, Any]:
    return {"width": 1280, "height": 256, "client_height": 256, "covered": covered, "bands": bands,
            "examined": 40, "capped": False}


def test_bands_covering_more_than_half_of_256_px_are_to_review_for_10_11() -> None:
    facts = {**_reflow(), "height_256": _low([HEADER, COOKIES], 170)}
    (issue,) = judge_reflow(_page(reflow=facts), None)
    assert (issue.rule, issue.status, issue.criterion, issue.selector) == (
        "reflow/height-256", "a_verifier", "10.11", "#entete")
    assert issue.box == HEADER["box"] and issue.details["covered"] == 170
    assert "256 px de haut" in issue.message and "(110 px)" in issue.message and "(60 px)" in issue.message
    assert "170 px sur 256" in issue.message and "86 px" in issue.message
    # half the window or less: room enough, nothing to say; no facts (an older capture): nothing either
    assert judge_reflow(_page(reflow={**_reflow(), "height_256": _low([HEADER], 110)}), None) == []
    assert judge_reflow(_page(reflow={**_reflow(), "height_256": _low([], 0)}), None) == []
    card = check_and_score(capture_of(_page(reflow=facts)), RULESET)
    assert validate_scorecard(card) == [] and [i["rule"] for i in card["reflow"]["review"]] == ["reflow/height-256"]
    assert {c["id"]: c for c in card["accessibility"]["rgaa"]["criteria"]}["10.11"]["status"] == "a_verifier"


def test_text_spacing_clipped_and_overlapping_text_fail_10_12() -> None:
    page = _page(text_spacing=_spacing(clipped=[SPACING_CLIP], overlap=[OVERLAP]))
    issues = judge_text_spacing(page, None)
    assert _got(issues) == [("text-spacing/clipped", "non_conforme", "10.12", "#encadre-delai"),
                            ("text-spacing/overlap", "non_conforme", "10.12", "#etiquette-nom")]
    overlap = next(i for i in issues if i.rule == "text-spacing/overlap")
    assert overlap.details["other"] == "#etiquette-prenom" and "« Prénoms »" in overlap.message
    assert judge_text_spacing(_page(text_spacing=_spacing()), None) == []


# ------------------------------------------------------------------- rules and metadata


def test_rule_ids_carry_the_prefix_the_rgaa_table_reads() -> None:
    """rgaa.py ties a probe to its rules by prefix: ``reflow/`` and ``text-spacing/`` (``_`` → ``-``)."""
    metas()  # loads the check modules
    ours = {r: v for r, v in RULES.items() if r.startswith(("reflow/", "text-spacing/"))}
    assert set(ours) == {"reflow/horizontal-scroll", "reflow/clipped", "reflow/zoom-200", "reflow/height-256",
                         "text-spacing/clipped", "text-spacing/overlap"}
    assert {v[0] for v in ours.values()} == {"10.11", "10.4", "10.12"}
    by_id = {m.id: m for m in metas()}
    assert by_id["reflow"].rgaa == ("10.11", "10.4") and by_id["text_spacing"].rgaa == ("10.12",)
    assert {r.id for r in by_id["reflow"].rules} == {r for r in ours if r.startswith("reflow/")}
    assert {"reflow", "text-spacing"} <= set(finding_tokens())


# --------------------------------------------------------------- blocks, findings, RGAA


def _capture() -> Any:
    failing = _page(1, reflow=_reflow(_width(320, scrolls=True, overflow=[FIXED]), _width(640, overflow=[FIXED])),
                    text_spacing=_spacing(clipped=[SPACING_CLIP], overlap=[OVERLAP]))
    broken = _page(2, reflow={"error": "sonde interrompue après 20 s", "ms": 20000},
                   text_spacing=_spacing(ms=60))
    return capture_of(failing, broken)


def test_blocks_hold_issues_review_cost_and_failed_pages() -> None:
    cap = _capture()
    block = probe_block(cap, RULESET, "reflow")
    assert block["status"] == "checked" and block["pages_probed"] == 1 and "ms" not in block  # the cost stays in the capture
    assert block["pages_failed"] == [{"url": URL.format(2), "index": 2, "error": "sonde interrompue après 20 s"}]
    assert [i["rule"] for i in block["issues"]] == ["reflow/horizontal-scroll"]
    assert [i["rule"] for i in block["review"]] == ["reflow/zoom-200"]
    assert block["issues"][0]["box"] == BOX and block["issues"][0]["selector"] == "#page"
    spacing = probe_block(cap, RULESET, "text_spacing")
    assert spacing["pages_probed"] == 2 and len(spacing["issues"]) == 2 and spacing["review"] == []
    assert len(issues_of(cap, RULESET)) >= 4


def test_the_scorecard_its_findings_and_the_rgaa_table() -> None:
    card = check_and_score(_capture(), RULESET)
    assert validate_scorecard(card) == []
    assert card["reflow"]["status"] == "checked" and card["text_spacing"]["status"] == "checked"

    # the check's own findings: failures and review items, each with its element's box
    by_id = {m.id: m for m in metas()}
    own = by_id["reflow"].findings(card)
    assert sorted((f.rule, f.status, f.category) for f in own) == [
        ("reflow/horizontal-scroll", "fail", "reflow"), ("reflow/zoom-200", "review", "reflow")]
    assert all(f.evidence[0]["box"] == BOX and f.evidence[0]["selector"] == "#page" for f in own)

    # what CI reads: the failures only, gated by their tokens
    ctx = evaluate([card], ["reflow", "text-spacing"])
    ours = [f for f in ctx.findings if f.check in ("reflow", "text_spacing")]
    got = sorted((f.check, f.rule, f.gated) for f in ours)
    assert got == [("reflow", "reflow/horizontal-scroll", True),
                   ("text_spacing", "text-spacing/clipped", True), ("text_spacing", "text-spacing/overlap", True)]
    scroll = next(f for f in ours if f.rule == "reflow/horizontal-scroll")
    assert "RGAA 10.11" in scroll.message and scroll.url == URL.format(1)
    assert not any(f.gated for f in evaluate([card], ["serious"]).findings if f.check == "reflow")

    # the report's generic section shows both checks, review items marked as such
    html = html_render.render_scorecard(card)
    assert "Redimensionnement et zoom (RGAA 10.11, 10.4)" in html and "Espacement du texte (RGAA 10.12)" in html
    assert "À vérifier : Au zoom à 200 %" in html

    rgaa = {c["id"]: c for c in card["accessibility"]["rgaa"]["criteria"]}
    assert rgaa["10.11"]["status"] == "non_conforme"
    assert rgaa["10.12"]["status"] == "non_conforme"
    assert rgaa["10.4"]["status"] == "a_verifier"
    (v,) = rgaa["10.11"]["violations"]
    assert v["rule"] == "reflow/horizontal-scroll" and v["pages"][0]["url"] == URL.format(1)
    assert "320 px" in v["help"]


def test_probed_pages_with_nothing_found_leave_the_criteria_without_anomaly() -> None:
    cap = capture_of(_page(reflow=_reflow(), text_spacing=_spacing()))
    rgaa = {c["id"]: c for c in rgaa_view(cap, RULESET)["criteria"]}
    assert rgaa["10.11"]["status"] == rgaa["10.4"]["status"] == rgaa["10.12"]["status"] == "sans_anomalie"
    assert "reflow/horizontal-scroll" in rgaa["10.11"]["axe_rules"]
    card = check_and_score(cap, RULESET)
    assert card["reflow"]["issues"] == [] and card["reflow"]["review"] == []


def test_without_probes_the_blocks_are_not_checked() -> None:
    card = check_and_score(capture_of(_page()), RULESET)
    assert card["reflow"]["status"] == "not_checked" and card["text_spacing"]["status"] == "not_checked"
    assert validate_scorecard(card) == []
