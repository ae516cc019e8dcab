"""Tests of the non-digital alternatives check (issue 5).

Every fixture of ``tests/fixtures/alternatives/`` states what it expects in a
``<script type="application/json" id="expected">`` block (read by
tests/expected.py), so adding a case needs no Python.  ``pass-*`` fixtures
must reach « Oui » for ``indicators.alternative``, ``fail-*`` ones must not.
Here pages are turned into captures without a browser (a static approximation
of innerText); the browser-driven variant lives in ``test_alternatives_browser.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup, NavigableString

from auditor.checks.alternatives import (
    AlternativesRules,
    css_path,
    excerpt,
    find_alternatives,
    normalise_text,
)
from auditor.config import ConfigError, load_rules, parse_yaml, format_validation_error
from auditor.model import Capture, Link, PageCapture
from auditor.indicators import compute_indicators
from auditor.pipeline import build_scorecard

from ..expected import expected_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "alternatives"
# ../shared next to the checkout (worktrees sit one level deeper: look upwards)
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT / ".." / "shared") \
    / "data" / "realworld" / "accessibility-mention"

_BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "address", "section", "article",
          "header", "footer", "nav", "main", "aside", "form", "tr", "table", "dd", "dt", "dl", "blockquote",
          "label", "figure", "figcaption", "fieldset", "legend"}


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "rules")


def static_page(html: str, url: str = "https://demarche.example.gouv.fr/aide", index: int = 1,
                kind: str = "step") -> PageCapture:
    """A PageCapture from HTML without a browser: innerText approximated by
    putting block elements on their own lines and turning <br> into newlines."""
    soup = BeautifulSoup(html, "html.parser")
    links = [
        Link(href=urljoin(url, a["href"]),
             text=a.get_text(" ", strip=True) or a.get("aria-label", "") or " ".join(i.get("alt", "") for i in a.find_all("img")),
             selector=css_path(a))
        for a in soup.find_all("a", href=True)
    ]
    title = soup.title.get_text(strip=True) if soup.title else ""
    headings = [h.get_text(" ", strip=True) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    body = BeautifulSoup(html, "html.parser")
    for t in body(["script", "style", "head", "template", "noscript"]):
        t.decompose()
    for br in body.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for el in body.find_all(True):
        if el.name in _BLOCK:
            el.insert_before(NavigableString("\n"))
            el.insert_after(NavigableString("\n"))
        elif el.name in ("td", "th"):
            el.insert_after(NavigableString("\t"))  # innerText separates table cells with tabs
    text = "\n".join(re.sub(r" +", " ", re.sub(r" *\t *", "\t", ln)).strip() for ln in body.get_text().split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return PageCapture(index=index, kind=kind, url=url, title=title, text=text, html=html, links=links,
                       headings=headings)


def indicator_of(block: dict[str, Any], rules) -> str | None:
    card = {"pages": [], "alternatives": {"status": "checked", **block}}
    return compute_indicators(card, rules)["alternative"]


def check_expectations(block: dict[str, Any], exp: dict[str, Any], rules, name: str) -> None:
    """Compare a block with a fixture's expectations (only the keys it states)."""
    phone = block["phone"]
    lines = {ln["number"]: ln for ln in phone["lines"]}
    if "found" in exp:
        assert block["found"] == exp["found"], f"{name}: canaux trouvés"
    if "numbers" in exp:
        assert phone["numbers"] == exp["numbers"], f"{name}: numéros {phone['ignored']}"
    for key in ("premium", "free", "hours"):
        if key in exp:
            assert phone[key] == exp[key], f"{name}: phone.{key}"
    for num, tariff in exp.get("tariffs", {}).items():
        assert lines[num]["tariff"] == tariff, f"{name}: tarif de {num}"
    if "main" in exp:
        assert phone["main"] == exp["main"], f"{name}: ligne principale"
    for num, audience in exp.get("audiences", {}).items():
        assert lines[num]["audience"] == audience, f"{name}: public de {num}"
    if "other_numbers" in exp:
        others = {o["number"]: o for o in phone["other_numbers"]}
        assert {n: o["whose"] for n, o in others.items()} == exp["other_numbers"], f"{name}: numéros d'autres services"
        for o in others.values():
            assert o["evidence"] and o["evidence"][0]["url"] and o["reason"], f"{name}: preuve de {o['number']}"
    if "first_place" in exp:
        first = block["in_person"]["places"][0]
        for key, value in exp["first_place"].items():
            assert first[key] == value, f"{name}: premier lieu d'accueil, {key}"
    for num, sources in exp.get("sources", {}).items():
        assert lines[num]["sources"] == sources, f"{name}: sources de {num}"
    for num in exp.get("clickable", []):
        assert lines[num]["clickable"], f"{name}: {num} cliquable"
    if "ignored" in exp:
        got = [i["number"] for i in phone["ignored"]]
        for num in exp["ignored"]:
            assert num in got, f"{name}: {num} devrait être écarté ({got})"
    if "unreadable" in exp:
        assert len(phone["unreadable"]) == exp["unreadable"], f"{name}: {phone['unreadable']}"
    if "review_channels" in exp:
        assert sorted({r["channel"] for r in block["review"]}) == sorted(exp["review_channels"]), f"{name}: {block['review']}"
    for channel, values in exp.get("values", {}).items():
        assert block[channel]["values"] == values, f"{name}: valeurs de {channel}"
    if "addresses" in exp:
        assert block["in_person"]["addresses"] == exp["addresses"], f"{name}: adresses"
    if "in_person_hours" in exp:
        assert block["in_person"]["hours"] == exp["in_person_hours"], f"{name}: horaires d'accueil"
    if "appointment_links" in exp:
        assert block["appointment"]["links"] == exp["appointment_links"], f"{name}: liens de rendez-vous"
    if "forms" in exp:
        assert block["postal"]["forms"] == exp["forms"], f"{name}: formulaires Cerfa"
    # every channel found carries evidence with the page URL
    for channel in block["found"]:
        ev = block[channel]["evidence"]
        assert ev and all(e["url"] and e["text"] for e in ev), f"{name}: preuves de {channel}"
    level = indicator_of(block, rules)
    if "indicator" in exp:
        assert level == exp["indicator"], f"{name}: indicateur"
    if name.startswith("pass-"):
        assert level == "Oui", f"{name}: un fixture pass-* doit donner « Oui »"
    elif name.startswith("fail-"):
        assert level != "Oui", f"{name}: un fixture fail-* ne doit pas donner « Oui »"


