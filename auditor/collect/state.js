// What identifies the state of the page for the walk: the URL (with its
// fragment: hash routers), the visible text of the main content without
// error/alert messages, and the visible fields.  Also returns those
// messages and the fields the browser refuses, to explain a walk that
// does not move on, and the alerts the application shows (role=alert,
// aria-live=assertive), each marked when it belongs to a form field (a
// validation message, not an error of the application), for app_error.py.
// Evaluated as a function expression: (ignore) => state.
(ignore) => {
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const main = document.querySelector("main, [role=main], #main, #content") || document.body;
  let text = main ? main.innerText || "" : "";
  const messages = [];
  for (const sel of ignore || []) {
    let nodes = [];
    try { nodes = main ? Array.from(main.querySelectorAll(sel)) : []; } catch (e) { continue; }
    for (const el of nodes) {
      // a region holding headings or fields is content, not a message
      if (el.querySelector("h1, h2, h3, h4, h5, h6, input, select, textarea")) continue;
      const t = el.innerText || "";
      if (!norm(t)) continue;
      text = text.split(t).join(" ");
      if (messages.length < 5 && !messages.includes(norm(t))) messages.push(norm(t).slice(0, 200));
    }
  }
  const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const fields = main
    ? Array.from(main.querySelectorAll("input:not([type=hidden]), select, textarea"))
        .filter(shown)
        .map((el) => `${el.localName}:${el.getAttribute("name") || el.id || el.type}`)
    : [];
  const labelOf = (el) => {
    const l = el.labels && el.labels[0];
    return norm((l && l.innerText) || el.getAttribute("aria-label") || el.name || el.id || el.type).slice(0, 100);
  };
  const invalid = Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((el) => el.willValidate && el.validity && !el.validity.valid && shown(el))
    .slice(0, 5)
    .map(labelOf);
  const h1 = document.querySelector("h1");
  const described = new Set();
  for (const f of document.querySelectorAll("input, select, textarea")) {
    for (const id of (f.getAttribute("aria-describedby") || "").split(/\s+/)) if (id) described.add(id);
  }
  const alerts = [];
  for (const el of document.querySelectorAll("[role=alert], [aria-live=assertive], .fr-alert--error")) {
    if (alerts.length >= 5 || !shown(el)) continue;
    const t = norm(el.innerText || "");
    if (!t) continue;
    const field = !!(described.has(el.id) || el.closest(".fr-input-group, .fr-select-group, .fr-fieldset__element, label") ||
      el.querySelector("input, select, textarea"));
    alerts.push({ text: t.slice(0, 300), field });
  }
  return {
    url: location.href,
    text: norm(text),
    fields: fields.join("|"),
    origin: performance.timeOrigin,
    messages,
    invalid,
    title: document.title || "",
    h1: h1 ? norm(h1.innerText || h1.textContent).slice(0, 200) : "",
    alerts,
    main_chars: norm(main ? main.innerText || "" : "").length,
  };
}
