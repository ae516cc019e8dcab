"""Precision and recall of « Dites-le-nous une fois » against the hand-labelled sets.

    python bench/dlnuf_labels.py [--labels FILE ...] [--snapshot FILE] [--errors dev|heldout|fresh|dev3|all]
    python bench/dlnuf_labels.py --draw-repeated   # the sampling of dlnuf-repeated.yaml (prints its numbers)
    python bench/dlnuf_labels.py --draw-fresh      # the sampling of dlnuf-fresh.yaml (engine of its commit)
    python bench/dlnuf_labels.py --draw-fresh2     # the sampling of dlnuf-fresh2.yaml
    python bench/dlnuf_labels.py --draw-dev3       # the sampling of dlnuf-dev3.yaml
    python bench/dlnuf_labels.py --agreement A.yaml B.yaml   # agreement of two labellings of one draw
    python bench/dlnuf_labels.py --census      # precision of the engine's flags on the whole snapshot, as labelled

Why: the repetition and already-held findings are published as a score; they
must be measured against what a careful reader of each form decides, not
against the engine's own idea.  The labels cite champ refs; the engine's
catalogue findings (``auditor/catalogue/analyse.py``) are compared pair by
pair (repetitions) and ref by ref (already held).  Pairs and refs labelled
ambiguous count neither way.  Figures are printed per set and per split:
``dev`` / ``heldout`` (the first two sets), ``fresh``, ``dev3`` to ``dev10``,
``fresh2`` and ``fresh4`` (development sets: their errors are read and rules are
tuned on them) and ``fresh3``, ``fresh5``, ``fresh6``, ``random2`` and ``random4`` (plain
random draws labelled for both measures), the sets nobody tuned on:
their figures are printed, never their errors (``fresh2`` was one until 06/12/2026,
``fresh4`` until 07/12/2026, when ``fresh5`` replaced it).  ``--agreement``
compares two independent labellings of the same draw pair by pair: the ceiling
any engine can reach against one of them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.catalogue.analyse import analyse_procedure  # noqa: E402
from auditor.catalogue.reader import to_procedure  # noqa: E402
from auditor.documents import JustificatifsRules, taxonomy_from  # noqa: E402

LABEL_DIR = ROOT / "tests" / "catalogue" / "labels"
LABELS = [LABEL_DIR / f"dlnuf-{n}.yaml" for n in ("labels", "repeated", "fresh", "dev3", "dev4", "dev5", "dev6",
                                                 "dev7", "dev8", "dev9", "dev10", "fresh2", "fresh4", "fresh3", "fresh5",
                                                 "fresh6", "random2", "random3", "random4", "random5")]

# -- the sampling of dlnuf-repeated.yaml (frozen: changing it changes which procedures were drawn)
REPEATED_SEED = 2121
REPEATED_PER_STRATUM = 80
# -- the sampling of dlnuf-fresh.yaml (frozen): same strata, drawn again from the engine of commit
# 024e81f, procedures of the two earlier sets left out; a set nobody tuned on
FRESH_SEED = 4242
FRESH_PER_STRATUM = 60
# -- the sampling of dlnuf-fresh2.yaml (frozen): same strata, engine of commit aaf21ea, procedures of
# the three earlier sets left out.  dlnuf-fresh.yaml became development data once its errors were
# read (session of 2026-12-06); this draw replaces it as the set nobody tuned on
FRESH2_SEED = 6363
FRESH2_PER_STRATUM = 60
# -- the sampling of dlnuf-dev3.yaml (frozen): same strata, engine of commit 405586f, procedures of the
# four earlier sets left out; a development set (its errors are read) drawn from the tuned engine's flags
DEV3_SEED = 7373
DEV3_PER_STRATUM = 60
DEV4_SEED = 9191  # dlnuf-dev4.yaml: drawn from the flags of the engine of 2cbcd61 (06/12), for development
DEV4_PER_STRATUM = 40
FRESH3_SEED = 3131  # dlnuf-fresh3.yaml: a blind measure of the engine of the end of 06/12 (never tuned on)
FRESH3_PER_STRATUM = 30
DEV5_SEED = 5151  # dlnuf-dev5.yaml: development, drawn from the flags of the engine of 79c88ba
DEV5_PER_STRATUM = 30
FRESH4_SEED = 4848  # dlnuf-fresh4.yaml: a blind measure, drawn from the flags of the engine of 948a1fc
FRESH4_PER_STRATUM = 30
DEV6_SEED = 6161  # dlnuf-dev6.yaml: development, drawn from the flags of the engine of b76b743
DEV6_PER_STRATUM = 30
DEV7_SEED = 7171  # dlnuf-dev7.yaml: development, drawn from the flags of the engine of 4c42f99
DEV7_PER_STRATUM = 30
DEV8_SEED = 8181  # dlnuf-dev8.yaml: development, drawn from the flags of the engine of e38b3ae
DEV8_PER_STRATUM = 30
DEV9_SEED = 9292  # dlnuf-dev9.yaml: development, drawn from the flags of the engine of 8eed88d
DEV9_PER_STRATUM = 30
DEV10_SEED = 1010  # dlnuf-dev10.yaml: development, drawn from the flags of the engine of 5903fbc (07/12)
DEV10_PER_STRATUM = 30
FRESH5_SEED = 5252  # dlnuf-fresh5.yaml: a blind measure, drawn from the flags of the engine of 2c48ca3 (07/12)
FRESH5_PER_STRATUM = 30
FRESH6_SEED = 6262  # dlnuf-fresh6.yaml: a blind measure, drawn from the flags of the engine of 6f56a2a (07/12)
FRESH6_PER_STRATUM = 30
# every set, in the order it was drawn: a draw leaves out the procedures of all the sets before it (it never overlaps
# what was labelled earlier)
DRAW_ORDER = ("labels", "repeated", "fresh", "fresh2", "dev3", "dev4", "fresh3", "dev5", "fresh4", "dev6", "dev7", "dev8",
              "dev9", "dev10", "fresh5", "fresh6", "random2", "random3", "random4", "random5")
# each later stratified draw: its seed and how many per stratum
DRAWS = {
    "fresh": (FRESH_SEED, FRESH_PER_STRATUM),
    "fresh2": (FRESH2_SEED, FRESH2_PER_STRATUM),
    "dev3": (DEV3_SEED, DEV3_PER_STRATUM),
    "dev4": (DEV4_SEED, DEV4_PER_STRATUM),
    "fresh3": (FRESH3_SEED, FRESH3_PER_STRATUM),
    "dev5": (DEV5_SEED, DEV5_PER_STRATUM),
    "fresh4": (FRESH4_SEED, FRESH4_PER_STRATUM),
    "dev6": (DEV6_SEED, DEV6_PER_STRATUM),
    "dev7": (DEV7_SEED, DEV7_PER_STRATUM),
    "dev8": (DEV8_SEED, DEV8_PER_STRATUM),
    "dev9": (DEV9_SEED, DEV9_PER_STRATUM),
    "dev10": (DEV10_SEED, DEV10_PER_STRATUM),
    "fresh5": (FRESH5_SEED, FRESH5_PER_STRATUM),
    "fresh6": (FRESH6_SEED, FRESH6_PER_STRATUM),
}
# -- plain random draws (no strata), labelled for both measures, where the stratified draws above look where the engine
# flags or where a repetition can hide.  Leaving out the earlier sets, which hold nearly every procedure the engine
# flags, they draw from what it does not flag: they measure its misses (and the census counts them), not its recall
RANDOM2_SEED = 7474  # dlnuf-random2.yaml: a blind measure of the engine of the seventh session of 07/12/2026
RANDOM2_SIZE = 200
RANDOM3_SEED = 8585  # dlnuf-random3.yaml: development (its errors are read), drawn like random2
RANDOM3_SIZE = 200
RANDOM4_SEED = 9696  # dlnuf-random4.yaml: a second blind plain random draw (07/12/2026), random3 left out too
RANDOM4_SIZE = 200
RANDOM5_SEED = 5050  # dlnuf-random5.yaml: development, a plain random draw read for « déjà détenue » above all
RANDOM5_SIZE = 200
RANDOM_DRAWS = {
    "random2": (RANDOM2_SEED, RANDOM2_SIZE),
    "random3": (RANDOM3_SEED, RANDOM3_SIZE),
    "random4": (RANDOM4_SEED, RANDOM4_SIZE),
    "random5": (RANDOM5_SEED, RANDOM5_SIZE),
}


def drawn_before(name: str) -> tuple[str, ...]:
    """The sets whose procedures the draw ``name`` leaves out: all those drawn before it."""
    return DRAW_ORDER[:DRAW_ORDER.index(name)]


# splits of the labelled sets, in print order; the blind ones never have their errors printed
SPLITS = ("dev", "heldout", "fresh", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "fresh2", "fresh4",
          "random3", "random5", "fresh3", "fresh5", "fresh6", "random2", "random4")
# fresh4 was one until 07/12/2026, when fresh5 replaced it and its errors were read
BLIND = ("fresh3", "fresh5", "fresh6", "random2", "random4")
UPLOAD_TYPES = ("PieceJustificative", "TitreIdentite")
# words that name a document (tokens as the taxonomy writes them: lower case, no accent, singular);
# two upload champs sharing one of them *could* ask for the same document
DOC_WORDS = frozenset("""identite passeport sejour domicile adresse hebergement quittance loyer facture electricite
avis imposition impot fiscal revenu caf quotient familial rib bancaire kbis sirene siret statut urssaf vigilance
naissance mariage deces livret famille acte scolarite diplome bulletin salaire bilan resultat
budget deliberation devis contrat convention assurance permis conduire grise immatriculation vehicule
cv curriculum motivation photo photographie plan rapport activite proces verbal recepisse prefecture
bail propriete foncier taxe releve casier judiciaire medical sante vaccin handicap mdph jdc
recensement nationalite""".split())
SNAPSHOT = ROOT / ".." / "shared" / "data" / "ds-catalogue" / "demarches.jsonl.gz"


def pairs(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    """Every unordered pair of refs inside each group."""
    return {frozenset(p) for g in groups for p in combinations(sorted(set(g)), 2)}


def load_records(path: Path, numbers: set[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            head = line[:40]
            if '"number"' not in head:
                continue
            obj = json.loads(line)
            if obj.get("number") in numbers:
                out[obj["number"]] = obj
    return out


def _uploads(champs: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for c in champs:
        if c.get("type") in UPLOAD_TYPES:
            yield c
        for k in c.get("champs") or []:
            if k.get("type") in UPLOAD_TYPES:
                yield k


def shares_document_word(rec: dict[str, Any], tax: Any) -> bool:
    """Whether two upload champs of a procedure name a common document word
    in their labels or descriptions (a ``TitreIdentite`` champ names
    "identité"): the procedures where a missed repetition can hide."""
    seen: list[set[str]] = []
    for c in _uploads(rec.get("champs") or []):
        w = {t for t in tax.tokens(f"{c.get('label') or ''} {c.get('description') or ''}") if t in DOC_WORDS}
        if c.get("type") == "TitreIdentite":
            w.add("identite")
        if any(w & x for x in seen):
            return True
        seen.append(w)
    return False


def draw_repeated(snapshot: Path, tax: Any, seed: int = REPEATED_SEED, per_stratum: int = REPEATED_PER_STRATUM,
                  exclude: frozenset[int] = frozenset()) -> dict[str, Any]:
    """The two strata of dlnuf-repeated.yaml: procedures the engine flags
    with a repetition ("flagged", to estimate precision) and procedures it
    does not flag whose upload champs share a document word ("unflagged", to
    estimate recall where misses can be); ``REPEATED_PER_STRATUM`` numbers
    drawn from each (file order, ``random.Random(REPEATED_SEED).sample``).
    ``exclude``: numbers already labelled elsewhere (the fresh set must not
    overlap the sets the engine was tuned on)."""
    import random

    flagged: list[int] = []
    unflagged: list[int] = []
    for rec in _iter_records(snapshot):
        if rec["number"] in exclude or not any(True for _ in _uploads(rec.get("champs") or [])):
            continue
        line, _ = analyse_procedure(to_procedure(rec), tax, None)
        if line["repeated"]:
            flagged.append(rec["number"])
        elif shares_document_word(rec, tax):
            unflagged.append(rec["number"])
    rng = random.Random(seed)
    # a stratum smaller than the draw (the flagged procedures, once nearly all are labelled) is taken whole
    return {
        "flagged": {"size": len(flagged), "drawn": rng.sample(flagged, min(per_stratum, len(flagged)))},
        "unflagged": {"size": len(unflagged), "drawn": rng.sample(unflagged, min(per_stratum, len(unflagged)))},
    }


def draw_random(snapshot: Path, seed: int, size: int, exclude: frozenset[int] = frozenset()) -> dict[str, Any]:
    """A plain random sample of the procedures with at least one upload champ (file order,
    ``random.Random(seed).sample``), those of earlier sets left out.  Why: the already-held finding measured
    on procedures nobody chose, and the share of repeating procedures among those the engine does not flag
    (the earlier sets hold nearly all it flags, so such a draw holds almost none)."""
    import random

    eligible = [rec["number"] for rec in _iter_records(snapshot)
                if rec["number"] not in exclude and any(True for _ in _uploads(rec.get("champs") or []))]
    return {"size": len(eligible), "drawn": random.Random(seed).sample(eligible, min(size, len(eligible)))}


def _iter_records(path: Path) -> Iterable[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def score(tp: int, fp: int, fn: int) -> tuple[float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def evaluate(labels: list[dict[str, Any]], records: dict[int, dict[str, Any]], tax: Any,
             measures: tuple[str, ...] = ("rep", "held")) -> dict[str, Any]:
    """Counts per split (and per stratum, when the set has strata), and the
    list of errors (for --errors).  ``measures``: what the set labels (the
    repetition set labels repetitions only)."""
    counts: dict[str, dict[str, list[int]]] = {}
    errors: list[str] = []
    for lab in labels:
        rec = records.get(lab["number"])
        if rec is None:
            continue
        line, _ = analyse_procedure(to_procedure(rec), tax, None)
        want_rep = pairs(lab.get("repeated", []))
        skip_rep = pairs(lab.get("ambiguous", []))
        got_rep = pairs(x["refs"] for x in line["repeated"]) - skip_rep
        want_held = set(lab.get("already_held", []))
        skip_held = set(lab.get("held_ambiguous", []))
        got_held = {r for x in line["already_held"] for r in x["refs"]} - skip_held
        keys = ["all", lab["split"]]
        if lab.get("stratum"):
            keys += [lab["stratum"], f"{lab['stratum']}/{lab['split']}"]
        for key in keys:
            c = counts.setdefault(key, {"rep": [0, 0, 0], "held": [0, 0, 0], "n": [0], "procs": [0, 0, 0]})
            c["n"][0] += 1
            # by démarche: repeating (the labels hold a repetition), of which flagged rightly; flagged wrongly
            c["procs"][0] += bool(want_rep)
            c["procs"][1] += bool(got_rep & want_rep)
            c["procs"][2] += bool(got_rep - want_rep) and not (got_rep & want_rep)
            c["rep"][0] += len(got_rep & want_rep)
            c["rep"][1] += len(got_rep - want_rep)
            c["rep"][2] += len(want_rep - got_rep)
            c["held"][0] += len(got_held & want_held)
            c["held"][1] += len(got_held - want_held)
            c["held"][2] += len(want_held - got_held)
        tag = f"{lab['split']} {lab['number']}"
        for p in sorted(got_rep - want_rep, key=sorted):
            errors.append(f"{tag} répétition en trop {sorted(p)}")
        for p in sorted(want_rep - got_rep, key=sorted):
            errors.append(f"{tag} répétition manquée {sorted(p)}")
        if "held" in measures:
            for r in sorted(got_held - want_held):
                errors.append(f"{tag} déjà détenue en trop {r}")
            for r in sorted(want_held - got_held):
                errors.append(f"{tag} déjà détenue manquée {r}")
    return {"counts": counts, "errors": errors}


def catalogue_estimate(counts: dict[str, dict[str, list[int]]], strata: dict[str, Any],
                       split: str | None = None) -> tuple[float, float] | None:
    """Repetition precision and recall over the whole catalogue from a
    stratified sample: each stratum's counts are weighted by its size over the
    number of its procedures labelled (``N_s / n_s``), so a stratum of 8,071
    procedures weighs more than one of 886.  Procedures outside every stratum
    are taken to hold no missed repetition (they have fewer than two upload
    champs, or none sharing a document word)."""
    tp = fp = fn = 0.0
    for name, info in strata.items():
        c = counts.get(f"{name}/{split}" if split else name)
        if not c or not c["n"][0]:
            continue
        w = info["size"] / c["n"][0]
        tp += w * c["rep"][0]
        fp += w * c["rep"][1]
        fn += w * c["rep"][2]
    if tp + fp + fn == 0:
        return None
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def agreement(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> dict[str, Any]:
    """Repetition pairs of two labellings of one draw: what both call repeated,
    what only one does (pairs either calls ambiguous left out).  Reading B as
    predictions of A gives the precision and recall a perfect engine would get
    against A if it read like B."""
    by_number = {x["number"]: x for x in b}
    both = only_a = only_b = 0
    procs_disagree = 0
    for x in a:
        y = by_number.get(x["number"])
        if y is None:
            continue
        skip = pairs(x.get("ambiguous", [])) | pairs(y.get("ambiguous", []))
        pa = pairs(x.get("repeated", [])) - skip
        pb = pairs(y.get("repeated", [])) - skip
        both += len(pa & pb)
        only_a += len(pa - pb)
        only_b += len(pb - pa)
        procs_disagree += pa != pb
    p, r = score(both, only_b, only_a)
    # already held, ref by ref, for the sets that label it (refs either calls ambiguous left out)
    held = [0, 0, 0]
    for x in a:
        y = by_number.get(x["number"])
        if y is None:
            continue
        skip = set(x.get("held_ambiguous", [])) | set(y.get("held_ambiguous", []))
        ha, hb = set(x.get("already_held", [])) - skip, set(y.get("already_held", [])) - skip
        held[0] += len(ha & hb)
        held[1] += len(ha - hb)
        held[2] += len(hb - ha)
    hp, hr = score(held[0], held[2], held[1])
    return {"both": both, "only_a": only_a, "only_b": only_b, "precision": p, "recall": r,
            "f1": (2 * p * r / (p + r)) if p + r else 0.0, "procedures_disagreeing": procs_disagree,
            "held_both": held[0], "held_only_a": held[1], "held_only_b": held[2], "held_precision": hp,
            "held_recall": hr}


def census(snapshot: Path, tax: Any) -> int:
    """The engine's flags on the whole snapshot, read against every set that labels them.

    Why: the sets were drawn from the flags of successive engines; together they label nearly every procedure
    the current engine flags, so the precision of its flagged pairs over them is close to a census.  Sets
    tuned on flatter it; the blind sets' share is printed apart (a figure, never their errors)."""
    labels: dict[int, tuple[dict[str, Any], str]] = {}
    for path in LABELS:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "repeated" not in doc.get("measures", ["repeated"]):
            continue
        for x in doc["procedures"]:
            labels.setdefault(x["number"], (x, x.get("split") or path.stem))
    total = 0
    counts = {"blind": [0, 0, 0], "development": [0, 0, 0]}
    # procedure level: [labelled, of which the labels hold a repetition], flagged or in the unflagged stratum
    procs = {(kind, part): [0, 0, 0] for kind in ("flagged", "unflagged") for part in ("blind", "development")}
    unflagged_size = 0
    for rec in _iter_records(snapshot):
        line, _ = analyse_procedure(to_procedure(rec), tax, None)
        if not line["repeated"]:
            if any(True for _ in _uploads(rec.get("champs") or [])) and shares_document_word(rec, tax):
                unflagged_size += 1
                x, split = labels.get(rec["number"], ({}, ""))
                # drawn at random from this stratum, not from another: a stratum draw, or a plain random draw of the
                # whole catalogue (its procedures that fall in the stratum are a random sample of it too; not the first
                # set, whose repetitions were labelled with the first guide and are far fewer than the later draws find)
                if x.get("stratum") == "unflagged" or split in RANDOM_DRAWS:
                    p = procs[("unflagged", "blind" if split in BLIND else "development")]
                    p[0] += 1
                    p[1] += bool(x.get("repeated"))
            continue
        total += 1
        if rec["number"] not in labels:
            continue
        x, split = labels[rec["number"]]
        got = pairs(g["refs"] for g in line["repeated"]) - pairs(x.get("ambiguous") or [])
        rep = pairs(x.get("repeated") or [])
        c = counts["blind" if split in BLIND else "development"]
        c[0] += 1
        c[1] += len(got & rep)
        c[2] += len(got - rep)
        # the procedure's flag: right (a flagged pair is a repetition), wrong (only false pairs), or open (every
        # flagged pair labelled ambiguous)
        p = procs[("flagged", "blind" if split in BLIND else "development")]
        p[0] += 1
        p[1] += bool(got & rep)
        p[2] += not (got & rep) and bool(got - rep)
    labelled = sum(c[0] for c in counts.values())
    tp, fp = sum(c[1] for c in counts.values()), sum(c[2] for c in counts.values())
    print(f"démarches signalées : {total} ; étiquetées dans un jeu : {labelled}")
    print(f"paires signalées justes : {tp} sur {tp + fp}, précision {score(tp, fp, 0)[0]:.3f}")
    for name, (n, t, f) in counts.items():
        print(f"  dont jeux {'à l’aveugle' if name == 'blind' else 'de développement'} : {n} démarches, "
              f"précision {score(t, f, 0)[0]:.3f} ({t} justes, {f} en trop)")
    print(procedure_estimate(total, unflagged_size, procs))
    return 0


