"""« Réalisable en ligne » (observatory column ``Statut_En_ligne``): Oui, Partiel, Non.

The observatory asks whether a user can do the whole démarche online.  The
walk answers it from what it saw:

- ``Oui``: the walk reached the final control online (the guard stopped
  before it, verdict ``final``, or ``allow_submit`` went through to the
  confirmation) and no step asked for paper;
- ``Partiel``: a step requires paper (print and send a form, « à envoyer par
  courrier », « à déposer au guichet », a signature by hand, a form to
  download, fill in and return), or part of the users is sent to paper (an
  eligibility branch: « si vous résidez à l'étranger, … par courrier »);
- ``Non``: the start page is the whole démarche and it only offers a form to
  download or a postal / counter route;
- ``À vérifier``: the walk did not get far enough to say (login wall,
  uncertain stop, error) — never a guess.

Only step pages count: an annex (help, contact) that mentions the post is
about the help, not the démarche; such hits go to ``review``.  A « Télécharger
le formulaire » that the page calls optional help (« notice », « pour vous
aider », « facultatif ») is no paper step, and « vous pouvez aussi envoyer votre
demande par courrier » is a choice, not a duty.  Every phrase is in
``rules/observatoire.yaml``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import Capture, CheckResult, PageCapture
from . import check
from ._frtext import excerpt, fold, fold_words, page_links
from .observatoire_rules import OnlineRules, observatoire_rules, search

if TYPE_CHECKING:
    from ..config import Rules

OUI, PARTIEL, NON, VERIFY = "Oui", "Partiel", "Non", "À vérifier"
_SENTENCE_END = re.compile(r"[.!?;\n]")


def journey_end(capture: Capture) -> tuple[bool, str]:
    """Did the walk reach the démarche's final control online?  (reached, how, in French)."""
    sb = capture.stopped_before or {}
    if sb.get("verdict") == "final":
        return True, f"le parcours a atteint le contrôle final « {sb.get('text') or '?'} » (non cliqué)"
    if capture.demarche.get("allow_submit") and capture.status == "complete" and capture.step_pages():
        return True, "le parcours est allé jusqu'à la confirmation (envoi autorisé)"
    if sb.get("verdict") == "uncertain":
        return False, f"arrêt prudent avant « {sb.get('text') or '?'} » : contrôle final ou non, à trancher"
    if capture.status == "failed":
        return False, "analyse en échec : " + (capture.status_reason or "raison non précisée")
    if capture.status == "partial":
        return False, "parcours incomplet : " + (capture.status_reason or "raison non précisée")
    return False, "le parcours s'est terminé sans rencontrer de contrôle final"


def _sentence(folded: str, start: int, end: int, cap: int) -> tuple[int, int]:
    """Bounds of the sentence (or line) around ``[start, end)``, at most ``cap`` characters each side."""
    a = max(0, start - cap)
    prev = [m.end() for m in _SENTENCE_END.finditer(folded, a, start)]
    a = prev[-1] if prev else a
    m = _SENTENCE_END.search(folded, end, min(len(folded), end + cap))
    return a, m.start() if m else min(len(folded), end + cap)


def _line_context(folded: str, needle: str, cap: int) -> tuple[str, int] | None:
    """The line holding ``needle`` (a folded link text) and the line before
    it (a lead-in such as « Pour vous aider : »), and where it was found."""
    if not needle:
        return None
    at = folded.find(needle)
    if at < 0:
        return None
    line_start = folded.rfind("\n", 0, at) + 1
    prev_start = folded.rfind("\n", 0, max(0, line_start - 1)) + 1
    line_end = folded.find("\n", at + len(needle))
    line_end = len(folded) if line_end < 0 else line_end
    a = max(prev_start, at - cap)
    return folded[a:min(line_end, at + len(needle) + cap)], at


