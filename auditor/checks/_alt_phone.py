"""Phone numbers in text: which number-like spans are the démarche's phone lines, and their tariff.

A SIRET, a date or a fax reported as the démarche's phone line is a false
alarm in a published scorecard: each candidate is kept only when nothing
around it (its label, its channel heading, its neighbours) says it is
something else, and the reason of every rejection is recorded.  The tariff
comes from the numbering plan, raised only by a price written beside the
number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType, shortnumberinfo

from ..model import PageCapture
from ._alt_collect import Evidence, PhoneLine, _CollectorBase
from ._alt_rules import TARIFF_ORDER, Tariff
from .alternatives_context import PageLines, Section, squash


@dataclass
class _Candidate:
    start: int
    end: int
    raw: str
    number: phonenumbers.PhoneNumber | None  # None for short numbers
    short: str | None = None
    special: bool = False  # a known short number outside the 3BPQ range (15, 112, 116 006…)


@dataclass
class _Decision:
    keep: bool
    reason: str = ""  # why it was ignored (French)
    label: str = ""  # "phone" | exclusion label | ""


_TYPE_FR = {
    PhoneNumberType.FIXED_LINE: "fixe",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixe ou mobile",
    PhoneNumberType.TOLL_FREE: "numéro gratuit",
    PhoneNumberType.PREMIUM_RATE: "numéro surtaxé",
    PhoneNumberType.SHARED_COST: "numéro à coût partagé",
    PhoneNumberType.VOIP: "non géographique",
    PhoneNumberType.UAN: "numéro unique",
}

_HEADS_LINE = re.compile(r"[\s\-–•·:(]*(?:ou\s+)?(?:le\s+|au\s+)?", re.IGNORECASE)  # before a number heading its line
_ALTERNATIVE = re.compile(r"\s*(?:\(\s*)?(?:ou|/|,|et)\s*(?:\(\s*)?(?:(?:au|le)\s+)?", re.IGNORECASE)
_NATIONAL_TEN = re.compile(r"(?<![\d+])0\d(?:[ .\-]?\d){8}(?!\d)")
_URL_NEIGHBOUR = set("/=_@#&?\\")
_URL_TOKEN = re.compile(r"://|^www\.|@|=|\.(?:pdf|html?|php|aspx?|docx?|odt|xlsx?|png|jpe?g)\b|^/|/$|/\w+/")


class _PhoneNumbers(_CollectorBase):
    """Finds number-like spans, decides which are phone lines, and records them with their tariff."""

    def _candidates(self, text: str, dates_out: list[_Candidate] | None = None) -> list[_Candidate]:
        """Number-like spans of ``text``: phonenumbers' matches (region FR, then
        the overseas regions), 4-digit short numbers and the known short
        numbers of other lengths; those inside a date go to ``dates_out``."""
        region = self.r.phone.region
        cands: list[_Candidate] = []
        for m in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            cands.append(_Candidate(m.start, m.end, m.raw_string, m.number))
        if self.r.phone.also_regions:
            # « 0694 38 54 45 » is a number of French Guiana, not of metropolitan
            # France: ten-digit national numbers left over are tried in each region
            for m in _NATIONAL_TEN.finditer(text):
                if any(c.start < m.end() and m.start() < c.end for c in cands):
                    continue
                for other in self.r.phone.also_regions:
                    try:
                        num = phonenumbers.parse(m.group(0), other)
                    except phonenumbers.NumberParseException:
                        continue
                    if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == other:
                        cands.append(_Candidate(m.start(), m.end(), m.group(0), num))
                        break
        dates = [m.span() for rx in self.c.dates for m in rx.finditer(text)]
        if dates:
            kept = []
            for c in cands:
                if any(a < c.end and c.start < b for a, b in dates):
                    if dates_out is not None:
                        dates_out.append(c)
                else:
                    kept.append(c)
            cands = kept
        shorts = [(m, False) for m in self.c.short_number.finditer(text)]
        if self.c.special_short is not None:
            shorts += [(m, True) for m in self.c.special_short.finditer(text)]
        for m, special in shorts:
            if any(c.start < m.end() and m.start() < c.end for c in cands):
                continue
            digits = re.sub(r"\D", "", m.group(0))
            cands.append(_Candidate(m.start(), m.end(), m.group(0), None, short=digits, special=special))
        cands.sort(key=lambda c: c.start)
        return cands

    def _nearest_label(self, window: str) -> tuple[str, str, int] | None:
        """The label closest to the end of ``window``: ("phone", "", end) or
        ("exclude", reason, end).  Ties go to the longest match, so « Tél./Fax »
        beats « Fax »."""
        best: tuple[int, int, str, str] | None = None
        for rx in self.c.phone_labels:
            for m in rx.finditer(window):
                key = (m.end(), m.end() - m.start(), "phone", "")
                best = key if best is None or key[:2] > best[:2] else best
        for reason, rx in self.c.phone_excludes:
            for m in rx.finditer(window):
                key = (m.end(), m.end() - m.start(), "exclude", reason)
                best = key if best is None or key[:2] > best[:2] else best
        return (best[2], best[3], best[0]) if best else None

    @staticmethod
    def _section_label(section: Section | None) -> tuple[str, str, int] | None:
        """What a channel heading above a bare number says it is."""
        if section is None or "phone" in section.kinds:
            return ("phone", "", 0) if section is not None else None
        if "fax" in section.kinds:
            return ("exclude", "numéro de fax (rubrique « " + section.heading + " »)", 0)
        if "sms" in section.kinds:
            return ("exclude", "numéro pour SMS (rubrique « " + section.heading + " »)", 0)
        return None

    def _decide(self, text: str, cand: _Candidate, prev: _Candidate | None, prev_dec: _Decision | None,
                force_label: bool = False, ctx: PageLines | None = None) -> tuple[_Decision, int]:
        """Keep or ignore a candidate; returns the decision and where its label window starts."""
        line_start = text.rfind("\n", 0, cand.start) + 1
        win_start = max(line_start, cand.start - self.r.phone.label_window, prev.end if prev else 0)
        window = text[win_start : cand.start]
        before_char = text[cand.start - 1] if cand.start > 0 else " "
        after_char = text[cand.end] if cand.end < len(text) else " "
        tok_start = max(text.rfind(" ", 0, cand.start), text.rfind("\n", 0, cand.start)) + 1
        tok_end = min([i for i in (text.find(" ", cand.end), text.find("\n", cand.end)) if i != -1] or [len(text)])
        token = text[tok_start:tok_end].lower()
        if (after_char.isalnum() or before_char.isalnum() or before_char in _URL_NEIGHBOUR - {"/"}
                or after_char in _URL_NEIGHBOUR - {"/"} or _URL_TOKEN.search(token)):
            return _Decision(False, "fait partie d'une adresse web ou d'un identifiant"), win_start
        for reason, rx in self.c.phone_exclude_after:
            if rx.search(text[cand.end : cand.end + 12]):
                return _Decision(False, reason), win_start
        label = self._nearest_label(window)
        if label is None and prev is not None and prev_dec is not None and prev_dec.label and prev.end >= line_start:
            # « Fax : 01 … / 01 … » : a number right after another one shares its label
            if re.fullmatch(r"[\s/,;:(-]*(?:ou|et)?[\s/,;:(-]*", window, re.IGNORECASE):
                label = ("phone", "", 0) if prev_dec.label == "phone" else ("exclude", prev_dec.label, 0)
        section = ctx.section_at(cand.start) if ctx is not None else None
        heads_line = bool(_HEADS_LINE.fullmatch(text[line_start : cand.start]))
        if label is None and section is not None and "contact" in section.kinds and heads_line:
            # « Nous contacter » over « 36 46 » alone on its line: a contact block's number
            section = Section(section.kinds | {"phone"}, section.heading, section.line, section.last)
        from_section = label is None and self._section_label(section) is not None
        if label is None:
            label = self._section_label(section)
        if from_section and label is not None and label[0] == "phone" and not heads_line and (
                cand.short is not None or re.fullmatch(r"\d+", cand.raw.strip())):
            # « supérieure à 3 500 kilogrammes » under a « Téléphone » heading: a
            # short or unspaced number counts there only at the head of its line
            label, from_section = None, False
        if label and label[0] == "exclude":
            return _Decision(False, label[1], label[1]), win_start
        labelled = force_label or (label is not None and label[0] == "phone")
        if cand.special:
            # « 17 », « 115 » are common numbers: read only right after « composez
            # le », « appelez le »…, or alone at the head of a line under « Par téléphone »
            tight = label is not None and not from_section and bool(
                re.fullmatch(r"[\s:]*(?:le|au|l')?[\s:]*", window[label[2]:], re.IGNORECASE))
            if not (force_label or tight or (from_section and heads_line)):
                return _Decision(False, "numéro court sans « composez le » ni rubrique « téléphone »"), win_start
            return _Decision(True, label="phone"), win_start
        if cand.short is not None:
            known = self.c.known_short.get(cand.short)
            if not labelled and known is not None and known.name:
                labelled = known.name.casefold() in window.casefold()
            if not labelled:
                # « 3646 (service gratuit + prix d'un appel) »: a tariff right after is a label too
                after = text[cand.end : cand.end + 60].split("\n")[0]
                labelled = any(rx is not None and rx.search(after) for rx in self.c.markers.values())
            if not labelled:
                return _Decision(False, "nombre à 4 chiffres sans mention de téléphone"), win_start
            num = phonenumbers.parse(cand.short, self.r.phone.region)
            if cand.short not in self.c.known_short and not shortnumberinfo.is_valid_short_number(num):
                return _Decision(False, "numéro court inconnu"), win_start
            return _Decision(True, label="phone"), win_start
        raw = cand.raw.strip()
        if not raw[:1] in ("0", "+", "("):
            return _Decision(False, "nombre sans indicatif ni 0 initial"), win_start
        if re.fullmatch(r"\d+", raw) and not labelled:
            return _Decision(False, "nombre sans séparateurs ni mention de téléphone"), win_start
        if cand.number is not None and self.c.placeholders is not None:
            national = "0" + str(cand.number.national_number)
            if self.c.placeholders.search(national):
                return _Decision(False, "numéro d'exemple"), win_start
        return _Decision(True, label="phone" if labelled else ""), win_start

    def _marker(self, text: str) -> tuple[Tariff, str] | None:
        """The tariff a text states, premium first (a price per minute beats « prix d'un appel »)."""
        for t in TARIFF_ORDER:
            rx = self.c.markers.get(t)
            m = rx.search(text) if rx else None
            if m:
                return t, squash(m.group(0))
        return None

    def _tariff(self, key_national: str, is_fr: bool, marker_text: str) -> tuple[Tariff, str | None, Tariff | None]:
        """Tariff from the number's prefix, unless a marker near it says
        otherwise; a premium-rate prefix stays premium."""
        prefix_tariff: Tariff | None = None
        if is_fr:
            for t in TARIFF_ORDER:
                if any(rx.search(key_national) for rx in self.c.prefixes.get(t, [])):
                    prefix_tariff = t
                    break
        found = self._marker(marker_text)
        marker_tariff, marker_txt = found if found else (None, None)
        if prefix_tariff is not None:
            # the numbering plan fixes the tariff (a 0806 is not free, whatever the
            # page says); only a price written next to the number can raise it
            if marker_tariff == "premium":
                return "premium", marker_txt, prefix_tariff
            return prefix_tariff, marker_txt if marker_tariff == prefix_tariff else None, prefix_tariff
        return marker_tariff or "standard", marker_txt, prefix_tariff

    def _line_for(self, cand: _Candidate) -> tuple[str, str, str, str, bool, str | None, Tariff | None]:
        """key, display, national, type, is_fr, name, default tariff"""
        if cand.short is not None:
            known = self.c.known_short.get(cand.short)
            d = cand.short
            nat = " ".join(d[i : i + 2] for i in range(0, len(d), 2)) if len(d) == 4 else (
                f"{d[:3]} {d[3:]}" if len(d) == 6 else d)
            return (d, d, nat, "numéro court", True, known.name if known else None,
                    known.tariff if known else self.r.phone.default_short_tariff)
        n = cand.number
        assert n is not None
        key = phonenumbers.format_number(n, PhoneNumberFormat.E164)
        display = phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL)
        national = phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL)
        ntype = _TYPE_FR.get(phonenumbers.number_type(n), "autre")
        is_fr = n.country_code == 33
        return key, display, national, ntype, is_fr, None, None

    def _record(self, page: PageCapture, cand: _Candidate, *, source: str, marker_text: str,
                hours: str | None, ev: Evidence, clickable: bool = False, audience: str | None = None,
                whose: tuple[str, str] | None = None) -> None:
        key, display, national, ntype, is_fr, name, short_tariff = self._line_for(cand)
        digits = "0" + str(cand.number.national_number) if cand.number is not None else cand.short or ""
        tariff, tariff_text, _ = self._tariff(digits, is_fr and cand.short is None, marker_text)
        if cand.short is not None:
            marker_tariff = self._tariff("", False, marker_text)
            tariff = marker_tariff[0] if marker_tariff[1] else (short_tariff or "standard")
            tariff_text = marker_tariff[1]
        bucket = self.others if whose else self.lines
        line = bucket.get(key)
        if line is None:
            line = bucket[key] = PhoneLine(key, display, national, ntype, tariff, tariff_text, name,
                                           audience=audience)
            if whose:
                line.whose, line.other_reason = whose
        else:
            if TARIFF_ORDER.index(tariff) < TARIFF_ORDER.index(line.tariff) and tariff_text:
                # a page that states a premium price is believed over one that does not
                line.tariff, line.tariff_text = tariff, tariff_text
            elif line.tariff_text is None and tariff_text:
                line.tariff_text = tariff_text
            if audience is None:
                line.audience = None  # offered to everyone somewhere: a main line
        if hours and not line.hours:
            line.hours = hours
        line.clickable = line.clickable or clickable
        if source not in line.sources:
            line.sources.append(source)
        if page.url not in line.pages:
            line.pages.append(page.url)
        self._add_evidence(line.evidence, ev)
