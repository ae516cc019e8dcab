"""Reflow probe (RGAA 10.11, 10.4): the page narrowed to 320 CSS px, zoomed to 200 %, lowered to 256 px.

An auditor checks 10.11 by zooming to 400 % on a 1280 px screen, i.e. a
320 CSS px wide viewport: the content must fit without scrolling in two
directions (WCAG 1.4.10), except what needs a two-dimensional layout (data
tables, code, maps, video, canvas).  For 10.4 they zoom to 200 %: the text
must stay readable, nothing lost.  Browser zoom *is* a smaller CSS viewport
(same media queries, same layout), so the probe narrows the viewport instead
of zooming: cheap, and exactly what the page's CSS sees.

At each width it records raw facts, never a verdict (the check
``auditor/checks/reflow.py`` judges):

- whether the document scrolls horizontally, and whether the root hides its
  overflow (then overflowing content is cut off, not merely scrolled to; an
  element wholly past the edge of such a window is out of view on purpose, a
  closed drawer menu, and only counted);
- the outermost visible elements with text or controls whose box (or whose
  own text, a long unbreakable word) sticks out of the viewport on the
  right; the widest ones first, at most ``MAX_ITEMS``;
- separately, as ``allowed``, what overflows by design: data tables, code,
  maps, video, canvas, images, and horizontal scroll containers
  (``overflow-x: auto | scroll``) that fit the viewport, with what they hold;
- text clipped by an ``overflow: hidden | clip`` box at that width but not at
  the page's own width (a carousel hides its slides at every width: not a
  reflow failure).

Last, at the page's own width and 256 CSS px high (WCAG 1.4.10's height:
content read with a low window), it records the bands that stay on screen
whatever the scroll — fixed elements and sticky ones that stick (``top`` or
``bottom`` set, a parent at least one window taller than them) — visible, in
the window, at least half as wide as it, with how much of its height they
cover together (``height_256``).  A sticky header and a cookie bar can leave
too little room to read; the check decides how much is too much.

Then the viewport and the scroll position are restored, and the reported
elements re-measured in the page's normal layout so that their boxes frame
them on the screenshot (the narrow box is kept, flagged, when an element is
not rendered at full width).
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..page_call import call
from ..scripts import expand
from . import probe, session

NARROW = (320, 640)
LOW = 256  # WCAG 1.4.10: content read in a window 256 CSS px high (1024 px at 400 %)  # WCAG 1.4.10: 1280 px at 400 % (height: a phone's, not used by the criterion)
MAX_ITEMS = 20  # elements reported per list and per width: the widest overflows first
MAX_BASELINE = 300  # clipped elements remembered at the page's own width
MAX_WALK = 8000  # elements examined per width; a bigger page is examined in part (``capped``)

# Helpers shared by reflow's and spacing's scripts (pasted at the top of each function): the
# probes' prelude (prelude.js: norm, esc, isUnique, selectorIn), a stable CSS selector,
# visibility, a short excerpt, a box in document coordinates.
DOM_HELPERS_JS = expand(r"""
  /* @include prelude.js */
  // as the other probes (prelude.js), and the tag name where the path is empty
  const cssPath = (el) => selectorIn(el) || el.localName;
  const shown = (el, r) => {
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    if (r.width < 1 || r.height < 1) return false;
    const st = getComputedStyle(el);
    return !(st.clip === "rect(0px, 0px, 0px, 0px)" || st.clipPath === "inset(50%)");
  };
  const excerpt = (el) => {
    const t = norm(el.textContent);
    if (t) return t.length > 80 ? t.slice(0, 79) + "…" : t;
    const c = el.matches("input, select, textarea, button, img") ? el
      : el.querySelector("input, select, textarea, button, img");
    if (!c) return "";
    return "<" + c.localName + (c.getAttribute("name") ? ` name="${c.getAttribute("name")}"` : "")
      + (c.getAttribute("alt") ? ` alt="${norm(c.getAttribute("alt")).slice(0, 40)}"` : "") + ">";
  };
  const docBox = (r) => ({ x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY),
                           width: Math.round(r.width), height: Math.round(r.height) });
  // how far (px) some text of ``box`` lies outside its padding box, where ``overflow: hidden`` cuts it.
  // Not counted: visually hidden text (1 px boxes), text that a box inside ``box`` clips (that box
  // answers for it), text moved far away on purpose (text-indent: -9999px), and text wholly outside
  // a box of icon size (an icon-only button whose name is pushed out of view: the DSFR's « Menu »)
  const clippedText = (box) => {
    const b = box.getBoundingClientRect();
    const left = b.left + box.clientLeft, top = b.top + box.clientTop;
    const right = left + box.clientWidth, bottom = top + box.clientHeight;
    const icon = box.clientWidth <= 48 && box.clientHeight <= 48;
    const inner = new Map();
    const clippedInside = (el) => {
      if (!el || el === box) return false;
      if (inner.has(el)) return inner.get(el);
      const st = getComputedStyle(el);
      const v = ["hidden", "clip", "auto", "scroll"].includes(st.overflowX)
        || ["hidden", "clip", "auto", "scroll"].includes(st.overflowY) || clippedInside(el.parentElement);
      inner.set(el, v);
      return v;
    };
    const tw = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let n, seen = 0, cut = 0;
    while ((n = tw.nextNode()) && seen++ < 300) {
      if (!/\S/.test(n.data)) continue;
      const holder = n.parentElement;
      if (!holder || holder.offsetWidth <= 2 || holder.offsetHeight <= 2 || clippedInside(holder)) continue;
      const rg = document.createRange();
      rg.selectNodeContents(n);
      let over = 0, shownPart = false, far = false;
      for (const t of rg.getClientRects()) {
        if (t.width < 1 || t.height < 1) continue;
        const o = Math.max(t.right - right, left - t.left, t.bottom - bottom, top - t.top);
        if (o > 1) over = Math.max(over, o);
        if (t.right > left + 1 && t.left < right - 1 && t.bottom > top + 1 && t.top < bottom - 1) shownPart = true;
        if (t.right < left - 500 || t.left > right + 500 || t.bottom < top - 500 || t.top > bottom + 500) far = true;
      }
      if (over > 1 && !far && (shownPart || !icon)) cut = Math.max(cut, Math.round(over));
    }
    return cut;
  };
  const frames = () => new Promise((resolve) => {
    let done = false;
    const end = () => { if (!done) { done = true; resolve(); } };
    requestAnimationFrame(() => requestAnimationFrame(end));
    setTimeout(end, 300);  // a page in the background gets no frame: never wait for ever
  });