def scan_page(page: PageCapture, cfg: OnlineRules) -> list[dict[str, Any]]:
    """Every paper sign of one page, with its kind and words as the page writes them."""
    text = page.text or ""
    # fold() makes every space a plain one; keep the line breaks, which bound a link's context
    folded = fold(text.replace("\n", "\x00")).replace("\x00", "\n")
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()

    def add(kind: str, a: int, b: int, **extra: Any) -> None:
        if (kind, a) in seen:
            return
        seen.add((kind, a))
        out.append({"kind": kind, "url": page.url, "page_index": page.index,
                    "text": excerpt(text, a, b, 0)[:300], **extra})

    for kind, pats in (("paper_step", cfg.paper_step), ("eligibility", cfg.eligibility_paper),
                       ("postal_route", cfg.postal_route)):
        if not pats:
            continue
        rx = re.compile("|".join(f"(?:{p})" for p in pats))
        for m in rx.finditer(folded):
            a, b = _sentence(folded, m.start(), m.end(), cfg.context_chars)
            sentence = folded[a:b]
            if kind != "eligibility" and search(cfg.alternative_channel, sentence):
                add("alternative_channel", a, b)
            else:
                add(kind, a, b)

    for link in page_links(page):
        name = fold_words(link.text)
        href = fold(link.href or "")
        if not name or not (search(cfg.form_download, name) or
                            (href.split("?")[0].endswith(".pdf") and search(cfg.form_download, name + " pdf"))):
            continue
        ctx = _line_context(folded, name, cfg.context_chars)
        around, at = ctx if ctx else (name, -1)
        if search(cfg.optional_help, around):
            kind = "optional_help"
        elif search(cfg.alternative_channel, around):
            kind = "alternative_channel"
        else:
            kind = "form_download"
        ev = {"kind": kind, "url": page.url, "page_index": page.index, "text": link.text.strip()[:200],
              "href": link.href}
        if link.selector:
            ev["selector"] = link.selector
        if at >= 0:
            a, b = _sentence(folded, at, at + len(name), cfg.context_chars)
            ev["context"] = excerpt(text, a, b, 0)[:300]
        if not any(e.get("href") == link.href and e["kind"] == kind for e in out):
            out.append(ev)
    return out


def _interactive(page: PageCapture) -> bool:
    """The page holds a form the user fills in (not a search box)."""
    return any(c.visible and c.tag in ("input", "select", "textarea")
               and c.type not in ("hidden", "submit", "button", "search", "image", "reset")
               and c.region not in ("banner", "navigation", "contentinfo")
               and "search" not in (c.name + c.id).lower() and "recherche" not in fold(c.label)
               for c in page.controls)


def decide(capture: Capture, cfg: OnlineRules) -> dict[str, Any]:
    steps = capture.step_pages()
    if not steps:
        return {"status": "not_checked", "reason": "Aucune étape parcourue : réalisation en ligne non vérifiée."}
    reached, how = journey_end(capture)
    evidence: list[dict[str, Any]] = []
    not_counted: list[dict[str, Any]] = []
    review: list[str] = []
    for page in capture.pages:
        hits = scan_page(page, cfg)
        if page.kind == "step":
            evidence.extend(h for h in hits if h["kind"] in ("paper_step", "form_download", "eligibility",
                                                             "postal_route"))
            not_counted.extend(h for h in hits if h["kind"] in ("optional_help", "alternative_channel"))
        else:
            for h in hits:
                if h["kind"] in ("paper_step", "form_download", "eligibility", "postal_route"):
                    review.append(f"Page annexe {page.url} : « {h['text'][:120]} » (non compté) : à vérifier.")
    paper = [e for e in evidence if e["kind"] in ("paper_step", "form_download")]
    branch = [e for e in evidence if e["kind"] == "eligibility"]
    postal = [e for e in evidence if e["kind"] == "postal_route"]
    start = steps[0]
    only_start = len(steps) == 1 and not capture.stopped_before and capture.status == "complete"
    offline_start = [e for e in evidence if e["page_index"] == start.index and e["kind"] in ("form_download",
                                                                                            "postal_route")]
    if only_start and offline_start and not _interactive(start):
        level = NON
        reason = (f"La page de départ ne propose qu'un formulaire à télécharger ou une démarche par courrier "
                  f"ou au guichet : « {offline_start[0]['text'][:120]} ».")
    elif paper or (postal and reached):
        level = PARTIEL
        first = (paper or postal)[0]
        reason = f"Une étape se fait sur papier : « {first['text'][:140]} » ({first['url']})."
    elif branch:
        level = PARTIEL
        reason = f"Une partie des usagers est renvoyée au papier : « {branch[0]['text'][:140]} » ({branch[0]['url']})."
    elif reached:
        level = OUI
        reason = f"Démarche réalisable en ligne jusqu'au bout : {how}."
    else:
        level = VERIFY
        reason = f"Réalisation en ligne à vérifier : {how}."
        if postal:
            review.append(f"La page {postal[0]['url']} évoque une voie postale : « {postal[0]['text'][:120]} ».")
    return {"level": level, "reason": reason, "reached_end": reached, "end": how, "evidence": evidence,
            "not_counted": not_counted, "review": review}


@check("online")
def online_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``online``: ``level`` Oui / Partiel / Non / À vérifier, why, and the phrases or links read."""
    return CheckResult(key="online", block=decide(capture, observatoire_rules(rules).online))
