// Locates axe targets inside one frame, so the report can draw the failing
// element on the page's screenshot.  Evaluated as a function expression:
// (opts) => result, with opts = {targets: [selector…], page: bool, element: bool}.
// A target is a CSS selector, or a list of selectors crossing shadow roots
// (axe's format).  Boxes are [x, y, width, height] in CSS pixels: relative to
// the document when opts.page (top frame: the full-page screenshot's
// coordinates), to the frame's viewport otherwise.  With opts.element the
// first target's element is returned too (an <iframe>: the caller enters it)
// and its box is its content box (inside border and padding), where the
// child document is drawn.
(opts) => {
  const find = (sel) => {
    const parts = Array.isArray(sel) ? sel : [sel];
    let root = document;
    let el = null;
    for (let i = 0; i < parts.length; i++) {
      try { el = root.querySelector(String(parts[i])); } catch (e) { return null; }
      if (!el) return null;
      if (i < parts.length - 1) {
        root = el.shadowRoot;
        if (!root) return null;
      }
    }
    return el;
  };
  const sx = opts.page ? window.scrollX : 0;
  const sy = opts.page ? window.scrollY : 0;
  const box = (el, content) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return null; // not rendered: nothing to draw
    let x = r.left, y = r.top, w = r.width, h = r.height;
    if (content) {
      const cs = getComputedStyle(el);
      const pl = parseFloat(cs.paddingLeft) || 0, pt = parseFloat(cs.paddingTop) || 0;
      x += el.clientLeft + pl;
      y += el.clientTop + pt;
      w = el.clientWidth - pl - (parseFloat(cs.paddingRight) || 0);
      h = el.clientHeight - pt - (parseFloat(cs.paddingBottom) || 0);
    }
    return [x + sx, y + sy, w, h];
  };
  if (opts.element) {
    const el = find(opts.targets[0]);
    return { el, box: el ? box(el, true) : null };
  }
  return opts.targets.map((sel) => {
    const el = find(sel);
    return el ? box(el, false) : null;
  });
}
