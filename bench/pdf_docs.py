"""Benchmark: do the linked-document downloads slow a démarche without PDFs?

    python bench/pdf_docs.py              # 3 runs of each (about 1 min on 2 cores)
    python bench/pdf_docs.py --repeat 5

Scans with the scan runner (walk, axe, no screenshots, one démarche at a
time), on 127.0.0.1, three times each:

1. **sans PDF** — tests/fixtures/site/parcours (a multi-step démarche that links no
   document), with the document fetch as shipped;
2. **sans PDF, sans collecte** — the same with ``fetch_linked_documents``
   replaced by a no-op: the cost of the walk alone;
3. **avec PDF** — the same site plus a page linking 5 PDFs (built with
   pikepdf, 200 kB each) to show what a démarche with documents pays.

It prints the median wall-clock seconds of each and the overhead of (1)
over (2), the figure the target is about (no measurable slowdown), plus the
time the fetch step itself reported (``documents_fetch.duration_ms`` of the capture).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _site(tmp: Path, with_pdfs: bool) -> Path:
    from checks.pdf_build import make_pdf

    site = tmp / ("avec" if with_pdfs else "sans")
    shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "parcours", site)
    if with_pdfs:
        (site / "docs").mkdir(exist_ok=True)
        links = []
        for i in range(5):
            data = make_pdf(pages=3, fields=[(f"champ{j}", "") for j in range(5)])
            (site / "docs" / f"cerfa_{i}.pdf").write_bytes(data + b"\n%" + b"x" * 200_000)
            links.append(f"<p><a href='docs/cerfa_{i}.pdf'>Formulaire {i} (PDF)</a></p>")
        index = site / "index.html"
        html = index.read_text(encoding="utf-8")
        index.write_text(html.replace("</main>", "\n".join(links) + "</main>", 1) if "</main>" in html
                         else html.replace("</body>", "\n".join(links) + "</body>", 1), encoding="utf-8")
    return site


def _scan(site: Path, out: Path) -> tuple[float, dict[str, Any]]:
    from auditor.config import CrawlList, load_rules
    from auditor.demo.server import StaticServer
    from auditor.pipeline import run_scan

    with StaticServer(site) as srv:
        crawl = CrawlList.model_validate({"defaults": {"timeout_s": 15}, "demarches": [
            {"id": "bench", "name": "Banc documents", "url": srv.url + "index.html"}]})
        t0 = time.monotonic()
        (card,) = run_scan(crawl.effective_demarches(), load_rules(), out, screenshots=False, concurrency=1,
                           cache=False).cards
        secs = time.monotonic() - t0
    import json
    import lzma

    for path in (out / "bench").glob("capture.json*"):
        raw = lzma.open(path).read() if path.suffix == ".xz" else path.read_bytes()
        card["_fetch"] = json.loads(raw).get("documents_fetch") or {}
    return secs, card


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import auditor.collect.runner as runner

    real = runner.fetch_linked_documents

    async def noop(*a: Any, **k: Any) -> None:
        return None

    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        sites = {"sans PDF": _site(tmp, False), "avec PDF": _site(tmp, True)}
        times: dict[str, list[float]] = {"sans PDF": [], "sans PDF, sans collecte": [], "avec PDF": []}
        fetch_ms: dict[str, list[int]] = {k: [] for k in times}
        pages: dict[str, int] = {}
        for r in range(args.repeat):
            for label in times:  # interleaved, so a slow moment of the machine hits every case
                runner.fetch_linked_documents = noop if label.endswith("sans collecte") else real  # type: ignore[assignment]
                site = sites["avec PDF" if label == "avec PDF" else "sans PDF"]
                secs, card = _scan(site, tmp / f"out-{r}-{len(times[label])}-{label.replace(' ', '')}")
                times[label].append(secs)
                pages[label] = len(card["pages"])
                fetch = card.get("_fetch") or {}
                if fetch:
                    fetch_ms[label].append(int(fetch.get("duration_ms") or 0))
        runner.fetch_linked_documents = real  # type: ignore[assignment]
    print(f"{'cas':28} {'pages':>5} {'médiane (s)':>12} {'collecte (ms)':>14}")
    for label, ts in times.items():
        fm = f"{statistics.median(fetch_ms[label]):.0f}" if fetch_ms[label] else "—"
        print(f"{label:28} {pages[label]:>5} {statistics.median(ts):>12.2f} {fm:>14}")
    base, with_fetch = statistics.median(times["sans PDF, sans collecte"]), statistics.median(times["sans PDF"])
    print(f"surcoût de la collecte sans PDF : {with_fetch - base:+.2f} s ({(with_fetch / base - 1) * 100:+.1f} %)")


if __name__ == "__main__":
    main()
