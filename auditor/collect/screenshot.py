"""One small screenshot per audited page.

The whole page (not only the viewport), downscaled by ``scale`` and cut at
``max_height`` CSS pixels, as a JPEG whose quality steps down until the file
fits ``max_bytes``; if it still does not, the bottom of the page is cut (the
top, where the démarche's form starts, matters most).  A report folder of a
25-page démarche thus stays a couple of megabytes.

Chromium renders the reduced image itself (DevTools ``Page.captureScreenshot``
with a scaled clip), so no image library is needed; other browsers get
Playwright's full-size screenshot.  The function returns the CSS size
captured: the report places the boxes of failing elements (in CSS pixels) as
percentages of it, whatever the image's own pixel size.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

from ..config import ScreenshotRules
from ..fileio import write_bytes

MAX_WIDTH = 1920  # CSS pixels: wider pages (horizontal scroll) are cut on the right
MIN_HEIGHT = 400

_SIZE_JS = """() => {
  const d = document.documentElement, b = document.body || d;
  return [Math.max(d.scrollWidth, b.scrollWidth, window.innerWidth),
          Math.max(d.scrollHeight, b.scrollHeight, window.innerHeight)];
}"""


async def take_screenshot(page: Any, path: Path, opts: ScreenshotRules | None = None,
                          timeout_s: float = 30) -> dict[str, int] | None:
    """Write ``path`` (JPEG) and return ``{"width", "height"}`` in CSS
    pixels of the part captured; None when the page could not be captured."""
    opts = opts or ScreenshotRules()
    try:
        width, height = await page.evaluate(_SIZE_JS)
    except Exception:
        return None
    width, height = int(min(width, MAX_WIDTH)), int(min(height, opts.max_height))
    try:
        got = await asyncio.wait_for(_capture(page, opts, width, height, timeout_s), timeout=timeout_s)
    except Exception:
        return None
    if got is None:
        return None
    data, height = got
    write_bytes(path, data)
    return {"width": width, "height": height}


def _qualities(opts: ScreenshotRules) -> list[int]:
    steps = [opts.quality]
    while steps[-1] > 25:
        steps.append(max(25, steps[-1] - 10))
    return steps


async def _capture(page: Any, opts: ScreenshotRules, width: int, height: int,
                   timeout_s: float) -> tuple[bytes, int] | None:
    try:
        cdp = await page.context.new_cdp_session(page)
    except Exception:
        cdp = None
    qualities = _qualities(opts)
    data = b""
    try:
        for attempt in range(len(qualities) + 2):
            quality = qualities[min(attempt, len(qualities) - 1)]
            clip = {"x": 0, "y": 0, "width": width, "height": height}
            if cdp is not None:
                res = await cdp.send("Page.captureScreenshot", {
                    "format": "jpeg", "quality": quality, "clip": {**clip, "scale": opts.scale},
                    "captureBeyondViewport": True, "fromSurface": True,
                })
                data = base64.b64decode(res["data"])
            else:
                data = await page.screenshot(type="jpeg", quality=quality, full_page=True, scale="css", clip=clip,
                                             timeout=timeout_s * 1000, animations="disabled")
            if len(data) <= opts.max_bytes:
                break
            if attempt >= len(qualities) - 1:  # lowest quality and still too big: cut the bottom
                height = max(MIN_HEIGHT, int(height * opts.max_bytes / len(data) * 0.9))
    finally:
        if cdp is not None:
            try:
                await cdp.detach()
            except Exception:
                pass
    return (data, height) if data else None
