"""The probes' DevTools session (``auditor.collect.probes.session``): one per page object, opened on first use, and
none at all where the browser gives none — the probes' scripts then go through Playwright's ``evaluate`` as before."""

from __future__ import annotations

import asyncio
from typing import Any

from auditor.collect.probes import session


class _Context:
    def __init__(self, fail: bool = False) -> None:
        self.opened = 0
        self.fail = fail

    async def new_cdp_session(self, page: Any) -> object:
        if self.fail:
            raise RuntimeError("CDP session: Chromium only")
        self.opened += 1
        return object()


class _Page:
    def __init__(self, context: _Context) -> None:
        self.context = context


def test_one_session_per_page_opened_on_first_use() -> None:
    ctx = _Context()
    one, two = _Page(ctx), _Page(ctx)

    async def go() -> tuple[Any, Any, Any]:
        return await session(one), await session(one), await session(two)

    a, b, c = asyncio.run(go())
    assert a is b and a is not c and ctx.opened == 2


def test_no_session_where_the_browser_gives_none() -> None:
    assert asyncio.run(session(_Page(_Context(fail=True)))) is None

    class _NoWeakref:
        __slots__ = ("context",)

    page = _NoWeakref()
    page.context = _Context()
    assert asyncio.run(session(page)) is None and page.context.opened == 0


def test_the_walks_own_session_is_used_when_given() -> None:
    from auditor.collect.probes import use_session

    ctx = _Context()
    page, walks = _Page(ctx), object()
    use_session(page, walks)
    assert asyncio.run(session(page)) is walks and ctx.opened == 0