""")

_MEASURE_JS = r"""async (args) => {
""" + DOM_HELPERS_JS + r"""
  if (args.wait) await frames();  // the window was resized: let the page's resize handlers run
  const de = document.documentElement, body = document.body;
  const vw = de.clientWidth;
  const sx = window.scrollX;
  const hiddenX = (st) => st.overflowX === "hidden" || st.overflowX === "clip";
  const rootHidden = hiddenX(getComputedStyle(de)) || (!!body && hiddenX(getComputedStyle(body)));
  const scrollWidth = Math.max((document.scrollingElement || de).scrollWidth, body ? body.scrollWidth : 0);
  const out = { width: window.innerWidth, height: window.innerHeight, client_width: vw, scroll_width: scrollWidth,
                scrolls: scrollWidth > vw + 1, root_hidden: rootHidden, overflow: [], allowed: [], clipped: [],
                hidden_offscreen: 0, examined: 0, capped: false };
  if (!body) return out;

  // what scrolls in two dimensions by design (WCAG 1.4.10's exception)
  const MAP = /(^|\s)(leaflet-container|maplibregl-map|mapboxgl-map|ol-viewport|gm-style|fr-map)(\s|$)/;
  const kindOf = (el) => {
    const t = el.localName, role = el.getAttribute("role") || "";
    if (t === "table") {
      if (/^(presentation|none)$/.test(role)) return null;
      return el.querySelector("th, caption, [scope]") ? "table" : null;
    }
    if (role === "grid" || role === "table" || role === "treegrid") return "table";
    // a row of tabs or tools that scrolls sideways (the DSFR's tabs): one line of controls by design
    if (role === "tablist" || role === "toolbar" || role === "menubar") return "tabs";
    if (t === "pre" || t === "code") return "code";
    if (t === "video" || t === "canvas") return t;
    if (t === "img" || t === "svg" || t === "picture") return "image";
    if (role === "application" || MAP.test(typeof el.className === "string" ? el.className : "")) return "map";
    if (t === "iframe" && /map|carte|geoportail|openstreetmap/i.test((el.getAttribute("src") || "") + " " + (el.title || ""))) return "map";
    return null;
  };
  const CONTENT = "input:not([type=hidden]), select, textarea, button, img[alt]:not([alt='']), svg[role=img], video, canvas, iframe";
  const hasContent = (el) => !!norm(el.textContent) || el.matches(CONTENT) || !!el.querySelector(CONTENT);
  // how far the element's own text reaches (a long word, an address), when the box itself fits
  const textRight = (el) => {
    let right = -Infinity;
    for (const n of el.childNodes) {
      if (n.nodeType !== 3 || !/\S/.test(n.data)) continue;
      const rg = document.createRange();
      rg.selectNodeContents(n);
      const r = rg.getBoundingClientRect();
      if (r.width > 0) right = Math.max(right, r.right);
    }
    return right;
  };

  // does some visible text, control or image of ``el`` reach past the right edge?
  const contentBeyond = (el) => {
    const tw = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let n, seen = 0;
    while ((n = tw.nextNode()) && seen++ < 3000) {
      if (!/\S/.test(n.data)) continue;
      const h = n.parentElement;
      if (!h || h.offsetWidth <= 2 || h.offsetHeight <= 2) continue;  // visually hidden text
      const rg = document.createRange();
      rg.selectNodeContents(n);
      const r = rg.getBoundingClientRect();
      if (r.width >= 1 && r.height >= 1 && r.right + sx > vw + 1 && shown(h, h.getBoundingClientRect())) return true;
    }
    const items = el.matches(CONTENT) ? [el] : Array.from(el.querySelectorAll(CONTENT)).slice(0, 300);
    return items.some((c) => { const r = c.getBoundingClientRect(); return r.right + sx > vw + 1 && shown(c, r); });
  };

  const ROOT = { confine: null, allowed: null, covered: false };
  const boxOnly = [];
  const SKIP = new Set(["script", "style", "template", "noscript", "head", "link", "meta"]);
  const info = new Map();
  const seenAllowed = new Map();
  const overflow = [];
  const clipped = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_ELEMENT, { acceptNode: (n) =>
    SKIP.has(n.localName) || getComputedStyle(n).display === "none" ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  for (let el = body; el; el = walker.nextNode()) {
    if (++out.examined > args.maxWalk) { out.capped = true; break; }
    const parent = el.parentElement;
    const pi = (el !== body && parent && info.get(parent)) || ROOT;
    const st = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    // the nearest ancestor that scrolls or clips horizontally and fits the viewport confines its content
    // (the root's and the body's overflow is the viewport's: never a confinement)
    let confine = pi.confine;
    if (pi !== ROOT && parent !== body && pi.ox !== "visible" && pi.right <= vw + 1) {
      confine = { el: parent, scrolls: pi.ox === "auto" || pi.ox === "scroll" };
    }
    const kind = kindOf(el);
    const me = { confine, allowed: pi.allowed || (kind ? { el, kind } : null), covered: pi.covered,
                 right: r.right + sx, ox: st.overflowX };
    info.set(el, me);
    let right = r.right + sx;
    if (right <= vw + 1 && st.overflowX === "visible" && el.scrollWidth > el.clientWidth + 1) {
      right = Math.max(right, textRight(el) + sx);
    }
    if (right > vw + 1 && !me.covered && shown(el, r)) {
      if (rootHidden && r.left + sx >= vw - 1) {
        // wholly past the edge of a window that cannot scroll there: put out of view on purpose (a drawer)
        me.covered = true;
        out.hidden_offscreen++;
      } else if (confine) {
        // scrolled to inside a box that fits (or cut off by it: the clipped-text pass sees that)
        me.covered = true;
        if (confine.scrolls) {
          let entry = seenAllowed.get(confine.el);
          if (!entry) {
            entry = { el: confine.el, kind: null, in_scroller: true, overflow: 0, text: false };
            seenAllowed.set(confine.el, entry);
          }
          entry.overflow = Math.max(entry.overflow, Math.round(right - vw));
          if (me.allowed && confine.el.contains(me.allowed.el)) entry.kind = entry.kind || me.allowed.kind;
          else if (norm(el.textContent)) entry.text = true;  // text, not a table: reflow it could
        }
      } else if (me.allowed) {
        me.covered = true;
        if (!seenAllowed.has(me.allowed.el)) {
          seenAllowed.set(me.allowed.el, { el: me.allowed.el, kind: me.allowed.kind, in_scroller: false,
                                           overflow: Math.round(right - vw), text: false });
        }
      } else if (hasContent(el)) {
        // its whole subtree is judged here: content beyond the edge, or only an empty margin (a grid gutter)
        me.covered = true;
        const item = { el, overflow: Math.round(right - vw), fixed: st.position === "fixed",
                       offscreen: r.left + sx >= vw, box: r };
        (contentBeyond(el) ? overflow : boxOnly).push(item);
      }
    }
    // text cut off by a box that hides its overflow (a scroll container lets the user reach it)
    if (args.clipped && el !== body && (hiddenX(st) || st.overflowY === "hidden" || st.overflowY === "clip")
        && el.clientWidth >= 4 && el.clientHeight >= 4
        && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) && shown(el, r)) {
      const cut = clippedText(el);
      if (cut) clipped.push({ el, cut, box: r });
    }
  }

  overflow.sort((a, b) => b.overflow - a.overflow);
  out.overflow_total = overflow.length;
  out.overflow = overflow.slice(0, args.max).map((o) => ({
    selector: cssPath(o.el), tag: o.el.localName, excerpt: excerpt(o.el), overflow: o.overflow,
    fixed: o.fixed, offscreen: o.offscreen, box: docBox(o.box) }));
  boxOnly.sort((a, b) => b.overflow - a.overflow);
  out.box_only_total = boxOnly.length;
  out.box_only = boxOnly.slice(0, args.max).map((o) => ({
    selector: cssPath(o.el), tag: o.el.localName, excerpt: excerpt(o.el), overflow: o.overflow, box: docBox(o.box) }));
  const allowed = Array.from(seenAllowed.values()).sort((a, b) => b.overflow - a.overflow);
  out.allowed_total = allowed.length;
  out.allowed = allowed.slice(0, args.max).map((a) => ({
    selector: cssPath(a.el), tag: a.el.localName, kind: a.kind || "scroll", in_scroller: a.in_scroller, text: a.text,
    excerpt: excerpt(a.el), overflow: a.overflow, box: docBox(a.el.getBoundingClientRect()) }));
  clipped.sort((a, b) => b.cut - a.cut);
  out.clipped_all = clipped.length;
  out.clipped = clipped.slice(0, args.maxClipped).map((c) => ({
    selector: cssPath(c.el), tag: c.el.localName, excerpt: excerpt(c.el), cut: c.cut, box: docBox(c.box) }));
  return out;
}"""

_BANDS_JS = r"""async (args) => {
""" + DOM_HELPERS_JS + r"""
  await frames();  // the window was resized: let the page's resize handlers run
  const de = document.documentElement, vw = de.clientWidth, vh = de.clientHeight;
  const out = { width: window.innerWidth, height: window.innerHeight, client_height: vh, covered: 0, bands: [],
                examined: 0, capped: false };
  if (!document.body) return out;
  const SKIP = new Set(["script", "style", "template", "noscript", "head", "link", "meta"]);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT, { acceptNode: (n) => {
    if (out.capped || SKIP.has(n.localName)) return NodeFilter.FILTER_REJECT;
    if (++out.examined > args.maxWalk) { out.capped = true; return NodeFilter.FILTER_REJECT; }
    const st = getComputedStyle(n);
    if (st.display === "none") return NodeFilter.FILTER_REJECT;
    if (st.position !== "fixed" && st.position !== "sticky") return NodeFilter.FILTER_SKIP;
    const r = n.getBoundingClientRect();
    if (st.position === "sticky") {
      // it sticks only with an offset, inside a parent that scrolls past it for a window at least
      if (st.top === "auto" && st.bottom === "auto") return NodeFilter.FILTER_SKIP;
      const p = n.parentElement;
      if (!p || p.getBoundingClientRect().height - r.height < vh) return NodeFilter.FILTER_SKIP;
    }
    const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
    const w = Math.min(r.right, vw) - Math.max(r.left, 0);
    if (bottom - top < 1 || w < vw / 2 || !shown(n, r)) return NodeFilter.FILTER_SKIP;
    found.push({ el: n, position: st.position, top, bottom, r });
    return NodeFilter.FILTER_REJECT;  // the outermost band answers for what it holds
  } });
  while (walker.nextNode());
  // the height they cover together (bands that overlap are counted once)
  const spans = found.map((f) => [f.top, f.bottom]).sort((a, b) => a[0] - b[0]);
  let covered = 0, end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  out.covered = Math.round(covered);
  found.sort((a, b) => (b.bottom - b.top) - (a.bottom - a.top));
  out.bands = found.slice(0, args.max).map((f) => ({
    selector: cssPath(f.el), tag: f.el.localName, excerpt: excerpt(f.el), position: f.position,
    height: Math.round(f.bottom - f.top), box: docBox(f.r) }));
  return out;
}"""


_STATE_JS = "() => ({x: window.scrollX, y: window.scrollY, w: window.innerWidth, h: window.innerHeight})"

_RESTORE_JS = r"""async (args) => {
""" + DOM_HELPERS_JS + r"""
  await frames();
  window.scrollTo({ left: args.x, top: args.y, behavior: "instant" });
  const boxes = args.selectors.map((sel) => {
    let el = null;
    try { el = document.querySelector(sel); } catch (e) { return null; }
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return r.width >= 1 && r.height >= 1 ? docBox(r) : null;
  });
  return { x: window.scrollX, y: window.scrollY, w: window.innerWidth, h: window.innerHeight, boxes };
}"""


async def _measure(page: Any, cdp: Any, width: int, height: int, clipped: bool) -> dict[str, Any]:
    await page.set_viewport_size({"width": width, "height": height})
    return await call(page, cdp, _MEASURE_JS, {"maxWalk": MAX_WALK, "max": MAX_ITEMS, "clipped": clipped,
                                               "maxClipped": MAX_BASELINE, "wait": True})


def _new_clipped(at: dict[str, Any], baseline: set[str]) -> None:
    """Keep the text clipped at this width only (a carousel clips at every width: not reflow's doing)."""
    new = [c for c in at.pop("clipped") if c["selector"] not in baseline]
    at["clipped_total"] = len(new) if at.pop("clipped_all") <= MAX_BASELINE else None  # None: more than counted
    at["clipped"] = new[:MAX_ITEMS]


@probe("reflow")
async def reflow(page: Any, timeout_s: float) -> dict[str, Any]:
    """Narrow the page to 320 px, then to half its width (200 % zoom), record what overflows; then
    lower it to 256 px, record the fixed and sticky bands; restore it."""
    cdp = await session(page)
    state = await call(page, cdp, _STATE_JS)
    viewport = page.viewport_size or {"width": state["w"], "height": state["h"]}
    width, height = int(viewport["width"]), int(viewport["height"])
    out: dict[str, Any] = {"viewport": {"width": width, "height": height},
                           "scroll": {"x": state["x"], "y": state["y"]}}
    try:
        base = await call(page, cdp, _MEASURE_JS, {"maxWalk": MAX_WALK, "max": 0, "clipped": True,
                                                   "maxClipped": MAX_BASELINE, "wait": False})
        baseline = {c["selector"] for c in base["clipped"]}
        out["clipped_at_width"] = base["clipped_all"]
        narrow = await _measure(page, cdp, *NARROW, clipped=True)
        _new_clipped(narrow, baseline)
        out["narrow"] = narrow
        half = (width // 2, max(height // 2, 200))
        if half[0] > NARROW[0]:
            zoom = await _measure(page, cdp, *half, clipped=True)
            _new_clipped(zoom, baseline)
            out["zoom_200"] = zoom
        else:  # the page's own width is at most 640 px: 320 px already is 200 % of it or more
            out["zoom_200"] = None
        await page.set_viewport_size({"width": width, "height": LOW})
        out["height_256"] = await call(page, cdp, _BANDS_JS, {"maxWalk": MAX_WALK, "max": MAX_ITEMS})
    finally:
        out["restored"] = await asyncio.wait_for(_restore(page, cdp, viewport, state, out), timeout=10)
    return out


async def _restore(page: Any, cdp: Any, viewport: dict[str, int], state: dict[str, Any],
                   out: dict[str, Any]) -> dict[str, Any]:
    """Put the viewport and scroll position back, and re-measure the reported
    elements' boxes in the page's own layout (those of its screenshot)."""
    await page.set_viewport_size({"width": int(viewport["width"]), "height": int(viewport["height"])})
    items = [(it, "narrow") for key in ("narrow", "zoom_200") if out.get(key)
             for kind in ("overflow", "allowed", "clipped", "box_only") for it in out[key][kind]]
    items += [(it, "height_256") for it in (out.get("height_256") or {}).get("bands", [])]
    got = await call(page, cdp, _RESTORE_JS, {"x": state["x"], "y": state["y"],
                                              "selectors": [it["selector"] for it, _ in items]})
    for (it, at), box in zip(items, got["boxes"]):
        if box:
            it["box"] = box
        else:  # not rendered in the page's own layout (a mobile-only block): the box measured where it was
            it["box_at"] = at
    return {"viewport": got["w"] == viewport["width"] and got["h"] == viewport["height"],
            "scroll": abs(got["x"] - state["x"]) <= 1 and abs(got["y"] - state["y"]) <= 1}
