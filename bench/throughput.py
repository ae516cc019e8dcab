"""Benchmark: how close a full ``auditor scan`` gets to the browser's limit.

    python bench/throughput.py                 # everything (about 15 min on 2 cores)
    python bench/throughput.py --quick         # 10 démarches, no memory run, no pa11y-ci

What it does, in one run, on a generated local site (bench/sitegen.py:
N démarches × 5 DSFR-like steps with file uploads and a few violations,
plus each démarche's déclaration d'accessibilité, served on 127.0.0.1;
``--pages dsfr``, the default, gives every page the header and footer of a
real DSFR page, about as heavy as the real public-sector pages of
../shared/data; ``--pages minimal`` the bare ones of the first measures):

1. **throughput** — pages per minute of a full ``auditor scan`` (walk, fill,
   axe in every frame, extraction, screenshots, checks, scorecards, HTML)
   and of a *bare loop* over the very same pages at the same concurrency
   (one browser, one context per démarche, ``goto`` + ``axe.run``, nothing
   else).  Target: the scan reaches ≥ 80 % of the bare loop.  Both run
   ``--repeat`` times, interleaved, and the best run of each is kept;
2. **incremental rescan** — the same scan again over the same report
   folder: unchanged pages take their axe results from the cache.
   Target: ≥ 3× faster than the first scan, with identical scorecards
   (apart from timestamps and load times);
3. **huge page** — a démarche whose second step has 20 000 DOM nodes (axe
   needs minutes there): with ``--axe-timeout`` the page is recorded as
   needing review and the walk goes on to the last step;
4. **memory** — peak memory of the whole process tree (Python, Playwright's
   driver, Chromium and all its processes) for a 500-page scan, compared
   with the N-démarche scan: flat in the number of démarches.  Target:
   < 1.5 GB;
5. **pa11y-ci** — when it can be installed from the npm registry (axe
   runner, system Chromium), on the same URLs at the same concurrency.
   Target: the full scan ≥ 10× pa11y-ci's throughput.

Each measured run is a separate process (``python -m auditor scan`` or this
file with ``--bare``), timed by wall clock, with its CPU time (all its
descendants, from ``getrusage``) and its peak memory (/proc sampling, see
bench/proctree.py).  On a machine shared with other work the wall-clock
figures move with the load; the CPU-time figures barely do, so both are
printed, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import proctree  # noqa: E402
import sitegen  # noqa: E402

def _same_browser() -> str:
    """pa11y-ci runs on the Chromium a scan uses (the system one: Puppeteer
    cannot use Playwright's build), so that the comparison is the tools'."""
    from auditor.collect.browser import BrowserNotFound, find_browser

    try:
        return find_browser(None, None) or "/usr/bin/chromium"
    except BrowserNotFound:
        return "/usr/bin/chromium"


SYSTEM_CHROMIUM = _same_browser()


@dataclass
class Run:
    """One measured process."""

    label: str
    wall_s: float
    cpu_s: float
    peak_rss: int
    peak_pss: int
    pages: int
    load: float
    returncode: int = 0

    @property
    def ppm(self) -> float:
        return self.pages / self.wall_s * 60 if self.wall_s else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return self.cpu_s / self.pages * 1000 if self.pages else float("inf")

    def line(self) -> str:
        return (f"  {self.label:<34} {self.pages:4d} pages  {self.wall_s:7.1f} s  {self.ppm:7.1f} pages/min  "
                f"CPU {self.cpu_ms_per_page:6.0f} ms/page  RSS max {self.peak_rss / 2**20:6.0f} Mo  "
                f"PSS max {self.peak_pss / 2**20:6.0f} Mo  (charge {self.load:.1f})")


def measure(label: str, cmd: list[str], pages_of: Any, env: dict[str, str] | None = None,
            cwd: Path = ROOT, ok: tuple[int, ...] = (0,)) -> Run:
    """Run ``cmd`` to completion and measure it with its whole process tree;
    its output is shown when it exits with a code not in ``ok``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = proctree.loadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mon = proctree.TreeMonitor(os.getpid(), interval=0.25, skip_root=True).start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    usage = mon.stop()
    proctree.reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = max(usage.cpu_s, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    if proc.returncode not in ok:
        print(f"  ! {label} : code de sortie {proc.returncode}\n{out[-3000:]}", file=sys.stderr)
    run = Run(label, wall, cpu, usage.peak_rss, usage.peak_pss, 0, (load0 + proctree.loadavg()) / 2,
              proc.returncode)
    run.pages = pages_of(out)
    return run


# --------------------------------------------------------------- the two loops


def scan_cmd(config: Path, out: Path, concurrency: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "auditor", "scan", str(config), "-o", str(out), "--concurrency",
            str(concurrency), "-q", *extra]


def scan_pages(out: Path) -> Any:
    def count(_: str) -> int:
        return sum(len(json.loads(p.read_text())["pages"]) for p in out.glob("*/scorecard.json"))

    return count


def bare_cmd(urls_file: Path, concurrency: int) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--bare", str(urls_file), "--concurrency", str(concurrency)]


async def bare_loop(groups: list[list[str]], concurrency: int) -> int:
    """goto + axe.run on every page, nothing else: the browser's limit.

    Same structure as the scan (one browser, one context per démarche,
    ``concurrency`` démarches at once) and the cheapest axe injection we
    know (once per page object, as an init script)."""
    from auditor.collect.browser import launch, playwright_driver
    from auditor.collect.page_audit import _js, axe_init_script

    run_js = _js("axe_run.js")
    done = 0
    async with playwright_driver() as pw:  # the scan's own driver and browser switches
        browser = await launch(pw)
        sem = asyncio.Semaphore(concurrency)

        async def one(urls: list[str]) -> None:
            nonlocal done
            async with sem:
                ctx = await browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
                try:
                    page = await ctx.new_page()
                    await page.add_init_script(axe_init_script())
                    for url in urls:
                        await page.goto(url, wait_until="load")
                        await page.evaluate(run_js, {"frameWaitTime": 10000})
                        done += 1
                finally:
                    await ctx.close()

        await asyncio.gather(*(one(g) for g in groups))
        await browser.close()
    return done


def bare_main(urls_file: Path, concurrency: int) -> int:
    groups = json.loads(urls_file.read_text())
    n = asyncio.run(bare_loop(groups, concurrency))
    print(f"PAGES {n}")
    return 0


def printed_pages(out: str) -> int:
    for line in out.splitlines():
        if line.startswith("PAGES "):
            return int(line.split()[1])
    return 0


# ------------------------------------------------------------------ helpers


VOLATILE_PAGE = ("load_ms",)
VOLATILE_CARD = ("scanned_at", "duration_ms", "previous")  # previous: comparison with the scan before


def comparable(card: dict[str, Any], reuse: bool = True) -> dict[str, Any]:
    """A scorecard without what changes from one scan to the next of the
    same site (timestamps, load times and the indicator computed from them);
    ``reuse=False`` also drops which regions were reused (a scan with
    ``--no-chrome-reuse`` must find the same, without saying so)."""
    card = json.loads(json.dumps(card))
    for k in VOLATILE_CARD:
        card.pop(k, None)
    for p in card.get("pages", []):
        for k in VOLATILE_PAGE:
            p.pop(k, None)
        if not reuse:
            p.pop("axe_reused", None)
    ind = card.get("indicators") or {}
    ind.pop("performance", None)
    (ind.get("reasons") or {}).pop("performance", None)
    return card


def cards(out: Path) -> dict[str, dict[str, Any]]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(out.glob("*/scorecard.json"))}


def urls_by_demarche(out: Path) -> list[list[str]]:
    """The pages the scan audited, per démarche, in visit order."""
    return [[p["url"] for p in c["pages"]] for c in cards(out).values()]


def env_for_scan() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# ------------------------------------------------------------------ pa11y-ci


def install_pa11y(cache: Path) -> tuple[Path | None, str]:
    """pa11y-ci from the npm registry, with the system Chromium (no browser
    download).  Returns (path of the pa11y-ci script, '') or (None, why)."""
    script = cache / "node_modules" / "pa11y-ci" / "bin" / "pa11y-ci.js"
    if script.exists():
        return script, ""
    if not shutil.which("npm") or not shutil.which("node"):
        return None, "npm/node introuvables"
    if not Path(SYSTEM_CHROMIUM).exists():
        return None, f"{SYSTEM_CHROMIUM} introuvable"
    cache.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", PUPPETEER_SKIP_CHROMIUM_DOWNLOAD="1")
    try:
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(cache), "pa11y-ci@4"],
                              env=env, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None, "npm install pa11y-ci : délai dépassé (10 min)"
    if proc.returncode != 0 or not script.exists():
        return None, "npm install pa11y-ci a échoué : " + (proc.stderr.strip().splitlines() or ["?"])[-1][:300]
    return script, ""


