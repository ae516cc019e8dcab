"""The RGAA, declaration and FranceConnect sections of scorecard.html."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from auditor.config import load_rules
from auditor.model import AxeNode, AxeRuleResult, PageCapture
from auditor.render.html import SECTIONS, render_scorecard
from auditor.schemas import validate_scorecard
from auditor.pipeline import build_scorecard

from ..checks.acc_pages import FIXTURES, capture_of, page_from_html

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")


def _card() -> dict:
    step1 = page_from_html((FIXTURES / "auth" / "pass-dsfr-button.html").read_text(encoding="utf-8"),
                           "https://d.fr/1", index=1)
    step1.text += " Accessibilité : partiellement conforme"
    step1.html = step1.html.replace("</main>", '</main><a href="/accessibilite">Accessibilité : partiellement conforme</a>')
    step1.violations = [AxeRuleResult(rule="image-alt", impact="critical", tags=["RGAA-1.1.1"], help="Images must…",
                                      nodes=[AxeNode(target=["img.logo"], html="<img src=x>")])]
    step1.incomplete = [AxeRuleResult(rule="color-contrast", tags=["RGAA-3.2.1"], nodes=[AxeNode(target=["p"])])]
    decl = page_from_html((FIXTURES / "declaration" / "pass-template-partiellement.html").read_text(encoding="utf-8"),
                          "https://d.fr/accessibilite", kind="annex", index=2)
    return build_scorecard(capture_of(step1, decl), RULES)


def _section(html: str, ident: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    h2 = soup.find("h2", id=ident)
    assert h2 is not None, ident
    return h2.find_parent("section")


def test_sections_are_wired() -> None:
    assert {"rgaa", "declaration", "auth"} <= set(SECTIONS)


def test_rgaa_table() -> None:
    sec = _section(render_scorecard(_card()), "titre-rgaa")
    tables = sec.find_all("table", class_="rgaa")
    assert len(tables) == 13
    rows = {tr["id"]: tr for tr in sec.find_all("tr", id=True)}
    assert len(rows) == 106
    r11 = rows["rgaa-1.1"].get_text(" ", strip=True)
    assert "non conforme (détecté automatiquement)" in r11
    assert "Chaque image doit avoir une alternative textuelle" in r11 and "image-alt" in r11
    assert rows["rgaa-1.1"].find("a")["href"] == "https://d.fr/1"
    assert "à vérifier" in rows["rgaa-3.2"].get_text(" ", strip=True)
    assert "non testé automatiquement" in rows["rgaa-1.2"].get_text(" ", strip=True)
    for table in tables:
        table.decompose()  # criterion titles may say "200 %"
    text = " ".join(sec.get_text(" ", strip=True).split())
    assert re.search(r"Résultats automatiques sur \d+ critères", text)
    # never a conformance rate from automated results
    assert not re.search(r"\d\s*%", text)


def test_declaration_section() -> None:
    sec = _section(render_scorecard(_card()), "titre-declaration")
    text = " ".join(sec.get_text(" ", strip=True).split())
    assert "partiellement conforme" in text and "1 étape(s) sur 1" in text
    assert "62 %" in text and "4.1" in text and "01/03/2025" in text
    assert "valide (expire le 01/03/2028)" in text
    assert "courriel, formulaire, adresse postale" in text and "mentionné" in text
    assert "« " in text  # quotes from the page as evidence


def test_auth_section() -> None:
    sec = _section(render_scorecard(_card()), "titre-auth")
    text = " ".join(sec.get_text(" ", strip=True).split())
    assert "FranceConnect" in text and "button#fc-login" in text


def test_sections_tolerate_unchecked_blocks() -> None:
    card = _card()
    card["accessibility"] = {"status": "not_checked"}
    card["auth"] = {"status": "not_checked"}
    html = render_scorecard(card)
    assert "Vue RGAA non disponible" in html
    assert "Mention et déclaration d'accessibilité non vérifiées" in html
    assert "Identification non vérifiée" in html


def test_scorecard_fields_follow_the_schema() -> None:
    card = _card()
    assert validate_scorecard(card) == []
    card["accessibility"]["mention"] = "conforme"
    card["accessibility"]["declared_rate"] = 62
    card["auth"]["level"] = "Oui"
    errors = "\n".join(validate_scorecard(card))
    assert "accessibility/mention" in errors and "accessibility/declared_rate" in errors and "auth/level" in errors
