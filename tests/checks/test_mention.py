"""The legal accessibility mention and the déclaration d'accessibilité.

Every fixture of tests/fixtures/mention/ (a step page) and
tests/fixtures/declaration/ (a declaration, visited as an annex page) says what
it expects in its ``<script type="application/json" id="expected">`` block (read by
tests/expected.py): adding a case needs no Python.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.mention import MENTION_RE, add_years, mention_check
from auditor.checks._frtext import fold
from auditor.config import load_rules
from auditor.schemas import validate_scorecard
from auditor.pipeline import build_scorecard

from ..expected import expected_of
from .acc_pages import FIXTURES, SHARED, capture_of, dig, page_from_html

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules")
STEP_URL = "https://demarche.example.fr/etape-1"
DECL_URL = "https://demarche.example.fr/accessibilite"


def _fixtures(folder: str) -> list[Path]:
    return sorted((FIXTURES / folder).glob("*.html"))


@pytest.mark.parametrize("path", _fixtures("mention"), ids=lambda p: p.stem)
def test_mention_fixture(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    want = expected_of(path)
    block = mention_check(capture_of(page_from_html(html, STEP_URL)), RULES).block
    assert block["mention"] == want["mention"]
    assert block["declaration_url"] == want["declaration_url"]
    assert block["mention_pages"] == (0 if want["mention"] == "absente" else 1)
    if want["mention"] != "absente":
        (ev,) = block["mention_evidence"]
        assert ev["url"] == STEP_URL
        assert want["mention"] in fold(ev["text"])


STEP_LINKING = """<!doctype html><html lang="fr"><head><title>Étape 1</title></head>
<body><main><h1>Votre demande</h1></main>
<footer><a href="/accessibilite">Déclaration d'accessibilité</a></footer></body></html>"""