def pa11y_config(urls: list[str], concurrency: int, path: Path) -> Path:
    """pa11y-ci's own pages, in its default browser context: with one
    context per address (its default), Puppeteer 24 fails to close the page
    on Chromium 156 (« Protocol error (Target.closeTarget) ») and most
    addresses are never audited."""
    path.write_text(json.dumps({
        "defaults": {
            "runners": ["axe"],
            "concurrency": concurrency,
            "timeout": 120000,
            "useIncognitoBrowserContext": False,
            "chromeLaunchConfig": {"executablePath": SYSTEM_CHROMIUM,
                                   "args": ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]},
        },
        "urls": urls,
    }, indent=2))
    return path


def pa11y_failures(out: str) -> int:
    """URLs pa11y-ci could not audit at all (its runner failed: « Error: … »
    instead of accessibility issues): they took no audit time, so they do
    not count as pages done."""
    import re

    blocks = re.split(r"^Errors in (?=https?://)", out, flags=re.M)[1:]
    return sum(1 for b in blocks if re.search(r"^\s*• Error: ", b, flags=re.M))


def pa11y_pages(out: str) -> int:
    """Pages pa11y-ci really audited (URLs minus runner failures)."""
    import re

    m = re.search(r"(\d+)/(\d+) URLs passed", out)
    total = int(m.group(2)) if m else len(re.findall(r"^\s*[>✔✘×] https?://", out, flags=re.M))
    PA11Y_FAILED[:] = [pa11y_failures(out), total]
    return max(0, total - PA11Y_FAILED[0])


