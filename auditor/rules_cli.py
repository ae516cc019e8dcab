"""``auditor rules export`` and ``auditor validate DIR``: a user's rules folder.

Auditors tune the rules of an installed auditor without a checkout: they
export the shipped files, keep and edit only those they change, and check the
folder before a long scan, which would otherwise stop on its first error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """``auditor rules export DOSSIER [FICHIER …] [--force]``."""
    r = sub.add_parser("rules", help="règles fournies avec auditor : les exporter pour les modifier")
    rsub = r.add_subparsers(dest="rules_command", metavar="ACTION")
    e = rsub.add_parser(
        "export", help="écrire les règles fournies dans un dossier, pour les modifier",
        description="Écrit les fichiers de règles fournis avec auditor dans DOSSIER. Gardez-y seulement ceux "
                    "que vous modifiez : les autres sont repris des règles fournies. Ensuite : "
                    "auditor validate DOSSIER, puis auditor scan --rules DOSSIER (ou AUDITOR_RULES=DOSSIER).")
    e.add_argument("dest", type=Path, metavar="DOSSIER", help="dossier où écrire les fichiers (créé au besoin)")
    e.add_argument("names", nargs="*", metavar="FICHIER",
                   help="n'exporter que ces fichiers (walk.yaml, alternatives…) ; défaut : tous")
    e.add_argument("--force", action="store_true", help="remplacer les fichiers déjà présents")


def run(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_USAGE
    from .rules_files import RulesExportError, export_rules

    if args.rules_command != "export":
        print("usage : auditor rules export DOSSIER [FICHIER …] [--force]", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = export_rules(args.dest, args.names, force=args.force)
    except RulesExportError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"Erreur : écriture impossible dans {args.dest} ({exc.strerror or exc}).", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(path)
    print(f"{len(written)} fichier(s) de règles écrit(s) dans {args.dest}/. Gardez seulement ceux que vous "
          f"modifiez, vérifiez-les avec « auditor validate {args.dest} », puis analysez avec "
          f"« auditor scan --rules {args.dest} ».", file=sys.stderr)
    return EXIT_OK


def validate_rules_dir(folder: Path) -> int:
    """Exit code of ``auditor validate DIR``: the folder read over the shipped
    rules exactly as a scan would, so what passes here loads there."""
    from .cli import EXIT_OK, EXIT_USAGE, print_config_error
    from .config import ConfigError, load_rules

    if not any(p.suffix in (".yaml", ".yml") for p in folder.iterdir()):
        # a report folder given by mistake would otherwise pass as "no rule changed"
        print(f"Erreur : {folder} : aucun fichier de règles (.yaml) ; un dossier de règles s'obtient avec "
              f"« auditor rules export {folder} ».", file=sys.stderr)
        return EXIT_USAGE
    try:
        rules = load_rules(folder)
    except ConfigError as exc:
        return print_config_error(exc)
    changed = ", ".join(rules.overridden) if rules.overridden else "aucun, identiques aux règles fournies"
    print(f"{folder} : règles valides (fichiers modifiés : {changed})")
    return EXIT_OK
