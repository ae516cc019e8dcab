"""Did the application show its own error instead of a step?

Single-page démarches rarely send an HTTP error: the page stays « 200 », the
title stays the same, and the app renders « Une erreur est survenue » in an
alert or a heading — or empties its main region.  Such a page must end the
walk as ``partial`` with the words the user saw, never pass as a clean step.
A form's own validation message (« Ce champ est obligatoire ») is not an
application error: it belongs to a field and is the walk's business (the
stall reason quotes it).  Pure: fed by what ``state.js`` and the audit read.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

MIN_MAIN_CHARS = 3  # a main region with less visible text than this is empty


def app_error(*, alerts: Sequence[dict[str, Any]], headings: Sequence[str], error_words: "re.Pattern[str]",
              main_chars: int | None = None, main_chars_before: int | None = None,
              route_changed: bool = False) -> str | None:
    """The reason, in French, with the text shown; None for a normal step.

    - an alert (``role=alert``, ``aria-live=assertive``) that is not a
      field's message and speaks of an error (``app_error`` in
      rules/walk.yaml);
    - one of the first headings speaking of an error;
    - a main region emptied by a route change (it had content before)."""
    for a in alerts:
        text = " ".join(str(a.get("text", "")).split())
        if text and not a.get("field") and error_words.search(text):
            return f"erreur affichée par l'application : « {_cut(text)} »"
    for h in list(headings)[:3]:
        if h and error_words.search(h):
            return f"erreur affichée par l'application : « {_cut(h)} »"
    if route_changed and main_chars is not None and main_chars < MIN_MAIN_CHARS \
            and (main_chars_before or 0) >= MIN_MAIN_CHARS:
        return "la page s'est vidée après le changement d'étape (contenu principal vide)"
    return None


def _cut(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
