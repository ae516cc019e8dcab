"""Fault handling helpers, without a browser: French error messages, the
hard timeout, and the scope pattern handed to the browser."""

from __future__ import annotations

import asyncio

import pytest

from auditor.collect.guard import (BlockedLog, PageUnresponsive, ThirdPartyGuard, bounded, describe_error,
                                  dialog_message, origin_of)


@pytest.mark.parametrize("raw, words", [
    ("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/", "connexion refusée"),
    ("Page.goto: net::ERR_NAME_NOT_RESOLVED at http://x.invalid/", "DNS"),
    ("Page.goto: net::ERR_TOO_MANY_REDIRECTS at http://x/", "redirections"),
    ("Page.goto: Timeout 3000ms exceeded.", "pas fini de charger en 3 s"),
    ("Page.goto: Download is starting", "téléchargement"),
    ("Frame.evaluate: Target crashed", "planté"),
    ("net::ERR_CERT_AUTHORITY_INVALID at https://x/", "certificat"),
])
def test_errors_in_french_with_the_code(raw, words):
    msg = describe_error(Exception(raw), timeout_s=3)
    assert words in msg
    if "net::" in raw:
        assert raw.split("net::")[1].split()[0] in msg  # the technical code is kept for whoever digs


def test_unknown_error_is_kept_short():
    assert describe_error(Exception("x" * 1000 + "\nsecond line")) == "x" * 300


def test_bounded_turns_a_hang_into_a_clear_error():
    async def hang() -> None:
        await asyncio.sleep(60)

    with pytest.raises(PageUnresponsive) as exc:
        asyncio.run(bounded(hang(), 0.2, "la lecture du contenu"))
    assert "ne répond plus" in str(exc.value) and "la lecture du contenu" in str(exc.value)
    assert asyncio.run(bounded(asyncio.sleep(0, result=7), 1, "x")) == 7


def test_third_party_pattern_intercepts_only_other_origins():
    g = ThirdPartyGuard({"https://x.fr", "http://127.0.0.1:8080"}, BlockedLog())
    pat = g.pattern()
    for url in ("https://x.fr/cni/etape-2?a=1", "http://127.0.0.1:8080/a.js", "https://X.FR/b"):
        assert not pat.search(url), url
    for url in ("https://x.fr.evil.example/", "https://cdn.example/x.js", "http://127.0.0.1:9090/",
                "https://sub.x.fr/"):
        assert pat.search(url), url
    assert origin_of("HTTPS://X.FR:443/a") == "https://x.fr:443"


def test_blocked_requests_are_counted_and_capped():
    log = BlockedLog()
    for _ in range(3):
        log.note("https://t.example/pixel.png", "third_party", "image")
    for i in range(300):
        log.note(f"https://t.example/{i}", "third_party", "script")
    report = log.report()
    assert report[0] == {"url": "https://t.example/pixel.png", "origin": "https://t.example",
                         "resource_type": "image", "reason": "third_party", "count": 3}
    assert len(report) == 200 and log.total == 303


def test_dialog_messages():
    assert dialog_message("alert", False, "Bienvenue\n !") == "boîte de dialogue « alert » acquittée automatiquement : « Bienvenue ! »"
    assert "refusée" in dialog_message("confirm", False, "Envoyer ?")
    assert "acceptée" in dialog_message("beforeunload", True, "")
