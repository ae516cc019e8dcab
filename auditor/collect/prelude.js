  // The page helpers the collector's scripts share (auditor/collect/prelude.js), written once here
  // because candidates.js, extract.js, keyboard.js, empty_submit.js and the scripts of reflow.py and
  // spacing.py each carried a copy.  Not a function expression: declarations pasted at the top of a
  // script's function by the loader, where a line `/* @include prelude.js */` stands
  // (auditor/collect/scripts.py).  A script whose selectors differ (extract.js tries a field's name
  // first; a probe puts a shadow host's path first, a tag name for an empty path, "" for a
  // non-element) wraps selectorIn in its own cssPath, so the selectors it records do not change.
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/([^\w-])/g, "\\$1"));
  // the text of the elements a space-separated id list names (aria-labelledby, aria-describedby), normalised
  const textOfIds = (ids) => norm((ids || "").split(/\s+/).map((id) => {
    const n = id && document.getElementById(id);
    return n ? n.innerText || n.textContent : "";
  }).join(" "));
  // is ``sel`` one element of ``root`` (the document if not given)?  false for an invalid selector
  const isUnique = (sel, root) => {
    try { return (root || document).querySelectorAll(sel).length === 1; } catch (e) { return false; }
  };
  // a CSS selector for ``el`` in ``root`` (the document if not given): its id when unique, else a tag
  // path with :nth-of-type from the nearest ancestor with a unique id (as extract.js); "" when the path
  // is empty.  Given a root (a shadow root), the top elements of that tree count among its children
  const selectorIn = (el, root) => {
    if (el.id && isUnique("#" + esc(el.id), root)) return "#" + esc(el.id);
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      if (node !== el && node.id && isUnique("#" + esc(node.id), root)) { parts.unshift("#" + esc(node.id)); break; }
      let part = node.localName;
      const parent = node.parentElement;
      const siblings = parent ? parent.children : root && node.parentNode ? node.parentNode.children : null;
      if (siblings) {
        const same = Array.from(siblings).filter((c) => c.localName === node.localName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(" > ");
  };
