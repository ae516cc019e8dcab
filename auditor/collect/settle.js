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
  // Resolves true once the DOM has not changed for quietMs since the action
  // and since its last change (and the document is parsed), false when maxMs
  // passes first.  sinceEpochMs: when the action started (epoch ms, the
  // clock of performance.timeOrigin); a document created after it counts
  // from its own start.  Without it, from the call.
  Object.defineProperty(window, "__auditorQuiet", {
    value: (quietMs, maxMs, sinceEpochMs) =>
      new Promise((resolve) => {
        const called = performance.now();
        const start = typeof sinceEpochMs === "number"
          ? Math.min(called, Math.max(0, sinceEpochMs - performance.timeOrigin))
          : called;
        const tick = () => {
          const now = performance.now();
          if (now - Math.max(last, start) >= quietMs && document.readyState !== "loading") return resolve(true);
          if (now - called >= maxMs) return resolve(false);
          setTimeout(tick, Math.max(10, Math.min(50, quietMs / 2)));
        };
        tick();
      }),
    enumerable: false,
  });
})();
