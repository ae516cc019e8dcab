"""Polite crawling's pure parts: User-Agent, Retry-After, robots.txt, the per-host gate."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from auditor.collect.polite import HostGate, RobotsCache, host_of, judge_robots, retry_after_s, user_agent
from auditor.config import ConfigError, CrawlList
from auditor.progress import PlainProgress


def test_user_agent_says_what_it_is_and_whom_to_ask():
    ua = user_agent("Mozilla/5.0 (X11) HeadlessChrome/156.0", "0.1.0", "audit@exemple.gouv.fr")
    assert ua == "Mozilla/5.0 (X11) HeadlessChrome/156.0 auditor/0.1.0 (+audit@exemple.gouv.fr)"
    assert user_agent("Chrome/156", "0.1.0") == "Chrome/156 auditor/0.1.0"


@pytest.mark.parametrize("contact", ["a\nb", "moi (audit)", "équipe@exemple.fr", "  "])
def test_a_contact_that_cannot_go_in_a_header_is_refused(contact):
    with pytest.raises(Exception, match="contact"):
        CrawlList.model_validate({"defaults": {"contact": contact},
                                  "demarches": [{"id": "a", "name": "A", "url": "https://x.fr/"}]})


def test_retry_after_in_seconds_or_as_a_date_and_bounded():
    now = datetime(2026, 12, 6, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_s("3", now=now) == 3
    assert retry_after_s("Sun, 06 Dec 2026 12:00:20 GMT", now=now) == 20
    assert retry_after_s("Sun, 06 Dec 2026 11:00:00 GMT", now=now) == 0  # already past
    assert retry_after_s("3600", now=now, bound=60) == 60  # an hour is recorded, not waited for
    assert retry_after_s(None, default=5) == 5 and retry_after_s("bientôt", default=5) == 5


def test_robots_txt_for_all_robots_or_for_auditor():
    closed = judge_robots("User-agent: *\nDisallow: /demarches/\n", "https://x.fr/demarches/a.html",
                          robots_at="https://x.fr/robots.txt")
    assert closed.forbids and closed.rule == "Disallow: /demarches/"
    assert "Disallow: /demarches/" in closed.reason("https://x.fr/demarches/a.html")
    assert not judge_robots("User-agent: Googlebot\nDisallow: /\n", "https://x.fr/a", robots_at="r").forbids
    assert judge_robots("User-agent: auditor\nDisallow: /\n", "https://x.fr/a", robots_at="r").forbids
    assert not judge_robots("", "https://x.fr/a", robots_at="r").forbids


@pytest.mark.parametrize("status,body,expected", [
    (200, "User-agent: *\nDisallow: /\n", "disallowed"),
    (404, "", "absent"),  # RFC 9309: no robots.txt, no restriction
    (403, "", "absent"),
    (503, "", "unreadable"),  # RFC 9309: a server error closes the site
    (None, "", "absent"),  # unreachable: the walk itself will say why
])
def test_robots_statuses(status, body, expected):
    calls = []

    def fetch(url: str, ua: str):
        calls.append(url)
        return status, body

    cache = RobotsCache(ua="auditor/0", fetch=fetch)

    async def go():
        return [await cache.verdict("https://x.fr/a"), await cache.verdict("https://x.fr/b")]

    a, b = asyncio.run(go())
    assert a.status == expected and b.status == expected
    assert calls == ["https://x.fr/robots.txt"]  # once per host
    assert asyncio.run(RobotsCache(ua="u", fetch=fetch).verdict("file:///tmp/x.html")) is None


def test_host_gate_reserves_turns_in_order():
    t = [100.0]
    gate = HostGate(clock=lambda: t[0])
    assert gate.reserve("x.fr", 0.5) == 0
    assert gate.reserve("x.fr", 0.5) == pytest.approx(0.5)
    assert gate.reserve("x.fr", 0.5) == pytest.approx(1.0)
    assert gate.reserve("y.fr", 0.5) == 0  # another host never waits
    t[0] = 102.0
    assert gate.reserve("x.fr", 0.5) == 0
    assert host_of("https://X.fr:8443/a") == "x.fr:8443" and host_of("file:///a") == ""


def test_host_gate_limits_walks_per_host_and_says_who_waits():
    gate = HostGate()
    live = {"x.fr": 0, "y.fr": 0}
    peak = {"x.fr": 0, "y.fr": 0}
    waited: list[str] = []

    async def walk(host: str):
        async with gate.walking(host, 2, waited.append):
            live[host] += 1
            peak[host] = max(peak[host], live[host])
            await asyncio.sleep(0.01)
            live[host] -= 1

    async def go():
        await asyncio.gather(*(walk("x.fr") for _ in range(5)), walk("y.fr"))

    asyncio.run(go())
    assert peak == {"x.fr": 2, "y.fr": 1}
    assert waited == ["x.fr"] * 3


def test_progress_says_when_a_demarche_waits_for_its_host(capsys):
    import io

    out = io.StringIO()
    p = PlainProgress(out)
    p.start(3)
    p.host_waiting("carte-grise", "ants.gouv.fr")
    assert "carte-grise : en attente de ants.gouv.fr" in out.getvalue()
    assert "1 en attente de son site (ants.gouv.fr)" in p.summary()
    p.host_ready("carte-grise")
    assert "attente" not in p.summary()


def test_politeness_settings_default_and_per_demarche():
    crawl = CrawlList.model_validate({
        "defaults": {"contact": "https://exemple.gouv.fr/contact", "per_host": 3, "robots": "ignore"},
        "demarches": [{"id": "a", "name": "A", "url": "https://x.fr/"},
                      {"id": "b", "name": "B", "url": "https://x.fr/b", "per_host": 1, "host_gap_ms": 0,
                       "robots": "respect"}]})
    a, b = crawl.effective_demarches()
    assert (a.contact, a.per_host, a.host_gap_ms, a.robots) == ("https://exemple.gouv.fr/contact", 3, 500, "ignore")
    assert (b.per_host, b.host_gap_ms, b.robots) == (1, 0, "respect")
    with pytest.raises((ConfigError, Exception)):
        CrawlList.model_validate({"defaults": {"robots": "parfois"},
                                  "demarches": [{"id": "a", "name": "A", "url": "https://x.fr/"}]})
