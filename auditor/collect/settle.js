// Installed in every document before its scripts run (init script): tracks
// the time of the last DOM change, so the walk can wait for a quiet window
// after an action instead of sleeping a fixed time.
(() => {
  if (window.__auditorQuiet) return;
  let last = performance.now();
  try {
    new MutationObserver((records) => {
      for (const r of records) {
        // inline style churn (animations, progress bars) is not new content
        if (r.type !== "attributes" || r.attributeName !== "style") {
          last = performance.now();
          return;
        }
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  } catch (e) {
    /* no observer: the walk falls back on network idle */
  }
  // Resolves true once the DOM has not changed for quietMs since the call and
  // since its last change (and the document is parsed), false when maxMs
  // passes first.
  Object.defineProperty(window, "__auditorQuiet", {
    value: (quietMs, maxMs) =>
      new Promise((resolve) => {
        const start = performance.now();
        const tick = () => {
          const now = performance.now();
          if (now - Math.max(last, start) >= quietMs && document.readyState !== "loading") return resolve(true);
          if (now - start >= maxMs) return resolve(false);
          setTimeout(tick, Math.max(10, Math.min(50, quietMs / 2)));
        };
        tick();
      }),
    enumerable: false,
  });
})();
