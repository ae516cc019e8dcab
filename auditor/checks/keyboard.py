"""Keyboard navigation: what the keyboard walk saw, judged against the RGAA.

The probe (``collect/probes/keyboard.py``) Tabs through each step page and
records raw facts; this module judges them offline, so that ``auditor
report capture.json`` re-reads a scan with new thresholds.  Four rules,
each tied to the RGAA criterion an auditor would fail by hand:

- ``keyboard/trap`` (12.9): focus cannot leave an element, or turns in a
  small loop while the rest of the page waits, and Escape does not release
  it.  A modal that holds focus but closes with Escape is no trap;
- ``keyboard/unreachable``: an element that says it is a control (a role)
  the keyboard never reaches fails 7.3 (its script cannot be used with the
  keyboard); one that only reacts to clicks (``onclick``, a hand cursor) is
  to be checked: the same action may be offered elsewhere.  A visible,
  enabled link or field that Tab skips fails 12.8 — judged only when the
  walk went round the whole page (a trap or the press cap stops it early);
- ``keyboard/focus-invisible`` (10.7): neither the focused element's styles
  (its own, its pseudo-elements', its labels', its parent's) nor its pixels
  change when it takes the focus (the pixels of its box and of the box its
  positioned pseudo-elements cover: the DSFR « enlarge link » draws a
  link's ring around its whole card).  A faint pixel change (a small share
  of the box, unless gathered in one spot as a ring on a slider's thumb),
  or an element focused outside the window, is to be checked;
- ``keyboard/order`` (12.8, to check): Tab goes back up the page — a
  positive ``tabindex``, a script moving focus, or a layout that reorders
  blocks far from the source order.

An automated walk cannot say whether an order *makes sense*, only that it
jumps: every order issue is « à vérifier ».
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._probe_issues import A_VERIFIER, NON_CONFORME, ProbeIssue, judge, probe_block, register_rules

if TYPE_CHECKING:
    from ..config import Rules

# a focus whose pixels change less than this (changed pixels, at least, and share of the cropped box)
# is too faint to be sure of: « à vérifier »
MIN_PIXELS = 20
MIN_SHARE = 0.02
# ... unless the change is gathered in one spot of at least this size (CSS px each way) and fills it as a
# line around it would (a ring on a slider's thumb: a small share of the wide box, yet plain to see)
MIN_SPOT = 8
# Tab moving focus this far up the page (CSS px, and at least one window height) reads as a jump
VISUAL_JUMP = 600

RULE_TEXTS: dict[str, tuple[str, str, str]] = {
    "keyboard/trap": ("12.9", "Piège au clavier",
                      "Le focus ne peut pas quitter un élément ou une partie de la page avec la touche Tab, "
                      "et la touche Échap ne le libère pas (RGAA 12.9)."),
    "keyboard/unreachable": ("7.3", "Élément inaccessible au clavier",
                             "Un élément utilisable à la souris n'est jamais atteint avec la touche Tab : "
                             "contrôle scripté sans tabindex (RGAA 7.3), ou lien, champ ou bouton visible que "
                             "la tabulation saute (RGAA 12.8)."),
    "keyboard/focus-invisible": ("10.7", "Prise de focus invisible",
                                 "Quand l'élément reçoit le focus clavier, rien ne change à l'écran : ni "
                                 "contour, ni ombre, ni couleur, ni soulignement (RGAA 10.7)."),
    "keyboard/order": ("12.8", "Ordre de tabulation à vérifier",
                       "La touche Tab fait remonter le focus dans la page (tabindex positif, script, mise en "
                       "page qui déplace des blocs) : vérifier que l'ordre de tabulation reste cohérent "
                       "(RGAA 12.8)."),
}
register_rules("keyboard", RULE_TEXTS)

_KINDS_FR = {"a": "le lien", "button": "le bouton", "input": "le champ", "select": "la liste",
             "textarea": "la zone de texte", "summary": "le résumé dépliable"}


def _quote(el: dict[str, Any]) -> str:
    text = str(el.get("name") or el.get("excerpt") or el.get("selector") or "").strip()
    return f"« {text[:80]}{'…' if len(text) > 80 else ''} »"


def _what(el: dict[str, Any]) -> str:
    """« le lien « Aide » », « l'élément « Zone de signature » »: how a message names an element."""
    kind = _KINDS_FR.get(str(el.get("tag")), "l'élément")
    return f"{kind} {_quote(el)}"


