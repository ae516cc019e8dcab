"""The empty submission end to end, in a real Chromium, on tests/fixtures/walk/erreurs-formulaire/: five
steps — native ``required`` validation, a DSFR script with tied errors and a focused summary, errors in
red only, a POST form without validation, the final « Valider ma demande ».  The test server logs every
request with its method and body: the probe never sends anything, with or without ``probe_errors``,
and the walk is the same as with the probe off.  The judge on hand-made facts:
tests/checks/test_form_errors_submit.py."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pytest

from auditor.checks import form_errors
from auditor.collect.page_audit import AuditOptions
from auditor.collect.probes.empty_submit import empty_submit
from auditor.collect.walk import WalkOptions, Walker
from auditor.config import CrawlList
from auditor.demo.server import QuietHTTPServer
from auditor.model import Capture
from auditor.pipeline import build_scorecard
from auditor.schemas import validate_scorecard
from support import FIXTURES

ROOT = FIXTURES / "walk" / "erreurs-formulaire"
PROBE = frozenset({"empty_submit"})
pytestmark = pytest.mark.browser


class _Logged(SimpleHTTPRequestHandler):
    """Serves the fixture and logs (method, path, body) of every request: a form posted empty would show."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.server.seen.append(("GET", self.path, ""))  # type: ignore[attr-defined]
        super().do_GET()

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.server.seen.append(("POST", self.path, body))  # type: ignore[attr-defined]
        super().do_GET()


class _Server:
    def __enter__(self) -> "_Server":
        self.httpd = QuietHTTPServer(("127.0.0.1", 0), functools.partial(_Logged, directory=str(ROOT)))
        self.httpd.seen = []  # type: ignore[attr-defined]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def seen(self) -> list[tuple[str, str, str]]:
        return list(self.httpd.seen)  # type: ignore[attr-defined]


def _walk(harness: Any, probes: frozenset[str], start: str = "index.html",
          **demarche: Any) -> tuple[Capture, list[tuple[str, str, str]]]:
    with _Server() as srv:
        d = CrawlList.model_validate({"demarches": [{"id": "erreurs", "name": "Erreurs de formulaire",
                                                     "url": srv.url + start, "timeout_s": 10,
                                                     **demarche}]}).effective_demarches()[0]

        async def go() -> Capture:
            ctx = await harness.browser.new_context(locale="fr-FR")
            try:
                opts = WalkOptions(screenshots=False, audit=AuditOptions(probes=probes))
                return await Walker(ctx, d, harness.rules, opts).run()
            finally:
                await ctx.close()

        cap = harness._run(go())
        return cap, srv.seen


@pytest.fixture(scope="module")
def walks(harness: Any) -> dict[str, tuple[Capture, list[tuple[str, str, str]]]]:
    return {"off": _walk(harness, frozenset()), "on": _walk(harness, PROBE),
            "server": _walk(harness, PROBE, probe_errors=True)}


def _steps(cap: Capture) -> list[str]:
    return [urlparse(p.url).path.rsplit("/", 1)[-1] for p in cap.pages if p.kind == "step"]


def _facts(cap: Capture) -> dict[str, dict[str, Any]]:
    return {_steps(cap)[p.index - 1]: p.probes.get("empty_submit") for p in cap.pages if p.kind == "step"}


def test_the_walk_and_the_server_see_the_same_with_and_without_the_probe(walks: Any) -> None:
    off_cap, off_seen = walks["off"]
    assert _steps(off_cap) == ["index.html", "etape-2.html", "etape-3.html", "etape-4.html", "etape-5.html"]
    for key in ("on", "server"):
        cap, seen = walks[key]
        assert _steps(cap) == _steps(off_cap), key
        assert (cap.status, cap.status_reason) == (off_cap.status, off_cap.status_reason) == ("complete", None)
        assert cap.stopped_before and cap.stopped_before["text"] == "Valider ma demande"
        assert cap.stopped_before["verdict"] == "final"
        # not one request more, not one less: the probe's clicks never reached the server
        assert [(m, p.split("?")[0]) for m, p, _ in seen] == [(m, p.split("?")[0]) for m, p, _ in off_seen], key
        posts = [(p, dict(parse_qsl(b, keep_blank_values=True))) for m, p, b in seen if m == "POST"]
        assert posts == [("/etape-5.html", {"numero_fiscal": posts[0][1]["numero_fiscal"]})]
        assert posts[0][1]["numero_fiscal"]  # the walk's own, filled
        assert not [p for _, p, _ in seen if "envoi" in p]
        assert not [e.message for e in cap.errors], key
    assert not any(p.probes for p in off_cap.pages)


