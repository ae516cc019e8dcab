"""Browser selection: explicit path, Playwright's own, system Chromium, else a clear error."""

from __future__ import annotations

import os

import pytest

from auditor.collect import browser


def test_explicit_path_must_exist():
    with pytest.raises(browser.BrowserNotFound) as exc:
        browser.find_browser("/nonexistent/chromium")
    assert "apt-get install -y chromium" in str(exc.value)


def test_playwright_own_browser_preferred(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDITOR_BROWSER", raising=False)  # no browser named by the environment
    own = tmp_path / "chrome"
    own.write_text("")
    assert browser.find_browser(None, str(own)) is None


def test_system_browser_then_clear_error(tmp_path, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.delenv("AUDITOR_BROWSER", raising=False)
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", (str(fake),))
    assert browser.find_browser(None, "/nonexistent/own") == str(fake)
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", ())
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    with pytest.raises(browser.BrowserNotFound) as exc:
        browser.find_browser(None, None)
    assert "playwright install chromium" in str(exc.value) and "--browser" in str(exc.value)


def test_cli_reports_missing_browser(tmp_path, monkeypatch, capsys):
    from auditor.cli import main

    monkeypatch.setenv("AUDITOR_BROWSER", "/nonexistent/chromium")
    cfg = tmp_path / "d.yaml"
    cfg.write_text("demarches:\n  - id: a\n    name: A\n    url: http://127.0.0.1:9/\n", encoding="utf-8")
    assert main(["scan", str(cfg), "-o", str(tmp_path / "r"), "-q"]) == 3
    err = capsys.readouterr().err
    assert "Navigateur introuvable" in err and "apt-get install -y chromium" in err


def test_lean_driver_env_is_only_for_the_driver(monkeypatch):
    from auditor.collect.browser import DRIVER_NODE_OPTIONS, lean_driver_env

    monkeypatch.delenv("NODE_OPTIONS", raising=False)
    with lean_driver_env():
        assert os.environ["NODE_OPTIONS"] == DRIVER_NODE_OPTIONS
    assert "NODE_OPTIONS" not in os.environ
    monkeypatch.setenv("NODE_OPTIONS", "--trace-warnings")
    with lean_driver_env():
        assert os.environ["NODE_OPTIONS"] == f"--trace-warnings {DRIVER_NODE_OPTIONS}"  # the user's kept
    assert os.environ["NODE_OPTIONS"] == "--trace-warnings"


def test_playwright_driver_process_gets_the_option(monkeypatch):
    """The Node.js driver that Playwright spawns runs with the option; this
    process's environment is as before."""
    import asyncio

    from auditor.collect.browser import DRIVER_NODE_OPTIONS, playwright_driver

    monkeypatch.delenv("NODE_OPTIONS", raising=False)

    def children_environ() -> list[str]:
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                if ppid != os.getpid():
                    continue
                with open(f"/proc/{pid}/environ", "rb") as fh:
                    found += [v.decode() for v in fh.read().split(b"\0") if v.startswith(b"NODE_OPTIONS=")]
            except (OSError, ValueError, IndexError):
                continue
        return found

    async def go() -> list[str]:
        async with playwright_driver():
            return children_environ()

    assert asyncio.run(go()) == [f"NODE_OPTIONS={DRIVER_NODE_OPTIONS}"]
    assert "NODE_OPTIONS" not in os.environ


def test_a_browser_that_dies_while_starting_gets_one_more_try(monkeypatch):
    import asyncio

    monkeypatch.setattr(browser, "find_browser", lambda explicit, own: "/usr/bin/chromium-test")
    calls = []

    class Chromium:
        executable_path = "/nonexistent"

        async def launch(self, **kw):
            calls.append(kw)
            if len(calls) == 1:
                raise RuntimeError("BrowserType.launch: Target page, context or browser has been closed")
            return "navigateur"

    class PW:
        chromium = Chromium()

    assert asyncio.run(browser.launch(PW())) == "navigateur" and len(calls) == 2
    # any other failure (a missing library, a bad option) is said at once
    calls.clear()

    async def broken(**kw):
        calls.append(kw)
        raise RuntimeError("error while loading shared libraries")

    PW.chromium.launch = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="shared libraries"):
        asyncio.run(browser.launch(PW()))
    assert len(calls) == 1
