"""Whether two requests of one document ask for it twice (:func:`_relation`),
and which groups of requests all do (:func:`_cliques`).

What keeps a pair apart (another person, item, side or page, period,
variant, slot, qualifier or object, exclusive conditions) is decided in
one function, so that a false repetition can be traced to the one rule
that should have told the two requests apart; a pair the wording does not
settle goes to ``review``, never to the repetitions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .conditions import _complementary_ranges, _disjoint_marks, _negated_case, exclusive
from .reading import _EXTRA_ITEMS as _EXTRA_SLOTS
from .model import _HOUSEHOLD, Classification, _base_subject
from .text import as_written, normalise

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

# words that make a person another one than the one named without them (a substitute, a deputy)
_DEPUTY = frozenset({"suppleant", "suppleante", "adjoint", "adjointe", "remplacant", "remplacante", "interimaire",
                     "vice"})
_ADDRESSEE = frozenset({"adresse", "adressee", "destine", "destinee", "attention", "intention"})


# « … à la nouvelle adresse », « du futur logement » ; not « ce document doit comporter votre nouvelle adresse » (an
# instruction on the one proof asked, for those who moved)
_NEW_ADDRESS = re.compile(r"\b(?:a la (?:nouvelle|future) adresse|(?:du|au) (?:nouveau|futur) (?:domicile|logement))\b")


def _new_address(c: Classification) -> bool:
    """The request is for the address the user moves to, which may not be the one already proved."""
    return bool(_NEW_ADDRESS.search(normalise(c.text)))


def _relation(a: Classification, b: Classification, doc: str, tax: "Taxonomy") -> tuple[str, str]:
    """("same" | "review" | "distinct", reason in French) for two requests of ``doc``.

    Same document, same person, overlapping period, not two parts of one
    document, conditions that can hold together: a repetition.  A request
    made under a condition that repeats an unconditional one counts (the user
    who meets the condition is asked twice); a category then one of its
    instances counts ("justificatif de domicile", then "facture
    d'électricité") unless the instance does not stand for the category on
    its own.  Only two different conditions whose compatibility the wording
    does not settle are left for review."""
    entry = tax.documents.get(doc)
    people = {_base_subject(a.subject), _base_subject(b.subject)}
    household = entry is not None and ((entry.household and people <= _HOUSEHOLD)
                                       or (bool(entry.shared_by) and {a.subject, b.subject} <= set(entry.shared_by)))
    if (a.subject != b.subject and not household) or _item(a) != _item(b):
        return "distinct", ""
    if a.other_instance or b.other_instance:
        return "distinct", ""  # "si différent du représentant légal": another person's or copy
    if bool({q for q in a.qualifier if q.startswith("co-")}) != bool({q for q in b.qualifier if q.startswith("co-")}):
        return "distinct", ""  # « CV du candidat » / « CV du co-encadrant »: a co-somebody is another person
    if (a.qualifier & _DEPUTY) != (b.qualifier & _DEPUTY):
        return "distinct", ""  # « CV du RS » / « CV du RS suppléant »: the principal and the substitute
    if a.document == doc and b.document == doc and a.qualifier and b.qualifier \
            and not (a.qualifier <= b.qualifier or b.qualifier <= a.qualifier):
        return "distinct", ""  # two deliberations, two medical certificates with different objects
    if a.document == doc and b.document == doc and doc in tax.qualified and bool(a.qualifier) != bool(b.qualifier) \
            and len(a.qualifier or b.qualifier) >= 2 and not (a.qualifier | b.qualifier) & _ADDRESSEE:
        # « Attestation sur l'honneur » then « Attestation sur l'honneur d'éligibilité au FCTVA », « Délibération »
        # then « Délibération autorisant l'exécutif à signer » : the second names its own object, so it is another
        # statement or decision than the bare one (one word, « (pour les structures publiques) », says too little;
        # « lettre de motivation adressée au comité » names whom it is for, not another letter)
        return "distinct", ""
    if a.document == doc and b.document == doc and doc in tax.qualified and (
            (a.obj and b.obj and not a.obj & b.obj) or (bool(a.obj) != bool(b.obj) and len(a.obj or b.obj) >= 2)):
        # « Délibération du conseil communautaire » then « … fixant les attributions de compensation », « Attestation
        # sur l'honneur relative à l'exercice de la fonction » then « … relative au permis de conduire »: what follows
        # « fixant », « relative à »… says which decision or statement it is
        return "distinct", ""
    if entry is not None and entry.subject_default == a.subject == b.subject and a.document == doc == b.document \
            and doc not in tax.qualified and (_owner_named(a, b, tax) or _owner_named(b, a, tax)):
        # « Kbis de la société » / « Le dernier Kbis du GAEC », « Avis SIRENE de la structure qui reçoit le
        # financement » / « … de la coopérative scolaire »: a body's piece, one naming the body by its kind, the other
        # by its own name; without a list of the bodies in the form, they cannot be told to be one
        return "distinct", ""
    ca, cb = _owner_clause(a, tax), _owner_clause(b, tax)
    if ca and cb and not (ca <= cb or cb <= ca):
        # « Avis SIRENE de la structure qui va recevoir le financement » / « … de la structure qui gère les fonds de
        # l'école » : what the clause after the owner says tells two bodies apart
        return "distinct", ""
    if (a.part or b.part) and a.part != b.part and not {a.part, b.part} <= {"recto", "verso", None}:
        return "distinct", ""  # two pages of a document, not the document twice
    if {a.part, b.part} == {"recto", "verso"}:
        return "distinct", ""  # the two sides of one document, even when not side by side
    if _tail_slots(a, b, tax):
        return "distinct", ""  # "… correspondant à la catégorie B" / "… à la catégorie AM"
    if a.slot and b.slot and a.slot[0] == b.slot[0] and a.slot[1] != b.slot[1]:
        # "Passeport … (Visa d'entrée)" / "Passeport … (Vignette OFII)", "Lettre de motivation (Groupe A)" /
        # "(groupes B et C)": one wording, two slots told apart by what follows it
        return "distinct", ""
    if "suite" in (a.part, b.part):
        return "distinct", ""  # continuation slots: each holds further pages or items
    if a.item is not None and a.item == b.item and a.item in _EXTRA_SLOTS:
        return "distinct", ""  # « 4.4 - Autre délibération » and « - Autre délibération »: two further ones
    va, vb = _variant_of(a, doc, tax), _variant_of(b, doc, tax)
    if va and vb and va != vb:
        return "distinct", ""
    for one, other in ((va, b), (vb, a)):
        named = {v for v in other.variants if tax.variant_parent.get(v) == doc}
        if one and len(named) > 1 and one not in named:
            return "distinct", ""  # « Dernier bilan » / « Dernier compte de résultat ou liasse fiscale »
    if (va is None) != (vb is None) and not tax.standalone.get(va or vb or "", True):
        # a lease asked alone is not the proof of address asked elsewhere; one the other request names among the
        # pieces it asks all of (« une facture … ET le bail de location », not « … ou une copie du bail ») is
        # asked twice
        naming = b if va else a
        if not (naming.joined and (va or vb) in naming.variants):
            return "distinct", ""
    if a.period and b.period and set(a.period) != set(b.period):
        pa, pb = set(a.period), set(b.period)
        if pa & pb and (pa < pb or pb < pa):
            # "Avis d'imposition 2024" and "Avis 2024 sur les revenus 2023": maybe the same notice
            return "review", "périodes qui se recouvrent sans être identiques"
        return "distinct", ""  # "avis 2025 sur les revenus 2024" and "avis 2024 sur les revenus 2023"
    if _new_address(a) != _new_address(b):
        # « Justificatif de domicile » / « Déménagement : justificatif de domicile à la nouvelle adresse » : the same
        # proof for one who has already moved, another for one about to move; the form does not say which
        return "review", "l'une des demandes vise la nouvelle adresse"
    if exclusive(a, b, tax):
        return "distinct", ""
    if _negated_case(a, b, tax) or _negated_case(b, a, tax):
        # « Attestation de quotient familial Région CAF » / « … (pour les non allocataires CAF) »
        return "distinct", ""
    if _disjoint_marks(a.text, b.text) or _complementary_ranges(a.text, b.text):
        # « Lettre de motivation (Uniquement Groupe A) » / « (facultatif pour les groupes B et C) », « communes
        # de moins de 1000 habitants » / « de 1000 habitants et plus »: one slot per category or size
        return "distinct", ""
    if a.case and b.case and a.case[0] == b.case[0] and a.case[1] != b.case[1] and "*" not in (a.case[1], b.case[1]) \
            or (a.case and a.case == b.case and not a.case[1]):
        # after « les pièces demandées sont fonction du statut [Société / Association] » or « en fonction de la
        # demande, des pièces complémentaires… » then one section per case: one set of pieces per case
        return "distinct", ""
    if bool(a.period) != bool(b.period) and (a.period or b.period) != ["N"]:
        # « Délibération du conseil communautaire » / « … de la Métropole 2021 », « Les comptes annuels certifiés »
        # / « Le compte de résultat N-1 »: the piece that names no year may be another year's (one that names
        # only the current year, « pour l'année en cours », is what a piece naming none means)
        dated = a.period or b.period
        return "review", f"l'une des demandes nomme une période (« {', '.join(dated)} »), l'autre aucune : " \
                         "peut-être une autre année"
    for one, other in ((a, b), (b, a)):
        # « avis SIRENE ou Kbis » then « Kbis »: the user may have given the SIRENE notice first; but
        # « livret de famille intégral ou acte de naissance si 1er enfant » asks for the booklet first, unless
        # « et/ou » puts none first (« plan de situation et/ou plan cadastral » then « plan de situation et plan
        # de masse »: the user may have given the cadastral plan alone); but one that asks for all the pieces
        # named (« plan de situation, plan cadastral et plan de masse ») asks again for whichever was given
        if one.either and len(one.documents) > 1 and (one.documents[0] != doc or one.and_or) \
                and not (other.either and set(other.documents) == set(one.documents)) \
                and not (not other.either and set(one.documents) <= set(other.documents)):
            others = [tax.labels.get(d, d) for d in one.documents if d != doc]
            name = tax.labels.get(doc, doc)  # what a French reader knows the piece by, not its identifier
            return "review", (f"« {' ou '.join([name] + others)} » puis « {name} » : l'usager a pu fournir "
                              "l'autre pièce la première fois")
    for one, other in ((a, b), (b, a)):
        if one.either_unknown and not (other.either_unknown and other.text == one.text):
            # « Etat de services détaillé ou contrat de travail » then « Copie des contrats de travail »: the
            # user may have given the first piece the first time
            name = tax.labels.get(doc, doc)
            return "review", (f"« … ou {name} » puis « {name} » : l'usager a pu fournir l'autre pièce la première "
                              "fois")
    if a.condition == b.condition and a.scope_condition and b.scope_condition \
            and a.scope_condition != b.scope_condition and tax.is_condition(_unnumbered(a.scope_condition)) \
            and tax.is_condition(_unnumbered(b.scope_condition)):
        # one condition of its own, under two cases (« 4.1.1 - Si vous occupez toujours l'emploi… » / « 4.2.1.1 - Si
        # vous poursuivez l'exécution du contrat à durée déterminée… »): can both cases hold?
        ca, cb = (_short(as_written(c.scope_condition or "", c.context_text)) for c in (a, b))
        return "review", f"deux cas différents (« {ca} », « {cb} ») : peuvent-ils être vrais ensemble ?"
    if a.guard and b.guard and a.guard[0] == b.guard[0] and a.guard[2] \
            and not ("hint" in (a.matched_on, b.matched_on) and "label" in (a.matched_on, b.matched_on)):
        # "La délibération est-elle prise ? [oui/non]" then « Projet de délibération », then « Délibération »;
        # but a field that names no piece (« Pièces jointes ») and names this one only in its help (« … dans ce
        # cas, joindre la délégation de signature ») is no slot for one answer: it gathers what all must give
        return "review", (f"les deux champs suivent la même question à réponse unique (« {_short(a.guard[1])} ») : "
                          "sans doute l'un pour chaque réponse")
    if a.condition and b.condition and a.condition != b.condition and tax.tokens(a.condition) != tax.tokens(b.condition) \
            and not _nested_thresholds(a.condition, b.condition, tax) \
            and not {a.condition, b.condition} <= tax.existence_conditions \
            and not _parts_of_one_project(a.condition, b.condition, tax) \
            and not _narrower_case(a.condition, b.condition, tax):
        # (« si connus » and « si connu » are one condition; « subvention supérieure à 1 000 € » and « … à
        # 23 000 € » hold together above 23 000 €; « si connus » and « si signé » only say the piece exists;
        # « dans le cas d'acquisitions » and « dans le cas de travaux » name two parts of one project; « dans le cas
        # de travaux » and « dans le cas de travaux d'infrastructure » are one case, then a narrower one)
        ca, cb = (as_written(c.condition or "", c.text, c.context_text) for c in (a, b))
        return "review", f"deux conditions différentes (« {ca} », « {cb} ») : peuvent-elles être vraies ensemble ?"
    return "same", ""


_ABOVE = re.compile(r"\b(?:superieure?s?|plus de|au dela de|au moins|egale? ou superieure?s?|supérieure?s?)\b")


def _nested_thresholds(a: str, b: str, tax: "Taxonomy") -> bool:
    """Two conditions worded alike but for a lower bound (« dont la subvention est supérieure à 1 000 € » /
    « … supérieures à 23 000 € »): the higher one implies the lower one, so both can hold."""
    if not (_ABOVE.search(a) and _ABOVE.search(b)):
        return False
    a, b = (re.sub(r"(\d)[\s.](?=\d{3}\b)", r"\1", x) for x in (a, b))  # « 23 000 » is one number
    shape = lambda text: [("#" if t.isdigit() else t) for t in tax.tokens(text)]  # noqa: E731
    na, nb = re.findall(r"\d+", a), re.findall(r"\d+", b)
    return bool(na) and bool(nb) and shape(a) == shape(b)


_NEGATIONS = frozenset({"pas", "sans", "aucun", "aucune", "non", "hors", "ni", "sauf", "excepte"})


def _parts_of_one_project(a: str, b: str, tax: "Taxonomy") -> bool:
    """Each condition names one part of a project, not the same one (« 6-1 Dans le cas d'acquisitions
    immobilières » / « 6-2 Dans le cas de travaux »): a project may comprise both, so both may hold.  A
    condition that names two parts, or says « sans », « hors », « pas » (« travaux sans acquisition »), is
    left to the reader."""
    def parts(text: str) -> set[int]:
        if set(normalise(text).split()) & _NEGATIONS:
            return set()
        words = set(tax.tokens(text))
        return {k for k, group in enumerate(tax.project_parts) if words & group}

    pa, pb = parts(a), parts(b)
    return len(pa) == 1 and len(pb) == 1 and pa != pb


def _narrower_case(a: str, b: str, tax: "Taxonomy") -> bool:
    """One condition is the other made narrower (« 6-2 Dans le cas de travaux » / « Dans le cas de dossiers portant
    sur des travaux d'infrastructure […] »): whoever meets the narrower one meets the broader, so both hold.  The
    broader one names its case in one word (not counting « si », « cas », « pour »), found in the narrower one, which
    says more; neither says « pas », « sans », « hors »."""
    if (set(normalise(a).split()) | set(normalise(b).split())) & _NEGATIONS:
        return False
    ta, tb = ({t for t in tax.tokens(_unnumbered(x)) if not t.isdigit() and t not in tax.condition_words}
              for x in (a, b))
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    # a broader case of one word only: with more, the longer one may list other cases (« conjoint de Français, pacsé
    # avec un Français, conjoint de réfugié… ») or say whose piece it is (« frais d'agence » : the agency's RIB)
    if len(small) != 1 or len(big) < 2:
        return False
    # one word family (« si vous êtes hébergé » / « si hébergement chez un particulier »)
    (word,) = small
    return any(w == word or (len(w) >= 6 and len(word) >= 6 and w[:6] == word[:6]) for w in big)


def _cases_both_hold(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """The two requests sit under two conditions the form states and that can both hold (two parts of one
    project): where the same field comes twice, these are the conditions it is shown under — nothing hidden is
    left to explain the copy."""
    return bool(a.condition and b.condition and a.condition != b.condition
                and _parts_of_one_project(a.condition, b.condition, tax))


def _unnumbered(text: str) -> str:
    """A section's wording without its number (« 4.1.1 - Si vous… » → « Si vous… »; normalised text reads
    « 411 si vous… »)."""
    return re.sub(r"^[\d\s.)-]+", "", text)


def _item(c: Classification) -> str | None:
    """The item a request names, « actuel » being the one a request naming none asks for (« titre de séjour
    actuel » / « carte de séjour en cours de validité »)."""
    return None if c.item in _CURRENT else c.item


_CURRENT = frozenset({"actuel", "actuelle", "actuels", "actuelles"})


def _owner_clause(c: Classification, tax: "Taxonomy") -> frozenset[str]:
    """The words of a relative clause right after the person or body a label names (« de la structure qui va
    recevoir le financement »): which one of its kind the piece is for.  Empty when there is none."""
    label = c.text.split("\n", 1)[0]
    words = normalise(label).split()
    for j in range(1, len(words) - 1):
        if words[j] == "qui" and tax.analyse(" ".join(words[max(0, j - 3):j])).subject == c.subject:
            clause = tax.tokens(" ".join(words[j + 1:j + 9]))
            return frozenset(t for t in clause if len(t) > 2 and t not in tax.plain_words and not t.isdigit())
    return frozenset()


def _owner_named(kind: Classification, own: Classification, tax: "Taxonomy") -> bool:
    """``kind``'s label names the body whose piece it asks by its kind (« Kbis de la société »), ``own`` names
    none but says more, in words ``kind`` does not use (« Le dernier Kbis du GAEC »): its own name."""
    label = kind.text.split("\n", 1)[0]
    if own.subject_named or not own.qualifier or tax.analyse(label).subject != kind.subject:
        return False
    return not own.qualifier <= set(tax.tokens(label))


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _tail_slots(a: Classification, b: Classification, tax: "Taxonomy") -> bool:
    """Two labels worded alike for most of their length that end differently ("Carte grise ou bon
    de commande des véhicules correspondant à la catégorie B" / "… catégorie AM"): one wording for
    several slots.  Both tails must say something (not a plain word, a person or a side)."""
    wa = normalise(a.text.split("\n", 1)[0]).split()
    wb = normalise(b.text.split("\n", 1)[0]).split()
    k = 0
    while k < min(len(wa), len(wb)) and wa[k] == wb[k]:
        k += 1
    # a condition shared by its first words ("(Si hébergement…)" / "(Si candidat mineur…)") is where they part
    k = next((j for j in range(k) if tax.is_condition(" ".join(wa[j:j + 6]))), k)
    if k < 4 or k < 0.6 * max(len(wa), len(wb)):
        return False
    ta, tb = wa[k:], wb[k:]
    if not ta or not tb or tax.is_condition(" ".join(ta)) or tax.is_condition(" ".join(tb)):
        return False  # two conditions: alternatives or review, decided by the conditions

    def meaningful(words: list[str]) -> bool:
        toks = tax.tokens(" ".join(words))
        subj = {t for h in tax.hits(toks) if h.kind == "subject" for t in toks[h.start:h.end]}
        return any(t not in tax.plain_words and t not in subj and t not in ("recto", "verso") for t in toks) \
            or any(w.isdigit() or len(w) <= 3 for w in words)

    return meaningful(ta) and meaningful(tb)


def _variant_of(c: Classification, doc: str, tax: "Taxonomy") -> str | None:
    """The one variant of ``doc`` a request names ("statuts et récépissé de déclaration en
    préfecture": the préfecture's receipt, not the Journal officiel), else None."""
    if c.document == doc and len(c.documents) == 1:
        return c.variant
    vs = [v for v in c.variants if tax.variant_parent.get(v) == doc]
    return vs[0] if len(vs) == 1 else None


def _cliques(n: int, same: set[tuple[int, int]]) -> list[list[int]]:
    """Groups of requests that are pairwise the same document.  Joining by
    transitivity would make « salle 1 » and « salle 2 » one group because each
    repeats a third request; a group is reported only when every pair in it
    is a repetition (greedy, in form order)."""
    groups: list[list[int]] = []
    for a, b in sorted(same):
        ga = next((g for g in groups if a in g), None)
        gb = next((g for g in groups if b in g), None)
        if ga is not None and ga is gb:
            continue
        if ga is None and gb is None:
            groups.append([a, b])
            continue
        if ga is not None and gb is not None:
            if all((min(x, y), max(x, y)) in same for x in ga for y in gb):
                ga.extend(gb)
                groups.remove(gb)
            continue
        g, new = (ga, b) if ga is not None else (gb, a)
        if all((min(x, new), max(x, new)) in same for x in g):  # type: ignore[union-attr]
            g.append(new)  # type: ignore[union-attr]
    # a repetition left out of every group (« carte grise » asked again under two cases) is its own pair
    covered = {(min(x, y), max(x, y)) for g in groups for x in g for y in g if x != y}
    extra = [[a, b] for a, b in sorted(same - covered)
             if not any(a in g and b in g for g in groups)]
    return [sorted(g) for g in groups] + extra


def _same_words(tax: Taxonomy, a: Any, b: Any) -> bool:
    """Two labels that differ only by accents, case, punctuation or stop words ("Piece identité" /
    "Pièce d'identité")."""
    def words(x: Any) -> list[str]:
        return [w for w in normalise(str(x)).split() if w not in _ELISIONS]

    return bool(a) and bool(b) and words(a) == words(b)


_ELISIONS = {"d", "de", "du", "des", "l", "la", "le", "les", "s"}