def test_the_facts_recorded_per_step(walks: Any) -> None:
    facts = _facts(walks["on"][0])
    native = facts["index.html"]
    assert native["ran"] and native["mode"] == "native" and native["refused"] == []
    assert native["native"] == {"blocked": True, "invalid_events": 2, "submit_event": False, "prevented": False}
    assert [f["after"]["value_missing"] for f in native["fields"]] == [True, True]
    assert native["focus"]["on_first_error"] and native["focus"]["selector"] == "#nom"

    dsfr = facts["etape-2.html"]
    assert dsfr["mode"] == "get" and dsfr["native"]["prevented"] and dsfr["refused"] == []
    assert [(f["selector"], f["after"]["messages"], f["after"]["tied_by"]) for f in dsfr["fields"]] == [
        ("#commune", ["Renseignez la commune"], ["aria-describedby"]),
        ("#code-postal", ["Renseignez le code postal (5 chiffres)"], ["aria-describedby"])]
    assert dsfr["summary"]["selector"] == "#resume-erreurs" and dsfr["summary"]["linked"] == 2
    assert dsfr["focus"]["in_summary"] and not dsfr["moved"]

    red = facts["etape-3.html"]
    assert [(f["selector"], f["required"], f["after"]["state"], f["after"]["messages"]) for f in red["fields"]] == [
        ("#telephone", False, "style", []), ("#courriel", False, "style", [])]
    assert red["summary"] is None and not red["focus"]["moved"]

    post = facts["etape-4.html"]
    assert not post["ran"] and "probe_errors: true" in post["skipped"] and post["form"]["method"] == "post"
    final = facts["etape-5.html"]
    assert final == {"ran": False, "skipped": "« Valider ma demande » jugé final par la garde : jamais cliqué",
                     "control": final["control"]}

    server = _facts(walks["server"][0])
    sent = server["etape-4.html"]
    assert sent["ran"] and sent["mode"] == "server"
    assert [(r["method"], r["url"].rsplit("/", 1)[-1], r["main"]) for r in sent["refused"]] == [
        ("POST", "etape-5.html", True)]
    assert not server["etape-5.html"]["ran"]


def test_the_judged_issues(harness: Any, walks: Any) -> None:
    expected = [(form_errors.COLOUR, "a_verifier", 3, "#courriel"),
                (form_errors.COLOUR, "a_verifier", 3, "#telephone"),
                (form_errors.REQUIRED, "non_conforme", 3, "#telephone")]
    for key, extra in (("on", []), ("server", [(form_errors.NO_ERROR, "a_verifier", 4, "body > main > form")])):
        card = build_scorecard(walks[key][0], harness.rules)
        assert validate_scorecard(card) == []
        block = card["form_errors"]
        got = sorted((i["rule"], i["status"], i["page_index"], i["selector"])
                     for i in block["issues"] + block["review"])
        assert got == sorted(expected + extra), key
        assert [r["outcome"] for r in block["empty_submit"]] == [
            "native", "messages", "colour", "sent" if key == "server" else "skipped", "skipped"]
        crit = next(c for c in card["accessibility"]["rgaa"]["criteria"] if c["id"] == "11.10")
        assert crit["status"] == "non_conforme" and form_errors.NO_ERROR in crit["axe_rules"]
    off = build_scorecard(walks["off"][0], harness.rules)
    assert "empty_submit" not in off["form_errors"] and not off["form_errors"]["issues"]


def test_a_page_that_goes_on_unchecked_is_walked_as_its_own_click_would(harness: Any) -> None:
    """A single-page app whose « Suivant » shows the next question without checking anything: the empty
    submission moved it on, so that state is the next step (audited, then probed in turn), and the
    walk is the one it would have been without the probe."""
    off, off_seen = _walk(harness, frozenset(), "monopage/index.html")
    on, on_seen = _walk(harness, PROBE, "monopage/index.html")
    assert [p.headings[0] for p in on.pages] == [p.headings[0] for p in off.pages] == [
        "Identité", "Logement", "Récapitulatif"]
    assert on.status == off.status == "complete" and on.stopped_before["text"] == "Valider ma demande"
    assert on_seen == off_seen == [("GET", "/monopage/index.html", "")]
    assert [(p.probes.get("empty_submit") or {}).get("moved") for p in on.pages] == [True, True, None]
    card = build_scorecard(on, harness.rules)
    assert sorted((i["rule"], i["page_index"]) for i in card["form_errors"]["issues"]) == [
        (form_errors.NO_ERROR, 1), (form_errors.NO_ERROR, 2)]
    assert "passée à la suite" in card["form_errors"]["issues"][0]["message"]


