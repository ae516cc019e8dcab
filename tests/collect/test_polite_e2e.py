"""Polite crawling end to end, in a real Chromium, through the scan runner:
a local server (``polite_server.py``, in its own process) answers 429
(Retry-After: 1) to the first request of every page, logs when each document
was asked for and with which User-Agent, and closes one folder in its
robots.txt.  It proves the démarche still completes,
the gap between document requests to the host holds, the User-Agent names
auditor and its contact, and robots.txt is obeyed (or knowingly ignored)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.collect.runner import ScanOptions, scan
from auditor.config import CrawlList, load_rules
from support import FIXTURES

pytestmark = pytest.mark.browser
GAP_MS = 300


class _Service:
    """The service of ``polite_server.py``, in its own process (why: its
    docstring): its port, and its request log as (time, path, User-Agent,
    Sec-Fetch-Dest)."""

    def __init__(self, tmp: Path) -> None:
        self._log = tmp / "requests.jsonl"
        self._proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("polite_server.py")),
                                       str(FIXTURES / "polite"), str(self._log)],
                                      stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        self.server_address = ("127.0.0.1", int(self._proc.stdout.readline()))

    @property
    def log(self) -> list[tuple[float, str, str, str]]:
        if not self._log.exists():
            return []
        return [tuple(json.loads(line)) for line in self._log.read_text(encoding="utf-8").splitlines()]

    def stop(self) -> None:
        self._proc.kill()
        self._proc.wait(10)
        if self._proc.stdout is not None:
            self._proc.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    service = _Service(tmp_path_factory.mktemp("polite-service"))
    yield service
    service.stop()


@pytest.fixture(scope="module")
def cards(server, tmp_path_factory):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    crawl = CrawlList.model_validate({
        "defaults": {"contact": "audit@exemple.gouv.fr", "host_gap_ms": GAP_MS, "timeout_s": 15},
        "demarches": [
            {"id": "ok", "name": "Polie", "url": f"{base}/ok/index.html"},
            {"id": "interdit", "name": "Fermée aux robots", "url": f"{base}/interdit/index.html"},
            {"id": "ignore", "name": "Son propre service", "url": f"{base}/interdit/index.html",
             "robots": "ignore", "host_gap_ms": GAP_MS},
            {"id": "lent", "name": "Toujours 429", "url": f"{base}/lent/index.html", "retry_after_max_s": 1},
        ]})
    out = tmp_path_factory.mktemp("polite")
    caps = asyncio.run(scan(crawl.effective_demarches(), load_rules(),
                            ScanOptions(out_dir=out, screenshots=False, cache=False, concurrency=3), lambda c: c))
    return {c.id: c for c in caps}


def test_a_429_is_waited_for_and_the_demarche_completes(cards, server):
    cap = cards["ok"]
    assert cap.status == "complete", cap.status_reason
    assert [p.url.rsplit("/", 1)[-1].split("?")[0] for p in cap.pages if p.kind == "step"] == [
        "index.html", "recapitulatif.html"]
    assert all(p.http_status != 429 for p in cap.pages)  # the 429 body is never audited
    assert any("a répondu 429" in e.message for e in cap.errors)
    hits = [path for _, path, _, _ in server.log if path == "/ok/index.html"]
    assert len(hits) == 2  # asked, told to slow down, asked again once


def test_the_gap_between_document_requests_to_the_host_holds(cards, server):
    docs = sorted(t for t, path, _, dest in server.log if dest == "document")
    assert len(docs) >= 6
    gaps = [b - a for a, b in zip(docs, docs[1:])]
    # across every démarche of the scan on this host; the 60 ms allow for the way from the
    # browser's network stack to the server on a loaded machine (measured: up to 20 ms on one
    # busy core) — three walks started together would be a few ms apart without the gate
    assert min(gaps) >= GAP_MS / 1000 - 0.06, gaps


def test_the_user_agent_names_auditor_and_its_contact(cards, server):
    uas = {ua for _, path, ua, dest in server.log if dest == "document"}
    assert uas and all("auditor/" in ua and "(+audit@exemple.gouv.fr)" in ua for ua in uas), uas
    robots_ua = [ua for _, path, ua, _ in server.log if path == "/robots.txt"]
    assert len(robots_ua) == 1 and "auditor/" in robots_ua[0]  # read once for the whole scan


def test_robots_txt_is_obeyed_and_recorded(cards, server):
    from auditor.config import load_rules
    from auditor.schemas import validate_scorecard
    from auditor.score import build_scorecard

    cap = cards["interdit"]
    assert validate_scorecard(build_scorecard(cap, load_rules())) == []
    assert cap.status == "failed" and "robots.txt" in cap.status_reason and "Disallow: /interdit/" in cap.status_reason
    assert cap.robots["status"] == "disallowed" and not cap.robots["ignored"]
    assert cards["ok"].robots["status"] == "allowed"
    # only the démarche that ignores robots.txt asked for these pages
    ignored = cards["ignore"]
    assert ignored.robots["ignored"] is True and ignored.status == "complete"


def test_a_service_that_never_stops_answering_429_is_recorded_not_blamed(cards):
    cap = cards["lent"]
    assert cap.status == "failed" and cap.status_reason == "page de départ : le service a demandé de ralentir (429)"
    assert cap.pages == []  # no accessibility finding on the 429 body
    assert sum("nouvel essai" in e.message for e in cap.errors) == 2
