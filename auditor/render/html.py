"""French HTML reports: one ``scorecard.html`` per démarche and ``index.html``.

Jinja2 with autoescaping on: everything that comes from audited pages
(titles, labels, HTML excerpts, URLs) is shown as text, never run.  URLs in
``href`` go through ``safe_url`` so a ``javascript:`` link from a hostile
page becomes inert.

Extension mechanism: a scorecard section is a template
``templates/sections/<name>.html.j2`` whose name is added to ``SECTIONS``
(it gets ``card``); an index section is ``templates/index_sections/<name>.html.j2``
added to ``INDEX_SECTIONS`` (it gets ``cards``).  Each section is rendered on
its own; one that renders to nothing is left out, and the table of contents
lists the first ``<h2>`` of every section present.  The CSS classes sections
should use are documented at the top of ``templates/style.css``; shared
Jinja macros (badges, evidence) are in ``templates/macros.html.j2``.

Pages are self-contained: CSS and the little JavaScript inlined, screenshots
referenced as relative files beside ``scorecard.html``; nothing is fetched
from the network.  Everything works without JavaScript (anchors, details);
scripts only add sorting/filtering to the index and polish.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..checks import metas
from ..fileio import write_text
from ..indicators import IMPACT_FR
from ..indicators import INDICATOR_TITLES as INDICATOR_LABELS
from ..report.portfolio import dlnuf_portfolio
from .charts import scale_bars, shorten

TEMPLATES = Path(__file__).parent / "templates"

# Sections of scorecard.html, in order; each is templates/sections/<name>.html.j2
SECTIONS: list[str] = ["summary", "pages", "violations", "rgaa", "declaration", "auth", "dlnuf", "alternatives",
                       "online", "jdma", "documents", "checks"]
# Sections of index.html after the table; each is templates/index_sections/<name>.html.j2
INDEX_SECTIONS: list[str] = ["charts", "dlnuf"]

# The change since the previous scan goes right after the summary (kept apart from the
# SECTIONS line above, which every helper edits).
SECTIONS.insert(SECTIONS.index("summary") + 1, "history")

# Observatory levels → tone (colour family), symbol (so that colour is never
# the only signal) and rank (sort order: best first).
LEVEL_TONES: dict[str | None, tuple[str, str, int]] = {
    "Oui": ("bon", "✓", 1), "Optimal": ("bon", "✓", 1), "FranceConnect +": ("bon", "✓", 1),
    "FranceConnect": ("bon", "✓", 2),
    "Partiel": ("moyen", "◐", 3),
    "Non": ("mauvais", "✗", 4), "Faible": ("mauvais", "✗", 4),
    "Non applicable": ("neutre", "–", 5),
    "À vérifier": ("inconnu", "?", 6),  # the walk did not see enough (online, jdma, pdf)
    None: ("inconnu", "?", 6),
}
UNKNOWN_LEVEL = "Non vérifié"

IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
STATUS_FR = {"complete": "complet", "partial": "partiel", "failed": "échec"}
STAGE_FR = {"navigate": "navigation", "action": "action", "axe": "axe-core", "check": "vérification",
            "config": "configuration", "browser": "navigateur"}
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]

# Overlays: at most this many numbered boxes on one step's screenshot, and the
# size of the crop shown next to each failing element (CSS pixels).
MAX_OVERLAYS = 40
# Elements of one rule shown in full (crop, HTML); the others as a compact list.
MAX_ELEMENTS_SHOWN = 15
CROP_MIN_W, CROP_MIN_H, CROP_MAX_H, CROP_PAD = 560, 220, 520, 40


def safe_url(url: Any) -> str:
    """Only http(s), mailto, tel and relative links survive; anything else
    (``javascript:``, ``data:``, also spelt with tabs or newlines inside,
    which browsers drop) becomes ``#``."""
    s = str(url or "").strip()
    low = re.sub(r"[\x00-\x20]", "", s).lower()
    if low.startswith(("http://", "https://", "mailto:", "tel:", "#", "/", "./", "../")):
        return s
    if ":" not in low.split("/")[0].split("?")[0].split("#")[0]:
        return s  # relative path
    return "#"


