"""One procedure of the catalogue → its document requests and DLNUF findings.

The form gives its own context, read in order:

* a ``HeaderSection`` opens a section; a person it names ("Pièces concernant
  l'hébergeant") qualifies the requests under it;
* a section header or an ``Explication`` that opens a condition ("Si vous êtes
  locataire", "Sinon, si vous êtes hébergé") makes the requests after it
  conditional until the next header or explanation: two requests of one
  document under different conditions are alternatives, not a repetition;
* children of a ``Repetition`` block are asked once per person or item: they
  form their own scope and are never a repetition of requests outside it;
* ``TitreIdentite`` champs are identity documents by type;
* ``Iban`` / ``Siret`` champs (and text champs labelled "IBAN", "SIRET") are
  typed information that an uploaded RIB or Kbis duplicates.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..documents import DocumentRequest, Findings, Taxonomy, analyse_requests, normalise
from ..indicators import dlnuf_level
from .reader import Champ, Procedure

if TYPE_CHECKING:
    from ..config import Rules

UPLOAD_TYPES = {"PieceJustificative": None, "TitreIdentite": "piece-identite"}
TEXT_TYPES = {"Text", "Textarea", "ExpressionReguliere", "Number", "IntegerNumber"}


CHOICE_TYPES = {"DropDownList", "YesNo"}  # one answer only: their options exclude each other
# questions whose answer usually decides which champs follow (démarches-simplifiées' display conditions
# are not in the published descriptions); a ticked attestation decides nothing
GUARD_TYPES = {"DropDownList", "YesNo", "MultipleDropDownList", "Checkbox", "LinkedDropDownList"}
GUARD_REACH = 3  # pieces right after a question that its answer may decide
_ATTESTATION = re.compile(r"^(?:j |je |en cochant|nous |vous certifiez|vous attestez|cocher|case)")
# « Les pièces justificatives demandées sont fonction du statut du bénéficiaire », « En fonction de la demande, des
# pièces complémentaires sont à produire » : what follows is a list of cases, one set of pieces per case
_DEPENDS = re.compile(r"\b(?:en fonction d|sont fonction d|est fonction d|selon (?:votre|la|le|les|leur|son|sa) "
                      r"(?:situation|cas|statut|nature|type|demande|profil|categorie)|suivant votre situation)")
# « A compléter pour chaque demande », « Vous pouvez répéter cette rubrique autant de fois que vous avez d'enfants »:
# a block asked once per item, however generic its name
_EACH = re.compile(r"\b(?:chaque|chacun|chacune|autant de fois|repeter (?:cette|ce|la|le) (?:rubrique|bloc|section|partie))\b")
_SEVERAL = re.compile(r"\b(?:du ou des|le ou les|la ou les|un ou plusieurs|une ou plusieurs|cumulable)")
MULTIPLE_TYPES = {"MultipleDropDownList", "Checkbox"}
# « Renseigner la partie correspondante au motif de votre demande », « la rubrique qui vous concerne »: the parts
# that follow, one per case
_OR_ALONE = re.compile(r"^\W*(?:ou|ou bien|ou alors|sinon)\W*$")
# « Êtes-vous le bénéficiaire de la demande ? », « Vous êtes le titulaire du compte ? » : what follows in the
# section is about the person acting for them
_ARE_YOU = re.compile(r"\b(?:etes vous|vous etes) (?:le|la|l) (?:beneficiaire|titulaire|personne concernee|interesse|"
                      r"interessee)\b")
_PART_FOR_CASE = re.compile(r"\b(?:partie|rubrique|section|cadre)s? (?:correspondante?s? (?:a|au|aux|a la|a votre)\b|"
                            r"qui (?:vous )?(?:concerne|correspond))")
_PIECE_WORDS = re.compile(r"\b(?:pieces?|documents?|justificatifs?)\b")
# a case applying to all (« 5.A. Générales », « Pour toutes les structures »): not one case among others
_ALL_CASES = re.compile(r"\b(?:generale?s?|communes?|tous|toutes|dans tous les cas)\b")
# a question about the user's child or spouse (« Vos enfants ont-ils suivi leurs études en Polynésie ? »): the
# pieces it calls for are theirs
# « Je sollicite la bonification pour rapprochement de conjoints » (a box opening a section), « Je candidate pour
# le poste de CDD… » (an upload): one case each; the same piece under two of them is asked once per case
_SOLICIT = re.compile(r"^(?:je sollicite|je demande|je candidate|je postule)\b")
# « Un document officiel qui atteste du changement de votre prénom »: a TitreIdentite champ used for another piece
_ATTESTS = re.compile(r"\b(?:atteste|attestant|justifie|justifiant|prouve|prouvant)\b")
_ABOUT_RELATIVE = re.compile(r"\b(?:votre|vos) (?:enfants?|conjointe?s?|epoux|epouse)\b")


def _branch(text: str, choices: list[tuple[str, list[str]]], tax: Taxonomy,
            header: bool = False) -> tuple[str, str] | None:
    """The option of a preceding single-answer choice that a header, an
    explanation or a condition names ("Demande d'acompte" under "Je sollicite
    [une avance / un acompte / le solde]"): requests under two options of one
    choice are alternatives.  The most recent choice naming exactly one
    option wins."""
    if not text:
        return None
    toks = tax.tokens(text)
    words = f" {' '.join(toks)} "
    for ref, options in reversed(choices):
        named = [o for o in options if f" {o} " in words]
        if len(named) == 1:
            return ref, named[0]
    if header:
        for ref, options in reversed(choices):
            fuzzy = _closest_option(set(toks), options)
            if fuzzy is not None:
                return ref, fuzzy
    return None


def _closest_option(words: set[str], options: list[str]) -> str | None:
    """The one option of a choice whose wording a section title takes up (« Constitution du dossier de
    demande d'agrément au SIV » under « Précisez la démarche : [Je demande une habilitation au SIV / Je
    demande un agrément au SIV / Je déclare un changement relatif à une habilitation…] »): words shared with
    it that the options do not all share, at least two, and more than with any other option."""
    opts = [set(o.split()) for o in options]
    common = set.intersection(*opts) if opts else set()
    scores = sorted(((len((o - common) & words), i) for i, o in enumerate(opts)), reverse=True)
    if len(scores) < 2 or scores[0][0] < 2 or scores[0][0] == scores[1][0]:
        return None
    return options[scores[0][1]]


_PIECES_HEAD = re.compile(r"\b(?:pieces?|justificatifs?|documents?)\b")
_RECENT = re.compile(r"\b(?:de )?moins de \d+ (?:mois|ans?|jours?)\b")
_COUNTED = re.compile(r"\b(?:des|aux|par|chaque|categories?|groupes?|lots?|volets?)\b")


def _container(label: str, tax: Taxonomy) -> bool:
    """Whether a ``Repetition`` block's label only says "pieces to attach" (generic words, no
    person, no document, no item word)."""
    an = tax.analyse(label)
    if not label.strip() or an.subject is not None or an.documents or an.item is not None:
        return False
    if an.generic:
        return True
    # a topic ("Identité", "Domicile") rather than things counted ("Co-financeurs", "Sites", "Projet 1")
    words = normalise(label).split()
    if len(words) <= 2 and not any(w.isdigit() or (len(w) > 3 and w[-1] in "sx") for w in words):
        return True
    # the pieces of a topic, named by their generic head (« Pièces techniques : Assainissement collectif »,
    # « Pièces justificatives communes à toute demande », « Domiciliation : justificatifs de moins de 6 mois »),
    # not those of things counted (« Justificatifs des véhicules correspondant à la catégorie B »)
    # (the head opens the label or what follows its colon: « Nouvel enseignant (informations et pièces
    # justificatives) » is a block per teacher)
    # (a number says which one — « Projet 1 » —, unless it dates the pieces: « de moins de 6 mois »)
    text = _RECENT.sub(" ", " ".join(words))
    heads = [normalise(part) for part in re.split(r"\s*:\s*|\s+[-–—]\s+", label)]
    return any(_PIECES_HEAD.match(h) for h in heads) and not _COUNTED.search(text) \
        and not any(w.isdigit() for w in text.split())


def _instructions(text: str) -> bool:
    """An explanation that opens with « si » but is a paragraph of instructions (over 40 words, or « Si vous
    effectuez votre demande en ligne, connectez-vous à https://… »): it says how to fill the form, not when the
    pieces after it are asked.  A short sentence about the files themselves (« Si vous voulez joindre plusieurs
    fichiers… ») is no condition to begin with (``upload_instructions`` in rules/justificatifs.yaml)."""
    words = normalise(text).split()
    return len(words) > 40 or "http" in text or "www." in text


def _case_block(label: str, tax: Taxonomy) -> bool:
    """Whether a ``Repetition`` block's label states a case (« Si vous êtes un étudiant sollicitant une
    autorisation provisoire de séjour », « Etudiant ayant quitté le territoire … et revenant en France pour
    solliciter une carte … »): the author used the block to lay out one case's pieces, each asked once, under
    that case — not once per person or item (« Enfant », « Co-financeur », « … de chaque personne »)."""
    words = normalise(label).split()
    if _EACH.search(" ".join(words)) or tax.analyse(label).item is not None:
        return False
    return tax.is_condition(label) or len(words) >= 10


def _named_for_other_pieces(block: Champ, tax: Taxonomy) -> bool:
    """Whether a ``Repetition`` block named after a document asks for other pieces only (« Visa D portant la
    mention "mineur scolarisé" » holding « Passeport » and « Copie intégrale de l'acte de naissance »): its name
    is the case of the one who holds that document, laid out as a section — not one block per visa, as
    « Bulletin de salaire » holding « Bulletin de salaire » is one per pay slip."""
    named = tax.analyse(block.label)
    if len(named.documents) != 1 or named.subject is not None or named.item is not None:
        return False
    kids = [tax.analyse(k.label).documents for k in block.champs if k.type in UPLOAD_TYPES]
    return bool(kids) and all(k and named.documents[0] not in k for k in kids)


@lru_cache(maxsize=50_000)
def _members(text: str, tax: Taxonomy) -> frozenset[tuple[int, str]]:
    """The members of ``exclusive_conditions`` groups a text names, as (group, member) (cached: forms copied
    from one template repeat their headers)."""
    words = f" {' '.join(tax.tokens(text))} "
    return frozenset((k, w) for k, g in enumerate(tax.exclusive_groups) for w in g if f" {w} " in words)


# « Volet A - Plantation de haies », « Lot 2 : … » : a section opened by one item of a lettered or numbered list
_HEADER_MARK = re.compile(r"^\W*(volet|lot|tranche|groupe|cat[ée]gorie|zone|cas)\s+(?:n\s*[°ºo]\.?\s*)?([A-Z]|\d{1,2})\b"
                          r"(?!\s*(?:et|ou|,|/|&)\s)", re.I)


def _header_mark(header: str) -> tuple[str, str] | None:
    """The list item a section header opens (« Volet A », « Lot 2 »): the pieces under « Volet A » and those
    under « Volet B » are each volet's own (one plan of the hedges planted, one of the trees), not one piece
    asked twice; a header naming no such item, or several (« Groupes B et C »), says nothing."""
    m = _HEADER_MARK.match(header or "")
    return (normalise(m.group(1)), m.group(2).upper()) if m else None


def _case_headers(champs: list[Champ], tax: Taxonomy) -> set[str]:
    """Section headers that name the case they are for: « Demande en tant que personne physique » and, further,
    « … personne morale » name two members of one group of ``exclusive_conditions``.  Such a header states its
    section's condition even though it does not begin like one; a header naming the only member of its group
    in the form (« Identification de l'association ») states nothing."""
    named: dict[str, frozenset[tuple[int, str]]] = {}
    stack = list(champs)
    while stack:
        ch = stack.pop()
        stack.extend(ch.champs)
        if ch.type == "HeaderSection":
            m = _members(ch.label, tax)
            if m and not tax.is_condition(ch.label) and not tax.analyse(ch.label).documents:
                named[ch.ref] = m
    per_group: dict[int, set[str]] = {}
    for m in named.values():
        for g, w in m:
            per_group.setdefault(g, set()).add(w)
    return {ref for ref, m in named.items() if any(len(per_group[g]) > 1 for g, _ in m)}


def _walk(champs: list[Champ], tax: Taxonomy, scope: str, context: list[str], out: list[DocumentRequest],
          choices: list[tuple[str, list[str]]] | None = None, condition: str | None = None,
          branch: tuple[str, str] | None = None, cases: frozenset[str] = frozenset()) -> None:
    """``condition`` / ``branch``: those of the section a ``Repetition`` block sits in ("Si vous
    êtes conjoint de Français" → its « Pièces à joindre » block)."""
    header = header_help = ""
    choices = list(choices or [])
    guard: tuple[str, str, bool] | None = None
    guarded = 0
    asked: dict[str, str] = {}  # a question's wording → the ref of its first occurrence
    zone: tuple[str, str, str] | None = None  # (cue ref, case ref, level of the cases) after a « selon… » text
    last_question = ""
    box: str | None = None  # the « Je sollicite… » box of the current section
    proxy = False  # after « Êtes-vous le bénéficiaire de la demande ? »: the pieces of whoever acts for them
    section: list[DocumentRequest] = []  # the requests since the last section header
    # the option a part title names (a header straight followed by another header: « Constitution du dossier
    # de demande d'agrément » then « Informations sur le demandeur »): its sections stay in that branch until a
    # header names another option
    part: tuple[str, str] | None = None
    # « CAS n° 2 : Je fais ma propre déclaration fiscale » (an explanation): the case the pieces after it are for,
    # until the next case or section — one of the situations the form lists, one per applicant
    told: tuple[str, str] | None = None
    for i, ch in enumerate(champs):
        t = ch.type
        if t == "HeaderSection":
            told = None
            box = None
            proxy = False
            section = []
        if t in CHOICE_TYPES and _ARE_YOU.search(normalise(ch.label)):
            proxy = True
        elif t == "Checkbox" and _SOLICIT.match(normalise(ch.label)):
            box = ch.ref
        if t in GUARD_TYPES and not (t == "Checkbox" and _ATTESTATION.match(normalise(ch.label))):
            last_question = t
        raw = f"{ch.label} {ch.description}".lower() if t in CHOICE_TYPES | {"HeaderSection", "Explication"} else ""
        text = normalise(raw) if ("fonction" in raw or "selon" in raw or "suivant" in raw or "correspond" in raw
                                  or "concerne" in raw) else ""
        if text and ((_DEPENDS.search(text) and _PIECE_WORDS.search(text)) or _PART_FOR_CASE.search(text)):
            # « … en fonction du ou des motifs cochés », after a list where several answers may be ticked: the
            # cases add up, a piece asked under two of them is asked twice
            several = _SEVERAL.search(text) or (t not in CHOICE_TYPES and last_question in MULTIPLE_TYPES)
            zone = None if several else (ch.ref, "", "choice" if t in CHOICE_TYPES else "")
        elif zone is not None and t in ("HeaderSection", "Explication"):
            level = zone[2] or t
            if t == "HeaderSection" and level == "Explication":
                zone = None  # cases told apart by explanations end with the next section
            else:
                case = "*" if _ALL_CASES.search(normalise(ch.label)) else ch.ref
                zone = (zone[0], case, level)
        if t in GUARD_TYPES and not (t == "Checkbox" and _ATTESTATION.match(normalise(ch.label))):
            # a question right before a piece: the platform most likely shows the piece for one answer
            guard = (ch.ref, ch.label, t in CHOICE_TYPES)
            guarded = 0
        elif t not in UPLOAD_TYPES and t != "Explication":
            guard = None  # a text, a date, an address…: the question is no longer the piece's context
        elif t in UPLOAD_TYPES:
            guarded += 1
            if guarded > GUARD_REACH:
                guard = None
        if t in CHOICE_TYPES:
            opts = ["oui", "non"] if t == "YesNo" else [" ".join(tax.tokens(o)) for o in ch.options]
            opts = [o for o in opts if o and len(o) >= 3]
            if len(opts) >= 2:
                # one question asked twice (« Solliciter mon attestation » for two kinds of project): one choice
                choices.append((asked.setdefault(normalise(ch.label), ch.ref), opts))
            continue
        if t == "HeaderSection":
            header = ch.label
            header_help = ch.description
            guard = None
            condition = ch.label if tax.is_condition(ch.label) or ch.ref in cases else None
            own = _branch(ch.label, choices, tax, header=True)
            if own is not None:
                titled = i + 1 < len(champs) and champs[i + 1].type == "HeaderSection"
                part = own if titled else (None if part and part[0] == own[0] else part)
            branch = own or part
            continue
        if t == "Explication" and _OR_ALONE.match(normalise(ch.label)):
            # « Les états financiers … » / « ou » / « Les états financiers (bilan et compte de résultat) »: the
            # pieces before and after a lone « ou » are two ways to answer, one case each
            for r in section:
                if r.c.case is None:
                    r.c.case = (ch.ref, "avant")
            zone = (ch.ref, "apres", "Explication")
            continue
        if t == "Explication" and (mark := _header_mark(ch.label)) is not None and mark[0] == "cas":
            told = mark
            continue
        if t == "Explication":
            text = ch.label if tax.is_condition(ch.label) else ch.description
            if (tax.is_condition(ch.label) or (ch.description and tax.is_condition(ch.description))) \
                    and not _instructions(text):
                condition = text
                branch = _branch(ch.label, choices, tax) or branch
            continue
        if t == "Repetition":
            # a block named like a section ("Pièces à joindre") is a container the form's author used
            # for layout: its pieces are asked once, like the pieces around it; a block named after a
            # person or a document ("Enfant", "Bulletin de salaire") is asked once per item
            # « A compléter pour chaque demande de subvention » (the block's or its section's help): one per item
            each = _EACH.search(normalise(f"{ch.description} {header_help}"))
            case = _case_block(ch.label, tax) and not each
            inner = scope if (_container(ch.label, tax) or case or _named_for_other_pieces(ch, tax)) \
                and not each else ch.ref
            # a case's wording (« … sollicitant une carte de séjour création d'entreprise ») names no owner
            first = len(out)
            _walk(ch.champs, tax, inner, ([] if case else [ch.label]) + [header] + context, out, choices,
                  ch.label if case else condition, branch, cases)
            uploads = [r for r in out[first:] if not r.typed]
            extra = tax.instructed_requests(ch.description, [r.c.documents for r in uploads],
                                            [header] + context) if uploads else []
            for c, sentence in extra:
                # « Dans le cas de travaux […], fournir l'avant-projet » (the block's help): in that case the block's
                # upload holds that piece too, asked once — compared with the rest of the form
                out.append(DocumentRequest(evidence={"ref": uploads[0].evidence["ref"], "label": ch.label,
                                                     "hint": sentence, "from_help": True}, c=c, scope=scope))
            continue
        if t in UPLOAD_TYPES:
            default = UPLOAD_TYPES[t]
            if default and _ATTESTS.search(normalise(ch.label)) and not tax.analyse(ch.label).documents:
                default = None
            c = tax.classify(
                ch.label, ch.description,
                others=[("context", ch.label and scope and context[0] or "")] if scope else (),
                subject_context=[header] + context,
                condition_context=condition,
                default_document=default,
            )
            own = c.condition if c.condition and c.condition != (normalise(condition) if condition else None) else None
            c.branch = (_branch(own, choices, tax) if own else None) or branch
            c.guard = guard
            if zone is not None and (zone[1] or zone[2] == "choice"):
                c.case = (zone[0], zone[1])
            elif _SOLICIT.match(normalise(ch.label)):
                c.case = ("je sollicite", ch.ref)
            elif box is not None:
                c.case = ("je sollicite", box)
            elif _header_mark(header) is not None:
                c.case = _header_mark(header)
            elif told is not None:
                c.case = told
            if guard is not None and c.document is not None and c.variant is None and not c.variants:
                # « Carte d'identité [oui / non] » then « Télécharger la pièce d'identité », « Passeport biométrique
                # [oui / non] » then « Télécharger le passeport »: the question says which piece the upload is for
                asked_for = tax.analyse(guard[1])
                named = asked_for.variants.get(c.document, [])
                if asked_for.documents == [c.document] and len(named) == 1:
                    c.variant, c.variants = named[0], list(named)
            if guard is not None and not c.subject_named and c.document is not None:
                about = normalise(guard[1])
                if _ABOUT_RELATIVE.search(about):
                    c.subject = tax.subject_in(guard[1]) or c.subject
            if proxy and c.document is not None and tax.analyse(ch.label).subject is None:
                c.subject = "mandataire"  # « Votre qualité : avocat, tuteur » then « Carte d'identité (recto) »
            out.append(DocumentRequest(evidence={"ref": ch.ref, "label": ch.label, "hint": ch.description},
                                       c=c, scope=scope))
            section.append(out[-1])
            for extra, sentence in tax.field_help_requests(ch.description, c, [header] + context):
                out.append(DocumentRequest(evidence={"ref": ch.ref, "label": ch.label, "hint": sentence,
                                                     "from_help": True}, c=extra, scope=scope))
            continue
        typed = tax.typed_field(champ_type=t) if t not in TEXT_TYPES else None
        if typed is None and t in TEXT_TYPES and len(ch.label) <= 60:
            typed = tax.typed_field(label=ch.label)
        if typed is not None:
            out.append(DocumentRequest(evidence={"ref": ch.ref, "label": ch.label}, c=tax.classify(""),
                                       scope=scope, typed=True, typed_field=typed.id))


def procedure_requests(proc: Procedure, tax: Taxonomy) -> list[DocumentRequest]:
    out: list[DocumentRequest] = []
    _walk(proc.champs, tax, "", [], out, cases=frozenset(_case_headers(proc.champs, tax)))
    return out


def analyse_procedure(proc: Procedure, tax: Taxonomy, rules: "Rules | None") -> tuple[dict[str, Any], Findings]:
    """The ``findings.jsonl`` line of one procedure, and the raw findings."""
    reqs = procedure_requests(proc, tax)
    f = analyse_requests(reqs, tax, identical_labels_review=True,
                         context=f"{proc.title}\n{proc.organisme or ''}")
    uploads = [r for r in reqs if not r.typed]
    line = {
        "number": proc.number,
        "title": proc.title,
        "organisme": proc.organisme,
        "dossiersCount": proc.dossiers_count,
        "url": proc.url,
        "requests": [
            {"ref": r.evidence["ref"], "label": r.evidence["label"], "document": r.c.document,
             "subject": r.c.subject, "variant": r.c.variant, "period": r.c.period,
             **({"documents": r.c.documents} if len(r.c.documents) > 1 else {}),
             **({"variants": r.c.variants} if len(r.c.variants) > 1 else {}),
             **({"scope": r.scope} if r.scope else {}),
             **({"condition": r.c.condition} if r.c.condition else {}),
             **({"part": r.c.part} if r.c.part else {}),
             **({"generic": True} if r.c.generic else {}),
             # asked in a block's help (« Dans le cas de travaux, fournir l'avant-projet »), not a champ of its own
             **({"from_help": True, "hint": r.evidence["hint"]} if r.evidence.get("from_help") else {})}
            for r in uploads
        ],
        "repeated": [{"document": x["document"], "refs": [e["ref"] for e in x["requests"]]} for x in f.repeated],
        "already_held": [{"document": x["document"], "source": x["source"], "refs": [e["ref"] for e in x["requests"]],
                          **({"users": x["users"]} if x.get("users") else {})}
                         for x in f.already_held],
        "typed_and_uploaded": [{"document": x["document"], "refs": [e["ref"] for e in x["requests"]]}
                               for x in f.typed_and_uploaded],
        "review": [{"document": x["document"], "reason": x["reason"], "refs": [e["ref"] for e in x["requests"]]}
                   for x in f.review],
        "score": f.score,
        "level": dlnuf_level(f.score, f.requests, rules),
    }
    return line, f
