"""Non-digital alternatives: phone line, counter, appointment, callback, contact form, post.

Every essential démarche must offer a way to get help or to apply without the
online form (a phone line or an in-person counter), and since the 2023 « Plan
Téléphone » the phone number must be easy to find, readable and not charged at
a premium rate.  This check reads what every audited page (step and annex)
shows — visible text, links, and the DOM for images and forms — and reports,
per channel, whether it is offered, its normalised values and the evidence.

Both directions matter: a SIRET or a date reported as the démarche's phone
line is a false alarm in a published scorecard, and a missed line or counter
accuses a service falsely.  A number is kept when nothing around it says it is
something else (fax, reference, amount…), and what is rejected is listed in
``phone.ignored`` with the reason.  Contact pages say what a number is by the
heading it sits under (« Par téléphone », « Par télécopie », « Sur place »):
those headings are read (``alternatives_context``), as is who a line is for
(callers abroad, overseas…), so that the démarche-level flags follow the line
open to everyone; numbers of other services (emergency, the Défenseur des
droits in an accessibility statement) are kept apart in ``other_numbers``.
Mentions that look like a channel but lack what makes them usable (a bare
« guichet », a directory link alone, a number shown only as an image) go to
``review`` rather than counting either way.

The check is read in parts: the rules' schema (``_alt_rules``), text
helpers (``_alt_text``), what is gathered over the pages (``_alt_collect``),
phone numbers (``_alt_phone``, ``_alt_phone_scan``) and the other channels
(``_alt_channels``); this module puts them together and makes the block.

All the vocabulary lives in ``rules/alternatives.yaml``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import Capture, CheckResult, DomFacts, MessageForm, PageCapture, PageImage
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._alt_channels import _Channels
from ._alt_collect import Evidence, PhoneLine  # noqa: F401  (PhoneLine re-exported)
from ._alt_phone_scan import _PhoneScan
from ._alt_rules import (  # noqa: F401  (re-exported: the rules map and the tests import them from here)
    CHANNELS,
    TARIFF_ORDER,
    AlternativesRules,
    ChannelRules,
    ContactFormRules,
    HoursRules,
    InPersonRules,
    KnownNumber,
    KnownShortNumber,
    LabelledPattern,
    OtherContext,
    OthersRules,
    PhoneRules,
    PostalRules,
    SectionRules,
    Tariff,
    _Compiled,
    expand,
)
from ._alt_text import excerpt, line_excerpt, normalise_text, sentences  # noqa: F401  (re-exported)
from ._frtext import page_links

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from ..config import Rules


class _Collector(_PhoneScan, _Channels):
    """Accumulates findings over the pages of one démarche: the phone and
    channel readers (``_alt_phone_scan``, ``_alt_channels``) and the block
    they make together."""

    def block(self, pages: list[PageCapture]) -> dict[str, Any]:
        # main lines (offered to everyone) first: they decide « premium » and
        # « free », and are what the scorecard shows first
        found = list(self.lines.values())
        main = [ln for ln in found if ln.audience is None] or found
        main = [ln for ln in main if ln.tariff != "premium"] + [ln for ln in main if ln.tariff == "premium"]
        lines = main + [ln for ln in found if ln not in main]
        non_premium = [ln for ln in main if ln.tariff != "premium"]
        best = (next((ln for ln in non_premium if ln.hours), None) or next((ln for ln in main if ln.hours), None)
                or next((ln for ln in lines if ln.hours), None))
        phone_evidence: list[Evidence] = []
        for ln in lines:
            for ev in ln.evidence:
                self._add_evidence(phone_evidence, ev)
        if self.unreadable and not lines:
            for u in self.unreadable[:3]:
                self.review.append({"channel": "phone", "url": u["url"], "text": u["text"],
                                    "reason": "numéro de téléphone affiché en image, sans alternative textuelle"})
        phone = {
            "found": bool(lines),
            "numbers": [ln.number for ln in lines],
            "main": main[0].number if main else None,
            "premium": bool(lines) and not non_premium,
            "free": any(ln.tariff == "free" for ln in main),
            "hours": best.hours if best else None,
            "lines": [{**ln.to_dict(), "main": ln in main} for ln in lines],
            "other_numbers": [o.to_dict() for key, o in self.others.items() if key not in self.lines],
            "unreadable": self.unreadable,
            "ignored": self.ignored,
            "evidence": [e.to_dict() for e in phone_evidence],
        }

        def chan(name: str, **extra: Any) -> dict[str, Any]:
            ch = self.channels[name]
            return {"found": bool(ch["evidence"]), "values": ch["values"], **extra,
                    "pages": ch["pages"], "evidence": [e.to_dict() for e in ch["evidence"]]}

        postal_found = bool(self.channels["postal"]["evidence"])
        # the counter a user would go to first: explicit, with an address and hours
        places = [{k: v for k, v in p.items() if k != "rank"} for p in sorted(self.places, key=lambda p: p["rank"])]
        addresses = [p["address"] for p in places if p["address"]]
        addresses += [a for a in self.in_person_addresses if a not in addresses]
        first_hours = next((p["hours"] for p in places if p["hours"]), None)
        block: dict[str, Any] = {
            "phone": phone,
            "in_person": chan("in_person", addresses=list(dict.fromkeys(addresses)), places=places,
                              hours=first_hours or (self.in_person_hours[0] if self.in_person_hours else None),
                              all_hours=self.in_person_hours),
            "appointment": chan("appointment", links=self.appointment_links),
            "callback": chan("callback"),
            "contact_form": chan("contact_form", links=self.contact_links),
            "postal": chan("postal", forms=self.postal_forms if postal_found else [],
                           cited_forms=self.postal_forms, links=self.postal_links),
            "review": self.review,
            "pages_read": len(pages),
        }
        block["phone"]["pages"] = sorted({u for ln in lines for u in ln.pages})
        block["found"] = [c for c in CHANNELS if block[c]["found"]]
        block["missing"] = [c for c in CHANNELS if not block[c]["found"]]
        return block

# Each ancestor's text is cut there: the words around an image are what
# matters, not a whole page section.  At most MAX_IMAGES images per page.
# dom_facts.js has the same limits.
MAX_CONTEXT = 2000
MAX_IMAGES = 400
_ID = re.compile(r"[A-Za-z][\w-]*")
_SKIP_TEXT = ("script", "style", "noscript", "template")


def css_path(el: Tag) -> str:
    """A CSS selector for a parsed element: ``#id`` when it has one, else a
    ``tag:nth-of-type(n)`` path from the nearest ancestor with an id."""
    from bs4 import Tag

    parts: list[str] = []
    node: Tag | None = el
    while node is not None and node.name not in ("[document]", None):
        ident = node.get("id")
        if isinstance(ident, str) and _ID.fullmatch(ident):
            parts.append(f"#{ident}")
            break
        parent = node.parent if isinstance(node.parent, Tag) else None
        if parent is None or node.name == "html":
            parts.append(node.name)
            break
        same = [s for s in parent.find_all(node.name, recursive=False)]
        parts.append(node.name if len(same) == 1 else f"{node.name}:nth-of-type({same.index(node) + 1})")
        node = parent
    return " > ".join(reversed(parts))


def _soup(page: PageCapture) -> BeautifulSoup | None:
    if not page.html.strip():
        return None
    from bs4 import BeautifulSoup  # imported on first use, off the start of a run (pipeline.warm_up)

    soup = BeautifulSoup(page.html, "html.parser")
    for t in soup(list(_SKIP_TEXT)):
        t.decompose()
    return soup


def facts_from_html(page: PageCapture) -> DomFacts | None:
    """The records ``dom_facts.js`` makes in the browser, read from the
    page's HTML instead: for captures made without them (hand-built, older
    tools).  None when there is no HTML."""
    soup = _soup(page)
    if soup is None:
        return None
    from bs4 import Tag

    images: list[PageImage] = []
    texts: dict[int, str] = {}  # ancestor → its text, read once (a gallery shares its container)
    for el in soup.find_all(["img", "input", "area", "svg", "object"]):
        if el.name == "input" and (el.get("type") or "").lower() != "image":
            continue
        if len(images) >= MAX_IMAGES:
            break
        title = el.find("title") if el.name == "svg" else None
        in_control = el.find_parent(["a", "button"]) is not None
        context: list[str] = []
        node = el.parent if isinstance(el.parent, Tag) else None
        while not in_control and node is not None and len(context) < 3 and node.name not in ("body", "html", "[document]"):
            if id(node) not in texts:
                texts[id(node)] = node.get_text(" ")[:MAX_CONTEXT]
            context.append(texts[id(node)])
            node = node.parent if isinstance(node.parent, Tag) else None

        def attr(name: str) -> str | None:
            v = el.get(name)
            return v if isinstance(v, str) else None

        images.append(PageImage(
            tag=el.name, selector=css_path(el), alt=attr("alt"), aria_label=attr("aria-label"),
            title=attr("title"), svg_title=title.get_text() if title is not None else None,
            src=str(el.get("src") or el.get("data") or ""), classes=" ".join(el.get("class") or []),
            id=str(el.get("id") or ""), in_control=in_control, context=context,
        ))
    form = next((f for f in soup.find_all("form") if f.find("textarea") is not None), None)
    message_form = None
    if form is not None:
        headings = " ".join(h.get_text(" ") for h in soup.find_all(["h1", "h2", "h3", "legend"]))
        message_form = MessageForm(selector=css_path(form), headings=headings)
    return DomFacts(images=images, message_form=message_form)


def compiled_rules(rules: "Rules | None") -> _Compiled:
    model = rules.get("alternatives") if rules is not None else None
    if not isinstance(model, AlternativesRules):
        raise ValueError("règles « alternatives » absentes : fichier rules/alternatives.yaml introuvable")
    return model.compiled()


def find_alternatives(pages: list[PageCapture], rules: "Rules | None") -> dict[str, Any]:
    """The ``alternatives`` block for these pages (step and annex, in visit order)."""
    col = _Collector(compiled_rules(rules))
    for page in sorted(pages, key=lambda p: (p.index, p.kind)):
        text = normalise_text(page.text or "")
        facts = page.dom_facts if page.dom_facts is not None else facts_from_html(page)  # likewise
        links = page_links(page)  # recorded by the collector, else read from the HTML
        ctx = col.page_lines(page, text)
        col.scan_phone_text(page, text, ctx=ctx)
        col.scan_tel_links(page, links)
        col.scan_images(page, facts.images if facts else [])
        col.scan_channels(page, text, ctx)
        col.scan_links(page, links)
        col.finish_page(page)
        col.scan_contact_form(page, facts.message_form if facts else None)
    return col.block(pages)


@check("alternatives")
def alternatives(capture: Capture, rules: "Rules") -> CheckResult:
    """Which non-digital channels the démarche offers (phone, counter,
    appointment, callback, contact form, post), read on every audited page."""
    return CheckResult(key="alternatives", block=find_alternatives(capture.pages, rules))

# --------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """No line open to everyone nor counter: one finding for the démarche."""
    from ..report.findings import _clean

    indicators = card.get("indicators") or {}
    if indicators.get("alternative") != "Non":
        return []
    start, n_pages = card.get("url"), len(card.get("pages") or [])
    return [CheckFinding(
        rule="alternatives/none", category="no-alternative", level="Non",
        message=f"Aucun téléphone non surtaxé ni accueil physique trouvé sur les {n_pages} page(s) parcourue(s)",
        url=start, evidence=[{"url": start, "text": _clean((indicators.get("reasons") or {}).get("alternative"))}])]


META = describe(CheckMeta(
    section="alternatives",
    id="alternatives", title="Alternatives non numériques", block="alternatives", order=40,
    not_checked="alternatives non numériques non vérifiées", gates=("no-alternative",), findings=card_findings,
    skip_reason=lambda card: None if (card.get("indicators") or {}).get("alternative") is not None
    else "alternatives non numériques non vérifiées",
    rules=(Rule("alternatives/none", "Aucune alternative non numérique",
                "Ni téléphone non surtaxé ni accueil physique n'est proposé sur les pages parcourues."),)))
