"""Reading the phone lines of a page: its text, its ``tel:`` links and its images.

Around each kept number the page also says who the line is for (callers
abroad, overseas), whose it is (an emergency or another service's number
quoted in an accessibility statement) and when it is open: the
démarche-level flags follow the line open to everyone, so these are read
with the number.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import phonenumbers

from ..model import Link, PageCapture, PageImage
from ._alt_collect import Evidence
from ._alt_phone import _ALTERNATIVE, _Candidate, _Decision, _PhoneNumbers
from ._alt_text import _context_text, line_excerpt, normalise_text
from .alternatives_context import PageLines, labels_in, squash


class _PhoneScan(_PhoneNumbers):
    """Scans a page's text, ``tel:`` links and images for phone lines."""

    def scan_phone_text(self, page: PageCapture, text: str, *, source: str = "text", selector: str = "",
                        force_label: bool = False, ctx: PageLines | None = None) -> list[_Candidate]:
        """Find phone numbers in ``text`` (visible text or an image's text
        alternative); returns the kept candidates."""
        in_dates: list[_Candidate] = []
        cands = self._candidates(text, in_dates)
        for cand in in_dates:
            if cand.short is None:
                self._ignore(page, cand.raw, "date", line_excerpt(text, cand.start, cand.end, self.r.evidence_chars))
        kept: list[tuple[int, _Candidate, int]] = []  # index in cands, candidate, label window start
        prev: _Candidate | None = None
        prev_dec: _Decision | None = None
        for i, cand in enumerate(cands):
            dec, win_start = self._decide(text, cand, prev, prev_dec, force_label, ctx)
            prev, prev_dec = cand, dec
            if dec.keep:
                kept.append((i, cand, win_start))
            elif not cand.special and (cand.short is None or cand.short in self.c.known_short):
                # « 3 500 habitants », « le 17 mars »: not worth listing
                self._ignore(page, cand.raw, dec.reason, line_excerpt(text, cand.start, cand.end, self.r.evidence_chars))
        shared = self._shared_tails(text, [c for _, c, _ in kept], cands)
        for k, (i, cand, win_start) in enumerate(kept):
            prev_end = cands[i - 1].end if i > 0 else 0
            nxt = cands[i + 1].start if i + 1 < len(cands) else len(text)
            next_line = text.rfind("\n", cand.end, nxt) if i + 1 < len(cands) else -1
            if next_line != -1:
                nxt = next_line  # what shares a line with the next number belongs to it
            stop, width, lines = nxt, self.r.phone.marker_window, 1
            section = ctx.section_at(cand.start) if ctx is not None else None
            if section is not None and "phone" in section.kinds:
                # under « Par téléphone », the lines down to the next number speak of this one
                own_line = ctx.lines[ctx.index(cand.start)].end
                stop = min(nxt, max(own_line, ctx.lines[section.last].end))
                width, lines = self.r.context_chars, self.r.sections.max_lines
            marker_text = text[win_start : cand.start] + " " + self._after(text, cand.end, stop, width, lines)
            hours = self._hours_near(text, cand, prev_end=prev_end, next_start=nxt)
            tail = shared.get(k)
            if tail:
                if self._marker(marker_text) is None:
                    marker_text += " " + tail  # « 39 60 (ou 09 71 10 39 60) » + the tariff line below both
                if hours is None:
                    found = self.hours_in(tail)
                    hours = found[0][2] if found else None
            ev_text = line_excerpt(text, cand.start, cand.end, self.r.evidence_chars)
            self._record(page, cand, source=source, marker_text=marker_text, hours=hours,
                         ev=Evidence(page.url, page.kind, ev_text, selector),
                         audience=self._audience(text, cand, prev_end, nxt, ctx),
                         whose=self._whose(text, cand, ctx))
        return [c for _, c, _ in kept]

    def _shared_tails(self, text: str, kept: list[_Candidate], cands: list[_Candidate]) -> dict[int, str]:
        """For numbers given as alternatives of one another on one line
        (« 39 60 (ou 09 71 10 39 60 …) », « 01 … ou 01 … »), the text after the
        group that speaks for all of them: after the parenthesis holding the
        last one, and the lines below.  Keyed by position in ``kept``, for
        every member but the last (whose own text already runs on)."""
        out: dict[int, str] = {}
        k = 0
        while k < len(kept):
            j = k
            while (j + 1 < len(kept) and "\n" not in text[kept[j].end : kept[j + 1].start]
                   and _ALTERNATIVE.fullmatch(text[kept[j].end : kept[j + 1].start])):
                j += 1
            if j > k:
                last = kept[j]
                line_end = text.find("\n", last.end)
                line_end = len(text) if line_end == -1 else line_end
                opened = text[kept[k].start : last.start].count("(") - text[kept[k].start : last.start].count(")")
                close = text.find(")", last.end, line_end) if opened > 0 else -1
                start = close + 1 if close != -1 else line_end
                later = [c.start for c in cands if c.start >= start]
                stop = min(later) if later else len(text)
                tail = self._after(text, start, stop, self.r.context_chars, max(1, self.r.phone.hours_lines_after))
                for m in range(k, j):
                    out[m] = tail
            k = j + 1
        return out

    def _audience(self, text: str, cand: _Candidate, prev_end: int, next_start: int,
                  ctx: PageLines | None) -> str | None:
        """Who a line is for when not everyone: said before the number on its
        line, right after it, on the line above ending with « : », or in its
        section's heading.  None for a main line."""
        if not self.c.audiences:
            return None
        line_start = text.rfind("\n", 0, cand.start) + 1
        line_end = text.find("\n", cand.end)
        line_end = len(text) if line_end == -1 else line_end
        before = text[max(line_start, prev_end) : cand.start]
        after = text[cand.end : min(line_end, next_start)]
        if next_start < line_end and after.rstrip().endswith(":"):
            after = ""  # « 39 39 (depuis l'étranger : +33 …) »: those words introduce the next number
        parts = [before, after]
        if not before.strip(" -–•·(:"):
            # « Depuis l'outre-mer : » or a heading « La Réunion et Mayotte » just above
            above = ctx.previous(cand.start) if ctx is not None else None
            if above is not None and (above[0].rstrip().endswith(":") or above[1]):
                parts.append(above[0])
        section = ctx.section_at(cand.start) if ctx is not None else None
        if section is not None:
            parts.append(section.heading)
        labels: list[str] = []
        for part in parts:
            labels += [lb for lb in labels_in(part, self.c.audiences) if lb not in labels]
        if "main" in labels:
            return None
        return ", ".join(labels) or None

    def _whose(self, text: str, cand: _Candidate, ctx: PageLines | None) -> tuple[str, str] | None:
        """(whose, why) when the number is someone else's: an emergency or
        helpline number, or one quoted where the page speaks of another
        service (an accessibility statement's recourse section, a national
        helpline given « pour en savoir plus »)."""
        known = self.c.known_short.get(cand.short) if cand.short else None
        if known is not None and known.other:
            return known.name or "numéro d'urgence", "numéro d'urgence ou d'écoute, pas la ligne de la démarche"
        digits = "0" + str(cand.number.national_number) if cand.number is not None else ""
        known_name = (known.name if known is not None else None) or self.c.other_numbers.get(digits)
        line_start = text.rfind("\n", 0, cand.start) + 1
        parts = [text[line_start : cand.start]]
        if ctx is not None:
            parts += ctx.before(cand.start, self.r.phone.others.lines_before)
        for label, rx, any_number in self.c.other_contexts:
            if (any_number or known_name) and any(rx.search(p) for p in parts):
                return known_name or self._name_before(text[line_start : cand.start]) or label, label
        return None

    def _name_before(self, before: str) -> str | None:
        """The service named before a number on its line (« Allô Service public : »)."""
        name = before
        for rx in self.c.phone_labels:  # « Info escroqueries, appelez le » → « Info escroqueries »
            m = rx.search(name)
            name = name[: m.start()] if m else name
        name = squash(name).strip(" :–-—,(")
        return name if 3 <= len(name) <= 60 and re.search(r"[A-Za-zÀ-ÿ]{3}", name) else None

    @staticmethod
    def _after(text: str, start: int, stop: int, width: int, max_lines: int = 1) -> str:
        """Text after a number: up to the next number, ``width`` characters, the
        rest of its line and ``max_lines`` non-empty lines after it."""
        chunk = text[start : min(stop, start + width)]
        parts = chunk.split("\n")
        out, extra = [parts[0]], 0
        for part in parts[1:]:
            if extra >= max_lines:
                break
            out.append(part)
            extra += bool(part.strip())
        return "\n".join(out)

    @staticmethod
    def _before(text: str, start: int, stop: int, width: int, max_lines: int = 1) -> str:
        """Text before a number, back to ``stop`` (the previous number), at most
        ``width`` characters, its line and ``max_lines`` non-empty lines above."""
        chunk = text[max(stop, start - width) : start]
        parts = chunk.split("\n")
        out, extra = [parts[-1]], 0
        for part in reversed(parts[:-1]):
            if extra >= max_lines:
                break
            out.insert(0, part)
            extra += bool(part.strip())
        return "\n".join(out)

    def _hours_near(self, text: str, cand: _Candidate, prev_end: int, next_start: int) -> str | None:
        """Opening hours written right after the number (same line or the next
        lines), else just before it."""
        ph = self.r.phone
        found = self.hours_in(self._after(text, cand.end, next_start, self.r.context_chars, ph.hours_lines_after))
        if found:
            return found[0][2]
        before = self._before(text, cand.start, 0, self.r.context_chars, ph.hours_lines_before)
        if prev_end > cand.start - len(before):
            # another number just above: the lines between belong to it, keep
            # only this number's own line
            line_start = text.rfind("\n", 0, cand.start) + 1
            before = text[max(line_start, prev_end) : cand.start]
        found = self.hours_in(before)
        return found[-1][2] if found else None

    def scan_tel_links(self, page: PageCapture, links: list[Link]) -> None:
        for link in links:
            href = link.href.strip()
            if not href.lower().startswith("tel:"):
                continue
            target = unquote(href[4:]).split(";")[0].split("?")[0].strip()
            link_text = squash(normalise_text(link.text or ""))
            label = self._nearest_label(link_text) if link_text else None
            shown = link_text or target
            if label and label[0] == "exclude":
                self._ignore(page, target, label[1], shown)
                continue
            digits = re.sub(r"[^\d+]", "", target)
            cand: _Candidate | None = None
            if (re.fullmatch(r"\d{3,6}", digits) and digits[0] == "3") or digits in self.c.known_short:
                cand = _Candidate(0, 0, digits, None, short=digits, special=not self.c.short_number.fullmatch(digits))
            else:
                try:
                    num = phonenumbers.parse(target, self.r.phone.region)
                except phonenumbers.NumberParseException:
                    num = None
                if num is not None and phonenumbers.is_valid_number(num):
                    cand = _Candidate(0, 0, target, num)
            if cand is None:
                self._review("phone", page, shown, f"lien « tel: » illisible : « {href} »")
                continue
            key = self._line_for(cand)[0]
            existing = self.lines.get(key) or self.others.get(key)
            ev = Evidence(page.url, page.kind, f"Lien d'appel « {shown} » ({href})", link.selector)
            if existing is not None:
                existing.clickable = True
                if "tel_link" not in existing.sources:
                    existing.sources.append("tel_link")
                self._add_evidence(existing.evidence, ev)
                continue
            self._record(page, cand, source="tel_link", marker_text=link_text, hours=None, ev=ev, clickable=True,
                         whose=self._whose("", cand, None))

    def scan_images(self, page: PageCapture, images: list[PageImage]) -> None:
        """Numbers in images: read from their text alternative, or reported as
        unreadable when the image looks like a phone number and has none."""
        for img in images:
            parts = (img.alt, img.aria_label, img.title, img.svg_title)
            alt = normalise_text(" ".join(a for a in parts if isinstance(a, str)))
            phone_like = self._image_phone_like(img)
            if alt.strip():
                kept = self.scan_phone_text(page, alt, source="image_alt", selector=img.selector,
                                            force_label=phone_like)
                if kept:
                    continue
            if not phone_like or img.in_control:
                continue
            context = _context_text(img)
            if context is not None and self._candidates(context):
                continue  # an icon next to a number written in text
            if context and not (self.c.any_phone_label and self.c.any_phone_label.search(context)):
                continue  # the image sits in unrelated text: not a number
            item = {"url": page.url, "selector": img.selector, "src": img.src,
                    "text": squash(context or "") or squash(alt) or img.src}
            if item not in self.unreadable:
                self.unreadable.append(item)

    def _image_phone_like(self, img: PageImage) -> bool:
        if self.c.image_words is None:
            return False
        src = img.src
        name = urlsplit(src).path.rsplit("/", 1)[-1] if not src.startswith("data:") else ""
        hay = " ".join([name, img.classes, img.id, img.title or "", img.alt or ""])
        hay = re.sub(r"[_\-.]", " ", hay)
        return bool(self.c.image_words.search(hay))
