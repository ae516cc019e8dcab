"""The command line's arguments: sub-commands, options, their French help.

Every sub-command's options (``scan``, ``report``, ``validate``, ``demo``,
``merge``, ``diff``; ``rules`` and ``catalogue`` add their own), the argparse
types that refuse a bad value before anything runs (``--shard``,
``--fail-on``, ``--format``, ``--contact``, positive numbers) and the exit
codes that ``--help`` lists.  Kept apart from what the commands do
(``auditor.cli``), which reads the configuration and runs the pipeline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3

EPILOG = """\
codes de sortie :
  0  analyse terminée
  1  un seuil de CI (--fail-on) n'est pas respecté
  2  erreur d'utilisation ou de configuration (rien n'est analysé)
  3  aucune démarche n'a pu être analysée
  130, 143  interrompu (Ctrl-C, SIGTERM) : les fiches écrites sont conservées (--resume pour reprendre)
"""


RULES_HELP = ("dossier de règles : ses fichiers remplacent ceux fournis avec auditor, les autres restent "
              "(défaut : $AUDITOR_RULES, sinon les règles fournies ; voir « auditor rules export »)")


class _VersionAction(argparse.Action):
    """``--version``: versions of auditor and axe-core and the browser found,
    computed only when asked (finding the browser starts Playwright's driver)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="afficher les versions d'auditor et d'axe-core, et le navigateur trouvé")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from .about import version_text

        print(version_text())
        parser.exit(EXIT_OK)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors, as we want
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog} : erreur : {message}\n")


