"""French HTML reports: one ``scorecard.html`` per démarche and ``index.html``.

Jinja2 with autoescaping on: everything that comes from audited pages
(titles, labels, HTML excerpts, URLs) is shown as text, never run.  URLs in
``href`` go through ``safe_url`` so a ``javascript:`` link from a hostile
page becomes inert.  A report section is a template in ``sections/``; its
name is added to ``SECTIONS``.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..fileio import write_text

TEMPLATES = Path(__file__).parent / "templates"

# Sections of scorecard.html, in order; each is templates/sections/<name>.html.j2
SECTIONS: list[str] = ["summary", "pages", "violations", "rgaa", "declaration", "auth", "dlnuf", "alternatives"]
# Sections of index.html after the table; each is templates/index_sections/<name>.html.j2
INDEX_SECTIONS: list[str] = []

INDICATOR_LABELS = [
    ("handicap", "Accessibilité (handicap)"),
    ("dlnuf", "Dites-le-nous une fois"),
    ("alternative", "Alternative non numérique"),
    ("auth", "Identification (FranceConnect)"),
    ("performance", "Performance"),
]

# The change since the previous scan goes right after the summary (kept apart from the
# SECTIONS line above, which every helper edits).
SECTIONS.insert(SECTIONS.index("summary") + 1, "history")

IMPACT_FR = {"critical": "critique", "serious": "grave", "moderate": "modéré", "minor": "mineur", None: "non précisé"}
IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
STATUS_FR = {"complete": "complet", "partial": "partiel", "failed": "échec"}
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]


def safe_url(url: Any) -> str:
    """Only http(s), mailto, tel and relative links survive; anything else
    (``javascript:``, ``data:``) becomes ``#``."""
    s = str(url or "").strip()
    low = s.lower()
    if low.startswith(("http://", "https://", "mailto:", "tel:", "#", "/", "./", "../")):
        return s
    if ":" not in s.split("/")[0]:
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


def nombre(n: Any) -> str:
    try:
        return f"{int(n):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return str(n)


def level_class(level: Any) -> str:
    if not level:
        return "inconnu"
    return str(level).lower().replace(" +", "-plus").replace(" ", "-")


def violations_by_rule(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Violations grouped by axe rule across pages (one header issue is one
    finding with N pages, not N findings), worst impact first."""
    groups: dict[str, dict[str, Any]] = {}
    for p in card.get("pages", []):
        for v in p.get("violations", []):
            g = groups.setdefault(v["rule"], {
                "rule": v["rule"], "impact": v.get("impact"), "help": v.get("help_fr") or v.get("help"),
                "help_url": v.get("help_url"), "rgaa": set(), "wcag": set(), "pages": [], "count": 0,
            })
            g["rgaa"].update(v.get("rgaa", []))
            g["wcag"].update(v.get("wcag", []))
            g["pages"].append({"index": p["index"], "url": p["url"], "title": p.get("title"), "nodes": v["nodes"]})
            g["count"] += len(v["nodes"])
    out = []
    for g in groups.values():
        g["rgaa"] = sorted(g["rgaa"], key=lambda s: [int(x) for x in s.split(".") if x.isdigit()])
        g["wcag"] = sorted(g["wcag"])
        out.append(g)
    out.sort(key=lambda g: (IMPACT_ORDER.get(g["impact"], 9), -len(g["pages"]), g["rule"]))
    return out


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        safe_url=safe_url, date_fr=date_fr, nombre=nombre, level_class=level_class,
        violations_by_rule=violations_by_rule,
        impact_fr=lambda i: IMPACT_FR.get(i, str(i)),
        statut_fr=lambda s: STATUS_FR.get(s, str(s)),
    )
    env.globals.update(indicator_labels=INDICATOR_LABELS, tool_version=__version__)
    return env


def _css() -> str:
    return (TEMPLATES / "style.css").read_text(encoding="utf-8")


def render_scorecard(card: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    tpl = environment().get_template("scorecard.html.j2")
    return tpl.render(card=card, sections=SECTIONS, css=_css(), **(extra or {}))


def render_index(cards: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> str:
    tpl = environment().get_template("index.html.j2")
    cards = sorted(cards, key=lambda c: c.get("name") or c.get("id"))
    return tpl.render(cards=cards, index_sections=INDEX_SECTIONS, css=_css(), **(extra or {}))


def write_scorecard(card: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / card["id"] / "scorecard.html"
    write_text(path, render_scorecard(card))
    return path


def write_index(cards: list[dict[str, Any]], out_dir: Path) -> Path:
    path = out_dir / "index.html"
    write_text(path, render_index(cards))
    return path
