"""Audit the page currently shown: axe-core in every frame, plus the words,
controls and links the checks read.

Everything ``audit_page`` reads from the main frame comes from one call
(``_read_script``); axe runs through ``axe_exec.py`` (installed once per
page object, slimmed results, time limit, shared chrome); the screenshot
through ``screenshot.py``; secrets are masked by ``redaction.py``.  Unchanged
pages take their axe results, screenshot and probe facts from an
``AxeCache``.  The names of those modules stay importable from here (and
``_axe_raw`` is looked up here, so that tests can replace it).
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import ScreenshotRules
from ..fileio import write_bytes_if_changed
from ..model import Control, DomFacts, Link, PageCapture
from .axe_exec import (MAX_BOXES, _AXE_INSTALLED, _axe_raw, _conv, _ensure_installed, _inject_axe, _interrupt,
                       _short, axe_init_script, axe_script, axe_version, locate_nodes, prepare_page, run_axe)
from .cache import AxeCache, dom_key
from .chrome import ChromeStore
from .page_call import call
from .redaction import _secret_forms, redact, redact_tree
from .screenshot import _PAGE_SIZE_JS, _SHOT_DENSITY, MAX_SHOT_WIDTH, _capture_cdp, screenshot
from .scripts import js as _js

__all__ = ["MAX_BOXES", "MAX_HTML", "MAX_SHOT_WIDTH", "AuditOptions", "_AXE_INSTALLED", "_SHOT_DENSITY",
           "_axe_raw", "_capture_cdp", "_conv", "_ensure_installed", "_inject_axe", "_interrupt", "_secret_forms",
           "_short", "audit_page", "axe_init_script", "axe_script", "axe_version", "cache_key_of", "dom_facts_of",
           "locate_nodes", "prepare_page", "redact", "redact_tree", "run_axe", "screenshot"]

MAX_HTML = 1_500_000


_SHOWS_SECRET_JS = """(secrets) => {
  // what the pixels can show: the text and the values typed in visible fields
  const seen = [document.body ? document.body.innerText : ''];
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (el.type !== 'password' && el.type !== 'hidden') seen.push(el.value || '');
  }
  const all = seen.join('\\n');
  return secrets.some((s) => s && all.includes(s));
}"""


# each page object's last audit: its cache key and viewport (``cache_key_of``), for what the walk does on
# the page it has just audited (the empty submission takes its facts from the cache on an unchanged page)
_LAST_KEY: "weakref.WeakKeyDictionary[Any, tuple[str, str]]" = weakref.WeakKeyDictionary()


def cache_key_of(page: Any) -> tuple[str, str] | None:
    """(cache key, viewport) of the page's last audit, None when it had none (no cache, a frame unread)."""
    try:
        return _LAST_KEY.get(page)
    except TypeError:
        return None


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
                write_bytes_if_changed(screenshot_to, stored[0])  # a rescan into the same folder: already there
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
        from .probes import NAMES, run_probes, use_session

        names = sorted(n for n in opts.probes if n in NAMES)
        stored = opts.cache.get_probes(key, vp, names) if (cached is not None and key and opts.cache) else None
        if stored is not None:
            probed = {n: {**r, "cached": True} for n, r in stored.items()}
        else:
            use_session(page, cdp)  # the probes' scripts go through the walk's DevTools session
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
