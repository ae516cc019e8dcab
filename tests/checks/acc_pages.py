"""Hand-built PageCapture objects from HTML fixtures, without a browser.

``text`` approximates the browser's innerText with BeautifulSoup (scripts,
styles and hidden templates dropped); ``links`` are left empty so the checks
read them from ``html`` as they do for older captures.  The browser-backed
helper of tests/collect/ gives the real thing; these keep check tests fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from auditor.model import Capture, PageCapture

SCANNED_AT = "2026-11-27T10:00:00Z"
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
# ../shared next to the repository (a git worktree in /work/wt/<branch> looks one level higher)
SHARED = next((c for c in (ROOT / ".." / "shared", ROOT / ".." / ".." / "shared") if c.is_dir()), ROOT / ".." / "shared")


def page_from_html(html: str, url: str, kind: str = "step", index: int = 1, load_ms: int | None = None) -> PageCapture:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    body = soup.body or soup
    title_soup = BeautifulSoup(html, "html.parser").title
    return PageCapture(
        index=index,
        kind=kind,  # type: ignore[arg-type]
        url=url,
        title=title_soup.get_text(strip=True) if title_soup else "",
        text=body.get_text(" "),
        html=html,
        headings=[h.get_text(" ", strip=True) for h in body.find_all(["h1", "h2", "h3"])],
        load_ms=load_ms,
    )


def capture_of(*pages: PageCapture, status: str = "complete", scanned_at: str = SCANNED_AT) -> Capture:
    return Capture(
        demarche={"id": "essai", "name": "Démarche d'essai", "url": pages[0].url if pages else "https://x.fr/"},
        scanned_at=scanned_at,
        tool={"version": "test", "axe_version": "4.12.1", "browser": "aucun (capture construite à la main)"},
        status=status,
        pages=list(pages),
    )


def dig(block: dict[str, Any], dotted: str) -> Any:
    """``dig(b, "declaration.contact.means")``."""
    cur: Any = block
    for part in dotted.split("."):
        cur = cur[part]
    return cur
