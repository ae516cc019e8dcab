"""What one scorecard's sections show, computed from the scorecard.

The violations grouped by rule, the screenshot crops and overlays, the
journey strip and the generic « Autres vérifications » section: pure
functions of the scorecard the templates call as filters, kept apart from
the rendering (``render.html``) so they are read and tested without Jinja.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ..checks import metas
from .html_format import slug

IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}

# Overlays: at most this many numbered boxes on one step's screenshot, and the
# size of the crop shown next to each failing element (CSS pixels).
MAX_OVERLAYS = 40
CROP_MIN_W, CROP_MIN_H, CROP_MAX_H, CROP_PAD = 560, 220, 520, 40


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
