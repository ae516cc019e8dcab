"""A finding's fingerprint: what stays the same when the page changes around it.

The page path without host, query or file numbers, an element's identity read
from its opening tag rather than axe's CSS path, selectors without positions
or generated names (see ``report.findings`` for why): a baseline keeps
knowing a finding after unrelated DOM changes.  Pure functions of strings.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

FINGERPRINT_VERSION = "v1"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_LONG_NUMBER = re.compile(r"\d{4,}")
_INDEX_PAGE = re.compile(r"/index\.(?:html?|php|aspx?|jsp)$", re.I)


def page_key(url: str | None) -> str:
    """The page's path, stable across hosts (preview deployments), query strings
    and file numbers: ``https://a.fr/d/123456/etape-2?x=1`` → ``/d/{n}/etape-2``.
    A hash route (``#/etape-2``) is kept: it is the page in a single-page app."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = _INDEX_PAGE.sub("/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    if parts.fragment.startswith(("/", "!/")):
        path += "#" + parts.fragment
    path = _UUID.sub("{id}", path)
    return _LONG_NUMBER.sub("{n}", path)


_VOLATILE_PREFIX = re.compile(
    r"^(css-|sc-|jsx-|svelte-|emotion-|ng-tns-|ng-star-inserted|_ngcontent|_nghost|ember\d|ext-gen|yui_|radix-|"
    r"headlessui-|react-aria|:r[0-9a-z]*:)", re.I)
_HASHLIKE = re.compile(r"[a-z0-9]{5,}", re.I)
_STATE_CLASS = re.compile(r"^(is-|has-|js-)|^(active|selected|open|opened|closed|current|focus|focused|hover|"
                          r"visible|hidden|show|shown|collapsed|expanded|disabled|checked|invalid|valid|error|"
                          r"loaded|loading)$", re.I)


def _volatile(name: str) -> bool:
    """An auto-generated id or class (CSS-in-JS hashes, framework counters)."""
    if _VOLATILE_PREFIX.match(name):
        return True
    for run in _HASHLIKE.findall(name):
        digits = sum(c.isdigit() for c in run)
        if digits >= 2 and len(run) - digits >= 2:
            return True
    return False


def _fold_digits(s: str) -> str:
    return re.sub(r"\d+", "0", s)


def _split_top(selector: str, seps: str) -> list[str]:
    """Split a CSS selector on combinator characters outside brackets, parens and quotes."""
    out, buf, depth, quote = [], [], 0, ""
    i = 0
    while i < len(selector):
        c = selector[i]
        if quote:
            buf.append(c)
            if c == "\\" and i + 1 < len(selector):
                buf.append(selector[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
            buf.append(c)
        elif c == "\\" and i + 1 < len(selector):
            buf.append(c + selector[i + 1])
            i += 1
        elif c in "[(":
            depth += 1
            buf.append(c)
        elif c in "])":
            depth = max(0, depth - 1)
            buf.append(c)
        elif depth == 0 and c in seps:
            if buf:
                out.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    if buf:
        out.append("".join(buf))
    return [s for s in (x.strip() for x in out) if s]


_STRUCTURAL = re.compile(r":(?:nth-(?:last-)?(?:child|of-type)\([^)]*\)|(?:first|last|only)-(?:child|of-type))", re.I)
_SIMPLE = re.compile(r"([#.])((?:\\.|[^#.\[:\s])+)|(\[[^\]]*\])|(:[\w-]+(?:\([^)]*\))?)|^([\w*-]+)")


def _norm_compound(compound: str) -> str:
    compound = _STRUCTURAL.sub("", compound)
    tag, ids, classes, attrs, pseudos = "", [], [], [], []
    for m in _SIMPLE.finditer(compound):
        if m.group(5):
            tag = m.group(5).lower()
        elif m.group(1):
            name = m.group(2).replace("\\", "")
            if not _volatile(name):
                (ids if m.group(1) == "#" else classes).append(_fold_digits(name))
        elif m.group(3):
            attrs.append(_fold_digits(m.group(3)))
        elif m.group(4):
            pseudos.append(m.group(4))
    return tag + "".join("#" + i for i in ids) + "".join("." + c for c in sorted(classes)) + "".join(attrs) + \
        "".join(pseudos) or "*"


def normalise_selector(selector: str) -> str:
    """A CSS path reduced to what survives unrelated DOM changes: the first
    compound when it is an id anchor, then the element's own compound, with
    positions (``:nth-child``), generated ids/classes and digits removed.
    ``#main > div:nth-child(3) > img.logo-12`` → ``#main … img.logo-0``."""
    shadow_parts = [p for p in selector.split(" >>> ")]
    out = []
    for part in shadow_parts:
        compounds = _split_top(part, " >+~")
        if not compounds:
            continue
        last = _norm_compound(compounds[-1])
        first = _norm_compound(compounds[0]) if len(compounds) > 1 else ""
        out.append(f"{first} … {last}" if first.startswith("#") else last)
    return " >>> ".join(out)


_TAG = re.compile(r"\s*<([a-zA-Z][\w:-]*)")
_ATTR = re.compile(r"""\s*([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_STRONG_ATTRS = ("id", "name", "for", "data-testid", "src", "href", "action")
_URL_ATTRS = ("src", "href", "action")


def _url_tail(value: str) -> str:
    v = value.strip()
    if not v or v.startswith(("#", "javascript:", "data:")):
        return v[:1] or ""
    path = urlsplit(v).path
    segs = [s for s in path.split("/") if s]
    return _LONG_NUMBER.sub("{n}", "/".join(segs[-2:]))


def element_signature(html: str | None) -> str:
    """The element's identity read from its opening tag: tag, type, role, then
    the strongest of id / name / for / data-testid / src / href / action (with
    digits folded and URLs reduced to their last path segments); classes when
    none of those exist; a short text when there is nothing else.
    ``<img class="logo" src="/s/logo.png?v=3">`` → ``img src=s/logo.png``."""
    if not html:
        return ""
    m = _TAG.match(html)
    if not m:
        return ""
    tag = m.group(1).lower()
    pos, attrs = m.end(), {}
    while pos < len(html):
        rest = html[pos:].lstrip()
        if not rest or rest[0] in ">/":
            break
        a = _ATTR.match(html, pos)
        if not a or a.end() == pos:
            break
        val = next((g for g in a.group(2, 3, 4) if g is not None), "")
        attrs.setdefault(a.group(1).lower(), val)
        pos = a.end()
    parts = [tag]
    for k in ("type", "role"):
        if attrs.get(k):
            parts.append(f"{k}={attrs[k].lower()}")
    for k in _STRONG_ATTRS:
        v = attrs.get(k)
        if not v:
            continue
        if k in _URL_ATTRS:
            v = _url_tail(v)
        elif k == "id" and _volatile(v):
            continue
        else:
            v = _fold_digits(v)
        parts.append(f"{k}={v}")
        return " ".join(parts)
    classes = sorted(_fold_digits(c) for c in attrs.get("class", "").split() if not _volatile(c)
                     and not _STATE_CLASS.search(c))
    if classes:
        return " ".join(parts) + " ." + ".".join(classes)
    close = html.find(">", pos)
    text = re.sub(r"<[^>]*>?", " ", html[close + 1:]) if close >= 0 else ""
    text = _fold_digits(" ".join(text.split())[:40].lower())
    if text:
        parts.append(f"«{text}»")
    return " ".join(parts)


def node_key(target: str | None, html: str | None) -> str:
    """Normalised target of an axe node: enclosing frames by their normalised
    selectors, then the element by its signature (or its normalised selector
    when axe gave no HTML)."""
    segments = (target or "").split(" >> ")
    frames = [normalise_selector(s) for s in segments[:-1]]
    own = element_signature(html) or normalise_selector(segments[-1])
    return " >> ".join(frames + [own])


def fingerprint(*parts: str) -> tuple[str, str]:
    """(hash, readable key) of a finding's stable parts."""
    key = " | ".join(parts)
    digest = hashlib.sha256(f"{FINGERPRINT_VERSION}\x1f{key}".encode("utf-8")).hexdigest()[:32]
    return digest, key
