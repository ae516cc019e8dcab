"""More kinds of repetition errors, read on the development set ``dlnuf-fresh2`` (real démarches-simplifiées
wording), each pinned in both directions.

Why: each rule here removed false repetitions or found missed ones on real forms; the other direction keeps
it from swallowing the true repetitions that look like it.  Same small-form style as
``test_dlnuf_kinds.py``; the taxonomy is loaded alone.
"""

from __future__ import annotations

from tests.checks.test_dlnuf_kinds import other, pj, rep, repeated_refs, run, tax  # noqa: F401  (fixture)


def review_refs(line) -> list[list[str]]:
    return [sorted(x["refs"]) for x in line["review"]]


def test_sides_in_a_block_per_person_are_slots_not_repetitions(tax):
    """A block filled once per person with recto and verso slots for several roles (real: préfecture de
    police, licences de débit de boissons): its slots are not repetitions of each other."""
    block = rep("1", "Justificatifs d'identité de chaque personne déclarée", [
        pj("1.0", "Justificatifs d'identité du propriétaire - exploitant (recto)"),
        pj("1.1", "Justificatifs d'identité du propriétaire - exploitant (recto )"),
        pj("1.2", "Justificatifs d'identité du propriétaire - exploitant (verso)"),
        pj("1.3", "Justificatifs d'identité des propriétaires (recto)"),
        pj("1.4", "Justificatifs d'identité des propriétaires (verso)"),
    ])
    assert not run(tax, [block])["repeated"]
    # the other direction: outside a block, a side asked again on a later step is the same document again
    line = run(tax, [pj("0", "Pièce d'identité du demandeur (recto)"), pj("1", "Justificatif de domicile"),
                     pj("2", "Carte d'identité du demandeur (recto)")])
    assert repeated_refs(line) == [["0", "2"]]


def test_an_alternative_the_taxonomy_does_not_know_leaves_the_pair_for_review(tax):
    """« Etat de services détaillé ou contrat de travail » then « Copie des contrats de travail » (real: DSDEN,
    reclassement des professeurs stagiaires): the user may have given the statement the first time."""
    line = run(tax, [pj("0", "Etat de services détaillé ou contrat de travail, indiquant la durée des services"),
                     pj("1", "Copie des contrats de travail")])
    assert not line["repeated"]
    assert review_refs(line) == [["0", "1"]]
    # the other direction: a condition before « ou » is no alternative piece, the contract is asked twice
    line = run(tax, [pj("0", "Copie du contrat de travail"), pj("1", "Contrat de travail en cours")])
    assert repeated_refs(line) == [["0", "1"]]


