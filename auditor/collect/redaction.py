"""Secrets out of everything a scan writes: the values of ``${VAR}`` a
démarche resolves (test passwords, tokens) masked in every string of a
capture, as the page or a URL may carry them.

Split from ``page_audit.py``, which still exposes these names."""

from __future__ import annotations

import dataclasses
from typing import Any

def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Mask secret values (resolved ``${VAR}``) wherever a page echoes them."""
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def _secret_forms(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """A secret as a page or a URL may carry it: raw, fully URL-encoded, as a
    form submission encodes it (``+`` for spaces), as the browser's URL
    parser leaves it in a path or query string (only spaces, quotes, ``<>``,
    non-ASCII… encoded), and HTML-escaped (serialised DOM excerpts)."""
    from html import escape
    from urllib.parse import quote, quote_plus

    forms = {
        f
        for s in secrets if s
        for f in (s, quote(s, safe=""), quote_plus(s), quote(s, safe="!$&()*+,-./:;=?@[]^_`{|}~"),
                  quote(s, safe="!$&'()*+,-./:;=@[]^_|~"), escape(s), escape(s, quote=False),
                  s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;"))
    }
    return tuple(sorted(forms, key=len, reverse=True))


def redact_tree(obj: Any, secrets: tuple[str, ...]) -> Any:
    """Mask secrets in every string of a dataclass / dict / list tree (a whole
    Capture: URLs with query strings, HTML excerpts, errors…); returns a new
    tree, or ``obj`` itself when there is nothing to mask."""
    forms = _secret_forms(secrets)
    if not forms:
        return obj

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return redact(v, forms)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, tuple):
            return tuple(walk(x) for x in v)
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return dataclasses.replace(v, **{f.name: walk(getattr(v, f.name)) for f in dataclasses.fields(v)
                                             if f.init})
        return v

    return walk(obj)
