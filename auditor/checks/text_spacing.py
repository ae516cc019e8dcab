"""Text spacing (RGAA 10.12), judged from what the text spacing probe saw.

The probe (``auditor/collect/probes/spacing.py``) applies the spacing of
WCAG 1.4.12 to each step page (line height 1.5, letter spacing 0.12 em,
word spacing 0.16 em, paragraph spacing 2 em) and records the text it cuts
off and the text it piles up.  RGAA 10.12 requires that this spacing loses
no content and no function, so both are « non conforme »:

- ``text-spacing/clipped``: text that fitted its box now sticks out of a box
  of fixed size that hides its overflow (a box of minimum height grows, and
  is not reported);
- ``text-spacing/overlap``: the lines of two neighbouring texts now
  intersect (labels placed at fixed offsets, text spilling out of a box of
  fixed height over the next one).

The issues reach the scorecard block ``text_spacing``, the findings (gate
``text-spacing``) and the RGAA table (10.12), with the element's box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._probe_issues import NON_CONFORME, ProbeIssue, judge, probe_block, register_rules
from .reflow import issue_findings

if TYPE_CHECKING:
    from ..config import Rules

PROBE = "text_spacing"
GATE = "text-spacing"

_RULES = {
    "text-spacing/clipped": (
        "10.12", "Texte coupé par l'espacement",
        "Avec l'espacement du texte de la WCAG 1.4.12 (interligne 1,5, espacement des lettres 0,12 em, des mots "
        "0,16 em, des paragraphes 2 em), du texte déborde d'un bloc de taille fixe qui le masque (RGAA 10.12)."),
    "text-spacing/overlap": (
        "10.12", "Textes superposés par l'espacement",
        "Avec l'espacement du texte de la WCAG 1.4.12, deux textes voisins se chevauchent et deviennent "
        "illisibles (RGAA 10.12)."),
}
register_rules(PROBE, _RULES)


def _q(excerpt: str) -> str:
    return f" « {excerpt} »" if excerpt else ""


def _of(excerpt: str) -> str:
    return f"de « {excerpt} »" if excerpt else "de l'élément"


@judge(PROBE)
def judge_text_spacing(page: PageCapture, rules: "Rules | None") -> list[ProbeIssue]:
    """One page's text spacing facts → issues: everything the probe saw is a loss of content."""
    facts = page.probes.get(PROBE) or {}
    out: list[ProbeIssue] = []
    for c in facts.get("clipped") or []:
        out.append(ProbeIssue(
            rule="text-spacing/clipped", criterion="10.12", status=NON_CONFORME,
            message=f"Avec l'espacement du texte augmenté, le texte {_of(c.get('excerpt', ''))} "
                    f"déborde de son bloc de taille fixe et est coupé ({c.get('cut', 0)} px masqués).",
            page_index=page.index, url=page.url, selector=c.get("selector", ""), excerpt=c.get("excerpt", ""),
            box=c.get("box"), details={k: c[k] for k in ("cut", "axis") if c.get(k)}))
    for o in facts.get("overlap") or []:
        out.append(ProbeIssue(
            rule="text-spacing/overlap", criterion="10.12", status=NON_CONFORME,
            message=f"Avec l'espacement du texte augmenté, le texte{_q(o.get('excerpt', ''))} chevauche le texte"
                    f"{_q(o.get('other_excerpt', ''))} ({o.get('other', '')}).",
            page_index=page.index, url=page.url, selector=o.get("selector", ""), excerpt=o.get("excerpt", ""),
            box=o.get("box"), details={k: o[k] for k in ("other", "other_excerpt", "depth") if o.get(k)}))
    return out


@check(PROBE)
def text_spacing_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``text_spacing``: the text spacing probe's issues, pages probed, cost."""
    return CheckResult(key=PROBE, block=probe_block(capture, rules, PROBE))


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    return issue_findings(card.get(PROBE) or {}, GATE)


META = describe(CheckMeta(
    id=PROBE, title="Espacement du texte (RGAA 10.12)", block=PROBE, order=74,
    not_checked="espacement du texte non vérifié", gates=(GATE,), rgaa=("10.12",), wcag=("1.4.12",),
    findings=card_findings,
    skip_reason=lambda card: None if card[PROBE].get("pages_probed") else "aucune page n'a pu être sondée",
    rules=tuple(Rule(rule, name, help_) for rule, (_, name, help_) in _RULES.items())))