def _of(el: dict[str, Any]) -> str:
    """« du lien « Aide » », « de la liste … », « de l'élément … »: the same after « de »."""
    w = _what(el)
    return "du " + w[3:] if w.startswith("le ") else "de " + w


def _What(el: dict[str, Any]) -> str:
    """The same, starting a sentence."""
    w = _what(el)
    return w[:1].upper() + w[1:]


def _issue(page: PageCapture, rule: str, criterion: str, status: str, message: str, el: dict[str, Any],
           **details: Any) -> ProbeIssue:
    return ProbeIssue(rule=rule, criterion=criterion, status=status, message=message, page_index=page.index,
                      url=page.url, selector=str(el.get("selector") or ""),
                      excerpt=str(el.get("excerpt") or el.get("name") or "")[:120], box=el.get("box") or None,
                      details={k: v for k, v in details.items() if v not in (None, "", [], {})})


def _traps(page: PageCapture, facts: dict[str, Any], els: dict[int, dict[str, Any]]) -> list[ProbeIssue]:
    out = []
    for trap in facts.get("traps") or []:
        if trap.get("escape_released"):
            continue  # a modal that keeps focus while open and closes with Escape: as it should
        held = [els[i] for i in trap.get("ids") or [] if i in els]
        if not held:
            continue
        el, kind = held[0], trap.get("kind")
        backward = trap.get("direction") == "backward"
        if kind == "frame":
            out.append(_issue(page, "keyboard/trap", "12.9", A_VERIFIER,
                              f"Après 40 appuis sur Tab, le focus est toujours dans le cadre {_quote(el)}, et "
                              "Échap ne l'en fait pas sortir : piège possible, à vérifier.", el, kind=kind))
        elif kind == "cycle":
            names = ", ".join(_quote(e) for e in held[:4]) + (" …" if len(held) > 4 else "")
            out.append(_issue(page, "keyboard/trap", "12.9", NON_CONFORME,
                              f"Piège au clavier : la touche Tab fait tourner le focus entre {len(held)} éléments "
                              f"({names}) sans atteindre le reste de la page, et Échap ne l'en libère pas.", el,
                              kind=kind, cycle=[e.get("selector") for e in held]))
        else:
            key = "Maj+Tab" if backward else "Tab"
            also = " (Maj+Tab en sort)" if trap.get("left_backward") else ""
            out.append(_issue(page, "keyboard/trap", "12.9", NON_CONFORME,
                              f"Piège au clavier : la touche {key} ne fait pas sortir {_of(el)}, et Échap "
                              f"non plus{also}.", el, kind=kind, direction=trap.get("direction")))
    return out


def _unreached(page: PageCapture, facts: dict[str, Any]) -> list[ProbeIssue]:
    # controls Tab skipped: only known when the walk went round the whole page
    complete = facts.get("ended") in ("left_document", "wrapped")
    out = []
    for el in facts.get("unreached") or []:
        kind = el.get("kind")
        if kind == "role":
            out.append(_issue(page, "keyboard/unreachable", "7.3", NON_CONFORME,
                              f"{_What(el)} (rôle {el.get('role')}) n'est jamais atteint "
                              "avec la touche Tab : il ne peut pas être utilisé au clavier.", el, kind=kind))
        elif kind in ("handler", "pointer"):
            how = "réagit au clic" if kind == "handler" else "montre un curseur de lien"
            out.append(_issue(page, "keyboard/unreachable", "7.3", A_VERIFIER,
                              f"{_What(el)} {how} mais la touche Tab ne l'atteint "
                              "jamais : vérifier que la même action est possible au clavier.", el, kind=kind))
        elif kind in ("native", "tabindex") and complete:
            out.append(_issue(page, "keyboard/unreachable", "12.8", NON_CONFORME,
                              f"{_What(el)} est visible et actif, mais la touche Tab "
                              "passe sans s'y arrêter.", el, kind=kind))
    return out


