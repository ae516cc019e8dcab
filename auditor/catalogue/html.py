"""``reports/catalogue/index.html``: the catalogue picture, in French, accessible.

Charts are inline SVG horizontal bars (``role="img"`` with a title and a
description) and every chart is followed by the same figures as a table, so
nothing depends on seeing the bars.  No script, no external resource.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .report import HACKATHON, TOP, Totals, document_rows

_TEMPLATES = Path(__file__).parent / "templates"


def nombre(n: Any) -> str:
    """French thousands separator (narrow no-break space)."""
    try:
        return f"{int(n):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return "—"


def pct(a: int, b: int) -> str:
    return "—" if not b else f"{100 * a / b:.1f}\u202f%".replace(".", ",")


def bars(items: list[tuple[str, int]], width: int = 640, bar_h: int = 22) -> dict[str, Any]:
    """Geometry of a horizontal bar chart: label column, bar, value."""
    from ..render.charts import scale_bars, shorten

    label_w, value_w = 260, 110
    plot_w = width - label_w - value_w
    rows = []
    geometry = scale_bars((v for _, v in items), plot_w, bar_h + 6, min_w=0, zero_w=0)
    for (label, value), (y, w) in zip(items, geometry):
        rows.append({"label": shorten(label, 38), "full": label, "value": value,
                     "y": y, "w": max(1, round(w)) if value else 0})
    return {"rows": rows, "width": width, "height": len(items) * (bar_h + 6), "bar_h": bar_h,
            "label_w": label_w, "plot_w": plot_w}


def render_catalogue(totals: Totals, tax: Any, *, source: str = "", elapsed: float | None = None) -> str:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["nombre"] = nombre
    env.filters["tr"] = lambda ident, tax: tax.labels.get(ident, ident)
    rows = [r for r in document_rows(totals, tax) if not r["parent"]]
    by_dossiers = rows[:15]
    by_procs = sorted(rows, key=lambda r: (-r["procedures"], r["id"]))[:15]
    held_rows = [r for r in rows if r["source"]]
    variants = {r["id"]: r for r in document_rows(totals, tax) if r["parent"]}
    orgs = sorted(((k, *v) for k, v in totals.organismes.items() if v[2]), key=lambda t: (-t[4], t[0]))[:TOP]
    top_procs = [x[2] for x in sorted(totals.top_procedures, key=lambda t: (-t[0], t[1]))]

    def ours(key: str) -> tuple[int, int]:
        if key == "rib+iban":
            return totals.typed_procedures.get("rib", 0), totals.typed_dossiers.get("rib", 0)
        st = totals.docs.get(key)
        return (st.procedures, st.dossiers) if st else (0, 0)

    comparison = [{"key": k, "label": {"piece-identite": "Pièce d'identité", "justificatif-domicile": "Justificatif de domicile",
                                       "quittance-loyer": "Quittance de loyer", "extrait-kbis": "Extrait Kbis",
                                       "certificat-scolarite": "Certificat de scolarité",
                                       "rib+iban": "RIB téléversé alors que l'IBAN est saisi"}[k],
                   "their_procs": v[0], "their_dossiers": v[1], "regex": v[2],
                   "our_procs": ours(k)[0], "our_dossiers": ours(k)[1]} for k, v in HACKATHON.items()]
    tpl = env.get_template("catalogue.html.j2")
    return tpl.render(
        t=totals, tax=tax, source=source, elapsed=elapsed, pct=pct,
        generated=datetime.now(timezone.utc).strftime("%d/%m/%Y"),
        chart_dossiers=bars([(r["label"], r["dossiers"]) for r in by_dossiers]),
        chart_procs=bars([(r["label"], r["procedures"]) for r in by_procs]),
        by_dossiers=by_dossiers, by_procs=by_procs, held_rows=held_rows, variants=variants,
        chart_held=bars([(r["label"], r["dossiers"]) for r in held_rows]),
        top_procs=top_procs, orgs=orgs,
        chart_orgs=bars([(o[0], o[4]) for o in orgs[:15]]),
        levels=[(lv, totals.levels.get(lv, 0), totals.level_dossiers.get(lv, 0))
                for lv in ("Optimal", "Partiel", "Faible", "Non applicable")],
        comparison=comparison,
        unmatched=totals.unmatched.most_common(25),
    )
