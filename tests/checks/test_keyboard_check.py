"""The keyboard check on hand-built walks: the judge, the scorecard block,
the findings and the RGAA table, without a browser (the probe itself is
tested on real pages in tests/collect/test_probe_keyboard.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from auditor.checks.keyboard import card_findings, judge_keyboard
from auditor.config import load_rules
from auditor.model import PageCapture
from auditor.pipeline import check_and_score
from auditor.report.findings import evaluate
from auditor.schemas import validate_scorecard

from .acc_pages import capture_of

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")
URL = "https://demarche.example.gouv.fr/etape-2"


def el(i: int, selector: str, *, tag: str = "a", dom: float | None = None, y: int = 100, tabindex: int | None = None,
       changes: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """One focused element as the probe records it (focus visible by default)."""
    return {"id": i, "selector": selector, "tag": tag, "role": "link" if tag == "a" else "", "name": f"Élément {i}",
            "excerpt": f"Élément {i}", "tabindex": tabindex, "dom": i if dom is None else dom,
            "box": {"x": 10, "y": y, "width": 120, "height": 20}, "in_viewport": True, "visible": True,
            "fixed": False, "focus_changes": ["outline-style"] if changes is None else changes, **extra}


def walk(elements: list[dict[str, Any]], *, sequence: list[int] | None = None, ended: str = "left_document",
         traps: list[dict[str, Any]] | None = None, unreached: list[dict[str, Any]] | None = None,
         ms: int = 120) -> dict[str, Any]:
    return {"viewport": {"width": 1280, "height": 720}, "ended": ended, "elements": elements,
            "sequence": [e["id"] for e in elements] if sequence is None else sequence, "backward": [],
            "traps": traps or [], "unreached": unreached or [], "ms": ms}


def page(facts: dict[str, Any], index: int = 1, url: str = URL) -> PageCapture:
    return PageCapture(index=index, kind="step", url=url, title="Étape 2 – Vos coordonnées",
                       probes={"keyboard": facts})


def rules_of(facts: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted((i.rule, i.criterion, i.status, i.selector) for i in judge_keyboard(page(facts), RULES))


def unreached(selector: str, kind: str, role: str = "", tag: str = "div") -> dict[str, Any]:
    return {"selector": selector, "tag": tag, "role": role, "name": "Ajouter", "excerpt": "Ajouter", "kind": kind,
            "box": {"x": 5, "y": 300, "width": 80, "height": 30}, "tabindex": None}


# --------------------------------------------------------------------------- the judge


def test_a_clean_walk_gives_nothing() -> None:
    assert rules_of(walk([el(0, "#a"), el(1, "#b"), el(2, "#c")])) == []


def test_traps() -> None:
    els = [el(0, "#a"), el(1, "#piege", tag="div")]
    held = walk(els, ended="trap", traps=[{"kind": "stuck", "ids": [1], "direction": "forward",
                                           "escape_released": False, "left_backward": False}],
                unreached=[unreached("#valider", "native", "button", "button")])
    # the walk stopped at the trap: the button after it is not « skipped by Tab »
    assert rules_of(held) == [("keyboard/trap", "12.9", "non_conforme", "#piege")]
    (issue,) = judge_keyboard(page(held), RULES)
    assert issue.box == {"x": 10, "y": 100, "width": 120, "height": 20} and issue.url == URL
    assert "Échap" in issue.message and issue.excerpt == "Élément 1"

    modal = walk([el(0, "#a"), el(1, "#fermer", tag="button"), el(2, "#ok", tag="button"), el(3, "#pied")],
                 sequence=[0, 1, 2, -1, 3],
                 traps=[{"kind": "cycle", "ids": [1, 2], "direction": "forward", "escape_released": True}])
    assert rules_of(modal) == []  # holds focus while open, closes with Escape: as it should

    loop = walk([el(0, "#a"), el(1, "#x"), el(2, "#y")], ended="trap",
                traps=[{"kind": "cycle", "ids": [1, 2], "direction": "forward", "escape_released": False}])
    (issue,) = judge_keyboard(page(loop), RULES)
    assert (issue.status, issue.selector, issue.details["cycle"]) == ("non_conforme", "#x", ["#x", "#y"])

    back = walk([el(0, "#a"), el(1, "#retour", tag="button")],
                traps=[{"kind": "stuck", "ids": [1], "direction": "backward", "escape_released": False}])
    (issue,) = judge_keyboard(page(back), RULES)
    assert issue.status == "non_conforme" and "Maj+Tab" in issue.message

    frame = walk([el(0, "#a"), el(1, "#carte", tag="iframe", changes=[])], ended="trap",
                 traps=[{"kind": "frame", "ids": [1], "direction": "forward", "escape_released": False}])
    assert rules_of(frame) == [("keyboard/trap", "12.9", "a_verifier", "#carte")]


def test_unreachable() -> None:
    facts = walk([el(0, "#a")], unreached=[
        unreached("#faux-bouton", "role", "button"), unreached("#carte", "handler"),
        unreached("#tuile", "pointer"), unreached("#oublie", "native", "link", "a"),
    ])
    assert rules_of(facts) == [
        ("keyboard/unreachable", "12.8", "non_conforme", "#oublie"),
        ("keyboard/unreachable", "7.3", "a_verifier", "#carte"),
        ("keyboard/unreachable", "7.3", "a_verifier", "#tuile"),
        ("keyboard/unreachable", "7.3", "non_conforme", "#faux-bouton"),
    ]
    # a walk cut short (press cap, time) cannot say a link was skipped; a role without tabindex still fails
    cut = {**facts, "ended": "cap"}
    assert [r[3] for r in rules_of(cut)] == ["#carte", "#tuile", "#faux-bouton"]


def test_focus_visibility() -> None:
    facts = walk([
        el(0, "#styles"),
        el(1, "#aucun", changes=[], pixels={"changed": 0, "area": 4000}),
        el(2, "#faible", changes=[], pixels={"changed": 6, "area": 4000}),
        el(3, "#image", changes=[], pixels={"changed": 400, "area": 4000}),
        el(4, "#hors-ecran", in_viewport=False),
        el(5, "#cadre", tag="iframe", changes=[]),
    ])
    assert rules_of(facts) == [
        ("keyboard/focus-invisible", "10.7", "a_verifier", "#faible"),
        ("keyboard/focus-invisible", "10.7", "a_verifier", "#hors-ecran"),
        ("keyboard/focus-invisible", "10.7", "non_conforme", "#aucun"),
    ]
    # few pixels of a wide box, but all in one spot that they outline (a ring on a slider's thumb): visible;
    # as few, scattered over the box: faint
    thumb = walk([el(0, "#curseur", tag="input", changes=[], pixels={"changed": 240, "area": 29232, "spot": [32, 32]}),
                  el(1, "#epars", tag="input", changes=[], pixels={"changed": 240, "area": 29232, "spot": [800, 24]}),
                  el(2, "#point", tag="input", changes=[], pixels={"changed": 12, "area": 29232, "spot": [4, 3]})])
    assert rules_of(thumb) == [("keyboard/focus-invisible", "10.7", "a_verifier", "#epars"),
                               ("keyboard/focus-invisible", "10.7", "a_verifier", "#point")]
    # beyond the pixel budget: one « à vérifier » for the page, naming the others
    over = walk([el(0, "#a", changes=[], pixels_skipped=True), el(1, "#b", changes=[], pixels_skipped=True),
                 el(2, "#c", focus_changes=None)])  # no unfocused styles read
    (issue,) = judge_keyboard(page(over), RULES)
    assert (issue.status, issue.selector, issue.details["others"]) == ("a_verifier", "#a", ["#b", "#c"])
    assert "2 autre(s)" in issue.message


def test_order() -> None:
    # tabindex=3 on the last link: Tab goes there first, then back to the top
    positive = walk([el(0, "#haut"), el(1, "#loyer"), el(2, "#resultat", tabindex=3)], sequence=[2, 0, 1])
    (issue,) = judge_keyboard(page(positive), RULES)
    assert (issue.rule, issue.criterion, issue.status, issue.selector) == ("keyboard/order", "12.8", "a_verifier",
                                                                           "#resultat")
    assert "tabindex positif (3)" in issue.message
    # a script sending focus back up the code
    assert rules_of(walk([el(0, "#a"), el(1, "#b"), el(2, "#c")], sequence=[0, 2, 1])) == [
        ("keyboard/order", "12.8", "a_verifier", "#b")]
    # source order kept, but the layout puts the next stop far above (a sidebar after the content)
    rise = walk([el(0, "#contenu", y=1500), el(1, "#menu", y=200)])
    (issue,) = judge_keyboard(page(rise), RULES)
    assert issue.selector == "#menu" and issue.details["rise"] == 1280
    # fixed elements (a modal, a sticky bar) and the restart after a released trap are no jump
    assert rules_of(walk([el(0, "#a", y=1500), el(1, "#b", y=100, fixed=True)])) == []
    assert rules_of(walk([el(0, "#a", dom=5), el(1, "#b", dom=1)], sequence=[0, -1, 1])) == []


# --------------------------------------------------------------------------- block, findings, RGAA


def _card(*facts: dict[str, Any]) -> dict[str, Any]:
    pages = [page(f, index=i, url=f"{URL}?p={i}") for i, f in enumerate(facts, start=1)]
    return check_and_score(capture_of(*pages), RULES)


def _failing() -> dict[str, Any]:
    return walk([el(0, "#a"), el(1, "#piege", tag="div"),
                 el(2, "#faible", changes=[], pixels={"changed": 6, "area": 4000})], ended="trap",
                traps=[{"kind": "stuck", "ids": [1], "direction": "forward", "escape_released": False}], ms=300)


def test_block_and_schema() -> None:
    card = _card(_failing(), {"error": "sonde en échec : TimeoutError: x", "ms": 20000})
    block = card["keyboard"]
    assert block["status"] == "checked" and block["pages_probed"] == 1 and "ms" not in block  # the cost stays in the capture
    assert block["pages_failed"] == [{"url": f"{URL}?p=2", "index": 2, "error": "sonde en échec : TimeoutError: x"}]
    assert [(i["rule"], i["selector"]) for i in block["issues"]] == [("keyboard/trap", "#piege")]
    assert [(i["rule"], i["selector"]) for i in block["review"]] == [("keyboard/focus-invisible", "#faible")]
    assert validate_scorecard(card) == []


def test_not_run() -> None:
    card = check_and_score(capture_of(PageCapture(index=1, kind="step", url=URL, title="Étape")), RULES)
    assert card["keyboard"]["status"] == "not_checked"
    assert validate_scorecard(card) == []
    assert card_findings(card) == []


def test_findings_and_gate() -> None:
    card = _card(_failing())
    found = card_findings(card)
    assert [(f.rule, f.status, f.category, f.target) for f in found] == [
        ("keyboard/trap", "fail", "keyboard", "#piege"), ("keyboard/focus-invisible", "review", "keyboard", "#faible")]
    assert found[0].evidence == [{"url": f"{URL}?p=1", "selector": "#piege", "text": "Élément 1",
                                  "box": {"x": 10, "y": 100, "width": 120, "height": 20}}]
    ctx = evaluate([card], ["keyboard"])
    mine = [f for f in ctx.findings if f.check == "keyboard"]
    assert [(f.rule, f.gated) for f in mine] == [("keyboard/trap", True)]  # « review » is shown, never counted
    clean = _card(walk([el(0, "#a")]))
    assert not [f for f in evaluate([clean], ["keyboard"]).findings if f.check == "keyboard"]


def test_rgaa_table() -> None:
    crit = {c["id"]: c for c in _card(_failing())["accessibility"]["rgaa"]["criteria"]}
    assert crit["12.9"]["status"] == "non_conforme"
    assert [v["rule"] for v in crit["12.9"]["violations"]] == ["keyboard/trap"]
    assert crit["12.9"]["violations"][0]["pages"][0]["url"] == f"{URL}?p=1"
    assert crit["10.7"]["status"] == "a_verifier"
    # walked and nothing found: « aucune anomalie détectée automatiquement », not « non testé »
    clean = {c["id"]: c for c in _card(walk([el(0, "#a")]))["accessibility"]["rgaa"]["criteria"]}
    assert clean["12.9"]["status"] == "sans_anomalie" and "keyboard/trap" in clean["12.9"]["axe_rules"]
    assert clean["7.3"]["status"] == "sans_anomalie"


def test_pixel_comparison() -> None:
    from PIL import Image, ImageDraw

    from auditor.collect.probes.keyboard import changed_pixels, pixel_change

    def png(ring: bool, faint: bool = False) -> bytes:
        img = Image.new("RGB", (60, 30), "white")
        if ring:
            ImageDraw.Draw(img).rectangle((2, 2, 57, 27), outline=(250, 250, 250) if faint else (10, 118, 246))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()

    assert changed_pixels(png(False), png(False)) == 0
    assert changed_pixels(png(True), png(False)) == 2 * 56 + 2 * 24  # the ring: 56 × 26 pixels
    assert changed_pixels(png(True, faint=True), png(False)) == 0  # below the antialiasing tolerance
    assert pixel_change(png(True), png(False)) == {"changed": 160, "spot": [56, 26]}
    assert pixel_change(png(False), png(False)) == {"changed": 0}
