"""Soak test: hundreds of démarches on a misbehaving local site, in one run.

    python bench/soak.py                 # 300 démarches (about a third healthy)
    python bench/soak.py --demarches 60  # a quicker round

Serves ``auditor/demo/faults.py`` on 127.0.0.1 (every fault kind: HTTP
errors, pages that never load, endless JavaScript loops, renderer crashes,
redirect loops, downloads, dialogs, popups, self-navigation, a 30 MB page,
a DOM flood, a démarche over its time budget) mixed with healthy démarches,
scans them all with the real pipeline, and checks:

- the run finishes;
- every démarche has a valid scorecard with the status its fault calls for
  (``Fault.accepts``), healthy ones ``complete``;
- memory stays flat: the PSS (proportional set size: shared pages counted
  once) of the whole process tree — Python, the Playwright driver and every
  Chromium process — sampled every second, is no higher at the end of the
  run than after its first tenth, within 30 %.

Prints the figures (for the README's « Fiabilité » section) and exits 1 when
a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.config import CrawlList, load_rules  # noqa: E402
from auditor.demo.faults import KINDS, FaultServer, crash_hook  # noqa: E402
from auditor.pipeline import ScanInterrupted, run_scan  # noqa: E402
from auditor.schemas import validate_scorecard  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- process tree memory


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("utf-8", "replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree[ppid].append(int(entry))
    return tree


def tree_memory(root: int) -> tuple[int, int, int]:
    """(RSS sum, PSS sum, process count) of ``root`` and all its descendants, in bytes."""
    tree = _children()
    todo, pids = [root], []
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(tree.get(pid, []))
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                rss += int(fh.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return rss, pss, len(pids)


class Sampler(threading.Thread):
    """Samples the memory of this process tree every ``period`` seconds,
    with the number of démarches done at that time."""

    def __init__(self, period: float = 1.0):
        super().__init__(daemon=True)
        self.period = period
        self.done = 0
        self.samples: list[tuple[float, int, int, int, int]] = []  # (t, done, rss, pss, procs)
        self._stop_event = threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss, pss, n = tree_memory(os.getpid())
            self.samples.append((time.monotonic() - self.t0, self.done, rss, pss, n))
            self._stop_event.wait(self.period)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# ------------------------------------------------------------------------------ run


def mix(n: int) -> list[tuple[str, int]]:
    """``n`` démarches: each block of 30 has 10 healthy ones and one of each of the 20 faults."""
    faults = [k for k in KINDS if k != "ok"]
    block = ["ok"] * 10 + faults
    out = []
    for i in range(n):
        out.append((block[i % len(block)], i))
    return out


def mib(b: float) -> str:
    return f"{b / 2**20:.0f} Mio"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--demarches", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="timeout_s of the démarches (default 10; faults noticed by a timeout use 4, see faults.SHORT)")
    ap.add_argument("--screenshots", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="report folder (default: a temporary one)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix="auditor-soak-"))
    rules = load_rules(ROOT / "rules")
    plan = mix(args.demarches)
    sampler = Sampler()
    with FaultServer() as srv:
        entries = [srv.demarche(kind, i) for kind, i in plan]
        crawl = CrawlList.model_validate({"defaults": {"timeout_s": args.timeout, "max_pages": 8},
                                          "demarches": entries})
        demarches = crawl.effective_demarches()
        kind_of = {d.id: kind for d, (kind, _) in zip(demarches, plan)}

        def done(card: dict[str, Any]) -> None:
            sampler.done += 1
            if sampler.done % 25 == 0:
                rss, pss, n = tree_memory(os.getpid())
                print(f"  {sampler.done:4d}/{len(demarches)} démarches — {time.monotonic() - sampler.t0:6.0f} s — "
                      f"PSS {mib(pss)} ({n} processus)", flush=True)

        print(f"Soak : {len(demarches)} démarches sur {srv.url} (concurrence {args.concurrency}, "
              f"timeout_s {args.timeout}) → {out}", flush=True)
        sampler.start()
        t0 = time.monotonic()
        try:
            result = run_scan(demarches, rules, out, on_done=done, screenshots=args.screenshots,
                              concurrency=args.concurrency, context_hook=crash_hook)
        except (ScanInterrupted, KeyboardInterrupt):
            sampler.stop()
            print(f"Interrompu après {sampler.done} démarches ; fiches écrites dans {out}", file=sys.stderr)
            return 130
        elapsed = time.monotonic() - t0
        sampler.stop()

    # ---------------------------------------------------------------- statuses
    problems: list[str] = []
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    pages = 0
    for d in demarches:
        path = out / d.id / "scorecard.json"
        try:
            card = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{d.id} : pas de fiche lisible ({exc})")
            continue
        errs = validate_scorecard(card)
        if errs:
            problems.append(f"{d.id} : fiche invalide ({errs[0]})")
        kind = kind_of[d.id]
        stages = {e["stage"] for e in card["errors"]}
        ok = KINDS[kind].accepts(card["status"], stages)
        by_kind[kind]["ok" if ok else "ko"] += 1
        by_kind[kind][card["status"]] += 1
        pages += len(card["pages"])
        if not ok:
            problems.append(f"{d.id} ({kind}) : statut {card['status']}, étapes d'erreur {sorted(stages)} "
                            f"— attendu {KINDS[kind].status} / {KINDS[kind].stage} — {card.get('status_reason')}")

    # ------------------------------------------------------------------ memory
    samples = sampler.samples
    n = len(demarches)
    early = [s[3] for s in samples if n * 0.1 <= s[1] <= n * 0.2] or [s[3] for s in samples[: max(1, len(samples) // 5)]]
    late = [s[3] for s in samples if s[1] >= n * 0.9] or [s[3] for s in samples[-max(1, len(samples) // 5):]]
    peak_pss = max(s[3] for s in samples)
    peak_rss = max(s[2] for s in samples)
    early_med, late_med = statistics.median(early), statistics.median(late)
    growth = late_med / early_med if early_med else 0.0
    flat = growth <= 1.3
    if not flat:
        problems.append(f"mémoire en hausse : médiane {mib(early_med)} → {mib(late_med)} (×{growth:.2f})")

    figures = {
        "demarches": n, "pages": pages, "concurrency": args.concurrency, "timeout_s": args.timeout,
        "elapsed_s": round(elapsed, 1), "demarches_per_min": round(n / elapsed * 60, 1),
        "all_scorecards": sum(1 for d in demarches if (out / d.id / "scorecard.json").exists()) == n,
        "status_as_expected": sum(c["ok"] for c in by_kind.values()),
        "pss_early_mib": round(early_med / 2**20), "pss_late_mib": round(late_med / 2**20),
        "pss_peak_mib": round(peak_pss / 2**20), "rss_sum_peak_mib": round(peak_rss / 2**20),
        "growth": round(growth, 2), "cpus": os.cpu_count(),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
    }
    print()
    print(f"Durée : {elapsed:.0f} s ({figures['demarches_per_min']} démarches/min, {pages} pages auditées), "
          f"{os.cpu_count()} cœurs")
    print(f"Fiches : {sum(1 for d in demarches if (out / d.id / 'scorecard.json').exists())}/{n}, "
          f"statut attendu : {figures['status_as_expected']}/{n}")
    print(f"Mémoire (PSS de l'arbre de processus) : {mib(early_med)} après 10–20 % des démarches, "
          f"{mib(late_med)} après 90 % (×{growth:.2f}), pic {mib(peak_pss)} "
          f"(somme des RSS au pic : {mib(peak_rss)})")
    print("Par type :")
    for kind, c in sorted(by_kind.items()):
        statuses = ", ".join(f"{s} {c[s]}" for s in ("complete", "partial", "failed") if c[s])
        print(f"  {kind:12s} {c['ok']:3d}/{c['ok'] + c['ko']:<3d} attendus ({statuses})")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if problems:
        print("\nProblèmes :")
        for p in problems[:50]:
            print(f"  - {p}")
        return 1
    print("\nSoak réussi : toutes les fiches, tous les statuts attendus, mémoire stable.")
    return 0 if result is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
