"""Conditions: the condition a request is made under, and when two cannot hold together.

A request made under a condition ("Si vous êtes hébergé : …") is not a
repetition of one made under the opposite condition ("sinon…", another
option of one choice, another member of an ``exclusive_conditions`` group,
"groupe A" / "groupes B et C", "moins de 1000 habitants" / "1000 habitants
et plus"): the user meets one or the other, never both.
:class:`ConditionsMixin` reads a label's condition for
:class:`~auditor.documents.taxonomy.Taxonomy`; :func:`exclusive` and the
helpers after it compare two requests' conditions for ``repetition``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .model import Classification
from .text import normalise, stem

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

_ANNOUNCES = re.compile(r"\bsuivante?s?$|\bci dessous$")
_OUTLINE = re.compile(r"^\s*(?:(?:\d{1,2}|[A-Ha-h]|[IVX]{1,4})[.)]\s*)+")
_SPLIT_RAW = re.compile(r"\s*[:;,–—]\s*|\s+-\s+")


class ConditionsMixin:
    """Condition reading for :class:`~auditor.documents.taxonomy.Taxonomy`, apart so that
    what opens a condition is decided in one place.

    Reads the taxonomy's ``conditions``, ``upload_instructions``, ``verbs`` and ``exclusive_groups``;
    calls its ``tokens`` and ``hits``.
    """

    def _split_condition(self, text: str) -> tuple[str | None, str]:
        """``("si vous êtes hébergé", "la pièce d'identité de l'hébergeant")`` for
        a conditional label; ``(None, text)`` otherwise."""
        norm = normalise(text)
        words = norm.split()
        cond_len = 0
        for c in self.conditions:
            if tuple(words[: len(c)]) == c:
                cond_len = len(c)
                break
        if cond_len and self._upload_instruction(words):
            cond_len = 0
        # the document named after a request verb ("…, joindre X")
        for j, w in enumerate(words):
            if w in self.verbs and j + 1 < len(words):
                before = " ".join(words[:j]) or None
                return (before if cond_len else None), " ".join(words[j + 1:])
        if not cond_len:
            # "ASSOCIATIONS - Statuts", "Établissements publics : extrait des statuts": a heading naming
            # one member of an exclusive group is the request's condition
            parts = _SPLIT_RAW.split(text.strip(), maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                head_toks = self.tokens(parts[0])
                head = f" {' '.join(head_toks)} "
                named_doc = any(h.kind in ("doc", "variant") for h in self.hits(head_toks))
                if head_toks and len(head_toks) <= 6 and not named_doc \
                        and any(f" {w} " in head for g in self.exclusive_groups for w in g):
                    return normalise(parts[0]), parts[1]
        if cond_len:
            parts = _SPLIT_RAW.split(text.strip(), maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                if _ANNOUNCES.search(normalise(parts[0])):
                    # « Pièce obligatoire pour la situation et la condition suivantes : … Condition : couple marié »:
                    # what follows the colon is the condition itself
                    return norm, text
                return normalise(parts[0]), parts[1]
            return norm, text
        return None, text

    @lru_cache(maxsize=100_000)
    def _starts_with_condition(self, text: str) -> bool:
        # "5.B. Pour les organismes publics", "II) Si…": the outline mark first (normalising would glue "5.B." into "5b")
        words = normalise(_OUTLINE.sub("", text[:80], count=1)).split()
        while words and (words[0].isdigit() or (len(words[0]) == 1 and words[0] in "abcdefghij")):
            words = words[1:]  # "3.2. Pour les associations", "a) Si vous êtes…"
        return any(tuple(words[: len(c)]) == c for c in self.conditions) and not self._upload_instruction(words)

    def _upload_instruction(self, words: list[str]) -> bool:
        """Whether a sentence opening with « si » speaks of the files themselves (``upload_instructions``:
        « Si plusieurs documents à insérer, cliquez sur… », « Si vous souhaitez joindre plusieurs documents,
        rassemblez-les en un seul »): how to upload, said to everyone, not the case a piece is asked in."""
        if not words or words[0] != "si":
            return False
        head = words[1:9]
        return any(tuple(head[k:k + len(p)]) == p for p in self.upload_instructions for k in range(len(head)))

    def is_condition(self, text: str) -> bool:
        """Whether a text (a section header, an explanation) opens a condition:
        "Si vous êtes locataire", "Sinon, si vous êtes hébergé"."""
        return self._starts_with_condition(text)


def exclusive(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """Whether two requests sit under conditions that cannot hold together:
    two options of one choice (a dropdown, "avance / acompte / solde"), "si…"
    and "sinon…", or two members of one group of ``exclusive_conditions``
    ("couple marié" / "couple pacsé", "association" / "société")."""
    if a.branch and b.branch and a.branch[0] == b.branch[0] and a.branch[1] != b.branch[1]:
        return True
    if a.alternative and b.alternative and a.alternative[0] == b.alternative[0] \
            and a.alternative[1] != b.alternative[1]:
        return True  # "Avis d'imposition" then "ou copie des quittances…": one or the other
    if _exclusive_conditions(a.condition or "", b.condition or "", tax):
        return True
    # a help that says for whom beside a label that says when (``Classification.hint_condition``): both hold
    if (a.hint_condition or b.hint_condition) and any(
            _exclusive_conditions(x, y, tax) for x in (a.condition, a.hint_condition) for y in (b.condition, b.hint_condition)
            if x and y):
        return True
    # the sections' own conditions ("Je suis allocataire CAF" / "Je ne suis pas allocataire CAF"),
    # even when a request adds its own ("le cas échéant")
    return _exclusive_conditions(a.scope_condition or "", b.scope_condition or "", tax)


_NEGATIONS = {"ne", "n", "pas", "non", "aucun", "aucune", "jamais"}


def _exclusive_conditions(ca: str, cb: str, tax: "Taxonomy") -> bool:
    if not ca or not cb or ca == cb:
        return False
    for one, other in ((ca, cb), (cb, ca)):
        if other.startswith(("sinon", "a defaut")) and not one.startswith(("sinon", "a defaut")):
            return True
    ta, tb = f" {' '.join(tax.tokens(ca))} ", f" {' '.join(tax.tokens(cb))} "
    wa, wb = set(ta.split()), set(tb.split())
    if (wa - _NEGATIONS) == (wb - _NEGATIONS) and bool(wa & _NEGATIONS) != bool(wb & _NEGATIONS):
        return True  # "je suis allocataire" / "je ne suis pas allocataire"
    for group in tax.exclusive_groups:
        ma = {w for w in group if f" {w} " in ta}
        mb = {w for w in group if f" {w} " in tb}
        if ma and mb and not ma & mb:
            return True
    return False


_MARKS = re.compile(r"(?i:\b(groupe|cat[ée]gorie|classe|niveau|cycle|zone|lot|tranche|section|option|volet)s?)\s+"
                    r"((?:[A-Z]|\d{1,2})\b(?:\s*(?:,|et|ou|/|&)\s*(?:[A-Z]|\d{1,2})\b)*)")
# « Pour la salle n°1 », « site n° 2 »: an item numbered in its list (a form number, « cerfa n°13750 », is longer)
_NUMBERED = re.compile(r"(?i)\b([a-zà-ÿ]{3,})\s+n\s*[°º]\s*(\d{1,2})(?!\d)")
_BELOW = re.compile(r"(?:moins de|-\s*de|inf[ée]rieure? (?:à|a)|jusqu'(?:à|a))\s*(\d[\d\s.]*\d|\d)")
_ABOVE = re.compile(r"(\d[\d\s.]*\d|\d)\s*(?:\w+\s+)?(?:et plus|ou plus)|(?:plus de|au moins|sup[ée]rieure? (?:à|a)|"
                    r"à partir de|a partir de)\s*(\d[\d\s.]*\d|\d)")


def _negated_case(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """``a`` is for those who are not X (« pour les non allocataires CAF »), ``b`` names X in its own label."""
    words = (a.condition or "").split()
    negated = {stem(w) for j, w in enumerate(words) if j and words[j - 1] == "non" for w in words[j:j + 2]}
    negated -= {"pour", "les", "des", "de", "du"}
    if not negated:
        return False
    label_b = b.text.split("\n", 1)[0]
    toks_b = set(tax.tokens(label_b))
    return bool(negated & toks_b) and "non" not in normalise(label_b).split()


def _marks(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in _MARKS.finditer(text or ""):
        noun = normalise(m.group(1)).rstrip("s")
        out.setdefault(noun, set()).update(re.findall(r"[A-Z]|\d{1,2}", m.group(2)))
    for m in _NUMBERED.finditer(text or ""):
        out.setdefault(normalise(m.group(1)).rstrip("s"), set()).add(m.group(2))
    return out


def _disjoint_marks(ta: str, tb: str) -> bool:
    """Two wordings naming the same kind of category with no letter or number in common (« Groupe A » /
    « groupes B et C », « catégorie 1 » / « catégorie 2 »), or two numbered items of one list (« Pour la salle
    n°1 » / « Pour la salle n°2 »)."""
    ma, mb = _marks(ta), _marks(tb)
    return any(ma[n] and mb[n] and not ma[n] & mb[n] for n in ma.keys() & mb.keys())


def _complementary_ranges(ta: str, tb: str) -> bool:
    """« moins de 1000 habitants » in one wording, « 1000 habitants et plus » in the other."""
    def nums(rx: re.Pattern[str], t: str) -> set[str]:
        return {re.sub(r"[\s.]", "", g) for m in rx.finditer((t or "").lower()) for g in m.groups() if g}
    la, lb = nums(_BELOW, ta), nums(_BELOW, tb)
    ga, gb = nums(_ABOVE, ta), nums(_ABOVE, tb)
    return bool((la & gb) - lb - ga) or bool((lb & ga) - la - gb)