def _positive(kind: type) -> Any:
    """argparse type: a number > 0 (a zero concurrency or timeout makes no sense)."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"nombre attendu : {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"doit être supérieur à 0 : {text}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="auditor",
        description="Audit des démarches en ligne : accessibilité (axe-core, RGAA), "
        "« dites-le-nous une fois », alternatives non numériques.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)

    def common_scan(sp: argparse.ArgumentParser) -> None:
        _export_options(sp)
        sp.add_argument("-o", "--output", default="reports", type=Path, help="dossier des rapports (défaut : reports)")
        sp.add_argument("--rules", type=Path, default=None, help=RULES_HELP)
        sp.add_argument("--browser", default=None, help="chemin d'un Chromium à utiliser")
        sp.add_argument("--concurrency", type=_positive(int), default=None, metavar="N",
                        help="démarches analysées en parallèle (défaut : selon le nombre de processeurs)")
        sp.add_argument("--no-cache", action="store_true",
                        help="refaire axe et les vérifications partout (sinon les pages et les démarches "
                             "inchangées depuis la dernière analyse reprennent ses résultats, gardés dans "
                             "<sortie>/.cache/)")
        sp.add_argument("--axe-timeout", type=_positive(float), default=None, metavar="S",
                        help="durée maximale d'axe sur une page, en secondes (défaut : timeout_s de la "
                             "démarche) ; au-delà, la page est signalée « à vérifier » et le parcours continue")
        sp.add_argument("--no-screenshots", action="store_true", help="ne pas enregistrer de captures d'écran")
        sp.add_argument("-q", "--quiet", action="store_true", help="n'afficher que les erreurs")
        sp.add_argument("--resume", action="store_true",
                        help="reprendre une analyse interrompue : garder les fiches déjà écrites dans le dossier "
                             "de sortie pour la même configuration (démarche, règles, options, version)")
        sp.add_argument("--contact", type=_contact_arg, default=None, metavar="COURRIEL_OU_URL",
                        help="qui joindre, ajouté au User-Agent de chaque requête (remplace defaults.contact "
                             "de demarches.yaml)")
        sp.add_argument("--block-third-party", action="store_true",
                        help="bloquer les requêtes vers d'autres origines que celles de la démarche "
                             "(elles sont listées dans la fiche)")
        sp.add_argument("--no-chrome-reuse", action="store_true",
                        help="auditer avec axe l'en-tête, la navigation et le pied de page de chaque page, au "
                             "lieu de reprendre les résultats d'une page précédente quand ils sont identiques")
        sp.add_argument("--no-keyboard", action="store_true",
                        help="ne pas parcourir les étapes au clavier (piège, éléments inatteignables, focus "
                             "invisible, ordre : RGAA 7.3, 10.7, 12.8, 12.9)")
        sp.add_argument("--no-reflow", action="store_true",
                        help="ne pas afficher les étapes à 320 px de large ni à 200 %% (RGAA 10.4, 10.11)")
        sp.add_argument("--no-text-spacing", action="store_true",
                        help="ne pas élargir l'espacement du texte (RGAA 10.12)")
        sp.add_argument("--no-form-errors", action="store_true",
                        help="ne pas envoyer les formulaires vides pour observer les messages d'erreur "
                             "(RGAA 11.10 ; rien ne quitte le navigateur) ; la lecture statique des champs "
                             "obligatoires reste faite")

    s = sub.add_parser("scan", help="analyser les démarches d'un fichier demarches.yaml", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("config", nargs="?", default="demarches.yaml", type=Path, help="liste des démarches (défaut : demarches.yaml)")
    s.add_argument("--only", nargs="+", metavar="ID", help="n'analyser que ces démarches")
    s.add_argument("--allow-file-urls", action="store_true", help="autoriser les adresses file://")
    s.add_argument("--shard", type=_shard_arg, metavar="K/N",
                   help="n'analyser que le lot K sur N (répartition fixe par identifiant, pour une matrice de CI)")
    common_scan(s)

    r = sub.add_parser("report", help="recalculer les fiches à partir de captures enregistrées (sans navigateur)")
    r.add_argument("captures", nargs="+", type=Path, help="fichiers capture.json.xz ou capture.json (ou dossiers qui en contiennent)")
    r.add_argument("-o", "--output", type=Path, default=None, help="dossier des rapports (défaut : celui de la capture)")
    r.add_argument("--rules", type=Path, default=None, help=RULES_HELP)

    v = sub.add_parser("validate", help="vérifier un demarches.yaml, un scorecard.json ou un dossier de règles")
    v.add_argument("files", nargs="+", type=Path, metavar="FICHIER_OU_DOSSIER",
                   help="demarches.yaml, scorecard.json, ou dossier de règles (fichiers, clés et valeurs vérifiés)")
    v.add_argument("--allow-file-urls", action="store_true")

    from .rules_cli import add_parser as add_rules

    add_rules(sub)

    from .catalogue.cli import add_parser as add_catalogue

    add_catalogue(sub)

    d = sub.add_parser("demo", help="servir les démarches d'exemple en local et les analyser")
    d.add_argument("--port", type=int, default=8765, help="port local (défaut : 8765)")
    d.add_argument("--serve", action="store_true", help="seulement servir le site d'exemple (Ctrl-C pour arrêter)")
    common_scan(d)

    m = sub.add_parser("merge", help="réunir des dossiers de rapports (lots --shard) et refaire index et exports",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    m.add_argument("dirs", nargs="+", type=Path, metavar="DOSSIER", help="dossiers de rapports à réunir")
    m.add_argument("-o", "--output", type=Path, default=Path("reports"), help="dossier réuni (défaut : reports)")
    _export_options(m)

    df = sub.add_parser("diff", help="comparer deux analyses (démarches, constats, indicateurs)")
    df.add_argument("old", type=Path, metavar="ANCIEN", help="dossier de rapports ou scorecards.json")
    df.add_argument("new", type=Path, metavar="NOUVEAU", help="dossier de rapports ou scorecards.json")
    df.add_argument("--json", action="store_true", help="sortie JSON au lieu du texte")
    return p


def _shard_arg(value: str) -> tuple[int, int]:
    from .run.shards import ShardError, parse_shard

    try:
        return parse_shard(value)
    except ShardError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--shard : ")) from exc


def _fail_on_arg(value: str) -> str:
    from .report.findings import GateError, parse_fail_on

    try:
        parse_fail_on([value])
    except GateError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--fail-on : ")) from exc
    return value


def _format_arg(value: str) -> str:
    from .report.exports import parse_formats
    from .report.findings import GateError

    try:
        parse_formats([value])
    except GateError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--format : ")) from exc
    return value


def _export_options(sp: argparse.ArgumentParser) -> None:
    """--format / --fail-on / --baseline (scan, demo, merge)."""
    sp.add_argument("--format", action="append", type=_format_arg, metavar="LISTE",
                    help="exports en plus de scorecards.json et observatoire.csv : junit, sarif, markdown, "
                         "baseline (plusieurs possibles, séparés par des virgules)")
    sp.add_argument("--fail-on", action="append", type=_fail_on_arg, metavar="LISTE",
                    help="code de sortie 1 si un constat atteint ce seuil : critical, serious, moderate, minor "
                         "(ou plus grave), repeated, already-held, no-alternative, no-mention, partial, "
                         "ou un niveau d'indicateur comme dlnuf=Faible (ou moins bon)")
    sp.add_argument("--baseline", type=Path, metavar="DOSSIER_OU_FICHIER",
                    help="référence (rapports, scorecards.json, baseline.json ou SARIF) : seuls les constats "
                         "nouveaux depuis elle font échouer --fail-on")


def _contact_arg(value: str) -> str:
    from .config import _check_contact

    try:
        return _check_contact(value) or ""
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
