"""Browser selection: explicit path, Playwright's own, system Chromium, else a clear error."""

from __future__ import annotations

import pytest

from auditor.collect import browser


def test_explicit_path_must_exist():
    with pytest.raises(browser.BrowserNotFound) as exc:
        browser.find_browser("/nonexistent/chromium")
    assert "apt-get install -y chromium" in str(exc.value)


def test_playwright_own_browser_preferred(tmp_path):
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