PA11Y_FAILED: list[int] = [0, 0]  # (runner failures, URLs) of the last pa11y-ci run


# --------------------------------------------------------------------- main


def throughput(args: Any, cfg: Path, work: Path, env: dict[str, str], c: int, full_runs: list[Run],
               urls_file: Path, results: dict[str, Any]) -> tuple[Run, float]:
    """1. Full scan and bare loop on the same pages, interleaved."""
    print("\n1. Débit : analyse complète et boucle nue (goto + axe.run) sur les mêmes pages")
    bare_runs: list[Run] = []
    for r in range(args.repeat):
        out = work / f"scan-{r}"
        shutil.rmtree(out, ignore_errors=True)
        run = measure(f"auditor scan (n° {r + 1})", scan_cmd(cfg, out, c), scan_pages(out), env)
        print(run.line(), flush=True)
        full_runs.append(run)
        if r == 0:
            urls_file.write_text(json.dumps(urls_by_demarche(out)))
        run = measure(f"boucle nue (n° {r + 1})", bare_cmd(urls_file, c), printed_pages, env)
        print(run.line(), flush=True)
        bare_runs.append(run)
    best_full = max(full_runs, key=lambda x: x.ppm)
    best_bare = max(bare_runs, key=lambda x: x.ppm)
    cpu_full = min(x.cpu_ms_per_page for x in full_runs)
    cpu_bare = min(x.cpu_ms_per_page for x in bare_runs)
    ratio = best_full.ppm / best_bare.ppm if best_bare.ppm else 0
    print(f"  → analyse complète : {best_full.ppm:.0f} pages/min ; boucle nue : {best_bare.ppm:.0f} pages/min ; "
          f"rapport {pct(best_full.ppm, best_bare.ppm)} (objectif ≥ 120 %) "
          f"{'ATTEINT' if ratio >= 1.2 else 'NON ATTEINT'}")
    print(f"  → en temps processeur : {cpu_full:.0f} ms/page contre {cpu_bare:.0f} ms/page, "
          f"rapport {pct(cpu_bare, cpu_full)} (indépendant de la charge de la machine)")
    results["throughput"] = {"scan_ppm": best_full.ppm, "bare_ppm": best_bare.ppm, "ratio": ratio,
                             "scan_cpu_ms_page": cpu_full, "bare_cpu_ms_page": cpu_bare}
    # what the shared chrome saves: the same scan with every page's header, navigation and footer audited by axe
    out = work / "scan-sans-reprise"
    shutil.rmtree(out, ignore_errors=True)
    no_reuse = measure("auditor scan --no-chrome-reuse", scan_cmd(cfg, out, c, "--no-chrome-reuse"),
                       scan_pages(out), env)
    print(no_reuse.line(), flush=True)
    same = {k: comparable(v, reuse=False) for k, v in cards(out).items()} == \
        {k: comparable(v, reuse=False) for k, v in cards(work / f"scan-{args.repeat - 1}").items()}
    print(f"  → sans reprise des régions communes : {no_reuse.ppm:.0f} pages/min, "
          f"{no_reuse.cpu_ms_per_page:.0f} ms de processeur par page ; la reprise en fait gagner "
          f"{no_reuse.cpu_ms_per_page - cpu_full:.0f} ; constats identiques : {'oui' if same else 'NON'}")
    results["throughput"].update(no_reuse_ppm=no_reuse.ppm, no_reuse_cpu_ms_page=no_reuse.cpu_ms_per_page,
                                 no_reuse_identical=same)
    # where the gap is: the same scan without its one capture per page (the
    # report's journey view), the one cost the bare loop has no counterpart for
    out = work / "scan-sans-captures"
    shutil.rmtree(out, ignore_errors=True)
    bare_shots = measure("auditor scan --no-screenshots", scan_cmd(cfg, out, c, "--no-screenshots"),
                         scan_pages(out), env)
    print(bare_shots.line(), flush=True)
    print(f"  → sans captures d'écran : {bare_shots.ppm:.0f} pages/min, rapport {pct(bare_shots.ppm, best_bare.ppm)} "
          f"de la boucle nue ({pct(cpu_bare, bare_shots.cpu_ms_per_page)} en temps processeur) ; "
          f"les captures coûtent {cpu_full - bare_shots.cpu_ms_per_page:.0f} ms de processeur par page")
    results["throughput"].update(no_screenshots_ppm=bare_shots.ppm,
                                 no_screenshots_ratio=bare_shots.ppm / best_bare.ppm if best_bare.ppm else 0,
                                 no_screenshots_cpu_ms_page=bare_shots.cpu_ms_per_page)
    # the probes beyond axe (keyboard walk, reflow, text spacing, empty submission: on by default): their cost is the
    # scan's time with them over the same scan without them (target: at most 1.5×)
    out = work / "scan-sans-sondes"
    shutil.rmtree(out, ignore_errors=True)
    no_probes = measure("auditor scan sans sondes", scan_cmd(cfg, out, c, "--no-keyboard", "--no-reflow",
                                                            "--no-text-spacing", "--no-form-errors"),
                        scan_pages(out), env)
    print(no_probes.line(), flush=True)
    slow = no_probes.ppm / best_full.ppm if best_full.ppm else 0
    print(f"  → avec les sondes (clavier, redimensionnement, espacement, envoi vide) : {slow:.2f}× le temps de "
          f"l'analyse sans elles (objectif ≤ 1,5×) {'ATTEINT' if slow <= 1.5 else 'NON ATTEINT'} ; "
          f"{best_full.cpu_ms_per_page - no_probes.cpu_ms_per_page:.0f} ms de processeur de plus par page")
    results["throughput"].update(no_probes_ppm=no_probes.ppm, probes_time_ratio=slow,
                                 no_probes_cpu_ms_page=no_probes.cpu_ms_per_page)
    return best_full, cpu_full


