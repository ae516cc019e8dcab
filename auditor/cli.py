"""Command line: ``auditor scan | report | validate | rules | demo | merge | diff``.

Exit codes (documented in --help and the README):
  0  scan done (whatever the findings, unless a CI gate is set)
  1  a CI gate failed (reserved for --fail-on)
  2  usage or configuration error (nothing scanned)
  3  no démarche could be scanned
  130/143  interrupted by SIGINT/SIGTERM (scorecards written so far are kept)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from .config import ConfigError, load_demarches, load_rules

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


def _probes_asked(args: argparse.Namespace) -> frozenset[str]:
    """The manual-style probes to run on step pages: all, minus those turned off."""
    from .collect.probes import NAMES, WALK_PROBES

    off = {"keyboard": args.no_keyboard, "reflow": args.no_reflow, "text_spacing": args.no_text_spacing,
           "empty_submit": args.no_form_errors}
    return frozenset(n for n in (*NAMES, *WALK_PROBES) if not off.get(n, False))


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
                        help="refaire axe sur toutes les pages (sinon les pages inchangées depuis "
                             "la dernière analyse reprennent ses résultats, gardés dans <sortie>/.cache/)")
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


def _prepare_exports(args: argparse.Namespace) -> Any:
    """The validated export options, or an exit code (2) after printing why."""
    from .report.exports import prepare_options
    from .report.findings import GateError

    try:
        return prepare_options(getattr(args, "format", None), getattr(args, "fail_on", None),
                               getattr(args, "baseline", None))
    except GateError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_USAGE


def _finish_exports(args: argparse.Namespace, out_dir: Path, cards: list[dict[str, Any]], exp: Any,
                    gate_ids: list[str] | None = None) -> bool:
    """Write the exports of ``cards`` into ``out_dir`` and report the CI gate;
    True when the gate failed."""
    from .report.exports import report_gate, write_exports

    ctx, paths = write_exports(cards, out_dir, exp, gate_ids=gate_ids)
    _say(args, "Exports : " + ", ".join(str(p) for p in paths))
    return report_gate(ctx)


def _say(args: argparse.Namespace, msg: str) -> None:
    if not getattr(args, "quiet", False):
        print(msg, file=sys.stderr, flush=True)


def print_config_error(exc: ConfigError) -> int:
    print("Erreur de configuration :", file=sys.stderr)
    for m in exc.messages:
        print(f"  {m}", file=sys.stderr)
    return EXIT_USAGE


def _contact_arg(value: str) -> str:
    from .config import _check_contact

    try:
        return _check_contact(value) or ""
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _scan(args: argparse.Namespace, config_path: Path, *, allow_file_urls: bool = False,
          rewrite: tuple[str, str] | None = None) -> int:
    from .collect.browser import BrowserNotFound
    from .pipeline import run_scan
    from .run.progress import make_progress

    try:
        crawl = load_demarches(config_path, allow_file_urls=allow_file_urls)
        rules = load_rules(args.rules)
    except ConfigError as exc:
        return print_config_error(exc)
    exp = _prepare_exports(args)
    if isinstance(exp, int):
        return exp
    demarches = crawl.effective_demarches()
    if rewrite:
        old, new = rewrite
        demarches = [
            d.model_copy(update={"url": d.url.replace(old, new), "scope": [s.replace(old, new) for s in d.scope or []]})
            for d in demarches
        ]
    if getattr(args, "contact", None):
        demarches = [d.model_copy(update={"contact": args.contact}) for d in demarches]
    only = getattr(args, "only", None)
    if only:
        unknown = sorted(set(only) - {d.id for d in demarches})
        if unknown:
            print(f"Erreur : démarche(s) inconnue(s) dans {config_path} : {', '.join(unknown)}", file=sys.stderr)
            return EXIT_USAGE
        demarches = [d for d in demarches if d.id in set(only)]
    shard = getattr(args, "shard", None)
    if shard:
        from .run.shards import select_shard

        total = len(demarches)
        demarches = select_shard(demarches, *shard)
        _say(args, f"Lot {shard[0]}/{shard[1]} : {len(demarches)} démarche(s) sur {total}")
        if not demarches:  # an empty shard is not an error: the CI matrix job succeeds with empty exports
            from .pipeline import write_index

            write_index(args.output)
            _finish_exports(args, args.output, [], exp, gate_ids=[])
            return EXIT_OK

    _say(args, f"Analyse de {len(demarches)} démarche(s) → {args.output}/")

    def skipped(card: dict[str, Any]) -> None:
        _say(args, f"  {card['id']} : déjà analysée ({card['status']}), fiche conservée (--resume)")

    kwargs: dict[str, Any] = {"browser": args.browser, "screenshots": not args.no_screenshots,
                              "base_dir": config_path.resolve().parent, "cache": not args.no_cache,
                              "axe_timeout_s": args.axe_timeout, "block_third_party": args.block_third_party,
                              "probes": _probes_asked(args), "chrome_reuse": not args.no_chrome_reuse}
    if args.concurrency:
        kwargs["concurrency"] = args.concurrency
    try:
        result = run_scan(demarches, rules, args.output, progress=make_progress(args.quiet), resume=args.resume,
                          on_skip=skipped, **kwargs)
    except BrowserNotFound as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_NOTHING
    _say(args, f"Rapports : {args.output / 'index.html'}")
    from .pipeline import load_scorecards

    gate_failed = _finish_exports(args, args.output, load_scorecards(args.output), exp,
                                  gate_ids=[c["id"] for c in result.cards if c])
    if not result.scanned:
        return EXIT_NOTHING
    return EXIT_GATE if gate_failed else EXIT_OK


def cmd_scan(args: argparse.Namespace) -> int:
    return _scan(args, args.config, allow_file_urls=args.allow_file_urls)


def _captures_in(folder: Path) -> list[Path]:
    """The captures in a report folder or a démarche folder: one per
    démarche, the compressed one (current format) before a plain one (older)."""
    found: dict[Path, Path] = {}
    for pattern in ("*/capture.json.xz", "capture.json.xz", "*/capture.json.gz", "capture.json.gz",
                    "*/capture.json", "capture.json"):
        for path in sorted(folder.glob(pattern)):
            found.setdefault(path.parent, path)
    return sorted(found.values())


def cmd_report(args: argparse.Namespace) -> int:
    from .fileio import read_json
    from .model import Capture
    from .pipeline import process_capture, write_index

    try:
        rules = load_rules(args.rules)
    except ConfigError as exc:
        return print_config_error(exc)
    paths: list[Path] = []
    for p in args.captures:
        paths.extend(_captures_in(p) if p.is_dir() else [p])
    if not paths:
        print("Erreur : aucune capture.json(.xz) trouvée.", file=sys.stderr)
        return EXIT_USAGE
    outs: set[Path] = set()
    for path in paths:
        try:
            capture = Capture.from_dict(read_json(path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"Erreur : {path} : capture illisible ({exc}).", file=sys.stderr)
            return EXIT_USAGE
        out = args.output or path.resolve().parent.parent
        process_capture(capture, rules, out, save_capture=args.output is not None)
        outs.add(out)
        print(f"  {capture.id} : fiche recalculée → {out / capture.id / 'scorecard.html'}", file=sys.stderr)
    from .report.exports import prepare_options, write_exports
    from .pipeline import load_scorecards

    for out in outs:
        write_index(out)
        write_exports(load_scorecards(out), out, prepare_options())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from .fileio import read_json
    from .schemas import validate_scorecard

    status = EXIT_OK
    for f in args.files:
        if f.is_dir():
            from .rules_cli import validate_rules_dir

            status = max(status, validate_rules_dir(f))
            continue
        if f.suffix == ".json":
            try:
                errors = validate_scorecard(read_json(f))
            except (OSError, ValueError) as exc:
                errors = [f"lecture impossible : {exc}"]
            if errors:
                status = EXIT_USAGE
                print(f"{f} : invalide", file=sys.stderr)
                for e in errors:
                    print(f"  {e}", file=sys.stderr)
            else:
                print(f"{f} : fiche conforme au schéma")
            continue
        try:
            crawl = load_demarches(f, allow_file_urls=args.allow_file_urls)
        except ConfigError as exc:
            status = print_config_error(exc)
            continue
        print(f"{f} : valide ({len(crawl.demarches)} démarche(s))")
    return status


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo.server import SITE, StaticServer

    try:
        server = StaticServer(SITE, port=args.port)
    except OSError:
        server = StaticServer(SITE, port=0)  # the usual port is taken: any free one
    with server:
        _say(args, f"Site d'exemple servi sur {server.url}")
        if args.serve:
            try:
                import time

                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return EXIT_OK
        config = Path(__file__).parent / "demo" / "demarches.yaml"
        return _scan(args, config, rewrite=("http://127.0.0.1:8765/", server.url))


def cmd_merge(args: argparse.Namespace) -> int:
    from .fileio import read_json
    from .render import html as html_render
    from .run.shards import merge_outputs

    exp = _prepare_exports(args)
    if isinstance(exp, int):
        return exp
    missing = [str(d) for d in args.dirs if not d.is_dir()]
    if missing:
        print(f"Erreur : dossier(s) introuvable(s) : {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    res = merge_outputs(args.dirs, args.output)
    for msg in res.duplicates:
        print(f"avertissement : {msg}", file=sys.stderr)
    for path in res.unreadable:
        print(f"avertissement : fiche illisible ignorée : {path}", file=sys.stderr)
    if not res.ids:
        print("Erreur : aucune fiche (<id>/scorecard.json) dans " + ", ".join(map(str, args.dirs)), file=sys.stderr)
        return EXIT_NOTHING
    cards = [read_json(args.output / did / "scorecard.json") for did in res.ids]
    html_render.write_index(cards, args.output)
    print(f"{len(cards)} démarche(s) réunie(s) dans {args.output}/", file=sys.stderr)
    return EXIT_GATE if _finish_exports(args, args.output, cards, exp) else EXIT_OK


def _load_cards(path: Path) -> list[dict[str, Any]]:
    from .fileio import read_json
    from .pipeline import load_scorecards

    if path.is_dir():
        cards = load_scorecards(path)
        if not cards and (path / "scorecards.json").is_file():
            return _load_cards(path / "scorecards.json")
        return cards
    data = read_json(path)
    if isinstance(data, dict) and isinstance(data.get("scorecards"), list):
        return data["scorecards"]
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "id" in data:
        return [data]
    raise ValueError("ni un dossier de rapports, ni scorecards.json, ni une fiche")


def cmd_diff(args: argparse.Namespace) -> int:
    import json

    from .report.history import diff_reports, format_diff

    try:
        old, new = _load_cards(args.old), _load_cards(args.new)
    except (OSError, ValueError) as exc:
        print(f"Erreur : lecture impossible : {exc}", file=sys.stderr)
        return EXIT_USAGE
    diff = diff_reports(old, new)
    if args.json:
        print(json.dumps(diff, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(format_diff(diff, str(args.old), str(args.new)))
    return EXIT_OK


def cmd_catalogue(args: argparse.Namespace) -> int:
    from .catalogue.cli import run

    return run(args)


def cmd_rules(args: argparse.Namespace) -> int:
    from .rules_cli import run

    return run(args)


COMMANDS = {"scan": cmd_scan, "report": cmd_report, "validate": cmd_validate, "rules": cmd_rules, "demo": cmd_demo,
            "catalogue": cmd_catalogue, "merge": cmd_merge, "diff": cmd_diff}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    from .pipeline import ScanInterrupted

    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except ScanInterrupted as exc:
        print(INTERRUPTED, file=sys.stderr)
        return 128 + exc.signum


INTERRUPTED = ("Interrompu : les fiches déjà écrites sont conservées ; "
               "relancez avec --resume pour reprendre là où l'analyse s'est arrêtée.")
