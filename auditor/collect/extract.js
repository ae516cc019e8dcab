// Runs inside one frame of the audited page and returns what the checks need:
// the visible text, headings, links and every form control with the words
// around it.  Evaluated as a function expression: (opts) => data.
(opts) => {
  // a page that navigated by itself can be read in its new document before it has any element: say so as
  // a destroyed context does, so that the walk reads the page again once it has settled
  if (!document.documentElement) {
    throw new Error("Execution context was destroyed: the document is being replaced");
  }
  const MAX_TEXT = opts.maxText || 200000;
  const MAX_CONTROLS = 400;
  const MAX_LINKS = 600;
  /* @include prelude.js */

  // A short, stable, unique CSS selector: id, then name, then a tag path.
  const cssPath = (el) => {
    if (el.id && isUnique("#" + esc(el.id))) return "#" + esc(el.id);
    const name = el.getAttribute && el.getAttribute("name");
    if (name) {
      const s = `${el.localName}[name="${name.replace(/"/g, '\\"')}"]`;
      if (isUnique(s)) return s;
      if (el.type === "radio" || el.type === "checkbox") {
        const v = el.getAttribute("value");
        if (v !== null) {
          const s2 = `${s}[value="${v.replace(/"/g, '\\"')}"]`;
          if (isUnique(s2)) return s2;
        }
      }
    }
    return selectorIn(el);  // the tag path (prelude.js)
  };

  const isVisible = (el) => {
    if (el.checkVisibility) {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    }
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const st = getComputedStyle(el);
    if (st.clip === "rect(0px, 0px, 0px, 0px)" || st.clipPath === "inset(50%)") return false;
    return true;
  };

  // Text of an element without the hint blocks nested in labels (DSFR puts
  // .fr-hint-text inside <label>).
  const textWithout = (el, skipSel) => {
    const clone = el.cloneNode(true);
    clone.querySelectorAll(skipSel).forEach((n) => n.remove());
    clone.querySelectorAll("script,style,template").forEach((n) => n.remove());
    return norm(clone.innerText !== undefined && clone.isConnected ? clone.innerText : clone.textContent);
  };
  const HINT_SEL = ".fr-hint-text, .hint, .form-hint, .help-block, small";

  const accName = (el) => {
    const lb = textOfIds(el.getAttribute("aria-labelledby"));
    if (lb) return lb;
    const al = norm(el.getAttribute("aria-label"));
    if (al) return al;
    if (el.labels && el.labels.length) {
      const t = norm(Array.from(el.labels).map((l) => textWithout(l, HINT_SEL)).join(" "));
      if (t) return t;
    }
    const tag = el.localName;
    if (tag === "button" || tag === "a" || el.getAttribute("role") === "button" || el.getAttribute("role") === "link") {
      const t = norm(el.innerText || el.textContent);
      if (t) return t;
      const img = el.querySelector("img[alt]");
      if (img && norm(img.alt)) return norm(img.alt);
    }
    if (tag === "input" && ["submit", "button", "reset", "image"].includes(el.type)) {
      return norm(el.value || el.alt || (el.type === "submit" ? "Envoyer" : ""));
    }
    return norm(el.getAttribute("title") || el.getAttribute("placeholder") || "");
  };

  const hintOf = (el) => {
    const parts = [];
    const d = textOfIds(el.getAttribute("aria-describedby"));
    if (d) parts.push(d);
    if (el.labels) {
      for (const l of el.labels) {
        l.querySelectorAll(HINT_SEL).forEach((h) => {
          const t = norm(h.innerText || h.textContent);
          if (t && !parts.includes(t)) parts.push(t);
        });
      }
    }
    return norm(parts.join(" "));
  };

  // The landmark a node sits in: the walk ignores header/footer/navigation
  // controls when it looks for the démarche's own fields and buttons.
  const regionOf = (el) => {
    if (el.closest("main, [role=main]")) {
      return el.closest("nav, [role=navigation]") ? "navigation" : "main";
    }
    const lm = el.closest("header, footer, nav, aside, [role=banner], [role=contentinfo], [role=navigation], [role=complementary]");
    if (!lm) return "";
    const role = lm.getAttribute("role");
    if (role) return role;
    return { header: "banner", footer: "contentinfo", nav: "navigation", aside: "complementary" }[lm.localName] || "";
  };

  // Radios, checkboxes and file inputs are often visually hidden behind a
  // styled label or button (DSFR, custom upload widgets): the user still
  // sees and uses them, so they count as visible when their label does.
  const usableVisible = (el) => {
    if (isVisible(el)) return true;
    if (el.localName !== "input" || !["radio", "checkbox", "file"].includes(el.type)) return false;
    if (el.labels && Array.from(el.labels).some(isVisible)) return true;
    if (el.type === "file") {
      // a visible button in the input's own block (custom upload widget)
      let node = el.parentElement;
      for (let depth = 0; node && depth < 3 && node !== document.body; depth++) {
        const btn = node.querySelector("button, [role=button], label");
        if (btn && isVisible(btn)) return true;
        if (node.querySelectorAll("input[type=file]").length > 1) break;
        node = node.parentElement;
      }
    }
    return false;
  };

  const intAttr = (el, name) => {
    const v = el.getAttribute(name);
    if (v === null || v === "" || !/^\d+$/.test(v.trim())) return null;
    return parseInt(v, 10);
  };

  const headings = Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6,[role=heading]"));
  const headingBefore = (el) => {
    let best = "";
    for (const h of headings) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) best = norm(h.innerText || h.textContent);
      else break;
    }
    return best;
  };

  const CONTROL_SEL = "input, select, textarea, button, [role=button], [contenteditable=true]";
  // The control's own block: the largest ancestor that contains no other
  // field (so its text is about this control only).
  const blockOf = (el) => {
    let node = el.parentElement;
    let best = null;
    for (let depth = 0; node && depth < 6 && node !== document.body; depth++) {
      const fields = Array.from(node.querySelectorAll("input:not([type=hidden]), select, textarea"))
        .filter((f) => !(f.type === "radio" && el.type === "radio" && f.name === el.name));
      if (fields.length > 1) break;
      best = node;
      node = node.parentElement;
    }
    return best;
  };
  // The block's text one rendered line per line: a champ's title, its
  // description and its button ("Choisir un fichier") stay apart, so the
  // checks can read the title first.
  const contextOf = (block) => {
    if (!block) return "";
    const raw = block.isConnected && block.innerText !== undefined ? block.innerText : block.textContent;
    const t = (raw || "").split(/\n+/).map(norm).filter(Boolean).join("\n");
    return t.length > 800 ? t.slice(0, 800) : t;
  };
  // Whether the block around the control is displayed: a custom upload
  // widget hides its input but shows its block; a step of a single-page app
  // that is already in the DOM but not yet shown hides the whole block.
  const isShown = (el, block) => {
    const node = block || el.parentElement || el;
    if (node.checkVisibility) return node.checkVisibility({ checkVisibilityCSS: true });
    return node.getClientRects().length > 0;
  };
  // The names of the groups around a control, outermost first, one per line:
  // <fieldset> legends and ARIA groups (role=group with aria-labelledby or
  // aria-label, as script-built forms use).  The outer group often says whose
  // documents these are ("Personne qui vous héberge"), the inner one which.
  const GROUP_SEL = "fieldset, [role=group], [role=radiogroup]";
  const groupName = (g) => {
    if (g.localName === "fieldset") {
      const lg = Array.from(g.children).find((c) => c.localName === "legend");
      const t = lg ? norm(lg.innerText || lg.textContent) : "";
      if (t) return t;
    }
    return textOfIds(g.getAttribute("aria-labelledby")) || norm(g.getAttribute("aria-label"));
  };
  const legendOf = (el) => {
    const names = [];
    for (let g = el.parentElement && el.parentElement.closest(GROUP_SEL); g;
      g = g.parentElement && g.parentElement.closest(GROUP_SEL)) {
      const n = groupName(g);
      if (n && !names.includes(n)) names.unshift(n);
    }
    return names.join("\n");
  };

  // The help of the innermost group around a file input: the group's own paragraphs, outside its legend and the
  // blocks holding controls (a démarches-simplifiées block of uploads says once « Dans le cas de travaux […],
  // fournir l'avant-projet » for all of them).
  const groupHelps = new Map(); // one read per group, however many uploads it holds
  const groupHelpOf = (el) => {
    const g = el.parentElement && el.parentElement.closest(GROUP_SEL);
    if (!g) return "";
    if (!groupHelps.has(g)) groupHelps.set(g, readGroupHelp(g));
    return groupHelps.get(g);
  };
  const readGroupHelp = (g) => {
    const parts = [];
    for (const c of g.children) {
      if (c.localName === "legend" || c.matches(CONTROL_SEL) || c.querySelector(CONTROL_SEL)) continue;
      const raw = c.innerText !== undefined ? c.innerText : c.textContent || "";
      const t = raw.split(/\n+/).map(norm).filter(Boolean).join("\n");
      if (t) parts.push(t);
    }
    const t = parts.join("\n");
    return t.length > 800 ? t.slice(0, 800) : t;
  };

  const controls = [];
  for (const el of document.querySelectorAll(CONTROL_SEL)) {
    if (controls.length >= MAX_CONTROLS) break;
    const tag = el.localName;
    const type = (tag === "input" ? (el.getAttribute("type") || "text").toLowerCase()
      : tag === "select" ? (el.multiple ? "select-multiple" : "select-one")
      : tag === "button" ? (el.getAttribute("type") || "submit").toLowerCase()
      : tag === "textarea" ? "textarea" : el.getAttribute("role") || tag);
    if (type === "hidden") continue;
    const isButton = ["button", "submit", "reset"].includes(type);
    const block = isButton ? null : blockOf(el);
    controls.push({
      selector: cssPath(el),
      tag,
      type,
      name: el.getAttribute("name") || "",
      id: el.id || "",
      label: accName(el),
      hint: hintOf(el),
      legend: legendOf(el),
      heading: headingBefore(el),
      context: contextOf(block),
      group_help: type === "file" ? groupHelpOf(el) : "",
      required: !!(el.required || el.getAttribute("aria-required") === "true"),
      visible: usableVisible(el),
      shown: isShown(el, block),
      disabled: !!el.disabled,
      autocomplete: el.getAttribute("autocomplete") || "",
      accept: el.getAttribute("accept") || "",
      multiple: !!el.multiple,
      classes: (el.getAttribute("class") || "").slice(0, 200),
      options: tag === "select" ? Array.from(el.options).slice(0, 60).map((o) => norm(o.text)) : [],
      pattern: el.getAttribute("pattern") || "",
      minlength: intAttr(el, "minlength"),
      maxlength: intAttr(el, "maxlength"),
      min: el.getAttribute("min") || "",
      max: el.getAttribute("max") || "",
      step: el.getAttribute("step") || "",
      placeholder: el.getAttribute("placeholder") || "",
      readonly: !!el.readOnly,
      region: regionOf(el),
    });
  }

  const links = [];
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (links.length >= MAX_LINKS) break;
    links.push({ href: a.href, text: accName(a) || norm(a.getAttribute("title")), selector: cssPath(a) });
  }

  const body = document.body;
  let text = body ? body.innerText || "" : "";
  if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT);
  return {
    url: location.href,
    title: document.title || "",
    lang: document.documentElement.getAttribute("lang") || "",
    text,
    headings: headings.slice(0, 200).map((h) => norm(h.innerText || h.textContent)).filter(Boolean),
    controls,
    links,
  };
}
