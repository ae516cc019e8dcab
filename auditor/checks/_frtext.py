"""Helpers to search French page text tolerantly (case, accents, spacing, apostrophes).

Pages write "Accessibilité : partiellement conforme", "ACCESSIBILITE: Partiellement
conforme", "Accessibilité&nbsp;:&nbsp;partiellement conforme" or use a typographic
apostrophe.  :func:`fold` maps each character to a plain lower-case one *without
changing the length*, so a regex run on the folded text gives offsets that are
valid in the original text, and evidence excerpts quote the page as written.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..model import Link, PageCapture

_APOSTROPHES = "’‘ʼ`´′"
_DASHES = "‐‑‒–—―−"


def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    if ch in "：﹕":
        return ":"
    if ch.isspace() or ch in "\u200b\u00ad":
        return " "
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


class _FoldTable(dict):  # type: ignore[type-arg]
    """``str.translate`` table filled on first sight of each character: the
    loop over the text runs in C (pages are long, their alphabet small)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accent-free, same-length copy of ``text``."""
    return text.translate(_FOLD)


def fold_words(text: str) -> str:
    """``fold`` plus collapsed whitespace and trimmed punctuation: for comparing
    short labels such as link texts."""
    return re.sub(r"\s+", " ", fold(text)).strip(" .:;,!?»«\"'()[]")


def excerpt(text: str, start: int, end: int, width: int = 60) -> str:
    """The original text around ``[start, end)``, on one line, with ellipses."""
    a, b = max(0, start - width), min(len(text), end + width)
    snippet = re.sub(r"\s+", " ", text[a:b]).strip()
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")


def normalize_url(url: str) -> str:
    """URL without fragment and trailing slash, scheme and host lower-cased: to
    recognise the same page reached through slightly different links."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def usable_href(href: str | None) -> bool:
    """False for links that lead nowhere (``#``, ``javascript:``, empty)."""
    if not href:
        return False
    h = href.strip().lower()
    return not (h == "" or h.startswith("#") or h.startswith("javascript:") or h == "about:blank")


def page_links(page: PageCapture) -> list[Link]:
    """The page's links: those the collector recorded, else read from its HTML
    (hand-built or older captures)."""
    if page.links:
        return list(page.links)
    if not page.html:
        return []
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.html, "html.parser")
    out = []
    for a in soup.find_all("a"):
        href = a.get("href")
        text = a.get_text(" ", strip=True) or a.get("aria-label") or a.get("title") or ""
        if not text:
            img = a.find("img", alt=True)
            text = img["alt"] if img else ""
        out.append(Link(href=urljoin(page.url, href) if usable_href(href) else (href or ""), text=text.strip()))
    return out
