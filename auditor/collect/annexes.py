"""Annex pages: the help, contact, accessibility and legal pages linked
from the step pages, visited once each after the walk and audited as
``annex``."""

from __future__ import annotations

from urllib.parse import urldefrag

from .next_control import error_page
from .walk_common import THROTTLED, same_origin


class AnnexesMixin:
    """Annex pages for :class:`~auditor.collect.walk.Walker`, apart because
    they come after the walk and follow their own rules (any site for the
    déclaration d'accessibilité, one page each).

    Reads the walker's ``d``, ``pages``, ``words``, ``max_pages``,
    ``re_annex``, ``re_annex_any_site``, ``re_never_urls`` and
    ``_nav_status``; writes ``_annex_origin`` (read by the navigation
    guard: an annex page may redirect within its own site) and clears
    ``_blocked``.  Calls the walker's ``_in_scope``, ``_alive``, ``_goto``,
    ``_settle``, ``_throttled``, ``_state``, ``_audit`` and ``_error``.
    """

    def _annex_todo(self) -> list[tuple[str, str]]:
        seen = {urldefrag(p.url)[0] for p in self.pages}
        todo: list[tuple[str, str]] = []
        for p in list(self.pages):
            for lk in p.links:
                url = urldefrag(lk.href)[0]
                if not url.startswith(("http://", "https://")) or url in seen:
                    continue
                if not (self._in_scope(url) or same_origin(url, self.d.url)
                        or (lk.text and self.re_annex_any_site.search(lk.text))):
                    continue
                if self.re_never_urls.search(url):
                    continue
                if lk.text and self.re_annex.search(lk.text) and not self.words.never.search(lk.text):
                    seen.add(url)
                    todo.append((url, lk.text))
        return todo

    async def visit_annexes(self) -> None:
        """Visit once each help/contact/accessibility/legal page linked from
        the step pages (same site), audited as ``annex``.  The déclaration
        d'accessibilité is visited even on another site (``annex_links_any_site``):
        démarches often live on a platform whose declaration is elsewhere.
        One page only: a redirect may stay within that page's site, no more."""
        visited = {urldefrag(p.url)[0] for p in self.pages}
        for url, text in self._annex_todo():
            if len(self.pages) >= self.max_pages or not self._alive():
                break
            self._annex_origin = url
            settled = None
            try:
                ok = await self._goto(url)
                if not ok:
                    continue
                settled = await self._settle()
                if self._nav_status in THROTTLED:
                    if await self._throttled():
                        continue  # recorded; an annex page is never audited as the service's error page
                    settled = None
            finally:
                self._annex_origin = None
            self._blocked.clear()
            state = await self._state(settled)
            landed = urldefrag(state.url)[0]
            if landed in visited:
                continue  # redirected to a page already audited
            visited.add(landed)
            page = await self._audit("annex", state, new_doc=True, name=text)
            err = error_page(page, self.words)
            if err:
                self._error("navigate", f"page annexe « {text[:60]} » : {err}", page.url)
