"""The dlnuf check on hand-built captures (no browser): what a request is,
which page fields and findings it produces, and the indicator level."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.dlnuf import dlnuf
from auditor.config import load_rules
from auditor.model import Capture, Control, PageCapture
from auditor.pipeline import build_scorecard

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "rules")


def upload(sel: str, label: str = "", **kw) -> Control:
    return Control(selector=sel, tag="input", type="file", label=label, **kw)


def page(index: int, controls: list[Control], kind: str = "step", url: str | None = None, **kw) -> PageCapture:
    return PageCapture(index=index, kind=kind, url=url or f"https://demarche.test/etape-{index}", controls=controls, **kw)


def capture(*pages: PageCapture) -> Capture:
    return Capture(demarche={"id": "test", "name": "Test", "url": "https://demarche.test/"},
                   scanned_at="2026-01-01T00:00:00Z", tool={}, pages=list(pages))


def test_repetition_across_steps_with_evidence(rules):
    cap = capture(
        page(1, [upload("#domicile", "Justificatif de domicile de moins de 3 mois")]),
        page(2, [Control(selector="#nom", tag="input", type="text", label="Nom")]),
        page(3, [upload("#pj-adresse", "Justificatifs de domicile")]),
    )
    res = dlnuf(cap, rules)
    assert res.block["requests"] == 2
    (rep,) = res.block["repeated"]
    assert rep["document"] == "justificatif-domicile"
    assert [(r["url"], r["selector"]) for r in rep["requests"]] == [
        ("https://demarche.test/etape-1", "#domicile"), ("https://demarche.test/etape-3", "#pj-adresse")]
    assert res.block["score"] == 1
    assert res.page_fields[1]["requests"][0]["document"] == "justificatif-domicile"
    assert res.page_fields[1]["requests"][0]["subject"] == "demandeur"
    assert res.page_fields[2]["requests"] == []


def test_annex_pages_and_checklists_do_not_count(rules):
    cap = capture(
        page(1, [], text="Pièces à fournir : justificatif de domicile, pièce d'identité, avis d'imposition"),
        page(2, [upload("#id", "Pièce d'identité")]),
        page(3, [upload("#id2", "Pièce d'identité")], kind="annex"),
    )
    res = dlnuf(cap, rules)
    assert res.block["requests"] == 1 and not res.block["repeated"] and res.block["score"] == 0
    assert 3 not in res.page_fields


def test_hidden_input_behind_custom_widget_uses_context(rules):
    cap = capture(page(1, [
        Control(selector="#w input", tag="input", type="file", label="", visible=False,
                context="Avis d'imposition 2024 Glissez votre fichier ici ou parcourir"),
        upload("#autre", "Ajouter un fichier", hint="Avis d'imposition 2023"),
    ]))
    res = dlnuf(cap, rules)
    reqs = res.page_fields[1]["requests"]
    assert [(r["document"], r["period"], r["matched_on"]) for r in reqs] == [
        ("avis-imposition", ["2024"], "context"), ("avis-imposition", ["2023"], "hint")]
    assert not res.block["repeated"]
    (held,) = res.block["already_held"]
    assert held["source"] == "API Particulier (données fiscales, revenu fiscal de référence) et API Impôt particulier (DGFiP)" and len(held["requests"]) == 2
    assert res.block["score"] == 2


def test_companion_select_names_the_document(rules):
    cap = capture(page(1, [
        Control(selector="#type", tag="select", type="select-one", label="Type de justificatif",
                options=["-- Choisir --", "Facture d'électricité", "Quittance de loyer", "Attestation d'hébergement"]),
        upload("#fichier", "Votre fichier"),
    ]))
    (r,) = dlnuf(cap, rules).page_fields[1]["requests"]
    assert r["document"] == "justificatif-domicile" and r["matched_on"] == "options"


def test_applicant_vs_host_and_legend_subject(rules):
    cap = capture(
        page(1, [upload("#id", "Pièce d'identité")]),
        page(2, [upload("#id-h", "Pièce d'identité", legend="Pièces concernant l'hébergeant")]),
    )
    res = dlnuf(cap, rules)
    assert not res.block["repeated"]
    assert res.page_fields[2]["requests"][0]["subject"] == "hebergeant"


def test_unmatched_is_listed_never_guessed(rules):
    cap = capture(page(1, [upload("#cv", "Note de cadrage des travaux", hint="Joindre aussi la pièce d'identité")]))
    res = dlnuf(cap, rules)
    (r,) = res.page_fields[1]["requests"]
    assert r["document"] is None
    assert res.block["unmatched"][0]["selector"] == "#cv"
    assert any(rv["requests"][0]["selector"] == "#cv" for rv in res.block["review"])


def test_revisited_step_is_not_a_repetition(rules):
    same = dict(url="https://demarche.test/form", headings=["Vos justificatifs"])
    cap = capture(page(1, [upload("#f", "Justificatif de domicile")], **same),
                  page(2, [upload("#f", "Justificatif de domicile")], **same))
    res = dlnuf(cap, rules)
    assert not res.block["repeated"] and res.block["requests"] == 1
    assert any("revisitée" in r["reason"] for r in res.block["review"])


def test_typed_iban_and_rib_upload(rules):
    cap = capture(page(1, [Control(selector="#iban", tag="input", type="text", label="IBAN"),
                           upload("#rib", "RIB")]))
    res = dlnuf(cap, rules)
    (t,) = res.block["typed_and_uploaded"]
    assert [r["selector"] for r in t["requests"]] == ["#iban", "#rib"]
    assert res.block["score"] == 1


@pytest.mark.parametrize("n_avoidable,level", [(0, "Optimal"), (1, "Optimal"), (2, "Partiel"), (4, "Partiel"), (5, "Faible")])
def test_indicator_levels(rules, n_avoidable, level):
    labels = ["Avis d'imposition", "Attestation CAF", "Certificat de scolarité", "Attestation France Travail",
              "Extrait Kbis"][:n_avoidable] + ["Pièce d'identité"]
    cap = capture(page(1, [upload(f"#f{i}", lab) for i, lab in enumerate(labels)]))
    card = build_scorecard(cap, rules)
    assert card["dlnuf"]["score"] == n_avoidable
    assert card["indicators"]["dlnuf"] == level
    assert card["pages"][0]["requests"][0]["label"] == labels[0]


def test_indicator_reason_says_what_it_does_not_count(rules):
    """« Optimal » with pieces the taxonomy does not know: the reason says how many
    points were left to an auditor, so an editor does not publish it unread."""
    cap = capture(page(1, [upload("#id", "Pièce d'identité"), upload("#note", "Note de cadrage des travaux"),
                           upload("#plan", "Plan de financement prévisionnel")]))
    card = build_scorecard(cap, rules)
    assert card["indicators"]["dlnuf"] == "Optimal"
    assert card["indicators"]["reasons"]["dlnuf"] == (
        "0 demande(s) de pièce évitable(s) sur 3 ; 2 point(s) à vérifier à la main, non compté(s), "
        "dont 2 pièce(s) non reconnue(s).")
    clean = build_scorecard(capture(page(1, [upload("#id", "Pièce d'identité")])), rules)
    assert clean["indicators"]["reasons"]["dlnuf"] == "0 demande(s) de pièce évitable(s) sur 1."


def test_nothing_requested_is_not_applicable(rules):
    card = build_scorecard(capture(page(1, [Control(selector="#n", tag="input", type="text", label="Nom")])), rules)
    assert card["dlnuf"]["requests"] == 0
    assert card["indicators"]["dlnuf"] == "Non applicable"


def test_upload_in_a_hidden_block_counts_where_it_is_shown(rules):
    """A single-page app keeps step 3 in the DOM, hidden, while step 2 shows:
    its uploads count on the page that shows them, not before."""
    url = "https://demarche.test/app"
    later = upload("#f-domicile", "Justificatif de domicile", shown=False, visible=False)
    cap = capture(page(1, [upload("#dom", "Justificatif de domicile")], url=url, headings=["Étape 1"]),
                  page(2, [upload("#id", "Pièce d'identité"), later], url=url, headings=["Étape 2", "Étape 3"]),
                  page(3, [upload("#id", "Pièce d'identité", shown=False),
                           upload("#f-domicile", "Justificatif de domicile")], url=url, headings=["Étape 2", "Étape 3"]))
    res = dlnuf(cap, rules)
    assert [r["selector"] for r in res.page_fields[2]["requests"]] == ["#id"]
    assert [r["selector"] for r in res.page_fields[3]["requests"]] == ["#f-domicile"]
    (rep,) = res.block["repeated"]
    assert [(q["page"], q["selector"]) for q in rep["requests"]] == [(1, "#dom"), (3, "#f-domicile")]
    assert not any("masqué" in r["reason"] for r in res.block["review"])


def test_upload_never_shown_is_for_review(rules):
    cap = capture(page(1, [upload("#cache", "Avis d'imposition", shown=False)]))
    res = dlnuf(cap, rules)
    assert res.block["requests"] == 0 and not res.block["already_held"]
    (rv,) = res.block["review"]
    assert "masqué" in rv["reason"] and rv["requests"][0]["selector"] == "#cache"


def test_unlabelled_input_is_cited_by_the_title_of_its_block(rules):
    cap = capture(page(1, [upload("#w input", "", visible=False,
                                  context="Vos pièces\nJustificatif d'adresse\nDernière facture.\nAjouter un fichier")]))
    (r,) = dlnuf(cap, rules).page_fields[1]["requests"]
    assert (r["label"], r["document"]) == ("Justificatif d'adresse", "justificatif-domicile")
