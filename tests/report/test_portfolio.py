"""Portfolio view of « Dites-le-nous une fois » in index.html: the computation
from scorecards (auditor/portfolio.py) and its French, escaped, accessible rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor.config import load_rules
from auditor.model import Capture, Control, PageCapture
from auditor.report.portfolio import dlnuf_portfolio
from auditor.render.html import INDEX_SECTIONS, render_index
from auditor.pipeline import build_scorecard
from support import capture_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "rules")


def _card(rules, ident: str, uploads: list[list[str]], annual_users: int | None = None, name: str | None = None,
          annex: list[str] = ()) -> dict:
    """The scorecard of a démarche whose step ``i`` holds file inputs labelled ``uploads[i]``."""
    pages = [
        PageCapture(index=i + 1, kind="step", url=f"https://{ident}.test/etape-{i + 1}",
                    controls=[Control(selector=f"#f{i}-{j}", tag="input", type="file", label=lab)
                              for j, lab in enumerate(labels)])
        for i, labels in enumerate(uploads)
    ]
    pages.append(PageCapture(index=len(pages) + 1, kind="annex", url=f"https://{ident}.test/aide",
                             controls=[Control(selector=f"#a{j}", tag="input", type="file", label=lab)
                                       for j, lab in enumerate(annex)]))
    cap = Capture(demarche={"id": ident, "name": name or f"Démarche {ident}", "url": f"https://{ident}.test/",
                            "annual_users": annual_users},
                  scanned_at="2026-01-01T00:00:00Z", tool={}, pages=pages)
    return build_scorecard(cap, rules)


@pytest.fixture(scope="module")
def cards(rules):
    return [
        # big démarche: tax notice twice (two years), domicile asked twice (repeated)
        _card(rules, "logement", [["Pièce d'identité", "Justificatif de domicile"],
                                  ["Avis d'imposition 2024", "Avis d'imposition 2023", "Justificatif d'adresse"]],
              annual_users=900_000, annex=["Attestation CAF"]),
        # small démarche: tax notice and CAF
        _card(rules, "cantine", [["Avis d'imposition", "Attestation de quotient familial CAF"]], annual_users=40_000),
        # volume unknown: CAF only, and an unrecognised request
        _card(rules, "sport", [["Attestation CAF", "Note de cadrage des travaux"]]),
        # nothing requested
        _card(rules, "voirie", [[]], annual_users=5_000),
    ]


def test_documents_most_requested_first_with_their_demarches(cards):
    pf = dlnuf_portfolio(cards)
    assert pf["checked"] == 4 and pf["with_requests"] == 3 and pf["not_checked"] == []
    docs = {r["document"]: r for r in pf["documents"]}
    assert [r["document"] for r in pf["documents"]][:2] == ["attestation-caf", "avis-imposition"] or \
        [r["document"] for r in pf["documents"]][:2] == ["avis-imposition", "attestation-caf"]
    tax = docs["avis-imposition"]
    assert tax["n_demarches"] == 2 and tax["n_requests"] == 3  # two years in "logement", once in "cantine"
    assert [d["id"] for d in tax["demarches"]] == ["logement", "cantine"]  # biggest audience first
    assert tax["held"] and "API Impôt particulier (DGFiP)" in tax["source"]
    assert tax["repeated_in"] == 0  # 2024 and 2023 are two notices, not a repetition
    dom = docs["justificatif-domicile"]
    assert dom["repeated_in"] == 1 and dom["demarches"][0]["repeated"] and not dom["held"]
    assert docs["piece-identite"]["n_demarches"] == 1 and not docs["piece-identite"]["held"]
    # the annex page's upload never counts: CAF is asked by cantine and sport only
    assert [d["id"] for d in docs["attestation-caf"]["demarches"]] == ["cantine", "sport"]
    assert pf["unmatched"] == 1
    assert pf["requests"] == sum(c["dlnuf"]["requests"] for c in cards)
    assert pf["avoidable"] == sum(c["dlnuf"]["score"] for c in cards)
    # sorted by number of démarches, then requests
    keys = [(-r["n_demarches"], -r["n_requests"]) for r in pf["documents"]]
    assert keys == sorted(keys)


def test_already_held_ranked_by_users_with_unknown_volumes_said(cards):
    pf = dlnuf_portfolio(cards)
    assert [r["document"] for r in pf["apis"]] == ["avis-imposition", "attestation-caf"]
    tax, caf = pf["apis"]
    assert tax["users"] == 940_000 and tax["users_complete"] and tax["rank"] == 1
    assert caf["users"] == 40_000 and caf["users_unknown"] == 1 and not caf["users_complete"]
    assert pf["users_known"] and pf["no_volume"] == ["Démarche sport"]
    assert pf["chart_by"] == "users"
    assert [(b["full"], b["value"]) for b in pf["chart"]["bars"]] == [
        ("Avis d'imposition ou de non-imposition", 940_000), ("Attestation CAF ou quotient familial", 40_000)]
    assert pf["chart"]["bars"][0]["w"] > pf["chart"]["bars"][1]["w"]
    assert [b["shown"] for b in pf["chart"]["bars"]] == ["940\u202f000", "au moins 40\u202f000"]


def test_without_any_volume_the_ranking_follows_demarches(rules):
    cards = [_card(rules, "a", [["Attestation CAF"]]), _card(rules, "b", [["Attestation CAF", "Avis d'imposition"]])]
    pf = dlnuf_portfolio(cards)
    assert not pf["users_known"] and pf["chart_by"] == "demarches"
    assert [r["document"] for r in pf["apis"]] == ["attestation-caf", "avis-imposition"]
    assert [b["value"] for b in pf["chart"]["bars"]] == [2, 1]
    html = render_index(cards)
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "volume annuel inconnu pour toutes les démarches" in text


def test_unchecked_and_old_scorecards_are_tolerated(cards):
    old = {k: v for k, v in cards[0].items()}
    old["dlnuf"] = {"status": "not_checked"}
    pf = dlnuf_portfolio([old, {"id": "x", "name": "Sans bloc"}])
    assert pf["checked"] == 0 and pf["not_checked"] == ["Démarche logement", "Sans bloc"]
    assert pf["documents"] == [] and pf["apis"] == []
    assert "non effectuée" in render_index([old])


def _section(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    h2 = soup.find("h2", id="portefeuille-dlnuf")
    assert h2 is not None
    return h2.find_parent("section")


def test_index_section_french_accessible(cards):
    assert "dlnuf" in INDEX_SECTIONS
    sec = _section(render_index(cards))
    text = " ".join(sec.get_text(" ", strip=True).split())
    assert "Où brancher une API épargnerait le plus d'usagers" in text
    assert "API Impôt particulier (DGFiP)" in text and "940 000" in text  # narrow no-break space, split above
    assert "Attention, volume annuel inconnu pour 1 démarche(s)" in text and "Lesquelles ? Démarche sport." in text
    assert "au moins 40 000 (volume inconnu pour 1 démarche(s))" in text
    tables = sec.find_all("table")
    assert len(tables) == 2
    for t in tables:
        assert t.find("caption").get_text(strip=True)
        assert all(th.get("scope") in ("col", "row") for th in t.find_all("th"))
    svg = sec.find("svg")
    assert svg["role"] == "img"
    ids = svg["aria-labelledby"].split()
    assert [svg.find(id=i).name for i in ids] == ["title", "desc"]
    assert "Avis d'imposition ou de non-imposition : 940\u202f000 usagers par an" in svg.find("desc").get_text()
    # each démarche asking a document is linked to its scorecard
    links = {a["href"] for a in sec.find_all("a")}
    assert {"logement/scorecard.html", "cantine/scorecard.html", "sport/scorecard.html"} <= links


def test_hostile_names_and_labels_are_escaped(rules):
    card = _card(rules, "x", [["Avis d'imposition"]], name="<script>alert(1)</script>")
    card["dlnuf"]["labels"]["avis-imposition"] = "<img src=x onerror=alert(2)>"
    card["id"] = "javascript:alert(3)"
    html = render_index([card])
    sec = str(_section(html))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in sec
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in sec
    assert 'href="javascript:' not in sec  # ids are slugs in demarches.yaml; links are made safe anyway


@pytest.mark.browser
def test_index_with_portfolio_passes_axe(harness, cards, tmp_path):
    """The index page, portfolio section included, has no axe violation."""
    path = tmp_path / "index.html"
    path.write_text(render_index(cards), encoding="utf-8")
    page = capture_file(harness, path)
    assert page.axe_error is None
    assert [(v.rule, [n.target for n in v.nodes]) for v in page.violations] == []


def test_a_document_asked_only_where_volume_is_unknown_is_said_unknown(rules):
    pf = dlnuf_portfolio([_card(rules, "a", [["Attestation CAF"]], annual_users=10),
                          _card(rules, "b", [["Certificat de scolarité"]])])
    assert [(b["full"], b["shown"]) for b in pf["chart"]["bars"]] == [
        ("Attestation CAF ou quotient familial", "10"), ("Certificat de scolarité", "inconnu")]


def test_long_lists_of_demarches_are_folded(rules):
    cards = [_card(rules, f"d{i:02d}", [["Attestation CAF"]], annual_users=1000 + i) for i in range(12)]
    sec = _section(render_index(cards))
    row = sec.find("th", string="Attestation CAF ou quotient familial").find_parent("tr")
    shown = [a for a in row.find_all("a") if not a.find_parent("details")]
    folded = row.find("details")
    assert len(shown) == 8 and folded.summary.get_text(strip=True) == "et 4 autre(s)"
    assert len(folded.find_all("a")) == 4
