"""One small screenshot per audited page.

The whole page (not only the viewport), downscaled and cut at a maximum
height, as a JPEG whose quality is lowered until it fits a byte budget: a
report folder of a 25-page démarche must stay a few megabytes.  Chromium
renders the reduced image itself (DevTools ``Page.captureScreenshot`` with a
scaled clip), so no image library is needed; other browsers get Playwright's
plain screenshot, cut at the same height.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

from ..config import ScreenshotRules
from ..fileio import write_bytes

_SIZE_JS = """() => {
  const d = document.documentElement, b = document.body;
  return {
    width: Math.max(window.innerWidth || 0, 1),
    height: Math.max(d ? d.scrollHeight : 0, b ? b.scrollHeight : 0, window.innerHeight || 0, 1),
  };
}"""


async def take_screenshot(page: Any, path: Path, opts: ScreenshotRules | None = None, timeout_s: float = 30) -> bool:
    """Write ``path`` (JPEG); False when the page could not be captured."""
    opts = opts or ScreenshotRules()
    try:
        data = await asyncio.wait_for(_capture(page, opts), timeout=timeout_s)
    except Exception:
        return False
    if not data:
        return False
    write_bytes(path, data)
    return True


async def _capture(page: Any, opts: ScreenshotRules) -> bytes | None:
    size = await page.evaluate(_SIZE_JS)
    width = int(size["width"])
    height = int(min(size["height"], opts.max_height))
    try:
        cdp = await page.context.new_cdp_session(page)
    except Exception:
        return await page.screenshot(
            type="jpeg", quality=opts.quality, clip={"x": 0, "y": 0, "width": width, "height": height},
            full_page=True, animations="disabled", scale="css",
        )
    try:
        quality, scale = opts.quality, opts.scale
        data = b""
        for _ in range(6):
            res = await cdp.send("Page.captureScreenshot", {
                "format": "jpeg",
                "quality": quality,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale},
                "captureBeyondViewport": True,
                "fromSurface": True,
            })
            data = base64.b64decode(res["data"])
            if len(data) <= opts.max_bytes:
                break
            # too heavy (photos, busy pages): lower the quality, then the size
            if quality > 25:
                quality = max(25, quality - 10)
            else:
                scale = scale * 0.75
        return data
    finally:
        try:
            await cdp.detach()
        except Exception:
            pass
