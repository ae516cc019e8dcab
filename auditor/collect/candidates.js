// The controls that could move the démarche on, as they are right now
// (after the form was filled: a widget may have enabled its button), with
// what the walk needs to choose among them: accessible name, landmark,
// DSFR/primary classes, form membership, link target.  Also a few page
// signals (visible password field, search forms, upload inputs) and what
// the final-control guard reads around them (final_control.py): a stepper,
// a list of steps, an amount near a button, new-password and card fields,
// links to payment services.
// Evaluated as a function expression: (opts) => data.
(opts) => {
  const MAX = 300;
  /* @include prelude.js */
  const cssPath = (el) => selectorIn(el);
  const isVisible = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width >= 2 && r.height >= 2;
  };
  const accName = (el) => {
    const lb = textOfIds(el.getAttribute("aria-labelledby"));
    if (lb) return lb;
    const al = norm(el.getAttribute("aria-label"));
    if (al) return al;
    if (el.localName === "input") {
      if (["submit", "button", "image", "reset"].includes(el.type)) {
        return norm(el.value || el.alt || el.getAttribute("title") || (el.type === "submit" ? "Envoyer" : ""));
      }
      return "";
    }
    const t = norm(el.innerText || el.textContent);
    if (t) return t;
    const img = el.querySelector("img[alt], svg[aria-label], [role=img][aria-label]");
    if (img) {
      const n = norm(img.getAttribute("alt") || img.getAttribute("aria-label"));
      if (n) return n;
    }
    const svgTitle = el.querySelector("svg title");
    if (svgTitle && norm(svgTitle.textContent)) return norm(svgTitle.textContent);
    return norm(el.getAttribute("title"));
  };
  const regionOf = (el) => {
    if (el.closest("main, [role=main]")) return el.closest("nav, [role=navigation]") ? "navigation" : "main";
    const lm = el.closest("header, footer, nav, aside, [role=banner], [role=contentinfo], [role=navigation], [role=complementary]");
    if (!lm) return "";
    return lm.getAttribute("role") || { header: "banner", footer: "contentinfo", nav: "navigation", aside: "complementary" }[lm.localName] || "";
  };
  const searchRe = (opts.search || []).map((p) => new RegExp(p, "i"));
  const consentRe = (opts.consent || []).map((p) => { try { return new RegExp(p, "i"); } catch (e) { return null; } })
    .filter(Boolean);
  // inside a cookie/consent banner: a small ancestor (a banner, not the
  // page) whose text, id or class speaks of cookies
  const inConsent = (el) => {
    if (!consentRe.length) return false;
    let node = el.parentElement;
    for (let depth = 0; node && depth < 6 && node !== document.body; depth++) {
      const t = node.textContent || "";
      if (t.length > 2000) break;
      const cls = typeof node.className === "string" ? node.className : "";
      if (consentRe.some((re) => re.test(t) || re.test(node.id || "") || re.test(cls))) return true;
      node = node.parentElement;
    }
    return false;
  };
  const isSearchField = (f) =>
    f.type === "search" || searchRe.some((re) => re.test(f.getAttribute("name") || "") || re.test(f.id || ""));
  const forms = Array.from(document.forms);
  const payRe = (opts.payment || []).map((p) => { try { return new RegExp(p, "i"); } catch (e) { return null; } })
    .filter(Boolean);
  const isPayment = (url) => !!url && payRe.some((re) => re.test(url));
  // a euro amount written in the control's own block (its form, fieldset, section or card)
  const EURO = /\d[\d\s\u00a0\u202f.]*(?:[,.]\d{1,2})?\s*(?:€|euros?\b|EUR\b)/i;
  const amountNear = (el) => {
    const block = el.closest("fieldset, form, section, article, .fr-card, .fr-callout, .fr-notice") || el.parentElement;
    if (!block) return "";
    const t = (block.innerText || "").slice(0, 1500);
    const m = t.match(EURO);
    return m ? norm(m[0]).slice(0, 40) : "";
  };
  const formText = (f) => {
    const around = f.parentElement && f.parentElement !== document.body ? f.parentElement : f;
    const t = norm(around.innerText || "");
    return (t.length <= 600 ? t : norm(f.innerText || "")).slice(0, 300);
  };
  const formInfo = forms.map((f, i) => {
    const fields = Array.from(f.elements).filter(
      (e) => ["input", "select", "textarea"].includes(e.localName) &&
        !["hidden", "submit", "button", "image", "reset"].includes(e.type)
    );
    const submits = Array.from(f.elements).filter(
      (e) => (e.localName === "button" && (e.getAttribute("type") || "submit").toLowerCase() === "submit") ||
        (e.localName === "input" && ["submit", "image"].includes(e.type))
    );
    return {
      index: i,
      fields: fields.filter(isVisible).length,
      submits: submits.filter((e) => isVisible(e) && !e.disabled).length,
      search: !!(f.getAttribute("role") === "search" || f.closest("[role=search]") ||
        (fields.length > 0 && fields.every(isSearchField))),
      region: regionOf(f),
      action: f.action || "",
      // neither method nor action: a script sends it (single-page apps), what it does is unknown
      method: (f.getAttribute("method") || (f.hasAttribute("action") ? "get" : "")).toLowerCase(),
      field_types: fields.filter(isVisible).map((e) => e.localName === "input" ? e.type : e.localName).slice(0, 40),
      text: formText(f),
    };
  });

  const out = [];
  const sel = "button, input[type=submit], input[type=button], input[type=image], a[href], [role=button], [role=link]";
  let order = 0;
  for (const el of document.querySelectorAll(sel)) {
    if (out.length >= MAX) break;
    const tag = el.localName;
    const type = tag === "button" ? (el.getAttribute("type") || "submit").toLowerCase()
      : tag === "input" ? el.type : tag === "a" ? "link" : el.getAttribute("role") || tag;
    const form = el.form || null;
    // an upload button whose own block (no other button in it) already
    // holds a chosen file
    let nearFile = false;
    let node = el.parentElement;
    for (let depth = 0; node && depth < 3 && node !== document.body; depth++) {
      if (node.querySelectorAll("button, [role=button], input[type=submit], input[type=button]").length > 1) break;
      const f = node.querySelector("input[type=file]");
      if (f) { nearFile = !!(f.files && f.files.length); break; }
      node = node.parentElement;
    }
    const isSubmit = !!form && ((tag === "button" && type === "submit") || (tag === "input" && ["submit", "image"].includes(type)));
    out.push({
      selector: cssPath(el),
      order: order++,
      tag,
      type,
      role: el.getAttribute("role") || (tag === "a" ? "link" : "button"),
      name: accName(el).slice(0, 200),
      classes: (el.getAttribute("class") || "").slice(0, 300),
      visible: isVisible(el),
      disabled: !!(el.disabled || el.getAttribute("aria-disabled") === "true"),
      region: regionOf(el),
      href: tag === "a" ? el.href : "",
      raw_href: tag === "a" ? el.getAttribute("href") || "" : "",
      target: el.getAttribute("target") || (form && isSubmit ? form.getAttribute("target") || "" : ""),
      form: form ? forms.indexOf(form) : -1,
      submit: isSubmit,
      near_file: nearFile,
      consent: inConsent(el),
      action: isSubmit ? el.getAttribute("formaction") ? el.formAction : form.action : "",
      aimed: el === window.__auditorAimed,  // the control a scripted step is about to click
      amount: tag !== "a" && ["main", ""].includes(regionOf(el)) ? amountNear(el) : "",
    });
  }
  const password = Array.from(document.querySelectorAll("input[type=password]"))
    .some((p) => isVisible(p) && !["banner", "navigation", "contentinfo"].includes(regionOf(p)));
  const h1 = document.querySelector("h1");
  // where the page stands: a DSFR stepper, else a list of steps with its current item
  let stepper = null;
  const st = document.querySelector("[data-fr-current-step][data-fr-steps]");
  if (st) stepper = [parseInt(st.getAttribute("data-fr-current-step"), 10), parseInt(st.getAttribute("data-fr-steps"), 10)];
  let progress = null;
  const cur = document.querySelector("ol > li[aria-current=step], ul > li[aria-current=step], ol > li > [aria-current=step], ul > li > [aria-current=step]");
  if (cur) {
    const li = cur.localName === "li" ? cur : cur.parentElement;
    const items = Array.from(li.parentElement.children).filter((c) => c.localName === "li");
    progress = [items.indexOf(li) + 1, items.length];
  }
  const shownInputs = (q) => Array.from(document.querySelectorAll(q))
    .filter((e) => isVisible(e) && !["banner", "navigation", "contentinfo"].includes(regionOf(e)));
  const passwords = shownInputs("input[type=password]");
  const newPassword = passwords.some((p) => /\bnew-password\b/i.test(p.getAttribute("autocomplete") || "")) ||
    forms.some((f) => passwords.filter((p) => p.form === f).length >= 2);
  const paymentLinks = [];
  for (const el of document.querySelectorAll("a[href], form[action], iframe[src]")) {
    const url = el.localName === "a" ? el.href : el.localName === "form" ? el.action : el.src;
    if (isPayment(url) && paymentLinks.length < 5 && !["banner", "navigation", "contentinfo"].includes(regionOf(el))) paymentLinks.push(url);
  }
  return {
    candidates: out,
    forms: formInfo,
    password,
    guard: {
      stepper,
      progress,
      new_password: newPassword,
      card_fields: shownInputs("input[autocomplete^=cc-], input[autocomplete*=' cc-']").length > 0,
      payment_links: paymentLinks,
    },
    file_inputs: document.querySelectorAll("input[type=file]").length,
    title: document.title || "",
    h1: h1 ? norm(h1.innerText || h1.textContent).slice(0, 200) : "",
  };
}
