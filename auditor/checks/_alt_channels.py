"""The channels other than the phone: counter, appointment, callback, contact form, post.

A counter mentioned without what makes it usable (an address, hours, a
place) does not count either way: it waits for a directory link on the
same page, else goes to review.  Lines where the page speaks of another
service (an accessibility statement's recourse section) offer nothing of
the démarche's own.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Link, MessageForm, PageCapture
from ._alt_collect import Evidence, _CollectorBase
from ._alt_text import excerpt, normalise_text, sentences
from .alternatives_context import PageLines, squash


class _Channels(_CollectorBase):
    """Reads the non-phone channels in a page's lines, links and contact form."""

    def page_lines(self, page: PageCapture, text: str) -> PageLines:
        """The page's lines with the channel section each one is in."""
        sec = self.c.sections
        fields = [t for c in page.controls for t in (c.label, c.hint, *c.legend.split("\n"))]
        return PageLines(text, page.headings, self.c.section_rx, sec.max_chars, sec.max_lines, fields)

    def _quoting_others(self, ctx: PageLines) -> list[bool]:
        """Lines where the page speaks of another service's channels (an
        accessibility statement's recourse section): what they offer is not
        the démarche's."""
        rxs = [rx for _, rx, any_number in self.c.other_contexts if any_number]
        if not rxs:
            return [False] * len(ctx.lines)
        hit = [bool(ln.text.strip()) and any(rx.search(ln.text) for rx in rxs) for ln in ctx.lines]
        out = []
        for i, ln in enumerate(ctx.lines):
            if hit[i]:
                out.append(True)
                continue
            above = ctx.before(ln.start, self.r.phone.others.lines_before)
            out.append(any(rx.search(a) for a in above for rx in rxs) if any(hit[max(0, i - 50) : i]) else False)
        return out

    def scan_channels(self, page: PageCapture, text: str, ctx: PageLines | None = None) -> None:
        ctx = ctx if ctx is not None else self.page_lines(page, text)
        others = self._quoting_others(ctx)
        in_person = self.c.channels["in_person"]
        for i, line in enumerate(ctx.lines):
            if not line.text.strip() or others[i] or ctx.is_field[i]:
                continue  # a form field's label (« Date de votre rendez-vous en préfecture ») offers nothing
            heading = ctx.heading_at(i)
            if (heading is not None and "in_person" in heading.kinds
                    and not (in_person.exclude is not None and in_person.exclude.search(line.text))):
                # « Sur place » over an address: the service receives people
                body = [ln.text for ln in ctx.lines[i + 1 : heading.last + 1] if ln.text.strip()]
                ev = Evidence(page.url, page.kind, excerpt(squash(" — ".join([line.text, *body[:2]])), 0,
                                                           len(line.text), self.r.evidence_chars))
                self._in_person(page, ctx, range(i + 1, heading.last + 1), "sur place", ev, explicit=True)
            for off, sent in sentences(line.text):
                for channel, ch in self.c.channels.items():
                    if ch.exclude is not None and ch.exclude.search(sent):
                        continue
                    found = None
                    if channel == "in_person":
                        found = next(((lb, m, True) for lb, rx in self.c.explicit if (m := rx.search(sent))), None)
                    found = found or next(((lb, m, False) for lb, rx in ch.patterns if (m := rx.search(sent))), None)
                    if found is None:
                        continue
                    label, m, explicit = found
                    if explicit:  # name the place when the text does (« en mairie » → « mairie »)
                        label = next((lb for lb, rx in ch.patterns if rx.search(m.group(0))), label)
                    ev = Evidence(page.url, page.kind, excerpt(sent, m.start(), m.end(), self.r.evidence_chars))
                    if channel == "in_person":
                        window = self._nonempty(ctx, i, self.r.context_lines_before, self.r.context_lines_after)
                        self._in_person(page, ctx, window, label, ev, explicit)
                    else:
                        self._channel_hit(channel, label, ev)
                # Cerfa numbers are values of the postal channel (found only with a route)
                for m in self.c.cerfa.finditer(sent):
                    num = _cerfa_number(m)
                    if num and num not in self.postal_forms:
                        self.postal_forms.append(num)

    @staticmethod
    def _nonempty(ctx: PageLines, i: int, before: int, after: int) -> list[int]:
        """Indexes of line ``i`` and of up to ``before`` non-empty lines above
        it and ``after`` below it."""
        above: list[int] = []
        j = i - 1
        while j >= 0 and len(above) < before:
            if ctx.lines[j].text.strip():
                above.insert(0, j)
            j -= 1
        below: list[int] = []
        j = i + 1
        while j < len(ctx.lines) and len(below) < after:
            if ctx.lines[j].text.strip():
                below.append(j)
            j += 1
        return [*above, i, *below]

    def _in_person(self, page: PageCapture, ctx: PageLines, indexes: Iterable[int], label: str, ev: Evidence,
                   explicit: bool) -> None:
        """A counter mentioned: counted with what its neighbourhood gives
        (address, hours — not those of a phone line — or a hint of place);
        a bare mention waits for a directory link on the same page, else
        goes to review.  An explicit one (« sur place », « se rendre au
        guichet ») counts alone."""
        addresses: list[str] = []
        current: list[str] = []
        postal = self.c.channels["postal"]
        window = [ctx.lines[j] for j in indexes if ctx.lines[j].text.strip()]
        for ln in window:
            # a line about sending mail is the postal route's address, not the counter's
            is_postal = any(rx.search(ln.text) for _, rx in postal.patterns)
            if (len(ln.text) <= 2 * self.r.evidence_chars and not is_postal
                    and any(rx.search(ln.text) for rx in self.c.address)):
                current.append(squash(ln.text)[: self.r.evidence_chars])
            elif current:
                addresses.append(", ".join(current))
                current = []
        if current:
            addresses.append(", ".join(current))
        not_phone = [ln for ln in window if not ((s := ctx.section_at(ln.start)) and "phone" in s.kinds)]
        joined = "\n".join(ln.text for ln in not_phone)[: self.r.context_chars * 2]
        hours = [h for _, _, h in self.hours_in(joined)]
        near = bool(self.c.nearby and self.c.nearby.search(joined))
        if not (explicit or addresses or hours or near):
            self._pending.append((label, ev))
            return
        self._channel_hit("in_person", label, ev)
        rank = (0 if addresses and hours else 1 if addresses or hours else 2) + (0 if explicit else 1)
        self.places.append({"label": label, "address": addresses[0] if addresses else None,
                            "hours": hours[0] if hours else None, "url": ev.url, "text": ev.text, "rank": rank})
        for a in addresses:
            if a not in self.in_person_addresses:
                self.in_person_addresses.append(a)
        for h in hours:
            if h not in self.in_person_hours:
                self.in_person_hours.append(h)

    def finish_page(self, page: PageCapture) -> None:
        """Bare counter mentions and directory links of one page, judged
        together: a directory link gives the address of a counter the text
        mentions; alone, it does not say the service receives anyone."""
        pending, links = self._pending, self._directory
        self._pending, self._directory = [], []
        mentioned = bool(pending) or page.url in self.channels["in_person"]["pages"]
        if links and mentioned:
            for label, ev in pending:
                self._channel_hit("in_person", label, ev)
                self.places.append({"label": label, "address": None, "hours": None, "url": ev.url,
                                    "text": ev.text, "rank": 4})
            for ev in links:
                self._channel_hit("in_person", "annuaire des lieux d'accueil", ev)
            return
        for label, ev in pending:
            self._review("in_person", page, ev.text, "accueil physique mentionné sans adresse ni horaires à proximité")
        for ev in links[:2]:
            self._review("in_person", page, ev.text,
                         "lien vers un annuaire, sans mention d'un accueil du public sur la page")

    def scan_links(self, page: PageCapture, links: list[Link]) -> None:
        for link in links:
            href = link.href.strip()
            if href.lower().startswith(("tel:", "javascript:")):
                continue
            text = squash(normalise_text(link.text or ""))
            ev = Evidence(page.url, page.kind, f"Lien « {text or href} » vers {href}", link.selector)
            for channel, ch in self.c.channels.items():
                by_text = bool(text and ch.link_text and ch.link_text.search(text))
                by_href = bool(ch.link_href and ch.link_href.search(href))
                if channel == "postal":
                    cerfa = bool(by_text or by_href or self.c.cerfa.search(text) or self.c.cerfa.search(href))
                    download = bool(self.c.download and (self.c.download.search(href) or self.c.download.search(text)))
                    for m in list(self.c.cerfa.finditer(text)) + list(self.c.cerfa.finditer(href)):
                        num = _cerfa_number(m)
                        if num and num not in self.postal_forms:
                            self.postal_forms.append(num)
                    if cerfa and download:
                        self._channel_hit("postal", "formulaire à télécharger", ev)
                        if href not in self.postal_links:
                            self.postal_links.append(href)
                    continue
                if not (by_text or by_href):
                    continue
                if ch.exclude is not None and text and ch.exclude.search(text):
                    continue
                if channel == "in_person":
                    self._directory.append(ev)
                elif channel == "appointment":
                    self._channel_hit("appointment", "lien de prise de rendez-vous", ev)
                    if href not in self.appointment_links:
                        self.appointment_links.append(href)
                elif channel == "callback":
                    self._channel_hit("callback", "demande de rappel", ev)
                elif channel == "contact_form":
                    self._channel_hit("contact_form", "lien vers un formulaire de contact", ev)
                    if href not in self.contact_links:
                        self.contact_links.append(href)

    def scan_contact_form(self, page: PageCapture, form: MessageForm | None) -> None:
        """A page about contacting the service that shows a free-text field is a contact form."""
        about = " ".join([page.title, page.url, *page.headings])
        if self.c.form_page is None:
            return
        has_textarea_control = any(c.tag == "textarea" for c in page.controls)
        form_sel = form.selector if form is not None else ""
        heading_text = form.headings if form is not None else ""
        about = normalise_text(about + " " + heading_text)
        if not (has_textarea_control or form_sel):
            return
        m = self.c.form_page.search(about)
        if not m:
            return
        label = squash(page.title) or squash(m.group(0))
        ev = Evidence(page.url, page.kind, f"formulaire avec zone de message sur la page « {label} »", form_sel)
        self._channel_hit("contact_form", "formulaire de contact", ev)
        if page.url not in self.contact_links:
            self.contact_links.append(page.url)


def _cerfa_number(m: re.Match[str]) -> str | None:
    groups = [g for g in m.groups() if g]
    return f"{groups[0]}*{groups[1]}" if len(groups) >= 2 else None
