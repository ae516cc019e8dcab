"""Every file the package writes goes through auditor/fileio.py (temporary
file, then rename): an interruption never leaves a half-written report.

A static check over the package's source, so that a new writer cannot slip
in a plain ``Path.write_text`` or ``open(..., "w")``."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from auditor.fileio import atomic_open, copy_file, read_json, write_json

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"
WRITE_METHODS = {"write_text", "write_bytes"}
COPIERS = {"copy", "copy2", "copyfile", "copytree", "move"}


def _mode(call: ast.Call, position: int) -> str:
    for kw in call.keywords:
        if kw.arg == "mode" and isinstance(kw.value, ast.Constant):
            return str(kw.value.value)
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        return str(call.args[position].value)
    return "r"


def non_atomic_writes(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        where = f"ligne {node.lineno}"
        if isinstance(f, ast.Attribute) and f.attr in WRITE_METHODS:
            found.append(f"{where} : .{f.attr}() (Path) au lieu de fileio.{f.attr}()")
        elif isinstance(f, ast.Name) and f.id == "open" and any(c in _mode(node, 1) for c in "wax+"):
            found.append(f"{where} : open(…, {_mode(node, 1)!r})")
        elif isinstance(f, ast.Attribute) and f.attr == "open" and any(c in _mode(node, 0 if not isinstance(
                f.value, ast.Name) or f.value.id not in ("gzip", "io", "os") else 1) for c in "wax+"):
            found.append(f"{where} : .open(…) en écriture")
        elif isinstance(f, ast.Attribute) and f.attr == "dump" and isinstance(f.value, ast.Name) and \
                f.value.id in ("json", "pickle", "yaml"):
            found.append(f"{where} : {f.value.id}.dump() dans un fichier")
        elif isinstance(f, ast.Attribute) and f.attr in COPIERS and isinstance(f.value, ast.Name) and \
                f.value.id == "shutil" and not any(kw.arg == "copy_function" for kw in node.keywords):
            found.append(f"{where} : shutil.{f.attr}() (copie non atomique ; copy_function=fileio.copy_file)")
        elif isinstance(f, ast.Attribute) and f.attr == "screenshot" and any(kw.arg == "path" for kw in node.keywords):
            found.append(f"{where} : screenshot(path=…) écrit directement le fichier")
    return found


def test_the_checker_finds_non_atomic_writes():
    bad = textwrap.dedent("""
        from pathlib import Path
        import json, shutil
        Path("a").write_text("x")
        open("b", "w").write("x")
        open("b", mode="ab")
        Path("c").open("w")
        json.dump({}, fh)
        shutil.copytree("a", "b")
        page.screenshot(path="x.png")
    """)
    assert len(non_atomic_writes(bad)) == 7
    ok = textwrap.dedent("""
        from auditor.fileio import write_text
        write_text(p, "x")
        open("b", "rb")
        Path("c").open(encoding="utf-8")
        json.dumps({})
        shutil.copytree("a", "b", copy_function=copy_file)
    """)
    assert non_atomic_writes(ok) == []


def test_every_writer_of_the_package_is_atomic():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "fileio.py" and path.parent == PACKAGE:
            continue
        for p in non_atomic_writes(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(PACKAGE.parent)} {p}")
    assert problems == [], "\n".join(problems)


def test_atomic_open_and_copy(tmp_path):
    target = tmp_path / "out" / "findings.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert not target.exists() and not list(target.parent.iterdir())
    with atomic_open(target) as fh:
        fh.write("whole\n")
    assert target.read_text() == "whole\n"
    copy_file(target, tmp_path / "copy" / "f.jsonl")
    assert (tmp_path / "copy" / "f.jsonl").read_text() == "whole\n"


def test_a_write_killed_midway_leaves_the_old_file(tmp_path):
    """SIGKILL a process while it rewrites a large JSON: the file on disk is
    the old version or the new one, never a mix."""
    path = tmp_path / "scorecard.json"
    write_json(path, {"version": "ancienne"})
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(PACKAGE.parent)!r})
        from pathlib import Path
        from auditor.fileio import write_json
        print("go", flush=True)
        while True:
            write_json(Path({str(path)!r}), {{"version": "nouvelle", "data": "x" * 20_000_000}})
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "go"
    import time

    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    data = read_json(path)
    assert data["version"] in ("ancienne", "nouvelle")
