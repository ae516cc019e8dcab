"""The classification of one request from all its texts: the label first,
then the help, legend, surroundings, a companion select's options and the
control's type.

The order of trust lives here: a label that names a document wins, a help
that only gives examples or lists several pieces leaves the slot
unrecognised rather than guessed, a silent label ("Pièce justificative")
lets the surroundings speak.  Both sources (``checks/dlnuf.py``, the
catalogue) call :meth:`ClassifyMixin.classify` through the taxonomy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from .model import _HOUSEHOLD, Classification, TextAnalysis, _base_subject
from .reading import _OTHER_PLACE
from .text import normalise

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

_LIST_LINE = re.compile(r"(?m)^\s*(?:[-•*–]|\d+\s*[-.)])\s*\S")
_POSSESSIVE = re.compile(r"^(?:(?:copie|joindre|fournir|scan) (?:de |d )?)?(?:votre|vos|mon|ma|mes) ")
# « Passeport (Visa d'entrée) », « Liasses fiscales "Groupe" » : one wording, the slot said at its end
_SLOT_SUFFIX = re.compile(r"^(.{3,}?)\s*(?:\(([^()]{2,80})\)|[\"«“]\s*([^\"«»“”]{2,80}?)\s*[\"»”]|:\s*([^:()]{2,80}?))\s*$")
# « Justificatif de victime de traite », « Preuve de l'activité » : a label that says what is to be proved, not
# with which piece
_PROOF_OF = re.compile(r"^(?:copie d(?:e|u|es) )?(?:un |le |les )?(?:justificatifs?|preuves?|pieces? justificatives?) "
                       r"(?:de|d|du|des)\b")


def _first_sentence(text: str, stops: str) -> str:
    """A help's first sentence: up to the first of ``stops`` followed by a space, or the end of its first line."""
    return re.split(rf"(?<=[{re.escape(stops)}])\s|\n", text.strip(), maxsplit=1)[0]


# pronouns that name the request's own piece again (« Si vous êtes hébergé, joindre celui de l'hébergeant », « … le
# sien »)
_SAME_PIECE = frozenset({"celui", "celle", "ceux", "celles", "sien", "sienne", "siens", "siennes"})
# « merci de nous joindre », « vous devez fournir » : the request verb after a polite or modal lead
_POLITE_LEAD = re.compile(r"^(?:(?:merci de|veuillez|il faut|vous devez|vous devrez)(?: nous| egalement| aussi)* )?")
_CHOICE = re.compile(r" (?:ou|etc|et/ou) ")
_EXAMPLES = re.compile(r"^(?:exemples?|ex|par exemple|a titre d exemple)\b")
# « Joindre notamment les certifications et CV des agents », « tous documents (courriers, projet d'acte ou de
# bail) » : pieces given as examples of what a slot may hold, none asked in particular
_EXAMPLES_ANYWHERE = re.compile(r"\b(?:notamment|par exemple|tel que|tels que|telle que|telles que|a titre d exemples?)\b"
                                r"|(?:^|\b(?:fournir|joindre|transmettre|deposer|produire) )(?:tous|tout|toute|toutes) "
                                r"(?:les )?(?:documents?|pieces?|justificatifs?|elements?)\b")
_BUNDLE = re.compile(r"\b(?:avec|accompagnee?s? d(?:e|u|es)?|comprenant|incluant|y compris|dans ce cas (?:joindre|fournir|"
                     r"ajouter)(?: egalement| aussi)?)\b")
_WHERE = frozenset({"ici", "ci", "dessous", "apres", "egalement", "aussi"})  # words between a verb and its object
_IF_ANY = re.compile(r"^\s*(?:le cas echeant|si besoin|eventuellement|si concerne)\s*")
# « attestation de l'hébergeant accompagnée de sa pièce d'identité » : what follows the joiner is the piece of the person
# just named (« sa », « son », « ses »), not the user's
# (read on normalised text: no commas left, « datée et signée copie de sa carte d'identité »)
_HIS_PIECE = re.compile(r"\s+(?:(?:et|avec|accompagnee?s? d(?:e|u|es)?)\s+(?:(?:la |une )?copie (?:de |d ))?|"
                        r"(?:la |une )?copie (?:de |d ))(?:sa|son|ses)\s")
_ANOTHER = re.compile(r"\b(?:celle ci|celui ci|ceux ci|celles ci|ce dernier|cette derniere|ces derniers)\b")
_REQUIRED_WHEN = ("a fournir si", "a fournir uniquement", "obligatoire si", "obligatoire pour", "piece obligatoire",
                  "uniquement si", "uniquement pour", "seulement si", "seulement pour", "a joindre si",
                  "a joindre uniquement")
