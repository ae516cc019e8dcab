// Apply every fill decision of one pass in a single round trip.
//
// actions: [{selector, kind: "text" | "select" | "check", candidates: [...]}]
// returns, per action: {ok: found and set, valid: validity after the change, value}
//
// Values go through the native setter of the element's prototype, not the
// `value` property of the element itself: React (and the like) shadow that
// property to track the last value they rendered, and ignore an `input`
// event whose value they already know — the prototype setter is what a
// keystroke uses.  Then `input` and `change` are dispatched, and the field is
// left (blur/focusout), as moving on to the next field would: controlled
// inputs keep their state from these events and re-render from it.
// One bad element never stops the batch.
(actions) => {
  const protoOf = (el) => {
    if (el.tagName === "TEXTAREA") return HTMLTextAreaElement.prototype;
    if (el.tagName === "SELECT") return HTMLSelectElement.prototype;
    return HTMLInputElement.prototype;
  };
  const setValue = (el, v) => {
    const d = Object.getOwnPropertyDescriptor(protoOf(el), "value");
    if (d && d.set) d.set.call(el, v); else el.value = v;
  };
  const fire = (el, v) => {
    let input;
    try {
      input = new InputEvent("input", { bubbles: true, composed: true, inputType: "insertText", data: v });
    } catch (err) {
      input = new Event("input", { bubbles: true, composed: true });
    }
    el.dispatchEvent(input);
    el.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const isValid = (el) => !el.validity || el.validity.valid;
  const one = (a) => {
    const el = document.querySelector(a.selector);
    if (!el) return { ok: false, valid: false, value: null };
    if (a.kind === "check") {
      if (!el.checked) el.click();
      return { ok: !!el.checked, valid: isValid(el), value: el.value };
    }
    const candidates = a.candidates || [];
    if (!candidates.length) return { ok: false, valid: isValid(el), value: el.value };
    try { el.focus(); } catch (err) { /* not focusable: set it anyway */ }
    let valid = false;
    if (a.kind === "select") {
      setValue(el, candidates[0]);
      fire(el, candidates[0]);
    } else {
      for (const v of candidates) {
        setValue(el, v);
        fire(el, v);
        if (isValid(el)) { valid = true; break; }
      }
      if (!valid && candidates.length > 1) {  // the best guess, for the record
        setValue(el, candidates[0]);
        fire(el, candidates[0]);
      }
    }
    try { el.blur(); } catch (err) { /* ignore */ }
    valid = isValid(el);
    const ok = a.kind === "select" ? el.value === candidates[0] : true;
    return { ok, valid, value: el.value };
  };
  return actions.map((a) => {
    try {
      return one(a);
    } catch (err) {
      return { ok: false, valid: false, value: null, error: String(err).slice(0, 200) };
    }
  });
}
