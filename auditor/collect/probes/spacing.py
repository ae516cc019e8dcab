"""Text spacing probe (RGAA 10.12): the page with WCAG 1.4.12's spacing, then without it.

An auditor checks 10.12 with a bookmarklet that applies the spacing of WCAG
1.4.12 (line height 1.5, letter spacing 0.12 em, word spacing 0.16 em,
paragraph spacing 2 em) and looks for text cut off or overlapping.  The
probe does the same in one script, so the page is never left half styled:

1. it lists the elements that hold text (their own text nodes; at most
   ``MAX_TEXTS``, in document order) and the boxes around them that hide
   their overflow (``hidden`` / ``clip``: a scroll container lets the user
   reach its text), and measures them: where each one's text lines are, how
   far text already sticks out of each such box;
2. it applies the spacing with a constructed style sheet (``adoptedStyleSheets``:
   no element added to the DOM, so no framework's observer reacts, and a
   Content-Security-Policy that forbids inline styles does not block it),
   and measures again;
3. it removes the sheet, puts the scroll position back and checks that every
   listed element is where it was.

Raw facts only (``auditor/checks/text_spacing.py`` judges): the boxes whose
text becomes cut off (scroll size grown past a box of fixed size), and the
pairs of near text holders (same neighbourhood in document order, neither
inside the other) whose text lines intersect with the spacing and did not
without it: a linear number of pairs, not every pair of the page.  Shadow
roots and frames are not examined (the sheet is the document's).
"""

from __future__ import annotations

from typing import Any

from ..page_call import call
from . import probe, session
from .reflow import DOM_HELPERS_JS

MAX_TEXTS = 400  # text holders measured per page (document order)
NEIGHBOURS = 6  # each holder is compared with the next ones in document order
MAX_ITEMS = 20  # clipped boxes and overlapping pairs reported per page
SPACING_CSS = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
               "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")
STYLE_ID = "auditor-text-spacing"  # the <style> used only where adoptedStyleSheets is missing

