"""The ready-to-copy CI examples of docs/ci/: valid for their CI (the schemas
check-jsonschema vendors from SchemaStore / GitLab), and every ``auditor``
command they run, executed by a real shell with a stub ``auditor``, is
accepted by our own command line."""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from auditor.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on:` as a boolean
        data["on"] = data.pop(True)
    return data


def _schema(name: str) -> dict:
    try:
        ref = importlib.resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(name)
    except ModuleNotFoundError:
        pytest.skip("check-jsonschema (schémas GitHub Actions / GitLab CI) n'est pas installé")
    return json.loads(ref.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path,schema", [(GITHUB, "github-workflows.json"), (GITLAB, "gitlab-ci.json")])
def test_example_is_valid_for_its_ci(path, schema):
    import jsonschema

    s = _schema(schema)
    cls = jsonschema.validators.validator_for(s)
    errors = sorted(cls(s).iter_errors(_load(path)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors]


def _run(script: str, env: dict[str, str], cwd: Path) -> list[list[str]]:
    """Run a CI shell snippet with stub ``auditor``, ``gh`` and ``curl``; the
    argument lists ``auditor`` was called with."""
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("bash absent")
    stubs = cwd / "stubs"
    stubs.mkdir(exist_ok=True)
    log = cwd / "calls.jsonl"
    (stubs / "auditor").write_text(
        "#!/bin/sh\nexec python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' \"$@\" >> "
        f"'{log}'\n", encoding="utf-8")
    (stubs / "gh").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (stubs / "curl").write_text("#!/bin/sh\nexit 22\n", encoding="utf-8")
    for f in stubs.iterdir():
        f.chmod(0o755)
    full_env = {"PATH": f"{stubs}:{os.environ['PATH']}", "HOME": str(cwd), "GITHUB_OUTPUT": str(cwd / "out.txt"),
                "GITHUB_STEP_SUMMARY": str(cwd / "summary.txt"), "GITHUB_REPOSITORY": "o/r", **env}
    subprocess.run([bash, "-eo", "pipefail", "-c", script], cwd=cwd, env=full_env, check=True, timeout=60)
    if not log.exists():
        return []
    calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    log.unlink()
    return calls


def _parse(argv: list[str]):
    return build_parser().parse_args(argv)


def test_github_example_commands(tmp_path):
    wf = _load(GITHUB)
    steps = {s.get("name"): s for job in wf["jobs"].values() for s in job["steps"]}
    for s in steps.values():  # no ${{ }} inside a script: untrusted values go through env (no injection)
        assert "${{" not in s.get("run", ""), s.get("name")
    scan = next(s for n, s in steps.items() if n and n.startswith("Analyser"))
    (call,) = _run(scan["run"], {"LOT": "3", "LOTS": str(wf["env"]["LOTS"])}, tmp_path)
    args = _parse(call)
    assert args.command == "scan" and args.shard == (3, 4) and str(args.output) == "lots/lot-3"
    assert wf["jobs"]["analyse"]["strategy"]["matrix"]["lot"] == list(range(1, wf["env"]["LOTS"] + 1))

    merge = steps["Réunir les lots (et contrôler une pull request)"]["run"]
    (call,) = _run(merge, {"EVENT": "push", "REFERENCE": ""}, tmp_path)
    args = _parse(call)
    assert args.command == "merge" and args.fail_on is None and args.baseline is None  # main: reports only

    (call,) = _run(merge, {"EVENT": "pull_request", "REFERENCE": "reference/baseline.json"}, tmp_path)
    args = _parse(call)
    assert args.fail_on == ["serious,repeated,already-held,no-alternative,partial"]
    assert str(args.baseline) == "reference/baseline.json"
    assert args.format == ["junit,sarif,markdown,baseline"]

    # choosing the reference: a committed .auditor/baseline.json wins; else the last main run (none here)
    choose = steps["Choisir la référence (pull request)"]["run"]
    _run(choose, {"BASE_REF": "main", "GH_TOKEN": "x"}, tmp_path)
    out = tmp_path / "out.txt"
    assert not out.exists() or "fichier=" not in out.read_text(encoding="utf-8")
    (tmp_path / ".auditor").mkdir()
    (tmp_path / ".auditor" / "baseline.json").write_text("{}", encoding="utf-8")
    _run(choose, {"BASE_REF": "main", "GH_TOKEN": "x"}, tmp_path)
    assert "fichier=.auditor/baseline.json" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_gitlab_example_commands(tmp_path):
    ci = _load(GITLAB)
    (call,) = _run("\n".join(ci["analyse"]["script"][1:]), {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"}, tmp_path)
    args = _parse(call)
    assert args.shard == (2, 4) and str(args.output) == "lots/lot-2"
    assert ci["analyse"]["parallel"] == 4

    script = "\n".join(ci["rapport"]["script"])
    (call,) = _run(script, {}, tmp_path)  # default branch: reports only
    assert _parse(call).fail_on is None
    (call,) = _run(script, {"CI_MERGE_REQUEST_IID": "7"}, tmp_path)  # MR, no reference anywhere
    args = _parse(call)
    assert args.fail_on and args.baseline is None
    (tmp_path / ".auditor").mkdir()
    (tmp_path / ".auditor" / "baseline.json").write_text("{}", encoding="utf-8")
    (call,) = _run(script, {"CI_MERGE_REQUEST_IID": "7"}, tmp_path)
    assert str(_parse(call).baseline) == ".auditor/baseline.json"
    assert ci["rapport"]["artifacts"]["reports"]["junit"] == "reports/junit.xml"