def rescan(args: Any, cfg: Path, work: Path, env: dict[str, str], c: int, full_runs: list[Run],
           results: dict[str, Any]) -> None:
    """2. The same scan again over the last report folder (axe cache)."""
    print("\n2. Nouvelle analyse du site inchangé (cache axe)")
    last = work / f"scan-{args.repeat - 1}"
    before_cards = cards(last)
    first = full_runs[-1]
    re_run = measure("auditor scan (cache)", scan_cmd(cfg, last, c), scan_pages(last), env)
    print(re_run.line())
    after_cards = cards(last)
    same = {k: comparable(v) for k, v in before_cards.items()} == {k: comparable(v) for k, v in after_cards.items()}
    speedup = first.wall_s / re_run.wall_s if re_run.wall_s else 0
    print(f"  → {speedup:.1f}× plus rapide que la première analyse (objectif ≥ 5×) "
          f"{'ATTEINT' if speedup >= 5 else 'NON ATTEINT'} ; en temps processeur "
          f"{first.cpu_s / re_run.cpu_s if re_run.cpu_s else 0:.1f}× ; "
          f"fiches identiques (hors horodatage et temps de chargement) : {'oui' if same else 'NON'}")
    results["rescan"] = {"speedup": speedup, "identical": same, "cpu_speedup": first.cpu_s / max(re_run.cpu_s, 1e-9)}




