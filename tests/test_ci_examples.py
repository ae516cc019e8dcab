"""The ready-to-copy CI examples of docs/ci/: valid for their CI (the schemas
check-jsonschema vendors from SchemaStore / GitLab), and every ``auditor``
command they run, executed by a real shell with a stub ``auditor``, is
accepted by our own command line.  The GitHub example goes through the
repository's action (action.yml): its ``with:`` blocks, expressions expanded,
are fed to the action's own script."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from auditor.cli import build_parser
from ci_support import load_ci_yaml, run_action, run_with_stubs, schema_errors

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"


@pytest.mark.parametrize("path,schema", [(GITHUB, "github-workflows.json"), (GITLAB, "gitlab-ci.json")])
def test_example_is_valid_for_its_ci(path, schema):
    errors = schema_errors(load_ci_yaml(path), schema)
    assert not errors, errors


def _parse(argv: list[str]):
    return build_parser().parse_args(argv)


def _expand(value: Any, ctx: dict[str, str]) -> str:
    """The ``${{ }}`` expressions the example uses: a context value, or
    ``a == 'b' && x || ''``.  Any other expression fails the test (KeyError)."""

    def one(m: re.Match[str]) -> str:
        expr = m.group(1).strip()
        cond = re.fullmatch(r"(\S+) == '([^']*)' && (\S+) \|\| ''", expr)
        if cond:
            return ctx[cond.group(3)] if ctx[cond.group(1)] == cond.group(2) else ""
        return ctx[expr]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def _with(step: dict[str, Any], ctx: dict[str, str]) -> dict[str, str]:
    return {k: _expand(v, ctx) for k, v in step.get("with", {}).items()}


def test_github_example_commands(tmp_path):
    wf = load_ci_yaml(GITHUB)
    steps = {s.get("name"): s for job in wf["jobs"].values() for s in job["steps"]}
    for s in steps.values():  # no ${{ }} inside a script: untrusted values go through env (no injection)
        assert "${{" not in s.get("run", ""), s.get("name")
    ours = [s for s in steps.values() if s.get("uses", "").endswith("/auditor@main")]
    assert len(ours) == 2
    ctx = {f"env.{k}": str(v) for k, v in wf["env"].items()}

    scan = next(s for n, s in steps.items() if n and n.startswith("Analyser"))
    args = _parse(run_action(_with(scan, {**ctx, "matrix.lot": "3"}), tmp_path))
    assert args.command == "scan" and args.shard == (3, 4) and str(args.output) == "lots/lot-3"
    assert args.format is None and args.fail_on is None
    assert wf["jobs"]["analyse"]["strategy"]["matrix"]["lot"] == list(range(1, wf["env"]["LOTS"] + 1))

    merge = steps["Réunir les lots (et contrôler une pull request)"]
    push = {**ctx, "github.event_name": "push", "steps.reference.outputs.fichier": ""}
    args = _parse(run_action(_with(merge, push), tmp_path))
    assert args.command == "merge" and [str(d) for d in args.dirs] == ["lots"] and str(args.output) == "reports"
    assert args.fail_on is None and args.baseline is None  # main: reports only
    assert args.format == ["junit,sarif,markdown,baseline"]

    pr = {**ctx, "github.event_name": "pull_request", "steps.reference.outputs.fichier": "reference/baseline.json"}
    args = _parse(run_action(_with(merge, pr), tmp_path, exit_code=1))
    assert args.fail_on == ["serious,repeated,already-held,no-alternative,partial"]
    assert str(args.baseline) == "reference/baseline.json"

    # choosing the reference: a committed .auditor/baseline.json wins; else the last main run (none here)
    choose = steps["Choisir la référence (pull request)"]["run"]
    run_with_stubs(choose, {"BASE_REF": "main", "GH_TOKEN": "x"}, tmp_path)
    out = tmp_path / "out.txt"
    assert not out.exists() or "fichier=" not in out.read_text(encoding="utf-8")
    (tmp_path / ".auditor").mkdir()
    (tmp_path / ".auditor" / "baseline.json").write_text("{}", encoding="utf-8")
    run_with_stubs(choose, {"BASE_REF": "main", "GH_TOKEN": "x"}, tmp_path)
    assert "fichier=.auditor/baseline.json" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_gitlab_example_commands(tmp_path):
    ci = load_ci_yaml(GITLAB)
    (call,) = run_with_stubs("\n".join(ci["analyse"]["script"][1:]), {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"},
                             tmp_path)
    args = _parse(call)
    assert args.shard == (2, 4) and str(args.output) == "lots/lot-2"
    assert ci["analyse"]["parallel"] == 4

    script = "\n".join(ci["rapport"]["script"])
    (call,) = run_with_stubs(script, {}, tmp_path)  # default branch: reports only
    assert _parse(call).fail_on is None
    (call,) = run_with_stubs(script, {"CI_MERGE_REQUEST_IID": "7"}, tmp_path)  # MR, no reference anywhere
    args = _parse(call)
    assert args.fail_on and args.baseline is None
    (tmp_path / ".auditor").mkdir()
    (tmp_path / ".auditor" / "baseline.json").write_text("{}", encoding="utf-8")
    (call,) = run_with_stubs(script, {"CI_MERGE_REQUEST_IID": "7"}, tmp_path)
    assert str(_parse(call).baseline) == ".auditor/baseline.json"
    assert ci["rapport"]["artifacts"]["reports"]["junit"] == "reports/junit.xml"