# a help of at most so many words that opens a condition says only for whom or when (« Pour les associations »)
_HINT_CONDITION_WORDS = 8


class ClassifyMixin:
    """The classification of a request for :class:`~auditor.documents.taxonomy.Taxonomy`.

    Reads the taxonomy's ``documents``, ``qualified``, ``item_words``,
    ``verbs`` and ``default_subject``; calls ``analyse``, ``tokens``,
    ``hits``, ``periods``, ``hint_periods``, ``_post_qualifier``,
    ``_split_condition`` and ``_starts_with_condition``.
    """

    # -- classification of one request -----------------------------------------------

    def classify(
        self,
        label: str,
        hint: str = "",
        *,
        others: Iterable[tuple[str, str]] = (),
        options: Iterable[str] = (),
        subject_context: Iterable[str] = (),
        condition_context: str | None = None,
        default_document: str | None = None,
    ) -> Classification:
        """Read one request.  ``label`` names the document; ``hint`` (help
        text) is used when the label is generic; ``others`` are further texts
        in order of trust (legend, context, heading…); ``options`` the choices
        of a companion select ("Type de justificatif"); ``subject_context``
        texts that may name the person (a section header "Pièces concernant
        l'hébergeant"); ``default_document`` is what the control's type says
        (a démarches-simplifiées ``TitreIdentite`` champ)."""
        c = Classification()
        lab = self.analyse(label)
        source_text = ""
        c.condition = lab.condition
        source: TextAnalysis | None = None
        # « Si vous avez un visa étudiant-concours » / help « Attestation de réussite », « Si vous êtes hébergé » /
        # help « Attestation d'hébergement »: a label that only says when leaves the help to say what is asked
        says_when = bool(lab.condition) and normalise(label) == lab.condition and bool(hint.strip()) \
            and not set(self.analyse(hint.strip().split("\n", 1)[0]).documents) & set(lab.documents)
        if says_when and lab.documents:
            lab = self.analyse("")
            c.condition = normalise(label)
        if lab.documents:
            source, c.matched_on = lab, "label"
        candidates: list[tuple[str, str]] = [("hint", hint)] + list(others)
        # a label that names something we do not know ("Curriculum vitae") stays
        # unmatched: the help text or the surroundings are read only when the
        # label itself says nothing ("Pièce justificative", "Ajouter un fichier")
        label_silent = ((lab.generic and lab.item not in self.item_words) or lab.empty) and not lab.other_head
        if not lab.documents and (label.rstrip().endswith(":") or says_when) and hint:
            # "Le justificatif obligatoire pour ce motif est :" announces its help text
            label_silent = True
        topic_label = False
        if not lab.documents and not lab.other_head and not label_silent and self._help_asks(hint, label):
            # « Localisation du projet » / help « Joindre un plan de situation »: the label names the slot's topic,
            # the help the piece it asks for
            label_silent = topic_label = True
        elif not lab.documents and not lab.other_head and not label_silent and hint and self._plus_list(hint):
            # « Justificatifs de ressources » / help « Contrat de travail + … + bulletins de paie »: the label names
            # what is to be proved, the help every piece that proves it
            label_silent = True
        if source is None and not label_silent:
            candidates = []
            options = ()
        whole_text = ""
        if source is None:
            for name, text in candidates:
                if not text:
                    continue
                an, line = self.first_naming_line(text) if name != "hint" else (self.analyse(text), text)
                if name == "hint" and an.documents and (_EXAMPLES.match(normalise(text))
                                                        or _EXAMPLES_ANYWHERE.search(normalise(text))):
                    # "Exemple : décision de justice, livret de famille, etc.": any of them, none in particular
                    c.ambiguous = "l'aide ne donne que des exemples de pièces pour ce champ"
                    break
                if name == "hint" and len(an.documents) == 1 and len(_LIST_LINE.findall(text)) >= 2 and not (
                        topic_label and not self._lists_pieces(text)):
                    # a help text listing several pieces for one slot ("- Rapport CAF / - Rapport ARS /
                    # - Contrat de location"): the slot holds them all, not the one the taxonomy knows (but one
                    # that opens on the piece, then lists the cases it is for — « Rapport du travailleur social :
                    # … -perte d'emploi ; -liquidation judiciaire… » — asks that piece)
                    c.ambiguous = "l'aide énumère plusieurs pièces pour ce champ"
                    if self._names_only_pieces(text):
                        # every line names pieces the taxonomy knows: held if the administration may obtain them all
                        c.candidates = list(dict.fromkeys(d for item in text.splitlines() if _LIST_LINE.match(item)
                                                          for d in self.analyse(item).documents))
                    break
                if len(an.documents) == 1:
                    source, c.matched_on, source_text, whole_text = an, name, line, text
                    break
                listed = self._plus_list(text) if name == "hint" and an.documents else None
                if listed is not None:
                    # « Justificatifs de ressources » / help « Contrat de travail + certificat de travail … + bulletins
                    # de paie + tous les avis d'imposition » : every piece the plus signs join is asked in this slot
                    source, c.matched_on, source_text, whole_text = listed, name, line, text
                    break
                if len(an.documents) > 1:
                    c.ambiguous = f"plusieurs pièces citées ({name}) : " + ", ".join(an.documents)
                    if self._names_only_pieces(text):
                        c.candidates = list(an.documents)
                    break
        if source is None and options and c.ambiguous is None:
            docs: list[str] = []
            named = 0
            for o in options:
                an = self.analyse(o)
                if an.documents:
                    named += 1
                    for d in an.documents:
                        if d not in docs:
                            docs.append(d)
            if len(docs) == 1:
                source, c.matched_on = TextAnalysis(documents=docs), "options"
            elif len(docs) > 1:
                c.ambiguous = "la liste de choix propose plusieurs pièces : " + ", ".join(docs)
        if source is None and default_document and c.ambiguous is None and not lab.other_head:
            source, c.matched_on = TextAnalysis(documents=[default_document]), "type"
        if source is lab and hint and normalise(hint).split()[:1] and normalise(hint).split()[0] in self.verbs:
            # « Attestation de quotient familial » / help « Joindre l'attestation quotient familial Région (calculette
            # Région IDF) »: a help restating the request may show it is not the document the label names
            htoks = self.tokens(hint)
            hhits = self.hits(htoks)
            spans = [h for h in hhits if h.kind == "exclude"]
            excluded = {h.target for h in spans}
            # still named plainly somewhere in the help (« votre attestation CAF ou l'attestation … calculette »): kept
            plain = {h.parent or h.target for h in hhits if h.kind in ("doc", "variant") and not any(
                e.target == (h.parent or h.target) and e.start < h.end and h.start < e.end for e in spans)}
            if (excluded - plain) & set(lab.documents):
                source, c.matched_on = None, None
                c.ambiguous = "l'aide précise une autre pièce que celle du libellé"
        if source is lab and len(lab.documents) == 1 and hint:
            # « Statuts » / help « Uniquement pour les associations : publication des statuts au JO ou récépissé
            # de déclaration » : a bare name heads the slot, the help says which piece is asked, for which case
            line = hint.strip().split("\n", 1)[0]
            cond, rest = self._split_condition(line)
            # (« Passeport » / help « Pour les bénéficiaires du statut de réfugié, joindre une copie de la décision
            # de l'OFPRA » asks the passport of everyone, and the decision too in that case: a piece of its own)
            if cond and rest != line and len(self.tokens(label)) <= 2 \
                    and not self._instructs_another_piece(line, lab.documents[0]):
                an = self.analyse(rest)
                first = self.hits(self.tokens(rest))
                starts = any(h.start == 0 and h.kind in ("doc", "variant") for h in first)
                if an.documents and starts and lab.documents[0] not in an.documents:
                    source, c.matched_on = an, "hint"

        if source is not None:
            c.either = source.either
            c.either_unknown = source.either_unknown
            c.and_or = source.and_or
            c.joined = source.joined
            c.documents = list(source.documents)
            c.document = c.documents[0]
            vs = [v for d in c.documents for v in source.variants.get(d, [])]
            c.variants = vs
            c.variant = vs[0] if len(vs) == 1 and len(c.documents) == 1 else None
        if source is lab and hint:
            # « Compte rendu dernière AG » / help « CR avec les comptes approuvés, le rapport du commissaire aux
            # comptes et le dernier rapport d'activité » : the pieces the help says come with it are asked too
            for d in self._bundled(hint):
                if d not in c.documents:
                    c.documents.append(d)
            # « Justificatifs de nationalité » / help « Passeport en cours de validité ou à défaut autres
            # justificatifs (…) » : the piece the help asks first is what the user gives
            first = normalise(_first_sentence(hint, ".!?;"))
            if " ou a defaut " in f" {first} ":
                asked = self.analyse(first.split(" ou a defaut ", 1)[0])
                if len(asked.documents) == 1 and asked.documents[0] not in c.documents and not asked.either:
                    c.documents.append(asked.documents[0])
                    c.variants = c.variants + asked.variants.get(asked.documents[0], [])
        c.generic = c.document is None and lab.generic and (
            lab.item in self.item_words or not hint_names_document(self, hint))

        # person: the label first, then the request's surroundings, then a short hint
        subject = lab.subject
        if says_when:
            # « SI le demandeur est MINEUR » / help « Carte d'identité … du responsable légal »: whose, said by the help
            subject = self.analyse(hint.strip().split("\n", 1)[0]).subject or subject
        if subject is None and lab.condition:
            # "Avis d'imposition si déclaration à part du ou des parents": another person named by the condition
            named = self.subject_in(lab.condition)
            # "si vous êtes mineur", "si hébergement par un tiers" describe the user's case, not whose piece
            if named and _base_subject(named) in _HOUSEHOLD - {"demandeur"} \
                    and not {"vous", "votre", "vos", "je", "mon", "ma", "mes"} & set(lab.condition.split()):
                subject = named
        if subject is None and _POSSESSIVE.match(normalise(label)):
            # "Votre acte de naissance" under "Si vous êtes enfant d'un(e) Français(e)": the user's own
            subject = self.default_subject
        if subject is None:
            for text in subject_context:
                if text:
                    s = self.subject_in(text)
                    if s:
                        subject = s
                        break
        if subject is None and hint and len(hint) <= 120:
            hint_an = self.analyse(hint)
            # "La copie du livret de famille doit comporter les pages avec les parents": the help
            # describes the document's content, not whose it is
            # (but « Joindre la carte d'identité ou le livret de famille du responsable financier » restates the
            # request and says whose)
            restates = any(h.start == 0 and h.kind in ("doc", "variant") for h in self.hits(self.tokens(hint)))
            if not (c.document and hint_an.documents[:1] == [c.document]) or restates \
                    or normalise(hint).split()[:1] and normalise(hint).split()[0] in self.verbs:
                # (« Justificatif de domicile » / help « Justificatif de domicile de votre hébergeant » restates it)
                subject = hint_an.subject
        c.subject_named = subject is not None
        if subject is None and c.document is not None:
            entry = self.documents.get(c.document)
            subject = (entry.subject_default if entry else None) or self.default_subject
        c.subject = subject

        c.period = lab.period
        if not c.period and source_text and c.matched_on in ("legend", "heading"):
            c.period = self.periods(source_text)
        if not c.period and source_text and c.matched_on == "context":
            c.period = self.hint_periods(source_text)
        if not c.period and whole_text != source_text and c.matched_on in ("legend", "context", "heading"):
            # the title line named the document, the description its year ("revenus 2023")
            c.period = self.hint_periods(whole_text)
        if not c.period and hint and c.document is not None:
            c.period = self.hint_periods(hint)
        c.item = lab.item
        if c.item is None and hint and _OTHER_PLACE.search(normalise(hint)):
            c.item = "autre-pays"  # « Carte RLD-UE » / help « … délivrée par un autre pays de l'Union »
        if c.item is None and hint and len(normalise(hint).split()) <= 3:
            # « Carte grise » / help « Véhicule 2 »: a help that only numbers the slot
            short = self.analyse(hint)
            if short.item and short.item.isdigit() and not short.documents:
                c.item = short.item
        c.part = lab.part
        if c.part is None and hint and c.document is not None:
            # "Titre d'identité" / help "(Verso)"; "Justificatif de domicile" / help "2ème page";
            # a long help counts only for a numbered page or a side ("télécharger ici la deuxième
            # page"), not for "les pages avec les parents"
            hp = self.analyse(hint).part
            # a short help naming which page of the document (« Page relative à l'identité », « page du passeport
            # comprenant le cachet d'entrée ») says the part too: one page each, not the document twice
            if hp in ("recto", "verso") or (hp == "suite" and len(hint) <= 160) or (hp and re.match(r"page \d", hp)) \
                    or (hp and hp.startswith("page ") and len(hint) <= 100 and "\n" not in hint.strip()
                        and " page " in f" {normalise(hint)} "):  # one page; « toutes les pages » is the whole
                c.part = hp
        c.qualifier = self._request_qualifier(lab, c, hint, label)
        if topic_label and c.matched_on == "hint" and c.document in self.qualified and not c.qualifier:
            # « 4-1 Disposer de moyens pédagogiques… » / help « Fournir une déclaration sur l'honneur »: what the
            # statement (or plan, deliberation…) is about is the label's topic, less the document's own words
            # (« Localisation du projet » says no more than « plan de situation »)
            own = self.doc_vocab.get(c.document, frozenset())
            c.qualifier = frozenset(w for w in self._qualifier(label) if w not in own)
        c.obj = lab.obj if c.matched_on == "label" else frozenset()
        if not c.obj and c.matched_on == "label" and c.document in self.qualified and hint:
            # « Délibération de l'AG » / help « Joindre la délibération de l'AG approuvant ce rapport d'activité »
            first = _first_sentence(hint, ".!?")
            an = self.analyse(first)
            if an.documents[:1] == [c.document]:
                c.obj = an.obj
        c.other_instance = lab.other_instance or (c.matched_on == "hint" and self.analyse(hint).other_instance)
        c.scope_condition = normalise(condition_context) if condition_context else None
        c.context_text = condition_context or ""
        c.text = f"{label}\n{hint}"
        m = _SLOT_SUFFIX.match(label or "")
        said = (m.group(2) or m.group(3) or m.group(4)) if m else ""
        if m and m.group(4) and (self._starts_with_condition(label) or c.document is None
                                 or c.document not in self.analyse(m.group(1)).documents):
            m = None  # « Si la demande dépasse 45 730 € : rapport du commissaire… »: the colon is no slot mark
        if m and c.matched_on == "label" and not self._starts_with_condition(said):
            # a condition in the parenthesis is read as a condition (alternatives or review), not as a slot
            common, suffix = " ".join(self.tokens(m.group(1))), " ".join(self.tokens(said))
            if common and suffix:
                c.slot = (common, suffix)
        if c.condition is not None and hint.strip() and "\n" not in hint.strip() \
                and len(hint.split()) <= _HINT_CONDITION_WORDS and self._starts_with_condition(hint):
            c.hint_condition = self.analyse(hint).condition
        if c.condition is None and hint and self._starts_with_condition(hint) \
                and not self._instructs_another_piece(hint, c.document):
            c.condition = self.analyse(hint).condition
        if c.condition is None and hint:
            # "En cours de validité.\nA fournir si la structure dépose pour la 1ère fois…": a line of the
            # help that says when the piece is required
            for line in hint.splitlines()[1:]:
                norm_line = normalise(line)
                if norm_line.startswith(_REQUIRED_WHEN):
                    c.condition = norm_line
                    break
        if c.condition is None and condition_context:
            c.condition = normalise(condition_context)
        return c

    def _names_only_pieces(self, text: str) -> bool:
        """Whether the pieces a help names are all it offers for its slot, so that the slot asks a held piece
        when each is held: not when the help gives examples (« Exemple : spécimen de certificat de scolarité, de
        carte d'étudiant » names none asked), nor when a line of its list names no piece the taxonomy knows (« - un
        K-BIS / - les statuts / - un PV entérinant les modifications »: the PV may be the one the user gives)."""
        return not re.search(r"\bexemples?\b", normalise(text)) and all(
            self.analyse(item).documents for item in text.splitlines() if _LIST_LINE.match(item))

    def _plus_list(self, text: str) -> TextAnalysis | None:
        """The pieces a help's first line joins with plus signs (« Contrat de travail + certificat de travail de
        l'employeur précisant … + bulletins de paie »), each read on its own, all asked together; None when the line
        is no such list, or when one of its parts names no piece or offers a choice (« RIB ou IBAN + … »)."""
        line = text.strip().split("\n", 1)[0]
        parts = re.split(r"\s\+\s", line)
        if len(parts) < 2:
            return None
        documents: list[str] = []
        variants: dict[str, list[str]] = {}
        for part in parts:
            an = self.analyse(part)
            if not an.documents or an.either or an.either_unknown:
                return None
            doc = an.documents[0]
            if doc not in documents:
                documents.append(doc)
                variants[doc] = list(an.variants.get(doc, []))
        if len(documents) < 2:
            return None
        return TextAnalysis(documents=documents, variants=variants, joined=True)

    def _lists_pieces(self, text: str) -> bool:
        """Whether the list lines of a help (« - … ») name pieces (« - Calculette de la Région / - Relevé
        d'imposition »), not cases (« -perte d'emploi ; -liquidation judiciaire »)."""
        return any(self.analyse(line).documents for line in text.splitlines() if _LIST_LINE.match(line))

    def _help_asks(self, hint: str, label: str = "") -> bool:
        """Whether a help's first sentence is a request whose object is a document: a request verb, then the
        document's name straight away (« Joindre un plan de situation »), not a document cited further on
        (« Joindre la lettre de l'employeur ou le bulletin de salaire »)."""
        if not hint:
            return False
        first = _first_sentence(hint, ".!?;:")
        words = normalise(first).split()
        if len(words) >= 2 and words[0] in self.verbs:
            words = words[1:]
        elif _PROOF_OF.match(normalise(label)):
            # « Justificatif de victime de traite » / help « Rapport du travailleur social » : a label saying what is
            # to be proved, a help opening on the one piece that proves it — not a choice (« Kbis ou journal
            # d'annonces légales ») nor examples (« certificat de scolarité ou de crèche, etc »)
            after = normalise(hint.strip()[len(first):len(first) + 40]).split()[:1]
            if _CHOICE.search(f" {' '.join(words)} ") or after == ["ou"] or "," in first \
                    or len(self.analyse(first).documents) != 1 \
                    or set(self.tokens(label)) & self.variant_specifiers:
                # « Justificatif de demande de versement direct de l'aide au logement » / « Attestation CAF » : the
                # label says what the piece must show, a kind of attestation the taxonomy does not know
                return False
        else:
            return False
        toks = self.tokens(" ".join(words))
        return any(h.start == 0 and h.kind in ("doc", "variant") for h in self.hits(toks))

    def instructed(self, text: str) -> list[tuple[str, str, str]]:
        """What a help asks for in a case it names, besides what its slot is named after: « Dans le cas de
        dossiers portant sur des travaux […], fournir l'avant-projet établi par le maître d'œuvre » in the help of
        a block of quotes (DSIL forms) — so a later field asking it again (« Dossier d'avant-projet, s'il y a
        lieu ») repeats it.  Only a sentence that opens on a case, then, after its comma, on a request whose
        object is a piece (« merci de nous joindre », « vous devez fournir » too).  ``(case, piece as written,
        sentence)`` for each such sentence."""
        return list(self._instructed_cached(text or ""))

    def instructed_requests(self, text: str, asked: Iterable[list[str]],
                            subject_context: Iterable[str] = (),
                            own: Classification | None = None) -> list[tuple[Classification, str]]:
        """The requests a help adds (:meth:`instructed`), read as any request is, with the case as their
        condition — those whose piece the slots it speaks for do not already ask (``asked``: their
        documents).  ``(classification, sentence)``; the same for the catalogue's ``Repetition`` blocks and
        the groups of uploads of walked pages.  ``own``: the field whose own help this is
        (:meth:`field_help_requests`); ``asked`` is then not read, and a piece is left out only when it is the
        field's own piece or one of the kinds the field names."""
        asked = list(asked)
        out: list[tuple[Classification, str]] = []
        for case, obj, sentence in self.instructed(text):
            for c in self._pieces_of(obj, case, subject_context):
                if own is not None:
                    # a field's own help: a piece it asks in a case is another one only when it is a named kind of
                    # the field's piece (« Justificatif de domicile » / « Si hébergement à l'hôtel : attestation de
                    # l'hôtelier ») or another piece
                    named = set(c.variants) | ({c.variant} if c.variant else set())
                    if c.document in own.documents and named <= set(own.variants):
                        continue
                elif any(c.document in docs for docs in asked):
                    continue
                out.append((c, sentence))
        return out

    def _pieces_of(self, obj: str, case: str, subject_context: Iterable[str]) -> list[Classification]:
        """The requests in what a help asks in a case: one, or one per piece when pieces follow that belong to the
        person the first names (« une attestation de l'hébergeant accompagnée de sa pièce d'identité »: the host's
        identity document, not the user's, who is asked his own elsewhere)."""
        cuts = list(_HIS_PIECE.finditer(obj))
        if cuts:
            head = obj[:cuts[0].start()]
            first = self.classify(head, subject_context=subject_context, condition_context=case)
            owner = next((h.target for h in self.hits(self.tokens(head)) if h.kind == "subject"), None) \
                or next((self.variant_author[v] for v in first.variants if v in self.variant_author), None)
            if owner is not None and _base_subject(owner) != "demandeur":
                his = [self.classify(obj[m.end():n.start() if n else len(obj)], condition_context=case)
                       for m, n in zip(cuts, cuts[1:] + [None])]
                if first.document is not None and all(c.document is not None for c in his):
                    for c in his:
                        c.subject, c.subject_named = owner, True
                    return [first, *his]
        c = self.classify(obj, subject_context=subject_context, condition_context=case)
        return [c] if c.document is not None else []

    def field_help_requests(self, hint: str, field: Classification,
                            subject_context: Iterable[str] = ()) -> list[tuple[Classification, str]]:
        """The pieces a field's own help asks for in a case it names (« Justificatif de domicile » whose help
        says « Si hébergement à l'hôtel : attestation de l'hôtelier » ; « RIB » whose help says « Si le RIB est au
        prénom du conjoint, il faut fournir le livret de famille »): in that case the field holds that piece too,
        asked once — compared with the rest of the form, never with its own field.  Each keeps the field's case,
        branch and guard, and the field's person when its own words name none.  The catalogue and walked pages
        read them alike."""
        out = self.instructed_requests(hint, [], subject_context, own=field)
        for extra, _ in out:
            extra.case, extra.branch, extra.guard = field.case, field.branch, field.guard
            if field.subject_named and not extra.subject_named:
                extra.subject = field.subject  # « Pièce d'identité de votre hébergeant » / « Si … : titre de séjour »
        return out

    def _instructs_another_piece(self, hint: str, document: str | None) -> bool:
        """A help that opens on a case and asks, in that case, for something other than the request's own
        piece (« Visa D ou VLS-TS » / help « Si vous êtes titulaire d'un VLS-TS veuillez joindre la validation
        OFII »): the case is that of the added piece, the request itself is made to everyone.  One that names
        the request's piece (« Si vous êtes locataire, fournir le bail » on a proof of address) says when it
        is asked."""
        if document is None:
            return False
        first = _first_sentence(hint, ".!?;")
        cond, rest = self._split_condition(first)
        if not cond or rest == normalise(first):
            return False
        verb = normalise(first)[len(cond):].split()[:1]  # none when the case was split off a heading, not a verb
        if not verb or verb[0] not in self.verbs or _CHOICE.search(f" {rest} ") \
                or any(w in _SAME_PIECE for w in rest.split()[:3]):
            # « joindre le relevé MSA ou tout autre justificatif qui prouve votre statut » : what the slot takes;
            # « joindre celui de l'hébergeant » : the request's own piece, someone else's
            return False
        return document not in self.analyse(rest).documents

    @lru_cache(maxsize=10_000)
    def _instructed_cached(self, text: str) -> tuple[tuple[str, str, str], ...]:
        out: list[tuple[str, str, str]] = []
        for sentence in re.split(r"(?<=[.;!?])\s+|\n", text):
            sentence = sentence.strip().lstrip("-•*–— ")
            if not self._starts_with_condition(sentence):
                continue
            comma, colon = sentence.find(","), sentence.find(":")
            if colon > 0 and (comma < 0 or colon < comma):
                # « - Si hébergement à l'hôtel : attestation de l'hôtelier et facture du dernier mois » : a case, then
                # what to give in it
                case, rest = sentence.split(":", 1)
                words = normalise(rest).split()
                obj = " ".join(words[1:] if words and words[0] in self.verbs else words)
            elif comma > 0:
                case, rest = sentence.split(",", 1)
                words = _POLITE_LEAD.sub("", normalise(rest)).split()
                if len(words) < 2 or words[0] not in self.verbs:
                    continue
                words = words[1:]
                while len(words) > 1 and words[0] in _WHERE:
                    words = words[1:]  # « déposez ici une copie de votre carte d'étudiant »
                obj = " ".join(words)
            else:
                continue
            if any(h.start == 0 and h.kind in ("doc", "variant") for h in self.hits(self.tokens(obj))):
                out.append((case.strip(), obj, sentence.strip()))
        return tuple(out)

    def _request_qualifier(self, lab: TextAnalysis, c: Classification, hint: str, label: str = "") -> frozenset[str]:
        """What the request says about which document it is: the label's own
        words, or, when the label is the bare name ("Délibération"), the
        first sentence of a help text that names the same document again
        ("Délibération de l'organe compétent approuvant le projet")."""
        if c.document is None:
            return frozenset()
        if c.document not in self.qualified:
            # any document: the label's own words only (a help text describes, it does not qualify)
            return self._post_qualifier(label) if c.matched_on == "label" else frozenset()
        if c.matched_on == "label" and lab.qualifier:
            return lab.qualifier
        if hint:
            first = _first_sentence(hint, ".!?")
            an = self.analyse(first)
            if an.documents[:1] == [c.document]:
                return an.qualifier
        return lab.qualifier if c.matched_on == "label" else frozenset()

    def first_naming_line(self, text: str) -> tuple[TextAnalysis, str]:
        """Read a block of text line by line (a champ's title, then its
        description, then its button): the first line that names a document
        is what the block asks for.  Reading the block as one sentence would
        let a verb in the description ("vous pouvez la télécharger sur caf.fr")
        or a button ("Ajouter un fichier") hide the title.  A single-line text
        is analysed as a whole."""
        lines = [ln for ln in (x.strip() for x in text.split("\n")) if ln]
        if len(lines) <= 1:
            return self.analyse(text), text
        for ln in lines:
            an = self.analyse(ln)
            if an.documents:
                return an, ln
        return self.analyse(" ".join(lines)), text

    @lru_cache(maxsize=100_000)
    def subject_in(self, text: str) -> str | None:
        """The person a surrounding text (section header, fieldset legends
        one per line) names, read from the last line (the innermost group)
        to the first."""
        for line in reversed([ln for ln in text.split("\n") if ln.strip()] or [text]):
            s = self.analyse(line).subject
            if s:
                return s
        return None

    def _bundled(self, hint: str) -> list[str]:
        """Documents a help says the piece comes with (« … avec les comptes approuvés et le rapport du
        commissaire aux comptes », « accompagné de », « y compris ») — a bundle, so a later request of one of
        them asks for it again.  Examples (« par exemple », « notamment ») bundle nothing."""
        return list(self._bundled_cached(hint))

    @lru_cache(maxsize=100_000)
    def _bundled_cached(self, hint: str) -> tuple[str, ...]:
        if _EXAMPLES_ANYWHERE.search(normalise(hint)):
            return ()
        out: list[str] = []
        for sentence in re.split(r"[.;\n]", hint):
            norm = normalise(sentence)
            # « Le cas échéant les derniers états financiers » (help of « Rapport du commissaire aux comptes »):
            # a condition that only says the piece exists, then the piece — asked too, once it exists
            exists = next((c for c in self.existence_conditions if norm.startswith(c + " ")), None)
            if exists:
                norm = norm[len(exists):]
                if not _ARTICLE_FIRST.match(norm):
                    continue  # « Le cas échéant, en complément du RIB »: what the piece goes with, not another one
            elif self._starts_with_condition(sentence) and not sentence.lstrip().startswith("+"):
                continue  # « Uniquement si vous avez édité votre attestation avec la calculette… »: when, not what
            # where bundled pieces start: after « avec », « accompagné de »…, or at once after a leading « + »
            lead = exists or sentence.lstrip().startswith("+")
            starts = ([0] if lead else []) + [m.end() for m in _BUNDLE.finditer(norm)]
            for at in starts:
                # up to an alternative (« … OU attestation d'hébergement accompagnée de … ») or the next « avec »
                rest = re.split(r"\b(?:ou|avec)\b", norm[at:], maxsplit=1)[0]
                rest = _IF_ANY.sub("", rest)  # « + le cas échéant les derniers états financiers »
                if re.match(r"\s*(?:sa|son|ses|leur|leurs)\b", rest):
                    continue  # « attestation de l'hébergeant accompagnée de sa pièce d'identité »: someone else's
                whose = self.analyse(rest).subject
                if (whose is not None and _base_subject(whose) != "demandeur") or _ANOTHER.search(rest):
                    continue  # « … accompagnée de la pièce d'identité et du justificatif de l'hébergeant »
                # each piece of a list (« le rapport du commissaire aux comptes (si concerné) et dernier rapport
                # d'activité ») must follow its « et » at once
                for part in re.split(r"\s(?:et|plus)\s", rest):
                    toks = self.tokens(part)
                    hits = [h for h in self.hits(toks) if h.kind in ("doc", "variant")]
                    # « avec mention de la date » bundles nothing: a piece must follow the word at once
                    if not hits or min(h.start for h in hits) > 1:
                        break
                    an = self.analyse(part)
                    if (an.subject is not None and _base_subject(an.subject) != "demandeur") or _ANOTHER.search(part):
                        break  # « … accompagnée de la pièce d'identité de l'hébergeant »: another person's piece
                    out += [d for d in an.documents if d not in out]
        return tuple(out)


# a noun phrase opening on its article (« les derniers états financiers »), not « en complément du RIB »
_ARTICLE_FIRST = re.compile(r"^\s*(?:le|la|les|l|un|une|des|vos|votre|ses|son|sa|leur|leurs)\b")


def hint_names_document(tax: Taxonomy, hint: str) -> bool:
    return bool(hint) and bool(tax.analyse(hint).documents)