def pct(a: float, b: float) -> str:
    return f"{a / b * 100:.0f} %" if b else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--demarches", type=int, default=40)
    ap.add_argument("--concurrency", type=int, default=None, help="défaut : celui d'auditor scan")
    ap.add_argument("--repeat", type=int, default=2, help="mesures de débit (scan et boucle nue, alternées)")
    ap.add_argument("--big", type=int, default=84,
                    help=f"démarches de la mesure mémoire (× {sitegen.PAGES_PER_DEMARCHE} pages : ≈ 500 pages)")
    ap.add_argument("--axe-timeout", type=float, default=10.0, help="délai d'axe par page pour la très grande page")
    ap.add_argument("--host-gap-ms", type=int, default=0,
                    help="écart poli entre deux documents d'un même site (défaut 0 : le site du banc est local et la "
                         "boucle nue n'attend rien ; 500 : le réglage par défaut d'une analyse réelle)")
    ap.add_argument("--per-host", type=int, default=None,
                    help="démarches parcourant un même site à la fois (défaut : la concurrence, comme la boucle "
                         "nue ; toutes les démarches du banc sont sur le même site ; 2 : le réglage par défaut "
                         "d'une analyse réelle)")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--no-huge", action="store_true")
    ap.add_argument("--no-pa11y", action="store_true")
    ap.add_argument("--quick", action="store_true", help="10 démarches, une mesure, sans mémoire ni pa11y-ci")
    ap.add_argument("--workdir", type=Path, default=None, help="dossier de travail (défaut : temporaire)")
    ap.add_argument("--pa11y-cache", type=Path, default=Path.home() / ".cache" / "auditor-bench" / "pa11y")
    ap.add_argument("--steps", default="1,2,3,4,5", help="mesures à faire (défaut : toutes) ; sans 1, --urls "
                    "donne les pages de la boucle nue et de pa11y-ci")
    ap.add_argument("--urls", type=Path, default=None, help="urls.json d'une mesure précédente")
    ap.add_argument("--pages", choices=("dsfr", "minimal"), default="dsfr",
                    help="en-tête et pied de page : ceux d'une vraie page DSFR (≈ 350 éléments par page, "
                         "comme les pages publiques réelles) ou réduits au minimum (≈ 70, le site des premières mesures)")
    ap.add_argument("--bare", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.concurrency is None:
        from auditor.collect.runner import ScanOptions

        args.concurrency = ScanOptions().concurrency
    if args.bare:
        return bare_main(args.bare, args.concurrency)
    if args.quick:
        args.demarches, args.repeat, args.no_memory, args.no_pa11y = 10, 1, True, True
    steps = {int(x) for x in args.steps.split(",") if x.strip()}
    args.no_huge = args.no_huge or 3 not in steps
    args.no_memory = args.no_memory or 4 not in steps
    args.no_pa11y = args.no_pa11y or 5 not in steps
    proctree.become_subreaper()

    from auditor.demo.server import StaticServer

    work = args.workdir or Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    n_big = max(args.big, args.demarches)
    ids = sitegen.generate(site, n_big, huge=not args.no_huge, chrome=args.pages)
    env = env_for_scan()
    c = args.concurrency
    per_host = args.per_host or c
    print(f"auditor bench — {os.cpu_count()} processeur(s), concurrence {c}, {args.demarches} démarches × 5 étapes et une déclaration d'accessibilité, "
          f"pages « {args.pages} », écart poli entre documents {args.host_gap_ms} ms, {per_host} démarches à la fois sur le site, "
          f"charge de la machine au départ {proctree.loadavg():.1f}")
    print(f"dossier de travail : {work}")
    results: dict[str, Any] = {"cpus": os.cpu_count(), "concurrency": c, "demarches": args.demarches,
                               "pages": args.pages}

    with StaticServer(site) as srv:
        base = srv.url
        cfg = work / "demarches.yaml"
        cfg.write_text(sitegen.demarches_yaml(base, [d for d in ids if d != "enorme"][: args.demarches],
                                               host_gap_ms=args.host_gap_ms, per_host=per_host))

        full_runs: list[Run] = []
        urls_file = args.urls or work / "urls.json"
        best_full: Run | None = None
        cpu_full = 0.0
        if 1 in steps:
            best_full, cpu_full = throughput(args, cfg, work, env, c, full_runs, urls_file, results)
            if 2 in steps:
                rescan(args, cfg, work, env, c, full_runs, results)

        # 3. huge page
        if not args.no_huge:
            print(f"\n3. Très grande page ({sitegen.HUGE_NODES} nœuds) avec --axe-timeout {args.axe_timeout:g}")
            hcfg = work / "enorme.yaml"
            hcfg.write_text(sitegen.demarches_yaml(base, ["enorme", "d001"], host_gap_ms=args.host_gap_ms, per_host=per_host))
            hout = work / "enorme"
            shutil.rmtree(hout, ignore_errors=True)
            h = measure("auditor scan (très grande page)",
                        scan_cmd(hcfg, hout, c, "--axe-timeout", f"{args.axe_timeout:g}", "--no-cache"),
                        scan_pages(hout), env)
            print(h.line())
            hc = cards(hout).get("enorme", {})
            review = [p for p in hc.get("pages", []) if p.get("axe_error")]
            print(f"  → statut {hc.get('status')}, {len(hc.get('pages', []))} pages parcourues, "
                  f"{len(review)} à vérifier : " + "; ".join(f"{p['url'].split('?')[0]} — {p['axe_error']}" for p in review))
            results["huge"] = {"wall_s": h.wall_s, "pages": len(hc.get("pages", [])), "review": len(review),
                               "status": hc.get("status")}

        # 4. memory
        if not args.no_memory:
            print(f"\n4. Mémoire : {n_big} démarches ({n_big * sitegen.PAGES_PER_DEMARCHE} pages) contre {args.demarches}")
            bcfg = work / "big.yaml"
            bcfg.write_text(sitegen.demarches_yaml(base, [d for d in ids if d != "enorme"][:n_big],
                                                    host_gap_ms=args.host_gap_ms, per_host=per_host))
            bout = work / "big"
            shutil.rmtree(bout, ignore_errors=True)
            big = measure(f"auditor scan ({n_big} démarches)", scan_cmd(bcfg, bout, c), scan_pages(bout), env)
            print(big.line())
            small_peak = max((x.peak_rss for x in full_runs), default=0)
            flat = (f" ; {n_big} démarches / {args.demarches} démarches : {big.peak_rss / small_peak:.2f}× la "
                    f"mémoire pour {n_big / args.demarches:.1f}× les démarches") if small_peak else ""
            print(f"  → pic RSS (somme sur l'arbre de processus) {big.peak_rss / 2**30:.2f} Go "
                  f"(objectif < 1,5 Go) {'ATTEINT' if big.peak_rss < 1.5 * 2**30 else 'NON ATTEINT'} ; "
                  f"PSS {big.peak_pss / 2**30:.2f} Go{flat}")
            results["memory"] = {"pages": big.pages, "peak_rss": big.peak_rss, "peak_pss": big.peak_pss,
                                 "small_peak_rss": small_peak, "ppm": big.ppm}

        # 5. pa11y-ci
        if not args.no_pa11y:
            print(f"\n5. pa11y-ci (exécuteur axe, {SYSTEM_CHROMIUM}) sur les mêmes pages")
            script, why = install_pa11y(args.pa11y_cache)
            if script is None:
                print(f"  pa11y-ci non mesuré : {why}")
                results["pa11y"] = {"skipped": why}
            else:
                # the pages of measure 1, on this run's server (the site is generated the same way)
                urls = [base + u.split("/", 3)[3] for g in json.loads(urls_file.read_text()) for u in g]
                pcfg = pa11y_config(urls, c, work / "pa11y.json")
                penv = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=SYSTEM_CHROMIUM, PUPPETEER_SKIP_DOWNLOAD="1")
                # exit code 2: some pages have accessibility errors (they all do, on purpose)
                p = measure("pa11y-ci", ["node", str(script), "--config", str(pcfg)], pa11y_pages, penv, cwd=work,
                            ok=(0, 2))
                print(p.line())
                if PA11Y_FAILED[0]:
                    print(f"  ! pa11y-ci n'a pas pu auditer {PA11Y_FAILED[0]} des {PA11Y_FAILED[1]} pages (erreurs de son "
                          "exécuteur avec ce Chromium) : elles ne sont pas comptées ; comparaison à prendre avec "
                          "précaution")
                if p.pages and best_full is None:
                    print(f"  → pa11y-ci : {p.ppm:.1f} pages/min, {p.cpu_ms_per_page:.0f} ms de processeur par page "
                          "(à comparer avec la mesure 1)")
                    results["pa11y"] = {"ppm": p.ppm, "cpu_ms_page": p.cpu_ms_per_page}
                elif p.pages and best_full is not None:
                    # a runner that failed on most pages says nothing about pa11y-ci's speed:
                    # the target is only judged when it audited at least 90 % of them
                    conclusive = PA11Y_FAILED[0] <= 0.1 * max(1, PA11Y_FAILED[1])
                    verdict = ("ATTEINT" if best_full.ppm / p.ppm >= 10 else "NON ATTEINT") if conclusive else \
                        f"NON ÉVALUÉ (pa11y-ci n'a audité que {p.pages} pages sur {PA11Y_FAILED[1] or p.pages})"
                    print(f"  → auditor scan {best_full.ppm / p.ppm:.1f}× pa11y-ci (objectif ≥ 10×) {verdict} ; "
                          f"en temps processeur {p.cpu_ms_per_page / cpu_full:.1f}×")
                    results["pa11y"] = {"ppm": p.ppm, "ratio": best_full.ppm / p.ppm,
                                        "cpu_ratio": p.cpu_ms_per_page / cpu_full, "conclusive": conclusive}
                    bare_ppm = (results.get("throughput") or {}).get("bare_ppm")
                    if bare_ppm:
                        # what no scan that runs axe on every page can beat on this machine
                        print(f"  → plafond : la boucle nue (goto + axe.run, rien d'autre) fait {bare_ppm / p.ppm:.1f}× "
                              "pa11y-ci ; pa11y-ci lance moins de règles axe (WCAG 2.0 et 2.1 A/AA seulement, "
                              "sans les bonnes pratiques ni WCAG 2.2)")
                        results["pa11y"]["bare_ratio"] = bare_ppm / p.ppm
                else:
                    print("  pa11y-ci n'a audité aucune page (voir sa sortie ci-dessus)")
                    results["pa11y"] = {"skipped": "aucune page auditée"}

    (work / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nRésultats : {work / 'results.json'} (charge de la machine à la fin {proctree.loadavg():.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
