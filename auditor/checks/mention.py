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
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._frtext import excerpt, fold, fold_words, normalize_url, page_links, usable_href

if TYPE_CHECKING:
    from ..config import Rules

STATUSES = ("totalement", "partiellement", "non")

# "Accessibilité : partiellement conforme", "ACCESSIBILITE - non-conforme",
# "Accessibilité (totalement conforme)" — on the folded text.
MENTION_RE = re.compile(
    r"\baccessibilite\s*(?:[:(\-]\s*)?(?:du site\s*:?\s*)?(totalement|partiellement|non)(?:\s*-\s*|\s+)conformes?\b"
)

# Status sentence of a declaration: "X est partiellement conforme avec le RGAA".
_DECL_STATUS_RES: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"\b(?:est|sont|etre|soit)\s+(totalement|partiellement|non)(?:\s*-\s*|\s+)conformes?\b"), None),
    (re.compile(r"\b(?:etat de conformite|conformite)\s*:?\s*(totalement|partiellement|non)(?:\s*-\s*|\s+)conformes?\b"), None),
    (re.compile(r"\ben conformite (partielle)\b"), "partiellement"),
    (re.compile(r"\ben conformite (totale)\b"), "totalement"),
    (re.compile(r"\b(?:n'est|ne sont)\s+pas\s+(?:encore\s+)?(?:conformes?|en conformite)\b"), "non"),
]

_NUMBER = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_RATE_RES = [
    # "62 % des critères du RGAA version 4 sont respectés" (the official template)
    re.compile(_NUMBER + r"\s*%\s*(?:des|de)\s+criteres\b"),
    # "Taux de conformité global : 62 %" (but not "taux moyen de conformité")
    re.compile(
        r"\btaux\s+(?:global\s+)?de\s+conformite\s+(?:global\s+|au rgaa\s+)?(?:du (?:site|service)(?: en ligne| internet)?\s+)?"
        r"(?:est\s+de|s'eleve\s+a|de|:|=)?\s*" + _NUMBER + r"\s*%"
    ),
]
_NO_AUDIT_RE = re.compile(r"\b(?:aucun audit|pas (?:encore )?(?:fait|fait l'objet) d'(?:un )?audit|n'a pas (?:encore )?ete audite)")

_VERSION_RES = [
    re.compile(r"\brgaa\)?\s*,?\s*(?:version\s*|v\s*\.?\s*)?(\d(?:\.\d{1,2}){0,2})(?![\d])"),
    re.compile(r"\bversion\s+(\d(?:\.\d{1,2}){0,2})\s+du\s+(?:rgaa|referentiel general)"),
]

_MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
           "septembre", "octobre", "novembre", "decembre")
_MONTH_RE = "|".join(_MONTHS)
_DATE_VALUE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:\s?er)?\s+(?P<m1>{_MONTH_RE})\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s*[/.\-]\s*(?P<m2>\d{{1,2}})\s*[/.\-]\s*(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
    rf"|(?P<m4>{_MONTH_RE})\s+(?P<y4>\d{{4}}))"
)
_DATE_RE = re.compile(
    r"\b(?P<anchor>(?:a ete |est |a )?(?:etablie|mise a jour|mis a jour|actualisee|redigee|publiee|renouvelee)"
    r"|date\s+(?:de\s+(?:la\s+)?|d')(?:declaration|derniere mise a jour|mise a jour|publication|etablissement)"
    r"|derniere mise a jour)"
    r"\s*(?:le|en|au mois de|:|du)?\s*(?:le\s+)?" + _DATE_VALUE
)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?:\+33\s?\(?0?\)?\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")
_POSTAL_RE = re.compile(
    r"\b(?:\d{1,4}(?:\s?(?:bis|ter))?,?\s+)?(?:rue|avenue|boulevard|bd|place|quai|allee|chemin|impasse|route|cours|square)\b"
    r"[^@]{0,120}?\b\d{5}\b|\b(?:bp|cs|tsa)\s?\d+|\bcedex\b"
)
_FORM_RE = re.compile(r"\bformulaire\b")


# ------------------------------------------------------------------ rules/ schema


