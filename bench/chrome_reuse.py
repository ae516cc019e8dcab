"""Benchmark and proof: axe with the site's shared chrome reused, against axe on the whole page.

    python bench/chrome_reuse.py                # DSFR example pages (npm @gouvfr/dsfr) + the generated bench site
    python bench/chrome_reuse.py --site bench   # the generated bench site only (no network)
    python bench/chrome_reuse.py --repeat 5     # more runs per page (the best is kept)

For every page, in one browser: axe on the whole page (``chrome=None``) and
axe with the regions learnt on the earlier pages reused
(``auditor/collect/chrome.py``), each ``--repeat`` times, alternated; the
best time of each is kept (the page's main thread: what axe costs the
processor).  The results must be the same (rule, impact, every node's target,
HTML and message, in order); any difference is printed and the exit status
is 1.  Prints per page the regions reused and both times, then the totals
and their ratio.  The DSFR pages are downloaded once into
``~/.cache/auditor-bench`` (bench/probes.py), never committed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from auditor.collect.browser import launch, playwright_driver  # noqa: E402
from auditor.collect.chrome import ChromeStore  # noqa: E402
from auditor.collect.page_audit import _axe_raw, _ensure_installed  # noqa: E402
from auditor.demo.server import StaticServer  # noqa: E402
from auditor.ruleset import load_rules  # noqa: E402


def signature(raw: dict[str, Any]) -> list[Any]:
    """What must not change: every rule's id and impact, every node's target, HTML and message, in order."""
    return [(kind, r["rule"], r["impact"], [(n["target"], n["html"], n["summary"]) for n in r["nodes"]])
            for kind in ("violations", "incomplete") for r in raw[kind]]


async def measure(urls: list[str], repeat: int) -> tuple[float, float, int, int]:
    """(ms whole, ms reused, pages with a difference, pages that reused a region) over ``urls``."""
    rules = load_rules()
    store = ChromeStore(rules.models["axe-reuse"])
    total_full = total_reuse = 0.0
    diffs = reused_pages = 0
    async with playwright_driver() as pw:
        browser = await launch(pw)
        ctx = await browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
        page = await ctx.new_page()
        await _ensure_installed(page)
        for url in urls:
            await page.goto(url, wait_until="load")
            best_full = best_reuse = float("inf")
            full = reuse = None
            reused: list[dict[str, Any]] = []
            # what the earlier pages taught, the same for every repetition (a page never reuses itself)
            args = store.script_args(url)
            first = None
            for _ in range(repeat):
                t0 = time.perf_counter()
                full, err = await _axe_raw(page, 120)
                t1 = time.perf_counter()
                reuse, err2 = await _axe_raw(page, 120, chrome=args)
                t2 = time.perf_counter()
                if full is None or reuse is None:
                    raise SystemExit(f"{url}: axe en échec : {err or err2}")
                first = first or reuse
                best_full, best_reuse = min(best_full, t1 - t0), min(best_reuse, t2 - t1)
            reused = store.record(url, first, args)
            same = signature(full) == signature(reuse)
            diffs += not same
            reused_pages += bool(reused)
            total_full += best_full
            total_reuse += best_reuse
            regions = ", ".join(f"{r['region']} ({r['nodes']})" for r in reused) or "—"
            print(f"{'OK  ' if same else 'DIFF'} {best_full * 1000:6.0f} ms → {best_reuse * 1000:6.0f} ms  "
                  f"{url.split('/', 3)[-1][:70]}  repris : {regions}")
            if not same:
                a, b = signature(full), signature(reuse)
                for x in a:
                    if x not in b:
                        print("   seulement sans reprise :", str(x)[:300])
                for x in b:
                    if x not in a:
                        print("   seulement avec reprise :", str(x)[:300])
        await browser.close()
    return total_full * 1000, total_reuse * 1000, diffs, reused_pages


def dsfr_pages(root: Path) -> list[str]:
    base = root / "example" / "layout" / "page"
    return sorted(str(p.relative_to(root)) for p in base.rglob("*.html"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", choices=["all", "dsfr", "bench"], default="all")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--demarches", type=int, default=4, help="démarches of the generated site (5 steps each)")
    args = ap.parse_args(argv)
    failed = 0
    sets: list[tuple[str, Path, list[str]]] = []
    tmp = tempfile.TemporaryDirectory()
    if args.site in ("all", "bench"):
        import sitegen

        site = Path(tmp.name) / "site"
        ids = sitegen.generate(site, args.demarches)
        names = sorted(str(p.relative_to(site)) for i in ids for p in (site / i).glob("*.html"))
        sets.append(("site du banc (bench/sitegen.py)", site, names))
    if args.site in ("all", "dsfr"):
        from probes import fetch_dsfr

        root = fetch_dsfr()
        sets.append((f"pages DSFR ({root.name}, example/layout/page)", root, dsfr_pages(root)))
    for title, root, names in sets:
        print(f"== {title} : {len(names)} pages")
        with StaticServer(root) as srv:
            full, reuse, diffs, reused = asyncio.run(measure([f"{srv.url}{n}" for n in names], args.repeat))
        print(f"   axe sur la page entière : {full:7.0f} ms ; avec reprise : {reuse:7.0f} ms ; "
              f"rapport {full / reuse if reuse else 0:.2f}× ; pages avec reprise : {reused}/{len(names)} ; "
              f"pages aux résultats différents : {diffs}")
        failed += diffs
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