def test_never_on_scripted_steps(harness: Any) -> None:
    cap, seen = _walk(harness, PROBE, steps=[{"fill": {"#nom": "Martin", "#prenom": "Camille"}}, {"click": "Suivant"},
                                             {"audit": "Adresse"}])
    assert _steps(cap) == ["index.html", "etape-2.html"]
    assert not any(p.probes.get("empty_submit") for p in cap.pages)
    assert [m for m, _, _ in seen] == ["GET", "GET"]


def test_on_a_bare_page_a_route_holds_the_requests(harness: Any) -> None:
    """Without the walk's interception (no ``hold``), the probe routes the page itself for its duration:
    the POST never leaves, the page stays, and nothing of the probe is left in it."""

    with _Server() as srv:
        async def go() -> tuple[dict[str, Any], dict[str, Any]]:
            ctx = await harness.browser.new_context(locale="fr-FR")
            try:
                page = await ctx.new_page()
                await page.goto(srv.url + "etape-4.html", wait_until="load")
                skipped = await empty_submit(page, "main form button", allow_server=False, timeout_s=5)
                facts = await empty_submit(page, "main form button", allow_server=True, timeout_s=5)
                left = await page.evaluate("""() => ({url: location.pathname,
                    open: String(window.open).includes('[native code]'),
                    send: String(WebSocket.prototype.send).includes('[native code]'),
                    state: Object.getOwnPropertyNames(window).includes('__auditorEmptySubmit')})""")
                return {"skipped": skipped, "facts": facts}, left
            finally:
                await ctx.close()

        got, left = harness._run(go())
        seen = srv.seen
    assert not got["skipped"]["ran"] and "POST" in got["skipped"]["skipped"]
    facts = got["facts"]
    assert facts["ran"] and facts["mode"] == "server" and not facts.get("error")
    assert [(r["method"], r["main"]) for r in facts["refused"]] == [("POST", True)]
    assert seen == [("GET", "/etape-4.html", "")]
    assert left == {"url": "/etape-4.html", "open": True, "send": True, "state": False}


def test_a_rescan_takes_a_traceless_empty_submission_from_the_cache(harness: Any, tmp_path: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """On an unchanged page, the facts of an empty submission that left the DOM as it was (the browser's
    own validation blocked it) come from the cache, without a click; one that wrote errors, marked
    fields or changed their colours is submitted again, so that the walk goes on from the same state."""
    from auditor.collect import auto_walk
    from auditor.collect.cache import AxeCache
    from auditor.collect.page_audit import axe_version

    calls: list[str] = []
    real = auto_walk.empty_submit

    async def counting(page: Any, selector: str, **kw: Any) -> Any:
        calls.append(urlparse(page.url).path.rsplit("/", 1)[-1])
        return await real(page, selector, **kw)

    monkeypatch.setattr(auto_walk, "empty_submit", counting)
    reads: list[str] = []  # the pages whose controls were read (the walk's « signals »)
    real_signals = Walker._signals

    async def counting_signals(self: Any) -> Any:
        reads.append(urlparse(self.page.url).path.rsplit("/", 1)[-1])
        return await real_signals(self)

    monkeypatch.setattr(Walker, "_signals", counting_signals)
    cache = AxeCache(tmp_path / ".cache", axe_version(), harness.rules.digest)

    def walk() -> Capture:
        with _Server() as srv:
            d = CrawlList.model_validate({"demarches": [{"id": "erreurs", "name": "Erreurs", "url": srv.url + "index.html",
                                                         "timeout_s": 10}]}).effective_demarches()[0]

            async def go() -> Capture:
                ctx = await harness.browser.new_context(locale="fr-FR")
                try:
                    opts = WalkOptions(screenshots=False, audit=AuditOptions(probes=PROBE, cache=cache))
                    return await Walker(ctx, d, harness.rules, opts).run()
                finally:
                    await ctx.close()

            return harness._run(go())

    first = walk()
    assert calls[:3] == ["index.html", "etape-2.html", "etape-3.html"]
    first_reads = reads.count("index.html")
    calls.clear()
    reads.clear()
    second = walk()
    assert "index.html" not in calls and {"etape-2.html", "etape-3.html"} <= set(calls)
    # nor are its controls read to choose the control of that submission: one read fewer than the first time
    assert reads.count("index.html") == first_reads - 1
    assert _facts(second)["index.html"]["cached"] is True
    strip = lambda f: {k: v for k, v in (f or {}).items() if k not in ("ms", "cached")}  # noqa: E731
    assert {k: strip(v) for k, v in _facts(second).items()} == {k: strip(v) for k, v in _facts(first).items()}
    assert _steps(second) == _steps(first) and second.status == first.status == "complete"
