"""Reading a déclaration d'accessibilité: each field with its evidence.

Which visited page is the declaration, then its status, the share of RGAA
criteria respected, the RGAA version, the date it was drawn up (and so
whether it is still valid, three years by default), the contact means and
the Défenseur des droits as recourse.  Every field quotes the page; what
cannot be read goes to ``review`` rather than being guessed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timezone
from typing import Any

from ..model import Capture, PageCapture
from ._frtext import excerpt, fold, normalize_url, page_links
from ._mention_rules import (
    _DATE_RE,
    _DECL_STATUS_RES,
    _EMAIL_RE,
    _FORM_RE,
    _MONTHS,
    _NO_AUDIT_RE,
    _PHONE_RE,
    _POSTAL_RE,
    _RATE_RES,
    _VERSION_RES,
    MENTION_RE,
    DeclarationRules,
)


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
    return scan_day(capture.scanned_at)


def scan_day(scanned_at: str | None) -> date:
    """:func:`scan_date` from the capture's ``scanned_at`` as written (also what the checks' cache keys on)."""
    try:
        dt = datetime.fromisoformat(scanned_at.replace("Z", "+00:00"))  # type: ignore[union-attr]
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
