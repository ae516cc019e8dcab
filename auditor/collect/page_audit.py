"""Audit the page currently shown: axe-core in every frame, plus the words,
controls and links the checks read.

The scripts are read from disk once per process; axe-core (~570 kB) is
installed once per page object as an init script (``prepare_page``)
rather than evaluated in every frame of every page; results are slimmed
inside the browser so that only what the pipeline keeps crosses the wire.
Unchanged pages can take their axe results from an ``AxeCache``.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import json
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import ScreenshotRules
from ..fileio import write_bytes
from ..model import AxeNode, AxeRuleResult, Control, DomFacts, Link, PageCapture
from .cache import AxeCache, dom_key
from .chrome import ChromeStore
from .page_call import call
from .scripts import js as _js

MAX_HTML = 1_500_000
# Failing elements located on the screenshot, per page: enough for the report's
# overlays, and a bounded cost on pages with hundreds of failing nodes.
MAX_BOXES = 80
# Screenshots: the budget (bytes per page, scale, qualities, height) is read
# from rules/walk.yaml (`screenshot`), so that a 25-page démarche's report
# folder stays well under 5 MB.
MAX_SHOT_WIDTH = 1920


@lru_cache(maxsize=1)
def axe_script() -> str:
    """axe-core's source, as shipped by axe-playwright-python."""
    from axe_playwright_python import base

    return base.AXE_SCRIPT


def axe_version() -> str:
    import re

    m = re.search(r'axe\.version\s*=\s*"([^"]+)"', axe_script()[:5000]) or re.search(
        r'version\s*:\s*"(\d+\.\d+\.\d+)"', axe_script()
    )
    return m.group(1) if m else "inconnue"


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Mask secret values (resolved ``${VAR}``) wherever a page echoes them."""
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def _secret_forms(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """A secret as a page or a URL may carry it: raw, fully URL-encoded, as a
    form submission encodes it (``+`` for spaces), as the browser's URL
    parser leaves it in a path or query string (only spaces, quotes, ``<>``,
    non-ASCII… encoded), and HTML-escaped (serialised DOM excerpts)."""
    from html import escape
    from urllib.parse import quote, quote_plus

    forms = {
        f
        for s in secrets if s
        for f in (s, quote(s, safe=""), quote_plus(s), quote(s, safe="!$&()*+,-./:;=?@[]^_`{|}~"),
                  quote(s, safe="!$&'()*+,-./:;=@[]^_|~"), escape(s), escape(s, quote=False),
                  s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;"))
    }
    return tuple(sorted(forms, key=len, reverse=True))


def redact_tree(obj: Any, secrets: tuple[str, ...]) -> Any:
    """Mask secrets in every string of a dataclass / dict / list tree (a whole
    Capture: URLs with query strings, HTML excerpts, errors…); returns a new
    tree, or ``obj`` itself when there is nothing to mask."""
    forms = _secret_forms(secrets)
    if not forms:
        return obj

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return redact(v, forms)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, tuple):
            return tuple(walk(x) for x in v)
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return dataclasses.replace(v, **{f.name: walk(getattr(v, f.name)) for f in dataclasses.fields(v)
                                             if f.init})
        return v

    return walk(obj)


_SHOWS_SECRET_JS = """(secrets) => {
  // what the pixels can show: the text and the values typed in visible fields
  const seen = [document.body ? document.body.innerText : ''];
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (el.type !== 'password' && el.type !== 'hidden') seen.push(el.value || '');
  }
  const all = seen.join('\\n');
  return secrets.some((s) => s && all.includes(s));
}"""


@lru_cache(maxsize=1)
def axe_init_script() -> str:
    """axe-core and its configuration, as one script the browser runs at the
    creation of every document of a page (see ``prepare_page``)."""
    return axe_script() + "\n;try { axe.configure({allowedOrigins: ['<unsafe_all_origins>']}); } catch (e) {}\n"


_AXE_INSTALLED: "weakref.WeakSet[Any]" = weakref.WeakSet()

# each page object's last audit: its cache key and viewport (``cache_key_of``), for what the walk does on
# the page it has just audited (the empty submission takes its facts from the cache on an unchanged page)
_LAST_KEY: "weakref.WeakKeyDictionary[Any, tuple[str, str]]" = weakref.WeakKeyDictionary()


def cache_key_of(page: Any) -> tuple[str, str] | None:
    """(cache key, viewport) of the page's last audit, None when it had none (no cache, a frame unread)."""
    try:
        return _LAST_KEY.get(page)
    except TypeError:
        return None