_SPACING_JS = r"""async (args) => {
""" + DOM_HELPERS_JS + r"""
  const body = document.body;
  if (!body) return { texts: 0, capped: false, boxes: 0, clipped: [], overlap: [], applied: false, restored: true };
  const sx = window.scrollX, sy = window.scrollY;
  const SKIP = new Set(["script", "style", "template", "noscript", "head", "svg", "math", "iframe", "object"]);
  const hides = (st) => ["hidden", "clip"].includes(st.overflowX) || ["hidden", "clip"].includes(st.overflowY);

  // 1. the text holders and the boxes that hide their overflow
  const texts = [];
  let capped = false;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_ELEMENT, { acceptNode: (n) =>
    SKIP.has(n.localName) || getComputedStyle(n).display === "none" ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  for (let el = walker.nextNode(); el; el = walker.nextNode()) {
    let own = false;
    for (const c of el.childNodes) if (c.nodeType === 3 && /\S/.test(c.data)) { own = true; break; }
    if (!own || !shown(el, el.getBoundingClientRect())) continue;
    if (texts.length >= args.maxTexts) { capped = true; break; }
    texts.push(el);
  }
  const boxes = [];
  const looked = new Set();
  for (const el of texts) {
    for (let n = el; n && n !== body && !looked.has(n); n = n.parentElement) {
      looked.add(n);
      if (n.clientWidth >= 4 && n.clientHeight >= 4 && hides(getComputedStyle(n))) boxes.push(n);
    }
  }
  // the part of the page where ``el``'s content can show: its ancestors (and itself) that do not let
  // their content overflow cut it ([left, top, right, bottom] in document coordinates; null: everywhere)
  const clipOf = (el, memo) => {
    if (!el || el === body || el === document.documentElement) return null;
    if (memo.has(el)) return memo.get(el);
    let c = clipOf(el.parentElement, memo);
    const st = getComputedStyle(el);
    if (st.overflowX !== "visible" || st.overflowY !== "visible") {
      const r = el.getBoundingClientRect();
      const l = r.left + el.clientLeft + window.scrollX, t = r.top + el.clientTop + window.scrollY;
      const x = st.overflowX !== "visible", y = st.overflowY !== "visible";
      const b = [x ? l : -Infinity, y ? t : -Infinity, x ? l + el.clientWidth : Infinity, y ? t + el.clientHeight : Infinity];
      c = c ? [Math.max(c[0], b[0]), Math.max(c[1], b[1]), Math.min(c[2], b[2]), Math.min(c[3], b[3])] : b;
    }
    memo.set(el, c);
    return c;
  };
  // in a fixed or sticky block (a header that stays on screen): its place on the page depends on scrolling
  const pinned = new Map();
  const pinnedIn = (el) => {
    if (!el || el === body) return null;
    if (pinned.has(el)) return pinned.get(el);
    const pos = getComputedStyle(el).position;
    const v = pos === "fixed" || pos === "sticky" ? el : pinnedIn(el.parentElement);
    pinned.set(el, v);
    return v;
  };
  // where each holder's own text lines show (client rects of its text nodes, cut to what its boxes
  // let show: the name of an icon-only button pushed out of view is not there to overlap), in
  // document coordinates
  const lines = (el, memo) => {
    const clip = clipOf(el, memo);
    const out = [];
    for (const c of el.childNodes) {
      if (c.nodeType !== 3 || !/\S/.test(c.data)) continue;
      const rg = document.createRange();
      rg.selectNodeContents(c);
      for (const r of rg.getClientRects()) {
        let q = [r.left + window.scrollX, r.top + window.scrollY, r.right + window.scrollX, r.bottom + window.scrollY];
        if (clip) q = [Math.max(q[0], clip[0]), Math.max(q[1], clip[1]), Math.min(q[2], clip[2]), Math.min(q[3], clip[3])];
        if (q[2] - q[0] >= 1 && q[3] - q[1] >= 1 && out.length < 40) out.push(q);
      }
    }
    return out;
  };
  const measure = () => { const memo = new Map(); return {
    lines: texts.map((el) => lines(el, memo)),
    cut: boxes.map(clippedText),
    size: boxes.map((b) => [b.scrollWidth, b.scrollHeight, b.clientWidth, b.clientHeight]),
    rects: texts.map((el) => { const r = el.getBoundingClientRect(); return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; }),
  }; };
  const before = measure();
  const boxesBefore = new Map(boxes.map((b) => [b, docBox(b.getBoundingClientRect())]));

  // 2. the spacing of WCAG 1.4.12
  let sheet = null, styleEl = null;
  if (document.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(args.css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } else {
    styleEl = document.createElement("style");
    styleEl.id = args.styleId;
    styleEl.textContent = args.css;
    (document.head || document.documentElement).appendChild(styleEl);
  }
  let after = null, applied = false;
  try {
    await frames();
    const fs = parseFloat(getComputedStyle(body).fontSize) || 16;
    applied = Math.abs((parseFloat(getComputedStyle(body).letterSpacing) || 0) - 0.12 * fs) < 0.05;
    after = measure();
  } finally {
    // 3. the page as it was
    if (sheet) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    if (styleEl) styleEl.remove();
  }
  // no frame to wait for: measuring lays the page out again at once (the frames waited for above
  // let the page's own resize observers react to the spacing)
  window.scrollTo({ left: sx, top: sy, behavior: "instant" });
  const back = measure();
  const moved = back.rects.filter((r, i) => r.some((v, k) => Math.abs(v - before.rects[i][k]) > 0.5)).length;

  // boxes whose text was inside and is cut off now
  const clipped = [];
  boxes.forEach((b, i) => {
    if (before.cut[i] <= 1 && after.cut[i] > 1) {
      const [sw, sh, cw, ch] = after.size[i];
      clipped.push({ selector: cssPath(b), tag: b.localName, excerpt: excerpt(b), cut: after.cut[i],
                     axis: (sh > ch + 1 ? "y" : "") + (sw > cw + 1 ? "x" : "") || "y",
                     scroll: { width: sw, height: sh }, client: { width: cw, height: ch },
                     box: boxesBefore.get(b) });
    }
  });
  clipped.sort((a, b) => b.cut - a.cut);

  // near holders whose text lines meet with the spacing and did not without it
  const meet = (a, b) => {
    let best = 0;
    for (const p of a) for (const q of b) {
      const w = Math.min(p[2], q[2]) - Math.max(p[0], q[0]), h = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
      if (w > 0 && h > 0) best = Math.max(best, Math.min(w, h));
    }
    return best;
  };
  const overlap = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < Math.min(texts.length, i + 1 + args.neighbours); j++) {
      const a = texts[i], b = texts[j];
      if (a.contains(b) || b.contains(a) || pinnedIn(a) !== pinnedIn(b)) continue;
      const now = meet(after.lines[i], after.lines[j]);
      if (now >= 2 && meet(before.lines[i], before.lines[j]) < 1) {
        const ra = before.rects[i], rb = before.rects[j];
        const x = Math.min(ra[0], rb[0]), y = Math.min(ra[1], rb[1]);
        overlap.push({ selector: cssPath(a), other: cssPath(b), excerpt: excerpt(a), other_excerpt: excerpt(b),
                       depth: Math.round(now),
                       box: { x: Math.round(x), y: Math.round(y),
                              width: Math.round(Math.max(ra[0] + ra[2], rb[0] + rb[2]) - x),
                              height: Math.round(Math.max(ra[1] + ra[3], rb[1] + rb[3]) - y) } });
      }
    }
  }
  overlap.sort((a, b) => b.depth - a.depth);
  return {
    texts: texts.length, capped, boxes: boxes.length, applied,
    clipped_total: clipped.length, clipped: clipped.slice(0, args.max),
    overlap_total: overlap.length, overlap: overlap.slice(0, args.max),
    restored: moved === 0 && window.scrollX === sx && window.scrollY === sy, moved,
    style_left: !!document.getElementById(args.styleId) || (sheet !== null && document.adoptedStyleSheets.includes(sheet)),
  };
}"""


@probe("text_spacing")
async def text_spacing(page: Any, timeout_s: float) -> dict[str, Any]:
    """Apply WCAG 1.4.12's text spacing, record the text it cuts off or piles up; remove it."""
    out: dict[str, Any] = await call(page, await session(page), _SPACING_JS, {
        "css": SPACING_CSS, "styleId": STYLE_ID, "maxTexts": MAX_TEXTS, "neighbours": NEIGHBOURS, "max": MAX_ITEMS})
    if not out.get("applied") and out.get("texts"):
        # a page's own `!important` rules of higher specificity on <body> win: say so, judge nothing
        out["error"] = "espacement du texte non appliqué (styles de la page prioritaires)"
    return out