def test_two_stretches_of_one_year_are_two_documents(tax):
    """« Compte-rendu financier du 1/01 au 31/03/2022 » and « … du 1/04 au 31/12/2022 » (real: FranceAgriMer)."""
    line = run(tax, [pj("0", "Le compte-rendu financier du 1/01 au 31/03/2022 de réalisation"),
                     pj("1", "Le compte-rendu financier du 1/04 au 31/12/2022 de réalisation")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Bilan d'activité du 1er semestre 2023"), pj("1", "Bilan d'activité du 2e semestre 2023")])
    assert not line["repeated"]
    # the other direction: the same stretch twice
    line = run(tax, [pj("0", "Compte rendu financier du 1/01 au 31/03/2022"),
                     pj("1", "Compte-rendu financier de l'action du 1/01 au 31/03/2022")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_purchase_invoice_is_not_a_utility_bill(tax):
    """« Facture d'achat du récupérateur d'eau de pluie » after a proof of address (real: mairie d'Écully)."""
    line = run(tax, [pj("0", "Un justificatif de domicile de moins de 3 mois"),
                     pj("1", "La facture d’achat du récupérateur d'eau de pluie")])
    assert not line["repeated"]
    # the other direction: a water bill is a proof of address
    line = run(tax, [pj("0", "Un justificatif de domicile de moins de 3 mois"), pj("1", "Facture d'eau")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_document_named_only_in_the_condition_is_not_asked(tax):
    """« Lettre de préavis (pour les litiges relatifs au congé de fin de bail) » (real: commission de
    conciliation des litiges locatifs)."""
    line = run(tax, [pj("0", "Contrat de bail"), pj("1", "Lettre de préavis (pour les litiges relatifs au congé de fin de bail)")])
    assert not line["repeated"]
    # the other direction: the document before a parenthesised condition is asked under it
    line = run(tax, [pj("0", "Contrat de bail"), pj("1", "Contrat de bail (pour les litiges relatifs au dépôt de garantie)")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_document_a_request_corresponds_to_is_not_asked(tax):
    """« Bulletins de salaire correspondant aux contrats de travail fournis » and the work certificates
    (real: examen professionnalisé des greffiers)."""
    line = run(tax, [pj("0", "Copie des bulletins de salaires correspondants au(x) contrat(s) de travail fourni(s)"),
                     pj("1", "Copie du ou des certificat(s) de travail correspondant(s) au(x) contrat(s) de travail fourni(s)"),
                     pj("2", "Copie des contrats de travail")])
    assert not line["repeated"]
    # the other direction: a person called « correspondant » is still one; the same person's paper twice
    line = run(tax, [pj("0", "Pièce d'identité du correspondant"), pj("1", "Carte d'identité du correspondant")])
    assert repeated_refs(line) == [["0", "1"]]


def test_an_adjective_correspondant_names_nobody(tax):
    """« Les derniers comptes annuels et le bilan d'activités correspondant » repeats « Compte de résultat »
    and « Rapport d'activités » (real: associations of Saint-Arnoult-en-Yvelines)."""
    line = run(tax, [pj("0", "Compte de résultat"), pj("1", "Les derniers comptes annuels et le bilan d’activités correspondant"),
                     pj("2", "Le rapport d’activités présenté lors de la dernière assemblée générale")])
    assert sorted(repeated_refs(line)) == [["0", "1"], ["1", "2"]]


def test_the_balance_sheet_and_the_income_statement_are_two_documents(tax):
    """« Dernier bilan » and « Dernier compte de résultat » (real: conférence des financeurs de la Manche)."""
    line = run(tax, [pj("0", "Dernier bilan approuvé"), pj("1", "Dernier compte de résultat")])
    assert not line["repeated"]
    # the other direction: the annual accounts, then one of their statements
    line = run(tax, [pj("0", "Comptes annuels du dernier exercice"), pj("1", "Bilan comptable")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_substitute_is_another_person(tax):
    """« CV du RS » / « CV du RS suppléant » (real: DEETS de La Réunion)."""
    line = run(tax, [pj("0", "CV du RS"), pj("1", "Pièce identité du RS"), pj("2", "CV du RS suppléant"),
                     pj("3", "Pièce d'identité du RS suppléant")])
    assert not line["repeated"]
    # the other direction: the substitute's CV twice
    line = run(tax, [pj("0", "CV du RS suppléant"), pj("1", "Curriculum vitae du RS suppléant")])
    assert repeated_refs(line) == [["0", "1"]]


def test_minutes_of_a_deliberation_are_a_deliberation_not_meeting_minutes(tax):
    """« Compte-rendus des réunions du collectif » / « Procès verbal de délibération de la réunion de
    l'organe compétent » (real: DRAAF Grand Est)."""
    line = run(tax, [pj("0", "Compte-rendus des réunions du collectif d'agriculteurs, le cas échéant"),
                     pj("1", "Procès verbal de délibération de la réunion de l'organe compétent")])
    assert not line["repeated"]
    # the other direction: a deliberation, then the minutes of that deliberation
    line = run(tax, [pj("0", "Délibération de l'organe compétent"), pj("1", "Procès-verbal de délibération de l'organe compétent")])
    assert repeated_refs(line) == [["0", "1"]]


def test_or_others_ends_a_list_and_adds_no_slot(tax):
    """« justificatif des prestations familiales (allocations familiales, MSA ou autres) » is the CAF payment
    certificate asked before (real: lycée Louis-Bascan, restauration)."""
    line = run(tax, [pj("0", "Attestation de paiement CAF"),
                     pj("1", "Justificatif des prestations familiales (allocations familiales, MSA ou autres)")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: « autre » alone still names a further slot
    line = run(tax, [pj("0", "Attestation de paiement CAF"), pj("1", "Autre attestation de paiement CAF")])
    assert not line["repeated"]


def test_one_condition_in_singular_and_plural_is_one_condition(tax):
    """« CV et contrat de travail si connus » / « CV si connu » (real: DDT de la Vienne)."""
    line = run(tax, [pj("0", "CV et contrat de travail si connus"), pj("1", "CV si connu")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: two different conditions stay for review
    line = run(tax, [pj("0", "CV si connu"), pj("1", "CV si recrutement en 2022")])
    assert not line["repeated"]


def test_pieces_a_help_says_come_with_the_request_are_asked_too(tax):
    """« Compte rendu dernière AG » / help « CR avec les comptes approuvés avec le rapport du commissaire aux
    comptes » then « Rapport du commissaire aux comptes » (real: FIPD, préfectures)."""
    line = run(tax, [pj("0", "Compte rendu dernière AG",
                        "CR avec les comptes approuvés avec le rapport du commissaire aux comptes (si concerné)"),
                     pj("1", "Rapport du commissaire aux comptes")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: another person's piece, and « avec mention de », bundle nothing
    line = run(tax, [pj("0", "Pièce d'identité"),
                     pj("1", "Justificatif de domicile",
                        "Attestation d'hébergement accompagnée de la pièce d'identité de la personne qui vous héberge")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Statuts régulièrement approuvés"),
                     pj("1", "Publication au JO", "A transmettre avec mention de la date de modification des statuts.")])
    assert not line["repeated"]


def test_a_block_stating_a_case_lays_out_pieces_asked_once(tax):
    """A ``Repetition`` block named after a case (« Si vous êtes un étudiant sollicitant une autorisation
    provisoire de séjour ») holds that case's pieces, compared with the rest of the form (real: préfecture de
    Nanterre)."""
    champs = [pj("0", "Joindre obligatoirement la copie de votre titre de séjour actuel"),
              rep("1", "Si vous êtes un étudiant sollicitant une autorisation provisoire de séjour",
                  [pj("1.0", "Carte de séjour étudiant en cours de validité")])]
    assert repeated_refs(run(tax, champs)) == [["0", "1.0"]]
    # the other direction: a block per person keeps its pieces apart from the applicant's
    champs = [pj("0", "Copie de votre titre de séjour"),
              rep("1", "Enfant", [pj("1.0", "Titre de séjour de l'enfant")])]
    assert not run(tax, champs)["repeated"]


def test_a_piece_held_before_is_not_the_current_one(tax):
    """« Justification que vous étiez titulaire d'une carte de séjour lors de l'obtention du diplôme » is not
    the current residence permit (real: préfecture de Nanterre)."""
    line = run(tax, [pj("0", "Copie de votre titre de séjour actuel"),
                     pj("1", "Justification que vous étiez titulaire d'une carte de séjour lors de l'obtention du diplôme")])
    assert not line["repeated"]
    # the other direction: « actuel » is the one a request naming none asks for
    line = run(tax, [pj("0", "Copie de votre titre de séjour actuel"), pj("1", "Carte de séjour en cours de validité")])
    assert repeated_refs(line) == [["0", "1"]]


def test_an_explanation_of_how_to_fill_the_form_is_no_condition(tax):
    """« Si vous effectuez votre demande en ligne, connectez-vous à https://… » before a piece does not make
    it conditional (real: bourses de lycée, DSDEN)."""
    how = ("Si vous effectuez votre demande directement en ligne, connectez-vous à l'adresse suivante : "
           "https://educonnect.education.gouv.fr")
    champs = [other("0", "Explication", "Si vous avez obtenu votre attestation de QF avec la calculette"),
              pj("1", "Votre dernier avis d'imposition"),
              {"ref": "2", "type": "Explication", "label": "Dossier de bourse", "description": how},
              pj("3", "Et téléchargez votre avis d'imposition")]
    assert repeated_refs(run(tax, champs)) == [["1", "3"]]
    # the other direction: a short « si … » explanation is a condition, two of them leave the pair for review
    champs[2] = other("2", "Explication", "Si vous êtes boursier de l'enseignement supérieur")
    assert not run(tax, champs)["repeated"]


def test_the_card_named_after_mention_is_the_one_asked(tax):
    """« Carte RLD-UE » then « Carte de séjour portant la mention Résident de longue durée-UE délivrée par un
    autre État membre » (real: préfecture de Nanterre, carte « salarié »): one card, asked twice."""
    line = run(tax, [pj("0", "Carte RLD-UE", "Si vous êtes détenteur d'une carte RLD-UE délivrée par un autre pays de "
                                           "l'Union Européenne, veuillez nous fournir une copie recto-verso"),
                     pj("1", "Carte de séjour portant la mention \"Résident de longue durée-UE\" délivrée par un autre "
                             "Etat membre de l'UE et en cours de validité")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: the French residence permit is another card than the other State's
    line = run(tax, [pj("0", "Carte RLD-UE"), pj("1", "Titre de séjour ou récépissé en cours de validité")])
    assert not line["repeated"]


# ---------------------------------------------------------------- read on dlnuf-dev6 (engine of b76b743)


def test_a_quoted_end_names_the_slot(tax):
    """« Liasses fiscales "entreprise" » / « Liasses fiscales "Groupe" » (real: CCI des Pays de la Loire)."""
    line = run(tax, [pj("0", 'Liasses fiscales "entreprise"'),
                     pj("1", 'Liasses fiscales "Groupe"', "Pour toutes les entreprises du groupe > 25 %")])
    assert not line["repeated"]
    # the other direction: a quoted end the other request does not have is no second slot
    line = run(tax, [pj("0", "Liasse fiscale"), pj("1", 'Liasse fiscale "entreprise"')])
    assert repeated_refs(line) == [["0", "1"]]


def test_pieces_after_are_you_the_beneficiary_belong_to_whoever_acts(tax):
    """« Êtes-vous le bénéficiaire de la demande ? » then « Votre qualité : avocat, tuteur » and identity
    papers: the representative's, not the beneficiary's asked before (real: fichier des personnes recherchées)."""
    champs = [other("0", "HeaderSection", "Justification de l'identité du bénéficiaire"),
              pj("1", "Carte nationale d'identité (recto)"),
              other("2", "HeaderSection", "Le bénéficiaire de la demande"),
              other("3", "DropDownList", "Etes vous le bénéficiaire de la demande?", ["Oui", "Non"]),
              other("4", "DropDownList", "Votre qualité", ["Avocat", "Civilement responsable", "Tuteur"]),
              pj("5", "Carte d'identité (recto)")]
    assert not run(tax, champs)["repeated"]
    # the other direction: without the question, the same card twice
    del champs[3]
    assert repeated_refs(run(tax, champs)) == [["1", "5"]]


def test_a_part_per_case_announced_by_an_explanation(tax):
    """« Renseigner la partie correspondante au motif de votre demande » then one explanation per case (real:
    sous-préfecture de L'Haÿ-les-Roses): a piece under two cases is asked once per case."""
    champs = [other("0", "HeaderSection", "Pièces à produire : première demande"),
              other("1", "Explication", "Renseigner la partie correspondante au motif de votre demande"),
              other("2", "Explication", "EUROPEEN / MEMBRE DE FAMILLE"),
              pj("3", "Acte de mariage"),
              other("4", "Explication", "PASSEPORT TALENT / MEMBRE DE FAMILLE"),
              pj("5", "Copie intégrale de l'acte de mariage")]
    assert not run(tax, champs)["repeated"]
    # the other direction: without the announcement, the explanations are only titles
    del champs[1]
    assert run(tax, champs)["repeated"]


def test_accounts_forecasts_tax_forms_and_the_auditor_report_are_told_apart(tax):
    """Annual accounts, the tax return bundle, forecasts and the auditor's report are four documents (real:
    appels à projets HCR, French Tech, DRDFE)."""
    for a, b in [("Les comptes annuels des deux dernières années", "Liasse fiscale"),
                 ("Etats financiers prévisionnels (Business Plan)", "Les deux derniers bilans"),
                 ("Etat financier du dernier exercice clos approuvés en AG",
                  "Rapport du commissaire aux comptes du dernier exercice clos"),
                 ("Compte de résultat de la structure, daté et signé",
                  "PV de l'AG ayant approuvé le rapport d'activités et le compte de résultats transmis")]:
        assert not run(tax, [pj("0", a), pj("1", b)])["repeated"], (a, b)
    # the other direction: the annual accounts, then the income statement
    assert repeated_refs(run(tax, [pj("0", "Etats financiers du dernier exercice"), pj("1", "Compte de résultat")])) \
        == [["0", "1"]]


def test_people_and_numbered_slots_told_apart_by_a_short_help_or_a_role(tax):
    """The mediator's activity report is not the structure's; the guardian and the delegated authority are
    two people; « Véhicule 1 » / « Véhicule 2 » in the help number two slots (real: adultes-relais, DSDEN du
    Rhône, DFIP)."""
    for a, b in [("Rapport annuel d'activités N-1", "Bilan d'activité du médiateur"),
                 ("Joindre pièce d'identité du tuteur", "Joindre pièce d'identité de l'autorité déléguée")]:
        assert not run(tax, [pj("0", a), pj("1", b)])["repeated"], (a, b)
    assert not run(tax, [pj("0", "Carte grise véhicule", "Véhicule 1"), pj("1", "Carte grise", "Véhicule 2")])["repeated"]
    # the other direction: the same vehicle's registration twice
    assert repeated_refs(run(tax, [pj("0", "Carte grise véhicule", "Véhicule 1"),
                                   pj("1", "Certificat d'immatriculation", "Véhicule 1")])) == [["0", "1"]]


def test_a_residence_proof_and_a_past_year_are_read(tax):
    """« Justificatif de résidence habituelle en France » is no proof of address; « la liasse fiscale de
    l'exercice clos en 2020 » is another year than « Liasse fiscale 2019 » (real: préfectures, ministère des
    Sports)."""
    assert not run(tax, [pj("0", "Justificatif de domicile de moins de 6 mois"),
                         pj("1", "Justificatif de résidence habituelle en France")])["repeated"]
    assert not run(tax, [pj("0", "Liasse fiscale 2019"),
                         pj("1", "CAS PARTICULIER - Liasse fiscale",
                            "Si vous ne pouvez pas fournir une des liasses, déposez ici la liasse fiscale de "
                            "l'exercice clos en 2020.")])["repeated"]
    # the other direction: the same year twice
    assert repeated_refs(run(tax, [pj("0", "Liasse fiscale 2019"), pj("1", "Liasses fiscales de l'exercice 2019")])) \
        == [["0", "1"]]


def test_a_visa_is_a_document_of_its_own(tax):
    """« Visa d'entrée en France » then « Copie visa » under one case (real: sous-préfecture de L'Haÿ-les-Roses);
    a visa is neither the passport nor the residence permit, and « visa des responsables légaux » is a
    signature."""
    assert repeated_refs(run(tax, [pj("0", "Visa d'entrée en France"), pj("1", "Copie visa")])) == [["0", "1"]]
    line = run(tax, [pj("0", "Visa D ou visa long séjour valant titre de séjour (VLS-TS)"),
                     pj("1", "Visa long séjour")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction
    for a, b in [("Copie du passeport", "Visa d'entrée en France"),
                 ("Visa de court séjour", "Visa de long séjour"),
                 ("Visa des responsables légaux", "Signature des responsables légaux"),
                 ("Passeport / VISA", "Preuve de validation de votre VLS-TS")]:
        assert not run(tax, [pj("0", a), pj("1", b)])["repeated"], (a, b)


def test_a_piece_another_country_issued_is_not_the_french_one(tax):
    """« Dernier titre de séjour obtenu » / « Copie de votre titre de séjour émis par un autre pays de l'Union »
    (real: préfecture de l'Essonne)."""
    line = run(tax, [pj("0", "Dernier titre de séjour obtenu"),
                     pj("1", "Copie de votre titre de séjour émis par un autre pays de l'Union Européenne")])
    assert not line["repeated"]
    # the other direction: both the other State's card, one said in the help
    line = run(tax, [pj("0", "Carte RLD-UE", "Si vous êtes détenteur d'une carte RLD-UE délivrée par un autre pays de "
                                           "l'Union Européenne, veuillez nous fournir une copie"),
                     pj("1", "Carte de séjour portant la mention « Résident de longue durée-UE » délivrée par un autre "
                             "Etat membre de l'UE")])
    assert repeated_refs(line) == [["0", "1"]]


def test_two_lower_bounds_of_one_amount_hold_together(tax):
    """« Bilan … (pour les associations dont la subvention est supérieure à 1 000 €) » / « Bilan et compte de
    résultat certifiés (… supérieure à 23 000 €) » (real: appels à projets associatifs): above 23 000 €, both."""
    line = run(tax, [pj("0", "Bilan (actif et passif) du dernier exercice clos",
                        "Pour les associations dont la subvention est supérieure à 1 000 €"),
                     pj("1", "Bilan et compte de résultat certifiés conformes du dernier exercice",
                        "Pour les associations dont la subvention est supérieure à 23 000 €")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a lower and an upper bound do not hold together
    line = run(tax, [pj("0", "Bilan du dernier exercice clos", "Pour les associations dont la subvention est inférieure à 23 000 €"),
                     pj("1", "Bilan et compte de résultat certifiés", "Pour les associations dont la subvention est supérieure à 23 000 €")])
    assert not line["repeated"]


# ---------------------------------------------------------------- read on dlnuf-dev7 (engine of 4c42f99)


def test_a_help_that_states_when_bundles_nothing(tax):
    """« Intégralité du dernier avis d'imposition » / help « Uniquement si vous avez édité votre propre
    attestation avec la calculette de quotient familial » (real: lycée Louis-Bascan): the calculator says when,
    the notice does not come with a CAF certificate."""
    line = run(tax, [pj("0", "Attestation de paiement CAF de moins de 3 mois"),
                     pj("1", "Intégralité du dernier avis d'imposition",
                        "Uniquement si vous avez édité votre propre attestation avec la calculette de quotient familial")])
    assert not line["repeated"]
    # the other direction: a help describing what comes with the piece bundles it
    line = run(tax, [pj("0", "Attestation de paiement CAF de moins de 3 mois"),
                     pj("1", "Intégralité du dernier avis d'imposition", "Avec l'attestation de paiement CAF")])
    assert repeated_refs(line) == [["0", "1"]]


def test_next_year_and_the_balance_sheet_of_the_last_closed_year(tax):
    """« Certificat de scolarité de l'année N+1 » is next year's; « Bilan comptable du dernier exercice clos » and
    « Compte de résultat du dernier exercice clos » are two statements (real: préfecture de Mayotte, CD93)."""
    assert not run(tax, [pj("0", "Certificat de scolarité de l'année N+1"),
                         pj("1", "Certificat de scolarité de l'année N")])["repeated"]
    assert not run(tax, [pj("0", "Bilan comptable du dernier exercice clos"),
                         pj("1", "Compte de résultat du dernier exercice clos")])["repeated"]
    # the other direction: the accounts of the last closed year, then its income statement
    assert repeated_refs(run(tax, [pj("0", "Comptes du dernier exercice clos"),
                                   pj("1", "Compte de résultat du dernier exercice clos")])) == [["0", "1"]]


def test_a_help_restating_the_piece_says_whose_it_is(tax):
    """« Justificatif de domicile » / help « Justificatif de domicile de votre hébergeant », in a block « Si vous
    êtes hébergé(e) » (real: sous-préfecture de Boulogne-Billancourt)."""
    champs = [pj("0", "Justificatif de domicile de moins de 6 mois"),
              rep("1", "Si vous êtes hébergé(e)", [pj("1.0", "Justificatif de domicile",
                                                      "Justificatif de domicile de votre hébergeant")])]
    assert not run(tax, champs)["repeated"]
    # the other direction: a help describing the content does not change whose it is
    champs = [pj("0", "Copie du livret de famille"),
              pj("1", "Livret de famille complet", "La copie du livret de famille doit comporter les pages des parents")]
    assert repeated_refs(run(tax, champs)) == [["0", "1"]]


def test_each_piece_of_a_bundle_list_and_a_plus_sign(tax):
    """« CR avec les comptes approuvés avec le rapport du commissaire aux comptes (si concerné) et dernier rapport
    d'activité », « + Le cas échéant les derniers états financiers » (real: FIPD, Seine-Maritime)."""
    line = run(tax, [pj("0", "Rapport d'activité pour les associations"),
                     pj("1", "Compte rendu dernière AG",
                        "CR avec les comptes approuvés avec le rapport du commissaire aux comptes (si concerné) et "
                        "dernier rapport d'activité")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Derniers états financiers (Bilan et compte de résultat)"),
                     pj("1", "Rapport du commissaire aux comptes", "+ Le cas échéant les derniers états financiers")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a list whose pieces are another person's
    line = run(tax, [pj("0", "Pièce d'identité"),
                     pj("1", "Justificatif de domicile", "Attestation d'hébergement accompagnée de la pièce d'identité "
                                                        "et du justificatif de domicile de l'hébergeant")])
    assert not line["repeated"]


def test_land_status_the_final_design_and_named_benefits(tax):
    """« Situation juridique des terrains », the « avant-projet définitif » (APD), the family support allowance
    and the OFII letter read as what they are (real: DETR Haute-Loire, PFRH, préfectures)."""
    assert repeated_refs(run(tax, [pj("0", "Justificatif travaux 01 - Situation juridique des terrains et immeubles"),
                                   pj("1", "Document précisant la situation juridique des terrains")])) == [["0", "1"]]
    assert repeated_refs(run(tax, [pj("0", "Justificatif travaux 04 - Dossier d'avant-projet définitif"),
                                   pj("1", "APD")])) == [["0", "1"]]
    # the other direction
    for a, b in [("Titre de propriété", "Situation juridique des terrains"),
                 ("Attestation CAF de quotient familial", "Attestation de versement de l'allocation de soutien familial (ASF)"),
                 ("Passeport - Visa d'entrée", "Lettre de l'OFII enregistrant votre visa long séjour")]:
        assert not run(tax, [pj("0", a), pj("1", b)])["repeated"], (a, b)


# ---------------------------------------------------------------- read on dlnuf-dev8 (engine of e38b3ae)


def test_a_label_that_only_says_when_leaves_the_help_to_say_what(tax):
    """« Si vous avez un visa étudiant-concours » / help « Attestation de réussite », « SI le demandeur est
    MINEUR » / help « Carte d'identité … du responsable légal » (real: université Grenoble-Alpes, préfecture de
    l'Isère)."""
    line = run(tax, [pj("0", "Titre de séjour ou visa long séjour en cours de validité"),
                     pj("1", "Si vous avez un visa étudiant-concours", "Attestation de réussite")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Carte nationale d'identité ou passeport du demandeur"),
                     pj("1", "SI le demandeur est MINEUR", "Carte d'identité ou passeport du responsable légal")])
    assert not line["repeated"]
    # the other direction: a label that only says when, with no help, asks for what it names
    line = run(tax, [pj("0", "Visa long séjour"), pj("1", "Si vous êtes titulaire d'un VLS-TS")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_lone_or_between_pieces_makes_two_cases(tax):
    """« Les états financiers présentés à la dernière AG » / explanation « ou » / « Les états financiers (bilan et
    compte de résultat) » (real: FIPD, préfecture de la Moselle)."""
    champs = [pj("0", "Les états financiers (compte de résultat et bilan) présentés à la dernière assemblée générale"),
              {"ref": "1", "type": "Explication", "label": "ou", "description": "Dans le cadre d'un renouvellement :"},
              pj("2", "Les états financiers (Bilan et compte de résultat)"),
              pj("3", "Le rapport du commissaire aux comptes (le cas échéant) sur les derniers états financiers")]
    assert not run(tax, champs)["repeated"]
    # the other direction: without the « ou », the statements are asked twice
    del champs[1]
    assert repeated_refs(run(tax, champs)) == [["0", "2"]]


def test_reports_cases_and_people_read_on_dev8(tax):
    """The auditor's general and special reports; one condition of its own under two cases; co-tenants; English
    conditions and spouses; « droit de visa » is a fee (real: Europe en Hainaut, préfecture de Nanterre, Haut-
    Commissariat en Polynésie, université Grenoble-Alpes, préfecture du Val-de-Marne)."""
    assert not run(tax, [pj("0", "Rapport général du commissaire aux comptes"),
                         pj("1", "Rapport spécial du commissaire aux comptes")])["repeated"]
    champs = [rep("1", "4.1.1 - Si vous occupez toujours l'emploi qui a justifié la délivrance de la dernière autorisation",
                  [pj("1.0", "Si votre employeur est un particulier employeur : attestation de conformité du contrat de travail")]),
              rep("2", "4.2.1.1 - Si vous poursuivez l'exécution du contrat à durée déterminée qui a justifié la délivrance",
                  [pj("2.0", "Si votre employeur est un particulier employeur",
                      "Joindre une attestation de conformité aux déclarations en ligne du contrat de travail")])]
    line = run(tax, champs)
    assert not line["repeated"]
    assert not run(tax, [pj("0", "Pièce d'identité de l'étudiant"), pj("1", "Pièces d'identité des colocataires")])["repeated"]
    assert not run(tax, [pj("0", "Current residence permit card or long stay visa"),
                         pj("1", "Current residence permit / visa of your spouse")])["repeated"]
    assert not run(tax, [pj("0", "Justificatif d'acquittement du droit de visa de régularisation : un timbre fiscal"),
                         pj("1", "Copie du visa")])["repeated"]
    # the other direction: the co-tenants' papers asked in a help, then in a field of their own
    line = run(tax, [pj("0", "En cas de colocation ...", "Fournir une attestation de répartition du loyer, accompagnée "
                                                      "des pièces d'identité de tous les colocataires"),
                     pj("1", "Pièces d'identité des colocataires")])
    assert repeated_refs(line) == [["0", "1"]]


# ---------------------------------------------------------------- read on dlnuf-dev9 (engine of 8eed88d)


def test_a_variant_and_alternatives_that_leave_it_out(tax):
    """« Dernier bilan comptable » / « Dernier compte de résultat ou liasse fiscale » (real: ANCT, Massif des
    Vosges): the second names other statements of the accounts, never the balance sheet."""
    assert not run(tax, [pj("0", "Dernier bilan comptable"), pj("1", "Dernier compte de résultat ou liasse fiscale")])["repeated"]
    # the other direction: alternatives that include the first one's statement
    line = run(tax, [pj("0", "Dernier compte de résultat"), pj("1", "Dernier compte de résultat ou liasse fiscale")])
    assert repeated_refs(line) == [["0", "1"]] or line["review"]


def test_all_the_documents_behind_a_title_are_no_one_piece(tax):
    """« Si changement de département » / help « fournir tous les justificatifs ayant permis la délivrance du titre
    de séjour » (real: préfecture de la Haute-Corse)."""
    line = run(tax, [{"ref": "0", "type": "TitreIdentite", "label": "Titre de séjour en cours de validité"},
                     pj("1", "Si changement de département", "En cas de changement de département, fournir tous les "
                                                              "justificatifs ayant permis la délivrance du titre de séjour détenu.")])
    assert not line["repeated"]
    # the other direction: a help naming one piece asks for it
    line = run(tax, [{"ref": "0", "type": "TitreIdentite", "label": "Titre de séjour en cours de validité"},
                     pj("1", "Si changement de département", "Fournir une copie du titre de séjour détenu.")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_signature_delegation_asked_in_a_help_then_in_its_field(tax):
    """« Pièces jointes » / help « … (dans ce cas, joindre la délégation de signature) » then « Délégation de
    signature » (real: FIPD, Seine-Maritime)."""
    line = run(tax, [pj("0", "Pièces jointes", "Joindre l'attestation Cerfa signée par le représentant légal ou son "
                                               "mandant (dans ce cas, joindre la délégation de signature)"),
                     pj("1", "Délégation de signature")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: without the instruction, nothing links them
    line = run(tax, [pj("0", "Pièces jointes", "Joindre l'attestation Cerfa signée par le représentant légal"),
                     pj("1", "Délégation de signature")])
    assert not line["repeated"]


def test_a_field_naming_a_piece_only_in_its_help_is_no_slot_for_one_answer(tax):
    """« Atteste que l'association a perçu… [≤ 500 000 € / > 500 000 €] » then « Pièces jointes » (help: « …
    dans ce cas, joindre la délégation de signature ») and « Délégation de signature » (real: FIPD, Seine-Maritime;
    four readings of the template out of five say repeated): the question's answers are not what the two fields
    are for — the first gathers what everyone gives."""
    question = other("0", "DropDownList", "Atteste que l'association a perçu un montant total d'aides publiques",
                     ["inférieur ou égal à 500 000 euros", "supérieur à 500 000 euros"])
    line = run(tax, [question,
                     pj("1", "Pièces jointes", "Joindre l'attestation Cerfa signée par le représentant légal ou son "
                                               "mandant (dans ce cas, joindre la délégation de signature)"),
                     pj("2", "Délégation de signature")])
    assert repeated_refs(line) == [["1", "2"]]
    # the other direction: two fields both naming the piece after a single-answer question are likely one per
    # answer
    line = run(tax, [question, pj("1", "Délégation de signature"), pj("2", "Délégation de signature")])
    assert not line["repeated"]
    assert review_refs(line) == [["1", "2"]]


def test_a_financial_statement_of_the_association_is_its_balance_sheet(tax):
    """« Les derniers comptes annuels… » then « Le bilan financier présenté lors de la dernière assemblée
    générale » (real: subsidy form of a town for its associations, read alike in dev7, dev8 and fresh2): the
    accounts already asked, asked again. The « bilan financier » the assembly approved is the whole of its
    accounts, so after « Compte de résultat » of the same form it asks again for that statement too (the
    four readings of the form since dev7 say so)."""
    at_assembly = "Le bilan financier présenté lors de la dernière assemblée générale des adhérents"
    for first, second in (("Les derniers comptes annuels", at_assembly), ("COMPTE DE RÉSULTAT", at_assembly),
                          ("Comptes annuels approuvés", "Bilan financier du dernier exercice clos")):
        assert repeated_refs(run(tax, [pj("0", first), pj("1", second)])) == [["0", "1"]], (first, second)
    # the other direction: beside the income statement it is the other state of the accounts (real: Office
    # français de la biodiversité); a « bilan financier » of the funded action is its financial report; a
    # forecast is no account at all; a group's consolidated accounts are asked besides the entity's own
    for first, second in (("Compte de résultat du dernier exercice clos (année n-1)",
                           "Bilan financier du dernier exercice clos (année n-1)"),
                          ("Les derniers comptes annuels", "Bilan financier de l'action 2023"),
                          ("Les derniers comptes annuels", "Bilan financier prévisionnel de l'association"),
                          ("Comptes annuels consolidés", "Bilan financier du dernier exercice comptable"),
                          ("Comptes annuels", "Comptes annuels consolidés")):
        assert not run(tax, [pj("0", first), pj("1", second)])["repeated"], (first, second)


def test_an_upload_instruction_is_no_condition(tax):
    """« Si plusieurs documents à insérer, vous pouvez cliquer sur : ajouter une ligne », « Si vous souhaitez
    joindre plusieurs documents à la suite, utilisez le bouton… » (273 such sentences in the snapshot): how to
    upload, said to everyone — not the case the piece is asked in, and « à la suite » is no further file."""
    for help_ in ("Si plusieurs documents à insérer, vous pouvez cliquer sur : ajouter une ligne",
                  "Si vous souhaitez joindre plusieurs documents à la suite, utilisez le bouton « ajouter »",
                  "Si votre fichier est trop volumineux, compressez-le."):
        c = tax.classify("Justificatif de domicile", help_)
        assert (c.document, c.condition, c.part) == ("justificatif-domicile", None, None), help_
    line = run(tax, [pj("0", "Justificatif de domicile",
                        "Si vous souhaitez joindre plusieurs documents à la suite, utilisez le bouton ajouter"),
                     pj("1", "Justificatif de domicile de moins de 3 mois")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a « si » about the user's case stays a condition, « (suite) » a further file
    c = tax.classify("Justificatif de domicile", "Si vous êtes hébergé, joindre celui de l'hébergeant")
    assert c.condition == "si vous etes heberge"
    assert tax.classify("Si vous avez plusieurs enfants, livret de famille", "").condition is not None
    assert tax.classify("Justificatif de domicile (suite)", "").part == "suite"


def test_a_year_named_on_one_side_only_is_for_review(tax):
    """« Délibération du conseil communautaire » then « … de la Métropole 2021 », « Les comptes annuels
    certifiés » then « Le compte de résultat N-1 » (real: fresh2, dev7): the undated piece may be another
    year's.  On the development sets, 5 of the 6 such pairs the engine counted were not repetitions."""
    line = run(tax, [pj("0", "Délibération du conseil communautaire"),
                     pj("1", "Délibération du conseil communautaire de la Métropole 2021")])
    assert not line["repeated"] and review_refs(line) == [["0", "1"]]
    assert "2021" in line["review"][0]["reason"]
    # the other direction: the same year on both sides, or the current year against none, is the same piece
    line = run(tax, [pj("0", "Délibération du conseil communautaire 2021"),
                     pj("1", "Délibération 2021 du conseil communautaire de la Métropole")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Certificat de scolarité"), pj("1", "Certificat de scolarité pour l'année en cours")])
    assert repeated_refs(line) == [["0", "1"]]
    # two exclusive cases stay apart whatever the years: nothing to review
    line = run(tax, [pj("0", "Si vous êtes locataire : avis d'imposition"),
                     pj("1", "Si vous n'êtes pas locataire : avis d'imposition 2024")])
    assert not line["repeated"] and not line["review"]


def test_and_or_names_alternatives_none_of_them_first(tax):
    """« X et/ou Y » (and « et / ou ») offers X, Y or both: no alternative is asked first, unlike « X ou Y si … »."""
    for label in ("Joindre un plan de situation et/ou le plan cadastral", "Plan de situation et / ou plan cadastral"):
        c = tax.classify(label, "")
        assert (c.either, c.and_or, c.documents) == (True, True, ["plan-situation", "plan-cadastral"]), label
    c = tax.classify("Plan de situation ou plan cadastral", "")
    assert (c.either, c.and_or) == (True, False)
    c = tax.classify("Plan de situation et plan cadastral", "")
    assert (c.either, c.and_or) == (False, False)


def test_review_reasons_quote_the_form_as_written(tax):
    """A reason a French public servant reads quotes the form (« Si vous êtes hébergé »), not the engine's
    reading of it (« si vous etes heberge »), and ends with one mark."""
    from auditor.documents.text import as_written

    assert as_written("si vous etes heberge", "Justificatif\n(Si vous êtes hébergé)") == "Si vous êtes hébergé"
    assert as_written("n 1", "Avis d'imposition N-1") == "N-1"
    assert as_written("si l enfant est majeur", "Pièce (si l'enfant est majeur)") == "si l'enfant est majeur"
    assert as_written("pas dans le texte", "Autre chose") == "pas dans le texte"  # the reading, when nothing matches
    line = run(tax, [pj("0", "Pièce d'identité de l'hébergeant (si vous êtes hébergé)"),
                     pj("1", "Pièce d'identité de l'hébergeant (Si candidat mineur le jour de la demande)")])
    reason = line["review"][0]["reason"]
    assert "« si vous êtes hébergé », « Si candidat mineur le jour de la demande »" in reason
    assert reason.endswith("ensemble ?")


def test_a_label_typed_twice_with_a_space_more_is_the_same_label(tax):
    """« Un K-BIS (moins de 3 mois) et/ou  les statuts » (two spaces) beside the same wording with one (real:
    fresh2, a form of near-identical fields shown under conditions the snapshot does not hold): identical
    fields, for review like any two identical fields of a form description."""
    line = run(tax, [pj("0", "Extrait Kbis de moins de 3 mois", "Format PDF"),
                     pj("1", "Extrait  Kbis de moins de 3 mois ", "Daté et signé")])
    assert not line["repeated"] and "même libellé" in line["review"][0]["reason"].lower()
    # the other direction: two wordings of the piece are still a repetition
    line = run(tax, [pj("0", "Extrait Kbis de moins de 3 mois"), pj("1", "Kbis de la société")])
    assert repeated_refs(line) == [["0", "1"]]


def test_conditions_that_only_say_the_piece_exists_hold_together(tax):
    """« CV et contrat de travail si connus » then « Contrat de travail si signé » (real: DDT de la Vienne,
    Petites villes de demain, read alike in dev7 and fresh2): neither condition chooses a case, both say the
    contract is asked once it exists — the same contract twice."""
    line = run(tax, [pj("0", "CV et contrat de travail si connus"), pj("1", "Contrat de travail si signé")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: beside a condition that chooses a case, the pair stays for review
    line = run(tax, [pj("0", "Contrat de travail si connu"), pj("1", "Contrat de travail si vous êtes salarié")])
    assert not line["repeated"]
    assert review_refs(line) == [["0", "1"]]


def test_a_help_asking_a_piece_too_once_it_exists_bundles_it(tax):
    """« Derniers états financiers » then « Rapport du commissaire aux comptes » whose help says « Le cas
    échéant les derniers états financiers (compte de résultat et bilan) validés à la dernière assemblée
    générale » (real: FIPD, préfecture de région Auvergne-Rhône-Alpes, read alike in dev4, dev5 and dev8): the
    statements are asked with the report, once more."""
    help_ = ("Ne concerne que les associations. Le cas échéant les derniers états financiers (compte et résultat "
             "et bilan) validés à la dernière assemblée générale")
    line = run(tax, [pj("0", "Derniers états financiers"), pj("1", "Rapport du commissaire aux comptes", help_)])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a condition that chooses a case is when, not what; another person's piece, or no
    # piece after « le cas échéant », bundles nothing
    line = run(tax, [pj("0", "Relevé d'identité bancaire au nom du militaire"),
                     pj("1", "Attestation sur l'honneur précisant que le compte est bien ouvert au nom du militaire",
                        "Le cas échéant, en complément du RIB, RIP ou RICE")])
    assert not line["repeated"]  # (real: SGA, déménagement des militaires) what the piece goes with
    for other_help in ("Si vous êtes une association, les derniers états financiers",
                       "Le cas échéant les états financiers de la structure mère",
                       "Le cas échéant, préciser le nom du commissaire"):
        line = run(tax, [pj("0", "Derniers états financiers"),
                         pj("1", "Rapport du commissaire aux comptes", other_help)])
        assert not line["repeated"], other_help


def test_parts_of_the_form_named_after_the_options_of_the_demarche_chosen_are_branches(tax):
    """« Précisez la démarche : [Je demande une habilitation au SIV / Je déclare un changement relatif à une
    habilitation en vigueur / Je demande un agrément au SIV] », then « Constitution du dossier de demande
    d'habilitation au SIV » (a part title: its sections follow) and « Déclaration d'un changement relatif à une
    habilitation en vigueur » (real: préfecture de la Seine-Saint-Denis, SIV): one part per answer, the Kbis of
    each part is asked once."""
    def form(part_1: str, part_2: str) -> list[dict]:
        return [other("0", "DropDownList", "Précisez la démarche que vous souhaitez effectuer",
                      ["Je demande une habilitation au système d'immatriculation des véhicules",
                       "Je déclare un changement relatif à une habilitation en vigueur",
                       "Je demande un agrément au système d'immatriculation des véhicules"]),
                other("1", "HeaderSection", part_1),
                other("2", "HeaderSection", "Informations sur l'entreprise"),
                pj("3", "Copie d'un extrait K-Bis de moins de 3 mois"),
                other("4", "HeaderSection", part_2),
                pj("5", "Extrait KBis de moins de 3 mois")]

    line = run(tax, form("Constitution du dossier de demande d'habilitation au SIV",
                         "Déclaration d'un changement relatif à une habilitation en vigueur"))
    assert not line["repeated"]
    # the other direction: titles that name no option, or only a word all answers share, choose no branch
    line = run(tax, form("Constitution du dossier", "Pièces complémentaires"))
    assert repeated_refs(line) == [["3", "5"]]
    line = run(tax, form("Constitution du dossier de demande", "Autres pièces à fournir pour votre demande"))
    assert repeated_refs(line) == [["3", "5"]]


def test_a_proof_of_accommodation_is_a_proof_of_address(tax):
    """« Attestation de domicile » then « Justificatif d'hébergement » (help: « Proof of residence or
    accommodation: a bill in the applicant's name… »; real: préfecture de l'Ariège, protection temporaire, three
    démarches of one template): the same proof twice."""
    line = run(tax, [pj("0", "Attestation de domicile"), pj("1", "Justificatif d'hébergement")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: the host's identity document is another piece
    line = run(tax, [pj("0", "Justificatif d'hébergement"), pj("1", "Pièce d'identité de l'hébergeant")])
    assert not line["repeated"]


def test_two_parts_of_one_project_hold_together(tax):
    """« 6-1 Dans le cas d'acquisitions immobilières : le plan de situation » then « 6-2 Dans le cas de travaux :
    Plan de situation » (real: DETR and DSIL forms of many prefectures, read as one plan asked twice in dev3,
    dev5, dev8 and dev9: « Le projet comprend-il des acquisitions ? », « … des travaux ? » are two questions): a
    project that buys and builds gives the plan twice — even as two identical fields, which the conditions
    explain."""
    for header_1, header_2 in (("6-1 Dans le cas d'acquisitions immobilières", "6-2 Dans le cas de travaux"),
                               ("Pour les acquisitions immobilières", "Pour les travaux")):
        for label_2 in ("Plan de situation", "le plan de situation"):
            line = run(tax, [other("0", "HeaderSection", header_1), pj("1", "le plan de situation"),
                             other("2", "HeaderSection", header_2), pj("3", label_2)])
            assert repeated_refs(line) == [["1", "3"]], (header_1, label_2)
    # the other direction: two cases of one part, or a part and its absence, still for the reader
    for header_1, header_2 in (("Si l'acquisition est déjà réalisée", "Si l'acquisition est en cours"),
                               ("Dans le cas de travaux", "Dans le cas d'une acquisition sans travaux"),
                               ("Pour les collectivités", "Pour les travaux")):
        line = run(tax, [other("0", "HeaderSection", header_1), pj("1", "Plan de situation"),
                         other("2", "HeaderSection", header_2), pj("3", "Plan de situation")])
        assert not line["repeated"], (header_1, header_2)
        assert review_refs(line) == [["1", "3"]], (header_1, header_2)


def test_a_request_for_all_the_alternatives_asks_again_for_whichever_was_given(tax):
    """« Joindre un plan de situation et/ou le plan cadastral » (acquisitions) then « Justificatif travaux 02 -
    Plan de situation, plan cadastral et plan de masse des travaux » (real: DETR form, read so in dev5): whichever
    plan the user gave first is asked again."""
    line = run(tax, [pj("0", "Joindre un plan de situation et/ou le plan cadastral"),
                     pj("1", "Justificatif travaux 02 - Plan de situation, plan cadastral et plan de masse des travaux")])
    assert {tuple(r) for r in repeated_refs(line)} == {("0", "1")}
    # the other direction: a later request for one of them only may not be the piece given (readers disagree)
    line = run(tax, [pj("0", "Joindre un plan de situation et/ou le plan cadastral"),
                     pj("1", "Justificatif travaux 02 - Plan de situation et plan de masse des travaux")])
    assert not line["repeated"] and review_refs(line) == [["0", "1"]]


def test_two_numbered_items_of_one_list_are_two_pieces(tax):
    """« Pour la salle n°1, titre de propriété ou contrat de location… » / « Pour la salle n°2, … » (real:
    déclarations d'activité des organismes de formation, four rooms): one lease per room, nothing for review."""
    lease = ", titre de propriété ou contrat de location ou convention d'occupation pour une durée d'un an minimum (2.c)"
    line = run(tax, [pj("0", "Pour la salle n°1" + lease), pj("1", "Pour la salle n° 2" + lease)])
    assert not line["repeated"] and not line["review"]
    # the other direction: the same room twice, or a form number that only looks like one, still counts
    line = run(tax, [pj("0", "Pour la salle n°1, titre de propriété"), pj("1", "Titre de propriété de la salle n°1")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Justificatif de domicile (notice n°51234)"), pj("1", "Facture d'électricité (notice n°51235)")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_block_named_pieces_of_a_topic_is_a_section(tax):
    """« Pièces justificatives communes à toute demande » and « Pièces techniques : Aménagement d'espace public »,
    two ``Repetition`` blocks of a DETR form (real: préfecture du Cantal, read so in dev7): the author laid out
    sections with them, so their pieces are compared with the rest of the form — the legal situation of the land
    and the final design asked above are asked again there."""
    champs = [pj("0", "Justificatif travaux 01 - Situation juridique des terrains et immeubles"),
              pj("1", "Justificatif travaux 04 - Dossier d'avant-projet définitif"),
              rep("2", "Pièces justificatives communes à toute demande",
                  [pj("2.0", "Justificatif de propriété ou tout document précisant la situation juridique des terrains et "
                             "immeubles.")]),
              rep("3", "Pièces techniques : Aménagement d'espace public", [pj("3.0", "APD")])]
    assert sorted(repeated_refs(run(tax, champs))) == [["0", "2.0"], ["1", "3.0"]]
    line = run(tax, [pj("0", "Justificatif de domicile"),
                     rep("1", "Domiciliation : justificatifs de moins de 6 mois", [pj("1.0", "Facture d'électricité")])])
    assert repeated_refs(line) == [["0", "1.0"]]  # a number that dates the pieces is no item number
    # the other direction: the pieces of things counted (one block per vehicle of a category) or of a person the
    # block is for (« Nouvel enseignant (informations et pièces justificatives) ») are that item's own
    for label in ("Justificatifs des véhicules correspondant à la catégorie B", "Catégorie B - justificatifs des véhicules",
                  "Nouvel enseignant (informations et pièces justificatives)", "Pièces justificatives : projet 2"):
        line = run(tax, [pj("0", "Dossier d'avant-projet définitif"), rep("1", label, [pj("1.0", "APD")])])
        assert not line["repeated"], label


def test_words_between_a_piece_and_its_variant_say_which_one_is_asked(tax):
    """« Attestation CAF précisant le QF » then « Joindre une attestation CAF de versement de l'allocation de
    soutien familial (ASF) » (real: PFRH Nouvelle-Aquitaine, places en crèche, read so in dev7): a quotient
    familial attestation and an ASF payment attestation, two pieces the CAF issues separately."""
    line = run(tax, [pj("0", "Attestation CAF précisant le QF"),
                     pj("1", "Joindre une attestation CAF de versement de l'allocation de soutien familial (ASF) ou, "
                             "à défaut, une attestation sur l'honneur")])
    assert not line["repeated"]
    # the other direction: the attestation named whole then one of its kinds is asked again, and « X ou Y », « X : Y »
    # still name the whole piece (any kind accepted)
    line = run(tax, [pj("0", "Attestation CAF"), pj("1", "Attestation CAF précisant le quotient familial")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Pièce d'identité ou titre de séjour"), pj("1", "Passeport")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Justificatif de domicile : facture d'électricité"), pj("1", "Quittance de loyer")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_help_that_says_for_whom_beside_a_label_that_says_when(tax):
    """« Si la demande de subvention est supérieure à 45 730 € : bilans… rapports du commissaire aux comptes »,
    help « Pour les sociétés ou entreprises », then the same for associations (real: FNADT, DDT, read so in dev8):
    a company and an association never apply together."""
    when = "Si la demande de subvention est supérieure à 45 730€ : "
    company = "Bilans et comptes de résultat approuvés et signés des deux derniers exercices accompagnés des rapports " \
              "du commissaire aux comptes (ou de l'expert comptable)"
    association = "Comptes financiers approuvés et signés des deux derniers exercices accompagnés du rapport du " \
                  "commissaire aux comptes (selon la réglementation actuelle pour les associations percevant des " \
                  "subventions dépassant 1MF)"
    line = run(tax, [pj("0", when + company, "Pour les sociétés ou entreprises"),
                     pj("1", when + association, "Pour les associations")])
    assert not line["repeated"] and not line["review"]
    # the other direction: the same audience twice, or a help longer than a mere « for whom », still counts
    line = run(tax, [pj("0", when + "Rapport du commissaire aux comptes", "Pour les associations"),
                     pj("1", when + "Rapport du commissaire aux comptes de l'exercice clos", "Pour les associations")])
    assert repeated_refs(line) == [["0", "1"]]


def test_where_to_get_a_piece_or_examples_in_parentheses_do_not_say_which(tax):
    """« Attestation de paiement CAF (via le site CAF) » then « justificatif des prestations familiales (allocations
    familiales, MSA ou autres) de moins de 3 mois si vous en percevez » (real: lycée Louis Bascan, restauration
    2023-2024, read so in fresh2): the same payment attestation, whatever the parentheses add."""
    line = run(tax, [pj("0", "Attestation de paiement CAF (via le site CAF )"),
                     pj("1", "justificatif des prestations familiales (allocations familiales, MSA ou autres) de moins "
                             "de 3 mois si vous en percevez")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a parenthesis that names which one still tells two pieces apart
    line = run(tax, [pj("0", "RIB (compte professionnel)"), pj("1", "RIB (compte personnel)")])
    assert not line["repeated"]


def test_a_provisional_residence_authorisation_is_a_residence_permit(tax):
    """« Autorisation provisoire de séjour pour recherche d'emploi en cours de validité » then « Joindre obligatoirement
    la copie de votre titre de séjour actuel » (real: préfecture, APS après un master, read so in fresh): the current
    permit is that authorisation."""
    line = run(tax, [pj("0", "Autorisation provisoire de séjour pour recherche d'emploi en cours de validité"),
                     pj("1", "Joindre obligatoirement la copie de votre titre de séjour actuel")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: the application form or letter for one is no permit
    for label in ("Formulaire de demande d'autorisation provisoire de séjour",
                  "Lettre de demande d'autorisation provisoire de séjour"):
        line = run(tax, [pj("0", label), pj("1", "Copie du titre de séjour")])
        assert not line["repeated"], label


def test_a_business_creation_in_a_section_names_no_company(tax):
    """A section « Étudiant sur le territoire et sollicitant une carte de séjour recherche d'emploi ou création
    d'entreprise » then its « Carte de séjour étudiant en cours de validité » (real: préfecture de Nanterre, read so in
    fresh): the student's own permit, asked already as « votre titre de séjour actuel » — not a company's."""
    header = ("Etudiant sur le territoire et sollicitant une carte de séjour recherche d'emploi ou création d'entreprise "
              "à la fin de ses études")
    line = run(tax, [pj("0", "Joindre obligatoirement la copie de votre titre de séjour actuel"),
                     other("1", "HeaderSection", header),
                     pj("2", "Carte de séjour étudiant en cours de validité")])
    assert repeated_refs(line) == [["0", "2"]]
    # the other direction: a section about the company itself still names whose piece it is
    line = run(tax, [pj("0", "Extrait Kbis"), other("1", "HeaderSection", "Pièces concernant l'entreprise"),
                     pj("2", "Extrait Kbis de moins de 3 mois")])
    assert repeated_refs(line) == [["0", "2"]]
    line = run(tax, [pj("0", "Pièce d'identité"), other("1", "HeaderSection", "Pièces concernant l'entreprise"),
                     pj("2", "Pièce d'identité")])
    assert not line["repeated"]


def test_an_au_pair_or_a_schooled_minor_is_the_applicant_not_a_child(tax):
    """A section « 4.1.2 - Renouvellement d'une carte de séjour mention jeune au pair » (real: préfecture de Nanterre,
    dev6): « jeune » there is the applicant's status, so the passport asked under it is the applicant's own."""
    line = run(tax, [pj("0", "Passeport"), other("1", "HeaderSection", "4.1.2 - Renouvellement d'une carte de séjour "
                                                                      "mention jeune au pair"),
                     pj("2", "Passeport en cours de validité")])
    assert repeated_refs(line) == [["0", "2"]]
    # likewise « en qualité de mineur scolarisé » (same préfecture, dev6): the minor is the applicant
    line = run(tax, [pj("0", "Justificatif de domicile de - 6 mois"),
                     other("1", "HeaderSection", "4.3 - JE DEMANDE UNE CARTE DE SEJOUR EN QUALITE DE \"MINEUR SCOLARISE\""),
                     pj("2", "Facture d'électricité, gaz, eau ou quittance de loyer")])
    assert repeated_refs(line) == [["0", "2"]]
    # the other direction: « le jeune », « le mineur » alone are still someone other than the applicant
    for header in ("Pièces concernant le jeune", "Pièces concernant le mineur"):
        line = run(tax, [pj("0", "Passeport"), other("1", "HeaderSection", header),
                         pj("2", "Passeport en cours de validité")])
        assert not line["repeated"], header


def test_what_a_piece_must_show_in_parentheses_does_not_say_which(tax):
    """« Procès verbal de la dernière assemblée générale », help « PV adopté lors de la dernière assemblée générale
    (devant mentionner les actions pouvant être financées par le FIPD) », then « Compte rendu dernière AG » (real:
    FIPD 2024, programme K, read so in dev8): the same minutes; the parenthesis says what they must show."""
    line = run(tax, [pj("0", "Procès verbal de la dernière assemblée générale",
                        "PV adopté lors de la dernière assemblée générale (devant mentionner les actions pouvant être "
                        "financées par le FIPD)"),
                     pj("1", "Compte rendu dernière AG")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a parenthesis naming what the minutes decide still makes other minutes
    line = run(tax, [pj("0", "Procès verbal de l'assemblée générale (autorisant l'activité extérieure)"),
                     pj("1", "Procès verbal de l'assemblée générale")])
    assert not line["repeated"]


def test_the_works_and_the_development_are_one_project(tax):
    """« Justificatif travaux 02 - Plan de situation et plan de masse des travaux » then « Le plan de situation de
    l'aménagement avec indication du N° de la voie » (real: DETR / DSIL du Gers, voirie, read so in dev5): « des
    travaux » and « de l'aménagement » name the same project, so the site plan is asked twice."""
    line = run(tax, [pj("0", "Justificatif travaux 02 - Plan de situation et plan de masse des travaux"),
                     pj("1", "Le plan de situation de l'aménagement avec indication du N° de la voie et de son domaine")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a plan of something else than the project is another plan
    line = run(tax, [pj("0", "Plan de situation des travaux"), pj("1", "Plan de situation des logements vacants")])
    assert not line["repeated"]


def test_a_help_naming_the_piece_that_proves_what_the_label_asks(tax):
    """« Justificatif de parcours de la sortie de prostitution », help « Rapport du travailleur social », then
    « Justificatif de victime de traite des êtres humains », help « Rapport travailleur social » (real: FDOL/H annexe
    sociale, read so in dev10): the label says what is to be proved, the help the one piece that proves it — the
    same report twice.  Likewise « Justificatif d'état civil du demandeur », help « Copie intégrale d'acte de
    naissance », then « Copie intégrale de votre acte de naissance » (préfecture de Meurthe-et-Moselle)."""
    line = run(tax, [pj("0", "Justificatif de parcours de la sortie de prostitution ou traite des êtres humains",
                        "Rapport du travailleur social"),
                     pj("1", "Justificatif de victime de traite des êtres humains ou de proxénétisme",
                        "Rapport travailleur social")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Justificatif d'état civil du demandeur",
                        "Copie intégrale d'acte de naissance comportant les mentions les plus récentes"),
                     pj("1", "Copie intégrale de votre acte de naissance de moins de 6 mois")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a help that offers a choice, or a label saying what the piece must show, names no piece
    choice = [pj("0", "Preuve de l'existence juridique de la société",
                 "Extrait de Kbis de moins de 3 mois\nou \nun journal d'annonce légale de moins de deux ans"),
              pj("1", "Extrait Kbis de moins de 3 mois")]
    line = run(tax, choice)
    assert not line["repeated"] and not any("0" in x["refs"] for x in line["already_held"])
    line = run(tax, [pj("0", "Justificatif de demande de versement direct de l'aide au logement au bailleur",
                        "Attestation CAF/MSA")])
    assert not line["already_held"]
    line = run(tax, [pj("0", "Preuve de la résidence de(s) enfant(s) en France", "certificat de scolarité ou de crèche, etc"),
                     pj("1", "Certificat de scolarité de l'enfant")])
    assert not line["repeated"] and not any("0" in x["refs"] for x in line["already_held"])


def test_a_piece_a_block_help_asks_for_in_a_case_is_asked_there(tax):
    """The block of quotes of DSIL / DETR forms says in its help « Dans le cas de dossiers portant sur des travaux
    d'infrastructure […], fournir l'avant-projet établi par le maître d'oeuvre », then a field of the « 6-2 Dans le
    cas de travaux » section asks for the « Dossier d'avant-projet, s'il y a lieu » (real: préfecture de la
    Haute-Savoie, read so by the four readers of dev10): in works, the design is asked twice.  « Dans le cas de
    travaux » is the broader case of the two, so both hold."""
    help_ = ("Fournir les justificatifs des dépenses de fonctionnement (MO, études, etc.) ainsi que les justificatifs "
             "des dépenses d'investissement (travaux, acquisitions).\nDans le cas de dossiers portant sur des travaux "
             "d'infrastructure ou d'aménagement de bâtiments qui font généralement l'objet d'un marché, fournir "
             "l'avant-projet établi par le maître d'oeuvre.")
    champs = [rep("1", "Les estimatifs ou devis descriptifs détaillés",
                  [pj("1.0", "Estimatifs détaillés des travaux ou devis")], description=help_),
              other("2", "HeaderSection", "6-2 Dans le cas de travaux"),
              pj("3", "Dossier d'avant-projet, s'il y a lieu")]
    line = run(tax, champs)
    assert repeated_refs(line) == [["1.0", "3"]]
    found = line["repeated"][0]
    assert found["document"] == "avant-projet"
    # the other direction: a help whose case only mentions a piece (« Si vous joignez les bulletins de salaire, le
    # journal de paye n'est pas nécessaire ») asks for nothing more; the preliminary design asked for a study is
    # not the works' design file; a plan « (niveau avant-projet) » is a plan
    champs = [rep("1", "Feuille de paye", [pj("1.0", "Feuille de paye")],
                  description="Si vous joignez les bulletins de salaires, le journal de paye n'est pas nécessaire."),
              pj("2", "Bulletins de salaire des trois derniers mois")]
    assert not run(tax, champs)["repeated"]
    assert not run(tax, [pj("0", "Avant-projet sommaire ou le cahier des charges de l'étude"),
                         pj("1", "dossier d'avant-projet")])["repeated"]
    assert not run(tax, [pj("0", "Dossier d'avant-projet"),
                         pj("1", "Plan d'aménagement (niveau avant-projet)")])["repeated"]


def test_a_case_and_a_narrower_one_hold_together(tax):
    """« Si travaux » then « Si travaux de voirie » : whoever is in the second case is in the first; but a case
    listed among others, or one saying « sans », is left to the reader."""
    line = run(tax, [other("0", "HeaderSection", "Si travaux"), pj("1", "Plan de situation"),
                     other("2", "HeaderSection", "Si travaux de voirie communale"), pj("3", "Plan de situation du projet")])
    assert repeated_refs(line) == [["1", "3"]]
    line = run(tax, [other("0", "HeaderSection", "Si travaux"), pj("1", "Plan de situation"),
                     other("2", "HeaderSection", "Si acquisition sans travaux"), pj("3", "Plan de situation du projet")])
    assert not line["repeated"]
    line = run(tax, [other("0", "HeaderSection", "Si vous êtes conjoint de Français"), pj("1", "Acte de mariage"),
                     other("2", "HeaderSection", "Si vous êtes conjoint de Français, pacsé ou conjoint de réfugié"),
                     pj("3", "Copie de l'acte de mariage")])
    assert not line["repeated"]


def test_the_legal_representatives_own_power_is_not_a_delegation(tax):
    """« Pouvoir de signature du représentant légal » (a document showing the representative may sign) then
    « Attestation de délégation de la signature du représentant légal » (real: Mayotte, appel à projets tiers-lieux,
    read so in dev10): two pieces — his own power, and the signature he hands to another."""
    line = run(tax, [pj("0", "Pouvoir de signature du représentant légal",
                        "Veuillez joindre un document attestant du pouvoir de signature du représentant légal."),
                     pj("1", "Attestation de délégation de la signature du ou de la représentant(e) légal(e)")])
    assert not line["repeated"]
    # the other direction: the power handed to a signatory, asked twice
    line = run(tax, [pj("0", "Pouvoir de signature"), pj("1", "Délégation de signature")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_block_named_after_a_document_it_does_not_ask_is_a_section(tax):
    """Under « 4.3 - Je demande une carte de séjour en qualité de mineur scolarisé », a block « Visa D portant la
    mention "mineur scolarisé" » asks for the passport and the birth certificate (real: préfecture de Nanterre,
    read so in dev10): its name is the case of whoever holds that visa, laid out as a section, so its pieces are
    compared with the rest of the form."""
    champs = [pj("0", "Copie intégrale de l'acte de naissance"),
              other("1", "HeaderSection", "4.3 - Je demande une carte de séjour en qualité de mineur scolarisé"),
              rep("2", 'Visa D portant la mention "mineur scolarisé"',
                  [pj("2.0", "Passeport"), pj("2.1", "Acte de naissance intégral")])]
    assert repeated_refs(run(tax, champs)) == [["0", "2.1"]]
    # the other direction: a block named after the piece it holds is one per piece (one pay slip per block)
    champs = [pj("0", "Bulletins de salaire des trois derniers mois"),
              rep("1", "Bulletin de salaire", [pj("1.0", "Bulletin de salaire"), pj("1.1", "Contrat de travail")])]
    assert not run(tax, champs)["repeated"]


def test_a_scholarship_from_the_country_of_origin_is_not_in_the_cnous_files(tax):
    """« Si vous êtes boursier dans votre pays d'origine : l'attestation de bourse de l'organisme payeur du pays
    d'origine » (real: préfecture de Nanterre, titre de séjour étudiant): no French registry holds it."""
    line = run(tax, [pj("0", "Si vous êtes boursier dans votre pays d'origine : l'attestation de bourse de "
                             "l'organisme payeur du pays d'origine précisant le montant et la durée de la bourse")])
    assert not line["already_held"]
    # the other direction: the CROUS notice is what the CNOUS holds
    line = run(tax, [pj("0", "Notification du Crous 2024/2025")], title="Inscription en BTS", organisme="Lycée")
    assert [x["document"] for x in line["already_held"]] == ["notification-bourse"]


def test_numbered_cases_are_one_situation_each(tax):
    """« CAS n° 2 : Je fais ma propre déclaration fiscale » then « CAS n° 3 : Je suis marié(e) ou pacsé(e) et soumis
    à imposition commune », each an explanation followed by « Déposez votre avis d'imposition » (real: ENM, classes
    prépa talents, read so in fresh4), or « Cas n°1 » / « Cas n° 2 » section headers (Petites Villes de Demain):
    the form lists situations, one per applicant — one notice each, not one asked twice."""
    champs = [other("0", "Explication", "CAS n° 2 : Je fais ma propre déclaration fiscale"),
              pj("1", "Joindre votre propre avis d'imposition 2023 sur les revenus 2022 (ou de non-imposition)"),
              other("2", "Explication", "CAS n° 3 : Je suis marié(e) ou pacsé(e) et soumis à imposition commune"),
              pj("3", "Déposez votre avis d'imposition 2023 sur les revenus 2022 (ou de non-imposition)")]
    assert not run(tax, champs)["repeated"]
    champs = [other("0", "HeaderSection", "Cas n°1 : Le chef de projet reste inchangé"),
              pj("1", "Rapport d'activité du chef de projet"),
              other("2", "HeaderSection", "Cas n° 2 : Le chef de projet est remplacé"),
              pj("3", "Rapport d'activité du chef de projet (année écoulée)")]
    line = run(tax, champs)
    assert not line["repeated"] and not line["review"]
    # the other direction: a piece asked to everyone, then again in one case, is asked twice to whoever is in it
    champs = [pj("0", "Avis d'imposition 2023 sur les revenus 2022"),
              other("1", "Explication", "CAS n° 2 : Je fais ma propre déclaration fiscale"),
              pj("2", "Déposez votre avis d'imposition 2023 sur les revenus 2022")]
    assert repeated_refs(run(tax, champs)) == [["0", "2"]]


def test_the_person_represented_and_the_holder_of_the_bill_are_other_people(tax):
    """« Pièce d'identité » then « Pièce d'identité de la personne représentée » (commission de conciliation du Gard)
    or « … de la personne physique pour qui est effectuée la démarche » (licence de débit de boissons); « à défaut,
    une attestation d'hébergement avec la pièce d'identité du titulaire de la facture » (aide au logement étudiant,
    Polynésie): each names someone else than the applicant (read so in fresh4)."""
    line = run(tax, [pj("0", "Pièce d'identité", "Carte d'identité ou passeport"),
                     pj("1", "Pièce d'identité de la personne représentée", "Carte d'identité ou passeport uniquement")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Pièce d'identité de l'étudiant"),
                     pj("1", "Justificatif de résidence", "Joindre une facture d'électricité au nom de l'étudiant. A "
                        "défaut, fournir une attestation d'hébergement avec la pièce d'identité du titulaire de la facture.")])
    assert not line["repeated"]
    # the other direction: the represented person's identity asked twice is a repetition
    line = run(tax, [pj("0", "Pièce d'identité de la personne représentée"),
                     pj("1", "Carte d'identité de la personne représentée")])
    assert repeated_refs(line) == [["0", "1"]]


def test_a_home_insurance_asked_on_its_own_is_not_the_proof_of_address(tax):
    """« Attestation d'assurance du logement au nom de l'étudiant » (« doit couvrir la période de septembre à juin »)
    then « Justificatif de résidence » (aide au logement étudiant, Polynésie, read so in fresh4): insurance of the
    home, and the proof of address — two pieces, like the lease and the property tax notice."""
    line = run(tax, [pj("0", "Attestation d'assurance du logement au nom de l'étudiant"),
                     pj("1", "Justificatif de résidence", "Joindre une facture d'électricité au nom de l'étudiant.")])
    assert not line["repeated"]
    # the other direction: the insurance certificate asked twice
    line = run(tax, [pj("0", "Attestation d'assurance habitation"), pj("1", "Assurance habitation en cours")])
    assert repeated_refs(line) == [["0", "1"]]


def test_the_land_is_what_its_legal_status_is_about_and_a_fixed_line_bill_is_a_phone_bill(tax):
    """« Justificatif établissant que le demandeur a ou aura la libre disposition du terrain / immeuble » then
    « Justificatif de la situation juridique du terrain/immeuble » (DETR de l'Aveyron, read so in fresh4): « du
    terrain » is what the piece is about, not another owner; « Justificatif de domicile » then « facture eau /
    électricité et/ou de téléphone FIXE » (Mayotte): the kind of line does not make another bill."""
    line = run(tax, [pj("0", "Justificatif établissant que le demandeur a ou aura la libre disposition du terrain / "
                             "immeuble"),
                     pj("1", "Justificatif de la situation juridique du terrain/immeuble")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "Justificatif de domicile"),
                     pj("1", "facture eau/electricité et/ou de téléphone FIXE de - de 6 mois")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: the attestation to fill on the form's model is a declaration, not the legal documents
    line = run(tax, [pj("0", "Justificatif de la situation juridique du terrain/immeuble"),
                     pj("1", "Attestation de libre disposition des terrains et immeubles", "selon modèle joint")])
    assert not line["repeated"]


def test_a_lease_the_other_request_asks_with_the_bill_is_asked_twice(tax):
    """« copie du bail si vous êtes locataire » then « Si vous êtes locataire » whose help asks for « une facture
    d'eau ou d'électricité … ET le bail de location » (visa études, Mayotte, read so in fresh4): the lease is
    named among the pieces the second request asks all of, so the tenant gives it twice."""
    line = run(tax, [pj("0", "copie du bail si vous êtes locataire", "copie du bail"),
                     pj("1", "Si vous êtes locataire", "fournir une facture d'eau ou d'électricité ou de téléphone "
                                                      "fixe de - de 6 mois ET le bail de location")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a lease offered as one choice among others is not asked twice, nor one asked alone
    # after a bare proof of address (a lease alone does not prove where one lives)
    line = run(tax, [pj("0", "Copie du bail"),
                     pj("1", "Si ménage libérant un appartement, joindre une attestation d'hébergement ou une "
                             "convention d'occupation ou une copie du bail")])
    assert not line["repeated"]
    line = run(tax, [pj("0", "Copie du bail"), pj("1", "Justificatif de domicile")])
    assert not line["repeated"]


def test_a_help_asking_in_a_case_for_another_piece_does_not_make_the_request_conditional(tax):
    """« Visa D ou visa long séjour valant titre de séjour (VLS-TS) » / help « Si vous êtes titulaire d'un VLS-TS
    veuillez joindre la validation OFII » (préfecture des Hauts-de-Seine, read so in dev6 and dev10 and by a second
    reading of dev10): the case is that of the validation; the visa is asked of everyone, and again in the block of
    the renewal after a VLS-TS."""
    renewal = rep("1", "4.1.2 - Renouvellement d'une carte de séjour mention \"Jeune au pair\" après un visa long "
                       "séjour valant titre de séjour", [pj("1.0", "Visa long séjour valant titre de séjour"),
                                                        pj("1.1", "Convention d'accueil (cerfa n°15973*01)")])
    line = run(tax, [pj("0", "Visa D ou visa long séjour valant titre de séjour (VLS-TS)",
                        "Si vous êtes titulaire d'un VLS-TS veuillez joindre la validation OFII"), renewal])
    assert repeated_refs(line) == [["0", "1.0"]]
    # the other direction: a help whose case asks for the request's own piece (in other words, or by a pronoun)
    # says when it is asked, and so does one that describes a choice of what the slot takes
    for help_, case in (("Si vous êtes hébergé, joindre une attestation d'hébergement", "si vous etes heberge"),
                        ("Si vous êtes hébergé, joindre celui de l'hébergeant", "si vous etes heberge"),
                        ("Si vous êtes marié, joindre aussi le sien", "si vous etes marie")):
        assert tax.classify("Justificatif de domicile", help_).condition == case, help_
    c = tax.classify("Justificatif de domicile", "Si vous n'avez pas de facture, joindre une quittance ou une attestation")
    assert c.condition == "si vous n avez pas de facture"


def test_the_european_a_family_member_joins_is_another_person(tax):
    """« Pièce d'identité du ressortissant européen » (titre de séjour de plein droit, read so in dev9): the
    identity papers of the European the applicant joins, not the applicant's passport asked again."""
    line = run(tax, [pj("0", "Passeport"), pj("1", "Pièce d'identité du ressortissant européen")])
    assert not line["repeated"]
    # the other direction: the applicant's own identity papers asked twice
    line = run(tax, [pj("0", "Passeport"), pj("1", "Pièce d'identité du demandeur")])
    assert repeated_refs(line) == [["0", "1"]]


def test_one_wording_told_apart_after_a_colon_is_two_slots(tax):
    """« Statut du demandeur : Agriculteur » / « Statut du demandeur : Structure d'animation » (PACTE HAIES 2024,
    two regions), « Compte-rendu financier : enseignement de spécialité » / « … : enseignement optionnel » (DRAC):
    one wording, two slots told apart by what follows the colon, like a parenthesis."""
    line = run(tax, [pj("0", "Compte-rendu financier : enseignement de spécialité 2022/2023"),
                     pj("1", "Compte-rendu financier : enseignement optionnel 2022/2023")])
    assert not line["repeated"] and not line["review"]
    # the other direction: the same piece named again without a colon, and a colon after a condition, which
    # tells no slot apart
    line = run(tax, [pj("0", "Compte-rendu financier : enseignement de spécialité 2022/2023"),
                     pj("1", "Compte-rendu financier 2022/2023")])
    assert repeated_refs(line) == [["0", "1"]]
    line = run(tax, [pj("0", "RIB : association"), pj("1", "Relevé d'identité bancaire de l'association")])
    assert repeated_refs(line) == [["0", "1"]]
    assert tax.classify("Si la demande dépasse 45 730 € : rapport du commissaire aux comptes", "").slot is None


def test_a_piece_a_fields_help_asks_in_a_case_is_asked_there(tax):
    """« Justificatif de domicile de - 6 mois » whose help lists what to give in each case (« - Si hébergement à
    l'hôtel : attestation de l'hôtelier et facture du dernier mois »), then a block « Si hébergement à l'hôtel »
    asking that attestation again (préfecture, cartes de séjour « étudiant concours », read so in dev6 and dev10);
    a help sentence « Pour les travailleurs étrangers : titre de séjour valide » under « Salarié » after « titre de
    séjour en cours de validité » (Cnam, dev3)."""
    domicile = pj("0", "Justificatif de domicile de - 6 mois",
                  "- Si locataire : facture d'électricité ou quittance de loyer ;\n\n"
                  "- Si hébergement à l'hôtel: attestation de l'hôtelier et facture du dernier mois ;")
    hotel = rep("1", "Domiciliation : justificatifs de moins de 6 mois", [pj("1.0", "Si hébergement à l'hôtel",
                                             "attestation de l'hôtelier et facture du dernier mois")])
    assert repeated_refs(run(tax, [domicile, hotel])) == [["0", "1.0"]]
    line = run(tax, [pj("0", "Ou titre de séjour en cours de validité"),
                     pj("1", "Salarié", "Pour les travailleurs étrangers : titre de séjour valide à la date du début "
                                        "de la formation.")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a proof of address whose help does not name the hotel's attestation is not asked again
    # by the hotel block (the hotel guest gives that one instead) ...
    plain = pj("0", "Justificatif de domicile", "Daté de moins de 6 mois et à votre nom, ou, si vous êtes "
                                                 "hébergé(e), au nom de la personne qui vous héberge.")
    assert not run(tax, [plain, hotel])["repeated"]
    # ... a field is never compared with what its own help asks (its own piece, or a kind of it) ...
    line = run(tax, [domicile])
    assert not line["repeated"] and not line["review"]
    line = run(tax, [pj("0", "Justificatif de domicile", "Si vous êtes locataire : facture d'électricité de moins de "
                                                         "3 mois.")])
    assert not line["repeated"] and not line["review"]
    # ... the piece keeps the field's person (« votre hébergeant ») when the sentence names none ...
    line = run(tax, [pj("0", "Titre de séjour"),
                     pj("1", "Pièce d'identité de votre hébergeant",
                        "Si l'hébergeant n'est pas français ou européen : titre de séjour en cours de validité.")])
    assert not line["repeated"]
    # ... and the field's branch: the piece its help asks sits in the field's answer of one choice, never asked
    # together with the other answer's
    line = run(tax, [other("0", "DropDownList", "Je sollicite", ["une avance", "le solde"]),
                     other("1", "HeaderSection", "Demande d'avance"), pj("2", "Délibération du conseil municipal"),
                     other("3", "HeaderSection", "Demande de solde"),
                     pj("4", "Attestation de fin de travaux",
                        "Pour les communes : fournir la délibération du conseil municipal.")])
    assert not line["repeated"] and not line["review"]


def test_the_hosts_attestation_and_the_piece_of_the_person_it_names(tax):
    """« Justificatif de domicile » whose help says « En cas d'hébergement, veuillez fournir une attestation de
    l'hébergeant accompagnée de sa pièce d'identité », then « Attestation d'hébergement » and « Pièce d'identité de
    l'hébergeant » (NEPH, Hérault, read so in dev6): the host signs the attestation, which proves the user's
    address, and « sa pièce d'identité » is the host's; both are asked twice."""
    help_ = ("Justificatif de moins de 3 mois (facture, quittance de loyer).\n"
             "En cas d'hébergement, veuillez fournir une attestation de l'hébergeant accompagnée de sa pièce d'identité.")
    champs = [pj("0", "Pièce d'identité du candidat (recto)"), pj("1", "Pièce d'identité du candidat (verso)"),
              pj("2", "Justificatif de domicile", help_), pj("3", "Attestation d'hébergement"),
              pj("4", "Pièce d'identité de l'hébergeant")]
    assert sorted(repeated_refs(run(tax, champs))) == [["2", "3"], ["2", "4"]]
    assert tax.classify("Attestation sur l'honneur de l'hébergeur").variants == ["attestation-hebergement"]
    # the other direction: the host's identity document is not the user's (who gives his own in 0 and 1) ...
    line = run(tax, champs[:3])
    assert not line["repeated"] and not line["review"]
    # ... and « son » or « sa » after a piece that names nobody else is the user's own piece, asked once
    line = run(tax, [pj("0", "Pièce d'identité"),
                     pj("1", "Justificatif de domicile", "En cas d'hébergement, fournir une attestation d'hébergement "
                                                         "accompagnée de sa pièce d'identité.")])
    assert not line["repeated"]


def test_every_piece_a_help_joins_with_plus_signs_is_asked(tax):
    """« Justificatifs de ressources propres ou de celles de votre couple » whose help says « Contrat de travail +
    certificat de travail de l'employeur précisant la date de début du contrat + bulletins de paie de l'année en
    cours + tous les avis d'imposition » (préfecture, titres de séjour « saisonnier », read so in fresh4): the label
    says what is to be proved, the plus signs join every piece asked, and the contract and the tax notice asked
    earlier are asked again."""
    help_ = ("Contrat de travail + certificat de travail de l'employeur précisant la date de début du contrat + "
             "bulletins de paie de l'année en cours + tous les avis d'imposition des trois dernières années")
    ressources = pj("2", "Justificatifs de ressources", help_)
    line = run(tax, [pj("0", "Votre contrat de travail"), pj("1", "Votre dernier avis d'imposition"), ressources])
    assert sorted(repeated_refs(line)) == [["0", "2"], ["1", "2"]]
    c = tax.classify("Justificatifs de ressources", help_)
    assert c.documents == ["contrat-travail", "certificat-travail", "bulletins-salaire", "avis-imposition"]
    # the other direction: a part offering a choice, or one naming no piece, leaves the help unread (a list of
    # options, or something the taxonomy does not know, for this slot)
    for other_help in ("Contrat de travail ou attestation France Travail + bulletins de paie",
                       "Contrat de travail + tout document utile"):
        line = run(tax, [pj("0", "Votre contrat de travail"), pj("2", "Ressources du foyer", other_help)])
        assert not line["repeated"], other_help
        assert tax.classify("Ressources du foyer", other_help).documents == [], other_help


def test_a_piece_a_fields_help_asks_in_a_case_on_a_walked_page():
    """The same reading on pages walked in a browser: one engine for both."""
    from auditor.checks.dlnuf import dlnuf
    from auditor.config import load_rules
    from tests.checks.test_dlnuf import ROOT, capture, page, upload

    rules = load_rules(ROOT / "rules")

    help_ = "- Si hébergement à l'hôtel : attestation de l'hôtelier et facture du dernier mois ;"
    cap = capture(page(1, [upload("#domicile", "Justificatif de domicile", hint=help_)]),
                  page(2, [upload("#hotel", "Si hébergement à l'hôtel",
                                  hint="Attestation de l'hôtelier et facture du dernier mois")]))
    (found,) = dlnuf(cap, rules).block["repeated"]
    assert [r["selector"] for r in found["requests"]] == ["#domicile", "#hotel"]
    # the other direction: the help says nothing of the hotel; a field and the kind of its piece its help names
    cap = capture(page(1, [upload("#domicile", "Justificatif de domicile")]),
                  page(2, [upload("#hotel", "Si hébergement à l'hôtel",
                                  hint="Attestation de l'hôtelier et facture du dernier mois")]))
    assert dlnuf(cap, rules).block["repeated"] == []
    cap = capture(page(1, [upload("#domicile", "Justificatif de domicile",
                                  hint="Si vous êtes locataire : facture d'électricité de moins de 3 mois.")]))
    block = dlnuf(cap, rules).block
    assert block["repeated"] == [] and block["review"] == []


def test_the_hosts_attestation_and_his_piece_on_a_walked_page():
    """The host's attestation and « sa pièce d'identité » read the same on pages walked in a browser."""
    from auditor.checks.dlnuf import dlnuf
    from auditor.config import load_rules
    from tests.checks.test_dlnuf import ROOT, capture, page, upload

    rules = load_rules(ROOT / "rules")
    help_ = "En cas d'hébergement, veuillez fournir une attestation de l'hébergeant accompagnée de sa pièce d'identité."
    cap = capture(page(1, [upload("#identite", "Pièce d'identité du candidat"),
                           upload("#domicile", "Justificatif de domicile", hint=help_)]),
                  page(2, [upload("#attestation", "Attestation d'hébergement"),
                           upload("#hote", "Pièce d'identité de l'hébergeant")]))
    found = dlnuf(cap, rules).block["repeated"]
    assert sorted([r["selector"] for r in f["requests"]] for f in found) == [["#domicile", "#attestation"],
                                                                           ["#domicile", "#hote"]]


def test_a_case_and_a_narrower_one_in_another_word_of_its_family_hold_together(tax):
    """« Attestation d'hébergement si vous êtes hébergé » then « Si hébergement chez un particulier » / « joindre
    attestation hébergement signée » (visa études, read so in fresh4): whoever is hosted by a private person is
    hosted; the attestation is asked twice."""
    line = run(tax, [pj("0", "Attestation d'hébergement si vous êtes hébergé", "attestation d'hébergement signée"),
                     pj("1", "Si hébergement chez un particulier",
                        "joindre attestation hébergement signée qui précise la composition familiale de l'hébergeant")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a word of another family is not a narrower case (a review, as before), nor is a
    # negated one
    for cond in ("Si vous n'êtes pas hébergé chez un particulier", "Si hôtel ou résidence universitaire"):
        line = run(tax, [pj("0", "Attestation d'hébergement si vous êtes hébergé", "attestation d'hébergement signée"),
                         pj("1", cond, "joindre attestation hébergement signée")])
        assert not line["repeated"], cond


def test_the_home_of_the_person_a_pupil_lives_with_is_the_pupils(tax):
    """« Justificatif de domicile du représentant légal chez qui vit l'élève » then « Justificatif de résidence de
    l'élève » (affectation en lycée, 13 forms of one academy, read so in dev5): one address, asked twice."""
    line = run(tax, [pj("0", "Justificatif de domicile du représentant légal chez qui vit l'élève"),
                     pj("1", "Justificatif de résidence de l'élève")])
    assert repeated_refs(line) == [["0", "1"]]
    assert tax.classify("Justificatif de domicile du parent avec qui l'élève réside").subject == "enfant"
    # the other direction: the legal representative's own home, not said to be the pupil's, is another person's
    line = run(tax, [pj("0", "Justificatif de domicile du représentant légal"),
                     pj("1", "Justificatif de résidence de l'élève")])
    assert not line["repeated"]


def test_the_asylum_decision_is_a_piece_and_a_persons_status_is_no_articles_of_association(tax):
    """« Décision de l'OFPRA ou de la CNDA » (cartes de séjour, 35 fields of the snapshot) was no piece, and
    « Décision octroyant le statut de réfugié » read as the articles of an association (« statut »), counted as
    already held by API Entreprise; so were « Justificatif lié au statut marital », « En fonction de votre statut,
    pièce exigée… ».  A passport whose help asks refugees for the OFPRA decision asks the passport of everyone and
    the decision in that case (Raincy, read so in dev9)."""
    for label in ("Décision octroyant le statut de réfugié", "Décision de l'OFPRA attribuant le statut de réfugié"):
        assert tax.classify(label).documents == ["decision-protection"], label
    for label in ("Justificatif lié au statut marital", "En fonction de votre statut, pièce exigée sur la liste",
                  "Pièce justificative pour autre statut", "Justificatif statut salarié"):
        assert "statuts" not in tax.classify(label).documents, label
    line = run(tax, [pj("0", "Justificatif lié au statut marital", "Si marié(e) : livret de famille")])
    assert not line["already_held"]
    passport = pj("0", "Passeport", "Pour les bénéficiaires du statut de réfugié, joindre une copie de la décision "
                                    "de l'OFPRA")
    assert tax.classify(passport["label"], passport["description"]).documents == ["piece-identite"]
    line = run(tax, [passport, pj("1", "Décision de l'OFPRA")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: the articles of an association are still that, and still held; a receipt that records
    # the protection is not the decision
    for label in ("Statuts de l'association", "Statut régulièrement approuvés", "Statuts ou convention constitutives"):
        assert tax.classify(label).documents == ["statuts"], label
    assert run(tax, [pj("0", "Statuts de l'association")])["already_held"]
    line = run(tax, [pj("0", "Récépissé constatant la reconnaissance d'une protection internationale"),
                     pj("1", "Décision octroyant le bénéfice de la protection subsidiaire")])
    assert not line["repeated"]


def test_a_persons_tax_certificate_and_a_refused_piece_are_not_held(tax):
    """« Attestation fiscale du Parent 1. », « Attestations fiscales de l'étudiant et des parents. » (bourses,
    Polynésie) were counted as the company's certificate API Entreprise serves; « Attention ! les attestations
    France Travail (Pôle emploi) ne sont pas recevables » as a request for it."""
    for label in ("Attestation fiscale du Parent 1.", "Attestations fiscales de l'étudiant et des parents.",
                  "Attestation fiscale des parents de la DICP"):
        assert not run(tax, [pj("0", label)])["already_held"], label
    label = "Expérience professionnelle / Attention! les attestations France Travail (Pôle emploi) ne sont pas recevables"
    assert tax.classify(label).document is None
    # the other direction: a company's certificate and a job seeker's certificate asked for are held
    for label, doc in (("Attestation de régularité fiscale", "attestation-fiscale-entreprise"),
                       ("Attestation Pôle emploi", "attestation-france-travail")):
        (held,) = run(tax, [pj("0", label)])["already_held"]
        assert held["document"] == doc


def test_two_fields_worded_alike_but_for_a_capital_are_identical(tax):
    """« Relevé d'Identité Bancaire » and « Relevé d'identité bancaire », « Carte Vitale » and « Carte vitale »
    (concours, read not repeated in dev5), one of them with a help: strictly the same wording, so, like two
    identical fields with different helps, a point to check by hand rather than a repetition."""
    line = run(tax, [pj("0", "Relevé d'Identité Bancaire"),
                     pj("1", "Relevé d'identité bancaire", "Le RIB (avec logo) doit comporter le nom et le prénom de "
                                                           "l'enseignant.")])
    assert not line["repeated"] and review_refs(line) == [["0", "1"]]
    # the other direction: the same piece in other words is asked twice
    line = run(tax, [pj("0", "Relevé d'Identité Bancaire"), pj("1", "RIB du demandeur")])
    assert repeated_refs(line) == [["0", "1"]]


def test_the_list_of_an_organisations_leaders_is_a_piece(tax):
    """« Liste des responsables légaux » (help: « … les noms, fonctions et adresses des responsables légaux des
    organismes ») then « Composition du Conseil d'administration et du bureau » (Seine-Saint-Denis, read so by both
    readings of dev3): the list of who runs the association, asked twice — a piece 685 fields of the snapshot ask
    for, which the taxonomy did not know."""
    line = run(tax, [pj("0", "Liste des responsables légaux", "Le document transmis doit faire apparaître les noms, "
                                                               "fonctions et adresses des responsables légaux des "
                                                               "organismes"),
                     pj("1", "Composition du Conseil d'administration et du bureau")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: the board and the bureau asked apart are two lists; an attestation that the bureau has not
    # changed is not the list; the members of « l'organe dirigeant » may be either; a parent is still a parent
    line = run(tax, [pj("0", "Liste des membres du conseil d'administration"),
                     pj("1", "Liste des membres du bureau (fonction et coordonnées)")])
    assert not line["repeated"]
    assert tax.classify("Attestation de non modification des membres du bureau").document != "liste-dirigeants"
    assert tax.classify("Liste des membres de l'organe dirigeant le cas échéant").document is None
    assert tax.classify("Pièce d'identité du responsable légal").subject == "representant-legal"


def test_a_help_opening_on_the_piece_then_listing_cases_asks_that_piece(tax):
    """« Justificatif de difficultés particulières de logement… » / help « Rapport du travailleur social : … qui peut
    trouver sa source dans : -perte d'emploi… ; -liquidation judiciaire ; -séparation brutale… » (FDOL/H, read so by
    both readings of dev10): the social worker's report, asked for the third time after two other grounds."""
    help_ = ("Rapport du travailleur social : éléments de type « accident de la vie », qui peut trouver sa source "
             "dans :\r\n-perte d’emploi avec des droits limités à l’ASS ;\r\n-liquidation judiciaire ;\r\n"
             "-séparation brutale (conjugale ou décès) ;")
    line = run(tax, [pj("0", "Justificatif de victime de traite des êtres humains ou de proxénétisme",
                        "Rapport travailleur social"),
                     pj("1", "Justificatif de difficultés particulières de logement pour des raisons d'ordre financier",
                        help_)])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a list of pieces to choose from is no single piece (« - Attestation de paiement de la CAF
    # … - Calculette de la Région … - Relevé d'imposition »: one of them, not the CAF's)
    help_ = ("- Attestation de paiement de la CAF de moins de 3 mois\r\n- Calculette de la Région Ile-de-France\r\n"
             "- Relevé d'imposition 2024 sur 2023")
    c = tax.classify("Justificatif du tarif régional", help_)
    assert c.document is None and c.ambiguous


def test_the_piece_a_help_asks_first_ou_a_defaut_is_the_one_given(tax):
    """« Justificatifs de nationalité » / help « Passeport en cours de validité ou à défaut autres justificatifs
    (attestation consulaire, carte d'identité…) », then « Passeport » in the block of the minor's visa (préfecture
    des Hauts-de-Seine, read so by both readings of dev10): the passport is what the user gives the first time."""
    nationality = pj("0", "Justificatifs de nationalité",
                     "Passeport en cours de validité ou à défaut autres justificatifs (attestation consulaire, carte "
                     "d'identité, carte consulaire, etc)")
    line = run(tax, [nationality, pj("1", "Passeport", "pages relatives à l'état civil et aux dates de validité")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a free choice between the passport and another piece does not say which one was given
    choice = pj("0", "Justificatifs de nationalité", "Passeport ou carte consulaire")
    line = run(tax, [choice, pj("1", "Passeport", "pages relatives à l'état civil et aux dates de validité")])
    assert not line["repeated"]


def test_a_slot_whose_help_names_only_held_pieces_is_held(tax):
    """« Annexe 1 » / help « Si l'entreprise est créée, fichier PDF comprenant : extrait de KBIS et/ou les statuts »
    (prix PEPITE), « Si vous êtes étudiant(e) » / « Votre carte étudiant ou certificat de scolarité » : the slot asks
    no piece in particular, but the administration may obtain each one the help names."""
    def held_refs(champs, organisme="Préfecture de la Loire"):
        line = run(tax, champs, organisme=organisme)
        return sorted(r for h in line["already_held"] for r in map(str, h["refs"]))

    assert held_refs([pj("0", "Annexe 1", "Si l'entreprise est créée, fichier PDF comprenant : extrait de KBIS "
                                          "et/ou les statuts")]) == ["0"]
    # the other direction: a help naming a piece the administration cannot obtain too, examples of what to name a
    # file, or a list whose other line names a piece the taxonomy does not know
    assert held_refs([pj("0", "Annexe 1", "Fichier PDF comprenant : extrait de KBIS et RIB de l'entreprise")]) == []
    assert held_refs([pj("0", "Pièce jointe complémentaire 1", "Dénommer le document de manière explicite.\n"
                                                              "Exemple : spécimen de certificat de scolarité, de "
                                                              "carte d'étudiant")]) == []
    assert held_refs([pj("0", "Au moins l'un de ces 3 documents :", "- un K-BIS (moins de 3 mois)\n- les statuts de "
                                                                   "la structure à jour\n- un PV entérinant les "
                                                                   "modifications")]) == []


def test_the_legal_representatives_proof_of_address_is_the_users(tax):
    """« Justificatif de domicile de moins de 3 mois au nom du représentant légal » then « Pièce justificative
    (Justificatif de domicile en rapport avec la demande) » (affectation en collège, DSDEN du Rhône, read so in
    random3): the legal representative who fills in the form lives at the address the user proves."""
    line = run(tax, [pj("0", "Justificatif de domicile de moins de 3 mois au nom du représentant légal"),
                     pj("1", "Pièce justificative (Justificatif de domicile en rapport avec la demande)")])
    assert repeated_refs(line) == [["0", "1"]]
    # the other direction: a numbered representative is another parent, the child may live elsewhere (a student),
    # and a proof of years of residence in France is no proof of the current address
    for other_label in ("Justificatif de domicile du représentant légal 2",
                        "Facture d'électricité de l'enfant"):
        line = run(tax, [pj("0", "Justificatif de domicile"), pj("1", other_label)])
        assert not line["repeated"], other_label
    for past in ("Justificatifs de résidence en France d'un ou des parents (sauf algérien et tunisien)",
                 "Justificatifs de résidence depuis que l'enfant a eu 13 ans"):
        assert tax.classify(past).document != "justificatif-domicile", past


def test_the_sirene_situation_and_the_organic_certificate_are_held_a_company_in_formation_is_not(tax):
    """« Veuillez fournir la situation au répertoire SIREN », « Fiche d'information INSEE ou KBIS » (Départements),
    « Certificat agriculture biologique » (DDT, aides bio: the Agence Bio publishes it by SIRET) are held; « Si la
    société est en formation, statuts signés » (ARS, pharmacies) asks for articles no register holds yet (read so
    in random3)."""
    def held(label, organisme="Département de la Vendée"):
        line = run(tax, [pj("0", label)], organisme=organisme)
        return [h["document"] for h in line["already_held"]]

    assert held("Veuillez fournir la situation au répertoire SIREN de moins de 3 mois (au format PDF)") == [
        "avis-situation-sirene"]
    assert held("Fiche d'information INSEE ou KBIS") == ["avis-situation-sirene"]
    assert held("Certificat « agriculture biologique » au titre de 2023 ou à défaut 2022", "DDT 71") == [
        "certificat-bio"]
    # the other direction: articles of a company not yet registered, or a draft, are held by no one
    for label in ("Si la société est en formation, statuts signés", "Statuts ou projet de statuts du GAEC"):
        assert held(label, "Agence régionale de santé") == [], label
    assert held("Statuts de la société", "Agence régionale de santé") == ["statuts"]


def test_what_a_clause_leaves_out_does_not_put_a_piece_out_of_reach(tax):
    """« Statuts + liste des membres du conseil d'administration » / help « Pour les associations. NE CONCERNE PAS
    LES COLLECTIVITES OU EPCI » (CAF de la Martinique, read so in random3): the articles of the association are
    held; the EPCI the help leaves out is not whose articles are asked."""
    def held(label, hint=""):
        return [h["document"] for h in run(tax, [pj("0", label, hint)], organisme="CAF")["already_held"]]

    assert held("Statuts + Liste des membres du Conseil d'Administration",
                "Pour les associations\nNE CONCERNE PAS LES COLLECTIVITES OU EPCI") == ["statuts"]
    assert held("Statuts (sauf pour les sociétés en formation)") == ["statuts"]
    # the other direction: the same words outside such a clause still put the articles out of reach
    assert held("Statuts de l'EPCI") == []
    assert held("Statuts de la communauté de communes", "Sauf avis contraire du service, format PDF.") == []


def test_a_help_saying_where_to_put_a_piece_in_each_case_asks_it(tax):
    """« 6- Attestation de situation » / help « Si vous êtes étudiant-e, déposez ici une copie de votre carte
    d'étudiant ; si vous êtes demandeur d'emploi, déposez ici une copie de votre attestation d'inscription à
    Pôle-Emploi » (Prépa Talents of the IRA, read so in random3): « ici » stands between the verb and the piece, each
    case asks a piece the institute may obtain itself."""
    line = run(tax, [pj("0", "6- Attestation de situation",
                        "Si vous êtes étudiant-e, déposez ici une copie de votre carte d'étudiant 2023/2024 ; si vous "
                        "êtes demandeur d'emploi, déposez ici une copie de votre attestation d'inscription à "
                        "Pôle-Emploi")], organisme="Institut régional d'administration de Nantes")
    assert sorted(h["document"] for h in line["already_held"]) == ["attestation-france-travail", "statut-etudiant"]
    # the other direction: « ici » before no piece asks none
    line = run(tax, [pj("0", "6- Attestation de situation", "Si vous êtes étudiant-e, déposez ici tout justificatif "
                                                            "de votre situation.")])
    assert not line["already_held"] and not line["requests"][0]["document"]


def test_a_help_listing_only_held_pieces_one_per_line_asks_a_held_piece(tax):
    """« Si le demandeur est le représentant légal d'une personne morale : » / help « Joindre l'un des documents
    suivants : - un exemplaire des statuts - un extrait du registre du commerce et des sociétés - … » (agrément
    des écoles de conduite, DDT, read so in random3): whichever the user gives, the administration could obtain it."""
    def held(lines):
        line = run(tax, [pj("0", "Si le demandeur est le représentant légal d'une personne morale :",
                            "Joindre l'un des documents suivants:\n" + "\n".join(lines))], organisme="DDTM de l'Aude")
        return [h["document"] for h in line["already_held"]]

    assert held(["- un exemplaire des statuts",
                 "- un extrait du registre du commerce et des sociétés datant de moins de trois mois"]) == ["statuts"]
    # the other direction: a line naming a piece no source serves, or one the taxonomy does not know
    assert held(["- un exemplaire des statuts", "- un relevé d'identité bancaire"]) == []
    assert held(["- un exemplaire des statuts", "- le procès-verbal de la dernière assemblée générale"]) == []
    assert held(["- un exemplaire des statuts", "- une lettre du maire"]) == []


def test_a_certificate_of_non_liability_to_vat_is_not_the_tax_regularity_certificate(tax):
    """« S'il y a lieu, attestation fiscale, ou à défaut, attestation sur l'honneur, de non assujetissement à la
    TVA » (DIRECCTE / DREETS calls for projects, six démarches; read not held in the first set): what is certified is
    that the body pays no VAT, which the DGFiP certificate served by API Entreprise does not say."""
    def held(label):
        return [h["document"] for h in run(tax, [pj("0", label)], organisme="DREETS PACA")["already_held"]]

    assert held("S'il y a lieu, attestation fiscale, ou à défaut, attestation sur l'honneur, de non assujetissement "
                "à la TVA") == []
    assert held("attestation fiscale ou à défaut sur l'honneur de non -assujettissement à la TVA") == []
    # the other direction: the certificate of tax regularity is held
    assert held("Attestation de régularité fiscale") == ["attestation-fiscale-entreprise"]


def test_held_pieces_in_the_words_of_random_forms(tax):
    """Wordings of pieces the administration holds, met in forms drawn at random (random5): « Extrait parution au
    Journal Officiel » (ARS), « Joindre l'avis de situation SIREN de la structure », « SIRET/SIREN » (CAF), « Une
    attestation … justifiant du respect de ses obligations fiscales déclaratives et de paiement » (DRFiP)."""
    def held(label, organisme="ARS Martinique"):
        return [h["document"] for h in run(tax, [pj("0", label)], organisme=organisme)["already_held"]]

    assert held("Extrait parution au Journal Officiel") == ["recepisse-association"]
    assert held("Joindre l’avis de situation SIREN de la structure réceptionnant les fonds") == ["avis-situation-sirene"]
    assert held("SIRET/SIREN", "CAF du Haut-Rhin") == ["avis-situation-sirene"]
    assert held("Une attestation de moins de trois mois délivrée par l'administration du lieu d'établissement "
                "justifiant du respect de ses obligations fiscales déclaratives et de paiement") == [
        "attestation-fiscale-entreprise"]
    # the other direction: a training body's declaration of activity is no association's receipt, proposed articles
    # of a body still to be created are held by no register, a sworn statement is no certificate
    assert held("Récépissé de déclaration d'activité (NDA)", "DEAL") == []
    assert tax.classify("Récépissé de déclaration d'activité (NDA)").document is None
    assert held("Pièce à déposer : statuts proposés", "DLPAJ") == []
    assert held("Attestation sur l'honneur d'être à jour de ses obligations fiscales et sociales") == []
