// What the fill pass needs to decide, for every control, in one round trip:
// its current value, whether it is ticked, how many files it holds, and for a
// <select> its options (value, text, unusable).  null when the selector is
// invalid or matches nothing (the control left the page since extraction).
(sels) => sels.map((s) => {
  let e = null;
  try { e = document.querySelector(s); } catch (err) { return null; }
  if (!e) return null;
  const out = { value: e.value || "", checked: !!e.checked, files: e.files ? e.files.length : 0 };
  if (e.tagName === "SELECT") {
    out.options = Array.from(e.options).map((o) => ({
      value: o.value, text: (o.text || "").trim(), disabled: o.disabled || o.hidden,
    }));
  }
  return out;
})
