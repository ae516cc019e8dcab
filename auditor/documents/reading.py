"""The analysis of one piece of text (a label, a help, a legend) into a
:class:`~auditor.documents.model.TextAnalysis`: which documents it asks for,
for whom, which item, side or page, under which condition.

One analysis per text, cached (``Taxonomy._analyse``), because the same
wording recurs across pages and procedures.  A label often mentions more
documents than it asks for: the rules on headings, clauses, negations and
coordination ("X ou Y", "X du Y") that decide which are asked live here.
"""

from __future__ import annotations

import re

from .model import TextAnalysis
from .text import Hit, normalise

# « … du représentant légal chez qui vit l'élève », « … du parent avec qui l'élève réside »: whose home it is
_LIVES_WITH = re.compile(r"\b(?:chez|avec) qui (?:(?:vit|vivent|reside|resident|habite|habitent) (.+)|(.+?) "
                         r"(?:vit|vivent|reside|resident|habite|habitent)\b)")
_EACH = re.compile(r"\b(?:chaque|chacun|chacune|chacuns|chacunes)\b")
_SECONDARY = re.compile(r"\b(?:lbis|l bis|etablissements? secondaires?)\b")
_BEFORE_LAST_ANY = re.compile(r"\bavant derni(?:er|ere)s?\b")
_NOT_CONTINUED_AFTER = {"la"}  # « à la suite », « par la suite »
_NOT_CONTINUED_BEFORE = {"a", "au", "aux", "de", "du", "des"}  # « suite à votre demande », « suite au décès »
_ORDINAL = {
    "1er": "1", "1ere": "1", "premier": "1", "premiere": "1", "2e": "2", "2eme": "2", "deuxieme": "2",
    "second": "2", "seconde": "2", "3e": "3", "3eme": "3", "troisieme": "3", "4e": "4", "4eme": "4",
    "quatrieme": "4", "5e": "5", "5eme": "5", "cinquieme": "5",
}
# a reference word ("approuvant") cuts a label only this close to its start: further on, it sits
# inside a list of documents ("- Rapport CAF - Document attestant du handicap - Bail…")
_REFERENCE_REACH = 12
_CLAUSE_WORDS = {"si", "lorsque", "lorsqu", "qui", "dont", "afin", "sauf"}
_CLAUSE_PAIRS = {("s", "il"), ("s", "ils"), ("en", "cas"), ("dans", "le"), ("a", "defaut")}
_TIME_WORDS = {"mois", "an", "ans", "annee", "annees", "jour", "jours", "dernier", "derniers", "derniere",
               "dernieres", "semaine", "semaines", "heure", "heures", "exemplaire", "exemplaires", "mo", "ko",
               "page", "pages", "premier", "premiers", "er", "ere", "fois"}
_AND_OR = re.compile(r"\bet ou\b")  # « et/ou », « et / ou » once normalised
_SEPARATORS = re.compile(r"[,/;+&()\[\]]|\s[-–—]\s|\n")
_COORDINATORS = {"ou", "et", "puis", "ainsi", "plus", "avec", "accompagne", "accompagnee", "sinon", "defaut"}
_PARENTHESES = re.compile(r"\(([^()]{2,200})\)")
_HEADING_DASH = re.compile(r"\s[-–—]\s")
# a list entry's number: at the label's start ("3) Statuts", "2 - Plan") or written with a leading zero
# ("Justificatif travaux 02 - …"); "Véhicule 2 - Assurance" numbers an item and is not one
_LIST_NUMBER = re.compile(r"(?:^\s*|\b0)(\d{1,2})\s*(?:\s[-–—]|:|\)|\.)\s")
# item words that add a slot to an entry (« … (document complémentaire) »), kept beside the entry's number
_EXTRA_ITEMS = frozenset({"autre", "supplementaire", "complementaire", "additionnel", "additionnelle"})
_NUMBERED = re.compile(r"\b(?:n|no|numero)\s*([1-9]\d?)\b")

