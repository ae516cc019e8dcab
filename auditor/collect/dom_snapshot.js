// The page's DOM as saved in capture.json: structure, attributes and text,
// without what no check reads and what makes a capture heavy (scripts,
// styles, SVG drawings, comments, inline data: images).  Keeps a 25-page
// démarche's report folder small.  ``facts`` (dom_facts.js), when given,
// reads the checks' facts off the same clone.  Evaluated as a function
// expression: (facts) => {html, facts}.
(facts) => {
  const clone = document.documentElement.cloneNode(true);
  clone.querySelectorAll("script, style, noscript, template, link[rel=preload], link[rel=modulepreload], link[rel=prefetch]")
    .forEach((n) => n.remove());
  // an SVG keeps its element (role, aria-label) and <title>, not its drawing
  clone.querySelectorAll("svg").forEach((s) => {
    for (const c of Array.from(s.childNodes)) {
      if (!(c.nodeType === 1 && c.localName === "title")) c.remove();
    }
  });
  const it = document.createNodeIterator(clone, NodeFilter.SHOW_COMMENT);
  const comments = [];
  for (let n = it.nextNode(); n; n = it.nextNode()) comments.push(n);
  comments.forEach((c) => c.remove());
  clone.querySelectorAll("[src^='data:'], [href^='data:']").forEach((e) => {
    for (const a of ["src", "href"]) {
      const v = e.getAttribute(a);
      if (v && v.startsWith("data:") && v.length > 80) e.setAttribute(a, v.slice(0, 64) + "…");
    }
  });
  const dt = document.doctype ? `<!DOCTYPE ${document.doctype.name}>` : "";
  let read = null;
  try { read = facts ? facts(clone) : null; } catch (e) { /* the check reads the HTML instead */ }
  return { html: dt + clone.outerHTML, facts: read };
}
