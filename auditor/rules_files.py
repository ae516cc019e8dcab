"""Which rules files a run reads: the set shipped with auditor, and a user's folder over it.

An installed auditor must work from any folder, so its rules travel inside the
package: the wheel maps the repository's ``rules/`` onto ``auditor/_rules``
(``package_dir`` in setup.py), while a checkout or an editable install
reads ``rules/`` itself, the one copy kept in git.

A user tunes a few files without copying the rest: a folder given with
``--rules`` or ``AUDITOR_RULES`` replaces only the files it holds, and the
scorecard names those that differ from the shipped ones.  A YAML file of that
folder whose name matches no shipped file is reported, since a misspelt name
would otherwise leave the user's change silently unused.

This module only handles files; reading YAML stays in ``config.py``.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .fileio import write_bytes

RULES_SUFFIX = ".yaml"
ENV_VAR = "AUDITOR_RULES"


def bundled_rules_dir() -> Path:
    """The rules shipped with this auditor: ``auditor/_rules`` in an installed
    wheel, else the ``rules/`` folder of the checkout the package runs from."""
    here = Path(__file__).resolve().parent
    installed = here / "_rules"
    return installed if installed.is_dir() else here.parent / "rules"


def bundled_names() -> list[str]:
    """File names of the shipped rules (``walk.yaml``…), sorted."""
    folder = bundled_rules_dir()
    return sorted(p.name for p in folder.glob(f"*{RULES_SUFFIX}")) if folder.is_dir() else []


def env_rules_dir() -> Path | None:
    """The folder named by ``AUDITOR_RULES``, when set and not empty."""
    value = os.environ.get(ENV_VAR)
    return Path(value) if value else None


@dataclass
class RulesFiles:
    """The file to read for each rules name (``walk`` → its path), the names
    of the user's files that differ from the shipped ones, and the French
    messages about files of the user's folder that are not rules files."""

    files: dict[str, Path] = field(default_factory=dict)
    overridden: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def resolve_rules_files(override: Path | None) -> RulesFiles:
    """Shipped files, each replaced by the user's file of the same name in
    ``override`` (a folder that exists) when there is one."""
    bundled = bundled_rules_dir()
    names = bundled_names()
    out = RulesFiles()
    if not names:
        out.problems.append(f"{bundled}: règles fournies avec auditor introuvables (installation incomplète ; "
                            "réinstallez auditor ou indiquez un dossier complet avec --rules).")
    for name in names:
        out.files[Path(name).stem] = bundled / name
    if override is None:
        return out
    for path in sorted(override.iterdir()):
        if path.suffix not in (RULES_SUFFIX, ".yml") or not path.is_file():
            continue
        if path.name not in names:
            out.problems.append(_unknown_file_message(path, names))
            continue
        shipped = bundled / path.name
        out.files[path.stem] = path
        if path.resolve() != shipped.resolve() and path.read_bytes() != shipped.read_bytes():
            out.overridden.append(path.name)
    return out


def _unknown_file_message(path: Path, names: list[str]) -> str:
    """Why ``path`` is not read, with the closest shipped name when it looks misspelt."""
    guess = difflib.get_close_matches(path.stem + RULES_SUFFIX, names, n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
    return (f"{path}: fichier de règles inconnu, il ne serait pas lu{hint} "
            f"(fichiers possibles : {', '.join(names)}).")


class RulesExportError(Exception):
    """``auditor rules export`` cannot write: the message is a French sentence."""


def export_rules(dest: Path, names: list[str] | None = None, *, force: bool = False) -> list[Path]:
    """Copy the shipped rules files (all, or those ``names``, with or without
    ``.yaml``) into ``dest`` for a user to edit; the paths written.  Existing
    files are kept unless ``force``: an export must not wipe earlier edits."""
    shipped = bundled_names()
    wanted = [n if n.endswith(RULES_SUFFIX) else n + RULES_SUFFIX for n in names or shipped]
    unknown = [n for n in wanted if n not in shipped]
    if unknown:
        raise RulesExportError(f"fichier(s) de règles inconnu(s) : {', '.join(unknown)} "
                               f"(fichiers possibles : {', '.join(shipped)}).")
    if dest.exists() and not dest.is_dir():
        raise RulesExportError(f"{dest} existe et n'est pas un dossier.")
    existing = [n for n in wanted if (dest / n).exists()]
    if existing and not force:
        raise RulesExportError(f"{dest} contient déjà {', '.join(existing)} : rien n'est écrit "
                               "(--force pour les remplacer).")
    dest.mkdir(parents=True, exist_ok=True)
    source = bundled_rules_dir()
    written = []
    for name in wanted:
        # the bytes only: an installed copy may be read-only, the user's must be editable
        write_bytes(dest / name, (source / name).read_bytes())
        written.append(dest / name)
    return written
