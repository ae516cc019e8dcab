"""One map of rules files to schemas (auditor/ruleset.py): every shipped file
has one, loading needs no check to be imported first, and a misspelt key in
any file — indicators.yaml included — is an error with its line."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from auditor.config import ConfigError, load_rules
from auditor.ruleset import SCHEMAS, schema
from support import ROOT


def test_every_shipped_rules_file_has_a_schema_and_every_schema_a_file():
    shipped = {p.stem for p in (ROOT / "rules").glob("*.yaml")}
    assert shipped == set(SCHEMAS)
    rules = load_rules(ROOT / "rules")
    assert set(rules.models) == shipped
    assert all(isinstance(rules.models[n], schema(n)) for n in shipped)


def test_importing_the_ruleset_imports_no_check():
    code = ("import sys, auditor.ruleset; "
            "print(sorted(m for m in sys.modules if m.startswith('auditor.checks')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_a_misspelt_indicator_threshold_is_an_error_with_its_line(tmp_path):
    folder = tmp_path / "regles"
    folder.mkdir()
    shutil.copy(ROOT / "rules" / "indicators.yaml", folder / "indicators.yaml")
    text = (folder / "indicators.yaml").read_text(encoding="utf-8")
    (folder / "indicators.yaml").write_text(text.replace("partiel_max: 4", "partiel_maxi: 4"), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(folder)
    message = "\n".join(exc.value.messages)
    assert "indicators.yaml:7" in message and "partiel_maxi" in message


def test_indicator_thresholds_are_read_from_the_file(tmp_path):
    from auditor.indicators import dlnuf_level

    folder = tmp_path / "regles"
    folder.mkdir()
    (folder / "indicators.yaml").write_text("dlnuf:\n  optimal_max: 0\n  partiel_max: 1\n", encoding="utf-8")
    rules = load_rules(folder)
    assert dlnuf_level(1, 5, rules) == "Partiel" and dlnuf_level(2, 5, rules) == "Faible"
    assert dlnuf_level(1, 5, load_rules(ROOT / "rules")) == "Optimal"