# "Si la structure déposant la demande n'est pas la structure porteuse, fournir…": the piece of another
# body or person than the one the form is about
_NOT_THE_SAME = re.compile(r" si (?:\w+ ){0,12}?n (?:est|etes|es) pas (?:le|la|l|celui|celle|la meme|le meme) ")
_NOT_IN = re.compile(r"^s ils? ne (?:figure|figurent|sont|est|apparait|apparaissent) pas\b")
# what a label adds that does not say *which* document it is: an exception to when it is asked (« (à l'exception de
# l'achat de matériel) ») and what it must show (« Plan de situation de l'aménagement avec indication du n° de la voie »)
_EXCEPTION_PARENTHESIS = re.compile(r"(?i)\(\s*(?:[àa] l['’ ]?exception|sauf|hors|except[ée])[^()]*\)")
_WITH = re.compile(r"(?i)\savec\s.*$", re.S)


# a parenthesis that says where to get the piece (« (via le site CAF) »), what it must show (« (devant mentionner
# les actions financées) ») or gives examples (« (allocations familiales, MSA ou autres) »): not which piece it is
# (« devant » followed by a verb only: « (devant notaire) » says which deed)
_ASIDE = re.compile(r"\((?:\s*(?:via|depuis|sur le site|sur www|téléchargeable|à télécharger|qui doit|qui doivent|doit|"
                    r"doivent|devant\s+(?:\w+er|être|faire))\b[^()]*|[^()]*\b(?:ou autres?|etc)\b\.?\s*)\)",
                    re.IGNORECASE)


def _which_part(body: str) -> str:
    """The words of a label that can tell one document of its kind from another (its qualifier is read there):
    without a parenthesis that only excepts some cases, nor what follows « avec » (the content the document must
    show, or a piece to attach with it)."""
    return _WITH.sub("", _EXCEPTION_PARENTHESIS.sub(" ", body))


# words between « ou » and the document it introduces (« … ou copie du contrat de travail »)
_ALT_LEAD = frozenset({"copie", "copies", "photocopie", "de", "du", "des", "d", "la", "le", "les", "l", "un", "une",
                       "tout", "toute", "votre", "vos", "son", "sa", "ses", "leur", "leurs"})
# persons named by a word that is also an adjective: « le bilan d'activités correspondant » names nobody, « pièce
# d'identité du correspondant » does
_NEEDS_ARTICLE = frozenset({"correspondant"})
_PERSON_ARTICLE = re.compile(r"\b(?:le|la|du|au|aux|les|des|de|l|un|une|votre|vos|son|sa|ses|leur|leurs|notre)"
                             r" correspondante?s?\b")
_OR_OTHERS = re.compile(r"\b(?:ou|et|ni)(?: (?:tout|toute|tous|toutes|les|des|d))? autres?\b(?! (?:piece|document|justificatif))")
_PAST = re.compile(r"\b(?:etiez|aviez|etait|avait|etaient|avaient)\b")
_OTHER_PLACE = re.compile(r"\b(?:un|une|d un|d une|l|dans un|dans une) autres? (?:etat|etats|pays|departement|region|commune|"
                          r"academie|ville)\b")
_TRAILING_IF = re.compile(r"\s(?:si|uniquement si|seulement si|lorsque|en cas de|en cas d)\s.+$")


