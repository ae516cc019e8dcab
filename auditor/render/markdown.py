"""``reports/summary.md``: a short Markdown summary for a pull-request comment
or ``$GITHUB_STEP_SUMMARY`` (GitHub-flavoured Markdown, also fine in GitLab).

What a reviewer needs at a glance: did the gate pass, which findings made it
fail (démarche, finding, where), and one line per démarche with its
indicators and the change since the previous scan.  Text from audited pages
is escaped (no Markdown or HTML of theirs is rendered) and the whole summary
stays under GitHub's 65 536-character comment limit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..fileio import write_text
from ..indicators import INDICATOR_SCALES
from ..indicators import INDICATOR_SHORT as IND_HEAD
from ..model import ExportContext, Finding

FORMAT = "markdown"
FILENAME = "summary.md"
MAX_CHARS = 60_000
MAX_LISTED = 50

STATUS_FR = {"complete": "complet", "partial": "partiel", "failed": "échec"}
TREND = {"better": "▲ en mieux", "worse": "▼ en moins bien", "mixed": "◆ contrastée", "unchanged": "= inchangée"}


def md_text(s: Any, *, table: bool = False, limit: int = 200) -> str:
    """Plain text that Markdown renders as is: one line, Markdown and HTML
    characters escaped."""
    t = " ".join(str(s if s is not None else "").split())
    if len(t) > limit:
        t = t[: limit - 1] + "…"
    # mid-line only (never at a line start), so block markers (#, -, +, >) need no escape
    t = re.sub(r"([\\`*_\[\]|~])", r"\\\1", t)
    t = t.replace("<", "&lt;")
    # no @mention nor #123 reference to people or issues of the repository from page text
    t = re.sub(r"([@#])(?=\w)", "\\1\u2060", t)
    return t


def md_code(s: Any, *, table: bool = False, limit: int = 200) -> str:
    t = " ".join(str(s if s is not None else "").split())
    if len(t) > limit:
        t = t[: limit - 1] + "…"
    t = t.replace("`", "'")
    if table:
        t = t.replace("|", "\\|")
    return f"`{t}`" if t else ""


def _link(name: Any, url: Any) -> str:
    u = str(url or "")
    label = md_text(name, table=True, limit=120)
    if re.match(r"^https?://[^\s<>]+$", u):
        return f"[{label}](<{u}>)"
    return label


def _where(f: Finding) -> str:
    parts = [md_code(f.url, limit=150)] if f.url else []
    if f.target:
        parts.append(md_code(f.target, limit=150))
    return " — ".join(parts)


def build(cards: Sequence[dict[str, Any]], ctx: ExportContext) -> str:
    cards = sorted(cards, key=lambda c: str(c.get("id")))
    gated = [f for f in ctx.findings if f.gated]
    new_by: dict[str, int] = {}
    axe_by: dict[str, int] = {}
    for f in ctx.findings:
        if f.check == "axe":
            axe_by[f.demarche] = axe_by.get(f.demarche, 0) + 1
            if f.baseline == "new":
                new_by[f.demarche] = new_by.get(f.demarche, 0) + 1
    out = ["## Audit des démarches en ligne", ""]
    if ctx.fail_on:
        gate = md_code(",".join(ctx.fail_on))
        ref = f", référence {md_code(ctx.baseline)}" if ctx.baseline else ""
        if gated:
            out.append(f"❌ **Contrôle en échec** : {len(gated)} constat(s)"
                       f"{' nouveaux' if ctx.baseline else ''} dépassent le seuil (--fail-on {gate}{ref}).")
        else:
            out.append(f"✅ **Contrôle réussi** : aucun constat{' nouveau' if ctx.baseline else ''} "
                       f"ne dépasse le seuil (--fail-on {gate}{ref}).")
        out.append("")
    out.append(f"{len(cards)} démarche(s) analysée(s).")
    out.append("")
    heads = ["Démarche", "Parcours", "Éléments en anomalie (axe)"] + [IND_HEAD[k] for k in INDICATOR_SCALES] + ["Évolution"]
    out.append("| " + " | ".join(heads) + " |")
    out.append("|" + "---|" * len(heads))
    for c in cards:
        did = str(c.get("id"))
        ind = c.get("indicators") or {}
        n_axe = str(axe_by.get(did, 0))
        if ctx.baseline:
            n_axe += f" ({new_by.get(did, 0)} nouveaux)"
        prev = c.get("previous") or {}
        cells = [f"{_link(c.get('name') or did, c.get('url'))} {md_code(did, table=True)}",
                 STATUS_FR.get(c.get("status"), md_text(c.get("status"), table=True)),
                 n_axe]
        cells += [md_text(ind.get(k) or "non vérifié", table=True) for k in INDICATOR_SCALES]
        cells.append(TREND.get(prev.get("trend"), "—") if prev else "—")
        out.append("| " + " | ".join(cells) + " |")
    if gated:
        out += ["", "### Constats qui font échouer le contrôle", ""]
        for f in gated[:MAX_LISTED]:
            where = _where(f)
            out.append(f"- **{md_text(f.demarche)}** : {md_text(f.message)}" + (f" — {where}" if where else ""))
        if len(gated) > MAX_LISTED:
            out.append(f"- … et {len(gated) - MAX_LISTED} autre(s) : voir `junit.xml` ou `auditor.sarif`.")
    if ctx.notices:
        out += ["", "### Non vérifié (ni réussi ni échoué)", ""]
        for n in ctx.notices[:MAX_LISTED]:
            out.append(f"- **{md_text(n['demarche'])}** ({md_code(n['gate'])}) : {md_text(n['message'])}")
    out += ["", f"<sub>auditor {__version__} — les tests automatiques d'axe-core ne couvrent qu'une partie des "
                "critères du RGAA : ce résumé n'est pas un taux de conformité.</sub>", ""]
    text = "\n".join(out)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + "\n\n… (résumé tronqué : voir les rapports complets)\n"
    return text


def write(cards: Sequence[dict[str, Any]], out_dir: Path, ctx: ExportContext) -> Path:
    path = out_dir / FILENAME
    write_text(path, build(cards, ctx))
    return path
