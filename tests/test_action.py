"""The GitHub Action (action.yml): valid for GitHub's schema of action
metadata, every input reaching the right ``auditor`` option, auditor's exit
code kept, and its install step and browser script run with stub commands
(no network, no real runner)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from auditor.cli import build_parser
from ci_support import ACTION, action_run_step, load_ci_yaml, run_action, schema_errors

ROOT = Path(__file__).resolve().parent.parent


def test_action_is_valid_for_github():
    assert not schema_errors(load_ci_yaml(ACTION), "github-actions.json")


def test_inputs_are_declared_used_and_never_inside_a_script():
    action = load_ci_yaml(ACTION)
    text = ACTION.read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used == set(action["inputs"]), used ^ set(action["inputs"])
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")  # values go through env: no injection


@pytest.mark.parametrize("given, expected", [
    ({}, ["scan", "demarches.yaml", "-o", "reports", "--format", "junit,sarif,markdown,baseline"]),
    ({"demarches": "ci/liste des démarches.yaml", "output": "sortie", "format": "", "shard": "2/5",
      "rules": "mes-regles", "fail-on": "serious,dlnuf=Faible", "baseline": ".auditor/baseline.json",
      "contact": "a11y@exemple.gouv.fr"},
     ["scan", "ci/liste des démarches.yaml", "--shard", "2/5", "--rules", "mes-regles", "--contact",
      "a11y@exemple.gouv.fr", "-o", "sortie",
      "--fail-on", "serious,dlnuf=Faible", "--baseline", ".auditor/baseline.json"]),
    ({"merge": "lots/* autres", "rules": "ignoré", "shard": "1/2", "format": "sarif", "contact": "x@y.fr"},
     ["merge", "lots/*", "autres", "-o", "reports", "--format", "sarif"]),
])
def test_inputs_map_to_options(tmp_path, given, expected):
    call = run_action(given, tmp_path)
    assert call == expected
    build_parser().parse_args(call)  # our own command line accepts it


@pytest.mark.parametrize("code", [0, 1, 2, 3])
def test_the_step_ends_with_auditors_exit_code(tmp_path, code):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "summary.md").write_text("# Résumé\n", encoding="utf-8")
    run_action({"fail-on": "serious"}, tmp_path, exit_code=code)
    outputs = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert f"exit-code={code}" in outputs and "reports=reports" in outputs
    assert (tmp_path / "summary.txt").read_text(encoding="utf-8") == "# Résumé\n"  # even when the gate fails


def _install_step(action: dict) -> dict:
    return next(s for s in action["runs"]["steps"] if s.get("run") and s is not action_run_step(action))


def _stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$CALLS\"\n{body}", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.parametrize("merge, browser", [("", True), ("lots", False)])
def test_install_step_installs_the_action_itself_and_a_browser_unless_merging(tmp_path, merge, browser):
    action = load_ci_yaml(ACTION)
    calls, temp, action_path = tmp_path / "calls.txt", tmp_path / "runner-temp", tmp_path / "action"
    venv_bin = temp / "auditor-venv" / "bin"
    # python3 -m venv DIR makes a venv whose python and auditor are stubs too
    _stub(tmp_path / "stubs" / "python3",
          f'mkdir -p "$3/bin"\nfor f in python auditor; do cp "{tmp_path}/stubs/tool" "$3/bin/$f"; done\n')
    _stub(tmp_path / "stubs" / "tool", "")
    _stub(action_path / "scripts" / "install-browser.sh", "")
    env = {"PATH": f"{tmp_path / 'stubs'}:{os.environ['PATH']}", "CALLS": str(calls), "RUNNER_TEMP": str(temp),
           "GITHUB_ACTION_PATH": str(action_path), "GITHUB_PATH": str(tmp_path / "path.txt"), "IN_MERGE": merge}
    subprocess.run(["bash", "-eo", "pipefail", "-c", _install_step(action)["run"]], cwd=tmp_path, env=env,
                   check=True, timeout=30)
    log = calls.read_text(encoding="utf-8").splitlines()
    assert f"python3 -m venv {temp / 'auditor-venv'}" in log
    assert any(line.startswith("python -m pip install") and line.endswith(str(action_path)) for line in log)
    assert (f"install-browser.sh {venv_bin / 'python'} --playwright" in log) == browser
    assert "auditor --version" in log
    assert (tmp_path / "path.txt").read_text(encoding="utf-8").strip() == str(venv_bin)


def _browser_script(tmp_path: Path, found_before: bool, *args: str) -> list[str]:
    """Run scripts/install-browser.sh with a stub Python whose browser is
    found once ``playwright install`` ran (or from the start)."""
    tmp_path.mkdir(exist_ok=True)
    calls, flag = tmp_path / "calls.txt", tmp_path / "found"
    if found_before:
        flag.touch()
    py = tmp_path / "python"
    _stub(py, f'case "$*" in\n  "-m auditor.collect.browser") [ -f "{flag}" ] && echo /chromium ;;\n'
              f'  "-m playwright install"*) touch "{flag}" ;;\nesac\n')
    env = {**os.environ, "CALLS": str(calls)}
    out = subprocess.run(["bash", str(ROOT / "scripts" / "install-browser.sh"), str(py), *args], env=env,
                         check=True, timeout=30, capture_output=True, text=True).stdout
    assert out.rstrip().endswith("Navigateur : /chromium")
    return [line for line in calls.read_text(encoding="utf-8").splitlines() if "playwright" in line]


def test_browser_script_downloads_only_what_is_missing(tmp_path):
    assert _browser_script(tmp_path, True) == []
    assert _browser_script(tmp_path / "a", True, "--playwright") == ["python -m playwright install --with-deps chromium"]
    assert _browser_script(tmp_path / "b", False) == ["python -m playwright install chromium"]
