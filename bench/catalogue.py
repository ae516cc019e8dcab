"""Benchmark: ``auditor catalogue`` on the 22,192-procedure snapshot (target: < 60 s on 2 cores).

    python bench/catalogue.py [FILE] [--workers N]

FILE defaults to ../shared/data/ds-catalogue/demarches.jsonl.gz.  Prints wall
time, CPU time of all processes, procedures per second and the result summary;
exits 1 when the wall time exceeds 60 s (a loaded machine can make it fail:
the CPU time says whether the code or the machine is to blame).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.catalogue.report import run_catalogue  # noqa: E402

DEFAULT = ROOT / ".." / "shared" / "data" / "ds-catalogue" / "demarches.jsonl.gz"
TARGET_S = 60.0


def cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not args.file.exists():
        print(f"{args.file}: introuvable", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as out:
        c0, t0 = cpu_seconds(), time.perf_counter()
        summary = run_catalogue(args.file, out, ROOT / "rules", workers=args.workers)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"procedures: {summary['procedures']}  requests: {summary['requests']}")
    print(f"wall: {wall:.1f} s  cpu (all processes): {cpu:.1f} s  workers: {args.workers}  "
          f"rate: {summary['procedures'] / wall:.0f} procedures/s  peak RSS (main): {peak_mb:.0f} MiB")
    print(f"repeated: {summary['repeated_procedures']} procedures  already held: {summary['held_procedures']} procedures")
    print("OK" if wall < TARGET_S else f"SLOWER THAN {TARGET_S:.0f} s")
    return 0 if wall < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