def _gathered(changed: int, spot: Any) -> bool:
    """A change of few pixels all in one place, as many as half a 1 px line around that place: a
    focus indicator drawn on a part of the element (scattered pixels, antialiasing, are not)."""
    if not isinstance(spot, (list, tuple)) or len(spot) != 2:
        return False
    w, h = int(spot[0] or 0), int(spot[1] or 0)
    return changed >= MIN_PIXELS and min(w, h) >= MIN_SPOT and changed >= w + h


def _focus(page: PageCapture, facts: dict[str, Any], els: dict[int, dict[str, Any]]) -> list[ProbeIssue]:
    out = []
    unchecked: list[dict[str, Any]] = []
    for el in els.values():
        if el.get("tag") == "iframe":
            continue  # focus is inside the frame's own document
        if el.get("in_viewport") is False:
            box = el.get("box") or {}
            if not box.get("width") or not box.get("height"):
                where, reason = "alors qu'il n'occupe aucune place à l'écran", "sans taille"
            else:
                where, reason = "hors de la partie visible de la fenêtre", "hors écran"
            out.append(_issue(page, "keyboard/focus-invisible", "10.7", A_VERIFIER,
                              f"{_What(el)} reçoit le focus {where} : la prise de focus ne se voit pas.", el,
                              reason=reason))
            continue
        if el.get("focus_changes"):
            continue
        px = el.get("pixels")
        if px is None:
            unchecked.append(el)
            continue
        changed, area = int(px.get("changed") or 0), int(px.get("area") or 0)
        if changed < 0:
            continue  # the crops differ, by an amount that could not be measured: something shows
        if changed == 0:
            out.append(_issue(page, "keyboard/focus-invisible", "10.7", NON_CONFORME,
                              f"Prise de focus invisible : ni le style ni l'image {_of(el)} ne changent à la "
                              "prise de focus.", el, pixels=changed))
        elif changed < max(MIN_PIXELS, MIN_SHARE * area) and not _gathered(changed, px.get("spot")):
            out.append(_issue(page, "keyboard/focus-invisible", "10.7", A_VERIFIER,
                              f"Prise de focus peu visible : l'image {_of(el)} ne change que sur {changed} "
                              "pixel(s) à la prise de focus.", el, pixels=changed))
    if unchecked:
        el = unchecked[0]
        more = len(unchecked) - 1
        out.append(_issue(page, "keyboard/focus-invisible", "10.7", A_VERIFIER,
                          f"Le style {_of(el)}" + (f" et de {more} autre(s) élément(s)" if more else "")
                          + " ne change pas au focus, et leur image n'a pas été comparée (au plus "
                          "10 comparaisons par page) : prise de focus à vérifier.", el,
                          others=[e.get("selector") for e in unchecked[1:20]]))
    return out


