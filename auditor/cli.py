"""Command line: ``auditor scan | report | validate | rules | demo | merge | diff``.

Exit codes (documented in --help and the README):
  0  scan done (whatever the findings, unless a CI gate is set)
  1  a CI gate failed (reserved for --fail-on)
  2  usage or configuration error (nothing scanned)
  3  no démarche could be scanned
  130/143  interrupted by SIGINT/SIGTERM (scorecards written so far are kept)

The arguments, their help and the exit codes are in ``auditor.cli_parser``;
this module runs the sub-commands.  The exit codes and ``build_parser`` are still
importable from here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from .cli_parser import (  # noqa: F401  (re-exported: rules_cli names the exit codes from here)
    EPILOG,
    EXIT_GATE,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    RULES_HELP,
    build_parser,
)
from .config import ConfigError, load_demarches, load_rules


def _probes_asked(args: argparse.Namespace) -> frozenset[str]:
    """The manual-style probes to run on step pages: all, minus those turned off."""
    from .collect.probes import NAMES, WALK_PROBES

    off = {"keyboard": args.no_keyboard, "reflow": args.no_reflow, "text_spacing": args.no_text_spacing,
           "empty_submit": args.no_form_errors}
    return frozenset(n for n in (*NAMES, *WALK_PROBES) if not off.get(n, False))


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
