// The keyboard walk's screenshots for the pixel comparison (auditor/collect/probes/keyboard.py).
// Evaluated right after keyboard.js as (api) => undefined, on the object it installed.
//
// Why: the walk judges a focus that no style read shows by two crops of the element, focused and
// blurred.  Playwright's page.screenshot costs some six messages and, around each capture, two scripts
// walking the whole document to hide text carets (an inline style set on every field, then put back).
// The walk takes the captures itself on its DevTools session (Page.captureScreenshot, the very call
// Playwright ends with, same clip, same scale) after `shoot`: the caret hidden by a constructed style sheet
// in the focused element's tree (only a focused field draws one; no DOM change), and where the window is in
// the page (the clip is given in page coordinates).  `refocus` (and `restore`) take the sheet away; a
// `blur` that fails does too.
(api) => {
  let sheet = null, root = null;
  const uncaret = () => {
    if (sheet && root) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
    sheet = root = null;
  };
  api.shoot = () => {
    uncaret();
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    const r = a && a.getRootNode ? a.getRootNode() : document;
    try {
      const s = new CSSStyleSheet();
      s.replaceSync("input, textarea, [contenteditable] { caret-color: transparent !important; }");
      r.adoptedStyleSheets = [...r.adoptedStyleSheets, s];
      sheet = s;
      root = r;
    } catch (e) {
      return null;  // no constructed style sheets: the walk takes Playwright's screenshots
    }
    const vv = window.visualViewport;
    return { x: vv ? vv.pageLeft : window.scrollX, y: vv ? vv.pageTop : window.scrollY,
      scale: (vv ? vv.scale : 1) / (window.devicePixelRatio || 1) };
  };
  const blur = api.blur, refocus = api.refocus, restore = api.restore;
  api.blur = async (id) => {
    const done = await blur(id);
    if (!done) uncaret();
    return done;
  };
  api.refocus = async (id) => {
    try { return await refocus(id); } finally { uncaret(); }
  };
  api.restore = (arg) => {
    uncaret();
    return restore(arg);
  };
}
