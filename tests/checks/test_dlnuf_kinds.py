"""Each kind of repetition error seen on real démarches-simplifiées forms, in both directions.

Why: the repetition score is published; each false repetition (one document
split over fields, the same document for different people, exclusive
branches) and each missed one (other words, category then instance, a
conditional repeat) is pinned here by a small form built from real wording,
so a rule change that reintroduces it fails.  The taxonomy is loaded alone
(rules/justificatifs.yaml), so these tests do not depend on other rule files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.catalogue.analyse import analyse_procedure
from auditor.catalogue.reader import to_procedure
from auditor.documents import JustificatifsRules, taxonomy_from

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tax():
    data = yaml.safe_load((ROOT / "rules" / "justificatifs.yaml").read_text(encoding="utf-8"))
    return taxonomy_from(JustificatifsRules.model_validate(data))


def pj(ref: str, label: str, description: str = "") -> dict[str, Any]:
    return {"ref": ref, "type": "PieceJustificative", "label": label, "description": description}


def other(ref: str, type_: str, label: str, options: list[str] | None = None) -> dict[str, Any]:
    return {"ref": ref, "type": type_, "label": label, "options": options or []}


def run(tax, champs, title="Démarche", organisme="Préfecture test") -> dict[str, Any]:
    proc = {"number": 1, "title": title, "organisme": organisme, "dossiersCount": 1, "url": None, "champs": champs}
    line, _ = analyse_procedure(to_procedure(proc), tax, None)
    return line


def repeated_refs(line) -> list[list[str]]:
    return [sorted(x["refs"]) for x in line["repeated"]]


# ---------------------------------------------------------------- false repetitions


def test_parts_of_one_document_are_not_repeated(tax):
    line = run(tax, [pj("0", "Titre d'identité", "(Recto)"), pj("1", "Titre d'identité", "(Verso)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Justificatif de domicile de moins de six mois", "Facture, quittance…"),
                     pj("1", "Justificatif de domicile de moins de six mois", "2ème page le cas échéant"),
                     pj("2", "Justificatif de domicile de moins de six mois", "3ème page le cas échéant")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Copie du livret de famille"), pj("1", "Copie du livret de famille - Deuxième page"),
                     pj("2", "Copie du livret de famille - Troisième page")])
    assert not line["repeated"]
    # the other direction: the same document twice, no part named
    line = run(tax, [pj("0", "Copie du livret de famille"), pj("1", "Livret de famille intégral")])
    assert repeated_refs(line) == [["0", "1"]]


def test_same_document_for_different_people_is_not_repeated(tax):
    line = run(tax, [pj("0", "Pièce d'identité recto-verso (époux(se) n°1)"),
                     pj("1", "Pièce d'identité recto-verso (1er témoin)"),
                     pj("2", "Pièce d'identité recto-verso (3ème témoin)"),
                     pj("3", "Pièce d'identité de l'hébergeant"),
                     pj("4", "Justificatif de domicile du demandeur"),
                     pj("5", "Titre de propriété ou bail de location du local")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Pièce d'identité du représentant légal 1"), pj("1", "Pièce d'identité du représentant légal 2")])
    assert not line["repeated"]
    # the other direction: the same person asked twice
    line = run(tax, [pj("0", "Pièce d'identité du représentant légal 1"),
                     pj("1", "Copie de la carte d'identité du représentant légal 1")])
    assert repeated_refs(line) == [["0", "1"]]


def test_exclusive_branches_are_not_repeated(tax):
    line = run(tax, [
        other("0", "DropDownList", "Je sollicite", ["une avance", "un acompte", "le solde"]),
        other("1", "HeaderSection", "Demande d'avance"), pj("2", "Délibération du conseil municipal"),
        other("3", "HeaderSection", "Demande de solde"), pj("4", "Délibération du conseil municipal"),
    ])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Si couple marié : acte de mariage"), pj("1", "Si couple pacsé : acte de mariage")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Pour les associations – Statuts"), pj("1", "Pour les sociétés - Statuts")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Si vous êtes locataire : justificatif de domicile"),
                     pj("1", "Sinon, justificatif de domicile")])
    assert not line["repeated"]
    # the other direction: a request under a condition that repeats an unconditional one
    line = run(tax, [pj("0", "Extrait de délibération approuvant l'opération et son financement"),
                     pj("1", "Extrait de délibération approuvant l'opération et son financement (pour les structures publiques)")])
    assert repeated_refs(line) == [["0", "1"]]


# ---------------------------------------------------------------- missed repetitions


def test_same_document_in_other_words_is_repeated(tax):
    line = run(tax, [pj("0", "Procès-verbal de la dernière assemblée générale"),
                     pj("1", "Compte rendu de la dernière assemblée générale")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Copie intégrale du livret de famille"),
                     pj("1", "Livret de famille intégral ou acte de naissance")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Actes d'état civil", "Copie intégrale de l'acte de naissance"),
                     pj("1", "Acte de naissance")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a financial report of the action is not the AG minutes
    line = run(tax, [pj("0", "Compte rendu financier de l'action"), pj("1", "Procès-verbal d'assemblée générale")])
    assert not line["repeated"]


def test_category_then_instance_is_repeated(tax):
    line = run(tax, [other("0", "HeaderSection", "Étape 3"), pj("1", "Justificatif de domicile"),
                     other("2", "HeaderSection", "Étape 4"), pj("3", "Facture d'électricité à votre nom")])
    assert repeated_refs(line) == [["1", "3"]]
    # the other direction: an instance that does not stand for the category on its own
    line = run(tax, [pj("0", "Justificatif de domicile"), pj("1", "Attestation d'hébergement")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Quittance de loyer"), pj("1", "Facture d'électricité")])
    assert not line["repeated"]


def test_conditional_repeat_is_repeated(tax):
    line = run(tax, [pj("0", "Pièce d'identité"), pj("1", "Si vous renouvelez votre demande : pièce d'identité")])
    assert repeated_refs(line) == [["0", "1"]]
    # two different conditions whose compatibility the wording does not settle: review, with the reason
    line = run(tax, [pj("0", "Si vous êtes hébergé : pièce d'identité"), pj("1", "Si vous êtes mineur : pièce d'identité")])
    assert not line["repeated"] and line["review"] and "conditions" in line["review"][0]["reason"]


# ------------------------------------------------------------------- already held


def test_already_held_depends_on_who_asks(tax):
    acte = [pj("0", "Copie intégrale de l'acte de naissance", "Daté de moins de 3 mois")]
    held = run(tax, acte, title="Dossier de pré-demande de mariage", organisme="Mairie de Boé")["already_held"]
    assert [x["document"] for x in held] == ["acte-naissance"] and "état civil" in held[0]["users"]
    assert not run(tax, acte, title="Inscription au collège", organisme="Collège Jean Macé")["already_held"]
    foreign = [pj("0", "Acte de naissance", "Copie intégrale traduite par un traducteur assermenté")]
    assert not run(tax, foreign, title="Pré-demande de mariage", organisme="Mairie")["already_held"]
    grise = [pj("0", "Copie de la carte grise du véhicule")]
    assert not run(tax, grise, title="Aide à l'achat d'un vélo", organisme="Mairie d'Écully")["already_held"]


def test_already_held_association_and_social_documents(tax):
    line = run(tax, [pj("0", "Statuts de l'association régulièrement déclarée"),
                     pj("1", "Copie de la publication au JO ou du récépissé de déclaration en préfecture"),
                     pj("2", "Notification du Crous 2024/2025"),
                     pj("3", "Attestation de carte vitale"),
                     pj("4", "POUR LES EPCI - Extrait des statuts laissant apparaître les compétences"),
                     pj("5", "Copie des pièces d'identité des représentants désignés par les statuts")])
    held = {r for x in line["already_held"] for r in x["refs"]}
    assert held == {"0", "1", "2"}


def test_continuation_slots_are_not_repeated(tax):
    """« … suite » adds a file to the previous request (real: SGCD du Gard, Académie de Versailles)."""
    line = run(tax, [pj("0", "Avis d'imposition N-2 : toutes les pages obligatoires"),
                     pj("1", "Avis d'imposition N-2 suite : toutes les pages obligatoires"),
                     pj("2", "Avis d'imposition N-2 suite : toutes les pages obligatoires")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Justificatifs d'identité des nouveaux enseignants"),
                     pj("1", "Justificatifs d'identité des nouveaux enseignants (suite)")])
    assert not line["repeated"]
    # the other direction: no continuation word, the same notice twice
    line = run(tax, [pj("0", "Avis d'imposition 2023"), pj("1", "Dernier avis d'imposition 2023")])
    assert repeated_refs(line) == [["0", "1"]]


def test_third_party_and_first_or_renewal_branches_are_not_repeated(tax):
    """The account holder is another person; « Seulement pour une première demande » and « Pour un
    renouvellement » exclude each other; « Vous êtes un organisme public » / « une association » too."""
    line = run(tax, [pj("0", "Copie du passeport du client"), pj("1", "Copie du passeport du titulaire du compte")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Vos statuts régulièrement déclarés", "Seulement pour une première demande"),
                     pj("1", "Un exemplaire des statuts de l'association", "Pour un renouvellement")])
    assert not line["repeated"]
    line = run(tax, [other("0", "Explication", "Vous êtes un organisme public :"),
                     pj("1", "Relevé d'identité bancaire"),
                     other("2", "Explication", "Vous êtes une association :"),
                     pj("3", "Relevé d'identité bancaire de la structure")])
    assert not line["repeated"]
    # the other direction: the same person and no condition, the passport is asked twice
    line = run(tax, [pj("0", "Copie du passeport du client"), pj("1", "Passeport du client")])
    assert repeated_refs(line) == [["0", "1"]]


# ------------------------------------------------- issue 21, repetition set (dlnuf-repeated.yaml, dev part)


def test_qualified_documents_with_different_objects_are_not_repeated(tax):
    """Deliberations, medical certificates and cover letters are defined by their object (real: DSIL,
    FIP Polynésie, BPPS, CPGE): two with different objects are two documents."""
    line = run(tax, [pj("0", "Délibération du conseil municipal ou du conseil communautaire"),
                     pj("1", "Délibération confiant à l'EPCI ou au syndicat la compétence en lien avec le projet"),
                     pj("2", "Délibération", "Délibération de l'organe compétent approuvant le projet et le plan de "
                                               "financement"),
                     pj("3", "Délibération attestant de la nomination de la personne responsable de la structure")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Certificat médical initial"), pj("1", "Certificat médical d'aptitude à la reprise"),
                     pj("2", "Lettre de motivation", "Dans votre lettre de motivation, précisez pourquoi vous désirez "
                                                     "changer d'établissement."),
                     pj("3", "Lettre de motivation pour une place à l'internat")])
    assert not line["repeated"]
    # the other direction: a bare deliberation, then the same one for some applicants only
    line = run(tax, [pj("0", "Délibération"), pj("1", "Délibération (pour les structures publiques)")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Délibération du conseil municipal approuvant le projet"),
                     pj("1", "Délibération signée du conseil municipal")])
    assert repeated_refs(line) == [["0", "1"]]


def test_receipt_and_publication_vitale_and_rights_are_two_documents(tax):
    """Taxonomy entries split by document kind (real: CD93, ARCOM, préfecture de la Savoie)."""
    line = run(tax, [pj("0", "Déclaration en préfecture de l'association"),
                     pj("1", "Copie de la publication au Journal Officiel"),
                     pj("4", "Carte vitale en PDF obligatoirement"),
                     pj("5", "Attestation de droits à l'assurance maladie en PDF obligatoirement"),
                     pj("6", "Rapport d'activité de la dernière assemblée générale"),
                     pj("7", "Rapport moral de la dernière assemblée générale")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Statuts de l'organisation"), pj("1", "Récépissé de dépôt des statuts en mairie")])
    assert not line["repeated"]
    # the other direction: the same receipt, the same card
    line = run(tax, [pj("0", "Récépissé de déclaration en préfecture"), pj("1", "Dernier récépissé de déclaration"),
                     pj("2", "Carte vitale"), pj("3", "Copie de la carte Vitale (recto-verso)")])
    assert sorted(repeated_refs(line)) == [["0", "1"], ["2", "3"]]


def test_numbered_and_negated_sections_are_exclusive(tax):
    """« 3.2. Pour les associations » / « 3.3. Pour les autres structures », « Je suis allocataire » /
    « Je ne suis pas allocataire », « à fournir par les avocats / par les requérants » (real: CD93,
    lycée Louis Bascan, préfecture des Hauts-de-Seine)."""
    line = run(tax, [other("0", "Explication", "3.2. Pour les associations"), pj("1", "Statuts"),
                     other("2", "Explication", "3.3. Pour les autres structures de l'ESS"),
                     pj("3", "Statut de la structure")])
    assert not line["repeated"]
    line = run(tax, [other("0", "Explication", "JE SUIS ALLOCATAIRE DE LA CAF"), pj("1", "Attestation CAF"),
                     other("2", "Explication", "JE NE SUIS PAS ALLOCATAIRE CAF"),
                     pj("3", "Attestation CAF (le cas échéant)")])
    assert not line["repeated"]
    line = run(tax, [other("0", "HeaderSection", "Documents à fournir par les avocats"), pj("1", "RIB CARPA"),
                     other("2", "HeaderSection", "Documents à fournir par les requérants"),
                     pj("3", "RIB compte courant")])
    assert not line["repeated"]
    # the other direction: one numbered section, the statutes asked twice in it
    line = run(tax, [other("0", "Explication", "3.2. Pour les associations"), pj("1", "Statuts"),
                     pj("2", "Statuts à jour de l'association")])
    assert repeated_refs(line) == [["1", "2"]]


def test_slots_translations_and_other_people_are_not_repeated(tax):
    """Glued numbers (« Semestre5 », « page2 »), a translation, « si différent », the project's
    intervenants, a société de régie (real: sous-préfecture de Boulogne, collège de Cadillac, préfecture
    de l'Essonne, lycée Rabelais, DRAAF Occitanie, ARCOM)."""
    line = run(tax, [pj("0", "Justificatif de domicile de moins de 6 mois"),
                     pj("1", "justificatif de résidence habituelle en France Semestre5"),
                     pj("2", "justificatif de résidence habituelle en France Semestre6"),
                     pj("3", "Photocopie du livret de famille (page2)"),
                     pj("4", "Photocopie du livret de famille (page3)"),
                     pj("5", "Acte de naissance"), pj("6", "Acte de naissance traduit"),
                     pj("7", "RIB du responsable légal qui paie les frais"),
                     pj("8", "RIB du responsable légal qui perçoit les aides si différent de celui qui paie"),
                     pj("9", "Curriculum vitæ :"), pj("10", "Curriculum vitæ de chacun des intervenants"),
                     pj("11", "Statuts de l'association ou de la société"),
                     pj("12", "Copie des statuts de la société de régie"),
                     pj("13", "justificatif de domicile de départ"), pj("14", "justificatif de domicile d'arrivée")])
    assert not line["repeated"]
    # the other direction: no number, no translation, the same person
    line = run(tax, [pj("0", "Acte de naissance"), pj("1", "Extrait d'acte de naissance de moins de 3 mois"),
                     pj("2", "Curriculum vitæ :"), pj("3", "CV à jour")])
    assert sorted(repeated_refs(line)) == [["0", "1"], ["2", "3"]]


def test_mentioned_documents_are_not_requested(tax):
    """« Certificat médical du permis de conduire » asks for a certificate; « PV de l'AG approuvant le
    rapport d'activité » for minutes; a help text listing several pieces for one slot asks for them all."""
    line = run(tax, [pj("0", "Permis de conduire (recto/verso)"), pj("1", "Certificat médical du permis de conduire"),
                     pj("2", "Dernier rapport d'activité voté"),
                     pj("3", "Procès verbal de l'assemblée générale approuvant les comptes et le rapport d'activité"),
                     pj("4", "Copie du bail"),
                     pj("5", "Les justificatifs demandés pour ce motif sont :",
                        "- Rapport Caf,\n- Rapport ARS\n- Document attestant du handicap\n- Contrat de location")])
    assert not line["repeated"]
    # the other direction: a label ending in « : » reads its help; « X ou Y » then « X » asks for X twice,
    # « X ou Y » then « Y » is for review (GUIDE.md: the user may have given X the first time)
    line = run(tax, [pj("0", "Copie du bail"), pj("1", "Le justificatif obligatoire pour ce motif est :",
                                                   "- Copie du bail faisant apparaître la surface du logement"),
                     pj("2", "Certificat médical"), pj("3", "Certificat médical ou permis de conduire"),
                     pj("4", "Permis de conduire")])
    assert sorted(repeated_refs(line)) == [["0", "1"], ["2", "3"]]
    assert any("ou" in r["reason"] and r["refs"] == ["3", "4"] for r in line["review"])


def test_documents_outside_the_old_taxonomy_are_repeated(tax):
    """Social report, meeting minutes, financing agreements (real: DDETS Loire-Atlantique, Carsat)."""
    line = run(tax, [pj("0", "Note sociale d'une demande sortant d'hébergement"),
                     pj("1", "Le justificatif attendu pour ce motif est le Rapport Social"),
                     pj("2", "Comptes-rendus de CVS, comités animations"), pj("3", "Compte rendu de CVS (si existant)"),
                     pj("4", "Plan de financement avec copie des accords de financement"),
                     pj("5", "Copie des accords de financement obtenus")])
    assert sorted(repeated_refs(line)) == [["0", "1"], ["2", "3"], ["4", "5"]]
    # the other direction: minutes of two different meetings
    line = run(tax, [pj("0", "Procès-verbal du conseil d'école"), pj("1", "Compte rendu du comité de pilotage")])
    assert not line["repeated"]


def test_a_document_name_then_a_dash_is_a_heading(tax):
    """« Statuts - Publication au JO » asks for the publication, filed under the
    articles' heading (real: DRDFE subsidy forms); it does not repeat « Statuts
    régulièrement approuvés »."""
    line = run(tax, [pj("0", "Statuts régulièrement approuvés"), pj("1", "Statuts - Publication au JO")])
    assert not line["repeated"]
    assert [r["document"] for r in line["requests"]] == ["statuts", "recepisse-association"]
    # the other direction: a part, the same document, or a long sentence keep their whole wording
    line = run(tax, [pj("0", "Statuts de l'association"), pj("1", "Statuts - Version signée")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Publication au Journal officiel"), pj("1", "Statuts - Publication au JO")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Certificat médical"),
                     pj("1", "Joignez votre certificat médical établi par un médecin désigné par la commission "
                             "des droits et de l'autonomie - CDAPH, prescrivant les aménagements")])
    assert [r["document"] for r in line["requests"]] == ["certificat-medical", "certificat-medical"]


