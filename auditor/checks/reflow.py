"""Reflow and zoom (RGAA 10.11, 10.4), judged from what the reflow probe saw.

The probe (``auditor/collect/probes/reflow.py``) narrows each step page to
320 CSS px (the 400 % zoom of WCAG 1.4.10) and to half its width (200 %
zoom), and records what sticks out of the window and what text gets cut off.
This module decides what an auditor would:

- ``reflow/horizontal-scroll`` (10.11): at 320 px, text or controls that are
  neither a data table, code, a map, a video, a canvas, an image nor a row of
  tabs stick out of the window: the user must scroll in two directions to read it, which 10.11
  forbids — « non conforme ».  When only those kinds stick out, the
  criterion's exception may apply (content that needs two dimensions):
  « à vérifier ».  So is a horizontal scroll zone that holds plain text (a
  layout squeezed into a scroll box rather than reflowed), and a page that
  scrolls horizontally with no text nor control sticking out (a grid gutter,
  a decoration: a few empty pixels, yet a scroll bar).
- ``reflow/clipped`` (10.11): at 320 px, text is cut off by a box that hides
  its overflow, and was not at the page's own width.
- ``reflow/zoom-200`` (10.4): at 200 %, text cut off, or content that sticks
  out where it cannot be scrolled to (a fixed element, a root that hides its
  overflow) — « non conforme »; content that sticks out but can be scrolled
  to — « à vérifier » (10.4 tolerates horizontal scrolling, a person checks
  that nothing is lost).
- ``reflow/height-256`` (10.11): in a window 256 px high at the page's own
  width, fixed or sticky bands (a sticky header, a cookie bar) cover more
  than half of its height together: too little room is left to read —
  « à vérifier » (a person checks that the content stays usable).

The issues reach the scorecard block ``reflow``, the findings (gate
``reflow``) and the RGAA table, which marks 10.11 / 10.4 « non conforme »
with the same evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._probe_issues import A_VERIFIER, NON_CONFORME, ProbeIssue, judge, probe_block, register_rules

if TYPE_CHECKING:
    from ..config import Rules

PROBE = "reflow"
GATE = "reflow"

_RULES = {
    "reflow/horizontal-scroll": (
        "10.11", "Défilement horizontal à 320 px",
        "À 320 px de large (zoom à 400 %), un contenu dépasse de la fenêtre : il faut faire défiler la page "
        "dans les deux directions pour le lire (RGAA 10.11, WCAG 1.4.10). Seuls les contenus qui exigent deux "
        "dimensions (tableau de données, carte, vidéo…) en sont exemptés."),
    "reflow/clipped": (
        "10.11", "Texte coupé à 320 px",
        "À 320 px de large, du texte est coupé par un bloc qui masque son débordement (overflow: hidden) : "
        "il n'est plus lisible (RGAA 10.11)."),
    "reflow/zoom-200": (
        "10.4", "Contenu perdu au zoom à 200 %",
        "Au zoom à 200 % (fenêtre de moitié moins large), du texte est coupé ou un contenu sort de la fenêtre "
        "sans pouvoir être atteint (RGAA 10.4, WCAG 1.4.4)."),
    "reflow/height-256": (
        "10.11", "Peu de place pour lire à 256 px de haut",
        "Dans une fenêtre de 256 px de haut, des éléments fixes ou collants (en-tête, bandeau de cookies…) "
        "occupent plus de la moitié de la hauteur : il reste trop peu de place pour lire le contenu "
        "(RGAA 10.11, WCAG 1.4.10)."),
}
register_rules(PROBE, _RULES)

KINDS_FR = {"table": "le tableau de données", "code": "le bloc de code", "video": "la vidéo", "canvas": "le canevas",
            "image": "l'image", "map": "la carte", "tabs": "la rangée d'onglets", "scroll": "la zone à défilement horizontal"}


def _q(excerpt: str) -> str:
    return f" « {excerpt} »" if excerpt else ""


def _of(excerpt: str) -> str:
    return f"de « {excerpt} »" if excerpt else "de l'élément"


def _issue(page: PageCapture, rule: str, status: str, message: str, item: dict[str, Any],
           **details: Any) -> ProbeIssue:
    extra = {k: v for k, v in details.items() if v not in (None, "", False)}
    if item.get("box_at"):
        extra["box_at"] = item["box_at"]  # the box of the narrow layout: the element is not shown at full width
    return ProbeIssue(rule=rule, criterion=_RULES[rule][0], status=status, message=message,
                      page_index=page.index, url=page.url, selector=item.get("selector", ""),
                      excerpt=item.get("excerpt", ""), box=item.get("box"), details=extra)


@judge(PROBE)
def judge_reflow(page: PageCapture, rules: "Rules | None") -> list[ProbeIssue]:
    """One page's reflow facts → issues (see the module doc for the reasoning)."""
    facts = page.probes.get(PROBE) or {}
    out: list[ProbeIssue] = []
    narrow = facts.get("narrow")
    if narrow:
        width = narrow.get("width", 320)
        hidden = bool(narrow.get("root_hidden"))
        for o in narrow.get("overflow") or []:
            how = ("est coupé par le bord de la fenêtre (défilement horizontal impossible)"
                   if hidden or o.get("fixed") else "oblige à faire défiler la page horizontalement")
            out.append(_issue(page, "reflow/horizontal-scroll", NON_CONFORME,
                              f"À {width} px de large, l'élément{_q(o.get('excerpt', ''))} dépasse de "
                              f"{o.get('overflow', 0)} px à droite et {how}.", o,
                              width=width, overflow=o.get("overflow"), fixed=o.get("fixed")))
        allowed = narrow.get("allowed") or []
        outside = [a for a in allowed if not a.get("in_scroller")]
        if not narrow.get("overflow"):
            for a in outside:
                out.append(_issue(page, "reflow/horizontal-scroll", A_VERIFIER,
                                  f"À {width} px de large, {KINDS_FR.get(a.get('kind'), 'un contenu')}"
                                  f"{_q(a.get('excerpt', ''))} dépasse de {a.get('overflow', 0)} px et fait défiler "
                                  "la page horizontalement : vérifier que ce contenu exige deux dimensions.", a,
                                  width=width, kind=a.get("kind"), overflow=a.get("overflow")))
            if narrow.get("scrolls") and not outside:
                # a box sticks out with nothing to read in the strip (a grid gutter, a decoration)
                box = (narrow.get("box_only") or [{"selector": "html"}])[0]
                out.append(_issue(page, "reflow/horizontal-scroll", A_VERIFIER,
                                  f"À {width} px de large, la page défile horizontalement "
                                  f"({narrow.get('scroll_width')} px pour {narrow.get('client_width')} px) sans "
                                  "qu'aucun texte ni contrôle ne dépasse de la fenêtre : vérifier ce qui élargit "
                                  "la page.", box, width=width, overflow=box.get("overflow")))
        for a in allowed:
            if a.get("in_scroller") and (a.get("text") or a.get("kind") == "scroll"):
                out.append(_issue(page, "reflow/horizontal-scroll", A_VERIFIER,
                                  f"À {width} px de large, la zone à défilement horizontal{_q(a.get('excerpt', ''))} "
                                  "contient du texte qui ne se réorganise pas : vérifier qu'il exige deux "
                                  "dimensions.", a, width=width, kind=a.get("kind"), overflow=a.get("overflow")))
        for c in narrow.get("clipped") or []:
            out.append(_issue(page, "reflow/clipped", NON_CONFORME,
                              f"À {width} px de large, le texte {_of(c.get('excerpt', ''))} est "
                              f"coupé ({c.get('cut', 0)} px masqués par un bloc qui cache son débordement).", c,
                              width=width, cut=c.get("cut")))
    zoom = facts.get("zoom_200")
    if zoom:
        width = zoom.get("width")
        hidden = bool(zoom.get("root_hidden"))
        for o in zoom.get("overflow") or []:
            lost = hidden or bool(o.get("fixed"))
            out.append(_issue(page, "reflow/zoom-200", NON_CONFORME if lost else A_VERIFIER,
                              f"Au zoom à 200 % ({width} px de large), l'élément{_q(o.get('excerpt', ''))} dépasse "
                              f"de {o.get('overflow', 0)} px à droite"
                              + (" et ne peut pas être atteint." if lost else
                                 " : la page défile horizontalement, vérifier que rien n'est perdu."), o,
                              width=width, overflow=o.get("overflow"), fixed=o.get("fixed")))
        for c in zoom.get("clipped") or []:
            out.append(_issue(page, "reflow/zoom-200", NON_CONFORME,
                              f"Au zoom à 200 % ({width} px de large), le texte "
                              f"{_of(c.get('excerpt', ''))} est coupé ({c.get('cut', 0)} px masqués).",
                              c, width=width, cut=c.get("cut")))
    low = facts.get("height_256")
    bands = (low or {}).get("bands") or []
    if bands:
        height = low.get("client_height") or low.get("height") or 256
        covered = int(low.get("covered") or 0)
        if covered * 2 > height:
            listed = ", ".join(("l'élément fixe" if b.get("position") == "fixed" else "l'élément collant")
                               + f"{_q(b.get('excerpt', ''))} ({b.get('height', 0)} px)" for b in bands)
            out.append(_issue(page, "reflow/height-256", A_VERIFIER,
                              f"À {height} px de haut, {listed} "
                              f"{'occupent' if len(bands) > 1 else 'occupe'} {covered} px sur {height} : il reste "
                              f"{max(height - covered, 0)} px pour lire le contenu, vérifier qu'il reste utilisable.",
                              bands[0], height=height, covered=covered,
                              bands=[{k: b.get(k) for k in ("selector", "position", "height")} for b in bands]))
    return out


