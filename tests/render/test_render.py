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


# ---------------------------------------------------------------- layout, evidence, index


def test_safe_url_with_spaces_inside_the_scheme():
    assert safe_url("java\tscript:alert(1)") == "#"
    assert safe_url("\njavascript:alert(1)") == "#"
    assert safe_url("page.html?x=a:b") == "page.html?x=a:b"


def test_table_of_contents_lists_the_sections_present(monkeypatch):
    from jinja2 import ChoiceLoader, DictLoader

    from auditor.render import html as h

    env = h.environment()
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader({
        "sections/vide-test.html.j2": "{% if card.absent %}<section><h2>Jamais</h2></section>{% endif %}",
        "sections/sans-id-test.html.j2": "<section><h2 class='x'>Pièces « test »</h2><p>…</p></section>",
    }), env.loader]))
    monkeypatch.setattr(h, "SECTIONS", ["summary", "vide-test", "sans-id-test", "violations"])
    out = render_scorecard(card())
    toc = out[out.index('class="sommaire"'):out.index("</nav>", out.index('class="sommaire"'))]
    assert [t for t in ("#synthese", "#section-sans-id-test", "#anomalies") if t in toc] == [
        "#synthese", "#section-sans-id-test", "#anomalies"]
    assert "Jamais" not in out and "Pièces « test »</a>" in toc
    assert '<h2 id="section-sans-id-test" class=\'x\'>' in out


def test_crop_frames_the_element_or_says_why_not():
    from auditor.render.html import crop

    page = {"screenshot": "screenshots/01.jpg", "screenshot_size": {"width": 1280, "height": 2000}}
    c = crop({"x": 100, "y": 600, "width": 200, "height": 100}, page)
    assert c["src"] == "screenshots/01.jpg" and "aspect-ratio: 560 / 220" in c["frame"]
    # the box sits where the element is, in proportions of the crop
    assert "left: 17.857%" in c["box"] and "width: 35.714%" in c["box"]  # 100..300 in a 0..560 crop
    assert "note" in crop({"x": 0, "y": 2500, "width": 10, "height": 10}, page)  # below the captured part
    assert "note" in crop({"x": 0, "y": 0, "width": 1280, "height": 2000}, page)  # <html>, <body>
    assert crop(None, page) is None and crop({"x": 1, "y": 1, "width": 1, "height": 1}, {"screenshot": None}) is None


def test_journey_numbers_the_boxes_drawn_and_names_steps():
    from auditor.render.html import journey

    c = card()
    c["pages"][0]["screenshot"], c["pages"][0]["screenshot_size"] = "screenshots/01.jpg", {"width": 1000, "height": 1000}
    c["pages"][0]["violations"][0]["nodes"] = [
        {"target": "img.a", "html": "", "box": {"x": 10, "y": 10, "width": 50, "height": 50}},
        {"target": "img.b", "html": "", "box": None},
        {"target": "img.c", "html": "", "box": {"x": 100, "y": 100, "width": 50, "height": 50}},
    ]
    c["pages"].append({**c["pages"][1], "index": 3, "kind": "annex", "name": "Contact", "violations": []})
    c["errors"] = [{"url": "https://x.fr/2", "stage": "action", "message": "clic impossible"}]
    views = journey(c)
    assert [v["label"] for v in views] == ["Étape 1", "Étape 2", "Annexe"] and views[2]["title"] == "Contact"
    assert [f.get("num") for f in views[0]["findings"]] == [1, None, 2]
    assert "left: 1.000%" in views[0]["findings"][0]["overlay"]
    assert views[1]["errors"][0]["message"] == "clic impossible" and views[0]["errors"] == []
    html = render_scorecard(c)
    assert html.count('class="cadre"') >= 2 and 'href="#page-3"' in html and "clic impossible" in html


def test_index_rows_charts_and_filters():
    from auditor.render.html import index_charts, level_options, index_rows

    a = card(id="a", name="A")
    b = card(id="b", name="B", status="complete")
    b["indicators"] = {**b["indicators"], "handicap": "Non"}
    for c, docs in ((a, ["rib", "rib"]), (b, ["rib", "avis-imposition"])):
        c["pages"][0]["requests"] = [{"label": f"Votre {d}", "selector": "#x", "document": d, "subject": None}
                                     for d in docs]
    b["dlnuf"] = {"status": "checked", "labels": {"rib": "Relevé d'identité bancaire"}}
    rows = index_rows([a, b])
    assert [r["levels"]["handicap"]["label"] for r in rows] == ["Non vérifié", "Non"]
    assert level_options(rows)["handicap"] == [("non", "Non"), ("inconnu", "Non vérifié")]
    charts = index_charts([a, b])
    docs = [(x["item"]["label"], x["item"]["demarches"], x["item"]["requests"]) for x in charts["documents"]["bars"]]
    assert docs == [("Relevé d'identité bancaire", 2, 3), ("Votre avis-imposition", 1, 1)]
    rules = charts["rules"]["bars"]
    assert [(r["item"]["rule"], r["item"]["demarches"], r["item"]["pages"]) for r in rules] == [("image-alt", 2, 4)]
    html = render_index([a, b])
    assert html.count("<tr data-search=") == 2 and 'data-handicap="non"' in html


def test_only_our_script_may_run():
    import base64
    import hashlib
    import re

    import html as htmllib

    html = htmllib.unescape(render_index([card()]))
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    assert "default-src 'none'" in html and html.count("<script") == 1


def test_the_guard_stop_says_where_why_and_how_to_go_further():
    stop = {"url": "https://x.fr/3", "selector": "#f > button", "text": "Valider", "page_index": 3,
            "verdict": "final", "reason": "arrêt prudent avant « Valider » : dernière étape (3 sur 3)",
            "signals": [{"code": "last_step", "label": "dernière étape (3 sur 3)"},
                        {"code": "attestation", "label": "case « Je certifie <b>sur l'honneur</b> »"}],
            "how": "pour aller plus loin : ajoutez son nom aux motifs « next » de rules/walk.yaml"}
    html = render_scorecard(card(status="complete", status_reason=None, stopped_before=stop))
    assert "Arrêt prudent avant « Valider » : dernière étape (3 sur 3)" in html
    assert "<code>#f &gt; button</code>" in html
    assert "<li>case « Je certifie &lt;b&gt;sur l&#39;honneur&lt;/b&gt; »</li>" in html
    assert "Pour aller plus loin : ajoutez son nom" in html
    # a capture of an older version (name and page only) still renders
    old = render_scorecard(card(stopped_before={"url": "https://x.fr/3", "selector": "#b", "text": "Envoyer",
                                                "page_index": 3}))
    assert "Arrêt volontaire avant l'envoi final « Envoyer »" in old
