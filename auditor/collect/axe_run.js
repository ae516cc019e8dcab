// Runs axe-core in the top frame (axe is injected beforehand in every frame,
// so iframes are audited too) and returns only what the pipeline keeps;
// null when axe is not in the page (its init script did not run there).
async (opts) => {
  if (typeof window.axe === "undefined" || !window.axe.run) return null;
  const MAX_HTML = 400;
  const results = await axe.run(document, {
    resultTypes: ["violations", "incomplete"],
    iframes: true,
    elementRef: false,
    frameWaitTime: opts.frameWaitTime || 5000,
    performanceTimer: false,
  });
  const slim = (r) => ({
    rule: r.id,
    impact: r.impact || null,
    tags: r.tags || [],
    help: r.help || "",
    help_url: r.helpUrl || "",
    description: r.description || "",
    nodes: (r.nodes || []).slice(0, 50).map((n) => ({
      target: n.target,
      html: (n.html || "").slice(0, MAX_HTML),
      summary: (n.failureSummary || "").slice(0, 600),
    })),
  });
  return {
    version: axe.version,
    violations: results.violations.map(slim),
    incomplete: results.incomplete.map(slim),
  };
}
