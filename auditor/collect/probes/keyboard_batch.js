// The keyboard walk's batches (auditor/collect/probes/keyboard.py): several Tab presses sent back to back,
// read in one call.  Evaluated right after keyboard.js as (api, opts) => undefined, on the object it
// installed (window.__auditorKeyboard).
//
// Why: each press read on its own costs a round trip of the browser (a page call after the two key
// messages), some eighty per page.  Armed by `collect({arm: true})`, a listener on the window reads, at
// each Tab keydown, what the previous press focused — the very record `step` gives, taken once the page has
// done what it does on that focus — and lets the key through only when nothing unusual happened; otherwise
// it swallows that key and the rest of the batch (no page handler sees them, focus does not move), so the
// walk in Python goes on from exactly where a press-by-press walk would be.  It stops on:
//   - an element met before (a wrap, a loop, a trap, a control with parts), focus on the body or out of
//     the document, a frame focused: the walk's own decisions (cycle, Escape, re-entry) come next;
//   - an element whose focus is to be judged on pixels (screenshots need it focused): while the page has
//     not yet given `max_pixels` such elements, as many as the walk compares;
//   - a frame shown anywhere in the document (keys sent into a frame never reach this listener: the walk
//     goes press by press on such a page), a navigation under way;
//   - work the page scheduled in reaction to the press or the focus (a timer due within REACTION_MS, an
//     animation frame, set from a key or focus handler or from such a callback, three levels deep) and not
//     run yet: the read that follows lets it run (at most REACTION_MS), so a script that moves the focus
//     or shows an element a moment after the focus has done so before the next press, as for a visitor.
// The first press of a batch always goes, as after a read (a frame that appears in the moment between a
// read and the next batch, and takes that press, is seen afterwards: fewer keydowns than sent, and the walk
// goes press by press from there).  Every other call of the walk disarms the batch; `restore` takes
// everything away (listeners, the timer wrappers).
(api, opts) => {
  const MAX_PIXELS = opts.max_pixels || 10;
  const FRAMES = "iframe, frame, object, embed, fencedframe, portal";
  const REACTING = new Set(["keydown", "keyup", "keypress", "focus", "blur", "focusin", "focusout"]);
  // how long a read lets the page's reactions run; a timer set further ahead is neither waited for nor
  // counted (a press-by-press walk did not wait for it either, and a page that shows a tooltip half a
  // second after the focus would be read press by press, 50 ms each, for nothing)
  const REACTION_MS = 50;
  const DEPTH = 3;
  const rawStep = api.step, rawLeft = api.left;
  let pixelsSeen = 0;  // records judged on pixels so far (the walk compares the first MAX_PIXELS)
  const needsPixels = (rec) => rec && rec.kind === "element" && !rec.repeat && rec.clip && rec.in_viewport &&
    !(rec.focus_changes && rec.focus_changes.length);
  const step = () => {
    const rec = rawStep();
    if (needsPixels(rec)) pixelsSeen++;
    return rec;
  };

  // --- the page's pending reactions: timers and animation frames it set from a key or focus handler
  const pending = new Set();
  let depth = 0;  // the level of the tracked callback running (0: none)
  const nativeTimeout = window.setTimeout;
  // the key or focus event being dispatched: window.event, except for a listener inside a shadow tree,
  // where it stays unset; so also the event seen here first (capture on the window) until it comes back
  // (bubbling; focus and blur are followed at once by focusin and focusout), or else the end of its task
  let dispatching = null;
  const onEventStart = (e) => {
    if (!e.isTrusted) return;
    if (!dispatching) Reflect.apply(nativeTimeout, window, [() => { dispatching = null; }, 0]);
    dispatching = e;
  };
  const onEventEnd = (e) => { if (dispatching === e) dispatching = null; };
  for (const type of REACTING) {
    window.addEventListener(type, onEventStart, true);
    window.addEventListener(type, onEventEnd, false);
  }
  const reactionLevel = () => {
    if (depth) return depth < DEPTH ? depth + 1 : 0;
    const ev = window.event || dispatching;
    return ev && ev.isTrusted && REACTING.has(ev.type) ? 1 : 0;
  };
  // a read lets the page's pending reactions run first, as a visitor's next press would come later: at most
  // REACTION_MS, polled with the timer found at install (never counted as a reaction)
  const reactionsDone = async () => {
    const t0 = performance.now();
    while (pending.size && performance.now() - t0 < REACTION_MS) {
      await new Promise((r) => Reflect.apply(nativeTimeout, window, [r, 2]));
    }
  };
  const restorers = [];
  const wrap = (name, cancelName, eligible) => {
    const original = window[name], cancel = window[cancelName];
    if (typeof original !== "function" || typeof cancel !== "function") return;
    const proxy = new Proxy(original, { apply: (target, self, args) => {
      const level = typeof args[0] === "function" && eligible(args) ? reactionLevel() : 0;
      if (!level) return Reflect.apply(target, self === undefined ? window : self, args);
      const fn = args[0];
      let key;
      const run = function (...a) {
        pending.delete(key);
        const outer = depth;
        depth = level;
        try { return fn.apply(this, a); } finally { depth = outer; }
      };
      const id = Reflect.apply(target, self === undefined ? window : self, [run, ...args.slice(1)]);
      key = name + ":" + id;  // a timer or a frame never runs before it is scheduled: no race here
      pending.add(key);
      return id;
    } });
    const cancelProxy = new Proxy(cancel, { apply: (target, self, args) => {
      pending.delete(name + ":" + args[0]);
      return Reflect.apply(target, self === undefined ? window : self, args);
    } });
    window[name] = proxy;
    window[cancelName] = cancelProxy;
    restorers.push(() => {
      if (window[name] === proxy) window[name] = original;
      if (window[cancelName] === cancelProxy) window[cancelName] = cancel;
    });
  };
  let wrapped = false;  // without the wrappers, the page's reactions cannot be seen: never armed
  try {
    wrap("setTimeout", "clearTimeout", (a) => !(Number(a[1]) > REACTION_MS));
    wrap("requestAnimationFrame", "cancelAnimationFrame", () => true);
    wrapped = restorers.length === 2;
  } catch (e) {
    wrapped = false;
  }

  let navigating = false;
  const onNavigate = (e) => { if (!(e.destination && e.destination.sameDocument)) navigating = true; };
  const onLeave = () => { navigating = true; };
  try { if (window.navigation) navigation.addEventListener("navigate", onNavigate); } catch (e) { /* none */ }
  window.addEventListener("pagehide", onLeave, true);
  window.addEventListener("beforeunload", onLeave, true);

  const framesShown = () => {
    for (const f of document.querySelectorAll(FRAMES)) {
      if (!f.checkVisibility || f.checkVisibility()) return true;
    }
    return false;
  };

  // --- the batch: armed by collect, read and re-armed by the next collect
  let armed = false, stopped = false, stop = null, seen = 0, allowed = 0;
  let log = [];
  const swallow = (e) => { e.preventDefault(); e.stopImmediatePropagation(); };
  const onKey = (e) => {
    if (!armed || !e.isTrusted) return;
    if (stopped) {
      if (e.type === "keydown" && e.key === "Tab" && !e.shiftKey) seen++;
      swallow(e);
      return;
    }
    if (e.type !== "keydown" || e.key !== "Tab" || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    seen++;
    if (seen === 1) {  // the batch's first press goes as after a read (or a press of the walk's own)
      allowed++;
      return;
    }
    if (navigating) stop = "navigation";
    else if (framesShown()) stop = "frame";
    else {  // what the previous press focused, read now that the page has reacted to it
      if (pending.size) stop = "busy";
      else {
        const rec = step();
        log.push(rec);
        if (rec.kind !== "element" || rec.repeat) stop = rec.kind === "element" ? "repeat" : rec.kind;
        else if (needsPixels(rec) && pixelsSeen <= MAX_PIXELS) stop = "pixels";
      }
    }
    if (stop) {
      stopped = true;
      swallow(e);
      return;
    }
    allowed++;
  };
  window.addEventListener("keydown", onKey, true);
  window.addEventListener("keyup", onKey, true);
  window.addEventListener("keypress", onKey, true);

  const disarm = () => { armed = false; };
  for (const op of Object.keys(api)) {
    const fn = api[op];
    api[op] = (arg) => { disarm(); return fn(arg); };
  }
  api.step = async () => {
    disarm();
    await reactionsDone();
    return step();
  };
  // what the batch's presses focused, one record per press let through (the last one read now), why it
  // stopped, how many Tab keydowns came (fewer than sent: some went elsewhere), how many elements are left to
  // reach (the next batch need not be longer); then armed again if asked
  // (a press sent unarmed, the first of a walk or after another call, is read here too)
  api.collect = async (arg) => {
    if (!armed || allowed > log.length || !seen) {
      await reactionsDone();
      log.push(step());
    }
    const frames = framesShown();
    const out = { log, seen, stop, frames, batchable: wrapped, left: rawLeft ? rawLeft() : null };
    armed = !!(arg && arg.arm) && wrapped && !frames && !navigating;
    stopped = false; stop = null; seen = 0; allowed = 0; log = [];
    return out;
  };
  const restore = api.restore;
  api.restore = (arg) => {
    disarm();
    window.removeEventListener("keydown", onKey, true);
    window.removeEventListener("keyup", onKey, true);
    window.removeEventListener("keypress", onKey, true);
    for (const type of REACTING) {
      window.removeEventListener(type, onEventStart, true);
      window.removeEventListener(type, onEventEnd, false);
    }
    window.removeEventListener("pagehide", onLeave, true);
    window.removeEventListener("beforeunload", onLeave, true);
    try { if (window.navigation) navigation.removeEventListener("navigate", onNavigate); } catch (e) { /* none */ }
    for (const r of restorers) r();
    return restore(arg);
  };
}
