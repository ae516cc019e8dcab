// Runs axe-core in the top frame (axe is injected beforehand in every frame,
// so iframes are audited too) and returns only what the pipeline keeps;
// null when axe is not in the page (its init script did not run there).
//
// With ``opts.chrome`` (auditor/collect/chrome.py), regions the site repeats
// (header, navigation, footer) are fingerprinted.  In a region whose
// fingerprint is in ``opts.chrome.known``, axe's element-level rules match no
// element during this one run, and the results recorded on an earlier page
// are put back in place, their targets computed on this page by axe itself;
// page-level rules still run on the whole page.  Regions not yet known are
// returned in ``learned`` with their results, for the pages that follow.
async (opts) => {
  if (typeof window.axe === "undefined" || !window.axe.run) return null;
  /* @include chrome_regions.js */
  const MAX_HTML = 400;
  const MAX_NODES = 50;
  const base = {
    resultTypes: ["violations", "incomplete"],
    iframes: true,
    frameWaitTime: opts.frameWaitTime || 5000,
    performanceTimer: false,
  };
  const slimRule = (r) => ({
    rule: r.id,
    impact: r.impact || null,
    tags: r.tags || [],
    help: r.help || "",
    help_url: r.helpUrl || "",
    description: r.description || "",
    nodes: (r.nodes || []).slice(0, MAX_NODES).map((n) => ({
      target: n.target,
      html: (n.html || "").slice(0, MAX_HTML),
      summary: (n.failureSummary || "").slice(0, 600),
    })),
  });
  const whole = async (why) => {
    const results = await axe.run(document, { ...base, elementRef: false });
    return {
      version: axe.version,
      violations: results.violations.map(slimRule),
      incomplete: results.incomplete.map(slimRule),
      reused: [],
      learned: [],
      chrome: why,
    };
  };
  const chrome = opts.chrome;
  let found;
  try {
    found = chrome ? crRegions(chrome) : { regions: [], why: "off" };
  } catch (e) {
    found = { regions: [], why: "fingerprint: " + e };
  }
  if (!found.regions.length) return await whole(found.why);
  try {
    return await withChrome(found);
  } catch (e) {
    // anything unexpected in the sharing (a region the page redrew during the run): the page audited whole
    return await whole("reuse failed: " + e);
  }

  async function withChrome(found) {
    // rules that read the whole document run on the whole page: those listed, those axe marks
    // page-level, those whose checks compare elements across the page (an ``after`` step)
    const patterns = chrome.pageRules.map((p) => new RegExp("^" + p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*") + "$"));
    const pageRules = new Set();
    for (const r of axe._audit.rules) {
      const checks = [...(r.any || []), ...(r.all || []), ...(r.none || [])];
      if (r.pageLevel || patterns.some((re) => re.test(r.id)) || checks.some((c) => {
        const check = axe._audit.checks[c.id || c];
        return check && check.after;
      })) pageRules.add(r.id);
    }
    // a known region is reused unless a recorded message spells one of its ids, now spelled otherwise
    const renamed = (reg) => {
      const stored = chrome.known[reg.fp];
      const before = stored.ids || [];
      const moved = before.filter((id, k) => id !== reg.ids[k]);
      if (!moved.length) return false;
      const spelled = new RegExp("(^|[^\\w-])(" + moved.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|") + ")($|[^\\w-])");
      return ["violations", "incomplete"].some((type) => Object.values(stored[type] || {})
        .some((r) => r.nodes.some((n) => spelled.test(n.summary || ""))));
    };
    const known = found.regions.filter((r) => chrome.known[r.fp] && !renamed(r));
    const fresh = found.regions.filter((r) => !chrome.known[r.fp]);

    // elements of the known regions: element-level rules do not match them in this run
    const skip = new WeakSet();
    for (const reg of known) {
      skip.add(reg.el);
      for (const el of reg.el.getElementsByTagName("*")) skip.add(el);
    }
    // selectors are axe's own, computed while its tree and selector data are set up (during the run)
    const selectors = new Map();
    const sources = new Map();  // a reused node's HTML, as axe writes it for this page's element
    const wanted = [...found.regions.map((r) => r.el)];
    const reusedEls = new Set();  // the nodes put back: only they need their HTML (a region's is its whole markup)
    for (const reg of known) {
      for (const type of ["violations", "incomplete"]) {
        for (const r of Object.values(chrome.known[reg.fp][type] || {})) {
          for (const n of r.nodes) {
            const el = crResolve(reg.el, n.path);
            if (el) {
              wanted.push(el);
              reusedEls.add(el);
            }
          }
        }
      }
    }
    let selectorError = null;
    const computeSelectors = () => {
      if (selectors.size || selectorError || !axe._tree) return;
      try {
        for (const el of wanted) {
          if (!selectors.has(el)) {
            selectors.set(el, axe.utils.getSelector(el));
            if (reusedEls.has(el)) sources.set(el, new axe.utils.DqElement(el).source);
          }
        }
      } catch (e) {
        selectorError = e;  // never inside a rule of axe's run: the sharing is abandoned after it
      }
    };
    const patched = [];
    for (const rule of axe._audit.rules) {
      if (pageRules.has(rule.id)) continue;
      const own = Object.prototype.hasOwnProperty.call(rule, "matches");
      const original = rule.matches;
      patched.push([rule, own, original]);
      rule.matches = function (node, virtualNode, context) {
        computeSelectors();
        if (skip.has(node)) return false;
        return original.call(this, node, virtualNode, context);
      };
    }
    let results;
    try {
      results = await axe.run(document, { ...base, elementRef: true });
    } finally {
      for (const [rule, own, original] of patched) {
        if (own) rule.matches = original;
        else delete rule.matches;
      }
    }
    if (!selectors.size && !selectorError) {  // no element-level rule asked (not with axe's rules): set up once more
      axe.setup(document);
      try {
        computeSelectors();
      } finally {
        axe.teardown();
      }
    }
    if (selectorError) throw selectorError;

    // learn the regions seen for the first time (element-level rules only)
    const learned = fresh.map((reg) => {
      const out = { violations: {}, incomplete: {} };
      let count = 0;
      for (const type of ["violations", "incomplete"]) {
        for (const r of results[type]) {
          if (pageRules.has(r.id)) continue;
          const nodes = r.nodes.filter((n) => n.element && reg.el.contains(n.element)).map((n) => ({
            path: crPath(reg.el, n.element), impact: n.impact, html: (n.html || "").slice(0, MAX_HTML),
            summary: (n.failureSummary || "").slice(0, 600) }));
          if (nodes.length) {
            out[type][r.id] = { tags: r.tags, help: r.help, help_url: r.helpUrl, description: r.description, nodes };
            count += nodes.length;
          }
        }
      }
      out.ids = reg.ids;
      return { fp: reg.fp, region: selectors.get(reg.el), results: out, nodes: count };
    });
    if (!known.length) {
      return {
        version: axe.version,
        violations: results.violations.map(slimRule),
        incomplete: results.incomplete.map(slimRule),
        reused: [],
        learned,
      };
    }

    // put the known regions' results back on this page's elements, in document order; a rule's
    // impact is the highest of its nodes' (as axe computes it)
    const impacts = ["minor", "moderate", "serious", "critical"];
    const order = new Map(axe._audit.rules.map((r, i) => [r.id, i]));
    const reused = [];
    const merged = { violations: new Map(), incomplete: new Map() };
    for (const type of ["violations", "incomplete"]) {
      for (const r of results[type]) {
        merged[type].set(r.id, { ...r, nodes: r.nodes.map((n) => ({ ...n, el: n.element })) });
      }
    }
    for (const reg of known) {
      const stored = chrome.known[reg.fp];
      let count = 0;
      for (const type of ["violations", "incomplete"]) {
        for (const [id, r] of Object.entries(stored[type] || {})) {
          if (!merged[type].has(id)) {
            merged[type].set(id, { id, tags: r.tags, help: r.help, helpUrl: r.help_url, description: r.description,
              impact: null, nodes: [] });
          }
          const into = merged[type].get(id);
          for (const n of r.nodes) {
            const el = crResolve(reg.el, n.path);
            if (!el) throw new Error("région commune modifiée pendant l'audit : " + reg.fp);
            into.nodes.push({ el, target: [selectors.get(el)], impact: n.impact, html: sources.get(el),
              failureSummary: n.summary });
            count++;
          }
        }
      }
      reused.push({ fp: reg.fp, region: selectors.get(reg.el), nodes: count });
    }
    const byDoc = (a, b) => (a.el === b.el ? 0
      : a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    const out = (type) => Array.from(merged[type].values())
      .sort((a, b) => order.get(a.id) - order.get(b.id))
      .map((r) => {
        if (pageRules.has(r.id)) return slimRule(r);
        const nodes = r.nodes.slice().sort(byDoc);
        let impact = null;
        for (const n of nodes) if (impacts.indexOf(n.impact) > impacts.indexOf(impact)) impact = n.impact;
        return slimRule({ ...r, impact, nodes });
      });
    return {
      version: axe.version,
      violations: out("violations"),
      incomplete: out("incomplete"),
      reused,
      learned,
    };
  }
}