_PAGE_SIZE_JS = (
    "() => { const d = document.documentElement, b = document.body || d;"
    " return [Math.max(d.scrollWidth, b.scrollWidth, window.innerWidth),"
    " Math.max(d.scrollHeight, b.scrollHeight, window.innerHeight)]; }"
)


@lru_cache(maxsize=1)
def _read_script() -> str:
    """Everything ``audit_page`` reads from the main frame, in one call.

    Each call into the page costs a round trip through the driver, the
    browser and the renderer (several milliseconds of processor time on
    each side): the extraction, the DOM kept in capture.json (with the
    facts the alternatives check reads off it, ``dom_facts.js``), the full DOM
    that keys the axe cache, the page size for the screenshot, the load
    time and whether the page shows a secret are read together."""
    return f"""(args) => {{
  const extract = ({_js("extract.js").strip().rstrip(";")});
  const snapshot = ({_js("dom_snapshot.js").strip().rstrip(";")});
  const facts = ({_js("dom_facts.js").strip().rstrip(";")});
  const showsSecret = ({_SHOWS_SECRET_JS});
  const out = {{ data: extract(args.extract || {{}}), html: null, facts: null }};
  try {{
    const snap = snapshot(facts);
    out.html = snap.html;
    out.facts = snap.facts;
  }} catch (e) {{ /* the full DOM is kept instead */ }}
  if (args.content) {{
    const dt = document.doctype;
    out.content = (dt ? new XMLSerializer().serializeToString(dt) : "") + document.documentElement.outerHTML;
  }}
  out.size = ({_PAGE_SIZE_JS})();
  if (args.timing) {{
    const e = performance.getEntriesByType("navigation")[0];
    out.load = e && e.loadEventEnd > 0 ? e.loadEventEnd - e.startTime : null;
  }}
  try {{
    out.shows_secret = args.secrets && args.secrets.length ? showsSecret(args.secrets) : false;
  }} catch (e) {{
    out.shows_secret = true;  // unknown: not photographed
  }}
  return out;
}}"""


async def prepare_page(page: Any, options: "AuditOptions | None" = None) -> None:
    """Install axe-core in every document the page will load.

    With a cache that holds results (incremental rescans) nothing is
    installed up front: most pages will not need axe at all, and running
    its 570 kB in every document costs about as much as loading a simple
    page.  The first page that misses the cache gets axe by ``evaluate`` and
    installs it for the documents that follow (``_ensure_installed``).  An
    empty cache (first scan) installs it at once: every page will miss.

    The 570 kB script crosses the wire once per démarche instead of once per
    frame of every page (Playwright → driver → browser, three copies each
    time), and Chromium runs it while the document is created, without an
    extra round trip.  It is installed on the page rather than on the
    context: a context-wide init script also runs in the page's first,
    empty document, in a renderer that has just started, which cost two
    seconds per démarche on the benchmark.  Frames where the init script
    did not run (some sandboxed frames) still get axe by ``evaluate``."""
    if options is not None and options.cache is not None and not options.cache.cold:
        return
    await _ensure_installed(page)


async def _ensure_installed(page: Any) -> None:
    try:
        if page in _AXE_INSTALLED:
            return
        _AXE_INSTALLED.add(page)
    except TypeError:  # not weak-referenceable: install (idempotent in effect)
        pass
    await page.add_init_script(axe_init_script())


@dataclass
class AuditOptions:
    """How pages are audited during a scan, shared by every walk of a run.

    ``cache`` serves unchanged pages without running axe (incremental
    rescans); ``axe_timeout_s`` bounds axe on one page (default: the
    démarche's ``timeout_s``), after which the page is recorded as needing
    manual review and the walk goes on."""

    cache: AxeCache | None = None
    axe_timeout_s: float | None = None
    # the site's shared regions audited once per scan (``chrome.py``); None: every page audited whole
    chrome: ChromeStore | None = None
    # probes run on step pages after axe and the screenshot (``auditor.collect.probes``): the
    # checks an auditor does by hand; none unless asked (the CLI asks for all by default)
    probes: frozenset[str] = frozenset()


async def _inject_axe(frame: Any) -> None:
    has = await frame.evaluate("() => typeof window.axe !== 'undefined' && !!window.axe.run")
    if not has:
        await frame.evaluate(axe_script())
        await frame.evaluate("() => axe.configure({allowedOrigins: ['<unsafe_all_origins>']})")


