"""Benchmark: the probes beyond axe on the State design system's own example pages.

    python bench/probes.py                       # the 26 full pages of example/layout/page (≈ 3 min on 2 cores)
    python bench/probes.py --pages component --limit 40
    python bench/probes.py --show                # every issue, with its selector, to read against the page
    python bench/probes.py --dump facts.json     # every probe's facts per page (without their cost), to
                                                 # compare two versions of a probe: same facts, same findings

Why: the DSFR (npm ``@gouvfr/dsfr``) is an audited design system; its example
pages are what a correct démarche looks like.  A probe that reports a
keyboard trap or a reflow failure there is wrong until a reading of the page
confirms it: this bench counts what each probe reports on them, per rule, and
what the probes cost (milliseconds per page, and the time of ``audit_page``
with the probes against without them, same pages, same browser: wall clock
and processor time of the whole process tree — Python, Playwright's driver,
Chromium —, which moves little with the load of the machine).

The package is downloaded once from the npm registry into
``$AUDITOR_BENCH_CACHE`` (default ``~/.cache/auditor-bench``); nothing of it is
committed.  Pages are served on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sys
import tarfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.checks import load_all  # noqa: E402
from auditor.checks._probe_issues import JUDGES  # noqa: E402
from auditor.collect.browser import launch  # noqa: E402
from auditor.collect.page_audit import AuditOptions, audit_page  # noqa: E402
from auditor.collect.probes import NAMES  # noqa: E402
from auditor.demo.server import StaticServer  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import proctree  # noqa: E402

REGISTRY = "https://registry.npmjs.org/@gouvfr/dsfr/latest"


def cache_dir() -> Path:
    return Path(os.environ.get("AUDITOR_BENCH_CACHE") or Path.home() / ".cache" / "auditor-bench")


def fetch_dsfr() -> Path:
    """The unpacked package (``example/`` and ``dist/``), downloaded on first use."""
    with urllib.request.urlopen(REGISTRY, timeout=60) as r:
        meta = json.load(r)
    target = cache_dir() / f"dsfr-{meta['version']}"
    if (target / "example").is_dir():
        return target
    with urllib.request.urlopen(meta["dist"]["tarball"], timeout=300) as r:
        data = r.read()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith(("package/example/", "package/dist/")) and (m.isfile() or m.isdir())]
        for m in members:
            m.name = m.name[len("package/"):]
        target.mkdir(parents=True, exist_ok=True)
        tar.extractall(target, members=members, filter="data")
    return target


def _cpu() -> float:
    """Processor seconds of this process and every process under it (Playwright's driver, Chromium)."""
    return proctree.cpu_seconds(proctree.tree(os.getpid()))


def pages(root: Path, which: str, limit: int | None) -> list[str]:
    base = root / "example"
    sub = {"page": "layout/page", "component": "component", "all": ""}[which]
    found = sorted(str(p.relative_to(root)) for p in (base / sub).rglob("*.html"))
    return found[:limit] if limit else found


async def run(root: Path, names: list[str], probes: frozenset[str], show: bool, dump: Path | None = None) -> int:
    load_all()
    counts: Counter[str] = Counter()
    cost: dict[str, list[int]] = {n: [] for n in probes}
    t_with = t_without = cpu_with = cpu_without = 0.0
    errors = 0
    facts: dict[str, dict[str, Any]] = {}
    from playwright.async_api import async_playwright

    with StaticServer(root) as srv:
        async with async_playwright() as pw:
            browser = await launch(pw)
            ctx = await browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
            page = await ctx.new_page()
            for name in names:
                url = f"{srv.url}{name}"
                await page.goto(url, wait_until="load")
                await audit_page(page, index=1, kind="step", timeout_s=60)  # warm-up: axe installed, caches hot
                c0, t0 = _cpu(), time.perf_counter()
                await audit_page(page, index=1, kind="step", timeout_s=60)
                c1, t1 = _cpu(), time.perf_counter()
                cap = await audit_page(page, index=1, kind="step", timeout_s=60, options=AuditOptions(probes=probes))
                c2, t2 = _cpu(), time.perf_counter()
                t_without += t1 - t0
                t_with += t2 - t1
                cpu_without += c1 - c0
                cpu_with += c2 - c1
                for probe, res in cap.probes.items():
                    cost.setdefault(probe, []).append(int(res.get("ms") or 0))
                    facts.setdefault(name, {})[probe] = {k: v for k, v in res.items() if k != "ms"}
                    if res.get("error"):
                        errors += 1
                        print(f"  {name} : {probe} : {res['error']}")
                        continue
                    judge = JUDGES.get(probe)
                    for issue in (judge(cap, None) if judge else []):
                        counts[f"{issue.rule} ({issue.status})"] += 1
                        if show:
                            print(f"  {name} : {issue.rule} {issue.status} {issue.selector} — {issue.message}")
            await browser.close()
    if dump:
        dump.write_text(json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"\n{len(names)} pages DSFR ({root.name}), sondes : {', '.join(sorted(probes))}")
    for probe, ms in sorted(cost.items()):
        if ms:
            print(f"  {probe:13} {sum(ms) / len(ms):7.0f} ms par page en moyenne, {max(ms)} ms au plus")
    print(f"  audit_page sans sondes : {t_without / len(names) * 1000:7.0f} ms par page, "
          f"processeur {cpu_without / len(names) * 1000:5.0f} ms")
    print(f"  audit_page avec sondes : {t_with / len(names) * 1000:7.0f} ms par page "
          f"(× {t_with / t_without:.2f}), processeur {cpu_with / len(names) * 1000:5.0f} ms "
          f"(+ {(cpu_with - cpu_without) / len(names) * 1000:.0f} ms)" if t_without else "")
    print(f"  sondes en échec : {errors}")
    print("  constats :" if counts else "  constats : aucun")
    for rule, n in sorted(counts.items()):
        print(f"    {rule:45} {n}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", choices=("page", "component", "all"), default="page")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--probes", nargs="*", default=list(NAMES), choices=list(NAMES))
    ap.add_argument("--show", action="store_true", help="print every issue with its selector")
    ap.add_argument("--dump", type=Path, default=None, help="write every probe's facts per page to this JSON file")
    args = ap.parse_args()
    try:
        root = fetch_dsfr()
    except OSError as exc:
        print(f"paquet @gouvfr/dsfr indisponible : {exc}", file=sys.stderr)
        return 2
    names = pages(root, args.pages, args.limit)
    return asyncio.run(run(root, names, frozenset(args.probes), args.show, args.dump))


if __name__ == "__main__":
    raise SystemExit(main())