@pytest.mark.parametrize("path", _fixtures("declaration"), ids=lambda p: p.stem)
def test_declaration_fixture(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    want = expected_of(path)
    capture = capture_of(
        page_from_html(STEP_LINKING, STEP_URL, index=1),
        page_from_html(html, DECL_URL, kind="annex", index=2),
    )
    card = build_scorecard(capture, RULES)
    assert validate_scorecard(card) == []
    acc = card["accessibility"]
    assert acc["declaration_url"] == DECL_URL
    assert acc["declaration"]["visited"] is True
    for key, value in want.items():
        if key == "handicap":
            assert card["indicators"]["handicap"] == value, card["indicators"]["reasons"]["handicap"]
        else:
            assert dig(acc, key) == value, key
    # every field found carries its evidence: the declaration's URL and a quote
    for field, ev in acc["declaration"]["evidence"].items():
        assert ev["url"] == DECL_URL and ev["text"], field
    for ev in acc["declaration"]["contact"]["evidence"] + acc["declaration"]["defenseur_des_droits"]["evidence"]:
        assert ev["url"] == DECL_URL and ev["text"]


# ------------------------------------------------------------------ multi-page


def _step(i: int, footer: str) -> str:
    return f"<html><body><main><h1>Étape {i}</h1></main><footer>{footer}</footer></body></html>"


def test_mention_pages_counts_step_pages_only() -> None:
    link = '<a href="/accessibilite">Accessibilité : partiellement conforme</a>'
    capture = capture_of(
        page_from_html(_step(1, link), "https://d.fr/1", index=1),
        page_from_html(_step(2, "rien"), "https://d.fr/2", index=2),
        page_from_html(_step(3, link), "https://d.fr/3", index=3),
        page_from_html(_step(4, link), "https://d.fr/aide", kind="annex", index=4),
    )
    block = mention_check(capture, RULES).block
    assert block["mention"] == "partiellement"
    assert block["mention_pages"] == 2
    assert block["step_pages"] == 3
    assert block["mention_missing"] == ["https://d.fr/2"]
    # linked, not visited: unknown rather than "no declaration"
    assert block["declaration_url"] == "https://d.fr/accessibilite"
    assert "declared_rate" not in block and "declaration_valid" not in block
    assert any("non visitée" in r for r in block["review"])
    card = build_scorecard(capture, RULES)
    assert card["indicators"]["handicap"] is None


def test_conflicting_mentions_take_the_majority_and_flag_it() -> None:
    capture = capture_of(
        page_from_html(_step(1, "Accessibilité : partiellement conforme"), "https://d.fr/1", index=1),
        page_from_html(_step(2, "Accessibilité : non conforme"), "https://d.fr/2", index=2),
        page_from_html(_step(3, "Accessibilité : non conforme"), "https://d.fr/3", index=3),
    )
    block = mention_check(capture, RULES).block
    assert block["mention"] == "non"
    assert any("différentes" in r for r in block["review"])


def test_tie_takes_the_less_favourable_status() -> None:
    capture = capture_of(
        page_from_html(_step(1, "Accessibilité : totalement conforme"), "https://d.fr/1", index=1),
        page_from_html(_step(2, "Accessibilité : non conforme"), "https://d.fr/2", index=2),
    )
    assert mention_check(capture, RULES).block["mention"] == "non"


def test_mention_on_annex_only() -> None:
    capture = capture_of(
        page_from_html(_step(1, "rien"), "https://d.fr/1", index=1),
        page_from_html(_step(2, "Accessibilité : non conforme"), "https://d.fr/aide", kind="annex", index=2),
    )
    block = mention_check(capture, RULES).block
    assert block["mention"] == "non" and block["mention_pages"] == 0
    assert any("annexes" in r for r in block["review"])


def test_no_link_no_declaration_means_handicap_non() -> None:
    capture = capture_of(page_from_html(_step(1, "Accessibilité : non conforme"), "https://d.fr/1"))
    card = build_scorecard(capture, RULES)
    acc = card["accessibility"]
    assert acc["declaration_url"] is None and acc["declared_rate"] is None and acc["declaration_valid"] is False
    assert card["indicators"]["handicap"] == "Non"


def test_declaration_found_by_content_after_redirect() -> None:
    decl = (FIXTURES / "declaration" / "pass-template-partiellement.html").read_text(encoding="utf-8")
    capture = capture_of(
        page_from_html(STEP_LINKING, STEP_URL, index=1),
        page_from_html(decl, "https://www.example.gouv.fr/pages/a11y-statement", kind="annex", index=2),
    )
    block = mention_check(capture, RULES).block
    assert block["declaration"]["visited"] and block["declared_rate"] == 0.62
    assert block["declaration"]["page_url"] == "https://www.example.gouv.fr/pages/a11y-statement"


def test_mention_and_declaration_disagree() -> None:
    decl = (FIXTURES / "declaration" / "fail-expired-non.html").read_text(encoding="utf-8")
    step = _step(1, '<a href="/accessibilite">Accessibilité : totalement conforme</a>')
    capture = capture_of(
        page_from_html(step, STEP_URL, index=1), page_from_html(decl, DECL_URL, kind="annex", index=2)
    )
    block = mention_check(capture, RULES).block
    assert any("diffère" in r for r in block["review"])


def test_no_pages_fills_nothing() -> None:
    assert mention_check(capture_of(), RULES).block == {}


# ------------------------------------------------------------------ validity


@pytest.mark.parametrize(
    "established, valid",
    [("2023-11-27", False), ("2023-11-28", True), ("2026-11-27", True), ("2020-02-29", False)],
)
def test_three_year_validity_at_scan_time(established: str, valid: bool) -> None:
    d = date.fromisoformat(established)
    decl = (
        "<html><head><title>Déclaration d'accessibilité</title></head><body><h1>Déclaration d'accessibilité</h1>"
        f"<p>Le site est partiellement conforme avec le RGAA. 70 % des critères sont respectés.</p>"
        f"<p>Cette déclaration a été établie le {d.day:02d}/{d.month:02d}/{d.year}.</p></body></html>"
    )
    capture = capture_of(
        page_from_html(STEP_LINKING, STEP_URL, index=1), page_from_html(decl, DECL_URL, kind="annex", index=2)
    )
    block = mention_check(capture, RULES).block
    assert block["declaration_date"] == established
    assert block["declaration_valid"] is valid


def test_add_years_on_leap_day() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


# ------------------------------------------------------------------ tolerance


_ACCENTS = st.sampled_from(["é", "e", "É", "E"])
_SPACES = st.sampled_from(["", " ", "\u00a0", "\u202f", "  ", "\n"])


@settings(max_examples=200, deadline=None)
@given(
    first=st.sampled_from(["A", "a"]),
    e=_ACCENTS,
    sp1=_SPACES,
    colon=st.sampled_from([":", "：", "", "-", "–"]),
    sp2=_SPACES.filter(bool),
    status=st.sampled_from(["totalement", "partiellement", "non"]),
    upper=st.booleans(),
    sp3=st.sampled_from([" ", "\u00a0", "\n  "]),
)
def test_mention_tolerates_case_accents_spacing_colons(
    first: str, e: str, sp1: str, colon: str, sp2: str, status: str, upper: bool, sp3: str
) -> None:
    word = status.upper() if upper else status
    text = f"Mentions légales {first}ccessibilit{e}{sp1}{colon}{sp2}{word}{sp3}conforme Plan du site"
    m = MENTION_RE.search(fold(text))
    assert m is not None and m.group(1) == status


@pytest.mark.parametrize(
    "text",
    [
        "Inaccessibilité partiellement conforme",  # not the word "accessibilité"
        "Accessibilité : en cours d'évaluation",
        "Accessibilité Boîte à outils conforme",
        "Accessibilité : conforme",  # not one of the three legal forms
    ],
)
def test_not_a_mention(text: str) -> None:
    assert MENTION_RE.search(fold(text)) is None


# ------------------------------------------------------------------ real pages

REAL = SHARED / "data" / "realworld" / "accessibility-mention"
REAL_EXPECTED = {
    "code.html": "partiellement",
    "fabrique.html": "non",
    "lba.html": "non",
    "msp.html": "non",
    "opentermsarchive.org.html": "non",
}


@pytest.mark.parametrize("name, status", sorted(REAL_EXPECTED.items()))
def test_real_pages(name: str, status: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} absent (../shared/data not available)")
    page = page_from_html(path.read_text(encoding="utf-8"), f"https://site.example.fr/{name}")
    block = mention_check(capture_of(page), RULES).block
    assert block["mention"] == status
    assert block["mention_pages"] == 1
    assert f"{status} conforme" in fold(block["mention_evidence"][0]["text"])


def test_contact_means_come_from_the_contact_section() -> None:
    decl = (
        "<html><head><title>Déclaration d'accessibilité</title></head><body>"
        "<nav><a href='/contact'>Nous contacter</a> Standard : 01 23 45 67 89</nav>"
        "<h1>Déclaration d'accessibilité</h1><p>Le site est non conforme avec le RGAA 4.1.</p>"
        "<p>Cette déclaration a été établie le 2 février 2026.</p>"
        "<h2>Retour d'information et contact</h2><p>Écrivez à a11y@exemple.gouv.fr.</p>"
        "<h2>Voies de recours</h2><p>Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>"
        "</body></html>"
    )
    capture = capture_of(
        page_from_html(STEP_LINKING, STEP_URL, index=1), page_from_html(decl, DECL_URL, kind="annex", index=2)
    )
    contact = mention_check(capture, RULES).block["declaration"]["contact"]
    # the switchboard number in the menu and the Défenseur's address are not the service's contact
    assert contact["means"] == ["courriel"]