FIXTURE_FILES = sorted(FIXTURES.glob("*.html"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture(path: Path, rules) -> None:
    page = static_page(path.read_text(encoding="utf-8"))
    block = find_alternatives([page], rules)
    check_expectations(block, expected_of(path), rules, path.name)


def test_fixture_folder_is_not_empty() -> None:
    names = [p.name for p in FIXTURE_FILES]
    assert sum(n.startswith("pass-") for n in names) >= 5
    assert sum(n.startswith("fail-trap-") for n in names) >= 5


# ----------------------------------------------------------------- real pages


REAL_PAGES = sorted(SHARED.glob("*.html")) if SHARED.is_dir() else []


@pytest.mark.skipif(not REAL_PAGES, reason="données de référence ../shared absentes")
@pytest.mark.parametrize("path", REAL_PAGES, ids=[p.stem for p in REAL_PAGES])
def test_real_pages_have_no_phone_or_counter(path: Path, rules) -> None:
    """Five real public-sector pages: none shows a phone number or a counter,
    although they say « Accueil », « guichet unique », « rappel quotidien »,
    « Contact »… none of these may be taken for a channel."""
    page = static_page(path.read_text(encoding="utf-8"), url=f"https://example.gouv.fr/{path.name}")
    block = find_alternatives([page], rules)
    assert block["phone"]["numbers"] == []
    assert not block["in_person"]["found"], block["in_person"]
    assert not block["callback"]["found"], block["callback"]
    assert not block["postal"]["found"], block["postal"]
    assert indicator_of(block, rules) == "Non"


# ----------------------------------------------------------------- small units


def text_page(text: str, **kw: Any) -> PageCapture:
    return PageCapture(index=kw.pop("index", 1), kind=kw.pop("kind", "step"),
                       url=kw.pop("url", "https://demarche.example.gouv.fr/p"), text=text, **kw)


def numbers(text: str, rules) -> list[str]:
    return find_alternatives([text_page(text)], rules)["phone"]["numbers"]


@pytest.mark.parametrize("text, expected", [
    ("Tél. : 01 40 07 60 60", ["+33 1 40 07 60 60"]),
    ("Téléphone : 01.40.07.60.60", ["+33 1 40 07 60 60"]),
    ("Tel: 01-40-07-60-60", ["+33 1 40 07 60 60"]),
    ("Appelez le +33 1 40 07 60 60", ["+33 1 40 07 60 60"]),
    ("Depuis l'étranger : +33 (0)1 40 07 60 60", ["+33 1 40 07 60 60"]),
    ("Depuis l'étranger : 0033 1 40 07 60 60", ["+33 1 40 07 60 60"]),
    ("Portable : 06 71 23 45 89", ["+33 6 71 23 45 89"]),
    ("Guyane : 0694 38 54 45", ["+594 694 38 54 45"]),
    ("La Réunion : 02 62 90 00 00", ["+262 262 90 00 00"]),
    ("Composez le 0140076060", ["+33 1 40 07 60 60"]),
    ("Appelez le 39 39", ["3939"]),
    ("Tél. 3939", ["3939"]),
    ("N° vert 0 805 805 805", ["+33 805 80 58 05"]),
    ("Téléphone\u00a0: 01\u00a040\u00a007\u00a060\u00a060", ["+33 1 40 07 60 60"]),
    ("prévenir le service au 02.51.25.07.87 avant le lâcher", ["+33 2 51 25 07 87"]),  # « 25.07.87 » is no date
    ("Tél. : 03.57.29.12.93", ["+33 3 57 29 12 93"]),
    ("Contactez le Coordonnateur : 0696.29.40.79", ["+596 696 29 40 79"]),
])
def test_phone_formats(text: str, expected: list[str], rules) -> None:
    assert numbers(text, rules) == expected


@pytest.mark.parametrize("text", [
    "SIRET : 130 025 265 00013",
    "SIREN 130025265",
    "SIRET : 13002526500013",
    "Le 12/03/2024",
    "du 01.02.2024 au 31.12.2024",
    "75015 Paris",
    "BP 3939 – 75015 Paris Cedex",
    "Dossier n° 0123456789",
    "Réf. 0140000000",
    "Référence : 01 23 45 67 89",
    "Fax : 01 40 00 00 01",
    "Télécopie 01.40.00.00.02",
    "Prix : 3 939 €",
    "Montant : 1 234 567,89 €",
    "3939 demandes traitées en 2023",
    "https://exemple.gouv.fr/docs/0140076060.pdf",
    "0140076060",  # ten bare digits, no word about a phone
    "Numéro client : 01 40 07 60 60",
    "version 1.40.07.60.60",
    "Exemple : 02-99-99-99-99",
    "Numéro de téléphone sous la forme 0235012345",
    "Si vous ne connaissez pas votre numéro, inscrire : 0123456789",
    "Téléphone : 06 06 06 06 06",
    "Session du 01-01-1990 - 01.01.1990",
    "Décret du 30 01 1990",
])
def test_phone_false_positives(text: str, rules) -> None:
    assert numbers(text, rules) == []


@pytest.mark.parametrize("text, tariff", [
    ("Appelez le 08 92 68 00 00 (0,80 € / min)", "premium"),
    ("Appelez le 08 92 68 00 00", "premium"),  # 089x is premium-rate whatever the page says
    ("Appelez le 0 821 08 08 08 — service payant", "premium"),
    ("Contact : 01 40 07 60 60 (0,15 €/min)", "premium"),
    ("Appelez le 0 806 000 126 (service gratuit + prix d'un appel)", "standard"),
    ("Appelez le 0 806 000 126", "standard"),
    ("Numéro vert : 0 800 130 000", "free"),
    ("Appelez le 09 69 39 99 19 (appel non surtaxé)", "standard"),
    ("Appelez le 3919, appel gratuit et anonyme", "free"),
])
def test_tariffs(text: str, tariff: str, rules) -> None:
    lines = find_alternatives([text_page(text)], rules)["phone"]["lines"]
    assert len(lines) == 1 and lines[0]["tariff"] == tariff


def test_hours_attach_to_their_own_number(rules) -> None:
    text = ("Tél. : 03 20 00 00 00\n"
            "Plateforme nationale joignable 24h/24 et 7j/7 au 09 69 39 99 19.\n"
            "Accueil téléphonique : 01 40 07 60 60\nDu lundi au vendredi, de 8h30 à 12h et de 13h30 à 17h\n")
    lines = {ln["number"]: ln for ln in find_alternatives([text_page(text)], rules)["phone"]["lines"]}
    assert lines["+33 3 20 00 00 00"]["hours"] is None
    assert lines["+33 9 69 39 99 19"]["hours"] == "24h/24 et 7j/7"
    assert lines["+33 1 40 07 60 60"]["hours"] == "du lundi au vendredi, de 8h30 à 12h et de 13h30 à 17h"


def test_block_premium_only_when_every_line_is_premium(rules) -> None:
    block = find_alternatives([text_page("Appelez le 08 92 68 00 00 ou le 01 40 07 60 60")], rules)
    assert block["phone"]["premium"] is False
    assert indicator_of(block, rules) == "Oui"


def test_tel_link_merges_with_text_and_fax_link_is_ignored(rules) -> None:
    page = text_page("Tél. : 01 40 07 60 60", links=[
        Link(href="tel:+33140076060", text="01 40 07 60 60", selector="#tel"),
        Link(href="tel:0140076061", text="Fax 01 40 07 60 61", selector="#fax"),
    ])
    phone = find_alternatives([page], rules)["phone"]
    assert phone["numbers"] == ["+33 1 40 07 60 60"]
    line = phone["lines"][0]
    assert line["clickable"] and line["sources"] == ["text", "tel_link"]
    assert any(e.get("selector") == "#tel" for e in line["evidence"])
    assert any(i["number"] == "0140076061" and i["reason"] == "numéro de fax" for i in phone["ignored"])


def test_tel_short_number_link(rules) -> None:
    page = text_page("", links=[Link(href="tel:3939", text="Allô Service public", selector="a")])
    phone = find_alternatives([page], rules)["phone"]
    assert phone["numbers"] == ["3939"]
    assert phone["lines"][0]["name"] == "Allô Service public"


def test_unreadable_image_does_not_count_but_is_reported(rules) -> None:
    html = '<p>Appelez-nous au <img src="/img/tel-service.gif"></p>'
    page = text_page("Appelez-nous au", html=html)
    block = find_alternatives([page], rules)
    assert not block["phone"]["found"]
    (item,) = block["phone"]["unreadable"]
    assert item["src"] == "/img/tel-service.gif" and item["selector"]
    assert block["review"][0]["channel"] == "phone"


def test_image_in_unrelated_text_is_not_a_number(rules) -> None:
    html = '<p><img src="/img/numerique.png" alt=""> Le numérique au service de tous</p>'
    block = find_alternatives([text_page("Le numérique au service de tous", html=html)], rules)
    assert block["phone"]["unreadable"] == []


def test_step_and_annex_pages_both_count_and_evidence_names_the_page(rules) -> None:
    step = text_page("Étape 1 : votre identité", index=1, url="https://d.example.gouv.fr/etape-1")
    annex = text_page("Contact\nTéléphone : 02 47 31 40 00\ndu lundi au vendredi de 9h à 17h",
                      index=2, kind="annex", url="https://d.example.gouv.fr/contact")
    block = find_alternatives([step, annex], rules)
    assert block["phone"]["numbers"] == ["+33 2 47 31 40 00"]
    ev = block["phone"]["evidence"][0]
    assert ev["url"] == "https://d.example.gouv.fr/contact" and ev["kind"] == "annex"
    assert "02 47 31 40 00" in ev["text"]
    assert block["phone"]["hours"] == "du lundi au vendredi de 9h à 17h"


def test_same_number_on_many_pages_is_one_line(rules) -> None:
    pages = [text_page("Tél. : 01 40 07 60 60", index=i, url=f"https://d.example.gouv.fr/{i}") for i in range(1, 9)]
    block = find_alternatives(pages, rules)
    (line,) = block["phone"]["lines"]
    assert len(line["pages"]) == 8
    assert len(line["evidence"]) <= 5  # max_evidence


@pytest.mark.parametrize("text, channel, found", [
    ("Rendez-vous sur service-public.fr pour faire votre demande.", "appointment", False),
    ("Vous pouvez prendre un rendez-vous téléphonique avec un conseiller.", "appointment", True),
    ("Accueil sur rendez-vous uniquement.", "appointment", True),
    ("Nous vous rappelons que la demande est gratuite.", "callback", False),
    ("Rappel : la photo doit dater de moins de 6 mois.", "callback", False),
    ("Un conseiller vous rappelle dans les 48 heures.", "callback", True),
    ("Vous pouvez demander un rappel téléphonique.", "callback", True),
    ("Envoyez votre dossier complet par voie postale.", "postal", True),
    ("Vous recevrez la réponse par courrier.", "postal", False),
    ("Votre permis vous est adressé par courrier.", "postal", False),
    ("Répondez par courrier électronique.", "postal", False),
    ("Le mémoire doit être envoyé par voie postale en plus du dépôt en ligne.", "postal", False),
    ("Les demandes d'admission exceptionnelle au séjour sont à envoyer par courrier.", "postal", True),
    ("Code guichet : 98401 – Numéro de compte : 00001000320", "in_person", False),
    ("Écrivez-nous via le formulaire de contact.", "contact_form", True),
    ("Posez votre question dans la messagerie sécurisée de votre espace.", "contact_form", True),
])
def test_channel_wording(text: str, channel: str, found: bool, rules) -> None:
    block = find_alternatives([text_page(text)], rules)
    assert block[channel]["found"] is found, block[channel]


def test_in_person_needs_address_or_hours(rules) -> None:
    bare = find_alternatives([text_page("Une permanence existe dans certaines communes.")], rules)
    assert not bare["in_person"]["found"]
    assert bare["review"] and bare["review"][0]["channel"] == "in_person"
    full = find_alternatives([text_page(
        "Vous pouvez aussi vous présenter au guichet.\nMairie annexe, 2 place Jean Jaurès\n"
        "42000 Saint-Étienne\nLe mardi de 14h à 18h")], rules)
    assert full["in_person"]["found"]
    assert full["in_person"]["addresses"] == ["Mairie annexe, 2 place Jean Jaurès, 42000 Saint-Étienne"]
    assert full["in_person"]["hours"] == "le mardi de 14h à 18h"


def test_contact_form_from_controls_without_html(rules) -> None:
    from auditor.model import Control
    page = text_page("Votre message", title="Contact – Mairie", controls=[
        Control(selector="#msg", tag="textarea", label="Votre message")])
    block = find_alternatives([page], rules)
    assert block["contact_form"]["found"]
    assert indicator_of(block, rules) == "Non"  # a contact form alone is not an alternative


def test_contact_form_needs_a_contact_page(rules) -> None:
    """A free-text field on a step of the form (« précisions ») is not a contact form."""
    html = '<form><label for="p">Précisions sur votre situation</label><textarea id="p"></textarea></form>'
    page = text_page("Précisions sur votre situation", title="Étape 3 – Votre situation", html=html)
    assert not find_alternatives([page], rules)["contact_form"]["found"]


# ----------------------------------------------------------------- text helpers


def test_normalise_text() -> None:
    assert normalise_text("l\u2019accueil\u00a0:\u202f01") == "l'accueil : 01"


def test_excerpt_is_bounded_and_marks_cuts() -> None:
    text = "mot " * 200 + "01 40 07 60 60 " + "mot " * 200
    start = text.index("01")
    out = excerpt(text, start, start + 14, 80)
    assert "01 40 07 60 60" in out and len(out) <= 90 and out.startswith("…") and out.endswith("…")


# ----------------------------------------------------------------- rules file


def test_rules_file_is_validated(rules) -> None:
    assert isinstance(rules.get("alternatives"), AlternativesRules)


def test_bad_regex_in_rules_names_file_and_line() -> None:
    text = (ROOT / "rules" / "alternatives.yaml").read_text(encoding="utf-8")
    broken = text.replace("    - '\\bcomposez\\b'\n", "    - '(composez'\n", 1)
    assert broken != text
    doc = parse_yaml(broken, "rules/alternatives.yaml")
    line = broken.splitlines().index("    - '(composez'") + 1
    with pytest.raises(Exception) as info:
        AlternativesRules.model_validate(doc.data)
    messages = format_validation_error(info.value, doc)
    assert any(m.startswith(f"rules/alternatives.yaml:{line}:") and "expression régulière invalide" in m
               for m in messages), messages


def test_load_rules_reports_bad_rules(tmp_path: Path) -> None:
    (tmp_path / "alternatives.yaml").write_text("phone: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(tmp_path)
    assert any("alternatives.yaml" in m for m in info.value.messages)


# ----------------------------------------------------------------- scorecard


def _capture(pages: list[PageCapture]) -> Capture:
    return Capture(demarche={"id": "test", "name": "Test", "url": "https://d.example.gouv.fr/"},
                   scanned_at="2026-01-01T00:00:00Z", tool={"version": "test"}, pages=pages)


def test_scorecard_block_and_indicator(rules) -> None:
    card = build_scorecard(_capture([text_page("Tél. : 01 40 07 60 60 du lundi au vendredi de 9h à 17h")]), rules)
    alt = card["alternatives"]
    assert alt["status"] == "checked"
    assert alt["phone"]["found"] and alt["phone"]["numbers"] == ["+33 1 40 07 60 60"]
    for ch in ("in_person", "appointment", "callback", "contact_form", "postal"):
        assert alt[ch]["found"] is False and alt[ch]["evidence"] == []
    assert card["indicators"]["alternative"] == "Oui"
    json.dumps(card)  # JSON-ready


@pytest.mark.parametrize("text, level", [
    ("Appelez le 08 92 68 00 00 (0,80 €/min)", "Partiel"),
    ("Vous pouvez demander à être rappelé.", "Partiel"),
    ("Envoyez le formulaire par courrier.", "Partiel"),
    ("Écrivez-nous via le formulaire de contact.", "Non"),
    ("Faites votre demande en ligne.", "Non"),
])
def test_indicator_levels(text: str, level: str, rules) -> None:
    card = build_scorecard(_capture([text_page(text)]), rules)
    assert card["indicators"]["alternative"] == level


def test_scorecard_validates_against_the_schema(rules) -> None:
    from auditor.schemas import validate_scorecard

    pages = [static_page((FIXTURES / n).read_text(encoding="utf-8"), url=f"https://d.example.gouv.fr/{n}", index=i)
             for i, n in enumerate(["pass-all-channels.html", "fail-phone-image-only.html"], start=1)]
    card = build_scorecard(_capture(pages), rules)
    card["tool"].update(axe_version="4", browser="C")
    assert validate_scorecard(card) == []
    card["alternatives"]["phone"]["found"] = "oui"
    del card["alternatives"]["callback"]
    errors = validate_scorecard(card)
    assert any(e.startswith("alternatives/phone/found") for e in errors)
    assert any("callback" in e for e in errors)


@pytest.mark.parametrize("names, level, words", [
    (["pass-all-channels.html"], "Oui", ["ligne téléphonique non surtaxée (32 30", "accueil physique"]),
    (["fail-phone-premium.html", "fail-callback.html"], "Partiel", ["ligne surtaxée (0 892 68 00 00)", "rappel"]),
    (["fail-phone-image-only.html", "fail-contact-form.html"], "Non", ["image", "formulaire de contact seul"]),
])
def test_indicator_reason_names_what_was_found(names: list[str], level: str, words: list[str], rules) -> None:
    pages = [static_page((FIXTURES / n).read_text(encoding="utf-8"), url=f"https://d.example.gouv.fr/{n}", index=i)
             for i, n in enumerate(names, start=1)]
    ind = build_scorecard(_capture(pages), rules)["indicators"]
    assert ind["alternative"] == level
    for w in words:
        assert w in ind["reasons"]["alternative"]


def test_form_field_labels_are_no_channel_headings(rules) -> None:
    """On a step page, « Téléphone portable » or « Date de votre rendez-vous en
    préfecture » label fields asking for the user's data: no phone section
    opens under them, and they offer no counter."""
    from auditor.model import Control
    text = ("Téléphone\nDate de votre rendez-vous en préfecture\nVéhicule\n"
            "La remorque est supérieure à 3 500 kilogrammes\n3949 demandes traitées")
    controls = [Control(selector="#tel", tag="input", type="tel", label="Téléphone"),
                Control(selector="#rdv", tag="input", type="date", label="Date de votre rendez-vous en préfecture")]
    block = find_alternatives([text_page(text, controls=controls)], rules)
    assert block["phone"]["numbers"] == [] and block["found"] == [] and block["review"] == []
    # the same words as a heading of a contact block do open a phone section
    shown = find_alternatives([text_page("Téléphone\n3949\nService gratuit + prix d'un appel")], rules)
    assert shown["phone"]["numbers"] == ["3949"]