async def _interrupt(page: Any, cdp: Any) -> None:
    """Stop a script still running in the page (axe past its time budget).

    ``asyncio.wait_for`` only stops waiting: axe itself would keep the
    page's main thread busy (minutes on a 20 000-node page) and block the
    rest of the walk.  ``Runtime.terminateExecution`` aborts it; the page
    stays usable.  A termination that arrives after axe finished would hit
    the next script instead, so a harmless evaluation absorbs it."""
    if cdp is None:
        return
    try:
        await cdp.send("Runtime.terminateExecution")
    except Exception:
        return
    for _ in range(2):
        try:
            await asyncio.wait_for(page.evaluate("0"), timeout=5)
            return
        except Exception:
            continue


async def _axe_raw(page: Any, timeout_s: float, cdp: Any = None,
                   chrome: dict[str, Any] | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """Raw (slimmed) axe results of the page and its frames, or an error.

    ``cdp`` is a DevTools session already attached to the page (the walk's
    own), used to stop axe past its budget; without one a session is
    attached for the run.  The main frame is not asked first whether it
    has axe (one round trip per page): ``axe_run.js`` answers ``null``
    when the init script did not run there, and only then is axe injected.
    ``chrome``: the shared-chrome arguments (``ChromeStore.script_args``)."""

    async def go() -> dict[str, Any]:
        for frame in page.frames:
            if frame is page.main_frame or frame.is_detached():
                continue
            try:
                await _inject_axe(frame)
            except Exception:
                # a frame that cannot take the script (detached, sandboxed) is
                # reported by axe itself as needing review
                continue
        args = {"frameWaitTime": int(min(timeout_s, 10) * 1000), "chrome": chrome}
        res = await call(page, cdp, _js("axe_run.js"), args)
        if res is None:
            await _inject_axe(page.main_frame)
            res = await call(page, cdp, _js("axe_run.js"), args)
        if res is None:
            raise RuntimeError("axe-core absent de la page")
        return res

    own = cdp is None
    if own:
        try:
            # attached before axe starts: a busy page could not attach one later
            cdp = await page.context.new_cdp_session(page)
        except Exception:
            cdp = None
    try:
        return await asyncio.wait_for(go(), timeout=timeout_s), None
    except asyncio.TimeoutError:
        await _interrupt(page, cdp)
        return None, f"axe n'a pas terminé en {timeout_s:g} s : page à vérifier manuellement"
    except Exception as exc:
        if "context was destroyed" in str(exc):
            raise  # the page navigated away during axe: the walk reads the new page
        return None, f"axe n'a pas pu s'exécuter : {_short(exc)}"
    finally:
        if own and cdp is not None:
            try:
                await cdp.detach()
            except Exception:
                pass


def _conv(items: list[dict[str, Any]]) -> list[AxeRuleResult]:
    return [
        AxeRuleResult(
            rule=r["rule"], impact=r.get("impact"), tags=r.get("tags", []), help=r.get("help", ""),
            help_url=r.get("help_url", ""), description=r.get("description", ""),
            nodes=[AxeNode(target=n.get("target", []), html=n.get("html", ""), summary=n.get("summary", ""))
                   for n in r.get("nodes", [])],
        )
        for r in items
    ]


async def run_axe(page: Any, timeout_s: float) -> tuple[list[AxeRuleResult], list[AxeRuleResult], str | None]:
    """axe-core on the page and all its frames; (violations, incomplete, error)."""
    raw, error = await _axe_raw(page, timeout_s)
    if raw is None:
        return [], [], error
    return _conv(raw["violations"]), _conv(raw["incomplete"]), None


async def _dom_key(page: Any, html: str, timeout_s: float) -> str | None:
    """Cache key part for the page's DOM (main document + child frames);
    None when a frame cannot be read (then the page is always audited)."""
    frames: list[tuple[str, str]] = []
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached():
            continue
        try:
            frames.append((frame.url, await asyncio.wait_for(frame.content(), timeout=timeout_s)))
        except Exception:
            return None
    return dom_key(html, frames)


async def locate_nodes(page: Any, results: list[AxeRuleResult], timeout_s: float, cdp: Any = None) -> None:
    """Give failing nodes their ``box`` in page coordinates (those of the
    full-page screenshot), so the report can frame the element on it.

    Targets are grouped by frame: one evaluation per frame, plus one per
    iframe crossed, whose content box offsets the boxes found inside it.
    At most MAX_BOXES nodes; a node that cannot be found keeps ``box=None``.
    The main frame's evaluation goes through ``cdp`` when given
    (``page_call``)."""
    nodes = [n for r in results for n in r.nodes if n.target][:MAX_BOXES]
    groups: dict[str, tuple[list[Any], list[AxeNode]]] = {}
    for n in nodes:
        path = list(n.target[:-1])
        groups.setdefault(json.dumps(path), (path, []))[1].append(n)

    async def go() -> None:
        for path, group in groups.values():
            frame, dx, dy, top = page.main_frame, 0.0, 0.0, True
            for sel in path:  # enter each iframe on the way to the node
                handle = await frame.evaluate_handle(_js("locate.js"), {"targets": [sel], "page": top,
                                                                        "element": True})
                box = await (await handle.get_property("box")).json_value()
                el = (await handle.get_property("el")).as_element()
                frame = await el.content_frame() if el is not None and box else None
                if frame is None:
                    break
                dx, dy, top = dx + box[0], dy + box[1], False
            if frame is None:
                continue
            args = {"targets": [n.target[-1] for n in group], "page": top}
            boxes = await (call(page, cdp, _js("locate.js"), args) if frame is page.main_frame
                           else frame.evaluate(_js("locate.js"), args))
            for n, b in zip(group, boxes):
                if b:
                    n.box = {"x": round(b[0] + dx), "y": round(b[1] + dy),
                             "width": round(b[2]), "height": round(b[3])}

    try:
        await asyncio.wait_for(go(), timeout=min(timeout_s, 10))
    except Exception:
        pass  # boxes are a convenience for the report: never fail the audit for them


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


@lru_cache(maxsize=1)
def _dom_facts_type() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(DomFacts)


def dom_facts_of(raw: Any, secrets: tuple[str, ...] = ()) -> DomFacts | None:
    """The facts ``dom_facts.js`` read, or None when they are missing or not
    what the script returns (a page can redefine the built-ins it uses): the
    check then reads the page's HTML, as for an older capture.  The shape
    is the model's (``DomFacts``), checked by pydantic."""
    if not isinstance(raw, dict):
        return None
    from pydantic import ValidationError

    try:
        return _dom_facts_type().validate_python(redact_tree(raw, secrets))
    except ValidationError:
        return None


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:300]


