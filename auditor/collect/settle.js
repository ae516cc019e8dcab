// Installed in every document before its scripts run (init script): tracks
// the time of the last DOM change, so the walk can wait for a quiet window
// after an action instead of sleeping a fixed time, and the page's pending
// short timers and animation frames, so that a page with nothing left to do
// is declared settled sooner than one that may still change.
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

  // Work the page has scheduled and not yet run: one-shot timers due within
  // TRACKED_MS and animation frames.  Proxies keep the functions' names,
  // lengths and native-looking source; our own ticks use the originals, so
  // they never count.  Repeating timers (setInterval) are not tracked: they
  // would never let the page look idle; the full quiet window covers them.
  const TRACKED_MS = 1000;
  const pending = new Set();
  const nativeSetTimeout = window.setTimeout;
  try {
    const wrap = (name, track, untrack) => {
      const original = window[name];
      window[name] = new Proxy(original, { apply: (target, self, args) => {
        const tracked = track(args);
        const id = Reflect.apply(target, self === undefined ? window : self, tracked ? tracked.args : args);
        if (tracked) {  // a timer or a frame never runs before it is scheduled: no race here
          tracked.slot.id = id;
          pending.add(tracked.key(id));
        }
        return id;
      } });
      if (untrack) {
        const cancel = window[untrack];
        window[untrack] = new Proxy(cancel, { apply: (target, self, args) => {
          pending.delete(name + ":" + args[0]);
          return Reflect.apply(target, self === undefined ? window : self, args);
        } });
      }
    };
    const tracker = (name, eligible) => (args) => {
      const fn = args[0];
      if (typeof fn !== "function" || !eligible(args)) return null;
      const slot = { id: undefined };  // the id, known once scheduled
      const key = (id) => name + ":" + id;
      const run = function (...a) {
        pending.delete(key(slot.id));
        return fn.apply(this, a);
      };
      return { args: [run, ...args.slice(1)], slot, key };
    };
    wrap("setTimeout", tracker("setTimeout", (a) => !(Number(a[1]) > TRACKED_MS)), "clearTimeout");
    wrap("requestAnimationFrame", tracker("requestAnimationFrame", () => true), "cancelAnimationFrame");
  } catch (e) {
    /* cannot wrap: the page is never declared idle early, only after the full quiet window */
  }

  // A navigation this document started to another document (a form sent, a
  // link followed, location changed): the page is about to be replaced,
  // however idle it looks, and the new document may be slow to come.  It is
  // never settled on the short window, and the walk, told so, waits for the
  // next document.  A navigation the page intercepts (single-page apps)
  // ends the flag when it completes.
  let navigating = false; // for the next settle (consumed when read)
  let leaving = false; // until the navigation completes in this document (intercepted) or fails
  try {
    if (window.navigation) {
      navigation.addEventListener("navigate", (e) => {
        if (!(e.destination && e.destination.sameDocument)) navigating = leaving = true;
      });
      navigation.addEventListener("navigatesuccess", () => { navigating = leaving = false; });
      navigation.addEventListener("navigateerror", () => { navigating = leaving = false; });
    }
  } catch (e) {
    /* no Navigation API: a pending navigation is caught by the walk's request interception */
  }

  // Resolves true once the document is parsed (loaded, with `loaded`: its
  // load event is due, as Playwright's "load" state) and the DOM has not
  // changed since the action and since its last change for quietMs — or for
  // only idleMs when the page has no timer or animation frame pending and is
  // not navigating away; false when maxMs passes first.  sinceEpochMs: when
  // the action started (epoch ms, the clock of performance.timeOrigin); a
  // document created after it counts from its own start.  Without it, from
  // the call.
  Object.defineProperty(window, "__auditorQuiet", {
    value: (quietMs, maxMs, sinceEpochMs, idleMs, loaded) =>
      new Promise((resolve) => {
        const called = performance.now();
        const start = typeof sinceEpochMs === "number"
          ? Math.min(called, Math.max(0, sinceEpochMs - performance.timeOrigin))
          : called;
        const early = typeof idleMs === "number" ? Math.min(idleMs, quietMs) : quietMs;
        const tick = () => {
          const now = performance.now();
          const quiet = now - Math.max(last, start);
          const ready = loaded ? document.readyState === "complete" : document.readyState !== "loading";
          if (ready && (quiet >= quietMs || (quiet >= early && pending.size === 0 && !navigating))) return resolve(true);
          if (now - called >= maxMs) return resolve(false);
          nativeSetTimeout(tick, Math.max(10, Math.min(50, early / 2)));
        };
        // never on the spot: a navigation the action queued (a form sent) starts first
        nativeSetTimeout(tick, 0);
      }),
    enumerable: false,
  });
  Object.defineProperty(window, "__auditorPending", { value: () => [...pending], enumerable: false });
  // Read by the walk once per settle, and then forgotten (consume): a
  // navigation that never replaces the document (a download, a cancelled
  // one) is waited for once, not at every later settle.
  Object.defineProperty(window, "__auditorLeaving", { value: () => leaving, enumerable: false });
  // A navigation of this document the walk refused on purpose (the empty submission's click, answered
  // by an empty 204): the browser stays on the page, and no Navigation API event says so — the walk does.
  Object.defineProperty(window, "__auditorStayed", {
    value: () => { navigating = leaving = false; },
    enumerable: false,
  });
  Object.defineProperty(window, "__auditorNavigating", {
    value: (consume) => {
      const was = navigating;
      if (consume) navigating = false;
      return was;
    },
    enumerable: false,
  });
})();