# ------------------------------------------- issue 21, dlnuf-fresh.yaml (development since 2026-12-06)


def test_the_same_document_for_another_account_or_person_is_not_repeated(tax):
    """What follows the document's name says which one (real: CPAM start-of-practice forms, Fonds
    vert, GIP CN2R)."""
    line = run(tax, [pj("0", "RIB professionnel"), pj("1", "RIB personnel"), pj("2", "RIB activité secondaire")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Relevé d'Identité Bancaire (RIB) du porteur de projet"),
                     pj("1", "Relevé(s) d'Identité Bancaire (RIB) du ou des co-porteurs de projet")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "CV de l'encadrant"), pj("1", "CV du co-encadrant éventuel")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Psychologues : Rapport d'activité"), pj("1", "Assistants sociaux : Rapport d'activité")])
    assert not line["repeated"]
    # the other direction: a relative clause or "à votre nom" describes, it does not tell two RIBs apart
    line = run(tax, [pj("0", "RIB du compte sur lequel l'aide sera versée"), pj("1", "Relevé d'identité bancaire à votre nom")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "RIB professionnel"), pj("1", "Copie du RIB professionnel")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_label_headed_by_another_thing_does_not_request_the_document(tax):
    """« Tableau des pièces d'identité », « Déclaration de vol de votre titre de séjour », « Attestation
    bancaire … pour votre RIB », « Annexe au compte-rendu financier », « Photo d'identité » (real:
    DDTM 35, préfecture des Hauts-de-Seine, CPAM, DRDFE Occitanie, CNAM)."""
    line = run(tax, [pj("0", "Justificatif d'identité"), pj("1", "Télécharger le tableau des pièces d'identité acceptées")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Déclaration de vol ou de perte de votre titre de séjour"),
                     pj("1", "Copie du titre de séjour volé ou perdu")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "RIB professionnel"),
                     pj("1", "Attestation bancaire ou contrat d'ouverture de compte pour votre RIB professionnel")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Compte-rendu financier"), pj("1", "Annexe au compte-rendu financier")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Pièce d'identité"), pj("1", "Photo d'identité RECTO ET VERSO lisible")])
    assert not line["repeated"]
    # the other direction: "copie de", "joindre" do not head anything
    line = run(tax, [pj("0", "Titre de séjour"), pj("1", "Joindre la copie de votre titre de séjour")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_negated_document_and_alternatives_in_a_chain_are_not_repeated(tax):
    """« prestations familiales hors CAF » is not the CAF certificate; « ou copie des quittances… »
    is the alternative to the field before it (real: lycées Jules Ferry, DGFiP Polynésie)."""
    line = run(tax, [pj("0", "Attestation de paiement CAF de moins de trois mois"),
                     pj("1", "Justificatif des prestations familiales hors CAF du dernier mois (MSA, etc.)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Quittance de loyer de janvier"), pj("1", "ou copie des quittances de loyers établies à votre nom")])
    assert not line["repeated"]
    # the other direction: without « hors » / « ou », the same certificate and the same receipts twice
    line = run(tax, [pj("0", "Attestation de paiement CAF de moins de trois mois"),
                     pj("1", "Attestation de paiement de la CAF")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Quittance de loyer"), pj("1", "Copie des quittances de loyers établies à votre nom")])
    assert repeated_refs(line) == [["0", "1"]]


def test_two_slots_of_one_wording_and_two_sides_are_not_repeated(tax):
    """« Passeport … (Visa d'entrée) » / « (Vignette OFII) »; recto and verso of the host's identity card
    not side by side; two near-identical champs with the same help text are left for review (real:
    préfectures du Gard et du Val-d'Oise, commissions de contrôle des listes électorales)."""
    line = run(tax, [pj("0", "Passeport comprenant le visa d'entrée et votre vignette OFII (Visa d'entrée)"),
                     pj("1", "Passeport comprenant le visa d'entrée et votre vignette OFII (Vignette OFII)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Si hébergement par tiers, joindre la copie du RECTO de la pièce d'identité de l'hébergeant "
                             "ainsi que l'attestation de sécurité sociale"),
                     pj("1", "Si hébergement par tiers, joindre la copie du VERSO de la pièce d'identité de l'hébergeant")])
    assert not line["repeated"]
    help_text = "Carte d'identité recto-verso, passeport, permis de conduire,..."
    line = run(tax, [pj("0", "Piece identité", help_text), pj("1", "Pièce d'identité", help_text)])
    assert not line["repeated"] and line["review"]
    # the other direction: a parenthesis on one side only still repeats
    line = run(tax, [pj("0", "Délibération"), pj("1", "Délibération (pour les structures publiques)")])
    assert repeated_refs(line) == [["0", "1"]]


def test_the_journal_officiel_is_not_the_prefecture_receipt(tax):
    """« statuts et dernier récépissé de déclaration en préfecture » then « copie de la déclaration au
    Journal officiel » (real: Département de la Seine-Maritime, 4 forms)."""
    line = run(tax, [pj("0", "Les statuts en vigueur et le dernier récépissé de déclaration en Préfecture correspondant"),
                     pj("1", "Pour les associations, copie de la déclaration au Journal Officiel")])
    assert not line["repeated"]
    # the other direction: the receipt twice
    line = run(tax, [pj("0", "Les statuts en vigueur et le dernier récépissé de déclaration en Préfecture"),
                     pj("1", "Récépissé de déclaration en préfecture")])
    assert repeated_refs(line) == [["0", "1"]]


def rep(ref: str, label: str, champs: list[dict[str, Any]], description: str = "") -> dict[str, Any]:
    return {"ref": ref, "type": "Repetition", "label": label, "description": description, "champs": champs}


def test_layout_blocks_are_read_like_sections_and_keep_their_section_condition(tax):
    """A ``Repetition`` block named « Pièces à joindre » or « Identité » is layout: its pieces are
    compared with the rest of the form, under the condition of the section it sits in; « Votre acte
    de naissance » is the user's own (real: préfecture des Hauts-de-Seine, titre de séjour VPF)."""
    champs = [
        rep("1", "Identité", [pj("1.0", "Acte de naissance", "Copie intégrale ou extrait d'acte de naissance")]),
        other("2", "HeaderSection", "Si vous êtes conjoint(e) de Français(e)"),
        rep("3", "Pièces à joindre", [pj("3.0", "Acte de mariage")]),
        other("4", "HeaderSection", "Si vous êtes enfant d'un(e) Français(e)"),
        rep("5", "Pièce à joindre", [pj("5.0", "Votre acte de naissance", "Copie intégrale ou extrait avec filiation")]),
    ]
    assert repeated_refs(run(tax, champs)) == [["1.0", "5.0"]]
    # the other direction: two sections' blocks under two situations are not a repetition (left for review),
    # and a block named after the people it counts is one item per person
    champs = [
        other("0", "HeaderSection", "Si vous êtes parent d'enfant français"),
        rep("1", "Pièces à joindre", [pj("1.0", "Acte de naissance de l'enfant")]),
        other("2", "HeaderSection", "Si vous êtes ascendant à charge d'un(e) Français(e)"),
        rep("3", "Pièces à joindre", [pj("3.0", "Acte de naissance de l'enfant français")]),
    ]
    assert not run(tax, champs)["repeated"]
    champs = [pj("0", "Statuts de la structure"), rep("1", "Partenaires", [pj("1.0", "Statuts")])]
    assert not run(tax, champs)["repeated"]


def test_site_plans_and_general_assembly_minutes_in_other_words(tax):
    """« plan de situation et/ou plan cadastral » then « plan de situation et plan de masse »; the
    « procès-verbal » then the « compte rendu » of the last general assembly (real: préfecture de l'Orne,
    FIPDR).  « X et/ou Y » puts none of them first: the user may have given Y alone the first time, so the
    pair is for review (GUIDE.md: « X et/ou Y » puis « X et Z », as « X ou Y » puis « Y »; in the development
    sets, 67 flagged pairs of this kind were read ambiguous, 4 repeated)."""
    line = run(tax, [pj("0", "Joindre un plan de situation et/ou le plan cadastral"),
                     pj("1", "Justificatif travaux 02 - Plan de situation et plan de masse des travaux")])
    assert not line["repeated"] and [sorted(x["refs"]) for x in line["review"]] == [["0", "1"]]
    # said with the pieces' French names, not the taxonomy's identifiers
    assert "« Plan de situation ou Plan ou extrait cadastral » puis « Plan de situation » : l'usager a pu fournir " \
        "l'autre pièce" in line["review"][0]["reason"]
    # « X ou Y si … » still asks for X first (real: livret de famille intégral ou acte de naissance si 1er enfant)
    line = run(tax, [pj("0", "Copie intégrale du livret de famille"),
                     pj("1", "Livret de famille intégral ou acte de naissance si 1er enfant")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Procès verbal de la dernière assemblée générale"), pj("1", "Compte rendu dernière AG")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a plan de masse is not a plan de situation, a board meeting is not an AG
    line = run(tax, [pj("0", "Plan de situation"), pj("1", "Plan de masse")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Compte rendu dernière AG"), pj("1", "Compte rendu du comité de pilotage")])
    assert not line["repeated"]
    # a list entry's number is not an item, an item's number is (real: agrément d'auto-école, 10 vehicles)
    line = run(tax, [pj("0", "Véhicule 1 - Titre de propriété ou de location"),
                     pj("1", "Véhicule 2 - Titre de propriété ou de location")])
    assert not line["repeated"]


# ------------------------------------------------- issue 21, dlnuf-dev3.yaml (development set)


def test_numbered_rooms_and_categories_are_slots_not_repetitions(tax):
    """« Pour la salle n°1 / n°2, titre de propriété… », « Carte grise … correspondant à la catégorie B /
    AM »; a third request that repeats both does not join them into one group (real: agréments de
    centres de sensibilisation et d'auto-écoles)."""
    line = run(tax, [pj("0", "Pour la salle n°1, titre de propriété ou contrat de location"),
                     pj("1", "Pour la salle n°2, titre de propriété ou contrat de location")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Carte grise ou bon de commande des véhicules correspondant à la catégorie B"),
                     pj("1", "Carte grise ou bon de commande des véhicules correspondant à la catégorie AM")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Carte grise"), pj("1", "Carte grise (si véhicule loué)"),
                     pj("2", "Carte grise (si véhicule acheté)")])
    # 0~1 and 0~2, but 1 and 2 are two cases: two pairs, never one group of three
    assert sorted(repeated_refs(line)) == [["0", "1"], ["0", "2"]]
    # the other direction: the same wording with a plain tail is the same document
    line = run(tax, [pj("0", "Carte grise du véhicule utilisé pour la formation"),
                     pj("1", "Carte grise du véhicule utilisé pour la formation en cours de validité")])
    assert repeated_refs(line) == [["0", "1"]]


def test_headings_and_help_texts_that_state_a_case(tax):
    """« ASSOCIATIONS - Statuts » / « ÉTABLISSEMENTS PUBLICS - Extrait des statuts »; help texts
    « Obligatoire si le demandeur est le représentant légal d'une société » / « … d'une association »;
    « (en cas de changement de compte) » is another account (real: CAF du Pas-de-Calais, DDT des Vosges,
    université de La Réunion)."""
    line = run(tax, [pj("0", "ASSOCIATIONS - Statuts"),
                     pj("1", "ETABLISSEMENTS PUBLICS - Extrait des statuts datés et signés")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Statuts de la société", "Obligatoire si le demandeur est le représentant légal d'une société"),
                     pj("1", "Statuts de l'association", "Obligatoire si le demandeur est le représentant légal d'une association")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Relevé d'identité bancaire du candidat"),
                     pj("1", "Relevé d'identité bancaire du candidat (en cas de changement de compte)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "RIB"), pj("1", "Formulaire RIB", "Merci de compléter le formulaire RIB joint")])
    assert not line["repeated"]
    # the other direction: a heading that names no case, the same statutes twice
    line = run(tax, [pj("0", "PIÈCES ADMINISTRATIVES - Statuts"), pj("1", "Statuts à jour")])
    assert repeated_refs(line) == [["0", "1"]]


def test_the_household_booklet_and_either_or_requests(tax):
    """The livret de famille « des enfants » is the applicant's; « X ou Y » then « X » repeats X,
    « X ou Y » then « Y » is for review (real: police scientifique RH, crèches SGCD 91 / 95)."""
    line = run(tax, [pj("0", "Livret de famille"), pj("1", "Livret de famille des enfants")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "COPIE INTEGRALE DU LIVRET DE FAMILLE"),
                     pj("1", "Livret de famille INTEGRAL ou extrait de naissance si 1er enfant")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Acte de naissance ou livret de famille"), pj("1", "Livret de famille")])
    assert not line["repeated"] and line["review"]
    # the other direction: a birth act is one person's, the child's is not the applicant's
    line = run(tax, [pj("0", "Acte de naissance"), pj("1", "Acte de naissance de l'enfant")])
    assert not line["repeated"]


def test_a_treasury_receipt_and_a_lease_are_not_proofs_of_address(tax):
    """« Une quittance correspondant au montant de 510 € » is a Treasury receipt; a lease asked beside
    a « justificatif de domicile » is another piece (real: ANSM, Haut-Commissariat en Polynésie)."""
    line = run(tax, [pj("0", "1. Une quittance correspondant au montant de 510 €/demande"),
                     pj("1", "2. Bordereau de transmission de la quittance complété")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Contrat de location"), pj("1", "Justificatif de résidence", "Facture d'électricité")])
    assert not line["repeated"]
    # the other direction: a rent receipt is a proof of address, and two leases are one
    line = run(tax, [pj("0", "Justificatif de domicile"), pj("1", "Quittance de loyer de moins de 3 mois")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Contrat de location"), pj("1", "Copie du bail")])
    assert repeated_refs(line) == [["0", "1"]]


def test_questions_help_lines_and_headings_that_decide_a_piece(tax):
    """Two pieces right after one yes/no question are one per answer; a help line « A fournir si… »
    states a condition; « ENTREPRISES PRIVÉES/GROUPEMENTS - Statuts » is a case; « Avis d'imposition
    si déclaration à part des parents » is the parents' (real: préfecture de l'Essonne, DRAAF, CAF du
    Pas-de-Calais, SGCD 95)."""
    champs = [other("0", "YesNo", "La délibération relative au projet est-elle prise ?"),
              pj("1", "Délibération ou décision (projet)"), pj("2", "Délibération ou décision")]
    line = run(tax, champs)
    assert not line["repeated"] and "même question" in line["review"][0]["reason"]
    line = run(tax, [pj("0", "Copie de la carte d'identité du représentant légal de la structure", "En cours de validité"),
                     pj("1", "Copie de la carte d'identité du représentant légal de la structure :",
                        "En cours de validité.\nA fournir si la structure dépose pour la 1ère fois un projet")])
    assert repeated_refs(line) == [["0", "1"]]  # unconditional, then under a condition: asked twice
    line = run(tax, [pj("0", "ASSOCIATIONS - Statuts"), pj("1", "ENTREPRISES PRIVEES/GROUPEMENT D'ENTREPRISES - Statuts")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Avis d'imposition si déclaration à part du ou des parents"), pj("1", "Avis d'imposition de l'agent")])
    assert not line["repeated"]
    # the other direction: a question far above (a text field between) decides nothing
    champs = [other("0", "DropDownList", "Commune de résidence", ["Brest", "Quimper"]), other("1", "Text", "Nom"),
              pj("2", "Pièce d'identité"), pj("3", "Passeport en cours de validité")]
    assert repeated_refs(run(tax, champs)) == [["2", "3"]]


def test_an_honour_statement_about_a_document_and_an_amendment_are_other_pieces(tax):
    """« Attestation sur l'honneur attestant de la véracité des données du CV », « Avenant au contrat
    de travail » (real: armée de l'Air, DRAJES Grand Est)."""
    line = run(tax, [pj("0", "Joindre un CV récent et à jour"),
                     pj("1", "Compléter, signer et rattacher l'attestation sur l'honneur attestant de la véracité des "
                             "données du CV et des diplômes détenus")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Contrat de travail"), pj("1", "Avenant au contrat de travail")])
    assert not line["repeated"]
    # a help text that only gives examples names no piece in particular (real: DSDEN de l'Ardèche)
    line = run(tax, [pj("0", "Vous avez répondu NON, déposez un document justificatif",
                        "Exemple : décision de justice, livret de famille, etc."),
                     pj("1", "Copie intégrale du livret de famille")])
    assert not line["repeated"]
    # the other direction: two honour statements about the same thing
    line = run(tax, [pj("0", "Attestation sur l'honneur de non-condamnation"),
                     pj("1", "Déclaration sur l'honneur de non-condamnation signée")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_bare_statement_and_one_naming_its_object_are_two_pieces(tax):
    """« Attestation sur l'honneur » then « Attestation sur l'honneur d'éligibilité au FCTVA »;
    « Délibération » then « Délibération autorisant l'exécutif à prendre une décision » (real: Carsat,
    préfecture de l'Essonne): the second names what it is about, so it is another statement or decision."""
    line = run(tax, [pj("0", "Attestation sur l'honneur", "Modèle à télécharger ici : "),
                     pj("1", "Attestation sur honneur d'éligibilité à la récupération du fonds de compensation de la TVA")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Délibération"), pj("1", "Délibération autorisant l'exécutif à prendre une décision")])
    assert not line["repeated"]
    # the other direction: whom a letter is for is not what it is about; a condition is not an object
    line = run(tax, [pj("0", "Lettre de motivation"), pj("1", "Lettre de motivation adressée au comité de sélection")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Délibération"), pj("1", "Délibération (pour les structures publiques)")])
    assert repeated_refs(line) == [["0", "1"]]


def test_the_piece_of_a_body_that_is_not_the_applicant_is_another_piece(tax):
    """« Si la structure déposant la demande n'est pas la structure porteuse, fournir le procès-verbal… »;
    a help text « Si vous souhaitez être prélevé sur un autre compte bancaire que celui déjà indiqué, joindre
    l'IBAN ici » under a label that says nothing (real: DRAAF PACA and Grand Est, lycée Arago)."""
    line = run(tax, [pj("0", "Procès verbal ou délibération de l'organe compétent",
                        "de l'organisme demandeur approuvant l'opération"),
                     pj("1", "Si la structure déposant la demande n'est pas la structure porteuse de la reconnaissance "
                             "GIEE, fournir le procès verbal ou les délibérations de l'organe compétent",
                        "de la structure porteuse approuvant l'opération")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Joindre votre relevé d'identité bancaire (IBAN)"),
                     pj("1", ".", "Si vous souhaitez être prélevé(e) sur un autre compte bancaire que celui déjà "
                                  "indiqué, joindre l'IBAN ici")])
    assert not line["repeated"]
    # the other direction: a condition about the same body, and a plain second RIB field
    line = run(tax, [pj("0", "Procès-verbal de l'organe compétent approuvant l'opération"),
                     pj("1", "Si la structure est une association, procès-verbal de l'organe compétent approuvant "
                             "l'opération")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Joindre votre relevé d'identité bancaire (IBAN)"),
                     pj("1", ".", "Joindre le RIB du compte à prélever")])
    assert repeated_refs(line) == [["0", "1"]]


def test_numbered_case_sections_and_case_headers_are_exclusive(tax):
    """« 5.B. Pour les organismes privés à but non lucratif » / « 5.D. Pour les organismes publics »
    (the outline mark « 5.B. » must not hide the condition); headers « Demande d'agrément en tant que
    personne physique » / « … personne morale (société) » (real: CTM Martinique, préfecture de l'Aisne)."""
    line = run(tax, [other("0", "Explication", "5.B. Pour les organismes privés à but non lucratif"),
                     pj("1", "Délibération approuvant les comptes annuels"),
                     other("2", "Explication", "5.D. Pour les organismes publics"),
                     pj("3", "Extrait de délibération approuvant les comptes annuels")])
    assert not line["repeated"]
    line = run(tax, [other("0", "HeaderSection", "Demande d'agrément en tant que personne physique"),
                     pj("1", "Extrait K d'immatriculation"),
                     other("2", "HeaderSection", "Demande d'agrément en tant que personne morale (société)"),
                     pj("3", "Extrait K d'immatriculation au registre du commerce")])
    assert not line["repeated"]
    # the other direction: a header naming the only case of its kind in the form states no condition
    line = run(tax, [other("0", "HeaderSection", "Identification de l'association"), pj("1", "Statuts"),
                     other("2", "HeaderSection", "Pièces justificatives à transmettre annuellement"),
                     pj("3", "Statuts en vigueur")])
    assert repeated_refs(line) == [["1", "3"]]


def test_pieces_listed_per_case_after_a_text_saying_they_depend_on_it_are_alternatives(tax):
    """« Les pièces justificatives demandées sont fonction du statut du bénéficiaire [Société / Association] »
    then a flat list; « En fonction de la demande, des pièces complémentaires sont à produire » then one
    section per case (real: département des Bouches-du-Rhône, préfecture du Val-de-Marne)."""
    champs = [{"ref": "0", "type": "DropDownList", "label": "Statut du bénéficiaire", "options": ["Société", "Association"],
               "description": "Les pièces justificatives demandées sont fonction du statut du bénéficiaire"},
              pj("1", "Extrait K-BIS de moins de 3 mois"), pj("2", "Derniers statuts à jour"),
              pj("3", "Récépissé de déclaration en préfecture"),
              pj("4", "Derniers statuts à jour avec la mention « certifiés conformes » et signés")]
    assert not run(tax, champs)["repeated"]
    champs = [other("0", "Explication", "En fonction de la demande, des pièces complémentaires sont à produire"),
              other("1", "HeaderSection", "CONJOINT DE FRANÇAIS"), pj("2", "Acte de mariage et passeport du conjoint"),
              other("3", "HeaderSection", "CONJOINT DE SCIENTIFIQUE"),
              pj("4", "Acte de mariage ou livret de famille du conjoint")]
    assert not run(tax, champs)["repeated"]
    # the other direction: a case for all, and cases that add up (« du ou des motifs cochés »)
    champs = [other("0", "Explication", "Les pièces jointes demandées sont fonction de la nature de votre organisme"),
              other("1", "Explication", "5.A. Générales"), pj("2", "Statuts de la structure"),
              other("3", "Explication", "5.B. Associations"), pj("4", "Statuts à jour")]
    assert repeated_refs(run(tax, champs)) == [["2", "4"]]
    champs = [{"ref": "0", "type": "MultipleDropDownList", "label": "Sélectionner le ou les motifs",
               "options": ["Sortant d'hébergement", "Victime de violences"],
               "description": "Les justificatifs à fournir dépendent du ou des motifs cochés."},
              other("1", "HeaderSection", "Justificatifs en fonction du ou des motifs cochés"),
              other("2", "Explication", "Sortant d'hébergement"), pj("3", "Votre contrat de location"),
              other("4", "Explication", "Reprise du logement par le bailleur"), pj("5", "Copie du bail")]
    assert repeated_refs(run(tax, champs)) == [["3", "5"]]


def test_one_question_asked_twice_is_one_choice(tax):
    """Two drop-down lists with one wording (« Solliciter mon attestation en fonction de mon avancée »,
    shown for two kinds of project), then one section per option (real: ARS Nouvelle-Aquitaine)."""
    ask = "Solliciter mon attestation"
    champs = [other("0", "DropDownList", ask, ["Demander mon attestation de fin de paramétrage", "Demander mon attestation de fin de projet"]),
              other("1", "DropDownList", ask, ["Valider la fin du paramétrage de la solution", "Demander mon attestation de fin de projet"]),
              other("2", "HeaderSection", "Demander mon attestation de fin de paramétrage"),
              pj("3", "Procès-verbaux de vérification d'aptitude"),
              other("4", "HeaderSection", "Valider la fin du paramétrage de la solution"),
              pj("5", "Procès-verbaux (ou attestation) de vérification d'aptitude")]
    assert not run(tax, champs)["repeated"]
    # the other direction: two different questions, one option of each named: both may hold
    champs[1] = other("1", "DropDownList", "Type de structure", ["Valider la fin du paramétrage de la solution", "Autre"])
    assert repeated_refs(run(tax, champs)) == [["3", "5"]]


def test_a_question_about_the_child_makes_its_piece_the_childs(tax):
    """« Avez-vous effectué vos études en Polynésie ? » → certificats de scolarité; « Vos enfants ont-ils
    suivi leurs études en Polynésie ? » → certificats de scolarité: the second are the children's
    (real: DGFiP Polynésie française)."""
    champs = [other("0", "YesNo", "Avez-vous effectué tout ou partie de vos études en Polynésie française ?"),
              pj("1", "Certificat(s) de scolarité ou attestation"),
              other("2", "YesNo", "Vos enfants ont-ils suivi leurs études en Polynésie française ?"),
              pj("3", "Certificats de scolarité")]
    assert not run(tax, champs)["repeated"]
    # the other direction: a question about the user decides nothing about whose piece it is
    champs[2] = other("2", "YesNo", "Avez-vous suivi une formation en Polynésie française ?")
    assert repeated_refs(run(tax, champs)) == [["1", "3"]]


def test_what_follows_a_reference_word_says_which_decision_or_statement(tax):
    """« Délibération du conseil communautaire » then « … fixant les attributions de compensation définitives »;
    « Attestation sur l'honneur relative à l'exercice de la fonction » then « … relative au permis de conduire »;
    « Procès-verbal d'assemblée générale » then « … autorisant l'activité extérieure » (real: préfecture du Var,
    SDIS 04, DDT du Rhône)."""
    line = run(tax, [pj("0", "Délibération du conseil communautaire"),
                     pj("1", "Délibération du conseil communautaire fixant les attributions de compensation définitives")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Attestation sur l'honneur relative à l'exercice de la fonction de sapeur-pompier"),
                     pj("1", "Attestation sur l'honneur relative au permis de conduire")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Procès verbal d'Assemblée générale"),
                     pj("1", "Procès verbal d'assemblée générale autorisant l'activité extérieure")])
    assert not line["repeated"]
    # the other direction: the same object in other words, and the same meeting's minutes in other words
    line = run(tax, [pj("0", "Délibération approuvant le plan de financement"),
                     pj("1", "Extrait de délibération approuvant le projet et son plan de financement")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Procès-verbal de la dernière assemblée générale"),
                     pj("1", "Compte rendu de la dernière assemblée générale")])
    assert repeated_refs(line) == [["0", "1"]]


def test_whose_piece_each_one_and_examples(tax):
    """« Pièce justificative du titulaire du RIB » asks for an identity paper, not the RIB; « … de chacun des
    intervenants » asks for one per person; a block « à compléter pour chaque demande » holds one set per item;
    an aide « Joindre notamment les certifications et CV » gives examples (real: lycées, DRAAF, mairie de La
    Rochelle, ARS Île-de-France)."""
    line = run(tax, [pj("0", "Joindre le relevé d'identité bancaire du bénéficiaire (RIB)"),
                     pj("1", "Pièce justificative du titulaire du RIB", "Carte nationale d'identité, passeport…")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Curriculum vitae du responsable"), pj("1", "Curriculum vitae de chacun des intervenants")])
    assert not line["repeated"]
    block = {"ref": "2", "type": "Repetition", "label": "Subvention", "description": "",
             "champs": [pj("2.0", "Rapport d'activité", "Rapport d'activité du projet sélectionné")]}
    champs = [pj("0", "Dernier rapport d'activité"),
              {"ref": "1", "type": "HeaderSection", "label": "Subvention par projet",
               "description": "A compléter pour chaque demande de subvention"}, block]
    assert not run(tax, champs)["repeated"]
    line = run(tax, [pj("0", "Curriculum vitae du ou des entomologistes"),
                     pj("1", "Pièce(s) justificative(s)", "Joindre notamment les certifications et CV des agents concernés")])
    assert not line["repeated"]
    # the other direction: the holder's licence, a plain block, a help text naming one piece
    line = run(tax, [pj("0", "Copie du permis de conduire"),
                     pj("1", "La personne à référencer est titulaire du permis de conduire")])
    assert repeated_refs(line) == [["0", "1"]]
    champs[1] = {"ref": "1", "type": "HeaderSection", "label": "Subvention par projet", "description": ""}
    assert repeated_refs(run(tax, champs)) == [["0", "2.0"]]
    line = run(tax, [pj("0", "Curriculum vitae du responsable"),
                     pj("1", "Pièce justificative", "Joindre le CV du responsable")])
    assert repeated_refs(line) == [["0", "1"]]


def test_years_ago_and_a_bank_account_statement(tax):
    """« Rapport d'activité de l'année dernière » / « … d'il y a deux ans »: two years; « Attestation de compte
    bancaire joint » is a form, not a RIB (real: rectorat d'Aix-Marseille, préfecture du Bas-Rhin)."""
    line = run(tax, [pj("0", "Rapport d'activité de l'année dernière"), pj("1", "Rapport d'activité d'il y a deux ans")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Relevé d'identité bancaire"), pj("1", "Attestation de compte bancaire joint")])
    assert not line["repeated"]
    # the other direction: the same year in two wordings, a RIB asked twice
    line = run(tax, [pj("0", "Rapport d'activité de l'année dernière"), pj("1", "Rapport d'activité N-1")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Relevé d'identité bancaire"), pj("1", "Attestation de compte bancaire")])
    assert repeated_refs(line) == [["0", "1"]]


def test_categories_sizes_and_announced_conditions_are_exclusive(tax):
    """« Lettre de motivation (Uniquement Groupe A) » / « (facultatif pour les groupes B et C) »; « communes
    de moins de 1000 habitants » / « de 1000 habitants et plus »; a help text « Pièce obligatoire pour la
    situation et la condition suivantes : … Condition : couple marié » / « … couple lié par un PACS »
    (real: rectorat de Créteil, préfecture de Seine-et-Marne, ministère de la Culture)."""
    line = run(tax, [pj("0", "Lettre de motivation (Uniquement Groupe A)"),
                     pj("1", "Lettre de motivation (facultatif pour les groupes B et C)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Procès-verbal élections du maire et des adjoints", "communes de moins de 1000 habitants"),
                     pj("1", "Procès-verbal de l'élection du maire et des adjoints", "communes de 1000 habitants et plus")])
    assert not line["repeated"]
    ask = "PIÈCE OBLIGATOIRE pour la situation et la condition suivantes:\nSituation: rapprochement de conjoint\nCondition: "
    line = run(tax, [pj("0", "Contrat de travail du conjoint indiquant la commune où il exerce", ask + "couple marié"),
                     pj("1", "Contrat de travail du.de la conjoint.e indiquant la commune où il exerce", ask + "couple lié par un PACS")])
    assert not line["repeated"]
    # the other direction: one group named in both, one size in both, one condition in both
    line = run(tax, [pj("0", "Lettre de motivation (Groupe A)"), pj("1", "Lettre de motivation pour les groupes A et B")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Procès-verbal élections du maire et des adjoints", "communes de moins de 1000 habitants"),
                     pj("1", "Procès-verbal de l'élection du maire et des adjoints", "communes de moins de 1000 habitants")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Contrat de travail du conjoint indiquant la commune où il exerce", ask + "couple marié"),
                     pj("1", "Contrat de travail du.de la conjoint.e indiquant la commune où il exerce")])
    assert repeated_refs(line) == [["0", "1"]]


def test_identity_card_passport_co_people_and_the_payer(tax):
    """« Carte d'identité » and « Passeport biométrique » are two pieces; « CV du co-encadrant » is another
    person's; « Carte d'identité ou livret de famille » whose help says « Joindre … du responsable financier »
    is the payer's; « (si verso) » is the other side (real: préfecture du Tarn, GIP CN2R, lycée du Valentin,
    médaille d'honneur)."""
    line = run(tax, [pj("0", "Télécharger la carte d'identité"), pj("1", "Télécharger le passeport biométrique")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "CV du candidat"), pj("1", "CV du co-encadrant (le cas échéant)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Carte d'identité de l'élève ou passeport"),
                     pj("1", "Carte d'identité ou livret de famille",
                        "Joindre la carte d'identité ou le livret de famille du responsable financier de l'élève")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "L.02 - Photocopie d'une pièce d'identité"),
                     pj("1", "L.03 - Photocopie d'une pièce d'identité (si verso)")])
    assert not line["repeated"]
    # the other direction: the category then the card, the candidate twice, a help describing the document
    line = run(tax, [pj("0", "Pièce d'identité"), pj("1", "Carte d'identité en cours de validité")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "CV du candidat"), pj("1", "Curriculum vitae (le cas échéant)")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Copie du livret de famille"),
                     pj("1", "Livret de famille", "La copie du livret de famille doit comporter les pages avec les parents")])
    assert repeated_refs(line) == [["0", "1"]]


def test_secondary_extract_self_computed_quotient_custody_and_older_reports(tax):
    """« KBIS » / « LBIS » (a secondary establishment's extract); « Attestation de quotient familial de la
    calculette de la région » (computed by the user, not the CAF); « Justificatif de résidence et de droit de
    garde » (a custody decision); « Avant-dernier rapport annuel d'activité »; « … de chaque partenaire »
    after « à défaut » (real: préfectures du Val-d'Oise et de l'Yonne, lycée Albert-Camus, collège Cocteau,
    rectorat de Nantes, DRDFE)."""
    assert not run(tax, [pj("0", "KBIS", "de moins de 3 mois"), pj("1", "LBIS")])["repeated"]
    assert not run(tax, [pj("0", "Attestation de paiement de la CAF avec quotient familial de moins de 3 mois"),
                         pj("1", "Attestation de quotient familial de la calculette de la région IDF")])["repeated"]
    assert not run(tax, [pj("0", "Justificatif de domicile"),
                         pj("1", "Justificatif de résidence et de droit de garde",
                            "Impératif en cas de séparation des parents")])["repeated"]
    assert not run(tax, [pj("0", "Dernier rapport annuel d'activité"),
                         pj("1", "Avant-dernier rapport annuel d'activité")])["repeated"]
    assert not run(tax, [pj("0", "Le plus récent rapport d'activité approuvé"),
                         pj("1", "Dernier rapport d'activité, à défaut une copie des statuts, de chaque partenaire")])["repeated"]
    # the other direction: two head-office extracts, two CAF quotients, two proofs of address, two last reports
    assert repeated_refs(run(tax, [pj("0", "KBIS"), pj("1", "Extrait K-bis de moins de 3 mois")])) == [["0", "1"]]
    line = run(tax, [pj("0", "Attestation de quotient familial CAF"), pj("1", "Attestation CAF de quotient familial récente")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Justificatif de domicile"), pj("1", "Justificatif de résidence de moins de 3 mois")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Dernier rapport annuel d'activité"), pj("1", "Rapport d'activité le plus récent")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_bare_name_with_a_case_help(tax):
    """« Statuts » whose help says « Uniquement pour les associations : publication des statuts au JO ou
    récépissé de déclaration » asks for the publication (real: DRAAF Normandie)."""
    line = run(tax, [pj("0", "Statuts à jour de la structure porteuse", "dûment déposés et enregistrés"),
                     pj("1", "Statuts", "Uniquement pour les associations : publication des statuts au JO ou "
                                        "récépissé de déclaration en préfecture")])
    assert not line["repeated"]
    # the other direction: a help text whose case names no other piece keeps the label's
    line = run(tax, [pj("0", "Statuts à jour de la structure porteuse"),
                     pj("1", "Statuts", "Uniquement pour les associations : statuts signés")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Relevé d'identité bancaire"),
                     pj("1", "Livret de famille", "Pour les RIB de compte joint. Merci de joindre une copie lisible.")])
    assert not line["repeated"]


def test_past_residence_amended_articles_requests_about_a_document_and_other_people(tax):
    """« Justificatif de résidence sur les 5 dernières années » (a stay, not the current address);
    « Statuts modifiés »; « Joindre la demande de l'agent de révision de compte rendu »; « Justificatif
    d'identité de l'accueillant », « Pièces d'identité des examinateurs »; « … (pour les non allocataires
    CAF) » (real: sous-préfecture de Boulogne-Billancourt, DDETS, CDG 35, préfectures, lycée Louis-Bascan)."""
    assert not run(tax, [pj("0", "Justificatif de domicile de moins de 6 mois"),
                         pj("1", "Justificatif de résidence sur les 5 dernières années")])["repeated"]
    assert not run(tax, [pj("0", "Statuts", "Les statuts régulièrement déclarés à la Préfecture"),
                         pj("1", "Statuts modifiés", "Les statuts modifiés et régulièrement déclarés")])["repeated"]
    assert not run(tax, [pj("0", "Joindre le compte rendu de l'entretien professionnel :"),
                         pj("1", "Joindre la demande de l'agent de révision de compte rendu d'entretien professionnel")])["repeated"]
    assert not run(tax, [pj("0", "Votre passeport"), pj("1", "Justificatif d'identité de l'accueillant")])["repeated"]
    assert not run(tax, [{"ref": "0", "type": "TitreIdentite", "label": "L'identité du déclarant"},
                         pj("1", "Pièces d'identité des examinateurs")])["repeated"]
    assert not run(tax, [pj("0", "Attestation de quotient familial Région Caf"),
                         pj("1", "Attestation de quotient familial Région (pour les non allocataires CAF)")])["repeated"]
    # the other direction: a proof of address twice, the articles twice, the report twice, the applicant twice,
    # and a condition that negates something the other request does not name
    assert repeated_refs(run(tax, [pj("0", "Justificatif de domicile"), pj("1", "Justificatif de résidence")])) == [["0", "1"]]
    assert repeated_refs(run(tax, [pj("0", "Statuts"), pj("1", "Statuts à jour")])) == [["0", "1"]]
    assert repeated_refs(run(tax, [pj("0", "Compte rendu de l'entretien professionnel"),
                                   pj("1", "Joindre le compte rendu d'entretien professionnel")])) == [["0", "1"]]
    assert repeated_refs(run(tax, [pj("0", "Votre passeport"), pj("1", "Justificatif d'identité du déclarant")])) == [["0", "1"]]
    assert repeated_refs(run(tax, [pj("0", "Attestation de quotient familial"),
                                   pj("1", "Attestation de quotient familial (pour les non salariés)")])) == [["0", "1"]]


def test_a_deliberation_whose_help_says_what_it_approves(tax):
    """« Dernière délibération de l'assemblée générale » (help: « … ayant désigné les membres du conseil
    d'administration ») and « Délibération de l'AG » (help: « … approuvant ce rapport d'activité ») are two
    decisions (real: DRDFE)."""
    line = run(tax, [pj("0", "Dernière délibération de l'assemblée générale",
                        "Joindre la dernière délibération de l'assemblée générale ayant désigné les membres du conseil d'administration"),
                     pj("1", "Délibération de l'AG",
                        "Joindre la copie de la délibération de l'assemblée générale approuvant ce rapport d'activité.")])
    assert not line["repeated"]
    # the other direction: help texts naming the same object
    line = run(tax, [pj("0", "Délibération de l'assemblée générale",
                        "Joindre la délibération de l'assemblée générale approuvant le rapport d'activité"),
                     pj("1", "Délibération de l'AG",
                        "Joindre la copie de la délibération de l'assemblée générale approuvant ce rapport d'activité.")])
    assert repeated_refs(line) == [["0", "1"]]


def test_pieces_under_two_solicited_cases_and_looked_up_documents(tax):
    """Sections each opened by a box « Je sollicite la bonification pour … » (one set of pieces per case,
    as the labellers read it); uploads « Je candidate pour le poste … »; « S'ils ne figurent pas dans les
    statuts… » looks documents up, it does not ask for them; a TitreIdentite champ « un document officiel qui
    atteste du changement de votre prénom » is not an identity paper; a help « Joindre l'attestation quotient
    familial Région (calculette) » shows the label's CAF attestation is not one (real: DSDEN 54, SDIS 66,
    DRIEAT, pass Culture, lycée)."""
    champs = [other("0", "HeaderSection", "Rapprochement de conjoints"),
              other("1", "Checkbox", "Je sollicite la bonification pour rapprochement de conjoints"),
              pj("2", "Photocopie du livret de famille et/ou extrait d'acte de naissance des enfants pour les agents mariés"),
              other("3", "HeaderSection", "Situation de parent isolé"),
              other("4", "Checkbox", "Je sollicite la bonification pour la situation de parent isolé"),
              pj("5", "Photocopie du livret de famille et/ou extrait d'acte de naissance des enfants")]
    assert not run(tax, champs)["repeated"]
    assert not run(tax, [pj("0", "Je candidate pour le poste de CDD au CTA-CODIS - documents obligatoires (lettre et CV)"),
                         pj("1", "Je candidate pour un des 8 postes en CIS - documents obligatoires (lettre et CV)")])["repeated"]
    assert not run(tax, [pj("0", "Statuts", "Statuts en vigueur de l'association"),
                         pj("1", "S'ils ne figurent pas dans les statuts ou le règlement intérieur",
                            "a) Les conditions permettant l'accès aux comptes")])["repeated"]
    assert not run(tax, [{"ref": "0", "type": "TitreIdentite", "label": "Carte nationale d'identité ou passeport"},
                         {"ref": "1", "type": "TitreIdentite",
                          "label": "un document officiel qui atteste du changement de votre prénom ou de nom"}])["repeated"]
    assert not run(tax, [pj("0", "Justificatif de Quotient Familial de moins de 3 mois",
                            "Joindre votre attestation de paiement CAF où figure le quotient familial"),
                         pj("1", "Attestation de Quotient Familial pour la restauration scolaire",
                            "Joindre l'attestation quotient familial Région (« calculette Région IDF »)")])["repeated"]
    # the other direction: boxes that are plain attestations, two sections without boxes, the articles asked,
    # a TitreIdentite champ with a plain label, a help restating the same attestation
    champs[1] = other("1", "Checkbox", "J'atteste l'exactitude des informations")
    champs[4] = other("4", "Checkbox", "J'atteste l'exactitude des pièces")
    assert ["2", "5"] in repeated_refs(run(tax, champs))
    assert repeated_refs(run(tax, [pj("0", "Statuts"), pj("1", "Statuts en vigueur de l'association")])) == [["0", "1"]]
    assert repeated_refs(run(tax, [{"ref": "0", "type": "TitreIdentite", "label": "Carte nationale d'identité"},
                                   {"ref": "1", "type": "TitreIdentite", "label": "Justificatif"}])) == [["0", "1"]]
    line = run(tax, [pj("0", "Justificatif de Quotient Familial de moins de 3 mois"),
                     pj("1", "Attestation de Quotient Familial", "Joindre l'attestation de quotient familial CAF")])
    assert repeated_refs(line) == [["0", "1"]]


def test_refinements_keep_what_is_still_asked(tax):
    """A help that still names the piece plainly keeps it (« Joindre votre attestation CAF ou l'attestation de
    QF générée par la calculette »: the CAF document is one of the answers, so it stays already held); a help
    giving a case's alternative that includes the label's piece keeps the label's piece; « LBIS » is an RCS
    extract the same source serves, but not the head office's (real: lycées d'Île-de-France, préfectures)."""
    line = run(tax, [pj("0", "Justificatif de quotient familial de moins 3 mois",
                        "Joindre votre attestation CAF ou l'attestation de QF générée par la « calculette Région IDF »")])
    assert line["requests"][0]["document"] == "attestation-caf" and line["already_held"]
    line = run(tax, [pj("0", "Attestation CAF", "(En cas de séparation, merci de fournir une attestation sur "
                                                "l'honneur ou une copie de l'attestation CAF du conjoint)")])
    assert line["requests"][0]["document"] == "attestation-caf"
    line = run(tax, [pj("0", "KBIS", "de moins de 3 mois"), pj("1", "LBIS")])
    assert [r["document"] for r in line["requests"]] == ["extrait-kbis", "extrait-kbis"] and not line["repeated"]
    assert len(line["already_held"][0]["refs"]) == 2
    # the other direction: the head office's extract asked twice is still a repetition
    line = run(tax, [pj("0", "KBIS"), pj("1", "Extrait Kbis du siège")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_document_the_situation_is_held_under_is_cited(tax):
    """« Mineur entré en France sous couvert d'un passeport revêtu d'un visa… » describes a case; the
    passport it was held under is not asked again (real: sous-préfecture de Boulogne-Billancourt)."""
    line = run(tax, [pj("0", "Passeport du mineur"),
                     pj("1", "Mineur entré en France sous couvert d'un passeport revêtu d'un visa de long séjour",
                        "Visa d'une durée supérieure à 3 mois mention « famille de Français »")])
    assert not line["repeated"]
    # the other direction: the passport asked again for the minor
    line = run(tax, [pj("0", "Passeport du mineur"), pj("1", "Copie du passeport du mineur en cours de validité")])
    assert repeated_refs(line) == [["0", "1"]]


# ---------------------------------------------------------------- kinds seen on dlnuf-dev4.yaml


def test_a_brother_or_sisters_piece_is_theirs(tax):
    """« Certificat de scolarité du ou des frères et soeurs » is a sibling's certificate, not the pupil's own
    (real: affectation en collège, Tarn-et-Garonne; candidature ENM)."""
    line = run(tax, [pj("0", "Justificatif de scolarité pour l'année en cours",
                        "Soit un certificat de scolarité ; soit un bulletin scolaire de l'année en cours."),
                     pj("1", "Certificat de scolarité du ou des frères et soeurs")])
    assert line["requests"][1]["subject"] == "fratrie" and not line["repeated"]
    # the other direction: the pupil's certificate asked twice
    line = run(tax, [pj("0", "Certificat de scolarité"), pj("1", "Certificat de scolarité de l'année en cours")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_plan_showing_something_else_is_another_plan(tax):
    """A plan is defined by what it shows: « plan de masse de positionnement des extincteurs », « plan de
    localisation des logements vacants » are other plans than the site's plan (real: déclaration de
    manifestation, Meuse; démolition de logements)."""
    line = run(tax, [pj("0", "Plan de masse", "Fournir le plan de masse"),
                     pj("1", "plan de masse de positionnement des extincteurs"),
                     pj("2", "plan de masse de positionnement des points d'eau potables")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Plan de situation"), pj("1", "Plan de localisation des logements vacants")])
    assert not line["repeated"]
    # the other direction: what the plan must show, or when it is not asked, does not make another plan
    line = run(tax, [pj("0", "Plan de situation, plan cadastral (à l'exception de l'achat de matériel numérique)"),
                     pj("1", "Plan de situation de l'aménagement avec indication du N° de la voie")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Plan de situation"), pj("1", "Plan de situation du projet")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_numbered_entrys_further_document_is_another_one(tax):
    """« Critère 1.3 … règlement intérieur » then « Critère 1.3 … règlement intérieur (document complémentaire) »:
    the entry's second file, not its first again; two « Autre délibération » slots hold two more deliberations
    (real: label qualité des écoles de conduite; DETR Drôme)."""
    line = run(tax, [pj("0", "Critère 1.3 Etablir un règlement intérieur"),
                     pj("1", "Critère 1.3 Etablir un règlement intérieur (document complémentaire)",
                        "Annexe au règlement intérieur (facultatif)")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "4.4 - Autre délibération ou décision (ou projet)", "Délibération complémentaire"),
                     pj("1", "- Autre délibération ou décision (ou projet)")])
    assert not line["repeated"]
    # the other direction: the same numbered entry's piece asked again without « complémentaire »
    line = run(tax, [pj("0", "Critère 1.3 Etablir un règlement intérieur"),
                     pj("1", "Critère 1.3 Règlement intérieur signé")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_block_repeated_once_per_child_is_one_item_per_child(tax):
    """A block « Pièces justificatives » whose help says « répéter cette rubrique autant de fois que vous avez
    d'enfants » is asked once per child: the child's birth act there is not the one asked elsewhere (real:
    régularisation, représentant légal d'un enfant malade)."""
    champs = [rep("1", "Autorité parentale", [pj("1.0", "Acte de naissance de l'enfant malade")]),
              rep("2", "Pièces justificatives", [pj("2.0", "Acte de naissance de l'enfant")],
                  "Vous pouvez répéter cette rubrique autant de fois que vous avez d'enfants.")]
    assert not run(tax, champs)["repeated"]
    # the other direction: a layout block without such a help is read with the form
    champs = [rep("1", "Autorité parentale", [pj("1.0", "Acte de naissance de l'enfant")]),
              rep("2", "Pièces justificatives", [pj("2.0", "Copie intégrale de l'acte de naissance de l'enfant")],
                  "Ajoutez ici vos pièces.")]
    assert repeated_refs(run(tax, champs)) == [["1.0", "2.0"]]


def test_a_question_naming_the_piece_says_which_one_is_uploaded(tax):
    """« Carte d'identité [oui/non] » then « Télécharger la pièce d'identité », « Passeport biométrique [oui/non] »
    then « Télécharger le passeport biométrique »: an identity card and a passport (real: accueil des déplacés
    d'Ukraine, Tarn)."""
    champs = [other("0", "YesNo", "Carte d'identité"), pj("1", "Télécharger la pièce d'identité"),
              other("2", "YesNo", "Passeport biométrique"), pj("3", "Télécharger le passeport biométrique")]
    line = run(tax, champs)
    assert line["requests"][0]["variant"] == "cni" and not line["repeated"]
    # the other direction: a question that names no piece leaves the category, which the passport repeats
    champs = [other("0", "YesNo", "Êtes-vous majeur ?"), pj("1", "Télécharger la pièce d'identité"),
              other("2", "YesNo", "Passeport biométrique"), pj("3", "Télécharger le passeport biométrique")]
    assert repeated_refs(run(tax, champs)) == [["1", "3"]]


def test_a_help_that_asks_for_the_piece_names_it(tax):
    """« Localisation du projet » / help « Joindre un plan de situation »: the label names the topic, the help the
    piece, so a later « Plan de situation » repeats it; a sworn statement asked in the help of two criteria is one
    statement per criterion (real: DSIL Loir-et-Cher; label des écoles de conduite)."""
    line = run(tax, [pj("0", "Localisation du projet", "Joindre un plan de situation"), pj("1", "Plan de situation")])
    assert line["requests"][0]["document"] == "plan-situation" and repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "4-1 Disposer de moyens pédagogiques en adéquation avec l'offre de formation",
                        "Fournir Déclaration sur l'honneur"),
                     pj("1", "5-1 - Mettre en place la formation continue des enseignants de la conduite",
                        "Fournir une déclaration sur l'honneur")])
    assert not line["repeated"]
    # the other direction: a help citing the piece further on, after another one, says nothing of the slot
    line = run(tax, [pj("0", "Attestation employeur", "Joindre la lettre de l'employeur ou un bulletin de salaire"),
                     pj("1", "Bulletin de salaire")])
    assert line["requests"][0]["document"] is None and not line["repeated"]


def test_a_body_named_by_its_kind_and_one_named_by_its_own_name_are_two_bodies(tax):
    """« Le dernier Kbis du GAEC » then « Si activité extérieure, Kbis de la société »; the SIRENE notice « de la
    structure qui va recevoir le financement » then « … de la coopérative scolaire »: two bodies (real: contrôle
    de GAEC, Côte-d'Or; aires éducatives)."""
    line = run(tax, [pj("0", "Le dernier Kbis du GAEC"), pj("1", "Si activité extérieure, Kbis de la société")])
    assert not line["repeated"]
    # the other direction: a word the other label also uses says what the piece is, not whose
    line = run(tax, [pj("0", "Compte-rendu financier de subvention"),
                     pj("1", "Compte-rendu financier de subvention de l'association")])
    assert repeated_refs(line) == [["0", "1"]]


def test_what_a_clause_after_the_body_says_tells_two_bodies_apart(tax):
    """« Avis SIRENE de la structure qui va recevoir le financement » then « … de la structure qui gère les fonds de
    l'école »: two bodies, each told by what it does (real: aires éducatives, appel « Hors trousse à projets »)."""
    line = run(tax, [pj("0", "Avis de situation au répertoire Sirene de la structure qui va recevoir le financement"),
                     pj("1", "Avis de situation au répertoire Sirene de la structure qui gère les fonds de l'école")])
    assert not line["repeated"]
    # the other direction: one clause only, or the same clause, is still the same body's notice
    line = run(tax, [pj("0", "Avis de situation au répertoire Sirene de la structure qui va recevoir le financement"),
                     pj("1", "Avis de situation SIRENE de la structure")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Avis de situation au répertoire Sirene de la structure qui va recevoir le financement"),
                     pj("1", "Avis SIRENE de moins de 3 mois de la structure qui va recevoir le financement")])
    assert repeated_refs(line) == [["0", "1"]]


# ---------------------------------------------------------------- from the errors of dlnuf-dev5.yaml


def test_a_help_naming_one_page_of_the_passport_is_a_part(tax):
    """« Passeport » / help « Page relative à l'identité », then « Passeport » / help « page du passeport comprenant
    le cachet d'entrée »: two pages of one passport (real: pré-demande de premier titre de séjour, Bas-Rhin)."""
    line = run(tax, [pj("0", "Passeport comprenant le cas échéant le visa d'entrée", "Page relative à l'identité"),
                     pj("1", "Passeport comprenant le cas échéant le visa et le cachet d'entrée",
                        "Visa d'entrée ou page du passeport comprenant le cachet d'entrée")])
    assert not line["repeated"]
    # the other direction: « toutes les pages » is the whole document, asked again
    line = run(tax, [pj("0", "Joindre la copie de votre livret de famille en un seul et même fichier"),
                     pj("1", "Joindre la copie du livret de famille",
                        "Toutes les pages doivent être déposées : père, mère et enfants")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_section_per_volet_holds_each_volets_own_piece(tax):
    """« Volet A - Plantation de haies » / « Volet B - Plantation d'arbres… », each with « Joindre les plans de
    situation… des linéaires prévus »: one plan per volet (real: Pacte en faveur de la haie, Centre-Val de Loire)."""
    def form(h1: str, h2: str) -> list[dict[str, Any]]:
        return [other("0", "HeaderSection", h1), pj("1", "Joindre le plan de situation"),
                other("2", "HeaderSection", h2), pj("3", "Plan de situation")]
    assert not run(tax, form("Volet A - Plantation de haies", "Volet B - Plantation d'arbres"))["repeated"]
    # the other direction: sections that name no item of a list, or the same one, ask the plan twice
    line = run(tax, form("Localisation", "Pièces à joindre"))
    assert repeated_refs(line) == [["1", "3"]]
    line = run(tax, form("Volet A - Plantation", "Volet A - Pièces"))
    assert repeated_refs(line) == [["1", "3"]]


def test_a_proof_of_the_new_address_is_left_for_review(tax):
    """« Justificatif de domicile » and « Déménagement : joindre un justificatif de domicile à la nouvelle adresse »:
    the same proof for one who has moved, another for one about to move (real: affectation en lycée, DSDEN 64)."""
    line = run(tax, [pj("0", "Déménagement", "Joindre un justificatif de domicile à la nouvelle adresse"),
                     pj("1", "Pièces justificatives pour motif de demande de dérogation",
                        "Joindre justificatif de domicile.")])
    assert not line["repeated"] and line["review"]
    # the other direction: an instruction on the one proof (« doit comporter votre nouvelle adresse ») is no other
    line = run(tax, [pj("0", "Joindre un justificatif de domicile"),
                     pj("1", "Justificatif de domicile", "Document comportant votre nom et votre adresse. En cas de "
                        "déménagement, ce document doit comporter votre nouvelle adresse.")])
    assert repeated_refs(line) == [["0", "1"]]
