"""Running a scan: one browser, one context per démarche, several démarches
at once.

Each finished démarche is handed to ``on_capture`` (which checks, scores and
writes its reports) in a worker thread, so writing stays off the browser's
critical path and a crash later in the run never loses what is done.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable

from .. import __version__
from ..config import Demarche, Rules, secret_values
from ..model import Capture, ErrorRecord
from .browser import launch, playwright_driver
from .cache import AxeCache
from .chrome import ChromeReuseRules, ChromeStore
from .guard import describe_error
from .linked_documents import fetch_linked_documents
from .page_audit import AuditOptions, axe_version, redact_tree
from .polite import HostGate, RobotsCache, RobotsVerdict, host_of, user_agent
from .walk import WalkOptions, Walker


@dataclass
class ScanOptions:
    out_dir: Path = Path("reports")
    concurrency: int = field(default_factory=lambda: default_concurrency())
    browser: str | None = None
    screenshots: bool = True
    base_dir: Path = field(default_factory=Path.cwd)
    environ: dict[str, str] | None = None
    cache: bool = True  # reuse axe results of unchanged pages (reports/.cache/)
    axe_timeout_s: float | None = None  # per page; default: the démarche's timeout_s
    progress: Any = None  # auditor.progress.ScanProgress: told when walks start and end
    block_third_party: bool = False
    # manual-style probes on step pages (auditor.collect.probes.NAMES); the CLI asks for all of them
    probes: frozenset[str] = frozenset()
    # audit a site's shared header, navigation and footer once per scan (auditor/collect/chrome.py)
    chrome_reuse: bool = True
    # called with each new browser context before the walk (tests and bench/soak.py use it
    # to inject faults such as a renderer crash)
    context_hook: Callable[[Any], Awaitable[None]] | None = None


def default_concurrency() -> int:
    """One walk more than there are processors (at most 8): a walk spends
    part of its time waiting for pages to settle, and the extra walk keeps
    the processors busy meanwhile (on 2 cores: +30 % pages per minute over
    2 walks on the benchmark, for about 300 MB more memory)."""
    return max(1, min(8, (os.cpu_count() or 1) + 1))


def demarche_budget(d: Demarche) -> float:
    """Wall-clock budget of one démarche: ``timeout_demarche_s`` when given,
    else a generous safety net derived from the page budget, so that no
    démarche can hold a run forever whatever its pages do."""
    if d.timeout_demarche_s:
        return float(d.timeout_demarche_s)
    return float(d.max_pages or 70) * float(d.timeout_s or 30) * 6 + 60


def failed_capture(d: Demarche, stage: str, message: str) -> Capture:
    """A démarche that could not be walked at all, with the reason."""
    return Capture(
        demarche=d.public_dict(),
        scanned_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        tool={"version": __version__, "axe_version": axe_version(), "browser": ""},
        status="failed",
        status_reason=message,
        errors=[ErrorRecord(url=d.url, stage=stage, message=message)],
    )


@dataclass
class Politeness:
    """What every walk of one scan shares to be a polite visitor
    (polite.py): the browser's own User-Agent, the per-host gate and the
    robots.txt read once per host."""

    browser_ua: str
    hosts: HostGate = field(default_factory=HostGate)
    robots: RobotsCache | None = None

    def ua(self, d: Demarche) -> str:
        return user_agent(self.browser_ua, __version__, d.contact)


async def browser_user_agent(browser: Any) -> str:
    """Chromium's own User-Agent string, as it would send it."""
    try:
        session = await browser.new_browser_cdp_session()
        try:
            return str((await session.send("Browser.getVersion"))["userAgent"])
        finally:
            await session.detach()
    except Exception:
        return f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{browser.version} Safari/537.36"


def robots_refusal(d: Demarche, verdict: RobotsVerdict) -> Capture:
    """A démarche that robots.txt closes to robots: not walked, and why."""
    cap = failed_capture(d, "navigate", verdict.reason(d.url))
    cap.robots = verdict.to_dict()
    return cap


async def _scan_one(browser: Any, d: Demarche, rules: Rules, opts: ScanOptions, browser_version: str,
                    audit: AuditOptions, polite: Politeness | None = None,
                    slots: asyncio.Semaphore | None = None) -> Capture:
    """Read robots.txt, wait for a place on the démarche's host, then for a
    place in the scan (``slots``): a démarche waiting for its host never
    holds a place that a démarche of another host could use."""
    slots = slots or asyncio.Semaphore(1)
    robots = await polite.robots.verdict(d.url) if polite is not None and polite.robots is not None else None
    if robots is not None:
        robots.ignored = robots.forbids and d.robots == "ignore"
        if robots.forbids and not robots.ignored:
            return robots_refusal(d, robots)
    host = host_of(d.url)
    if polite is None or not host:
        async with slots:
            return await _walk_one(browser, d, rules, opts, browser_version, audit, polite, robots)

    def waiting(h: str) -> None:
        if opts.progress is not None:
            opts.progress.host_waiting(d.id, h)

    async with polite.hosts.walking(host, d.per_host or 2, waiting):
        if opts.progress is not None:
            opts.progress.host_ready(d.id)
        async with slots:
            return await _walk_one(browser, d, rules, opts, browser_version, audit, polite, robots)


