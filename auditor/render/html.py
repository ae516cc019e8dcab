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

Its parts: the formatting filters (``html_format``), what one scorecard's
sections show (``html_pages``) and what the index shows (``html_index``);
this module holds the Jinja environment, the section lists and the
rendering, and every name is still importable from here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..fileio import write_text
from ..indicators import IMPACT_FR
from ..indicators import INDICATOR_TITLES as INDICATOR_LABELS
from ..report.portfolio import dlnuf_portfolio
from .html_format import (  # noqa: F401  (re-exported: the templates' filters, named from here)
    LEVEL_TONES,
    MONTHS_FR,
    UNKNOWN_LEVEL,
    date_court,
    date_fr,
    level_class,
    level_info,
    nombre,
    pluriel,
    safe_url,
    secondes,
    slug,
)
from .html_index import (  # noqa: F401  (re-exported)
    bar_chart,
    index_charts,
    index_rows,
    level_distribution,
    level_options,
    stacked_chart,
    top_documents,
    top_rules,
)
from .html_pages import (  # noqa: F401  (re-exported)
    CROP_MAX_H,
    CROP_MIN_H,
    CROP_MIN_W,
    CROP_PAD,
    IMPACT_ORDER,
    MAX_OVERLAYS,
    crop,
    journey,
    other_checks,
    overlay,
    page_labels,
    violations_by_rule,
)

TEMPLATES = Path(__file__).parent / "templates"

# Sections of scorecard.html, in order; each is templates/sections/<name>.html.j2
SECTIONS: list[str] = ["summary", "pages", "violations", "rgaa", "declaration", "auth", "dlnuf", "alternatives",
                       "online", "jdma", "documents", "checks"]
# Sections of index.html after the table; each is templates/index_sections/<name>.html.j2
INDEX_SECTIONS: list[str] = ["charts", "dlnuf"]

# The change since the previous scan goes right after the summary (kept apart from the
# SECTIONS line above, which every helper edits).
SECTIONS.insert(SECTIONS.index("summary") + 1, "history")

STATUS_FR = {"complete": "complet", "partial": "partiel", "failed": "échec"}
STAGE_FR = {"navigate": "navigation", "action": "action", "axe": "axe-core", "check": "vérification",
            "config": "configuration", "browser": "navigateur"}

# Elements of one rule shown in full (crop, HTML); the others as a compact list.
MAX_ELEMENTS_SHOWN = 15


# ---------------------------------------------------------------- rendering

_H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S | re.I)
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


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