def _order(page: PageCapture, facts: dict[str, Any], els: dict[int, dict[str, Any]]) -> list[ProbeIssue]:
    out = []
    seen: set[str] = set()
    height = int((facts.get("viewport") or {}).get("height") or 0)
    jump = max(VISUAL_JUMP, height)
    seq = list(facts.get("sequence") or [])
    for a_id, b_id in zip(seq, seq[1:]):
        if a_id < 0 or b_id < 0 or a_id not in els or b_id not in els:
            continue  # -1: focus released from a trap, the order starts again
        a, b = els[a_id], els[b_id]
        if b.get("dom") is not None and a.get("dom") is not None and b["dom"] < a["dom"]:
            positive = a if (a.get("tabindex") or 0) > 0 else b if (b.get("tabindex") or 0) > 0 else None
            el = positive or b
            if el.get("selector") in seen:
                continue
            seen.add(str(el.get("selector")))
            if positive is a:
                msg = (f"{_What(el)} a un tabindex positif ({el.get('tabindex')}) : la touche Tab l'atteint hors "
                       f"de l'ordre du code, puis revient en arrière vers {_quote(b)}.")
            elif positive is b:
                msg = (f"{_What(el)} a un tabindex positif ({el.get('tabindex')}) : la touche Tab y arrive en "
                       f"revenant en arrière depuis {_quote(a)}.")
            else:
                msg = (f"Ordre de tabulation : après {_quote(a)}, la touche Tab revient en arrière dans le code "
                       f"de la page, vers {_quote(b)}.")
            out.append(_issue(page, "keyboard/order", "12.8", A_VERIFIER, msg, el, before=a.get("selector"),
                              after=b.get("selector"), tabindex=el.get("tabindex")))
            continue
        ba, bb = a.get("box") or {}, b.get("box") or {}
        if a.get("fixed") or b.get("fixed") or not ba or not bb:
            continue
        rise = ba.get("y", 0) - (bb.get("y", 0) + bb.get("height", 0))
        if rise > jump and b.get("selector") not in seen:
            seen.add(str(b.get("selector")))
            out.append(_issue(page, "keyboard/order", "12.8", A_VERIFIER,
                              f"Ordre de tabulation : après {_quote(a)}, la touche Tab fait remonter le focus de "
                              f"{int(rise)} px dans la page, vers {_quote(b)}.", b, before=a.get("selector"),
                              rise=int(rise)))
    return out


@judge("keyboard")
def judge_keyboard(page: PageCapture, rules: "Rules | None") -> list[ProbeIssue]:
    """One page's keyboard walk → its issues (traps, unreachable elements, invisible focus, order)."""
    facts = page.probes.get("keyboard") or {}
    els = {int(e["id"]): e for e in facts.get("elements") or [] if isinstance(e, dict) and "id" in e}
    return _traps(page, facts, els) + _unreached(page, facts) + _focus(page, facts, els) + _order(page, facts, els)


@check("keyboard")
def keyboard_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``keyboard``: the walk's issues (``issues``: non conforme; ``review``: à vérifier), pages, cost."""
    return CheckResult(key="keyboard", block=probe_block(capture, rules, "keyboard"))


# --------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """One finding per issue: « fail » when the RGAA criterion is failed, « review » when it is to check."""
    from ..report.findings import _clean, normalise_selector, page_key

    block = card.get("keyboard") or {}
    out = []
    for status, items in (("fail", block.get("issues")), ("review", block.get("review"))):
        for it in items or []:
            url, selector = it.get("url"), str(it.get("selector") or "")
            ev = {"url": url, "selector": selector, "text": _clean(it.get("excerpt"), 120), "box": it.get("box")}
            out.append(CheckFinding(
                rule=str(it["rule"]), category="keyboard", message=_clean(it.get("message")), url=url,
                target=selector or None, level=f"RGAA {it.get('criterion')}", status=status,
                evidence=[{k: v for k, v in ev.items() if v}],
                identity=(page_key(url), normalise_selector(selector), _clean(it.get("excerpt"), 60).lower())))
    return out


META = describe(CheckMeta(
    id="keyboard", title="Navigation au clavier", block="keyboard", order=45,
    not_checked="navigation au clavier non vérifiée (sonde désactivée par --no-keyboard, "
                "ou aucune étape atteinte)",
    gates=("keyboard",), rgaa=("7.3", "10.7", "12.8", "12.9"), wcag=("2.1.1", "2.1.2", "2.4.3", "2.4.7"),
    rules=tuple(Rule(rid, name, help_) for rid, (_, name, help_) in RULE_TEXTS.items()),
    findings=card_findings))