class DeclarationRules(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    link_texts: list[str] = Field(default_factory=lambda: ["déclaration d'accessibilité", "accessibilité"])
    url_words: list[str] = Field(default_factory=lambda: ["accessibilite", "accessibility"])
    validity_years: int = Field(3, ge=1, le=20)
    contact_headings: list[str] = Field(default_factory=lambda: ["retour d'information et contact"])
    next_headings: list[str] = Field(default_factory=lambda: ["voies de recours"])
    defenseur: list[str] = Field(default_factory=lambda: ["défenseur des droits", "defenseurdesdroits.fr"])


class AccessibilityRules(BaseModel):
    """``rules/accessibility.yaml``."""

    model_config = ConfigDict(extra="forbid")

    declaration: DeclarationRules = Field(default_factory=DeclarationRules)


def _rules(rules: "Rules | None") -> DeclarationRules:
    got = rules.get("accessibility") if rules is not None else None
    return got.declaration if isinstance(got, AccessibilityRules) else DeclarationRules()


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


# ----------------------------------------------------------------- the declaration


def _is_declaration_page(page: PageCapture) -> bool:
    """A page that reads like a déclaration d'accessibilité (used when its URL
    differs from the link, e.g. after a redirect)."""
    head = fold(" ".join([page.title, *page.headings, page.text[:400]]))
    body = fold(page.text)
    return "declaration d'accessibilite" in head and any(
        w in body for w in ("etat de conformite", "conforme avec", "en conformite", "des criteres", "rgaa")
    )


def _find_declaration_page(capture: Capture, url: str | None) -> PageCapture | None:
    if url:
        target = normalize_url(url)
        for page in sorted(capture.pages, key=lambda p: p.kind != "annex"):
            if normalize_url(page.url) == target:
                return page
    for page in sorted(capture.pages, key=lambda p: p.kind != "annex"):
        if _is_declaration_page(page):
            return page
    return None


def _evidence(page: PageCapture, start: int, end: int, width: int = 60) -> dict[str, str]:
    return {"url": page.url, "text": excerpt(page.text, start, end, width)}


def _parse_rate(raw: str) -> float | None:
    value = float(raw.replace(",", "."))
    return round(value / 100, 4) if 0 <= value <= 100 else None


def _match_date(m: re.Match[str]) -> tuple[date, str] | None:
    """(date, precision) of a ``_DATE_VALUE`` match; month-only dates give
    the first of the month with precision ``month``."""
    g = m.groupdict()
    try:
        if g["y1"]:
            return date(int(g["y1"]), _MONTHS.index(g["m1"]) + 1, int(g["d1"])), "day"
        if g["y2"]:
            return date(int(g["y2"]), int(g["m2"]), int(g["d2"])), "day"
        if g["y3"]:
            return date(int(g["y3"]), int(g["m3"]), int(g["d3"])), "day"
        if g["y4"]:
            return date(int(g["y4"]), _MONTHS.index(g["m4"]) + 1, 1), "month"
    except ValueError:
        return None
    return None


def add_years(d: date, years: int) -> date:
    """``d`` plus whole years (29 February → 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def scan_date(capture: Capture) -> date:
    """The day of the scan (UTC), the reference for the 3-year validity."""
    try:
        dt = datetime.fromisoformat(capture.scanned_at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return datetime.now(timezone.utc).date()
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.date()


def _section(folded: str, starts: list[str], ends: list[str], max_len: int = 2500) -> tuple[int, int] | None:
    """Offsets of the section that starts with the first of ``starts`` found and
    ends at the next of ``ends`` (or after ``max_len`` characters)."""
    # the first heading of the list that the page has: the official one before looser words
    begin = next((i for i in (folded.find(fold(x)) for x in starts) if i >= 0), -1)
    if begin < 0:
        return None
    end = begin + max_len
    for e in (fold(x) for x in ends):
        j = folded.find(e, begin + 1)
        if 0 <= j < end:
            end = j
    return begin, min(end, len(folded))


def parse_declaration(page: PageCapture, scanned: date, cfg: DeclarationRules) -> dict[str, Any]:
    """Every field of a déclaration d'accessibilité, each with its evidence."""
    folded = fold(page.text)
    evidence: dict[str, dict[str, str]] = {}
    review: list[str] = []
    out: dict[str, Any] = {"page_url": page.url}

    # status: prefer the sentence after the "État de conformité" heading
    anchor = folded.find("etat de conformite")
    status = None
    for start in ([anchor, 0] if anchor >= 0 else [0]):
        for rx, fixed in _DECL_STATUS_RES:
            m = rx.search(folded, start)
            if m:
                status = fixed or m.group(1)
                evidence["status"] = _evidence(page, m.start(), m.end())
                break
        if status:
            break
    if status is None:
        m = MENTION_RE.search(folded)
        if m:
            status = m.group(1)
            evidence["status"] = _evidence(page, m.start(), m.end())
    out["status"] = status

    # rate: "nn % des critères"
    rate = None
    for rx in _RATE_RES:
        m = rx.search(folded)
        if m:
            rate = _parse_rate(m.group(1))
            if rate is not None:
                evidence["rate"] = _evidence(page, m.start(), m.end())
                out["rate_source"] = "texte"
                break
    if rate is None and status == "totalement":
        rate = 1.0  # "totalement conforme" means every criterion is respected
        out["rate_source"] = "statut"
        evidence["rate"] = evidence["status"]
    if rate is None:
        m = _NO_AUDIT_RE.search(folded)
        if m:
            evidence["rate"] = _evidence(page, m.start(), m.end())
            out["audit"] = False
        else:
            review.append("Taux de conformité introuvable dans la déclaration d'accessibilité.")
    out["rate"] = rate

    # RGAA version
    version = None
    for rx in _VERSION_RES:
        m = rx.search(folded)
        if m:
            version = m.group(1)
            evidence["rgaa_version"] = _evidence(page, m.start(), m.end(), 40)
            break
    out["rgaa_version"] = version

    # date: the latest of "établie le …", "mise à jour le …"
    best: tuple[date, str, re.Match[str]] | None = None
    for m in _DATE_RE.finditer(folded):
        got = _match_date(m)
        if got and (best is None or got[0] > best[0]):
            best = (got[0], got[1], m)
    if best:
        d, precision, m = best
        out["date"] = d.isoformat()
        out["date_precision"] = precision
        evidence["date"] = _evidence(page, m.start(), m.end(), 30)
        # a month-only date is read as late as possible: never call a declaration expired wrongly
        last = d.replace(day=calendar.monthrange(d.year, d.month)[1]) if precision == "month" else d
        expires = add_years(last, cfg.validity_years)
        out["expires"] = expires.isoformat()
        out["valid"] = scanned < expires
        if d > scanned:
            review.append(f"Date de la déclaration ({d.isoformat()}) postérieure à la date du scan.")
    else:
        out["date"] = None
        out["valid"] = None
        review.append("Date d'établissement de la déclaration introuvable : validité non vérifiée.")

    out["contact"] = _contact(page, folded, cfg, review)
    out["defenseur_des_droits"] = _defenseur(page, folded, cfg)
    out["evidence"] = evidence
    out["review"] = review
    return out


def _contact(page: PageCapture, folded: str, cfg: DeclarationRules, review: list[str]) -> dict[str, Any]:
    """Contact means offered in the "Retour d'information et contact" section."""
    span = _section(folded, cfg.contact_headings, cfg.next_headings)
    if span is None:
        span = (0, len(folded))
        review.append("Rubrique « Retour d'information et contact » introuvable : moyens de contact cherchés dans toute la page.")
    a, b = span
    part = folded[a:b]
    means: list[str] = []
    evidence: list[dict[str, str]] = []

    def add(kind: str, m: re.Match[str] | None) -> None:
        if m and kind not in means:
            means.append(kind)
            evidence.append({"means": kind, **_evidence(page, a + m.start(), a + m.end(), 40)})

    add("courriel", _EMAIL_RE.search(part))
    if "courriel" not in means:
        for link in page_links(page):
            if link.href.lower().startswith("mailto:") and "@" in link.href:
                means.append("courriel")
                evidence.append({"means": "courriel", "url": page.url, "text": f"{link.text} ({link.href})".strip()})
                break
    add("formulaire", _FORM_RE.search(part))
    add("téléphone", _PHONE_RE.search(part))
    add("adresse postale", _POSTAL_RE.search(part))
    return {"found": bool(means), "means": means, "evidence": evidence}


def _defenseur(page: PageCapture, folded: str, cfg: DeclarationRules) -> dict[str, Any]:
    """The Défenseur des droits named (or linked) as a recourse."""
    evidence: list[dict[str, str]] = []
    for marker in (fold(x) for x in cfg.defenseur):
        i = folded.find(marker)
        if i >= 0:
            evidence.append(_evidence(page, i, i + len(marker), 50))
            break
    if not evidence:
        for link in page_links(page):
            if any(fold(x) in fold(link.href) for x in cfg.defenseur):
                evidence.append({"url": page.url, "text": f"{link.text} ({link.href})".strip()})
                break
    return {"found": bool(evidence), "evidence": evidence}


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