@check(PROBE)
def reflow_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``reflow``: the reflow probe's issues and review items, pages probed, cost."""
    return CheckResult(key=PROBE, block=probe_block(capture, rules, PROBE))


def issue_findings(block: dict[str, Any], category: str) -> list[CheckFinding]:
    """A probe block's issues (``fail``) and review items (``review``) as findings, each with
    its element's box so that the report frames it on the page's screenshot."""
    from ..report.findings import _clean, _url_tail

    out: list[CheckFinding] = []
    for key, status in (("issues", "fail"), ("review", "review")):
        for it in block.get(key) or []:
            ev = {k: it[k] for k in ("url", "selector", "box") if it.get(k)}
            if it.get("excerpt"):
                ev["text"] = it["excerpt"]
            out.append(CheckFinding(
                rule=it["rule"], category=category, status=status,
                message=f"{_clean(it.get('message'))} (RGAA {it.get('criterion')})",
                url=it.get("url"), target=it.get("selector") or None, evidence=[ev],
                identity=(_url_tail(str(it.get("url") or "")), str(it.get("selector") or ""))))
    return out


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    return issue_findings(card.get(PROBE) or {}, GATE)


META = describe(CheckMeta(
    id=PROBE, title="Redimensionnement et zoom (RGAA 10.11, 10.4)", block=PROBE, order=72,
    not_checked="redimensionnement à 320 px et zoom à 200 % non vérifiés", gates=(GATE,),
    rgaa=("10.11", "10.4"), wcag=("1.4.10", "1.4.4"), findings=card_findings,
    skip_reason=lambda card: None if card[PROBE].get("pages_probed") else "aucune page n'a pu être sondée",
    rules=tuple(Rule(rule, name, help_) for rule, (_, name, help_) in _RULES.items())))
