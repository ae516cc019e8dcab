"""The taxonomy and matching engine (the package auditor/documents/), from real wording."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.config import ConfigError, load_rules
from auditor.documents import DocumentRequest, analyse_requests, normalise, taxonomy_from

ROOT = Path(__file__).resolve().parents[1]
CASES = yaml.safe_load((ROOT / "tests/fixtures/dlnuf/labels.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def tax():
    return taxonomy_from(load_rules(ROOT / "rules"))


def test_normalise_french():
    assert normalise("Pièce(s) d’Identité — C.N.I.") == "piece d identite cni"
    assert normalise("Œuvre ÉTÉ") == "oeuvre ete"


@pytest.mark.parametrize("case", CASES, ids=[c["label"][:50] + ("|" + c["hint"][:20] if c.get("hint") else "") for c in CASES])
def test_label_cases(tax, case):
    c = tax.classify(case["label"], case.get("hint", ""))
    assert c.document == case["document"], c.to_dict()
    for key in ("variant", "subject", "period", "item", "part", "condition", "generic", "documents"):
        if key in case:
            assert getattr(c, key) == case[key], (key, c.to_dict())


def test_every_taxonomy_entry_has_a_case(tax):
    covered = {c["document"] for c in CASES} | {c.get("variant") for c in CASES}
    for d in tax.model.documents:
        assert d.id in covered, f"aucun cas de test pour {d.id}"
        for v in d.variants:
            assert v.id in covered, f"aucun cas de test pour la variante {v.id}"


def _req(tax, label, hint="", scope="", **kw):
    return DocumentRequest(evidence={"label": label}, c=tax.classify(label, hint, **kw), scope=scope)


def test_repeated_same_document(tax):
    f = analyse_requests([_req(tax, "Justificatif de domicile"), _req(tax, "Justificatifs de domicile de moins de 3 mois")], tax)
    assert [r["document"] for r in f.repeated] == ["justificatif-domicile"]
    assert f.score == 1 and f.requests == 2


def test_different_persons_periods_variants_items_are_not_repeated(tax):
    pairs = [
        ("Pièce d'identité", "Pièce d'identité de l'hébergeant"),
        ("Avis d'imposition 2024", "Avis d'imposition 2023"),
        ("Avis d'imposition N-1", "Avis d'imposition N-2"),
        ("Quittance de loyer", "Facture d'électricité"),
        ("Justificatif de domicile 1", "Justificatif de domicile 2"),
        ("Acte de naissance enfant 1", "Acte de naissance enfant 2"),
    ]
    for a, b in pairs:
        f = analyse_requests([_req(tax, a), _req(tax, b)], tax)
        assert not f.repeated, (a, b, f.repeated)


def test_alternatives_under_conditions_are_not_repeated(tax):
    f = analyse_requests([
        _req(tax, "Si vous êtes locataire : justificatif de domicile"),
        _req(tax, "Si vous êtes propriétaire : justificatif de domicile"),
    ], tax)
    assert not f.repeated and not f.review


def test_trailing_conditions_make_alternatives(tax):
    """The same champ duplicated for two situations, the condition in parentheses at the end."""
    f = analyse_requests([
        _req(tax, "Pièce d'identité au nom de la personne qui m'héberge (Si hebergement par un tiers)"),
        _req(tax, "Pièce d'identité au nom de la personne qui m'héberge (Si candidat mineur le jour de la demande)"),
    ], tax)
    # two different conditions that may hold together: for review, with both conditions in the reason
    assert not f.repeated and f.review and "conditions" in f.review[0]["reason"]
    # one conditional, the other not: the user who meets the condition is asked twice
    f = analyse_requests([_req(tax, "Pièce d'identité"), _req(tax, "Pièce d'identité (si vous êtes mineur)")], tax)
    assert f.repeated and not f.review
    # parentheses that state no condition change nothing
    assert tax.classify("Justificatif de domicile (facture, quittance)").condition is None


def test_period_on_one_side_and_category_then_instance(tax):
    """A request that names no year may be for the year another one names, or for another: for review, with
    the reason (labelled real forms: 5 of 6 such pairs the engine counted were not repetitions).  A year
    named as the current one (« pour l'année en cours ») is what an undated request means.  A category then
    one of its instances asks for the same document (issue 21)."""
    f = analyse_requests([_req(tax, "Avis d'imposition"), _req(tax, "Avis d'imposition 2024")], tax)
    assert not f.repeated and f.review and "nomme une période (« 2024 »)" in f.review[0]["reason"]
    f = analyse_requests([_req(tax, "Certificat de scolarité"),
                          _req(tax, "Certificat de scolarité pour l'année en cours")], tax)
    assert f.repeated and not f.review
    f = analyse_requests([_req(tax, "Justificatif de domicile"), _req(tax, "Quittance de loyer")], tax)
    assert f.repeated and not f.review
    f = analyse_requests([_req(tax, "Avis d'imposition 2024"), _req(tax, "Avis d'imposition 2024 sur les revenus 2023")], tax)
    assert not f.repeated and f.review and "période" in f.review[0]["reason"].lower()


def test_recto_verso_is_one_request(tax):
    f = analyse_requests([_req(tax, "Carte d'identité recto"), _req(tax, "Carte d'identité verso")], tax)
    assert f.requests == 1 and not f.repeated
    f = analyse_requests([_req(tax, "Carte d'identité recto"), _req(tax, "Carte d'identité verso"),
                          _req(tax, "Carte d'identité (recto et verso)")], tax)
    assert f.requests == 2 and len(f.repeated) == 1


def test_one_wording_naming_two_documents(tax):
    f = analyse_requests([_req(tax, "Pièce d'identité et justificatif de domicile")], tax)
    assert f.requests == 1 and not f.repeated
    c = tax.classify("Pièce d'identité et justificatif de domicile")
    assert c.documents == ["piece-identite", "justificatif-domicile"]


def test_repetition_blocks_are_separate_scopes(tax):
    f = analyse_requests([_req(tax, "Pièce d'identité"), _req(tax, "Pièce d'identité", scope="5")], tax)
    assert not f.repeated


def test_already_held_with_source_and_score(tax):
    f = analyse_requests([_req(tax, "Avis d'imposition"), _req(tax, "Attestation CAF"), _req(tax, "Pièce d'identité")], tax)
    held = {h["document"]: h["source"] for h in f.already_held}
    assert held == {"avis-imposition": "API Particulier (données fiscales, revenu fiscal de référence) et API Impôt particulier (DGFiP)",
                    "attestation-caf": "API Particulier (quotient familial CAF et MSA) (CNAF et MSA)"}
    assert f.score == 2


def test_typed_and_uploaded(tax):
    typed = DocumentRequest(evidence={"label": "IBAN"}, c=tax.classify(""), typed=True, typed_field="iban")
    f = analyse_requests([typed, _req(tax, "RIB")], tax)
    assert f.typed_and_uploaded and f.typed_and_uploaded[0]["document"] == "rib"
    assert f.score == 1
    assert tax.typed_field(label="Numéro IBAN").id == "iban"
    assert tax.typed_field(label="Nom du titulaire") is None
    assert tax.typed_field(champ_type="Siret").id == "siret"


def test_invalid_taxonomy_errors_name_the_line(tmp_path):
    def _rules_error(text: str) -> list[str]:
        (tmp_path / "justificatifs.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as exc:
            load_rules(tmp_path)
        return [m.replace(str(tmp_path) + "/", "") for m in exc.value.messages]

    msgs = _rules_error("documents:\n  - id: a\n    label: A\n    synonyms: [x]\n  - id: a\n    label: B\n    synonyms: [y]\n")
    assert any("en double" in m for m in msgs)
    msgs = _rules_error("documents:\n  - id: a\n    label: A\n    synonyms: ['* x']\n")
    assert any(m.startswith("justificatifs.yaml:4:") and "commencer" in m for m in msgs), msgs
    msgs = _rules_error("documents:\n  - id: Pièce\n    label: A\n    synonyms: [x]\n")
    assert any("invalide" in m for m in msgs)
    msgs = _rules_error("documents:\n  - id: a\n    label: A\n    synonym: [x]\n")
    assert any(m.startswith("justificatifs.yaml:4:") and "inconnu" in m for m in msgs), msgs
    msgs = _rules_error("subjects:\n  list:\n    - {id: demandeur, label: demandeur, patterns: [demandeur]}\n"
                        "documents:\n  - id: a\n    label: A\n    synonyms: [x]\n"
                        "    variants: [{id: b, label: B, synonyms: [y], author: hote}]\n")
    assert any("signataire « hote »" in m for m in msgs), msgs
    msgs = _rules_error("subjects:\n  list:\n    - {id: demandeur, label: demandeur, patterns: [demandeur]}\n"
                        "documents:\n  - id: a\n    label: A\n    synonyms: [x]\n    shared_by: [demandeur, tuteur]\n")
    assert any("« tuteur » (shared_by)" in m for m in msgs), msgs


def test_block_read_title_first(tax):
    """A champ block: title, description with a verb, button. The title names the request."""
    block = ("Attestation de paiement de la CAF *\nVous pouvez la télécharger sur caf.fr, rubrique « Attestations ».\n"
             "Choisir un fichier")
    c = tax.classify("Choisir un fichier", others=[("context", block)])
    assert (c.document, c.matched_on) == ("attestation-caf", "context")
    # as one sentence, the verb "télécharger" hid the title
    assert tax.analyse(block.replace("\n", " ")).documents == []
    # the year stated in the description qualifies the document named by the title
    c = tax.classify("Ajouter un fichier", others=[("context", "Avis d'imposition\nAvis 2024 sur les revenus 2023")])
    assert c.document == "avis-imposition" and c.period == ["2023", "2024"]
    # two documents on one line stay ambiguous
    c = tax.classify("Ajouter un fichier", others=[("context", "Avis d'imposition ou attestation CAF\nPDF")])
    assert c.document is None and c.ambiguous


def test_person_named_in_a_header_clause(tax):
    assert tax.subject_in("Si vous êtes hébergé : la personne qui vous héberge") == "hebergeant"
    assert tax.subject_in("Vos pièces\nPersonne qui héberge la famille") == "hebergeant"
    assert tax.subject_in("Vos justificatifs") is None
    c = tax.classify("Pièce d'identité", subject_context=["Pièces concernant la personne qui vous héberge"])
    assert c.subject == "hebergeant"
    # a label names the person even when the head stops inside the name (real démarches-simplifiées label)
    assert tax.classify("Pièce d'identité de la personne qui vous héberge").subject == "hebergeant"
    # but a person named only in the clause does not qualify the document: it is the applicant's
    assert tax.classify("Justificatif de domicile si vous êtes hébergé par un parent").subject == "demandeur"


def test_two_stated_periods_that_differ_are_two_documents(tax):
    f = analyse_requests([_req(tax, "Avis d'imposition 2025 sur les revenus 2024"),
                          _req(tax, "Avis d'imposition 2024 sur les revenus 2023")], tax)
    assert not f.repeated and not f.review
    # one period contained in the other: maybe the same notice, for review
    f = analyse_requests([_req(tax, "Avis d'imposition 2024"), _req(tax, "Avis d'imposition 2024 sur les revenus 2023")], tax)
    assert not f.repeated and f.review
