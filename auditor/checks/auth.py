"""FranceConnect / FranceConnect+ offered to sign in (observatory indicator "auth").

The official button (Système de design de l'État) is

    <button class="fr-connect [fr-connect--plus]">
      <span class="fr-connect__login">S’identifier avec</span>
      <span class="fr-connect__brand">FranceConnect</span></button>
    <a href="https://franceconnect.gouv.fr/[france-connect-plus]">Qu’est-ce que FranceConnect[+] ?</a>

and older kits use an image whose alternative reads "S'identifier avec
FranceConnect".  FranceConnect+'s "+" is drawn by CSS, so the class and the
"Qu'est-ce que FranceConnect+ ?" link tell it apart, not the visible text.

Only step pages count: a help page that explains FranceConnect does not offer
it.  Weaker signs (the word "FranceConnect" alone, a hit on an annex page) go
to ``review`` instead of raising the level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from ..model import Capture, CheckResult, PageCapture
from . import check
from ._frtext import excerpt, fold, page_links

if TYPE_CHECKING:
    from ..config import Rules

FC = "FranceConnect"
FC_PLUS = "FranceConnect +"
NO = "Non"

_BRAND = r"france\s?-?\s?connect"
_PLUS = r"(?P<plus>\s*\+|\s+plus\b)?"


class FranceConnectRules(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    button_classes: list[str] = Field(default_factory=lambda: ["fr-connect"])
    plus_classes: list[str] = Field(default_factory=lambda: ["fr-connect--plus"])
    verbs: list[str] = Field(default_factory=lambda: ["s'identifier", "se connecter"])
    hosts: list[str] = Field(default_factory=lambda: ["franceconnect.gouv.fr"])
    plus_urls: list[str] = Field(default_factory=lambda: ["france-connect-plus"])


class AuthRules(BaseModel):
    """``rules/auth.yaml``."""

    model_config = ConfigDict(extra="forbid")

    franceconnect: FranceConnectRules = Field(default_factory=FranceConnectRules)


def _rules(rules: "Rules | None") -> FranceConnectRules:
    got = rules.get("auth") if rules is not None else None
    return got.franceconnect if isinstance(got, AuthRules) else FranceConnectRules()


@dataclass
class PageFinding:
    """FranceConnect signs on one page."""

    button: bool = False  # a sign that the page offers to sign in with it
    plus: bool = False  # a FranceConnect+ marker
    mentioned: bool = False  # the brand is named, nothing more
    evidence: list[dict[str, str]] = field(default_factory=list)


def _label_re(cfg: FranceConnectRules) -> re.Pattern[str]:
    verbs = "|".join(re.escape(fold(v)) for v in cfg.verbs)
    return re.compile(rf"(?:{verbs})\s+(?:avec|via|par)\s+{_BRAND}{_PLUS}")


def _selector(tag: Any) -> str:
    ident = tag.get("id")
    if ident:
        return f"{tag.name}#{ident}"
    classes = tag.get("class") or []
    return tag.name + "".join(f".{c}" for c in classes)


def scan_page(page: PageCapture, cfg: FranceConnectRules) -> PageFinding:
    """Every FranceConnect sign of one page, with its evidence."""
    found = PageFinding()
    label_re = _label_re(cfg)
    plus_classes = set(cfg.plus_classes)

    def add(kind: str, text: str, selector: str = "") -> None:
        ev = {"url": page.url, "kind": kind, "text": re.sub(r"\s+", " ", text).strip()[:200]}
        if selector:
            ev["selector"] = selector
        # the same control seen in the markup and by the collector is one piece of evidence
        if not any(e["kind"] == ev["kind"] and e["text"] == ev["text"] for e in found.evidence):
            found.evidence.append(ev)

    # 1. the official button markup
    low_html = page.html.lower()
    if low_html and any(m in low_html for m in ("franceconnect", "france connect", "france-connect",
                                                 *(c.lower() for c in cfg.button_classes))):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page.html, "html.parser")
        for cls in cfg.button_classes:
            for tag in soup.find_all(class_=cls):
                if tag.name not in ("button", "a", "input", "div", "span", "form"):
                    continue
                classes = set(tag.get("class") or [])
                text = tag.get_text(" ", strip=True) or tag.get("aria-label") or tag.get("value") or ""
                if not text:
                    img = tag.find("img", alt=True)
                    text = img["alt"] if img else ""
                found.button = True
                if classes & plus_classes or re.search(_BRAND + r"\s*\+", fold(text)):
                    found.plus = True
                add("bouton", text or cls, _selector(tag))
        # images of the older kits: alt="S'identifier avec FranceConnect"
        for img in soup.find_all("img", alt=True):
            m = label_re.search(fold(img["alt"]))
            if m:
                found.button = True
                found.plus |= bool(m.group("plus"))
                add("image", img["alt"], _selector(img))

    # 2. buttons recorded by the collector
    for ctl in page.controls:
        m = label_re.search(fold(ctl.label))
        if m and ctl.tag in ("button", "input", "a"):
            found.button = True
            found.plus |= bool(m.group("plus"))
            add("bouton", ctl.label, ctl.selector)

    # 3. links: the sign-in endpoint, a labelled link, the FranceConnect+ presentation
    for link in page_links(page):
        try:
            parts = urlsplit(link.href)
        except ValueError:
            continue
        host = (parts.hostname or "").lower()
        on_fc = any(host == h or host.endswith("." + h) for h in cfg.hosts)
        m = label_re.search(fold(link.text))
        if on_fc and "authorize" in parts.path.lower():
            found.button = True
            add("lien", f"{link.text} ({link.href})", link.selector)
        elif m:
            found.button = True
            found.plus |= bool(m.group("plus"))
            add("lien", link.text, link.selector)
        if on_fc and any(u in parts.path.lower() for u in cfg.plus_urls):
            found.plus = True
            add("lien", f"{link.text} ({link.href})", link.selector)
        elif on_fc:
            found.mentioned = True

    # 4. the visible label, e.g. a button the collector did not record
    text = page.text
    folded = fold(text)
    if not found.button:
        for m in label_re.finditer(folded):
            found.button = True
            found.plus |= bool(m.group("plus"))
            add("texte", excerpt(text, m.start(), m.end(), 30))
    if not found.button:
        m = re.search(r"\b" + _BRAND + r"\b", folded)
        if m:
            found.mentioned = True
            add("texte", excerpt(text, m.start(), m.end(), 50))
    return found


@check("auth")
def auth_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``auth``: ``level`` FranceConnect / FranceConnect + / Non, why, and evidence."""
    cfg = _rules(rules)
    steps = capture.step_pages()
    if not steps:
        return CheckResult(key="auth", block={"status": "not_checked",
                                              "reason": "Aucune étape parcourue : identification non vérifiée."})
    evidence: list[dict[str, str]] = []
    review: list[str] = []
    button = plus = False
    for page in capture.pages:
        f = scan_page(page, cfg)
        if page.kind == "step":
            if f.button:
                button = True
                plus |= f.plus
                evidence.extend(f.evidence)
            elif f.mentioned:
                review.append(f"FranceConnect est mentionné sur l'étape {page.url} sans bouton reconnu : à vérifier.")
                evidence.extend(f.evidence)
        elif f.button:
            review.append(f"Bouton ou lien FranceConnect sur la page annexe {page.url} (non compté) : à vérifier.")
    if button and plus:
        level, reason = FC_PLUS, "Un bouton FranceConnect+ est proposé pour s'identifier."
    elif button:
        level, reason = FC, "Un bouton FranceConnect est proposé pour s'identifier."
    else:
        level = NO
        reason = f"Aucun bouton FranceConnect trouvé sur les {len(steps)} étape(s) parcourue(s)."
        if capture.status != "complete":
            review.append("Parcours incomplet : un bouton FranceConnect peut se trouver sur une étape non atteinte.")
    return CheckResult(key="auth", block={"level": level, "reason": reason, "evidence": evidence, "review": review})
