"""The compiled taxonomy: :class:`Taxonomy` and :func:`taxonomy_from`.

``Taxonomy`` keeps what every part of the engine needs: the rules compiled
into word sets and a pattern index, ``tokens`` and ``hits``, and the lookups
of typed fields and sources.  How it reads a text is split by concern into
mixins, each in its module: conditions (``conditions``), the analysis of one
text (``reading``), which document of its kind (``qualifiers``), years
(``periods``) and the classification of a whole request (``classify``).
It is compiled once per rules object (``_CACHE``): every page of a scan and
every procedure of the catalogue share it, and its caches.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from .classify import ClassifyMixin
from .conditions import ConditionsMixin
from .periods import PeriodsMixin
from .qualifiers import QualifiersMixin
from .reading import ReadingMixin
from .schema import JustificatifsRules, TypedField
from .text import Hit, _match_at, _Pattern, normalise, stem

if TYPE_CHECKING:
    from ..config import Rules


class Taxonomy(ConditionsMixin, ReadingMixin, QualifiersMixin, PeriodsMixin, ClassifyMixin):
    """Compiled ``rules/justificatifs.yaml``: normalise, match, classify."""

    def __init__(self, model: JustificatifsRules):
        self.model = model
        self.stopwords = {t for w in model.stopwords for t in normalise(w).split()}
        self.abbreviations = {normalise(k): normalise(v).split() for k, v in model.abbreviations.items()}
        self.verbs = {normalise(v) for v in model.request_verbs}
        self.conditions = sorted({tuple(normalise(c).split()) for c in model.conditions if normalise(c)},
                                 key=len, reverse=True)
        self.upload_instructions = [tuple(normalise(w).split()) for w in model.upload_instructions if normalise(w)]
        self.existence_conditions = {normalise(w) for w in model.existence_conditions if normalise(w)}
        self.project_parts = [{stem(t) for w in group for t in normalise(w).split()} for group in model.project_parts]
        self.item_words = {normalise(w) for w in model.items}
        self.continuations = {normalise(w) for w in model.continuations}
        self.translations = {normalise(w) for w in model.translations}
        self.reference_words = {normalise(w) for w in model.reference_words}
        self.plain_words = {t for w in model.plain_words for t in self.tokens(w)}
        self.other_instance = [normalise(w) for w in model.other_instance]
        self.qualified = {d.id for d in model.documents if d.qualified}
        self.documents = {d.id: d for d in model.documents}
        self.variant_parent: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for d in model.documents:
            self.labels[d.id] = d.label
            for v in d.variants:
                self.variant_parent[v.id] = d.id
                self.labels[v.id] = v.label
        self.standalone = {v.id: v.standalone for d in model.documents for v in d.variants}
        self.variant_author = {v.id: v.author for d in model.documents for v in d.variants if v.author}
        self.exclusive_groups = [{" ".join(self.tokens(w)) for w in g if self.tokens(w)}
                                 for g in model.exclusive_conditions]
        self.source_users = {d.id: [" ".join(self.tokens(u)) for u in d.source.users]
                             for d in model.documents if d.source is not None}
        self.source_not_when = {d.id: [" ".join(self.tokens(u)) for u in d.source.not_when]
                                for d in model.documents if d.source is not None}
        self.subject_labels = {s.id: s.label for s in model.subjects.entries}
        self.default_subject = model.subjects.default
        self._index: dict[str, list[_Pattern]] = {}
        self._prefix_first: list[_Pattern] = []
        for d in model.documents:
            for p in d.synonyms:
                self._add(p, "doc", d.id)
            for p in d.exclude:
                self._add(p, "exclude", d.id)
            for v in d.variants:
                for p in v.synonyms:
                    self._add(p, "variant", v.id, d.id)
        for p in model.generic:
            self._add(p, "generic", "")
        for p in model.other_heads:
            self._add(p, "head", "")
        self.negations = {t for w in model.negations for t in self.tokens(w)}
        self.variant_specifiers = {t for w in model.variant_specifiers for t in self.tokens(w)}
        # the words that tell one document from the others (in the synonyms of at most two documents)
        vocab: dict[str, set[str]] = {}
        for d in model.documents:
            words = {t for p in d.synonyms + [x for v in d.variants for x in v.synonyms]
                     for t in self.tokens(p.replace("*", " "))}
            vocab[d.id] = words
        freq: dict[str, int] = {}
        for words in vocab.values():
            for t in words:
                freq[t] = freq.get(t, 0) + 1
        self.doc_vocab = {d: frozenset(t for t in words if freq[t] <= 2 and len(t) > 2) for d, words in vocab.items()}
        for s in model.subjects.entries:
            for p in s.patterns:
                self._add(p, "subject", s.id)
            for p in s.exclude:
                self._add(p, "subject_exclude", s.id)
        self.typed_labels: list[tuple[TypedField, set[str]]] = [
            (t, {" ".join(self.tokens(lbl)) for lbl in t.labels}) for t in model.typed_fields
        ]
        self._analyse = lru_cache(maxsize=200_000)(self._analyse_uncached)

    @cached_property
    def condition_words(self) -> frozenset[str]:
        """The words conditions open with (« si », « en cas de », « pour les »…), as tokens: what a condition
        says beyond them is its case."""
        return frozenset(t for c in self.conditions for t in self.tokens(" ".join(c)))

    # -- compilation --------------------------------------------------------------

    def _compile(self, pattern: str) -> tuple[tuple[str, str], ...]:
        elems: list[tuple[str, str]] = []
        for word in pattern.split():
            if word == "*":
                elems.append(("gap", ""))
                continue
            prefix = word.endswith("*") and len(word) > 1
            toks = self.tokens(word.rstrip("*"))
            for j, t in enumerate(toks):
                if prefix and j == len(toks) - 1:
                    elems.append(("pre", normalise(word.rstrip("*")).split()[-1]))
                else:
                    elems.append(("tok", t))
        while elems and elems[0][0] == "gap":
            elems.pop(0)
        while elems and elems[-1][0] == "gap":
            elems.pop()
        return tuple(elems)

    def _add(self, pattern: str, kind: str, target: str, parent: str = "") -> None:
        elems = self._compile(pattern)
        if not elems:
            return
        pat = _Pattern(elems, kind, target, parent)
        first_kind, first = elems[0]
        if first_kind == "pre":
            self._prefix_first.append(pat)
        else:
            self._index.setdefault(first, []).append(pat)

    # -- tokens -------------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """The matching stream: normalised, abbreviations expanded, stop words
        dropped, plurals folded."""
        out: list[str] = []
        for t in normalise(text).split():
            expanded = self.abbreviations.get(t)
            for u in expanded if expanded else (t,):
                if u not in self.stopwords:
                    out.append(stem(u))
        return out

    def hits(self, toks: list[str]) -> list[Hit]:
        found: list[Hit] = []
        for i, t in enumerate(toks):
            cands = self._index.get(t, ())
            for pat in list(cands) + [p for p in self._prefix_first if t.startswith(p.elems[0][1])]:
                end = _match_at(pat.elems, toks, i)
                if end > i:
                    found.append(Hit(pat.kind, pat.target, pat.parent, i, end))
        return found

    @lru_cache(maxsize=100_000)
    def typed_field(self, label: str = "", champ_type: str = "") -> TypedField | None:
        """The typed field (IBAN, SIRET) a form control stands for, if any."""
        for t, labels in self.typed_labels:
            if champ_type and champ_type in t.champ_types:
                return t
            if label and " ".join(self.tokens(label)) in labels:
                return t
        return None

    def source_text(self, document: str) -> str | None:
        entry = self.documents.get(document)
        if entry is None or entry.source is None:
            return None
        return f"{entry.source.api} ({entry.source.administration})"


_CACHE: dict[int, Taxonomy] = {}


def taxonomy_from(rules: "Rules | JustificatifsRules | None") -> Taxonomy:
    """The compiled taxonomy of loaded rules (compiled once per rules object)."""
    model: Any = rules
    if rules is not None and not isinstance(rules, JustificatifsRules):
        model = rules.get("justificatifs")
    if model is None:
        raise LookupError("rules/justificatifs.yaml manquant : la taxonomie des pièces est introuvable.")
    key = id(model)
    tax = _CACHE.get(key)
    if tax is None or tax.model is not model:
        tax = Taxonomy(model)
        _CACHE[key] = tax
    return tax