async def _add_frames(page: Any, main: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    """Append child frames' text and controls (controls keep their frame's
    URL) to the main frame's extraction."""
    frames: list[str] = []
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached():
            continue
        frames.append(frame.url)
        try:
            sub = await asyncio.wait_for(frame.evaluate(_js("extract.js"), {"maxText": 50000}), timeout=timeout_s)
        except Exception:
            continue
        main["text"] += "\n" + sub["text"]
        for c in sub["controls"]:
            c["frame_url"] = frame.url
        main["controls"] += sub["controls"]
        main["links"] += sub["links"]
        main["headings"] += sub["headings"]
    main["frames"] = frames
    return main


async def audit_page(
    page: Any,
    *,
    index: int,
    kind: str,
    timeout_s: float,
    name: str | None = None,
    http_status: int | None = None,
    load_ms: int | None = None,
    screenshot_to: Path | None = None,
    screenshot_rel: str | None = None,
    secrets: tuple[str, ...] = (),
    screenshot_options: ScreenshotRules | None = None,
    options: AuditOptions | None = None,
    read_load_time: bool = False,
    cdp: Any = None,
) -> PageCapture:
    """Audit the page as it is now and return its PageCapture.

    With ``options.cache``, a page whose DOM, axe version and rules are
    unchanged since a previous scan takes its axe results from the cache.
    ``read_load_time`` takes ``load_ms`` from the Navigation Timing API (a
    new document); ``cdp`` is a DevTools session already attached to the
    page, reused for axe's time limit and the screenshot."""
    opts = options or AuditOptions()
    axe_timeout = float(opts.axe_timeout_s or timeout_s)
    read = await asyncio.wait_for(call(page, cdp, _read_script(), {
        "content": opts.cache is not None, "timing": read_load_time, "secrets": list(secrets),
    }), timeout=timeout_s)
    data = await _add_frames(page, read["data"], timeout_s)
    if read_load_time:
        load_ms = None if read.get("load") is None else int(round(read["load"]))
    key = None
    if opts.cache is not None and read.get("content"):
        dom = await _dom_key(page, read["content"], timeout_s)
        key = opts.cache.key(dom) if dom else None
    cached = opts.cache.get(key) if (opts.cache is not None and key) else None
    reused: list[dict[str, Any]] = []
    if cached is not None:
        violations, incomplete, axe_error = _conv(cached["violations"]), _conv(cached["incomplete"]), None
        reused = list(cached.get("reused") or [])
    else:
        if opts.cache is not None:
            await _ensure_installed(page)  # for the next documents of this walk
        chrome = opts.chrome.script_args(data["url"]) if opts.chrome is not None else None
        raw, axe_error = await _axe_raw(page, axe_timeout, cdp=cdp, chrome=chrome)
        violations, incomplete = (_conv(raw["violations"]), _conv(raw["incomplete"])) if raw else ([], [])
        if raw is not None and chrome is not None and opts.chrome is not None:
            reused = redact_tree(opts.chrome.record(data["url"], raw, chrome), secrets)
        if raw is not None and key and opts.cache is not None:
            # the cache is a file too: never a secret in it (an echoed password in an HTML excerpt)
            opts.cache.put(key, redact_tree(raw["violations"], secrets), redact_tree(raw["incomplete"], secrets),
                           reused)
    # boxes depend on layout, not only on the DOM: located on every scan
    await locate_nodes(page, violations, timeout_s, cdp)
    # what capture.json keeps: the DOM without scripts, styles and SVG drawings
    html = read.get("html")
    if html is None:
        try:
            html = await asyncio.wait_for(page.content(), timeout=timeout_s)
        except Exception:
            html = ""
    html = redact(html[:MAX_HTML], secrets)
    facts = dom_facts_of(read.get("facts"), secrets)
    shot = shot_size = None
    viewport = page.viewport_size or {}
    vp = f"{viewport.get('width', 0)}x{viewport.get('height', 0)}"  # the cache's screenshot and probe key
    try:
        if key:
            _LAST_KEY[page] = (key, vp)
        else:
            _LAST_KEY.pop(page, None)
    except TypeError:  # a page object that cannot be weakly referenced (a test double)
        pass
    # a page that shows a secret (a test password echoed back) is not photographed
    if screenshot_to is not None and not read.get("shows_secret"):
        stored = opts.cache.get_shot(key, vp) if (cached is not None and key and opts.cache) else None
        try:
            if stored is not None:
                write_bytes(screenshot_to, stored[0])
                shot, shot_size = screenshot_rel, stored[1]
            else:
                shot_size = await screenshot(page, screenshot_to, timeout_s, screenshot_options,  # atomic
                                             size=tuple(read["size"]) if read.get("size") else None, cdp=cdp)
                shot = screenshot_rel if shot_size else None
                if shot_size and key and opts.cache is not None and not axe_error:
                    opts.cache.put_shot(key, vp, screenshot_to.read_bytes(), shot_size)
        except Exception:
            shot = shot_size = None
    text = redact(data["text"], secrets)
    probed: dict[str, Any] = {}
    if opts.probes and kind == "step":
        from .probes import NAMES, run_probes

        names = sorted(n for n in opts.probes if n in NAMES)
        stored = opts.cache.get_probes(key, vp, names) if (cached is not None and key and opts.cache) else None
        if stored is not None:
            probed = {n: {**r, "cached": True} for n, r in stored.items()}
        else:
            probed = redact_tree(await run_probes(page, opts.probes, timeout_s), secrets)
            if key and opts.cache is not None and not axe_error and names:
                opts.cache.put_probes(key, vp, names, probed)
    return PageCapture(
        index=index,
        kind=kind,  # type: ignore[arg-type]
        url=data["url"],
        title=redact(data["title"], secrets),
        name=name,
        http_status=http_status,
        load_ms=load_ms,
        lang=data["lang"],
        text=text,
        html=html,
        headings=data["headings"],
        controls=[Control(**c) for c in data["controls"]],
        links=[Link(**lk) for lk in data["links"]],
        dom_facts=facts,
        frames=data["frames"],
        violations=violations,
        incomplete=incomplete,
        axe_error=axe_error,
        screenshot=shot,
        screenshot_size=shot_size,
        dom_hash=hashlib.sha256(html.encode("utf-8", "replace")).hexdigest()[:16],
        probes=probed,
        axe_reused=reused,
    )