def procedure_estimate(flagged: int, unflagged: int, procs: dict[tuple[str, str], list[int]]) -> str:
    """The engine's flags counted by démarche, as an observatory reads them: of the flagged procedures some
    set labels, how many are rightly flagged (one flagged pair is a repetition), wrongly (only false pairs) or
    open (every flagged pair labelled ambiguous); of the procedures of the unflagged stratum (not flagged,
    two upload champs sharing a document word) labelled in the blind sets — a random sample the rules were
    never tuned on (in the development sets the misses read became rules, so their share understates) —
    how many hold a repetition.  Procedures outside both strata are taken to hold none.  Gives the share of
    the catalogue's repeating démarches the engine flags, with a 95 % interval from the unflagged share."""
    f = [sum(procs[("flagged", part)][i] for part in ("blind", "development")) for i in (0, 1, 2)]
    fb, ub = procs[("flagged", "blind")], procs[("unflagged", "blind")]
    ud = procs[("unflagged", "development")]
    if not f[0] or not ub[0]:
        return "par démarche : pas assez de démarches étiquetées"
    right, wrong = f[1], f[2]
    share_u = ub[1] / ub[0]
    found, missed = flagged * right / f[0], unflagged * share_u
    z, n = 1.96, ub[0]  # Wilson interval on the unflagged share, the larger uncertainty
    centre = (share_u + z * z / (2 * n)) / (1 + z * z / n)
    half = z * (share_u * (1 - share_u) / n + z * z / (4 * n * n)) ** 0.5 / (1 + z * z / n)
    lo, hi = max(0.0, centre - half), centre + half
    rec = found / (found + missed) if found + missed else 1.0
    rec_lo = found / (found + unflagged * hi)
    rec_hi = found / (found + unflagged * lo) if found + unflagged * lo else 1.0
    return (f"par démarche : sur {f[0]} démarches signalées étiquetées, {right} le sont à raison (une paire "
            f"signalée est une répétition), {wrong} à tort (seulement des paires fausses), "
            f"{f[0] - right - wrong} restent ouvertes (paires jugées ambiguës) : précision "
            f"{score(right, wrong, 0)[0]:.2f} sans les ouvertes (à l'aveugle : {fb[1]} à raison, {fb[2]} à tort, "
            f"{fb[0] - fb[1] - fb[2]} ouvertes)\n"
            f"  strate non signalée ({unflagged} démarches) : {ub[1]} sur {ub[0]} tirées dans cette strate répètent "
            f"une pièce dans les jeux à l'aveugle ({share_u:.2f} ; {ud[1]} sur {ud[0]} dans les jeux de "
            f"développement)\n"
            f"  → environ {found:.0f} démarches répétitives signalées à raison, {missed:.0f} manquées : le moteur "
            f"en signale {rec:.2f} (intervalle à 95 % : {rec_lo:.2f} à {rec_hi:.2f})")


