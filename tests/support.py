"""Test helpers: a real Chromium for the whole session, driven from a
background event loop, and the crawler's own extraction and walk.

- ``harness.capture(url_or_path)`` → the PageCapture the crawler would record
  for one page (axe included);
- ``harness.walk(demarche_dict)`` → the Capture of a whole démarche;
- ``scan_folder(harness, folder, **demarche)`` → (Capture, scorecard) for a
  folder of fixture pages served on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from auditor.collect.browser import launch
from auditor.collect.page_audit import audit_page
from auditor.collect.walk import WalkOptions, Walker
from auditor.config import CrawlList, Rules, load_rules
from auditor.demo.server import StaticServer
from auditor.model import Capture, PageCapture
from auditor.pipeline import build_scorecard

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _shared_dir() -> Path:
    """``../shared`` next to the repository; from a git worktree (whose
    ``.git`` is a file pointing into the main checkout), next to the main
    checkout."""
    here = ROOT.parent / "shared"
    git = ROOT / ".git"
    if here.is_dir() or not git.is_file():
        return here
    try:
        gitdir = Path(git.read_text(encoding="utf-8").split("gitdir:", 1)[1].strip())
    except (OSError, IndexError):
        return here
    main_checkout = gitdir.resolve().parent.parent.parent  # <main>/.git/worktrees/<name>
    return main_checkout.parent / "shared"


SHARED = _shared_dir()


class BrowserHarness:
    """One headless Chromium on its own event loop thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._pw: Any = None
        self.browser: Any = self._run(self._start())
        self.rules: Rules = load_rules()

    def _run(self, coro: Any, timeout: float = 180) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start(self) -> Any:
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        return await launch(self._pw)

    def close(self) -> None:
        async def stop() -> None:
            await self.browser.close()
            await self._pw.stop()

        self._run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)

    def capture(self, url: str, *, kind: str = "step", axe: bool = True, probes: frozenset[str] = frozenset(),
                viewport: dict[str, int] | None = None) -> PageCapture:
        """Audit one page; ``probes`` runs those of ``auditor.collect.probes`` too (none by default)."""
        from auditor.collect.page_audit import AuditOptions

        async def go() -> PageCapture:
            ctx = await self.browser.new_context(locale="fr-FR", **({"viewport": viewport} if viewport else {}))
            try:
                page = await ctx.new_page()
                await page.goto(url, wait_until="load")
                # axe on a 1,000-element report page can take 20 s on a busy 2-core machine
                return await audit_page(page, index=1, kind=kind, timeout_s=60, options=AuditOptions(probes=probes))
            finally:
                await ctx.close()

        return self._run(go())

    def walk(self, demarche: dict[str, Any], rules: Rules | None = None, report_dir: Path | None = None) -> Capture:
        crawl = CrawlList.model_validate({"demarches": [demarche]}, context={"allow_file_urls": True})
        d = crawl.effective_demarches()[0]

        async def go() -> Capture:
            ctx = await self.browser.new_context(locale="fr-FR")
            try:
                walker = Walker(ctx, d, rules or self.rules,
                                WalkOptions(report_dir=report_dir, screenshots=report_dir is not None))
                return await walker.run()
            finally:
                await ctx.close()

        return self._run(go())


def capture_folder(harness: BrowserHarness, folder: Path, names: list[str], *,
                   axe: bool = False, probes: frozenset[str] = frozenset(),
                   viewport: dict[str, int] | None = None) -> dict[str, PageCapture]:
    """Serve ``folder`` on 127.0.0.1 and capture each of ``names`` in turn
    in one browser page (pages numbered from 1); axe is skipped unless
    asked for, to keep checks that do not read it fast; ``probes`` runs
    those of ``auditor.collect.probes`` on each page."""
    import auditor.collect.page_audit as page_audit

    async def no_axe(page: Any, timeout_s: float) -> tuple[list[Any], list[Any], None]:
        return [], [], None

    async def go(base: str) -> dict[str, PageCapture]:
        ctx = await harness.browser.new_context(locale="fr-FR", **({"viewport": viewport} if viewport else {}))
        try:
            page = await ctx.new_page()
            out = {}
            for i, name in enumerate(names, start=1):
                await page.goto(base + name, wait_until="load")
                out[name] = await page_audit.audit_page(page, index=i, kind="step", timeout_s=20,
                                                        options=page_audit.AuditOptions(probes=probes))
            return out
        finally:
            await ctx.close()

    real = page_audit.run_axe
    if not axe:
        page_audit.run_axe = no_axe  # type: ignore[assignment]
    try:
        with StaticServer(folder) as srv:
            return harness._run(go(srv.url))
    finally:
        page_audit.run_axe = real  # type: ignore[assignment]


def capture_file(harness: BrowserHarness, path: Path, *, kind: str = "step") -> PageCapture:
    """Serve ``path``'s folder on 127.0.0.1 and capture that page."""
    with StaticServer(path.parent) as srv:
        return harness.capture(srv.url + path.name, kind=kind)


def scan_folder(harness: BrowserHarness, folder: Path, start: str = "index.html",
                **demarche: Any) -> tuple[Capture, dict[str, Any], StaticServer]:
    """Walk a folder of fixture pages as one démarche; returns the capture,
    its scorecard and the (stopped) server, whose ``requested`` paths tests
    can inspect."""
    srv = StaticServer(folder).start()
    try:
        d = {"id": demarche.pop("id", "fixture"), "name": demarche.pop("name", "Démarche de test"),
             "url": srv.url + start, **demarche}
        cap = harness.walk(d)
    finally:
        srv.stop()
    return cap, build_scorecard(cap, harness.rules), srv
