"""What ``index.html`` shows, computed from all the scorecards.

One row per démarche, the levels of each indicator, the most frequent axe
rules and supporting documents and the geometry of their bar charts: pure
functions of the scorecards, computed once per index (linear in the number
of violations and requests), kept apart from the rendering (``render.html``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..indicators import INDICATOR_TITLES as INDICATOR_LABELS
from .charts import scale_bars, shorten
from .html_format import level_info


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
