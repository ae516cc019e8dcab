"""The test-data table against real form labels: the 22 192 procedures
published on démarches-simplifiées (../shared/data/ds-catalogue), whose
fields carry both a free label and a typed descriptor (Email, Phone, Siret…).
Recognised by its label alone, a field must get the value its type calls for
— the auto-walk meets these labels on text inputs where the type does not
help."""

from __future__ import annotations

import collections
import gzip
import json

import pytest

from auditor.collect.fill import base_values
from auditor.config import load_rules
from auditor.model import Control
from support import ROOT, SHARED

CATALOGUE = SHARED / "data" / "ds-catalogue" / "demarches.jsonl.gz"

# descriptor type → (values that are right for it, minimum share of its labels)
EXPECTED = {
    "Email": ({"test.auditor@example.org"}, 0.97),
    "Phone": ({"0199001234", "0639981234"}, 0.95),
    "Siret": ({"12345678200002"}, 0.93),
    "Iban": ({"FR7630006000011234567890189"}, 0.88),
    "Address": ({"10 rue de Rivoli"}, 0.88),
    "Pays": ({"France", "Française"}, 0.95),
}


def test_labels_of_typed_fields_get_the_right_value():
    if not CATALOGUE.exists():
        pytest.skip(f"{CATALOGUE} absent (../shared/data not available)")
    data = load_rules(ROOT / "rules").get("test-data")
    labels: collections.Counter = collections.Counter()  # (type, label) → number of fields
    with gzip.open(CATALOGUE, "rt", encoding="utf-8") as fh:
        for line in fh:
            for champ in json.loads(line)["champs"]:
                if champ["type"] in EXPECTED:
                    labels[(champ["type"], champ["label"])] += 1
    hits: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    wrong: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for (kind, label), count in labels.items():
        values = base_values(Control(selector="#x", tag="input", type="text", label=label), data)
        ok = bool(values) and values[0] in EXPECTED[kind][0]
        hits[kind][ok] += count
        if not ok:
            wrong[kind][label.lower()[:60]] += count
    for kind, (_, minimum) in EXPECTED.items():
        total = hits[kind][True] + hits[kind][False]
        assert total > 500, kind
        share = hits[kind][True] / total
        assert share >= minimum, (kind, round(share, 3), wrong[kind].most_common(5))
