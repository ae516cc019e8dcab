"""``auditor catalogue FILE [-o reports/catalogue]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from ..config import ConfigError


def add_parser(sub: Any, parser_class: Any = argparse.ArgumentParser) -> argparse.ArgumentParser:
    c = sub.add_parser(
        "catalogue",
        help="« dites-le-nous une fois » sur tout le catalogue démarches-simplifiées (descriptifs des démarches publiées)",
    )
    c.add_argument("file", type=Path, help="descriptifs : JSON lines (.jsonl ou .jsonl.gz) ou JSON du jeu de données officiel")
    c.add_argument("-o", "--output", type=Path, default=Path("reports/catalogue"),
                   help="dossier de sortie (défaut : reports/catalogue)")
    c.add_argument("--rules", type=Path, default=None, help="dossier des règles (défaut : rules/)")
    c.add_argument("--workers", type=int, default=None, help="processus d'analyse (défaut : un par cœur)")
    c.add_argument("-q", "--quiet", action="store_true", help="n'afficher que les erreurs")
    return c


def run(args: argparse.Namespace) -> int:
    from .report import run_catalogue

    if not args.file.is_file():
        print(f"{args.file}: fichier introuvable.", file=sys.stderr)
        return 2
    try:
        summary = run_catalogue(args.file, args.output, args.rules, args.workers)
    except ConfigError as exc:
        print("\n".join(exc.messages), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"{summary['procedures']} démarches, {summary['requests']} demandes de pièces analysées "
              f"en {summary['seconds']} s ; {summary['repeated_procedures']} démarches demandent deux fois "
              f"la même pièce, {summary['held_procedures']} une pièce disponible par API.")
        print(f"Résultats : {args.output / 'index.html'}, {args.output / 'findings.jsonl'}, {args.output / 'documents.csv'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="auditor")
    sub = p.add_subparsers(dest="command")
    add_parser(sub)
    args = p.parse_args(["catalogue", *(argv or [])])
    return run(args)
