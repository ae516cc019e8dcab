"""A 25-page démarche's report folder stays under 5 MB, screenshots included.

Built without a browser: every screenshot at its byte budget (the worst
case: the `screenshot.max_bytes` of rules/walk.yaml, which
tests/collect/test_page_audit.py shows a real capture respects), heavy DOMs (the same 900-link menu on every page,
as on real sites, and a long text of its own), many controls, and a badly
inaccessible site: on every page 4 site-wide rules failing on the same
header/footer elements plus 4 rules failing on 6 elements of its own.
"""

from __future__ import annotations

import os
import random

from auditor.collect import page_audit
from auditor.config import load_rules
from auditor.model import AxeNode, AxeRuleResult, Capture, Control, Link, PageCapture
from auditor.pipeline import process_capture

WORDS = ("démarche usager justificatif domicile allocation logement étudiant dossier formulaire pièce identité "
         "service public administration demande aide caisse revenu fiscal avis imposition contact téléphone").split()


MENU_RNG = random.Random(5)
MENU = [" ".join(MENU_RNG.choice(WORDS) for _ in range(4)) for _ in range(900)]


def _page(i: int, rng: random.Random) -> PageCapture:
    def words(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    menu = "".join(f'<li><a class="fr-nav__link" href="/r/{j}">{t}</a></li>' for j, t in enumerate(MENU))
    body = "".join(f"<p>{words(40)}</p>" for _ in range(40))
    html = f"<html><body><header><ul>{menu}</ul></header><main>{body}</main></body></html>"
    rules = []
    for r in range(4):  # site-wide: the same elements on every page
        rules.append(AxeRuleResult(
            rule=f"site-{r}", impact="serious", tags=["wcag2a", "wcag111", "RGAA-1.1.1"], help=f"Règle {r}",
            help_url="https://dequeuniversity.com/rules/axe/4.10/x",
            nodes=[AxeNode(target=[f"header li:nth-child({n}) > a"], html=f'<a class="fr-nav__link" href="/r/{n}">Rubrique {n}</a>',
                           summary=f"Fix any of the following:\n  Element has insufficient color contrast ({r}.{n})",
                           box={"x": 10 + 100 * n, "y": 40, "width": 90, "height": 30}) for n in range(4)]))
    for r in range(4):  # this page's own elements, axe's excerpts at full length
        rules.append(AxeRuleResult(
            rule=f"page-{r}", impact="critical", tags=["wcag2a", "wcag412", "RGAA-11.1.1"], help=f"Règle de page {r}",
            help_url="https://dequeuniversity.com/rules/axe/4.10/y",
            nodes=[AxeNode(target=[f"main > div:nth-child({n}) input"], html=f"<input class='fr-input' {words(40)}>"[:400],
                           summary=("Fix any of the following:\n  " + words(40))[:600],
                           box={"x": 40, "y": 300 + 80 * n, "width": 600, "height": 40}) for n in range(6)]))
    return PageCapture(
        index=i, kind="step", url=f"https://demarche.gouv.fr/etape-{i}?session={i}", title=words(6), load_ms=500,
        text=" ".join(MENU[:100]) + words(400),  # long enough; the checks' text scans are slow html=html[:page_audit.MAX_HTML], headings=[words(5) for _ in range(10)],
        controls=[Control(selector=f"#c{k}", tag="input", label=words(4), hint=words(10), context=words(30))
                  for k in range(30)],
        links=[Link(href=f"https://demarche.gouv.fr/r/{j}", text=t, selector=f"header li:nth-child({j}) > a")
               for j, t in enumerate(MENU)],
        violations=rules, screenshot=f"screenshots/{i:02d}.jpg", screenshot_size={"width": 1280, "height": 4000},
    )


def test_25_page_report_folder_under_5_mb(tmp_path):
    rng = random.Random(3)
    pages = [_page(i, rng) for i in range(1, 26)]
    capture = Capture(demarche={"id": "longue", "name": "Démarche de 25 étapes", "url": "https://demarche.gouv.fr/"},
                      scanned_at="2026-11-27T10:00:00Z", tool={"version": "0", "axe_version": "4", "browser": "C"},
                      pages=pages)
    folder = tmp_path / "longue"
    (folder / "screenshots").mkdir(parents=True)
    rules = load_rules()
    for p in pages:  # incompressible bytes at the budget: the worst screenshot the collector keeps
        (folder / p.screenshot).write_bytes(os.urandom(rules.get("walk").screenshot.max_bytes))
    process_capture(capture, rules, tmp_path)
    sizes = {f.relative_to(folder).as_posix(): f.stat().st_size for f in folder.rglob("*") if f.is_file()}
    total = sum(sizes.values())
    assert total < 5_000_000, {k: v for k, v in sizes.items() if not k.startswith("screenshots/")} | {"total": total}
    assert sizes["capture.json.xz"] < 400_000 and sizes["scorecard.html"] < 800_000
