// What the alternatives check reads from a page's markup (its images with
// their text alternatives, a form with a message field), read here on the
// DOM kept in capture.json (the clone dom_snapshot.js makes) rather than by
// parsing that HTML again in Python for every page of every scan.  Same
// tree, same answers: auditor/checks/alternatives.py reads the same records
// from the HTML when a capture has none (hand-built or older captures), and
// tests hold the two readings equal.  Evaluated as a function expression.
(root) => {
  const MAX_IMAGES = 400;
  const MAX_CONTEXT = 2000;
  const SKIP = new Set(["script", "style", "noscript", "template"]);
  // Python's \w in an id: letters, digits and _ (Unicode)
  const ID = /^[A-Za-z][\p{L}\p{N}_-]*$/u;
  // the text around a removed script or comment is one string once the
  // HTML is parsed again: merge it here too (serialising is unchanged)
  root.normalize();

  // BeautifulSoup's get_text(" "): every text node, joined by one space;
  // a node of ASCII blanks only is one newline (or one space), outside
  // <pre> and <textarea>, as BeautifulSoup stores it
  const BLANK = /^[ \n\t\f\r]+$/;
  const blank = (t) => {
    if (!BLANK.test(t.data) || t.parentElement.closest("pre, textarea")) return t.data;
    return t.data.includes("\n") ? "\n" : " ";
  };
  // (``limit``: stop reading once that many characters are in hand)
  const textOf = (el, limit = Infinity) => {
    const parts = [];
    let size = 0;
    const walk = (n) => {
      for (let c = n.firstChild; c && size <= limit; c = c.nextSibling) {
        if (c.nodeType === 3 || c.nodeType === 4) {
          const t = blank(c);
          parts.push(t);
          size += t.length + 1;
        } else if (c.nodeType === 1 && !SKIP.has(c.localName)) walk(c);
      }
    };
    walk(el);
    const text = parts.join(" ");
    return limit === Infinity ? text : text.slice(0, limit);
  };

  // alternatives.css_path: #id when the element has a plain one, else a
  // tag:nth-of-type path from the nearest ancestor that has one
  const path = (el) => {
    const parts = [];
    for (let n = el; n; ) {
      const id = n.getAttribute("id");
      if (id !== null && ID.test(id)) {
        parts.push("#" + id);
        break;
      }
      const parent = n.parentElement;
      if (!parent || n.localName === "html") {
        parts.push(n.localName);
        break;
      }
      const same = Array.from(parent.children).filter((c) => c.localName === n.localName);
      parts.push(same.length === 1 ? n.localName : `${n.localName}:nth-of-type(${same.indexOf(n) + 1})`);
      n = parent;
    }
    return parts.reverse().join(" > ");
  };

  // the text of up to three ancestors, nearest first, short of <body>: the
  // check keeps the first that has words (read once per ancestor: a gallery
  // of images shares its container)
  const texts = new Map();
  const context = (el) => {
    const out = [];
    let node = el.parentElement;
    for (let i = 0; i < 3 && node && !["body", "html"].includes(node.localName); i++) {
      if (!texts.has(node)) texts.set(node, textOf(node, MAX_CONTEXT));
      out.push(texts.get(node));
      node = node.parentElement;
    }
    return out;
  };

  const images = [];
  for (const el of root.querySelectorAll("img, input, area, svg, object")) {
    if (el.localName === "input" && (el.getAttribute("type") || "").toLowerCase() !== "image") continue;
    if (images.length >= MAX_IMAGES) break;
    const t = el.localName === "svg" ? el.querySelector("title") : null;
    const inControl = !!(el.parentElement && el.parentElement.closest("a, button"));
    images.push({
      tag: el.localName,
      selector: path(el),
      alt: el.getAttribute("alt"),
      aria_label: el.getAttribute("aria-label"),
      title: el.getAttribute("title"),
      svg_title: t ? t.textContent : null,
      src: el.getAttribute("src") || el.getAttribute("data") || "",
      classes: (el.getAttribute("class") || "").split(/\s+/).filter(Boolean).join(" "),
      id: el.getAttribute("id") || "",
      in_control: inControl,
      context: inControl ? [] : context(el),
    });
  }

  let messageForm = null;
  const form = Array.from(root.querySelectorAll("form")).find((f) => f.querySelector("textarea"));
  if (form) {
    const headings = Array.from(root.querySelectorAll("h1, h2, h3, legend")).map((h) => textOf(h));
    messageForm = { selector: path(form), headings: headings.join(" ") };
  }
  return { images, message_form: messageForm };
}
