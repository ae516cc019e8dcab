// The keyboard walk's page side (auditor/collect/probes/keyboard.py).
// Evaluated once as a function expression: (opts) => facts.  It resets the
// focus to the top of the page, lists what the keyboard should reach, reads
// the unfocused styles of everything focusable, then installs
// window.__auditorKeyboard: the few functions the walk calls after each Tab
// (step), for the pixel fallback (blur, refocus), to judge a cycle
// (outside), after the walk (finish) and to put the page back (restore);
// keyboard_batch.js adds the reading of several presses at once (collect).
// Elements are kept by reference in that object, never marked in the DOM:
// a probe must leave the page as it found it.
(opts) => {
  const MAX_CANDIDATES = opts.max_candidates || 400;
  const MAX_SCAN = opts.max_scan || 6000;
  // unfocused styles are read for every focusable element shown when the walk starts (a page can hide
  // hundreds of links in closed menus before its content: the candidates' cap must not leave the visible
  // ones without a baseline), and, as the walk goes, for the next ones in the code that have appeared since
  const MAX_BASE = opts.max_base || 1000;
  const LOOKAHEAD = 20;  // shown elements read ahead of the focus (among at most 20 times as many in the code)
  const STYLE_PROPS = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "borderTopWidth",
    "borderTopStyle", "borderTopColor", "borderBottomWidth", "borderBottomStyle", "borderBottomColor",
    "borderLeftColor", "borderRightColor", "backgroundColor", "color", "textDecorationLine",
    "textDecorationColor"];
  const PROP_NAMES = ["outline-style", "outline-width", "outline-color", "box-shadow", "border-top-width",
    "border-top-style", "border-top-color", "border-bottom-width", "border-bottom-style", "border-bottom-color",
    "border-left-color", "border-right-color", "background-color", "color", "text-decoration-line",
    "text-decoration-color"];
  const NATIVE = "a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, " +
    "[contenteditable]:not([contenteditable=false]), audio[controls], video[controls]";
  const CONTROL_ROLES = new Set(["button", "link", "checkbox", "radio", "switch", "tab", "menuitem",
    "menuitemcheckbox", "menuitemradio", "option", "treeitem", "slider", "spinbutton", "combobox", "textbox",
    "searchbox", "gridcell"]);
  // roles a composite widget owns and moves focus among itself (roving tabindex, aria-activedescendant)
  const OWNED = new Set(["option", "treeitem", "menuitem", "menuitemcheckbox", "menuitemradio", "tab", "gridcell",
    "radio", "row"]);
  const COMPOSITE = "[role=listbox], [role=tree], [role=treegrid], [role=menu], [role=menubar], [role=tablist], " +
    "[role=grid], [role=radiogroup]";
  const HANDLER_ATTRS = ["onclick", "onmousedown", "onmouseup", "ng-click", "data-ng-click", "v-on:click", "@click",
    "jsaction", "(click)"];
  const HANDLER_HINT = /(^|[\s_-])(btn|button|bouton|clickable|cliquable|toggle|link|lien|action)([\s_-]|$)/i;

  /* @include prelude.js */
  // a CSS path from the element's root; inside a shadow tree, the host's path first (" >>> " between)
  const cssPath = (el) => {
    const root = el.getRootNode ? el.getRootNode() : document;
    const inShadow = root !== document && root.host;
    return (inShadow ? cssPath(root.host) + " >>> " : "") + selectorIn(el, root);
  };
  const accName = (el) => {
    const lb = textOfIds(el.getAttribute("aria-labelledby"));
    if (lb) return lb;
    const al = norm(el.getAttribute("aria-label"));
    if (al) return al;
    if (["input", "select", "textarea"].includes(el.localName)) {
      if (el.localName === "input" && ["submit", "button", "reset"].includes(el.type)) return norm(el.value);
      if (el.localName === "input" && el.type === "image") return norm(el.alt || el.getAttribute("title"));
      const lab = el.labels && el.labels.length ? norm(el.labels[0].innerText || el.labels[0].textContent) : "";
      return lab || norm(el.getAttribute("title") || el.getAttribute("placeholder"));
    }
    const t = norm(el.innerText || el.textContent);
    if (t) return t;
    const img = el.querySelector && el.querySelector("img[alt], svg[aria-label], [role=img][aria-label]");
    if (img) {
      const n = norm(img.getAttribute("alt") || img.getAttribute("aria-label"));
      if (n) return n;
    }
    return norm(el.getAttribute("title"));
  };
  const roleOf = (el) => {
    const r = (el.getAttribute("role") || "").trim().split(/\s+/)[0];
    if (r) return r;
    const tag = el.localName;
    if (tag === "a" || tag === "area") return el.hasAttribute("href") ? "link" : "";
    if (tag === "button" || tag === "summary") return "button";
    if (tag === "select") return el.multiple || el.size > 1 ? "listbox" : "combobox";
    if (tag === "textarea") return "textbox";
    if (tag === "input") {
      const t = el.type;
      if (["button", "submit", "reset", "image"].includes(t)) return "button";
      if (["checkbox", "radio"].includes(t)) return t;
      if (t === "range") return "slider";
      if (t === "number") return "spinbutton";
      if (t === "search") return "searchbox";
      return "textbox";
    }
    return "";
  };
  // where the element is drawn: its box, or, for a link of no size around blocks (an inline <a> holding
  // a card or an image), the union of what it holds
  const rectOf = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width >= 1 && r.height >= 1) return r;
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    const inner = el.querySelectorAll ? el.querySelectorAll("*") : [];
    for (let i = 0; i < inner.length && i < 50; i++) {
      const c = inner[i].getBoundingClientRect();
      if (c.width < 1 || c.height < 1) continue;
      left = Math.min(left, c.left); top = Math.min(top, c.top);
      right = Math.max(right, c.right); bottom = Math.max(bottom, c.bottom);
    }
    if (left === Infinity) return r;
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  };
  const isShown = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = rectOf(el);
    return r.width >= 2 && r.height >= 2;
  };
  // on the page at all: somewhere a reader can scroll to (not parked at -9999px)
  const onPage = (el) => {
    const r = rectOf(el);
    return r.right + window.scrollX > 0 && r.bottom + window.scrollY > 0;
  };
  const isInert = (el) => !!(el.closest && el.closest("[inert]"));
  const isDisabled = (el) => {
    try { if (el.matches(":disabled")) return true; } catch (e) { /* not a form control */ }
    return el.getAttribute("aria-disabled") === "true";
  };
  const docBox = (el) => {
    const r = rectOf(el);
    return { x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY),
      width: Math.round(r.width), height: Math.round(r.height) };
  };
  const isFixed = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const p = getComputedStyle(n).position;
      if (p === "fixed" || p === "sticky") return true;
    }
    return false;
  };
  const deepActive = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
  const excerpt = (el) => {
    const n = accName(el);
    if (n) return n.slice(0, 120);
    return el.outerHTML.replace(/\s+/g, " ").slice(0, 120);
  };

  // --- focus styles: the element, its pseudo-elements, its labels (a DSFR checkbox draws its focus
  // ring on label::before) and its parent (:focus-within), read as one signature per part
  const styleOf = (el, pseudo) => {
    const cs = getComputedStyle(el, pseudo || null);
    const v = STYLE_PROPS.map((p) => cs[p]);
    // an outline that draws nothing is no outline: only its style, width and colour together say so
    if (v[0] === "none" || parseFloat(v[1]) === 0 || /rgba\(.*,\s*0\)$/.test(v[2]) || v[2] === "transparent") {
      v[0] = "none"; v[1] = ""; v[2] = "";
    }
    if (pseudo && (cs.content === "none" || cs.content === "normal")) return null;
    return v;
  };
  const partsOf = (el) => {
    const parts = [["", el, null], ["::before", el, "::before"], ["::after", el, "::after"]];
    const labels = el.labels ? Array.from(el.labels).slice(0, 2) : [];
    for (const lb of labels) {
      parts.push(["label", lb, null], ["label::before", lb, "::before"], ["label::after", lb, "::after"]);
    }
    if (el.parentElement && el.parentElement !== document.body) parts.push(["parent", el.parentElement, null]);
    return parts;
  };
  const signature = (el) => partsOf(el).map(([name, node, pseudo]) => [name, styleOf(node, pseudo)]);
  const diff = (before, after) => {
    const out = [];
    const had = new Map(before.map(([n, v]) => [n, v]));
    for (const [name, v] of after) {
      const b = had.has(name) ? had.get(name) : null;
      if (!v && !b) continue;
      if (!v || !b) { out.push((name ? name + " " : "") + "content"); continue; }
      for (let i = 0; i < v.length; i++) {
        if (v[i] !== b[i]) out.push((name ? name + " " : "") + PROP_NAMES[i]);
      }
    }
    return out;
  };

  // --- where the walk starts: nothing focused, top of the page, the body as the point Tab starts from
  const start = { x: window.scrollX, y: window.scrollY };
  const startActive = deepActive();
  if (startActive && startActive !== document.body && startActive.blur) startActive.blur();
  window.scrollTo({ left: 0, top: 0, behavior: "instant" });
  const body = document.body;
  if (body) {
    const had = body.getAttribute("tabindex");
    body.setAttribute("tabindex", "-1");
    body.focus({ preventScroll: true });
    if (had === null) body.removeAttribute("tabindex"); else body.setAttribute("tabindex", had);
    if (document.activeElement === body) body.blur();
  }

  // --- what the keyboard should reach, in document order
  // every focusable element of the document (ranks in the code), the first ones the candidates
  const focusables = Array.from(document.querySelectorAll(NATIVE + ", [tabindex]")).slice(0, MAX_SCAN);
  const order = new Map(focusables.map((el, i) => [el, i]));
  const candidates = focusables.slice(0, MAX_CANDIDATES);
  const base = new Map();
  const shownNow = (el) => !el.checkVisibility || el.checkVisibility({ checkVisibilityCSS: true });
  for (const el of candidates) base.set(el, signature(el));
  for (const el of focusables) {
    if (base.size >= MAX_BASE) break;
    if (!base.has(el) && shownNow(el)) base.set(el, signature(el));
  }
  // the next elements in the code after the one focused, shown by now (a menu opened by the focus) and not
  // read yet: read before Tab reaches them
  const readAhead = (el) => {
    const i = order.get(el);
    if (i === undefined) return;
    let shown = 0;
    for (let j = i + 1; j < focusables.length && j <= i + 20 * LOOKAHEAD && shown < LOOKAHEAD; j++) {
      const next = focusables[j];
      if (!shownNow(next)) continue;
      shown++;
      if (!base.has(next)) base.set(next, signature(next));
    }
  };
  const nativeFocusable = (el) => el.matches(NATIVE);
  // click-like: says it is a control (role), or carries a click handler, or shows a hand over itself
  // (not inherited) with a name or class that reads like one; and the keyboard cannot reach it
  const clickLike = [];
  const seenClick = new Set();
  const addClick = (el, kind) => {
    if (seenClick.has(el) || clickLike.length >= 200) return;
    if (nativeFocusable(el) || el.hasAttribute("tabindex")) return;
    if (el.closest("a[href], button, label, summary, select, textarea, [contenteditable]")) return;
    seenClick.add(el);
    clickLike.push([el, kind]);
  };
  for (const el of document.querySelectorAll("[role]")) {
    if (CONTROL_ROLES.has(roleOf(el))) addClick(el, "role");
  }
  for (const el of document.querySelectorAll(HANDLER_ATTRS.map((a) => `[${CSS.escape(a)}]`).join(", "))) {
    addClick(el, "handler");
  }
  const all = body ? body.getElementsByTagName("*") : [];
  for (let i = 0; i < all.length && i < MAX_SCAN; i++) {
    const el = all[i];
    if (seenClick.has(el)) continue;
    if (getComputedStyle(el).cursor !== "pointer") continue;
    const parent = el.parentElement;
    if (parent && getComputedStyle(parent).cursor === "pointer") continue;
    const hint = (typeof el.className === "string" ? el.className : "") + " " + (el.id || "");
    if (HANDLER_HINT.test(hint)) addClick(el, "pointer");
  }
  // scroll containers already scrolled: put back as they were after the walk
  const scrolled = new Map();
  for (const el of candidates) {
    for (let n = el.parentElement; n && n !== body && n !== document.documentElement; n = n.parentElement) {
      if (!scrolled.has(n) && (n.scrollTop || n.scrollLeft)) scrolled.set(n, [n.scrollLeft, n.scrollTop]);
    }
  }
  const shownAtStart = new Set(candidates.filter(isShown));
  const clickShown = clickLike.filter(([el]) => isShown(el) && onPage(el));

  const reached = [];
  const ids = new Map();
  // rank in the source order among the focusable elements; an element of a shadow tree ranks with its host
  // (positions across trees compare arbitrarily), one not listed halfway between its neighbours
  const domIndex = (el) => {
    if (order.has(el)) return order.get(el);
    const root = el.getRootNode ? el.getRootNode() : document;
    if (root !== document && root.host) return domIndex(root.host) + 0.25;
    let lo = 0, hi = focusables.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const pos = focusables[mid].compareDocumentPosition(el);
      if (pos & Node.DOCUMENT_POSITION_FOLLOWING) lo = mid + 1; else hi = mid;
    }
    return lo - 0.5;
  };
  // where an absolutely positioned ::before/::after of the element is drawn: a box in its containing block
  // (the nearest positioned ancestor's padding box), which the DSFR « enlarge link » stretches over a whole
  // card to draw the link's focus ring there; plus what its outline adds around it.  Not a pseudo-element
  // laid over the page itself (no positioned ancestor, or fixed): that is no part of the element
  const containingBlock = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      if (n === document.body || n === document.documentElement) return null;
      const cs = getComputedStyle(n);
      if (cs.position !== "static" || cs.transform !== "none" || cs.filter !== "none" ||
        /paint|layout|strict|content/.test(cs.contain || "")) return n;
    }
    return null;
  };
  const pseudoCovers = (el) => {
    const out = [];
    let cb;
    for (const pseudo of ["::before", "::after"]) {
      const cs = getComputedStyle(el, pseudo);
      if (cs.content === "none" || cs.content === "normal" || cs.display === "none" || cs.position !== "absolute") {
        continue;
      }
      if (cb === undefined) cb = containingBlock(el);
      if (!cb) break;
      const r = cb.getBoundingClientRect(), ccs = getComputedStyle(cb);
      const px = (v) => { const f = parseFloat(v); return Number.isFinite(f) ? f : null; };
      const pl = r.left + (px(ccs.borderLeftWidth) || 0), pt = r.top + (px(ccs.borderTopWidth) || 0);
      const pr = r.right - (px(ccs.borderRightWidth) || 0), pb = r.bottom - (px(ccs.borderBottomWidth) || 0);
      // positioned: the insets read as used lengths; else from one side and the size
      const [L, R, T, B, W, H] = [cs.left, cs.right, cs.top, cs.bottom, cs.width, cs.height].map(px);
      const left = L !== null ? pl + L : R !== null && W !== null ? pr - R - W : null;
      const right = R !== null ? pr - R : left !== null && W !== null ? left + W : null;
      const top = T !== null ? pt + T : B !== null && H !== null ? pb - B - H : null;
      const bottom = B !== null ? pb - B : top !== null && H !== null ? top + H : null;
      if ([left, right, top, bottom].includes(null) || right - left < 1 || bottom - top < 1) continue;
      const ring = cs.outlineStyle !== "none" ? Math.max(0, (px(cs.outlineWidth) || 0) +
        (px(cs.outlineOffset) || 0)) : 0;
      out.push({ left: left - ring, top: top - ring, right: right + ring, bottom: bottom + ring });
    }
    return out;
  };
  // the pixel comparison's crop: the element's box and the boxes its positioned pseudo-elements cover, with
  // a margin (an outline drawn outside), within the window
  const viewportBox = (el, margin, pseudos) => {
    const r = rectOf(el);
    let { left, top, right, bottom } = r;
    const vw = window.innerWidth, vh = window.innerHeight;
    for (const c of pseudos ? pseudoCovers(el) : []) {
      if (c.right - c.left >= vw * 0.9 && c.bottom - c.top >= vh * 0.9) continue;  // laid over the whole window
      left = Math.min(left, c.left); top = Math.min(top, c.top);
      right = Math.max(right, c.right); bottom = Math.max(bottom, c.bottom);
    }
    const x = Math.max(0, Math.floor(left) - margin), y = Math.max(0, Math.floor(top) - margin);
    const x2 = Math.min(vw, Math.ceil(right) + margin), y2 = Math.min(vh, Math.ceil(bottom) + margin);
    return x2 - x >= 2 && y2 - y >= 2 ? { x, y, width: x2 - x, height: y2 - y } : null;
  };
  // focus styles that fade in are still at their unfocused value when read: a CSS transition running on
  // a tracked property says where it goes (its keyframes), read without waiting for it to end
  const transitionChanges = (el) => {
    const out = [];
    if (typeof CSSTransition === "undefined") return out;
    for (const [name, node, pseudo] of partsOf(el)) {
      let anims = [];
      try { anims = node.getAnimations({ subtree: !!pseudo }); } catch (e) { continue; }
      for (const a of anims) {
        const eff = a.effect;
        if (!(a instanceof CSSTransition) || !eff || eff.target !== node || (eff.pseudoElement || null) !== pseudo) {
          continue;
        }
        const prop = a.transitionProperty;
        if (!PROP_NAMES.includes(prop)) continue;
        const key = prop.replace(/-([a-z])/g, (m, c) => c.toUpperCase());
        const frames = eff.getKeyframes();
        if (frames.length >= 2 && frames[0][key] !== frames[frames.length - 1][key]) {
          out.push((name ? name + " " : "") + prop);
        }
      }
    }
    return out;
  };
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

  const api = {
    // what has the focus after a key press
    step() {
      const el = deepActive();
      if (!el || el === document.body || el === document.documentElement) {
        return { kind: document.hasFocus() ? "body" : "out" };
      }
      if (ids.has(el)) {
        const id = ids.get(el);
        return { kind: el.localName === "iframe" ? "frame" : "element", id, repeat: true };
      }
      const id = reached.length;
      reached.push(el);
      ids.set(el, id);
      const r = rectOf(el);
      const inViewport = r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth &&
        r.width > 0 && r.height > 0;
      const shown = el.checkVisibility ? el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) : true;
      const tabindex = el.getAttribute("tabindex");
      const rec = {
        kind: el.localName === "iframe" ? "frame" : "element", id,
        selector: cssPath(el), tag: el.localName, type: el.localName === "input" ? el.type : null,
        role: roleOf(el), name: accName(el).slice(0, 120),
        excerpt: excerpt(el), tabindex: tabindex === null ? null : parseInt(tabindex, 10),
        dom: domIndex(el), box: docBox(el), in_viewport: inViewport, visible: shown, fixed: isFixed(el),
      };
      if (rec.kind === "frame") return rec;
      const before = base.get(el);
      // an element drawn invisibly (a DSFR radio: opacity 0 over its label) shows focus only through
      // its labels or its parent
      const moving = transitionChanges(el);
      rec.focus_changes = before || moving.length ? [...new Set([...(before ? diff(before, signature(el)) : []),
        ...moving])].filter((c) => shown || c.startsWith("label") || c.startsWith("parent")) : null;
      // (the crop is only taken when no style changed: its pseudo-elements' boxes are read only then)
      rec.clip = viewportBox(el, opts.margin || 6, !(rec.focus_changes && rec.focus_changes.length));
      readAhead(el);
      return rec;
    },
    // the pixel fallback: the focused element without its focus, then focused again
    async blur(id) {
      const el = reached[id];
      if (!el || deepActive() !== el) return false;
      el.blur();
      await frame();
      return true;
    },
    async refocus(id) {
      const el = reached[id];
      if (!el) return false;
      el.focus({ preventScroll: true, focusVisible: true });
      await frame();
      return deepActive() === el;
    },
    // shown, tabbable elements not reached yet (null: too many to count), so that a batch of presses is not
    // longer than the walk can use
    left() {
      if (focusables.length > candidates.length) return null;
      const done = new Set(reached);
      return candidates.filter((el) => !done.has(el) && el.isConnected && el.tabIndex >= 0 && !isDisabled(el) &&
        !isInert(el) && isShown(el)).length;
    },
    // a cycle is a trap when the page has other places to go: tabbable elements outside it
    outside(cycle) {
      const inCycle = new Set(cycle.map((i) => reached[i]).filter(Boolean));
      const groups = new Set();
      for (const el of inCycle) {
        if (el.localName === "input" && el.type === "radio" && el.name) groups.add((el.form ? "f" : "") + el.name);
      }
      let n = 0;
      for (const el of candidates) {
        if (inCycle.has(el) || !el.isConnected || el.tabIndex < 0 || isDisabled(el) || isInert(el)) continue;
        if (el.localName === "iframe" || !isShown(el) || !onPage(el)) continue;
        if ([...inCycle].some((c) => c.contains(el) || el.contains(c))) continue;
        if (el.localName === "input" && el.type === "radio" && groups.has((el.form ? "f" : "") + el.name)) continue;
        n++;
      }
      return n;
    },
    // what the walk never reached: controls Tab skipped, click-like elements the keyboard cannot reach
    finish() {
      const reachedSet = new Set(reached);
      const groupReached = (el) => reached.some((r) => r.localName === "input" && r.type === "radio" &&
        r.name === el.name && r.form === el.form);
      const out = [];
      const record = (el, kind) => ({
        selector: cssPath(el), tag: el.localName, role: roleOf(el), name: accName(el).slice(0, 120),
        excerpt: excerpt(el), kind, box: docBox(el),
        tabindex: el.getAttribute("tabindex") === null ? null : parseInt(el.getAttribute("tabindex"), 10),
      });
      for (const el of candidates) {
        if (out.length >= 100) break;
        if (reachedSet.has(el) || !el.isConnected || !shownAtStart.has(el) || !isShown(el) || !onPage(el)) continue;
        if (el.tabIndex < 0 || isDisabled(el) || isInert(el)) continue;
        if (["iframe", "audio", "video"].includes(el.localName)) continue;
        if (el.localName === "input" && el.type === "radio" && el.name && groupReached(el)) continue;
        // inside a reached control (a nested tab stop is another matter) or holding one
        if (reached.some((r) => r !== el && (r.contains(el) || el.contains(r)))) continue;
        out.push(record(el, nativeFocusable(el) ? "native" : "tabindex"));
      }
      for (const [el, kind] of clickShown) {
        if (out.length >= 150) break;
        if (!el.isConnected || reachedSet.has(el) || isDisabled(el) || isInert(el)) continue;
        // the action is reachable through a control it holds (a clickable card around its link)
        if (el.querySelector(NATIVE + ", [tabindex]")) continue;
        const role = roleOf(el);
        if (OWNED.has(role)) {
          const box = el.closest(COMPOSITE);
          if (box && (box.matches("[tabindex], [aria-activedescendant]") ||
            box.querySelector("[tabindex], a[href], button, input, select, textarea"))) continue;
        }
        out.push(record(el, kind));
      }
      return { unreached: out, reached: reached.length };
    },
    // the page as the walk found it: nothing focused, scrolled back, containers too
    restore() {
      const a = deepActive();
      if (a && a !== document.body && a.blur) a.blur();
      if (document.activeElement && document.activeElement !== document.body && document.activeElement.blur) {
        document.activeElement.blur();
      }
      for (const el of reached) {
        for (let n = el.parentElement; n && n !== body && n !== document.documentElement; n = n.parentElement) {
          const [l, t] = scrolled.get(n) || [0, 0];
          if (n.scrollLeft !== l) n.scrollLeft = l;
          if (n.scrollTop !== t) n.scrollTop = t;
        }
      }
      window.scrollTo({ left: start.x, top: start.y, behavior: "instant" });
      delete window.__auditorKeyboard;
      return { x: window.scrollX, y: window.scrollY, focused: !!(document.activeElement &&
        document.activeElement !== document.body) };
    },
  };
  Object.defineProperty(window, "__auditorKeyboard", { value: api, configurable: true, enumerable: false,
    writable: false });
  return {
    start_scroll: [start.x, start.y],
    viewport: { width: window.innerWidth, height: window.innerHeight },
    candidates: candidates.length,
    click_like: clickShown.length,
    had_focus: !!(startActive && startActive !== document.body),
  };
}
