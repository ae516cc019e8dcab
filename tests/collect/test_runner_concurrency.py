"""The runner under concurrency, without a browser: results come back in
input order whatever order the walks end in, the semaphore bounds how many
walks run at once, and one démarche failing leaves the others intact."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from auditor.collect import runner
from auditor.config import CrawlList, load_rules
from auditor.model import Capture
from auditor.progress import ScanProgress


class FakeBrowser:
    version = "0-test"

    async def close(self) -> None:
        pass


class FakePlaywright:
    async def __aenter__(self) -> "FakePlaywright":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        pass


def demarches(n: int) -> list[Any]:
    crawl = CrawlList.model_validate(
        {"demarches": [{"id": f"d{i}", "name": f"D {i}", "url": f"https://d{i}.exemple.fr/"} for i in range(n)]}  # one host each: only the scan's semaphore bounds them
    )
    return crawl.effective_demarches()


@pytest.fixture
def fake_browser(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    state: dict[str, Any] = {"running": 0, "max_running": 0}

    async def launch(pw: Any, explicit: str | None = None) -> FakeBrowser:
        return FakeBrowser()

    async def walk_one(browser: Any, d: Any, rules: Any, opts: Any, version: str, audit: Any, *polite: Any) -> Capture:
        state["running"] += 1
        state["max_running"] = max(state["max_running"], state["running"])
        try:
            i = int(d.id[1:])
            await asyncio.sleep(0.01 * (10 - i))  # later démarches end first
            if d.id == "d3":
                raise RuntimeError("Target page, context or browser has been closed")
            return Capture(demarche=d.public_dict(), scanned_at="2026-01-01T00:00:00Z",
                           tool={"version": "t", "axe_version": "a", "browser": ""})
        finally:
            state["running"] -= 1

    monkeypatch.setattr(runner, "launch", launch)
    monkeypatch.setattr(runner, "_walk_one", walk_one)
    monkeypatch.setattr("auditor.collect.polite.fetch_robots", lambda url, ua: (404, ""))  # no network
    monkeypatch.setattr("playwright.async_api.async_playwright", lambda: FakePlaywright())
    return state


def test_results_in_input_order_and_one_failure_is_contained(fake_browser: dict[str, Any], tmp_path: Path) -> None:
    done_order: list[str] = []

    def on_capture(cap: Capture) -> tuple[str, str]:
        done_order.append(cap.id)
        return cap.id, cap.status

    progress = ScanProgress()
    opts = runner.ScanOptions(out_dir=tmp_path, concurrency=3, progress=progress)
    results = asyncio.run(runner.scan(demarches(8), load_rules(), opts, on_capture))
    assert [r[0] for r in results] == [f"d{i}" for i in range(8)]
    assert done_order != sorted(done_order)  # they did finish out of order
    assert dict(results)["d3"] == "failed"
    assert all(status == "complete" for i, status in results if i != "d3")
    assert fake_browser["max_running"] == 3
    assert progress.total == 8


def test_default_concurrency_follows_the_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    two = runner.ScanOptions().concurrency
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 8)
    eight = runner.ScanOptions().concurrency
    monkeypatch.setattr(runner.os, "cpu_count", lambda: None)
    unknown = runner.ScanOptions().concurrency
    assert 2 <= two < eight and unknown >= 1
