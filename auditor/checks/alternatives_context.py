"""Where a number or a mention sits on a page, for the alternatives check.

Contact pages group what they say under channel headings — « Par téléphone »,
« Par télécopie », « Sur place », « Par courrier » — and put the number, its
tariff and its hours on the lines below, often with no « Tél. » beside the
number.  Reading a number without its heading is how a short number under
« Par téléphone » was dropped and a fax number under « Par télécopie » kept;
this module tells, for every line, which channel heading it sits under.

It also says who a line is for (callers abroad, overseas, deaf…) and whether
a passage quotes someone else's service (an accessibility statement's
recourse section), from patterns passed in by the check: pure functions of
the text, the page's headings and the rules.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class Line:
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


@dataclass(frozen=True)
class Section:
    """A channel heading and the lines it governs."""

    kinds: frozenset[str]  # phone, fax, sms, in_person, postal, online
    heading: str
    line: int  # index of the heading line
    last: int  # index of the last line it governs


def heading_kinds(line: str, patterns: dict[str, re.Pattern[str]], max_chars: int) -> frozenset[str]:
    """The channels a line announces when it is a heading: short, no digit
    (« Téléphone : 01 … » is a labelled number, not a heading), and matching
    one of the heading patterns."""
    text = squash(line)
    if not text or len(text) > max_chars or _DIGIT.search(text):
        return frozenset()
    return frozenset(kind for kind, rx in patterns.items() if rx.search(text))


class PageLines:
    """A page's text cut into lines, with the section each line is in.

    A section runs from its heading to the next channel heading, the next
    page heading (a ``<h1>``–``<h6>`` recorded by the browser) or
    ``max_lines`` non-empty lines, whichever comes first.
    """

    def __init__(self, text: str, headings: Iterable[str], patterns: dict[str, re.Pattern[str]],
                 max_chars: int, max_lines: int, field_labels: Iterable[str] = ()):
        self.text = text
        self.lines = split_lines(text)
        self.starts = [ln.start for ln in self.lines]
        self.is_heading = _align_headings(self.lines, headings)
        # a form's « Téléphone » label asks for the user's number: no heading
        fields = {squash(f).casefold() for f in field_labels if f.strip()}
        self.is_field = [bool(ln.text.strip()) and squash(ln.text).casefold() in fields for ln in self.lines]
        self.section: list[Section | None] = [None] * len(self.lines)
        self.sections: list[Section] = []
        current: tuple[frozenset[str], str, int] | None = None
        members: list[int] = []
        count = 0

        def close() -> None:
            if current is not None:
                sec = Section(current[0], current[1], current[2], members[-1] if members else current[2])
                self.sections.append(sec)
                for j in members:
                    self.section[j] = sec

        for i, ln in enumerate(self.lines):
            if not ln.text.strip():
                continue
            kinds = frozenset() if self.is_field[i] else heading_kinds(ln.text, patterns, max_chars)
            if kinds or self.is_heading[i] or (current is not None and count >= max_lines):
                close()
                current, members, count = None, [], 0
                if kinds:
                    current = (kinds, squash(ln.text), i)
                continue
            if current is not None:
                members.append(i)
                count += 1
        close()
        self._by_heading = {sec.line: sec for sec in self.sections}

    def index(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def section_at(self, pos: int) -> Section | None:
        return self.section[self.index(pos)]

    def heading_at(self, i: int) -> Section | None:
        """The section whose heading is line ``i``."""
        return self._by_heading.get(i)

    def previous(self, pos: int) -> tuple[str, bool] | None:
        """The nearest non-empty line above the one holding ``pos``, and
        whether it is a page heading."""
        i = self.index(pos) - 1
        while i >= 0 and not self.lines[i].text.strip():
            i -= 1
        return (self.lines[i].text, self.is_heading[i]) if i >= 0 else None

    def before(self, pos: int, count: int) -> list[str]:
        """Up to ``count`` non-empty lines above the one holding ``pos``,
        nearest first, stopping after the first page heading met."""
        out: list[str] = []
        i = self.index(pos) - 1
        while i >= 0 and len(out) < count:
            ln = self.lines[i]
            if ln.text.strip():
                out.append(ln.text)
                if self.is_heading[i]:
                    break
            i -= 1
        return out


def _align_headings(lines: list[Line], headings: Iterable[str], lookahead: int = 3) -> list[bool]:
    """Which lines are the page's headings, matched in document order: a
    paragraph that repeats a heading's words (« 116 117 » under the heading
    « 116 117 ») is not taken for it.  A heading missing from the text
    (hidden) is skipped, looking up to ``lookahead`` headings ahead."""
    wanted = [squash(h).casefold() for h in headings if h.strip()]
    out = [False] * len(lines)
    k = 0
    for i, ln in enumerate(lines):
        text = squash(ln.text).casefold()
        if not text:
            continue
        for j in range(k, min(k + lookahead + 1, len(wanted))):
            if wanted[j] == text:
                out[i], k = True, j + 1
                break
    return out


def labels_in(text: str, patterns: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    """The labels of the patterns found in ``text``, in the rules' order."""
    return [label for label, rx in patterns if rx.search(text)]
