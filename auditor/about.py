"""``auditor --version``: what a bug report needs to reproduce a run.

The version alone does not say which axe-core ran (it is vendored by a
dependency) nor which browser a scan would launch (Playwright's, or a system
one), and both change findings.  Never fails: a missing browser is a line
of the answer, not an error, since ``--version`` is how one finds it out.
"""

from __future__ import annotations

import os
import subprocess

from . import __version__


def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium (it may not be downloaded)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            return str(pw.chromium.executable_path)
    except Exception:  # no driver, broken install: the system browsers are still looked for
        return None


def _browser_line() -> str:
    from .collect.browser import BrowserNotFound, find_browser

    own = _playwright_chromium()
    try:
        exe = find_browser(None, own) or own
    except BrowserNotFound:
        chosen = os.environ.get("AUDITOR_BROWSER")
        if chosen:
            return f"navigateur : {chosen} introuvable (AUDITOR_BROWSER)"
        return ("navigateur : aucun Chromium trouvé (python -m playwright install chromium, "
                "ou apt-get install chromium-headless-shell)")
    return f"navigateur : {exe}{_browser_version(exe)}"


def _browser_version(exe: str | None) -> str:
    """`` (Chromium 131…)`` as the binary reports it, or nothing."""
    if not exe:
        return ""
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return f" ({out})" if out else ""


def _axe_line() -> str:
    try:
        from .collect.page_audit import axe_version

        return f"axe-core {axe_version()}"
    except Exception as exc:  # axe-playwright-python missing or without its script
        return f"axe-core : introuvable ({exc})"


def version_text() -> str:
    """Three lines: auditor's version, axe-core's, and the browser a scan would use."""
    return "\n".join([f"auditor {__version__}", _axe_line(), _browser_line()])
