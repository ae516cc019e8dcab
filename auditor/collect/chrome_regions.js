// Declarations included by axe_run.js (``/* @include chrome_regions.js */``):
// the regions a site repeats on its pages (header, navigation, footer) and
// the fingerprint that says whether axe's results on one of them can be
// reused on another page.  See auditor/collect/chrome.py for why.
//
// The fingerprint holds everything axe's element-level rules read about an
// element of the region: the region's serialised DOM (ids spelled by their
// rank in the region, see crIdValue) and its form values;
// each element's box and computed styles (and those of its ::before and
// ::after); its ancestors' tags, attributes and styles (backgrounds, colours,
// roles seen through the ancestry); the elements its references point to
// outside the region (aria-labelledby, for, headers…) and those outside
// that point into it; every element outside the region whose box meets the
// region's (what could be painted over it); the viewport, scroll position and
// document mode.  Two regions with equal fingerprints give axe the same
// inputs, so the same results.

const CR_REFS = ["aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant",
  "aria-errormessage", "aria-details", "aria-flowto", "for", "headers", "list", "form"];

// cyrb53-style string hash, two seeds: 106 bits, plenty for fingerprints of one scan
function crHash(str, seed) {
  let h1 = 0xdeadbeef ^ seed, h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

function crFingerprint(str) {
  return crHash(str, 1) + crHash(str, 7) + "-" + str.length.toString(36);
}

// An element's box relative to ``origin`` (the region's box): a footer lower on a longer page keeps its
// fingerprint.  Quarter pixels.
function crRect(el, origin) {
  const r = el.getBoundingClientRect();
  return [Math.round((r.left - origin.left) * 4), Math.round((r.top - origin.top) * 4), Math.round(r.width * 4),
    Math.round(r.height * 4)].join(",");
}

function crStyles(cs, props) {
  let out = "";
  for (const p of props) out += cs.getPropertyValue(p) + ";";
  return out;
}

// An attribute value with the region's ids replaced by their rank in the region (``tok``): a site whose
// framework generates ids (« header-menu-4f2a ») shows the same region under other ids on every page, and
// axe's element-level results do not depend on an id's spelling, only on what it resolves to (kept in the
// ``R`` parts); results that spell one out are checked in axe_run.js before reuse.
function crIdValue(name, value, tok) {
  if (!tok || !tok.size) return value;
  if (name === "href" || name === "usemap") {
    return value.startsWith("#") && tok.has(value.slice(1)) ? "#" + tok.get(value.slice(1)) : value;
  }
  // an id, a reference list, or a script's data attribute naming one element (« data-target="menu-4f2a" »);
  // a class that happens to equal an id stays as written (a difference, so no reuse: safe)
  if (name === "id" || CR_REFS.includes(name)) return value.split(/(\s+)/).map((w) => (tok.has(w) ? tok.get(w) : w)).join("");
  if (name.startsWith("data-") && tok.has(value)) return tok.get(value);
  return value;
}

function crAttrs(el, tok) {
  let out = el.tagName;
  for (const a of el.attributes) out += " " + a.name + "=" + crIdValue(a.name, a.value, tok);
  return out;
}

// The region's markup as outerHTML gives it, ids spelled by rank (comments left out: axe reads none).
function crSerialize(node, tok) {
  if (node.nodeType === 3) return "T" + JSON.stringify(node.data);
  if (node.nodeType === 11) return Array.from(node.childNodes, (c) => crSerialize(c, tok)).join("");
  if (node.nodeType !== 1) return "";
  let out = "<" + crAttrs(node, tok) + ">";
  if (node.content && node.tagName === "TEMPLATE") out += crSerialize(node.content, tok);
  for (const c of node.childNodes) out += crSerialize(c, tok);
  return out + "</" + node.tagName + ">";
}

function crRefIds(el) {
  const ids = [];
  for (const name of CR_REFS) {
    const v = el.getAttribute(name);
    if (v) for (const id of v.split(/\s+/)) if (id) ids.push(id);
  }
  const href = el.getAttribute("href");
  if (href && href.startsWith("#") && href.length > 1) ids.push(href.slice(1));
  const usemap = el.getAttribute("usemap");
  if (usemap && usemap.startsWith("#")) ids.push(usemap.slice(1));
  return ids;
}

// The page's candidate regions, each {el, fp}, or {why} when the page cannot
// reuse any (frames and shadow roots: their results are not tied to elements
// of this document in the same way).
function crRegions(cfg) {
  const all = document.getElementsByTagName("*");
  for (const el of all) {
    if (el.shadowRoot) return { regions: [], why: "shadow" };
    const t = el.tagName;
    if (t === "IFRAME" || t === "FRAME" || t === "OBJECT" || t === "EMBED" || t === "PORTAL") {
      return { regions: [], why: "frames" };
    }
  }
  // web fonts still loading, or a transition running in a region: its boxes are not final yet
  if (document.fonts && document.fonts.status !== "loaded") return { regions: [], why: "fonts" };
  const moving = (document.getAnimations ? document.getAnimations() : [])
    .filter((a) => a.playState === "running" && a.effect && a.effect.target)
    .map((a) => a.effect.target);
  const inMain = (el) => !!(el.parentElement && el.parentElement.closest(cfg.notInside));
  let found = Array.from(document.querySelectorAll(cfg.regions)).filter((el) => !inMain(el));
  found = found.filter((el) => !found.some((o) => o !== el && o.contains(el)));
  const active = document.activeElement;
  found = found.filter((el) => el.getElementsByTagName("*").length + 1 >= cfg.minElements
    && !(active && active !== document.body && el.contains(active))
    && !moving.some((t) => el.contains(t)));
  if (!found.length) return { regions: [], why: "none" };
  const vv = [window.innerWidth, window.innerHeight, window.devicePixelRatio, window.scrollX,
    document.compatMode, document.documentElement.getAttribute("lang"), document.documentElement.getAttribute("dir"),
    document.documentElement.getAttribute("xml:lang")].join("|");
  const regions = [];
  for (const region of found) {
    const box = region.getBoundingClientRect();
    // where the region stands: its left edge, size, and whether it starts above the document (off-screen)
    const parts = [vv, [Math.round(box.left * 4), Math.round(box.width * 4), Math.round(box.height * 4),
      box.top + window.scrollY < 0 ? "above" : "in"].join(",")];
    const inside = [region, ...region.getElementsByTagName("*")];
    // the ids the region defines, by rank in document order
    const idList = [];
    for (const el of inside) if (el.id && !idList.includes(el.id)) idList.push(el.id);
    const tok = new Map(idList.map((id, k) => [id, "\u00a7" + k]));
    // ancestors: roles, attributes, inherited and painted styles
    for (let a = region.parentElement; a; a = a.parentElement) {
      parts.push("A " + crAttrs(a, tok) + " " + crStyles(getComputedStyle(a), cfg.ancestorStyles));
    }
    parts.push(crSerialize(region, tok));
    const ids = new Set();
    const refs = [];
    for (const el of inside) {
      const cs = getComputedStyle(el);
      parts.push(crRect(el, box) + " " + crStyles(cs, cfg.styles));
      for (const pseudo of ["::before", "::after"]) {
        const ps = getComputedStyle(el, pseudo);
        const content = ps.getPropertyValue("content");
        if (content && content !== "none" && content !== "normal") {
          parts.push(pseudo + " " + content + " " + crStyles(ps, cfg.pseudoStyles));
        }
      }
      if (el.id) ids.add(el.id);
      if ("value" in el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA")) {
        parts.push("V " + el.value + " " + (el.checked ? 1 : 0) + " " + (el.indeterminate ? 1 : 0));
      }
      refs.push(...crRefIds(el));
    }
    // what the region's references resolve to (an element elsewhere names a control of the region)
    for (const id of refs) {
      const t = document.getElementById(id);
      parts.push("R " + (tok.get(id) || id) + " " + (t === null ? "-" : region.contains(t) ? "in" : t.outerHTML));
    }
    for (const id of ids) {
      if (document.getElementById(id) && !region.contains(document.getElementById(id))) parts.push("D " + tok.get(id));
    }
    regions.push({ el: region, parts, ids, idList, tok, box });
  }
  // elements outside every region that point into one, or whose box meets one (painted over it)
  const pointing = CR_REFS.map((n) => "[" + n + "]").join(",");
  for (const el of document.querySelectorAll(pointing)) {
    for (const r of regions) {
      if (r.el.contains(el)) continue;
      if (crRefIds(el).some((id) => r.ids.has(id))) r.parts.push("P " + crSerialize(el, r.tok));
    }
  }
  for (const el of all) {
    for (const r of regions) {
      if (r.el.contains(el) || el.contains(r.el)) continue;
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0) continue;
      const o = r.box;
      if (b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom) {
        r.parts.push("O " + crAttrs(el, r.tok) + " " + crRect(el, o) + " " + crStyles(getComputedStyle(el), cfg.ancestorStyles));
      }
    }
  }
  return { regions: regions.map((r) => ({ el: r.el, ids: r.idList, fp: crFingerprint(r.parts.join("\n")) })), why: null };
}

// Child-index path of ``el`` below ``root`` (the same element on another page with the same region).
function crPath(root, el) {
  const path = [];
  for (let e = el; e && e !== root; e = e.parentElement) {
    path.unshift(Array.prototype.indexOf.call(e.parentElement.children, e));
  }
  return path;
}

function crResolve(root, path) {
  let e = root;
  for (const i of path) {
    e = e && e.children[i];
  }
  return e || null;
}
