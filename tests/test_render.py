"""HTML rendering: French, grouped findings, and hostile page content shown as text."""

from __future__ import annotations

from auditor.render.html import render_index, render_scorecard, safe_url, violations_by_rule


def card(**over):
    base = {
        "schema_version": 1, "id": "d", "name": "Démarche <b>test</b>", "url": "javascript:alert(1)",
        "administration": None, "annual_users": 300000, "essential": True,
        "scanned_at": "2026-11-27T10:00:00Z", "tool": {"version": "0.1.0", "axe_version": "4.12.1", "browser": "C"},
        "status": "partial", "status_reason": "page d'erreur", "errors": [], "stopped_before": None,
        "expect_missing": [], "accessibility": {"status": "checked", "violations": 2},
        "dlnuf": {"status": "not_checked"}, "alternatives": {"status": "not_checked"},
        "indicators": {"handicap": None, "dlnuf": None, "auth": None, "performance": "Optimal", "alternative": None,
                       "reasons": {k: "r" for k in ("handicap", "dlnuf", "auth", "performance", "alternative")}},
        "pages": [
            {"url": f"https://x.fr/{i}", "title": f"<script>alert({i})</script>", "name": None, "kind": "step",
             "index": i, "load_ms": 100, "incomplete": 0, "axe_error": None, "screenshot": None,
             "violations": [{"rule": "image-alt", "impact": "critical", "wcag": ["1.1.1"], "rgaa": ["1.1.1"],
                             "help": "Images must have alternative text", "help_url": "https://dequeuniversity.com/x",
                             "nodes": [{"target": "img.logo", "html": '<img src=x onerror="alert(1)">'}]}]}
            for i in (1, 2)
        ],
    }
    base.update(over)
    return base


def test_violations_grouped_across_pages():
    (g,) = violations_by_rule(card())
    assert g["rule"] == "image-alt" and len(g["pages"]) == 2 and g["count"] == 2


def test_hostile_content_is_escaped():
    html = render_scorecard(card())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onerror="alert(1)">' not in html
    assert 'href="javascript:' not in html
    assert "Démarche &lt;b&gt;test&lt;/b&gt;" in html
    assert '<html lang="fr">' in html and "partiel" in html


def test_index_lists_demarches():
    html = render_index([card(), card(id="e", name="Autre")])
    assert 'href="d/scorecard.html"' in html and 'href="e/scorecard.html"' in html


def test_safe_url():
    assert safe_url("javascript:alert(1)") == "#"
    assert safe_url(" JaVaScRiPt:alert(1)") == "#"
    assert safe_url("data:text/html,x") == "#"
    assert safe_url("https://x.fr/a") == "https://x.fr/a"
    assert safe_url("d/scorecard.html") == "d/scorecard.html"
