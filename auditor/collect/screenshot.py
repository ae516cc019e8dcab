"""Full-page screenshots within the byte budget of ``rules/walk.yaml``: one
JPEG per page, captured by Chromium itself (scaled down by the protocol, which
Playwright cannot do), aiming from the last capture's bytes per pixel.

Split from ``page_audit.py``, which still exposes these names."""

from __future__ import annotations

import asyncio
import base64
import weakref
from pathlib import Path
from typing import Any

from ..config import ScreenshotRules
from ..fileio import write_bytes

# Screenshots: the budget (bytes per page, scale, qualities, height) is read
# from rules/walk.yaml (`screenshot`), so that a 25-page démarche's report
# folder stays well under 5 MB.
MAX_SHOT_WIDTH = 1920


_PAGE_SIZE_JS = (
    "() => { const d = document.documentElement, b = document.body || d;"
    " return [Math.max(d.scrollWidth, b.scrollWidth, window.innerWidth),"
    " Math.max(d.scrollHeight, b.scrollHeight, window.innerHeight)]; }"
)


async def _capture_cdp(page: Any, width: int, height: int, scale: float, quality: int, cdp: Any = None) -> bytes:
    """A JPEG of the page's top ``width`` × ``height`` CSS pixels, scaled
    by ``scale``: Chromium's own capture (Playwright cannot downscale).
    Beyond the viewport only when the page is taller than it: capturing
    beyond makes Chromium resize, lay out and paint the page twice."""
    viewport = page.viewport_size or {}
    beyond = width > viewport.get("width", 0) or height > viewport.get("height", 0)
    params = {"format": "jpeg", "quality": quality, "captureBeyondViewport": beyond,
              "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}}
    if cdp is not None:
        res = await cdp.send("Page.captureScreenshot", params)
        return base64.b64decode(res["data"])
    cdp = await page.context.new_cdp_session(page)
    try:
        res = await cdp.send("Page.captureScreenshot", params)
    finally:
        try:
            await cdp.detach()
        except Exception:
            pass
    return base64.b64decode(res["data"])


# Bytes per captured pixel of each page's last capture, when it fitted the
# budget at the first quality.  A JPEG's size grows with its pixel count and
# with the detail of what it shows, and the pages of one démarche share their
# design: from the second page on, the capture aims within the byte budget at
# once.  A tall page that overshoots would otherwise be captured twice, which
# costs as much again (90 ms for a 1280 × 2250 page on the benchmark).  Pages
# too detailed to fit at the first quality teach nothing (the next capture
# starts from the full scale again).
_SHOT_DENSITY: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()


async def screenshot(page: Any, path: Path, timeout_s: float,
                     options: ScreenshotRules | None = None, *, size: tuple[int, int] | None = None,
                     cdp: Any = None) -> dict[str, int] | None:
    """Full-page JPEG within the byte budget of rules/walk.yaml; returns the
    CSS size captured, which the report needs to place boxes (the image may
    be scaled down: the report works in proportions).  Tall pages are first
    scaled down (never below ``min_scale``), then the quality steps down,
    and only then is the bottom cut."""
    o = options or ScreenshotRules()
    if size is not None:
        width, height = size
    else:
        try:
            width, height = await page.evaluate(_PAGE_SIZE_JS)
        except Exception:
            return None
    width, height = int(min(width, MAX_SHOT_WIDTH)), int(min(height, o.max_height))

    async def attempt(scale: float, quality: int, h: int) -> bytes:
        try:
            return await asyncio.wait_for(_capture_cdp(page, width, h, scale, quality, cdp), timeout=timeout_s)
        except asyncio.TimeoutError:
            raise
        except Exception:  # not Chromium: Playwright's capture, full scale
            return await page.screenshot(type="jpeg", quality=quality, full_page=True, scale="css",
                                         clip={"x": 0, "y": 0, "width": width, "height": h},
                                         timeout=timeout_s * 1000, animations="disabled")

    pixels = width * height
    scale = min(1.0, (o.full_scale_pixels / pixels) ** 0.5)
    density = _SHOT_DENSITY.get(page)
    if density:  # aim within the budget at once, from this walk's last capture
        scale = max(o.min_scale, min(scale, (o.aim * o.max_bytes / (density * pixels)) ** 0.5))
    data = await attempt(scale, o.qualities[0], height)
    for _ in range(2):  # size grows with the pixel count: aim from what we got
        if len(data) <= o.max_bytes or scale <= o.min_scale:
            break
        scale = max(o.min_scale, scale * (o.aim * o.max_bytes / len(data)) ** 0.5)
        data = await attempt(scale, o.qualities[0], height)
    fits_first_quality = len(data) <= o.max_bytes
    for quality in o.qualities[1:]:
        if len(data) <= o.max_bytes:
            break
        data = await attempt(scale, quality, height)
    for _ in range(3):  # lowest quality and still too big: cut the bottom
        if len(data) <= o.max_bytes:
            break
        height = max(400, int(height * o.max_bytes / len(data) * 0.9))
        data = await attempt(scale, o.qualities[-1], height)
    try:  # only a capture that fitted at full quality tells the next one where to aim
        if fits_first_quality:
            _SHOT_DENSITY[page] = len(data) / (pixels * scale * scale)
        else:
            _SHOT_DENSITY.pop(page, None)
    except TypeError:  # a page object that cannot be weakly referenced (a test double)
        pass
    write_bytes(path, data)
    return {"width": width, "height": height}
