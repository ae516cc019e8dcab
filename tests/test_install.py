"""auditor installed as a user installs it, run from a folder that is not the checkout.

Every other test imports auditor from the checkout (editable install), where
``rules/`` sits next to the package: they cannot see a wheel that forgets the
rules, which is how ``pip install`` once gave an ``auditor demo`` that stopped
on « dossier de règles introuvable ».  Here:

1. the sources a build reads (pyproject.toml, setup.py, README.md, auditor/,
   rules/) are copied out of the checkout, so the build writes nothing into it;
2. an sdist is built, then the wheel from that sdist (what ``python -m build``
   does), with the build requirements of pyproject.toml in their own venv;
3. the wheel goes into a fresh venv outside the checkout (no system
   site-packages, nothing of the project's .venv), and the commands run from a
   temporary folder with ``AUDITOR_RULES`` unset.

Speed (2-core CI, the whole suite under 10 minutes): the venvs are made
``--without-pip`` and the running pip installs into them (``pip --python``),
which saves ensurepip's 2 s per venv; dependencies are pinned to the versions of
the environment running the tests, so pip takes them from its cache and the
installed Playwright looks for the same browser build as the project's.  On a
2-core machine, build and install take 9 s idle, 20 s under load (Playwright's
wheel is most of it), ``demo`` 4 to 6 s.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "auditor", "rules")
SAMPLE = """\
demarches:
  - id: exemple
    name: "Démarche d'exemple"
    url: "https://example.gouv.fr/demarche/"
"""


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _ok(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    res = _run(cmd, cwd, env)
    assert res.returncode == 0, f"{cmd}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res.stdout


def _venv(path: Path) -> Path:
    """A fresh venv without pip (the running pip installs into it); its python."""
    _ok([sys.executable, "-m", "venv", "--without-pip", path], path.parent)
    return path / "bin" / "python"


def _pip_install(python: Path, args: list[str | Path], cwd: Path) -> None:
    _ok([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--disable-pip-version-check",
         *args], cwd)


def _pins(path: Path) -> Path:
    """Constraints: every distribution of the running environment at its version."""
    lines = sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
                    if d.metadata["Name"] and d.metadata["Name"].lower() != "auditor"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(work: Path) -> tuple[Path, Path]:
    """(sdist, wheel built from that sdist), from a copy of the build inputs
    in ``work/src``."""
    src = work / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        if not (ROOT / name).exists():  # setup.py is optional to a setuptools build
            continue
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    builder = _venv(work / "build-venv")
    _pip_install(builder, requires, work)
    dist = work / "dist"
    hooks = "import setuptools.build_meta as b, sys; print(getattr(b, sys.argv[1])(sys.argv[2]))"
    sdist = dist / _ok([builder, "-c", hooks, "build_sdist", dist], src).strip().splitlines()[-1]
    with tarfile.open(sdist) as tar:
        tar.extractall(work / "unpacked", filter="data")
    wheel = dist / _ok([builder, "-c", hooks, "build_wheel", dist], work / "unpacked" / sdist.name[:-7]
                       ).strip().splitlines()[-1]
    return sdist, wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("install")
    assert not work.resolve().is_relative_to(ROOT), "the venv must be outside the checkout"
    sdist, wheel = _build(work)
    python = _venv(work / "venv")
    _pip_install(python, ["-c", _pins(work / "pins.txt"), wheel], work)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return {"sdist": sdist, "wheel": wheel, "bin": python.parent, "cwd": elsewhere, "src": work / "src"}


def _user_env(bin_dir: Path) -> dict[str, str]:
    """The environment of a user who only installed auditor: its venv first on
    PATH, no rules folder named, nothing pointing into the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("AUDITOR_RULES", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def _auditor(installed: dict[str, Path], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return _run([installed["bin"] / "auditor", *args], installed["cwd"], _user_env(installed["bin"]))


def test_sdist_and_wheel_carry_the_rules(installed):
    shipped = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    with tarfile.open(installed["sdist"]) as tar:
        in_sdist = sorted(Path(n).name for n in tar.getnames() if Path(n).parent.name == "rules")
    with zipfile.ZipFile(installed["wheel"]) as whl:
        in_wheel = sorted(Path(n).name for n in whl.namelist() if n.startswith("auditor/_rules/"))
    assert in_sdist == shipped and in_wheel == shipped
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "auditor").rglob("*.py")}
    assert modules <= set(whl.namelist()), sorted(modules - set(whl.namelist()))


def test_the_installed_package_is_not_the_checkout(installed):
    where = _ok([installed["bin"] / "python", "-c", "import auditor; print(auditor.__file__)"], installed["cwd"],
                _user_env(installed["bin"])).strip()
    assert not Path(where).resolve().is_relative_to(ROOT), where


def test_version_names_axe_and_the_browser(installed):
    res = _auditor(installed, "--version")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("auditor ") and lines[1].startswith("axe-core ")
    assert lines[1].split()[1][0].isdigit() and lines[2].startswith("navigateur : ")


def test_validate_a_crawl_list_and_a_rules_folder(installed):
    cwd = installed["cwd"]
    (cwd / "demarches.yaml").write_text(SAMPLE, encoding="utf-8")
    res = _auditor(installed, "validate", "demarches.yaml")
    assert res.returncode == 0 and "valide (1 démarche(s))" in res.stdout, res.stderr

    assert _auditor(installed, "rules", "export", "mes-regles", "auth.yaml").returncode == 0
    res = _auditor(installed, "validate", "mes-regles")
    assert res.returncode == 0 and "règles valides" in res.stdout, res.stderr
    with (cwd / "mes-regles" / "auth.yaml").open("a", encoding="utf-8") as f:
        f.write("inconnue: 1\n")
    res = _auditor(installed, "validate", "mes-regles")
    assert res.returncode == 2 and "auth.yaml:" in res.stderr and "« inconnue »" in res.stderr


@pytest.mark.browser
def test_demo_runs_from_any_folder_with_the_shipped_rules(installed):
    from auditor.config import load_rules

    res = _auditor(installed, "demo", "-o", "rapports", "-q", "--no-screenshots")
    assert res.returncode == 0, res.stderr[-3000:]
    out = installed["cwd"] / "rapports"
    assert (out / "index.html").is_file()
    cards = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*/scorecard.json"))]
    built_from = load_rules(installed["src"] / "rules").digest  # the rules as copied for the build
    assert cards and all(c["tool"]["rules"] == built_from for c in cards)
    assert not any("rules_overridden" in c["tool"] for c in cards)

