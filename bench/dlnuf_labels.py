"""Precision and recall of « Dites-le-nous une fois » against the hand-labelled set.

    python bench/dlnuf_labels.py [--labels tests/catalogue/labels/dlnuf-labels.yaml] [--snapshot FILE] [--errors]

Why: the repetition and already-held findings are published as a score; they
must be measured against what a careful reader of each form decides, not
against the engine's own idea.  The labels cite champ refs; the engine's
catalogue findings (``auditor/catalogue/analyse.py``) are compared pair by
pair (repetitions) and ref by ref (already held).  Pairs and refs labelled
ambiguous count neither way.  Figures are printed for the whole set, the
development part and the held-out part (ranks labelled before any tuning and
never looked at while tuning).
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

LABELS = ROOT / "tests" / "catalogue" / "labels" / "dlnuf-labels.yaml"
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


def score(tp: int, fp: int, fn: int) -> tuple[float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def evaluate(labels: list[dict[str, Any]], records: dict[int, dict[str, Any]], tax: Any) -> dict[str, Any]:
    """Counts per split, and the list of errors (for --errors)."""
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
        for split in ("all", lab["split"]):
            c = counts.setdefault(split, {"rep": [0, 0, 0], "held": [0, 0, 0]})
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
        for r in sorted(got_held - want_held):
            errors.append(f"{tag} déjà détenue en trop {r}")
        for r in sorted(want_held - got_held):
            errors.append(f"{tag} déjà détenue manquée {r}")
    return {"counts": counts, "errors": errors}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    ap.add_argument("--errors", choices=["dev", "heldout", "all"], help="list the disagreements of one split")
    args = ap.parse_args()
    if not args.snapshot.exists():
        print(f"{args.snapshot}: introuvable", file=sys.stderr)
        return 2
    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))["procedures"]
    records = load_records(args.snapshot, {x["number"] for x in labels})
    # only the taxonomy is needed: the measure must not depend on other rule files
    data = yaml.safe_load((ROOT / "rules" / "justificatifs.yaml").read_text(encoding="utf-8"))
    result = evaluate(labels, records, taxonomy_from(JustificatifsRules.model_validate(data)))
    print(f"{len(records)} démarches étiquetées sur {len(labels)}")
    for split in ("all", "dev", "heldout"):
        c = result["counts"].get(split)
        if not c:
            continue
        for what, name in (("rep", "repeated"), ("held", "already_held")):
            tp, fp, fn = c[what]
            p, r = score(tp, fp, fn)
            print(f"{split:8} {name:13} precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    if args.errors:
        print("\n".join(e for e in result["errors"] if args.errors == "all" or e.startswith(args.errors + " ")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
