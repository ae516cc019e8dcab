"""French text as the taxonomy reads it: normalisation, plural folding, pattern matching.

Both sides of every comparison, the synonyms of ``rules/justificatifs.yaml``
and a form's wording, go through the same :func:`normalise` and :func:`stem`,
so accents, case, apostrophes, "(s)" plural marks and dotted abbreviations
never decide a match.  A pattern is a sequence of tokens, prefixes ("justif*")
and short gaps ("*") matched on that token stream (:func:`_match_at`): no
synonym needs a regular expression, and auditors write them in plain French.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = "'’‘`´ʼʻ′"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_PLURAL_MARK = re.compile(r"\((?:e|s|es|x|e\)\(s|nt)\)", re.I)
_DOTTED = re.compile(r"\b((?:[a-z]\.){2,}[a-z]?)(?![a-z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_WORD_ANY = re.compile(r"[\W_]+")
_GLUED_NUMBER = re.compile(r"\b([a-z]{3,})(\d{1,2})\b")
_DOTTED_ANY = re.compile(r"(?<!\w)((?:\w\.){2,}\w?)(?!\w)")


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: accents, ligatures,
    apostrophes, punctuation and "(s)" plural marks removed; "C.N.I." → "cni".
    Digits are kept (years, "N-1" become "n 1")."""
    s = text.translate(_LIGATURES).lower()
    s = _PLURAL_MARK.sub("", s)
    s = _DOTTED_ANY.sub(lambda m: m.group(1).replace(".", ""), s)
    s = _NON_WORD_ANY.sub(" ", s)  # punctuation and apostrophes of any script → space
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = _NON_WORD.sub(" ", s).strip()
    # "Semestre5", "page2": a glued number is still a number (three letters at least, so "n1" stays)
    return _GLUED_NUMBER.sub(r"\1 \2", s)


def as_written(normalised: str, *texts: str) -> str:
    """The words of ``texts`` that ``normalised`` was read from, as their author wrote them (accents, capitals,
    apostrophes): « si vous etes heberge » → « Si vous êtes hébergé ».  A reason shown to a French reader quotes
    the form, not the engine's reading.  ``normalised`` itself when no text holds those words in a row."""
    want = normalise(normalised).split()
    if not want:
        return normalised
    for text in texts:
        words: list[tuple[str, int, int]] = []
        for m in re.finditer(r"[^\s'’()\[\],;:!?«»\"/]+", text or ""):
            for w in normalise(m.group(0)).split():
                words.append((w, m.start(), m.end()))
        for i in range(len(words) - len(want) + 1):
            if all(words[i + k][0] == w for k, w in enumerate(want)):
                return " ".join(text[words[i][1]:words[i + len(want) - 1][2]].split())
    return normalised


def stem(token: str) -> str:
    """Crude French singular: enough to make "justificatifs" equal
    "justificatif" and "bureaux" equal "bureau", applied to text and patterns alike."""
    if len(token) > 3 and not token.isdigit():
        if token.endswith("s") and not token.endswith("ss"):
            return token[:-1]
        if token.endswith(("aux", "eux", "eaux")):
            return token[:-1]
    return token


# ------------------------------------------------------------------------ patterns

_GAP = 3  # "*" in a pattern: up to this many arbitrary tokens


@dataclass(frozen=True)
class _Pattern:
    elems: tuple[tuple[str, str], ...]  # ("tok"|"pre"|"gap", value)
    kind: str  # doc | variant | exclude | generic | subject
    target: str  # document / variant / subject id
    parent: str = ""  # document id for variants


def _match_at(elems: tuple[tuple[str, str], ...], toks: list[str], i: int) -> int:
    """End index (exclusive) of ``elems`` matched from ``toks[i]``, or -1.
    Gaps are lazy: the shortest match wins."""
    if not elems:
        return i
    kind, val = elems[0]
    if kind == "gap":
        for skip in range(0, _GAP + 1):
            end = _match_at(elems[1:], toks, i + skip)
            if end >= 0:
                return end
        return -1
    if i >= len(toks):
        return -1
    t = toks[i]
    if (kind == "tok" and t == val) or (kind == "pre" and t.startswith(val)):
        return _match_at(elems[1:], toks, i + 1)
    return -1


@dataclass(frozen=True)
class Hit:
    kind: str
    target: str
    parent: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start
