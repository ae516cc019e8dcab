"""The labelled sets of « Dites-le-nous une fois » are well formed, and the bench's agreement of two
labellings counts pairs as documented.

Why: the published precision and recall rest on these files; a typo in a ref group (a bare string
instead of a list, a group of one) would silently change what is measured."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LABELS = sorted((ROOT / "tests" / "catalogue" / "labels").glob("dlnuf-*.yaml"))


def _bench():
    spec = importlib.util.spec_from_file_location("dlnuf_labels", ROOT / "bench" / "dlnuf_labels.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("path", LABELS, ids=[p.name for p in LABELS])
def test_label_files_are_well_formed(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    procs = doc["procedures"]
    numbers = [p["number"] for p in procs]
    assert len(numbers) == len(set(numbers)), f"{path.name}: démarche étiquetée deux fois"
    for p in procs:
        assert {"rank", "number", "split"} <= set(p), p
        for key in ("repeated", "ambiguous"):
            for group in p.get(key, []):
                assert isinstance(group, list) and len(group) >= 2, (path.name, p["number"], key, group)
                assert all(isinstance(r, str) for r in group), (path.name, p["number"], group)
        for ref in p.get("already_held", []) + p.get("held_ambiguous", []):
            assert isinstance(ref, str), (path.name, p["number"], ref)
    for name, stratum in (doc.get("strata") or {}).items():
        drawn = [p["number"] for p in procs if p.get("stratum") == name]
        assert drawn == stratum["drawn"][: len(drawn)], f"{path.name}: strate {name} hors de l'ordre du tirage"


def test_agreement_counts_pairs_and_leaves_out_ambiguous_ones():
    bench = _bench()
    a = [{"number": 1, "repeated": [["1", "2", "3"]]}, {"number": 2, "repeated": [["4", "5"]]}]
    b = [{"number": 1, "repeated": [["1", "2"]], "ambiguous": [["2", "3"]]}, {"number": 2, "repeated": [["6", "7"]]}]
    res = bench.agreement(a, b)
    # A: 1-2, 1-3, 2-3 (2-3 ambiguous for B, left out), 4-5; B: 1-2, 6-7
    assert (res["both"], res["only_a"], res["only_b"]) == (1, 2, 1)
    assert res["procedures_disagreeing"] == 2
    assert res["precision"] == pytest.approx(0.5) and res["recall"] == pytest.approx(1 / 3)
    # already held, ref by ref: a ref either reading calls ambiguous counts neither way
    a = [{"number": 1, "already_held": ["1", "2", "3"]}, {"number": 2, "already_held": ["9"]}]
    b = [{"number": 1, "already_held": ["1", "4"], "held_ambiguous": ["2"]}, {"number": 2}]
    res = bench.agreement(a, b)
    assert (res["held_both"], res["held_only_a"], res["held_only_b"]) == (1, 2, 1)
    assert res["held_precision"] == pytest.approx(0.5) and res["held_recall"] == pytest.approx(1 / 3)


def test_the_estimate_by_demarche_counts_open_flags_apart_and_bounds_the_recall():
    """100 flagged démarches labelled: 60 right, 20 wrong, 20 open; 3 of 60 blind draws of the unflagged
    stratum (1 000 démarches) repeat a piece.  Found ≈ 100 × 0.6 = 60, missed ≈ 1 000 × 0.05 = 50: the engine
    flags 0.55 of the repeating démarches, and the interval comes from the unflagged share alone."""
    bench = _bench()
    procs = {("flagged", "blind"): [40, 20, 10], ("flagged", "development"): [60, 40, 10],
             ("unflagged", "blind"): [60, 3, 0], ("unflagged", "development"): [400, 28, 0]}
    text = bench.procedure_estimate(100, 1000, procs)
    assert "60 le sont à raison" in text and "20 à tort" in text and "20 restent ouvertes" in text
    assert "précision 0.75 sans les ouvertes" in text and "(à l'aveugle : 20 à raison, 10 à tort, 10 ouvertes)" in text
    assert "environ 60 démarches répétitives signalées à raison, 50 manquées" in text
    assert "le moteur en signale 0.55" in text
    low, high = (float(x) for x in text.split("intervalle à 95 % : ")[1].rstrip(")").split(" à "))
    assert 0.2 < low < 0.55 < high <= 1.0
    assert bench.procedure_estimate(0, 1000, {k: [0, 0, 0] for k in procs}).startswith("par démarche : pas assez")


def test_a_random_draw_counts_repeating_demarches_and_the_flags_right_and_wrong():
    """By démarche, as the observatory reads the flags: one procedure repeats a piece and is flagged, one repeats
    and is not, one is flagged though its labels hold no repetition."""
    import yaml as _yaml

    from auditor.documents import JustificatifsRules, taxonomy_from

    bench = _bench()
    data = _yaml.safe_load((ROOT / "rules" / "justificatifs.yaml").read_text(encoding="utf-8"))
    tax = taxonomy_from(JustificatifsRules.model_validate(data))

    def proc(number, *labels):
        champs = [{"ref": str(i), "type": "PieceJustificative", "label": lab, "description": ""}
                  for i, lab in enumerate(labels)]
        return {"number": number, "title": "T", "organisme": "Mairie", "dossiersCount": 1, "url": None,
                "champs": champs}

    records = {1: proc(1, "Justificatif de domicile", "Facture d'électricité"),
               2: proc(2, "Budget prévisionnel", "Budget prévisionnel de l'action"),
               3: proc(3, "Justificatif de domicile", "Facture d'électricité")}
    labels = [{"number": 1, "split": "random2", "repeated": [["0", "1"]]},
              {"number": 2, "split": "random2", "repeated": [["0", "1"]]},
              {"number": 3, "split": "random2"}]
    res = bench.evaluate(labels, records, tax)
    assert res["counts"]["all"]["procs"] == [2, 1, 1]
    assert res["counts"]["all"]["rep"] == [1, 1, 1]