class ReadingMixin:
    """The analysis of one text for :class:`~auditor.documents.taxonomy.Taxonomy`.

    Reads the taxonomy's word sets (``abbreviations``, ``stopwords``,
    ``reference_words``, ``item_words``, ``negations``, ``doc_vocab``,
    ``plain_words``, ``verbs``, ``other_instance``, ``translations``,
    ``continuations``) and its ``_analyse`` cache; calls ``tokens``,
    ``hits``, the conditions' ``_split_condition`` and
    ``_starts_with_condition``, ``_qualifier``, ``_object`` and ``periods``.
    """

    # -- analysis of one text -----------------------------------------------------

    def analyse(self, text: str) -> TextAnalysis:
        return self._analyse(text or "")

    def _heading_dropped(self, body: str) -> str:
        """A label made of a document's bare name, a spaced dash, then another
        document ("Statuts - Publication au JO") is a heading and the request
        under it: the form files the publication under « Statuts », it does not
        ask for the articles again.  Only when the part before the dash is
        nothing but one document's name (at most three words) and the part
        after names another one; "Pièce d'identité - Recto" or a long sentence
        cut by a dash keep their whole wording."""
        parts = _HEADING_DASH.split(body.strip())
        if len(parts) != 2 or not parts[1].strip():
            return body
        head_toks = self.tokens(parts[0])
        if not head_toks or len(head_toks) > 3:
            return body
        docs = [h for h in self.hits(head_toks) if h.kind in ("doc", "variant")]
        if not any(h.start == 0 and h.end == len(head_toks) for h in docs):
            return body
        heading = {h.parent or h.target for h in docs}
        after = [h.parent or h.target for h in self.hits(self.tokens(parts[1])) if h.kind in ("doc", "variant")]
        if not after or heading & set(after):
            return body
        return parts[1]

    def _head(self, body: str) -> str:
        """The part of a label that names the request: "Justificatif du nom
        d'exercice s'il ne correspond pas à la pièce d'identité" requests the
        former, not the identity document.  The words after a clause marker
        count only when the words before it name nothing specific."""
        words = normalise(body).split()
        for j in range(1, len(words)):
            w = words[j]
            two = (w, words[j + 1]) if j + 1 < len(words) else (w, "")
            clause = w in _CLAUSE_WORDS or two in _CLAUSE_PAIRS
            # « Bulletins de salaire correspondant aux contrats de travail fournis »: the contracts say which
            # payslips, they are not asked (« … du correspondant » is a person, read as one)
            refers = w in self.reference_words or (w.startswith("correspondant") and two[1] in ("au", "aux", "a"))
            if w == "portant" and "mention" in words[j + 1:j + 3]:
                refers = False  # « Carte de séjour portant la mention … » says which card: read on
            if clause or (refers and j <= _REFERENCE_REACH):
                head = " ".join(words[:j])
                toks = self.tokens(head)
                if not toks:
                    if clause:
                        return body
                    continue
                hits = self.hits(toks)
                if any(h.kind in ("doc", "variant") for h in hits):
                    return head
                if not clause:
                    continue  # "Toute pièce attestant…": the document comes after the participle
                covered = [False] * len(toks)
                for h in hits:
                    if h.kind == "generic":
                        for k in range(h.start, h.end):
                            covered[k] = True
                if all(covered[k] or toks[k].isdigit() or toks[k] in self.item_words for k in range(len(toks))):
                    return " ".join(words[j:])
                return head
        return body

    def _specifies(self, between: list[str]) -> bool:
        """Words between a document and one of its variants that say the variant is the one asked."""
        return bool(between) and bool(set(between) & self.variant_specifiers) and not set(between) & self.negations

    def _specified(self, toks: list[str], kept: list[Hit], doc: str) -> bool:
        """Every variant of ``doc`` kept in the text follows the document's own name through specifying words."""
        names = [h for h in kept if h.kind != "variant" and (h.parent or h.target) == doc]
        variants = [h for h in kept if h.kind == "variant" and h.parent == doc]
        return bool(variants) and all(any(n.end <= v.start and self._specifies(toks[n.end:v.start]) for n in names)
                                      for v in variants)

    def _analyse_uncached(self, text: str) -> TextAnalysis:
        res = TextAnalysis()
        if not text.strip():
            return res
        condition, body = self._split_condition(text)
        if condition is None:
            # a condition stated after the document: "Pièce d'identité de l'hébergeant (Si hébergement par un tiers)"
            for m in _PARENTHESES.finditer(text):
                if self._starts_with_condition(m.group(1)):
                    condition = normalise(m.group(1))
                    outside = (body[:m.start()] + " " + body[m.end():]) if body == text else body
                    toks_out = self.tokens(outside)
                    if toks_out and not any(h.kind in ("doc", "variant", "generic") for h in self.hits(toks_out)) \
                            and not all(self._only_plain(toks_out)):
                        # « Lettre de préavis (pour les litiges relatifs au congé de fin de bail) »: the lease
                        # says when the letter is asked, it is not asked
                        body = outside
                    break
        if condition is None:
            # "Avis d'imposition si déclaration à part des parents": a condition after the document
            m = _TRAILING_IF.search(normalise(text))
            if m and m.start() > 0:
                condition = m.group(0).strip()
        res.condition = condition
        body = self._heading_dropped(body)
        full_body = body
        body = self._head(body)
        norm = normalise(body)
        toks = self.tokens(body)
        res.empty = not toks
        all_hits = self.hits(toks)

        # documents: drop excluded spans, then keep the longest non-overlapping hits
        excludes = [h for h in all_hits if h.kind == "exclude"]
        doc_hits = []
        for h in all_hits:
            if h.kind not in ("doc", "variant"):
                continue
            owner = h.parent or h.target
            if any(e.target == owner and e.start < h.end and h.start < e.end for e in excludes):
                continue
            doc_hits.append(h)
        doc_hits.sort(key=lambda h: (-h.length, h.start, h.kind != "variant"))  # a tie: the variant says more
        kept: list[Hit] = []
        taken = [False] * len(toks)
        for h in doc_hits:
            if not any(taken[h.start:h.end]):
                kept.append(h)
                for k in range(h.start, h.end):
                    taken[k] = True
        kept.sort(key=lambda h: h.start)
        # "Justificatif des prestations familiales hors CAF", "hors attestation CAF": a document named
        # after a negation, or whose own distinctive word follows one, is not the one asked for
        negated = {toks[j + 1] for j in range(len(toks) - 1) if toks[j] in self.negations}
        # « Pièce justificative du titulaire du RIB »: the RIB only says whose identity paper is asked (but « La
        # personne est titulaire du permis de conduire » asks for the licence)
        heads = [h.end for h in all_hits if h.kind in ("generic", "doc", "variant")]
        kept = [h for h in kept if not (h.start > 1 and toks[h.start - 1] == "titulaire"
                                        and any(e < h.start for e in heads))]
        kept = [h for h in kept if not (h.start > 0 and toks[h.start - 1] in self.negations)
                and not (negated & self.doc_vocab.get(h.parent or h.target, frozenset()))]
        if kept and _NOT_IN.match(norm):
            # « S'ils ne figurent pas dans les statuts ou le règlement intérieur »: documents looked up, not asked
            kept = []
        if kept:
            first = kept[0].start
            lead = [h for h in all_hits if h.kind == "head" and h.start < first and not any(taken[h.start:h.end])]
            if lead and all(self._only_plain(toks[:lead[0].start])):
                # "Tableau des pièces d'identité acceptées", "Projet de délibération": something else is asked
                res.other_head = True
                kept = []
                taken = [False] * len(toks)
        kept = self._mention_named(toks, kept)
        kept, either, joined = self._coordinated(body, toks, kept)
        res.either = either and len({h.parent or h.target for h in kept}) > 1
        res.joined = joined
        res.and_or = res.either and bool(_AND_OR.search(normalise(body)))
        res.either_unknown = bool(kept) and not res.either and self._unknown_alternative(body, kept[0].start)
        generic_named: set[str] = set()
        for h in kept:
            doc = h.parent or h.target
            if doc not in res.documents:
                res.documents.append(doc)
            if h.kind == "variant":
                vs = res.variants.setdefault(doc, [])
                if h.target not in vs:
                    vs.append(h.target)
            else:
                generic_named.add(doc)
        for doc in generic_named:
            # "pièce d'identité ou titre de séjour": the category, any variant accepted; but « Attestation CAF
            # de versement de l'ASF »: the variant says which attestation (``variant_specifiers`` in between)
            if not self._specified(toks, kept, doc):
                res.variants.pop(doc, None)
        if generic_named and toks and full_body != body:
            # « Attestation CAF | précisant le QF »: the head stops before the clause that names the variant
            full_toks = self.tokens(full_body)
            if full_toks[:len(toks)] == toks:
                for h in self.hits(full_toks):
                    if h.kind == "variant" and h.start >= len(toks) and h.parent in generic_named \
                            and h.parent not in res.variants and self._specifies(full_toks[len(toks):h.start]):
                        res.variants[h.parent] = [h.target]

        # generic: every meaningful token is covered by a generic pattern / item word / number
        covered = list(taken)
        for h in all_hits:
            if h.kind == "generic":
                for k in range(h.start, h.end):
                    covered[k] = True
        if not res.documents and toks:
            rest = [t for k, t in enumerate(toks) if not covered[k] and not t.isdigit()
                    and t not in self.item_words and t not in _ORDINAL and t not in ("recto", "verso")]
            res.generic = not rest

        # subject: first subject named after the first document, else the first one
        # a person named across a document's words ("statuts de la société | de régie") still counts
        # « … création d'entreprise »: a subject's ``exclude`` wording names no one
        excluded = [h for h in all_hits if h.kind == "subject_exclude"]
        subj_hits = sorted((h for h in all_hits if h.kind == "subject" and not all(taken[h.start:h.end])
                            and (h.target not in _NEEDS_ARTICLE or _PERSON_ARTICLE.search(norm))
                            and not any(e.target == h.target and e.start <= h.start and h.end <= e.end
                                        for e in excluded)),
                           key=lambda h: (h.start, -h.length))
        first_doc = kept[0].start if kept else -1
        chosen = next((h for h in subj_hits if h.start > first_doc), subj_hits[0] if subj_hits else None)
        subj_toks = toks
        if chosen is None and body != full_body and normalise(full_body).startswith(norm):
            # a person whose name begins before the clause the head stops at:
            # "Pièce d'identité de la personne | qui vous héberge"
            full_toks = self.tokens(full_body)
            cut = [h for h in self.hits(full_toks) if h.kind == "subject" and h.start < len(toks) < h.end]
            if cut:
                chosen = min(cut, key=lambda h: (h.start, -h.length))
                subj_toks = full_toks
        lives = _LIVES_WITH.search(normalise(full_body))
        if chosen is not None and lives:
            # « Justificatif de domicile du représentant légal chez qui vit l'élève » : the address is the pupil's
            home_toks = self.tokens(lives.group(1) or lives.group(2))
            with_whom = [h for h in self.hits(home_toks) if h.kind == "subject"]
            if with_whom:
                chosen, subj_toks = min(with_whom, key=lambda h: (h.start, -h.length)), home_toks
        if chosen is not None:
            sid = chosen.target
            nxt = subj_toks[chosen.end] if chosen.end < len(subj_toks) else ""
            prev = subj_toks[chosen.start - 1] if chosen.start > 0 else ""
            if nxt.isdigit() and 0 < int(nxt) < 10:
                sid = f"{sid}-{int(nxt)}"
            elif prev in _ORDINAL:
                sid = f"{sid}-{_ORDINAL[prev]}"
            res.subject = sid

        # period
        res.period = self.periods(text)

        # item: "… 2", "Navire 2 : …", "… n°3", "… supplémentaire", "2e …"
        words = norm.split()
        n_minus = {p[2:] for p in res.period if p.startswith("N-")}
        # "Justificatif travaux 02 - Plan de situation", "3) Statuts": the number of a list entry, not an item
        listed = {str(int(m.group(1))) for m in _LIST_NUMBER.finditer(text)}
        number = None
        for j in range(1, len(words)):
            w = words[j]
            if w.isdigit() and 0 < int(w) <= 20 and w not in n_minus and str(int(w)) not in listed:
                nxt = words[j + 1] if j + 1 < len(words) else ""
                prev = words[j - 1]
                if nxt not in _TIME_WORDS and prev not in ("moins", "plus", "de", "des", "les", "aux", "sur"):
                    number = str(int(w))
                    break
        if number is None and condition:
            # "Pour la salle n°2, titre de propriété…": the condition numbers the item
            m = _NUMBERED.search(condition)
            if m:
                number = str(int(m.group(1)))
        if _BEFORE_LAST_ANY.search(normalise(full_body)):
            res.item = "avant-dernier"  # « Avant-dernier rapport annuel d'activité »: not the last one
        elif _PAST.search(normalise(full_body)):
            # « Justification que vous étiez titulaire d'une carte de séjour … lors de l'obtention du diplôme »:
            # a piece held before, not the current one
            res.item = "ancien"
        elif _OTHER_PLACE.search(normalise(full_body)):
            # « titre de séjour émis par un autre pays de l'Union », « … délivrée par un autre État membre »: a piece
            # another country issued, not the French one
            res.item = "autre-pays"
        elif _SECONDARY.search(normalise(full_body)):
            res.item = "etablissement-secondaire"  # « LBIS », « … de l'établissement secondaire »: not the head office's
        elif number is not None:
            # « Critère 1.3 … règlement intérieur (document complémentaire) »: the entry's number and, after it,
            # the word that makes the slot one more document than the entry's first one
            extra = next((t for k, t in enumerate(toks) if t in _EXTRA_ITEMS and not taken[k]), None)
            res.item = f"{number} {extra}" if extra else number
        elif _EACH.search(normalise(full_body)):
            # « CV de chacun des intervenants », « rapport d'activité … de chaque partenaire »: one per item
            res.item = "chaque"
        else:
            for k, t in enumerate(toks):
                if t in self.item_words and not any(taken[k:k + 1]):
                    if t == "autre" and _OR_OTHERS.search(norm):
                        continue  # « (allocations familiales, MSA ou autres) »: the end of a list, not a further slot
                    res.item = t
                    break
                if t in _ORDINAL and k + 1 < len(toks) and taken[k + 1]:
                    res.item = _ORDINAL[t]
                    break
        res.qualifier = self._qualifier(_which_part(_ASIDE.sub(" ", full_body)))
        res.obj = self._object(full_body)
        head_norm = f" {normalise(text)} "
        res.other_instance = any(f" {w} " in head_norm for w in self.other_instance) \
            or bool(_NOT_THE_SAME.search(head_norm))
        # « Photocopie d'une pièce d'identité (si verso) »: the side may sit in a condition the head stops before
        full_words = set(normalise(full_body).split())
        has_recto, has_verso = "recto" in full_words, "verso" in full_words
        if self.translations & set(normalise(full_body).split()):
            res.part = "traduction"  # the translation of a document is another document than the original
        elif has_recto != has_verso:
            res.part = "recto" if has_recto else "verso"
        elif any(w in self.continuations and (k == 0 or words[k - 1] not in _NOT_CONTINUED_AFTER)
                 and (k + 1 == len(words) or words[k + 1] not in _NOT_CONTINUED_BEFORE) for k, w in enumerate(words)):
            # a further file of the same request, not the document again; « à la suite », « par la suite »,
            # « suite à votre demande » say when, not which file
            res.part = "suite"
        elif "page" in words or "pages" in words:
            # the page's own words are read on the whole label ("page relative au visa"), not its head
            full_words = normalise(full_body).split()
            words = full_words if "page" in full_words or "pages" in full_words else words
            k = words.index("page") if "page" in words else words.index("pages")
            before = _ORDINAL.get(words[k - 1]) if k > 0 else None
            res.part = f"page {before}" if before else "page " + " ".join(w for w in words[k + 1:k + 4])
        return res

    @staticmethod
    def _mention_named(toks: list[str], kept: list[Hit]) -> list[Hit]:
        """« Carte de séjour portant la mention Résident de longue durée-UE »: the variant named after
        « mention » is the card asked, not the kind of card named before it."""
        if "mention" not in toks:
            return kept
        at = toks.index("mention")
        after = {h.parent for h in kept if h.kind == "variant" and h.start > at and h.parent}
        return [h for h in kept if not (h.kind == "variant" and h.start < at and h.parent in after)]

    def _unknown_alternative(self, body: str, first: int) -> bool:
        """« Etat de services détaillé ou contrat de travail »: the first document the taxonomy knows comes
        right after « ou », behind a piece it does not know; the user may give that other piece instead.
        Only a short opening (six words at most) that names something is read so: « Personne morale ou
        physique : pièce d'identité » is a condition, not an alternative."""
        words = normalise(body).split()
        count = 0
        at = None
        for i, w in enumerate(words):
            expanded = self.abbreviations.get(w)
            n = sum(1 for u in (expanded or (w,)) if u not in self.stopwords)
            if n and count == first:
                at = i
                break
            count += n
        if at is None:
            return False
        k = at - 1
        while k >= 0 and words[k] in _ALT_LEAD:
            k -= 1
        if k < 1 or words[k] not in ("ou", "soit"):
            return False
        before = self.tokens(" ".join(words[:k]))
        hits = self.hits(before)
        if not before or len(before) > 6 or any(h.kind in ("doc", "variant") for h in hits):
            return False
        named = {j for h in hits if h.kind in ("subject", "generic") for j in range(h.start, h.end)}
        return any(t not in self.plain_words and t not in self.verbs and not t.isdigit() and len(t) > 2
                   and j not in named for j, t in enumerate(before))

    def _only_plain(self, toks: list[str]) -> list[bool]:
        """For the words before a label's head: each one says nothing of what is asked
        (a verb, "copie", a number, a plain word)."""
        return [t.isdigit() or t in self.plain_words or t in self.verbs or len(t) <= 2 for t in toks]

    def _coordinated(self, body: str, toks: list[str], kept: list[Hit]) -> tuple[list[Hit], bool, bool]:
        """The documents a label asks for: the first one named, and those
        joined to it by "ou", "et", a comma, a slash, a dash or a parenthesis
        ("Carte d'identité ou passeport", "Acte de mariage / Acte de
        naissance").  A document named as the complement of the first
        ("Certificat médical du permis de conduire", "Procès-verbal renseigné
        sur l'extrait Kbis") is only mentioned, not asked for.  The flag says whether the
        documents are alternatives ("ou", "soit"): the user provides one of them.  The second says
        that several pieces are named and none as a choice (« une facture … ET le bail de location »);
        False whenever the words between two of them cannot be read."""
        if len(kept) < 2:
            return kept, False, False
        marked = normalise(_SEPARATORS.sub(" ou ", body)).split()
        pos: list[int] = []
        for i, w in enumerate(marked):
            expanded = self.abbreviations.get(w)
            for u in expanded if expanded else (w,):
                if u not in self.stopwords:
                    pos.append(i)
        if len(pos) != len(toks):
            return kept, False, False  # the two readings disagree: keep every document rather than guess
        out = [kept[0]]
        plain = normalise(body).split()
        plain_pos = [i for i, w in enumerate(plain) for u in (self.abbreviations.get(w) or (w,))
                     if u not in self.stopwords]
        either = False
        joined = len(plain_pos) == len(toks)
        for h in kept[1:]:
            between = marked[pos[out[-1].end - 1] + 1:pos[h.start]]
            if h.kind == "variant" and h.parent == (out[-1].parent or out[-1].target) \
                    and self._specifies(toks[out[-1].end:h.start]):
                out.append(h)  # « Attestation CAF de versement de l'ASF »: which attestation, not another piece
            elif not between or any(w in _COORDINATORS for w in between):
                if len(plain_pos) == len(toks):
                    raw = plain[plain_pos[out[-1].end - 1] + 1:plain_pos[h.start]]
                    if any(w in ("ou", "soit") for w in raw):
                        joined = False
                        if (h.parent or h.target) != (out[0].parent or out[0].target):
                            either = True  # « acte de naissance ou livret de famille »: one of them
                out.append(h)
        return out, either, joined and len(out) > 1
