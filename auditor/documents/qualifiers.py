"""Which document of its kind a request names: its qualifier ("du conseil
municipal", "RIB professionnel", "CV du co-encadrant") and its object, the
words after "approuvant", "fixant", "relative à".

Two deliberations or two medical certificates are the same document only
when what qualifies them agrees; the comparison (``repetition``) weighs
these words on their own, so they are read apart from the label's analysis.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .reading import _ASIDE, _CLAUSE_WORDS, _ORDINAL, _TIME_WORDS
from .text import normalise

_RELATIVE = re.compile(r"(?i)\s(?:qui|que|qu['’]|dont|où|lequel|laquelle|lesquels|lesquelles|auquel|auxquels)\b")


class QualifiersMixin:
    """Qualifiers and objects for :class:`~auditor.documents.taxonomy.Taxonomy`.

    Reads the taxonomy's ``reference_words``, ``item_words``, ``plain_words``,
    ``verbs`` and ``continuations``; calls ``tokens`` and ``hits``.
    """

    @lru_cache(maxsize=100_000)
    def _post_qualifier(self, body: str) -> frozenset[str]:
        """Which instance of any document a label asks for, read where French puts it:
        after the document's name ("RIB professionnel" / "RIB personnel", "CV de
        l'encadrant" / "CV du co-encadrant") and in a prefix cut off by a colon or a
        dash ("Psychologues : rapport d'activité").  The words before the name
        ("Plan de financement avec copie des accords") describe the slot, not which copy."""
        # a relative clause describes the document ("RIB du compte sur lequel l'aide sera versée"),
        # it does not say which one
        named = _RELATIVE.split(_ASIDE.sub(" ", body), maxsplit=1)[0]
        toks = self.tokens(named)
        docs = [h for h in self.hits(toks) if h.kind in ("doc", "variant")]
        if not docs:
            return frozenset()
        start = min(h.start for h in docs)
        first = min(docs, key=lambda h: (h.start, -h.length))
        # up to the next document named ("Statuts … et procès-verbal de modification": the words after the
        # second name are its own) or a clause ("s'il y a lieu")
        own = first.parent or first.target
        nxt = min((h.start for h in docs if h.start >= first.end and (h.parent or h.target) != own),
                  default=len(toks))
        for j in range(first.end, nxt):
            if toks[j] in _CLAUSE_WORDS or toks[j] in ("il", "ils"):
                nxt = j
                break
        words = self._qualifier("", start, toks[:nxt])
        m = re.match(r"\s*([^:–—]{2,60}?)\s*(?::|\s[-–—]\s)", body)
        if m and not [h for h in self.hits(self.tokens(m.group(1))) if h.kind in ("doc", "variant")]:
            words |= self._qualifier(m.group(1))
        return words

    def _object(self, body: str) -> frozenset[str]:
        """The words after the first reference word of a label ("Délibération … fixant les attributions de
        compensation", "Attestation sur l'honneur relative au permis de conduire"): what the document is about,
        documents named there included.  Empty when no reference word says it."""
        words = normalise(body).split()
        j = next((k for k, w in enumerate(words) if w in self.reference_words), None)
        if j is None:
            return frozenset()
        return frozenset(t for t in self.tokens(" ".join(words[j + 1:]))
                         if not t.isdigit() and len(t) > 2 and t not in self.plain_words and t not in _TIME_WORDS
                         and t not in self.item_words)

    def _qualifier(self, body: str, start: int = 0, toks: list[str] | None = None) -> frozenset[str]:
        """The words of a request that say *which* document of its kind it is:
        what is left once the document's own name, people, generic and plain
        words, numbers and periods are set aside ("du conseil municipal",
        "approuvant le plan de financement", "d'aptitude à la reprise").  Two
        deliberations or two medical certificates are the same document only
        if one's qualifier holds the other's.  ``toks``: the body already tokenised."""
        if toks is None:
            toks = self.tokens(body)
        covered = [False] * len(toks)
        for h in self.hits(toks):
            if h.kind in ("doc", "variant", "subject", "generic", "exclude"):
                for k in range(h.start, h.end):
                    covered[k] = True
        # "co-porteur", "co-encadrant": another person than the "porteur", the "encadrant"
        merged: list[str] = []
        merged_covered: list[bool] = []
        k = 0
        while k < len(toks):
            if toks[k] == "co" and k + 1 < len(toks) and not covered[k + 1]:
                merged.append(f"co-{toks[k + 1]}")
                merged_covered.append(False)
                k += 2
                continue
            merged.append(toks[k])
            merged_covered.append(covered[k])
            k += 1
        start -= sum(1 for j in range(min(start, len(toks))) if toks[j] == "co")
        toks, covered = merged, merged_covered
        return frozenset(
            t for k, t in enumerate(toks)
            if k >= start and not covered[k] and not t.isdigit() and len(t) > 2 and t not in self.item_words
            and t not in _ORDINAL and t not in _TIME_WORDS and t not in self.plain_words
            and t not in self.verbs and t not in self.continuations
        )