async def _walk_one(browser: Any, d: Demarche, rules: Rules, opts: ScanOptions, browser_version: str,
                    audit: AuditOptions, polite: Politeness | None, robots: RobotsVerdict | None) -> Capture:
    vp = d.viewport
    context = await asyncio.wait_for(browser.new_context(
        locale="fr-FR",
        viewport={"width": vp.width, "height": vp.height} if vp else None,
        ignore_https_errors=False,
        accept_downloads=False,
        **({"user_agent": polite.ua(d)} if polite is not None else {}),
    ), timeout=60)
    context.set_default_timeout(float(d.timeout_s or 30) * 1000)
    walker = Walker(
        context, d, rules,
        WalkOptions(report_dir=opts.out_dir / d.id, screenshots=opts.screenshots, base_dir=opts.base_dir,
                    environ=opts.environ, browser_version=browser_version, audit=audit,
                    block_third_party=opts.block_third_party,
                    hosts=polite.hosts if polite is not None else None,
                    host_gap_s=(d.host_gap_ms if d.host_gap_ms is not None else 500) / 1000,
                    retry_after_max_s=d.retry_after_max_s if d.retry_after_max_s is not None else 60.0),
    )
    walker.robots = robots.to_dict() if robots is not None else None
    if opts.progress is not None:
        opts.progress.walk_started(walker)
    try:
        if opts.context_hook is not None:
            await opts.context_hook(context)
        budget = demarche_budget(d)
        try:
            cap = await asyncio.wait_for(walker.run(), timeout=budget)
        except asyncio.TimeoutError:
            walker.stop_on_budget(budget)  # keeps every page already audited
            return walker.capture()
        # the PDFs and office files the steps link to (RGAA 13.3), with the walk's cookies
        await fetch_linked_documents(context, cap, rules, walker.scope, hosts=polite.hosts if polite else None,
                                     gap_s=walker.opts.host_gap_s)
        return cap
    finally:
        if opts.progress is not None:
            opts.progress.walk_finished(walker)
        # a page stuck in a script loop can make closing slow: never wait for ever
        try:
            await asyncio.wait_for(context.close(), timeout=30)
        except Exception:
            pass


async def scan(
    demarches: list[Demarche],
    rules: Rules,
    opts: ScanOptions,
    on_capture: Callable[[Capture], Any],
) -> list[Any]:
    """Walk every démarche; return what ``on_capture`` returned for each, in input order.

    One démarche's failure (browser error, a crash in ``on_capture``) is
    recorded for that démarche and never stops the others."""
    results: list[Any] = [None] * len(demarches)
    if opts.progress is not None:
        opts.progress.start(len(demarches))
    async with playwright_driver() as pw:
        browser = await launch(pw, opts.browser)
        browser_version = f"Chromium {browser.version}"
        sem = asyncio.Semaphore(max(1, opts.concurrency))
        ua = await browser_user_agent(browser)
        polite = Politeness(browser_ua=ua, robots=RobotsCache(ua=user_agent(ua, __version__)))
        cache = AxeCache(opts.out_dir / ".cache", axe_version(), rules.digest) if opts.cache else None
        chrome_rules = rules.models.get("axe-reuse")
        chrome = ChromeStore(chrome_rules) if opts.chrome_reuse and isinstance(chrome_rules, ChromeReuseRules) \
            and chrome_rules.enabled else None
        audit = AuditOptions(cache=cache, axe_timeout_s=opts.axe_timeout_s, probes=frozenset(opts.probes),
                             chrome=chrome)

        async def one(i: int, d: Demarche) -> None:
            try:
                cap = await _scan_one(browser, d, rules, opts, browser_version, audit, polite, sem)
            except Exception as exc:
                cap = failed_capture(d, "browser", f"échec du navigateur : {describe_error(exc)}")
                cap = redact_tree(cap, tuple(secret_values(d, opts.environ)))
            cap.tool["browser"] = browser_version
            results[i] = await asyncio.to_thread(on_capture, cap)

        try:
            await asyncio.gather(*(one(i, d) for i, d in enumerate(demarches)))
        finally:
            try:
                await asyncio.wait_for(browser.close(), timeout=30)
            except Exception:
                pass
    return results
