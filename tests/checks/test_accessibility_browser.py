"""The accessibility checks on pages captured by the crawler's own extraction
in a real Chromium (innerText, accessible link names), then on a whole walk."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from auditor.checks.auth import auth_check
from auditor.checks.mention import mention_check
from auditor.demo.server import StaticServer
from auditor.render.html import render_scorecard
from auditor.pipeline import build_scorecard

from ..support import capture_file, scan_folder
from ..expected import expected_of
from .acc_pages import FIXTURES, SCANNED_AT, SHARED, capture_of, dig, page_from_html

pytestmark = pytest.mark.browser


@pytest.fixture
def no_axe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawler's real extraction without axe-core: these checks read text,
    links and markup only, and axe is the slow part of a capture."""
    import auditor.collect.page_audit as page_audit

    async def no_results(page, timeout_s, cdp=None, **kw):  # type: ignore[no-untyped-def]
        return {"violations": [], "incomplete": []}, None

    assert hasattr(page_audit, "_axe_raw"), "page_audit changed: update this fixture"
    monkeypatch.setattr(page_audit, "_axe_raw", no_results)


def _path(url: str | None) -> str | None:
    return urlsplit(url).path if url else None


def test_mention_fixtures_in_chromium(harness, no_axe) -> None:
    with StaticServer(FIXTURES / "mention") as srv:
        for path in sorted((FIXTURES / "mention").glob("*.html")):
            want = expected_of(path)
            page = harness.capture(srv.url + path.name)
            block = mention_check(capture_of(page), harness.rules).block
            assert block["mention"] == want["mention"], path.name
            assert _path(block["declaration_url"]) == _path(want["declaration_url"]), path.name


def test_declaration_fixtures_in_chromium(harness, no_axe) -> None:
    with StaticServer(FIXTURES / "declaration") as srv:
        for path in sorted((FIXTURES / "declaration").glob("*.html")):
            want = expected_of(path)
            url = srv.url + path.name
            step = page_from_html(
                f'<html><body><h1>Étape</h1><a href="{url}">Déclaration d’accessibilité</a></body></html>', srv.url
            )
            annex = harness.capture(url, kind="annex")
            annex.index = 2
            card = build_scorecard(capture_of(step, annex), harness.rules)
            for key, value in want.items():
                got = card["indicators"]["handicap"] if key == "handicap" else dig(card["accessibility"], key)
                assert got == value, (path.name, key)


def test_auth_fixtures_in_chromium(harness, no_axe) -> None:
    with StaticServer(FIXTURES / "auth") as srv:
        for path in sorted((FIXTURES / "auth").glob("*.html")):
            want = expected_of(path)
            page = harness.capture(srv.url + path.name)
            assert auth_check(capture_of(page), harness.rules).block["level"] == want["level"], path.name


REAL = SHARED / "data" / "realworld" / "accessibility-mention"


def test_real_pages_in_chromium(harness, no_axe) -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} absent (../shared/data not available)")
    expected = {"code.html": "partiellement", "fabrique.html": "non", "lba.html": "non", "msp.html": "non",
                "opentermsarchive.org.html": "non"}
    with StaticServer(REAL) as srv:
        for name, status in expected.items():
            page = harness.capture(srv.url + name)
            block = mention_check(capture_of(page), harness.rules).block
            assert block["mention"] == status, name


def test_walk_fills_mention_declaration_rgaa_auth_and_performance(harness, tmp_path: Path) -> None:
    capture, _, _ = scan_folder(harness, FIXTURES / "accessibility-site")
    assert [p.kind for p in capture.pages][:2] == ["step", "step"]
    assert any(p.kind == "annex" and p.url.endswith("/accessibilite.html") for p in capture.pages)
    capture.scanned_at = SCANNED_AT  # the declaration's validity is judged at a fixed date
    card = build_scorecard(capture, harness.rules)
    acc = card["accessibility"]
    assert acc["mention"] == "partiellement" and acc["mention_pages"] == 2
    assert acc["declaration_url"].endswith("/accessibilite.html") and acc["declaration"]["visited"]
    assert acc["declared_rate"] == 0.62 and acc["declaration_valid"] is True
    crit = {c["id"]: c for c in acc["rgaa"]["criteria"]}
    assert crit["1.1"]["status"] == "non_conforme"
    assert crit["1.1"]["violations"][0]["pages"][0]["url"].endswith("/etape-2.html")
    ind = card["indicators"]
    assert ind["handicap"] == "Partiel" and ind["auth"] == "FranceConnect"
    assert ind["performance"] in ("Optimal", "Partiel", "Faible")  # load times measured on step pages

    # the report shows it all and passes axe itself
    html = render_scorecard(card)
    report = tmp_path / "scorecard.html"
    report.write_text(html, encoding="utf-8")
    page = capture_file(harness, report)
    assert page.axe_error is None
    assert [v.rule for v in page.violations] == []
    assert "non conforme (détecté automatiquement)" in page.text
    assert "Résultats automatiques sur" in page.text
    assert "62 %" in page.text and "Défenseur des droits" in page.text


def test_declaration_on_another_site_is_visited(harness, no_axe, tmp_path: Path) -> None:
    """A démarche on a platform links to its declaration on another site: the
    walk visits that one page (as an annex), and nothing else out of scope."""
    decl = (FIXTURES / "declaration" / "pass-template-partiellement.html").read_text(encoding="utf-8")
    (tmp_path / "accessibilite.html").write_text(decl, encoding="utf-8")
    with StaticServer(tmp_path) as srv:
        # same server, another host name: another origin, out of the démarche's scope
        other = srv.url.replace("127.0.0.1", "localhost")
        (tmp_path / "demarche").mkdir()
        (tmp_path / "demarche" / "index.html").write_text(
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Démarche</title></head><body><main><h1>Démarche</h1></main>"
            f"<footer><a href='{other}accessibilite.html'>Accessibilité : partiellement conforme</a>"
            f"<a href='{other}mentions-legales.html'>Mentions légales</a></footer></body></html>",
            encoding="utf-8",
        )
        capture = harness.walk({"id": "autre-site", "name": "Démarche", "url": srv.url + "demarche/index.html"})
    assert [(p.kind, p.url) for p in capture.pages] == [
        ("step", srv.url + "demarche/index.html"), ("annex", other + "accessibilite.html")
    ]
    capture.scanned_at = SCANNED_AT
    acc = build_scorecard(capture, harness.rules)["accessibility"]
    assert acc["declaration"]["visited"] and acc["declared_rate"] == 0.62
