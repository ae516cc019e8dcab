"""Finding and launching Chromium.

Order: an explicit ``--browser PATH`` (or ``AUDITOR_BROWSER``), then
Playwright's own Chromium when it is installed, then a system Chromium —
Debian's ``chromium-headless-shell`` first, then ``chromium`` — else a clear
French error saying how to get one.  One browser per run; each démarche gets
its own context.

The headless shell is the browser Playwright itself runs headless: the same
engine without the desktop browser around it.  The full ``chromium`` in
headless mode starts, for every browser context, renderers for its own
interface (``--top-chrome-webui``) that no audit needs: on the benchmark the
shell halves the processor time of a page load and uses 40 % less memory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

SYSTEM_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
)

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    # no separate GPU process: there is no GPU, software compositing can run
    # in the browser process (about 140 MB less memory).  Not
    # --disable-features here: Chromium keeps the last such switch, which
    # would re-enable the features Playwright disables.
    "--in-process-gpu",
    # a smaller young generation for the pages' JavaScript heaps (V8's default
    # lets each renderer grow it to tens of megabytes, axe-core allocating a
    # lot in every page); with the driver's own (DRIVER_NODE_OPTIONS), the
    # peak of a 240-page benchmark scan went from 1.49 to 1.29 GB, for no
    # measurable processor time
    "--js-flags=--max-semi-space-size=2",
]

# The same for the Playwright driver (Node.js), which relays every message
# and every capture.  Added to the user's own NODE_OPTIONS, for the driver
# process only (``lean_driver_env``).
DRIVER_NODE_OPTIONS = "--max-semi-space-size=2"


class BrowserNotFound(RuntimeError):
    """No usable Chromium: the message says how to install one."""


HOW_TO_GET_ONE = (
    "Aucun navigateur Chromium trouvé. Installez-en un :\n"
    "  - celui de Playwright : python -m playwright install chromium\n"
    "  - ou celui du système (Debian/Ubuntu) : apt-get install -y chromium-headless-shell (ou chromium)\n"
    "puis relancez, ou indiquez son chemin avec --browser /chemin/vers/chromium."
)


def find_browser(explicit: str | None = None, playwright_path: str | None = None) -> str | None:
    """Path of the Chromium to launch, or None for Playwright's own
    (``playwright_path``, when that file exists).

    Raises BrowserNotFound when nothing usable exists."""
    explicit = explicit or os.environ.get("AUDITOR_BROWSER")
    if explicit:
        path = shutil.which(explicit) or explicit
        if not Path(path).exists():
            raise BrowserNotFound(f"Navigateur introuvable : {explicit}\n{HOW_TO_GET_ONE}")
        return str(path)
    if playwright_path and Path(playwright_path).exists():
        return None
    for cand in SYSTEM_CANDIDATES:
        if Path(cand).exists():
            return cand
    found = shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    raise BrowserNotFound(HOW_TO_GET_ONE)


@contextlib.contextmanager
def lean_driver_env() -> Iterator[None]:
    """While Playwright starts its driver (``async_playwright().__aenter__``
    spawns it with a copy of this process's environment), NODE_OPTIONS
    carries DRIVER_NODE_OPTIONS; the environment is restored afterwards, so
    nothing else this process starts inherits it."""
    before = os.environ.get("NODE_OPTIONS")
    os.environ["NODE_OPTIONS"] = f"{before} {DRIVER_NODE_OPTIONS}" if before else DRIVER_NODE_OPTIONS
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NODE_OPTIONS", None)
        else:
            os.environ["NODE_OPTIONS"] = before


@contextlib.asynccontextmanager
async def playwright_driver() -> AsyncIterator[Any]:
    """``async_playwright()`` with a lean driver (``lean_driver_env``)."""
    from playwright.async_api import async_playwright

    manager = async_playwright()
    with lean_driver_env():
        pw = await manager.__aenter__()
    try:
        yield pw
    finally:
        await manager.__aexit__(None, None, None)


LAUNCH_TRIES = 2  # a browser that dies while starting (seen: SIGSEGV on a busy machine) gets one more try


async def launch(pw: Any, explicit: str | None = None) -> Any:
    """Launch one headless Chromium for the whole run.  A browser process
    that dies while starting is started once more before the run gives up:
    losing a whole scan to one failed start would be a poor trade."""
    import asyncio

    try:
        own = pw.chromium.executable_path
    except Exception:
        own = None
    exe = find_browser(explicit, own)
    for attempt in range(1, LAUNCH_TRIES + 1):
        try:
            return await pw.chromium.launch(**launch_options(exe))
        except Exception as exc:
            if attempt == LAUNCH_TRIES or "has been closed" not in str(exc):
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


def launch_options(executable: str | None) -> dict[str, Any]:
    opts: dict[str, Any] = {"headless": True, "args": list(LAUNCH_ARGS)}
    if executable:
        opts["executable_path"] = executable
    return opts


def main() -> int:
    """``python -m auditor.collect.browser``: print the Chromium that a scan
    would use, or how to get one (exit 1).  Used by scripts/setup.sh."""
    import sys

    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.executable_path
    except Exception:
        own = None
    try:
        exe = find_browser(None, own)
    except BrowserNotFound as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(exe or own)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