def date_fr(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        d = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return f"{d.day} {MONTHS_FR[d.month - 1]} {d.year} à {d.hour:02d} h {d.minute:02d} (UTC)"


def date_court(iso: str | None) -> str:
    """``2026-11-27T10:00:00Z`` → ``27/11/2026`` (table cells)."""
    try:
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00")).strftime("%d/%m/%Y")
    except ValueError:
        return "—"


def nombre(n: Any) -> str:
    try:
        return f"{int(n):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return str(n)


def secondes(ms: Any) -> str:
    """``15512`` ms → ``15,5 s`` (French decimal comma)."""
    try:
        return f"{float(ms) / 1000:.1f}".replace(".", ",") + "\u00a0s"
    except (TypeError, ValueError):
        return "—"


def pluriel(n: Any, singular: str, plural: str | None = None) -> str:
    """``3 anomalies``, ``1 anomalie``, ``0 anomalie`` (French: 0 and 1 are singular)."""
    try:
        k = int(n)
    except (TypeError, ValueError):
        k = 0
    return f"{nombre(n)} {singular if abs(k) < 2 else (plural or singular + 's')}"


def level_class(level: Any) -> str:
    if not level:
        return "inconnu"
    return str(level).lower().replace(" +", "-plus").replace(" ", "-")


def level_info(level: Any) -> dict[str, Any]:
    """What a badge needs: label (never empty), tone class, symbol, sort rank."""
    tone, icon, rank = LEVEL_TONES.get(level, ("neutre", "•", 5))
    return {"label": level or UNKNOWN_LEVEL, "tone": tone, "icon": icon, "rank": rank, "cls": level_class(level)}


def slug(s: Any) -> str:
    """A safe fragment for an HTML id."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(s).lower()).strip("-") or "x"


def _rgaa_key(s: str) -> list[int]:
    return [int(x) for x in s.split(".") if x.isdigit()]


def violations_by_rule(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Violations grouped by axe rule across pages (one header issue is one
    finding with N pages, not N findings), worst impact first.

    Within a rule, the same element (same selector and HTML) met on several
    pages is one element listing its pages; its crop comes from the first
    page where it was located on a screenshot."""
    groups: dict[str, dict[str, Any]] = {}
    labels = page_labels(card)
    for p in card.get("pages", []):
        label = labels[p["index"]]
        for v in p.get("violations", []):
            g = groups.setdefault(v["rule"], {
                "rule": v["rule"], "impact": v.get("impact"), "help": v.get("help_fr") or v.get("help"),
                "help_en": v.get("help_en"), "help_url": v.get("help_url"), "rgaa": set(), "wcag": set(),
                "pages": [], "count": 0, "anchor": "regle-" + slug(v["rule"]), "elements": {}, "summaries": Counter(),
            })
            g["rgaa"].update(v.get("rgaa", []))
            g["wcag"].update(v.get("wcag", []))
            nodes = v.get("nodes", [])
            g["pages"].append({"index": p["index"], "url": p["url"], "title": p.get("title"), "kind": p.get("kind"),
                               "label": label, "count": len(nodes)})
            g["count"] += len(nodes)
            for n in nodes:
                key = (str(n.get("target")), n.get("html") or "")
                el = g["elements"].get(key)
                if el is None:
                    el = g["elements"][key] = {"target": n.get("target"), "html": n.get("html") or "",
                                               "summary": n.get("summary") or "", "pages": [], "crop": None,
                                               "url": p["url"]}
                el["pages"].append({"index": p["index"], "label": label})
                if el["crop"] is None or not el["crop"].get("src"):
                    c = crop(n.get("box"), p)
                    if c is not None and (el["crop"] is None or c.get("src")):
                        el["crop"] = c
                if n.get("summary"):
                    g["summaries"][n["summary"]] += 1
    out = []
    for g in groups.values():
        g["rgaa"] = sorted(g["rgaa"], key=_rgaa_key)
        g["wcag"] = sorted(g["wcag"], key=_rgaa_key)
        g["elements"] = list(g["elements"].values())
        common = g["summaries"].most_common(1)
        g["summary"] = common[0][0] if common and common[0][1] > 1 else ""
        for el in g["elements"]:  # the common explanation is shown once, for the rule
            if el["summary"] == g["summary"]:
                el["summary"] = ""
        del g["summaries"]
        out.append(g)
    out.sort(key=lambda g: (IMPACT_ORDER.get(g["impact"], 9), -len(g["pages"]), g["rule"]))
    return out


def page_labels(card: dict[str, Any]) -> dict[int, str]:
    """Page index → ``Étape 2`` (rank among step pages) or ``Annexe``."""
    out, step = {}, 0
    for p in card.get("pages", []):
        if p.get("kind") == "annex":
            out[p["index"]] = "Annexe"
        else:
            step += 1
            out[p["index"]] = f"Étape {step}"
    return out


def _pct(v: float) -> str:
    return f"{v * 100:.3f}%"


def crop(box: dict[str, Any] | None, page: dict[str, Any]) -> dict[str, Any] | None:
    """Where to cut the page's screenshot around a failing element, as CSS
    percentages (the crop scales with the report's width).  ``None`` when
    there is nothing to show; ``{"note": …}`` when the element cannot be
    framed usefully (outside the captured part, or the whole page)."""
    size = page.get("screenshot_size") or {}
    W, H = size.get("width") or 0, size.get("height") or 0
    if not box or not page.get("screenshot") or W <= 0 or H <= 0:
        return None
    x, y, w, h = box.get("x", 0), box.get("y", 0), box.get("width", 0), box.get("height", 0)
    if y >= H or x >= W or y + h <= 0 or x + w <= 0:
        return {"note": "L'élément est situé hors de la partie capturée de la page."}
    if w * h >= 0.6 * W * H or (w >= 0.95 * W and h >= 0.8 * H):
        return {"note": "L'élément couvre toute la page : pas d'encadré sur la capture."}
    cw = min(W, max(CROP_MIN_W, w + 2 * CROP_PAD))
    ch = min(H, max(CROP_MIN_H, min(h + 2 * CROP_PAD, CROP_MAX_H)))
    cx = min(max(0, x + w / 2 - cw / 2), W - cw)
    cy = min(max(0, y - CROP_PAD if h + 2 * CROP_PAD > ch else y + h / 2 - ch / 2), H - ch)
    bx, by = max(x, cx), max(y, cy)
    bw, bh = min(x + w, cx + cw) - bx, min(y + h, cy + ch) - by
    return {
        "src": page["screenshot"],
        "frame": f"aspect-ratio: {cw:.0f} / {ch:.0f}; max-width: {cw:.0f}px",
        "img": f"width: {_pct(W / cw)}; left: {_pct(-cx / cw)}; top: {_pct(-cy / ch)}",
        "box": f"left: {_pct((bx - cx) / cw)}; top: {_pct((by - cy) / ch)}; "
               f"width: {_pct(max(bw, 2) / cw)}; height: {_pct(max(bh, 2) / ch)}",
    }


def overlay(box: dict[str, Any] | None, page: dict[str, Any]) -> str | None:
    """Style placing ``box`` over the page's whole screenshot, or None."""
    size = page.get("screenshot_size") or {}
    W, H = size.get("width") or 0, size.get("height") or 0
    if not box or W <= 0 or H <= 0:
        return None
    x, y = max(0, box.get("x", 0)), max(0, box.get("y", 0))
    w, h = min(box.get("width", 0), W - x), min(box.get("height", 0), H - y)
    if x >= W or y >= H or w <= 0 or h <= 0 or w * h >= 0.6 * W * H:
        return None
    return f"left: {_pct(x / W)}; top: {_pct(y / H)}; width: {_pct(max(w, 4) / W)}; height: {_pct(max(h, 4) / H)}"


def journey(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every audited page as the journey strip and the step details show it:
    its label, its findings numbered as on its screenshot, its requests and
    its errors."""
    errors_by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in card.get("errors") or []:
        errors_by_url[e.get("url") or ""].append(e)
    out = []
    step_no = 0
    for p in card.get("pages", []):
        if p.get("kind") != "annex":
            step_no += 1
        findings = []
        for v in sorted(p.get("violations", []), key=lambda v: IMPACT_ORDER.get(v.get("impact"), 9)):
            for n in v.get("nodes", []):
                findings.append({
                    "rule": v["rule"], "anchor": "regle-" + slug(v["rule"]), "impact": v.get("impact"),
                    "help": v.get("help_fr") or v.get("help"), "target": n.get("target"),
                    "overlay": overlay(n.get("box"), p) if p.get("screenshot") else None,
                })
        shown = 0
        for f in findings:  # number the boxes drawn, in order
            if f["overlay"] and shown < MAX_OVERLAYS:
                shown += 1
                f["num"] = shown
            else:
                f["overlay"] = None
        by_rule: dict[str, dict[str, Any]] = {}
        for f in findings:  # the page's findings per rule, for its details list
            r = by_rule.setdefault(f["rule"], {"rule": f["rule"], "anchor": f["anchor"], "impact": f["impact"],
                                               "help": f["help"], "items": []})
            r["items"].append(f)
        requests = p.get("requests") or []
        out.append({
            "page": p,
            "index": p["index"],
            "anchor": f"page-{p['index']}",
            "kind": p.get("kind"),
            "label": f"Étape {step_no}" if p.get("kind") != "annex" else "Annexe",
            "title": p.get("name") or p.get("title") or p["url"],  # a step's name is what it asks (step_names.py)
            "rules": len(p.get("violations", [])),
            "nodes": sum(len(v.get("nodes", [])) for v in p.get("violations", [])),
            "findings": findings,
            "by_rule": list(by_rule.values()),
            "requests": requests,
            "errors": errors_by_url.get(p["url"], []) + ([{"stage": "axe", "message": p["axe_error"], "url": p["url"]}]
                                                         if p.get("axe_error") and not any(
                                                             e.get("message") == p["axe_error"]
                                                             for e in errors_by_url.get(p["url"], [])) else []),
        })
    return out


# ---------------------------------------------------------------- index


def index_rows(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per démarche with the values the table shows and sorts on."""
    rows = []
    for c in cards:
        acc = c.get("accessibility") or {}
        pages = c.get("pages") or []
        nodes = sum(len(v.get("nodes", [])) for p in pages for v in p.get("violations", []))
        rules = len({v["rule"] for p in pages for v in p.get("violations", [])})
        levels = {k: level_info((c.get("indicators") or {}).get(k)) for k, _ in INDICATOR_LABELS}
        rows.append({
            "card": c, "id": c.get("id"), "name": c.get("name") or c.get("id"),
            "administration": c.get("administration") or "",
            "status": c.get("status"), "pages": len(pages),
            "steps": sum(1 for p in pages if p.get("kind") != "annex"),
            "violations": acc.get("violations") if isinstance(acc.get("violations"), int) else rules,
            "nodes": nodes, "levels": levels,
            "search": " ".join(str(x) for x in (c.get("name"), c.get("administration"), c.get("id")) if x).lower(),
        })
    return rows


def level_distribution(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each indicator, how many démarches sit at each level (best first)."""
    out = []
    for key, label in INDICATOR_LABELS:
        counts: Counter[Any] = Counter((c.get("indicators") or {}).get(key) for c in cards)
        segs = sorted(counts.items(), key=lambda kv: (level_info(kv[0])["rank"], str(kv[0])))
        out.append({"key": key, "label": label, "total": sum(counts.values()),
                    "levels": [{**level_info(lv), "count": n} for lv, n in segs]})
    return out


def top_rules(cards: list[dict[str, Any]], limit: int = 10) -> list[dict[str, Any]]:
    """axe rules failing on the most démarches (then pages, then elements)."""
    stats: dict[str, dict[str, Any]] = {}
    for c in cards:
        seen = set()
        for p in c.get("pages") or []:
            for v in p.get("violations", []):
                s = stats.setdefault(v["rule"], {"rule": v["rule"], "help": v.get("help_fr") or v.get("help"),
                                                 "impact": v.get("impact"), "demarches": 0, "pages": 0, "nodes": 0})
                s["pages"] += 1
                s["nodes"] += len(v.get("nodes", []))
                if v["rule"] not in seen:
                    seen.add(v["rule"])
                    s["demarches"] += 1
    return sorted(stats.values(), key=lambda s: (-s["demarches"], -s["pages"], s["rule"]))[:limit]


def top_documents(cards: list[dict[str, Any]], limit: int = 10) -> list[dict[str, Any]]:
    """Supporting documents requested by the most démarches, from the pages'
    ``requests`` (filled by the dlnuf check); labels from ``dlnuf.labels``
    when the check provides them, else the most frequent visible label."""
    stats: dict[str, dict[str, Any]] = {}
    for c in cards:
        labels = ((c.get("dlnuf") or {}).get("labels") or {}) if isinstance(c.get("dlnuf"), dict) else {}
        seen = set()
        for p in c.get("pages") or []:
            if p.get("kind") == "annex":
                continue
            for r in p.get("requests") or []:
                doc = r.get("document")
                if not doc:
                    continue
                s = stats.setdefault(doc, {"document": doc, "label": None, "seen_labels": Counter(),
                                           "demarches": 0, "requests": 0})
                s["requests"] += 1
                if labels.get(doc):
                    s["label"] = labels[doc]
                if r.get("label"):
                    s["seen_labels"][r["label"]] += 1
                if doc not in seen:
                    seen.add(doc)
                    s["demarches"] += 1
    out = []
    for s in sorted(stats.values(), key=lambda s: (-s["demarches"], -s["requests"], s["document"]))[:limit]:
        label = s["label"] or (s["seen_labels"].most_common(1)[0][0] if s["seen_labels"] else s["document"])
        out.append({"document": s["document"], "label": label, "demarches": s["demarches"], "requests": s["requests"]})
    return out


def bar_chart(items: list[dict[str, Any]], value: str, label: str, *, width: int = 760, bar_h: int = 18,
              label_h: int = 20, gap: int = 12) -> dict[str, Any]:
    """Geometry of a horizontal bar chart, each label on its own line above
    its bar so long French labels stay whole (the template draws the SVG)."""
    step = label_h + bar_h + gap
    bars = []
    for it, (y, w) in zip(items, scale_bars((it[value] for it in items), width - 60, step)):
        text = str(it[label])
        bars.append({"y": y + label_h, "w": round(w, 1), "x": 0, "value": it[value], "item": it,
                     "text": shorten(text, 100), "full": text,
                     "ly": y + label_h - 5, "ty": y + label_h + bar_h * 0.8})
    return {"width": width, "height": max(1, len(items) * step - gap), "bar_h": bar_h, "bars": bars}


def stacked_chart(dist: list[dict[str, Any]], *, width: int = 760, bar_h: int = 30, gap: int = 14,
                  label_w: int = 250) -> dict[str, Any]:
    """Geometry of the per-indicator stacked bars of level counts."""
    span = width - label_w - 10
    rows = []
    for i, d in enumerate(dist):
        y = i * (bar_h + gap)
        x = float(label_w)
        segs = []
        for lv in d["levels"]:
            w = span * lv["count"] / (d["total"] or 1)
            segs.append({**lv, "x": round(x, 1), "w": round(w, 1), "tx": round(x + w / 2, 1),
                         "show": w >= 44, "text": f"{lv['icon']} {lv['count']}"})
            x += w
        rows.append({**d, "y": y, "ty": y + bar_h * 0.66, "segs": segs})
    return {"width": width, "height": len(dist) * (bar_h + gap) - gap, "bar_h": bar_h, "rows": rows,
            "label_w": label_w}


def index_charts(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the charts section draws, computed once (linear in the
    number of violations and requests)."""
    dist = level_distribution(cards)
    legend: dict[str, dict[str, Any]] = {}
    for d in dist:
        for lv in d["levels"]:
            legend.setdefault(lv["tone"], {**lv, "labels": []})
            if lv["label"] not in legend[lv["tone"]]["labels"]:
                legend[lv["tone"]]["labels"].append(lv["label"])
    legend_items = [{"tone": t, "icon": v["icon"], "label": ", ".join(v["labels"]), "rank": v["rank"]}
                    for t, v in legend.items()]
    legend_items.sort(key=lambda x: x["rank"])
    rules = top_rules(cards)
    for r in rules:
        r["name"] = f"{r['help']} ({r['rule']})" if r.get("help") else r["rule"]
    docs = top_documents(cards)
    return {
        "levels": stacked_chart(dist),
        "legend": legend_items,
        "rules": {**bar_chart(rules, "demarches", "name"), "id": "g-regles",
                  "title": "Règles axe les plus fréquentes (nombre de démarches concernées)",
                  "headers": ["Règle", "Démarches", "Pages", "Éléments"],
                  "cells": lambda it: [it["demarches"], it["pages"], it["nodes"]],
                  "empty": "Aucune anomalie axe relevée sur les démarches analysées.", "note": None},
        "documents": {**bar_chart(docs, "demarches", "label"), "id": "g-documents",
                      "title": "Pièces justificatives les plus demandées (nombre de démarches)",
                      "headers": ["Pièce", "Démarches", "Demandes"],
                      "cells": lambda it: [it["demarches"], it["requests"]],
                      "empty": "Aucune pièce justificative relevée (vérification « Dites-le-nous une fois » "
                               "non effectuée, ou aucune demande sur les étapes parcourues).",
                      "note": None},
    }


def level_options(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """The levels present for each indicator, best first (filter choices)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for key, _ in INDICATOR_LABELS:
        seen: dict[str, tuple[int, str]] = {}
        for r in rows:
            i = r["levels"][key]
            seen.setdefault(i["cls"], (i["rank"], i["label"]))
        out[key] = [(cls, lab) for cls, (_, lab) in sorted(seen.items(), key=lambda kv: kv[1])]
    return out


# ---------------------------------------------------------------- rendering

_H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S | re.I)
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


def other_checks(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Checks without a section of their own (``CheckMeta.section``): their
    title and uniform findings, for the generic « Autres vérifications »
    section, so a new check shows in the report with no template to write."""
    out = []
    pages = {p.get("url"): p for p in card.get("pages", []) if isinstance(p, dict)}
    for meta in metas():
        if meta.section is None and isinstance(card.get(meta.block), dict):
            checked = card[meta.block].get("status", "checked") != "not_checked"
            findings = meta.findings(card) if checked else []
            out.append({"title": meta.title, "checked": checked, "not_checked": meta.not_checked,
                        "findings": findings, "crops": [_finding_crop(f, pages) for f in findings]})
    return out


def _finding_crop(f: Any, pages: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The screenshot crop of a finding whose evidence gives a box (a probe's focused element, an
    overflowing block), as the violations view shows axe's elements."""
    for ev in f.evidence:
        page = pages.get(ev.get("url") or f.url)
        if ev.get("box") and page is not None:
            return crop(ev["box"], page)
    return None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        safe_url=safe_url, date_fr=date_fr, date_court=date_court, nombre=nombre, pluriel=pluriel, secondes=secondes,
        level_class=level_class, level_info=level_info, slug=slug, other_checks=other_checks,
        violations_by_rule=violations_by_rule, journey=journey,
        impact_fr=lambda i: IMPACT_FR.get(i, str(i)),
        statut_fr=lambda s: STATUS_FR.get(s, str(s)),
        etape_fr=lambda s: STAGE_FR.get(s, str(s)),
    )
    env.globals.update(indicator_labels=INDICATOR_LABELS, tool_version=__version__, unknown_level=UNKNOWN_LEVEL,
                       max_elements_shown=MAX_ELEMENTS_SHOWN)
    env.filters["dlnuf_portfolio"] = dlnuf_portfolio  # index_sections/dlnuf.html.j2
    return env


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _script_hash(name: str) -> str:
    """CSP source for our one inline script: nothing else may run, even if
    hostile content ever slipped past escaping."""
    digest = hashlib.sha256(_asset(name).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _css() -> str:
    return _asset("style.css")


def render_sections(folder: str, names: list[str], context: dict[str, Any]) -> list[dict[str, Any]]:
    """Render each section template alone; returns ``{id, title, html}`` for
    those that produced something, the id and title taken from their first
    ``<h2>`` (given an id when it has none) for the table of contents."""
    env = environment()
    out = []
    for name in names:
        html = env.get_template(f"{folder}/{name}.html.j2").render(**context).strip()
        if not html:
            continue
        m = _H2.search(html)
        if m is None:
            out.append({"id": None, "title": None, "html": Markup(html)})
            continue
        ident = _ID.search(m.group(1))
        if ident:
            anchor = ident.group(1)
        else:
            anchor = "section-" + slug(name)
            html = html[:m.start()] + f'<h2 id="{anchor}"{m.group(1)}>' + html[m.start(2):]
        title = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(2))).strip()
        out.append({"id": anchor, "title": Markup(title), "html": Markup(html)})
    return out


def render_scorecard(card: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    ctx = {"card": card, **(extra or {})}
    sections = render_sections("sections", SECTIONS, ctx)
    tpl = environment().get_template("scorecard.html.j2")
    return tpl.render(sections=sections, css=_css(), script=_asset("scorecard.js"),
                      script_hash=_script_hash("scorecard.js"), **ctx)


def render_index(cards: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> str:
    cards = sorted(cards, key=lambda c: str(c.get("name") or c.get("id")).casefold())
    ctx = {"cards": cards, "charts": index_charts(cards), **(extra or {})}
    sections = render_sections("index_sections", INDEX_SECTIONS, ctx)
    rows = index_rows(cards)
    statuses = Counter(c.get("status") for c in cards)
    dates = sorted(str(c.get("scanned_at")) for c in cards if c.get("scanned_at"))
    tpl = environment().get_template("index.html.j2")
    return tpl.render(sections=sections, css=_css(), script=_asset("index.js"), script_hash=_script_hash("index.js"),
                      rows=rows, level_options=level_options(rows), statuses=statuses,
                      first_scan=dates[0] if dates else None, last_scan=dates[-1] if dates else None, **ctx)


def compile_templates() -> None:
    """Compile every template now (Jinja compiles one on its first use:
    about 0.2 s for all of them), so that a scan can do it in the
    background while the browser starts, rather than when the first
    scorecard is awaited."""
    env = environment()
    for path in TEMPLATES.rglob("*.j2"):
        env.get_template(path.relative_to(TEMPLATES).as_posix())
    for name in ("style.css", "scorecard.js", "index.js"):
        _asset(name)


def write_scorecard(card: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / card["id"] / "scorecard.html"
    write_text(path, render_scorecard(card))
    return path


def write_index(cards: list[dict[str, Any]], out_dir: Path) -> Path:
    path = out_dir / "index.html"
    write_text(path, render_index(cards))
    return path
