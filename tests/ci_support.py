"""Helpers for the tests of CI files (docs/ci/ examples, action.yml): the
official schemas that check-jsonschema vendors, YAML as GitHub reads it, and
shell snippets run by a real bash with stub commands."""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml


def load_ci_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on:` as a boolean
        data["on"] = data.pop(True)
    return data


def vendored_schema(name: str) -> dict[str, Any]:
    try:
        ref = importlib.resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(name)
    except ModuleNotFoundError:
        pytest.skip("check-jsonschema (schémas GitHub Actions / GitLab CI) n'est pas installé")
    return json.loads(ref.read_text(encoding="utf-8"))


def schema_errors(data: Any, schema_name: str) -> list[str]:
    import jsonschema

    schema = vendored_schema(schema_name)
    cls = jsonschema.validators.validator_for(schema)
    errors = sorted(cls(schema).iter_errors(data), key=lambda e: list(e.path))
    return [f"{list(e.path)}: {e.message[:200]}" for e in errors]


def run_with_stubs(script: str, env: dict[str, str], cwd: Path, expect: int = 0) -> list[list[str]]:
    """Run a CI shell snippet with stub ``auditor`` (exits ``AUDITOR_STUB_EXIT``,
    default 0), ``gh`` and ``curl``; the argument lists ``auditor`` was called with."""
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("bash absent")
    stubs = cwd / "stubs"
    stubs.mkdir(exist_ok=True)
    log = cwd / "calls.jsonl"
    (stubs / "auditor").write_text(
        "#!/bin/sh\npython3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' \"$@\" >> "
        f"'{log}'\nexit \"${{AUDITOR_STUB_EXIT:-0}}\"\n", encoding="utf-8")
    (stubs / "gh").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (stubs / "curl").write_text("#!/bin/sh\nexit 22\n", encoding="utf-8")
    for f in stubs.iterdir():
        f.chmod(0o755)
    full_env = {"PATH": f"{stubs}:{os.environ['PATH']}", "HOME": str(cwd), "GITHUB_OUTPUT": str(cwd / "out.txt"),
                "GITHUB_STEP_SUMMARY": str(cwd / "summary.txt"), "GITHUB_REPOSITORY": "o/r", **env}
    res = subprocess.run([bash, "-eo", "pipefail", "-c", script], cwd=cwd, env=full_env, timeout=60,
                         capture_output=True, text=True)
    assert res.returncode == expect, res.stderr
    if not log.exists():
        return []
    calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    log.unlink()
    return calls


ACTION = Path(__file__).resolve().parent.parent / "action.yml"


def action_run_step(action: dict[str, Any]) -> dict[str, Any]:
    """The step of action.yml that calls ``auditor`` (``id: run``)."""
    return next(s for s in action["runs"]["steps"] if s.get("id") == "run")


def run_action(given: dict[str, Any], cwd: Path, *, exit_code: int = 0) -> list[str]:
    """Run the action's ``auditor`` step as the runner would for a ``with:``
    block: each env variable set from the ``${{ inputs.x }}`` it names (the
    given value, else the input's default); the one ``auditor`` call."""
    import re

    action = load_ci_yaml(ACTION)
    unknown = set(given) - set(action["inputs"])
    assert not unknown, f"inputs inconnus de l'action : {sorted(unknown)}"
    inputs = {name: str(given.get(name, spec.get("default", ""))) for name, spec in action["inputs"].items()}
    step = action_run_step(action)
    env = {}
    for var, expr in step["env"].items():
        m = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", expr)
        assert m, f"{var} : {expr}"
        env[var] = inputs[m.group(1)]
    (call,) = run_with_stubs(step["run"], {**env, "AUDITOR_STUB_EXIT": str(exit_code)}, cwd, expect=exit_code)
    return call
