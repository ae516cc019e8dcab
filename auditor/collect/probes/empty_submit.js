// The empty submission probe's page side (auditor/collect/probes/empty_submit.py).
// Evaluated as a function expression: (args) => facts, with args.op:
//
// - "inspect": read only.  The control the walk would click next and its
//   form: method, novalidate, target, whether the browser's own constraint
//   validation would block the submission, the fields and which are empty.
//   Python decides from it whether the probe may run (empty_submit.decide).
// - "arm": snapshot what the click may change (each field's error state,
//   classes and colours, the visible error texts, the page's text, where the
//   walk is, the focus), listen to `invalid` and `submit`, and neutralise for
//   the probe's duration the two channels request interception cannot see
//   (window.open, WebSocket.send).  Elements are kept by reference in a
//   non-enumerable window property, never marked in the DOM.
// - "read": what the click produced, then everything "arm" installed is
//   removed.  "drop" removes it without reading (the probe failed).
(args) => {
  const KEY = "__auditorEmptySubmit";
  const MAX_FIELDS = 40;
  const MAX_TEXT = 200000;
  /* @include prelude.js */
  const clip = (s, n) => { const t = norm(s); return t.length <= n ? t : t.slice(0, n - 1) + "…"; };
  const cssPath = (el) => (!el || el.nodeType !== 1 ? "" : selectorIn(el));
  const shown = (el) => {
    if (!el || !el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  };
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY),
      width: Math.round(r.width), height: Math.round(r.height) };
  };
  const textOf = (el) => norm(el ? el.innerText || el.textContent : "");
  const byIds = (el, attr) => (el.getAttribute(attr) || "").split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean);

  // error vocabulary, as checks/form_errors.py reads the captured DOM
  const ERROR_TEXT = /(?:^|[-_])(?:errors?|erreurs?|invalid|invalide|danger)(?:[-_]|$)|^invalid-feedback$/i;
  const ERROR_STATE = /^(?:has-errors?|is-invalid|is-error|invalid|error|errors|field_with_errors|input-validation-error|.+--(?:error|invalid))$/i;
  const SUMMARY = /(?:error|erreur)s?[-_]?(?:summary|recap|list|resume|liste)|^fr-alert--error$|^alert-danger$|^govuk-error-summary$/i;
  const GROUP = ".fr-input-group, .fr-select-group, .fr-upload-group, .fr-checkbox-group, .fr-radio-group, " +
    ".fr-toggle, .fr-range-group, .fr-fieldset__element, .form-group, .govuk-form-group, .form-field, .form-item, .field";
  const NOT_FIELDS = ["hidden", "submit", "button", "reset", "image"];
  const STYLE = ["borderTopColor", "borderBottomColor", "borderLeftColor", "backgroundColor", "color", "boxShadow"];
  const classList = (el) => Array.from((el && el.classList) || []);
  const isErrorText = (el) => el.getAttribute("role") === "alert" || classList(el).some((c) => ERROR_TEXT.test(c)) ||
    (!!el.id && /error|erreur/i.test(el.id) && ["P", "SPAN", "DIV", "SMALL", "STRONG", "LI"].includes(el.tagName));
  const BOXES = "[role=alert], [role=status], [class*=rror], [class*=rreur], .alert-danger";
  const isBox = (el) => ["alert", "status"].includes(el.getAttribute("role")) || classList(el).some((c) => SUMMARY.test(c));
  const hasField = (el) => !!el.querySelector("input:not([type=hidden]), select, textarea");
  const errorTexts = (root) => {
    const out = [];
    for (const el of (root || document.body).querySelectorAll("*")) {
      if (!isErrorText(el) || hasField(el) || out.some((o) => o.contains(el))) continue;
      if (textOf(el) && shown(el)) out.push(el);
    }
    return out;
  };

  const control = () => { try { return document.querySelector(args.selector); } catch (e) { return null; } };
  const scopeOf = (el) => (el && el.form) || (el && el.closest("main, [role=main]")) || document.body;
  const isSubmit = (el) => !!el && !!el.form && ((el.localName === "button" && el.type === "submit") ||
    (el.localName === "input" && ["submit", "image"].includes(el.type)));
  // the form's fields as the user meets them: the radios (or same-named checkboxes) of one name make one field
  const fieldsOf = (scope) => {
    const els = scope.elements ? Array.from(scope.elements) : Array.from(scope.querySelectorAll("input, select, textarea"));
    const out = [];
    const seen = new Set();
    for (const el of els) {
      if (!["input", "select", "textarea"].includes(el.localName) || NOT_FIELDS.includes((el.type || "").toLowerCase())) continue;
      if (el.disabled || el.readOnly || !shown(el)) continue;
      let members = [el];
      if ((el.type === "radio" || el.type === "checkbox") && el.name) {
        const key = el.type + ":" + el.name;
        if (seen.has(key)) continue;
        seen.add(key);
        members = els.filter((x) => x.type === el.type && x.name === el.name);
        if (el.type === "checkbox" && members.length === 1) members = [el];
      }
      const group = members.length > 1 || el.type === "radio"
        ? el.closest("fieldset, [role=radiogroup], [role=group]") : null;
      out.push({ el, members, group });
      if (out.length >= MAX_FIELDS) break;
    }
    return out;
  };
  const isEmpty = (f) => {
    const el = f.el;
    if (el.type === "radio" || el.type === "checkbox") return !f.members.some((m) => m.checked);
    if (el.type === "file") return !(el.files && el.files.length);
    return !norm(el.value);
  };
  const labelText = (f) => {
    const el = f.el;
    const parts = [];
    for (const l of el.labels || []) parts.push(textOf(l));
    for (const n of byIds(el, "aria-labelledby")) parts.push(textOf(n));
    if (!parts.length && el.getAttribute("aria-label")) parts.push(el.getAttribute("aria-label"));
    const legend = f.group && f.group.querySelector("legend");
    if (legend && (f.members.length > 1 || !parts.length)) parts.unshift(textOf(legend));
    return clip(parts.join(" "), 160);
  };
  // where an indication of « obligatoire » counts before submission: label, legend, associated text
  const indicationTexts = (f) => {
    const parts = [labelText(f)];
    for (const fs of [f.group, f.el.closest("fieldset")]) {
      const lg = fs && fs.querySelector("legend");
      if (lg) parts.push(textOf(lg));
    }
    for (const n of byIds(f.el, "aria-describedby")) parts.push(textOf(n));
    return clip(parts.join(" "), 400);
  };
  // where the field's own message would sit: its group, else up to three parents holding no other field
  const nearOf = (f, all) => {
    const holder = f.group || f.el;
    const g = holder.closest(GROUP);
    if (g && !all.some((o) => o !== f && g.contains(o.el))) return g;
    let scope = holder.parentElement;
    for (let i = 0; i < 3 && scope && !["FORM", "BODY"].includes(scope.tagName); i++) {
      const parent = scope.parentElement;
      if (!parent || ["FORM", "BODY"].includes(parent.tagName) || all.some((o) => o !== f && parent.contains(o.el))) break;
      scope = parent;
    }
    return scope || holder;
  };
  const stateClass = (f, near) => {
    const nodes = [...f.members, f.group];
    for (let n = f.el.parentElement; n && n !== near.parentElement && n.tagName !== "FORM"; n = n.parentElement) nodes.push(n);
    for (const n of nodes) {
      const hit = classList(n).find((c) => ERROR_STATE.test(c));
      if (hit) return hit;
    }
    return "";
  };
  const styles = (el) => {
    if (!el) return "";
    const cs = getComputedStyle(el);
    return STYLE.map((p) => cs[p]).join("|");
  };
  const styleOf = (f) => [styles(f.el), ...Array.from(f.el.labels || []).map(styles), styles(f.group)].join("#");
  const where = () => {
    const h1 = document.querySelector("h1");
    const main = document.querySelector("main, [role=main]") || document.body;
    const fields = Array.from(main.querySelectorAll("input:not([type=hidden]), select, textarea")).filter(shown)
      .map((e) => `${e.localName}:${e.getAttribute("name") || e.id || e.type}`).join("|");
    return { url: location.href, h1: textOf(h1).slice(0, 200), fields, origin: performance.timeOrigin };
  };
  const pageLines = () => new Set(((document.body && document.body.innerText) || "").slice(0, MAX_TEXT)
    .split("\n").map(norm).filter(Boolean));
  const nativeBlocks = (el) => {
    if (!isSubmit(el) || el.form.noValidate || el.formNoValidate) return false;
    return Array.from(el.form.elements).some((e) => e.willValidate && e.validity && !e.validity.valid);
  };

  if (args.op === "inspect") {
    const el = control();
    if (!el) return { found: false };
    const form = el.form || null;
    const scope = scopeOf(el);
    const fields = fieldsOf(scope);
    const method = form ? (el.getAttribute("formmethod") || form.getAttribute("method") ||
      (form.hasAttribute("action") || el.hasAttribute("formaction") ? "get" : "")).toLowerCase() : "";
    const shownIn = (q) => Array.from(scope.querySelectorAll(q)).some(shown);
    return {
      found: true,
      tag: el.localName,
      type: el.localName === "input" || el.localName === "button" ? el.type : el.getAttribute("role") || "",
      link: el.localName === "a" || el.getAttribute("role") === "link",
      visible: shown(el),
      disabled: !!(el.disabled || el.getAttribute("aria-disabled") === "true"),
      submit: isSubmit(el),
      form: form ? {
        selector: cssPath(form),
        method,
        novalidate: !!(form.noValidate || el.formNoValidate),
        target: (el.getAttribute("formtarget") || form.getAttribute("target") || "").trim(),
      } : null,
      native_blocks: nativeBlocks(el),
      service_worker: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
      password: shownIn("input[type=password]"),
      card: Array.from(scope.querySelectorAll("input, select")).some((e) =>
        /\bcc-/.test(e.getAttribute("autocomplete") || "") && shown(e)),
      fields: fields.length,
      empty: fields.filter(isEmpty).length,
    };
  }

  if (args.op === "arm") {
    const el = control();
    if (!el) return { armed: false };
    const scope = scopeOf(el);
    const fields = fieldsOf(scope);
    const state = {
      el, scope, fields,
      near: new Map(fields.map((f) => [f, nearOf(f, fields)])),
      before: new Map(),
      errors: new Set(errorTexts(document.body)),
      errorText: new Map(),
      boxes: new Map(Array.from(document.querySelectorAll(BOXES)).filter((e) => isBox(e) && shown(e))
        .map((e) => [e, textOf(e)])),
      lines: pageLines(),
      where: where(),
      focus: document.activeElement,
      invalid: [],
      submits: [],
      popups: [],
      sockets: 0,
      restore: [],
    };
    for (const e of state.errors) state.errorText.set(e, textOf(e));
    for (const f of fields) {
      const near = state.near.get(f);
      state.before.set(f, {
        aria: f.members.some((m) => m.getAttribute("aria-invalid") === "true") ||
          (f.group && f.group.getAttribute("aria-invalid") === "true"),
        cls: stateClass(f, near),
        style: styleOf(f),
        refs: new Set(f.members.flatMap((m) => [...byIds(m, "aria-describedby"), ...byIds(m, "aria-errormessage")])),
      });
    }
    const onInvalid = (e) => { if (state.invalid.length < 100) state.invalid.push(e.target); };
    const onSubmit = (e) => { state.submits.push(e); };
    document.addEventListener("invalid", onInvalid, true);
    document.addEventListener("submit", onSubmit, true);
    state.restore.push(() => document.removeEventListener("invalid", onInvalid, true));
    state.restore.push(() => document.removeEventListener("submit", onSubmit, true));
    // a new window's requests are not the page's: it is never opened during the probe
    const realOpen = window.open;
    window.open = function (url) { state.popups.push(String(url || "")); return null; };
    state.restore.push(() => { window.open = realOpen; });
    // nor does a message leave through a socket the page had already opened
    if (window.WebSocket && WebSocket.prototype.send) {
      const realSend = WebSocket.prototype.send;
      WebSocket.prototype.send = function () { state.sockets += 1; };
      state.restore.push(() => { WebSocket.prototype.send = realSend; });
    }
    Object.defineProperty(window, KEY, { value: state, configurable: true, enumerable: false });
    return {
      armed: true,
      form: fields.length,
      fields: fields.map((f) => ({
        selector: cssPath(f.el),
        group: f.group ? cssPath(f.group) : "",
        tag: f.el.localName,
        type: f.el.localName === "input" ? f.el.type : f.el.localName,
        id: f.el.id || "",
        name: f.el.getAttribute("name") || "",
        label: labelText(f),
        texts: indicationTexts(f),
        required: f.members.some((m) => m.required || m.getAttribute("aria-required") === "true") ||
          (!!f.group && f.group.getAttribute("aria-required") === "true"),
        empty: isEmpty(f),
        box: box(f.group || f.el),
      })),
    };
  }

  const state = window[KEY];
  const unarm = () => {
    if (!state) return;
    for (const fn of state.restore) { try { fn(); } catch (e) { /* already gone */ } }
    try { delete window[KEY]; } catch (e) { /* non-configurable: never */ }
  };
  if (args.op === "drop" || !state) {
    unarm();
    return { read: false };
  }

  // ------------------------------------------------------------------ read
  // a field the page replaced by an element of the same id (or name, in the same kind of form field)
  const rebind = (f) => {
    const id = f.el.id;
    const name = f.el.getAttribute("name");
    let el = id ? document.getElementById(id) : null;
    if (!el && name) {
      el = Array.from(document.querySelectorAll("input, select, textarea"))
        .find((x) => x.getAttribute("name") === name && x.localName === f.el.localName) || null;
    }
    if (!el || !["input", "select", "textarea"].includes(el.localName)) return;
    const members = f.members.length > 1 && name
      ? Array.from(document.querySelectorAll("input")).filter((x) => x.type === el.type && x.getAttribute("name") === name)
      : [el];
    const group = f.group ? el.closest("fieldset, [role=radiogroup], [role=group]") : null;
    const fresh = { el, members, group };
    state.near.set(f, nearOf(fresh, state.fields.map((o) => (o === f ? fresh : o))));
    Object.assign(f, fresh);
  };
  try {
    const now = where();
    // gone on to another question: other fields under another heading or address (errors shown on the same
    // question may change its heading or add « #erreurs » to the address, never its fields)
    const moved = now.origin !== state.where.origin ||
      (now.fields !== state.where.fields && (now.h1 !== state.where.h1 || now.url !== state.where.url));
    const fresh = errorTexts(document.body).filter((e) => !state.errors.has(e) || state.errorText.get(e) !== textOf(e));
    const used = new Set();
    const active = document.activeElement;
    const submitted = state.submits.length > 0;
    const blocked = !submitted && state.invalid.length > 0;
    const fields = [];
    state.fields.forEach((f, i) => {
      if (!f.el.isConnected && !moved) rebind(f);  // the page redrew its form: the same field, new elements
      if (!f.el.isConnected) return;  // gone with the question the page left
      const before = state.before.get(f);
      const near = state.near.get(f);
      const aria = f.members.some((m) => m.getAttribute("aria-invalid") === "true") ||
        (!!f.group && f.group.getAttribute("aria-invalid") === "true");
      const cls = stateClass(f, near);
      const focused = f.members.includes(active) || (!!f.group && f.group.contains(active));
      // a focused field's colours are its focus style, not an error state
      const style = !focused && styleOf(f) !== before.style;
      const refs = f.members.flatMap((m) => [...byIds(m, "aria-describedby"), ...byIds(m, "aria-errormessage"),
        ...byIds(m, "aria-labelledby")]);
      const labels = [...f.members.flatMap((m) => Array.from(m.labels || [])),
        ...(f.group && f.group.querySelector("legend") ? [f.group.querySelector("legend")] : [])];
      const mine = fresh.filter((e) => near.contains(e) || refs.some((r) => r.contains(e) || e.contains(r)) ||
        labels.some((l) => l.contains(e)));
      mine.forEach((e) => used.add(e));
      const tiedBy = (e) => {
        for (const m of f.members) {
          for (const attr of ["aria-describedby", "aria-errormessage", "aria-labelledby"]) {
            if (byIds(m, attr).some((r) => r.contains(e) || e.contains(r))) return attr;
          }
        }
        return labels.some((l) => l.contains(e)) ? "label" : "";
      };
      const native = f.members.map((m) => m.validationMessage || "").find(Boolean) || "";
      const missing = f.members.some((m) => m.validity && m.validity.valueMissing);
      const changed = (aria && !before.aria) || (cls && cls !== before.cls) || style || mine.length > 0 ||
        (blocked && state.invalid.some((t) => f.members.includes(t)));
      if (!changed) return;
      fields.push({
        index: i,
        aria_invalid: aria,
        state: (aria && !before.aria) ? "aria-invalid" : (cls && cls !== before.cls) ? cls : style ? "style" : "",
        native: blocked && state.invalid.some((t) => f.members.includes(t)) ? clip(native, 200) : "",
        value_missing: missing,
        messages: mine.map((e) => clip(textOf(e), 200)).slice(0, 3),
        tied_by: mine.map(tiedBy).filter(Boolean).slice(0, 3),
        tied: mine.length > 0 && mine.some((e) => !!tiedBy(e)),
        focused,
      });
    });
    const errorFields = new Set(fields.map((r) => state.fields[r.index]));
    // an error summary: a box (alert, status, error list) new or changed since the click, whose links
    // lead to elements of the page
    let summary = null;
    for (const el of document.querySelectorAll(BOXES)) {
      if (!isBox(el) || !shown(el) || state.boxes.get(el) === textOf(el)) continue;
      const links = Array.from(el.querySelectorAll("a[href^='#']")).filter((a) => a.getAttribute("href").length > 1);
      const linked = links.filter((a) => {
        try { return !!document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))); }
        catch (e) { return false; }
      });
      if (!linked.length) continue;
      summary = { selector: cssPath(el), text: clip(textOf(el), 200), links: links.length, linked: linked.length,
        focused: el === active || el.contains(active) };
      fresh.filter((e) => el.contains(e) || e.contains(el)).forEach((e) => used.add(e));
      break;
    }
    const firstError = state.fields.find((f) => errorFields.has(f));
    const focus = {
      selector: active && active !== document.body ? cssPath(active) : "",
      tag: active ? active.localName : "",
      moved: active !== state.focus && active !== state.el && active !== document.body && !!active,
      on_error: !!firstError && [...errorFields].some((f) => f.members.includes(active) || (f.group && f.group.contains(active))),
      on_first_error: !!firstError && (firstError.members.includes(active) || (!!firstError.group && firstError.group.contains(active))),
      in_summary: !!summary && summary.focused,
      in_alert: !!active && !!active.closest && !!active.closest("[role=alert], [role=status], [aria-live]") &&
        fresh.some((e) => active.contains(e) || e.contains(active)),
    };
    const others = fresh.filter((e) => !used.has(e)).slice(0, 5).map((e) => ({
      selector: cssPath(e), text: clip(textOf(e), 200), role: e.getAttribute("role") || "",
      live: e.closest("[aria-live]") ? e.closest("[aria-live]").getAttribute("aria-live") : "",
    }));
    const lines = pageLines();
    const added = [...lines].filter((l) => !state.lines.has(l));
    return {
      read: true,
      moved,
      url: now.url,
      native: { blocked, invalid_events: state.invalid.length, submit_event: submitted,
        prevented: state.submits.some((e) => e.defaultPrevented) },
      fields,
      summary,
      focus,
      other_errors: others,
      new_text: added.slice(0, 5).map((l) => clip(l, 200)),
      new_lines: added.length,
      popups: state.popups.slice(0, 3).map((u) => clip(u, 200)),
      sockets: state.sockets,
    };
  } finally {
    unarm();
  }
}