def _line(key: str, name: str, c: list[int]) -> str:
    tp, fp, fn = c
    p, r = score(tp, fp, fn)
    return f"{key:18} {name:13} precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, nargs="+", default=LABELS)
    ap.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    ap.add_argument("--errors", choices=[*(sp for sp in SPLITS if sp not in BLIND), "all"],
                    help="list the disagreements of one split (never a blind one's: they must stay untuned)")
    ap.add_argument("--draw-repeated", action="store_true", help="print the sampling of dlnuf-repeated.yaml")
    for name in (*DRAWS, *RANDOM_DRAWS):
        ap.add_argument(f"--draw-{name}", action="store_true", help=f"print the sampling of dlnuf-{name}.yaml")
    ap.add_argument("--census", action="store_true",
                    help="the procedures the engine flags on the whole snapshot that some set labels: how many, and "
                         "the precision of their flagged pairs (figures only, blind sets apart)")
    ap.add_argument("--agreement", type=Path, nargs=2, metavar=("A", "B"),
                    help="agreement of two independent labellings of one draw (repetition pairs)")
    args = ap.parse_args()
    if args.agreement:
        a, b = (yaml.safe_load(f.read_text(encoding="utf-8"))["procedures"] for f in args.agreement)
        res = agreement(a, b)
        print(f"répétitions, paires : {res['both']} pour les deux, {res['only_a']} pour {args.agreement[0].name} seul, "
              f"{res['only_b']} pour {args.agreement[1].name} seul ; {res['procedures_disagreeing']} démarches en désaccord")
        print(f"{args.agreement[1].name} lu comme prédiction de {args.agreement[0].name} : precision "
              f"{res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")
        if res["held_both"] + res["held_only_a"] + res["held_only_b"]:
            print(f"déjà détenues, champs : {res['held_both']} pour les deux, {res['held_only_a']} pour "
                  f"{args.agreement[0].name} seul, {res['held_only_b']} pour {args.agreement[1].name} seul ; "
                  f"precision {res['held_precision']:.3f}  recall {res['held_recall']:.3f}")
        return 0
    if not args.snapshot.exists():
        print(f"{args.snapshot}: introuvable", file=sys.stderr)
        return 2
    # only the taxonomy is needed: the measure must not depend on other rule files
    data = yaml.safe_load((ROOT / "rules" / "justificatifs.yaml").read_text(encoding="utf-8"))
    tax = taxonomy_from(JustificatifsRules.model_validate(data))
    if args.draw_repeated:
        print(json.dumps(draw_repeated(args.snapshot, tax)))
        return 0
    for name, (seed, count) in (*DRAWS.items(), *RANDOM_DRAWS.items()):
        if getattr(args, f"draw_{name}"):
            seen = frozenset(x["number"] for n in drawn_before(name)
                             for x in yaml.safe_load((LABEL_DIR / f"dlnuf-{n}.yaml").read_text(encoding="utf-8"))
                             ["procedures"])
            draw = (draw_random(args.snapshot, seed, count, seen) if name in RANDOM_DRAWS
                    else draw_repeated(args.snapshot, tax, seed, count, seen))
            print(json.dumps(draw))
            return 0
    if args.census:
        return census(args.snapshot, tax)
    sets = [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in args.labels]
    records = load_records(args.snapshot, {x["number"] for _, d in sets for x in d["procedures"]})
    for path, doc in sets:
        labels = doc["procedures"]
        measures = tuple({"repeated": "rep", "already_held": "held"}[m]
                         for m in doc.get("measures", ["repeated", "already_held"]))
        result = evaluate(labels, records, tax, measures)
        print(f"== {path.name} : {sum(1 for x in labels if x['number'] in records)} démarches étiquetées")
        strata = doc.get("strata") or {}
        splits = list(SPLITS)
        keys = ["all"] + splits
        for name in strata:
            keys += [name] + [f"{name}/{sp}" for sp in splits]
        for key in keys:
            c = result["counts"].get(key)
            if not c:
                continue
            for what, name in (("rep", "repeated"), ("held", "already_held")):
                if what in measures:
                    print(_line(key, name, c[what]))
        if not strata and doc.get("drawn") and "rep" in measures and "all" in result["counts"]:
            # a plain random draw (of the procedures no earlier set holds): how many repeat a piece, how many are flagged
            n, (rep, right, wrong) = result["counts"]["all"]["n"][0], result["counts"]["all"]["procs"]
            print(f"{'démarches':18} {rep} sur {n} répètent une pièce ; le moteur en signale {right} à raison, "
                  f"{wrong} à tort")
        for split in (None, *SPLITS):
            est = catalogue_estimate(result["counts"], strata, split) if strata else None
            if est:
                print(f"{'catalogue' + ('/' + split if split else ''):18} repeated      precision {est[0]:.3f}  "
                      f"recall {est[1]:.3f}  (strata weighted by size / labelled)")
        if args.errors:
            errs = [e for e in result["errors"] if not e.startswith(tuple(f"{b} " for b in BLIND))
                    and (args.errors == "all" or e.startswith(args.errors + " "))]
            print("\n".join(errs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
