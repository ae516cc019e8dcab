"""auditor catalogue on small hand-made catalogues, and on the real snapshot when present."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from auditor.catalogue.analyse import analyse_procedure
from auditor.catalogue.reader import iter_procedures, to_procedure
from auditor.catalogue.report import run_catalogue
from auditor.cli import main as cli_main
from auditor.config import load_rules
from auditor.documents import taxonomy_from

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / ".." / "shared" / "data" / "ds-catalogue" / "demarches.jsonl.gz"


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "rules")


def pj(ref, label, description="", type_="PieceJustificative", **kw):
    return {"ref": ref, "type": type_, "label": label, "description": description, **kw}


def proc(champs, number=1, dossiers=10):
    return {"number": number, "title": f"Démarche {number}", "organisme": "Préfecture test", "service": None,
            "dossiersCount": dossiers, "url": f"https://ds.test/{number}", "champs": champs}


def findings(rules, champs):
    line, _ = analyse_procedure(to_procedure(proc(champs)), taxonomy_from(rules), rules)
    return line


def test_repeated_and_already_held(rules):
    line = findings(rules, [pj("0", "Justificatif de domicile"), pj("1", "Avis d'imposition 2024"),
                            pj("2", "Justificatif de domicile de moins de 3 mois", "Facture, quittance…")])
    assert line["repeated"] == [{"document": "justificatif-domicile", "refs": ["0", "2"]}]
    assert line["already_held"] == [{"document": "avis-imposition", "source": "API Particulier (données fiscales, revenu fiscal de référence) et API Impôt particulier (DGFiP)", "refs": ["1"]}]
    assert line["score"] == 2 and line["level"] == "Partiel"
    assert [r["document"] for r in line["requests"]] == ["justificatif-domicile", "avis-imposition", "justificatif-domicile"]


def test_person_named_in_header_qualifies(rules):
    line = findings(rules, [
        pj("0", "Pièce d'identité"),
        {"ref": "1", "type": "HeaderSection", "label": "Pièces concernant l'hébergeant"},
        pj("2", "Pièce d'identité"), pj("3", "Justificatif de domicile"),
    ])
    assert not line["repeated"]
    assert [r["subject"] for r in line["requests"]] == ["demandeur", "hebergeant", "hebergeant"]


def test_years_differ(rules):
    line = findings(rules, [pj("0", "Avis d'imposition 2023"), pj("1", "Avis d'imposition 2024")])
    assert not line["repeated"] and len(line["already_held"][0]["refs"]) == 2


def test_alternatives_are_not_repetitions(rules):
    line = findings(rules, [
        {"ref": "0", "type": "Explication", "label": "Si vous êtes locataire"},
        pj("1", "Justificatif de domicile"),
        {"ref": "2", "type": "Explication", "label": "Sinon, si vous êtes hébergé"},
        pj("3", "Justificatif de domicile"),
    ])
    assert not line["repeated"]


def test_recto_verso_is_one_request(rules):
    line = findings(rules, [pj("0", "Pièce d'identité (recto)"), pj("1", "Pièce d'identité (verso)")])
    assert not line["repeated"] and line["score"] == 0


def test_repetition_block_is_never_a_repetition_of_outside(rules):
    line = findings(rules, [
        pj("0", "Pièce d'identité"),
        {"ref": "1", "type": "Repetition", "label": "Membres du foyer",
         "champs": [pj("1.0", "Pièce d'identité"), pj("1.1", "Acte de naissance")]},
    ])
    assert not line["repeated"]
    assert [r.get("scope") for r in line["requests"]] == [None, "1", "1"]


def test_generic_request_is_never_a_repetition(rules):
    line = findings(rules, [pj("0", "Autre pièce", "Certificat médical, attestation…"),
                            pj("1", "Autre pièce", "Certificat médical, attestation…"),
                            pj("2", "Pièce complémentaire")])
    assert not line["repeated"]
    assert all(r["document"] is None and r.get("generic") for r in line["requests"])


def test_typed_and_uploaded(rules):
    line = findings(rules, [{"ref": "0", "type": "Iban", "label": "IBAN"}, pj("1", "RIB"),
                            {"ref": "2", "type": "Siret", "label": "SIRET"}, pj("3", "Extrait Kbis")])
    assert line["typed_and_uploaded"] == [{"document": "rib", "refs": ["0", "1"]},
                                          {"document": "extrait-kbis", "refs": ["2", "3"]}]
    assert line["score"] == 2


def test_titre_identite_champ_is_identity(rules):
    line = findings(rules, [pj("0", "Justificatif", type_="TitreIdentite")])
    assert line["requests"][0]["document"] == "piece-identite"


def test_official_format_and_outputs(tmp_path, rules):
    official = [{
        "number": 7, "title": "Officielle", "dossiersCount": 3, "service": {"organisme": "DREETS"},
        "demarcheUrl": "https://ds.test/7",
        "revision": {"champDescriptors": [
            {"__typename": "HeaderSectionChampDescriptor", "label": "Pièces", "description": ""},
            {"__typename": "PieceJustificativeChampDescriptor", "label": "Copie de la pièce d'identité", "description": ""},
            {"__typename": "RepetitionChampDescriptor", "label": "Enfants", "champDescriptors": [
                {"__typename": "PieceJustificativeChampDescriptor", "label": "Certificat de scolarité"}]},
        ]},
    }, {"number": 8, "title": "Vide", "dossiersCount": 0, "revision": {"champDescriptors": []}}]
    src = tmp_path / "demarches.json"
    src.write_text(json.dumps(official, indent=2), encoding="utf-8")
    procs = list(iter_procedures(src))
    assert [p.number for p in procs] == [7, 8]
    assert procs[0].champs[2].champs[0].ref == "2.0" and procs[0].organisme == "DREETS"
    out = tmp_path / "out"
    assert cli_main(["catalogue", str(src), "-o", str(out), "--workers", "1", "-q"]) == 0
    lines = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0]["already_held"][0]["refs"] == ["2.0"] and lines[1]["level"] == "Non applicable"
    assert "piece-identite" in (out / "documents.csv").read_text(encoding="utf-8")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and 'role="img"' in html and "Certificat de scolarité" in html


def test_gzipped_jsonl_two_workers(tmp_path):
    src = tmp_path / "c.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        for i in range(1, 601):
            fh.write(json.dumps(proc([pj("0", "RIB"), pj("1", "RIB")], number=i)) + "\n")
    summary = run_catalogue(src, tmp_path / "out", ROOT / "rules", workers=2)
    assert summary["procedures"] == 600 and summary["repeated_procedures"] == 0  # identical champs: review
    assert summary["review_procedures"] == 600  # counted apart, not as repeating démarches
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "pistes à vérifier" in html and "<strong>0</strong> démarches" in html and "600 autres" in html
    numbers = [json.loads(x)["number"] for x in (tmp_path / "out" / "findings.jsonl").read_text().splitlines()]
    assert numbers == list(range(1, 601))


@pytest.mark.skipif(not SNAPSHOT.exists(), reason="../shared/data absent")
def test_real_snapshot_counts_and_timing(tmp_path):
    t0 = time.monotonic()
    summary = run_catalogue(SNAPSHOT, tmp_path, ROOT / "rules", workers=2)
    elapsed = time.monotonic() - t0
    assert summary["procedures"] == 22192
    assert summary["requests"] == 139415  # every PieceJustificative + TitreIdentite champ
    # a sanity range, not a target: 496 after the heading rule of issue 21 (513 before, 886 at first), 262 after
    # the rules by kind of the session of 6 December 2026 (393 before), 159 once « X et/ou Y » then « X et Z »
    # went to review (the labelled sets call that pair ambiguous); the labelled sets say many flagged
    # procedures are still false repetitions, so the count may fall further
    assert 100 < summary["repeated_procedures"] < 3000
    assert 2000 < summary["held_procedures"] < 8000
    assert elapsed < 300  # sanity on a loaded machine; bench/catalogue.py measures the 60 s target
