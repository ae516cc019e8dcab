"""The legal accessibility mention and the déclaration d'accessibilité.

French public sites must show on every page "Accessibilité : totalement
conforme", "… partiellement conforme" or "… non conforme", linking to a
déclaration d'accessibilité that gives the status, the share of RGAA criteria
respected ("62 % des critères du RGAA version 4 sont respectés"), the date it
was drawn up, a contact means and the Défenseur des droits as recourse.  A
declaration is valid three years.

The observatory's "handicap" indicator reads the published rate of a valid
declaration; ``auditor.score`` computes it from ``declared_rate`` and
``declaration_valid``, filled here.  When the declaration link exists but the
walk did not visit the page, those two fields are left out (indicator "not
checked") rather than guessed: a missing visit is not a missing declaration.

Text is searched on :func:`~auditor.checks._frtext.fold`-ed copies, so case,
accents, non-breaking spaces, colons and apostrophes do not matter, and every
finding quotes the page as written.

The parts: the patterns and the rules schema (``_mention_rules``) and the
reading of a declaration (``_mention_declaration``); this module finds the
mention and the declaration's link, and makes the block and its findings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._frtext import excerpt, fold, fold_words, normalize_url, page_links, usable_href
from ._mention_declaration import (  # noqa: F401  (re-exported: the tests name add_years from here)
    _find_declaration_page,
    add_years,
    parse_declaration,
    scan_date,
)
from ._mention_rules import (  # noqa: F401  (re-exported: auditor.ruleset and the tests name them from here)
    MENTION_RE,
    STATUSES,
    AccessibilityRules,
    DeclarationRules,
    _rules,
)

if TYPE_CHECKING:
    from ..config import Rules


# --------------------------------------------------------------------- the mention


@dataclass
class MentionHit:
    status: str
    url: str
    text: str


def find_mention(page: PageCapture) -> MentionHit | None:
    """The legal mention on one page (in its visible text, else its links)."""
    text = page.text
    m = MENTION_RE.search(fold(text))
    if m:
        return MentionHit(m.group(1), page.url, excerpt(text, m.start(), m.end(), 30))
    for link in page_links(page):
        m = MENTION_RE.search(fold(link.text))
        if m:
            return MentionHit(m.group(1), page.url, link.text.strip())
    return None


def _declaration_link(page: PageCapture, cfg: DeclarationRules) -> tuple[int, str, str] | None:
    """Best link to the declaration on a page, as (priority, url, link text);
    lower priority is better: the mention itself as a link, then a link named
    like the declaration, then a link whose address looks like one."""
    texts = {fold_words(t) for t in cfg.link_texts}
    words = [fold(w) for w in cfg.url_words]
    here = normalize_url(page.url)
    best: tuple[int, str, str] | None = None
    for link in page_links(page):
        if not usable_href(link.href) or (normalize_url(link.href) == here and "#" in link.href):
            continue
        if urlsplit(link.href).scheme not in ("http", "https", "file"):
            continue
        label = fold_words(link.text)
        if MENTION_RE.search(fold(link.text)):
            prio = 0
        elif label in texts:
            prio = 1 if "declaration" in label else 2
        elif any(w in fold(urlsplit(link.href).path) for w in words):
            prio = 3
        else:
            continue
        if best is None or prio < best[0]:
            best = (prio, link.href, link.text.strip())
    return best


# --------------------------------------------------------------------------- check


@check("mention")
def mention_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills the ``accessibility`` fields about the legal mention and the
    declaration (see the module doc)."""
    cfg = _rules(rules)
    if not capture.pages:
        return CheckResult(key="accessibility", block={})
    steps = capture.step_pages()
    review: list[str] = []

    hits: dict[int, MentionHit] = {}
    for page in capture.pages:
        hit = find_mention(page)
        if hit:
            hits[page.index] = hit
    step_hits = [hits[p.index] for p in steps if p.index in hits]
    counted = Counter(h.status for h in (step_hits or list(hits.values())))
    if counted:
        # most frequent status; on a tie, the less favourable one
        mention = max(counted, key=lambda s: (counted[s], STATUSES.index(s)))
        if len(counted) > 1:
            review.append(
                "Mentions différentes selon les pages : "
                + ", ".join(f"{s} conforme ({n} page(s))" for s, n in counted.most_common())
                + "."
            )
    else:
        mention = "absente"
    missing = [p.url for p in steps if p.index not in hits]
    if hits and steps and not step_hits:
        review.append("La mention d'accessibilité n'apparaît que sur des pages annexes, pas sur les étapes.")

    # the declaration link: best candidate over all pages, most frequent on a tie
    links: Counter[str] = Counter()
    link_prio: dict[str, tuple[int, str]] = {}
    for page in capture.pages:
        found = _declaration_link(page, cfg)
        if found:
            prio, href, text = found
            links[href] += 1
            if href not in link_prio or prio < link_prio[href][0]:
                link_prio[href] = (prio, text)
    # prefer a link whose page the walk visited, then the most telling link, then the most frequent
    visited = {normalize_url(p.url) for p in capture.pages}
    declaration_url = (
        min(links, key=lambda h: (normalize_url(h) not in visited, link_prio[h][0], -links[h])) if links else None
    )
    page = _find_declaration_page(capture, declaration_url)
    if declaration_url is None and page is not None:
        declaration_url = page.url

    block: dict[str, Any] = {
        "mention": mention,
        "mention_pages": len(step_hits),
        "step_pages": len(steps),
        "mention_missing": missing,
        "mention_evidence": [{"url": h.url, "text": h.text} for h in hits.values()],
        "declaration_url": declaration_url,
    }
    decl: dict[str, Any] = {
        "url": declaration_url,
        "link_text": link_prio[declaration_url][1] if declaration_url in link_prio else None,
        "visited": page is not None,
    }
    if page is not None:
        parsed = parse_declaration(page, scan_date(capture), cfg)
        review.extend(parsed.pop("review"))
        decl.update(parsed)
        block["declared_rate"] = parsed["rate"]
        block["declaration_date"] = parsed["date"]
        block["declaration_valid"] = parsed["valid"]
        if parsed["status"] and mention not in ("absente", parsed["status"]):
            review.append(
                f"La mention des pages ({mention} conforme) diffère de l'état de la déclaration "
                f"({parsed['status']} conforme)."
            )
    elif declaration_url is not None:
        # linked but not visited: unknown, not absent (the indicator stays unchecked)
        review.append(
            f"Déclaration d'accessibilité liée ({declaration_url}) mais non visitée par le parcours : "
            "à vérifier manuellement."
        )
    else:
        block["declared_rate"] = None
        block["declaration_date"] = None
        block["declaration_valid"] = False
        review.append("Aucun lien vers une déclaration d'accessibilité trouvé sur les pages parcourues.")
    block["declaration"] = decl
    block["review"] = review
    return CheckResult(key="accessibility", block=block)

# --------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """The legal mention absent from every step: one finding for the démarche."""
    acc, start = card["accessibility"], card.get("url")
    if acc.get("mention") != "absente":
        return []
    steps = [p for p in card.get("pages") or [] if p.get("kind") == "step"]
    return [CheckFinding(
        rule="accessibility/no-mention", category="no-mention", level="absente",
        message=f"Mention d'accessibilité absente des {len(steps)} étape(s) parcourue(s)", url=start,
        evidence=[{"url": p.get("url"), "text": "pas de mention « Accessibilité : … conforme »"} for p in steps[:10]])]


META = describe(CheckMeta(
    section="declaration",
    id="accessibility", title="Accessibilité : mention légale", block="accessibility", order=20,
    not_checked="mention d'accessibilité non vérifiée", gates=("no-mention",), findings=card_findings,
    skip_reason=lambda card: None if "mention" in card["accessibility"] else "mention d'accessibilité non vérifiée",
    rules=(Rule("accessibility/no-mention", "Mention d'accessibilité absente",
                "Aucune étape n'affiche la mention légale « Accessibilité : totalement / partiellement / non "
                "conforme »."),)))
