"""The final-control guard's decisions (pure: no browser), one case per
signal, in both directions: what must stop the walk, and what must not."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.collect.final_control import (ControlFacts, FormFacts, PageFacts, Vocabulary, classify, page_facts,
                                           position, step_of)
from auditor.config import load_rules
from support import ROOT


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_rules(load_rules(ROOT / "rules").get("walk"))


def decide(vocab: Vocabulary, name: str, *, form: dict[str, Any] | None = None, tag: str = "button",
           href: str = "", amount: str = "", region: str = "main", **page: Any):
    control = ControlFacts(name=name, tag=tag, submit=tag != "a", region=region, href=href, amount=amount,
                           form=FormFacts(**form) if form is not None else None)
    return classify(control, PageFacts(**page), vocab)


# ------------------------------------------------------------------ by name


@pytest.mark.parametrize("name", [
    "Valider et payer", "Valider ma pré-demande", "Valider ma pré-inscription", "Valider ma demande",
    "Envoyer ma demande", "Transmettre le dossier", "Déposer le dossier", "Déposer", "Signer électroniquement",
    "Je signe", "Soumettre", "Finaliser ma demande", "Confirmer mon inscription", "Je confirme ma demande",
    "Payer 25 €", "Procéder au paiement", "Régler en ligne", "Créer mon compte", "Je crée mon compte",
    "Valider et envoyer", "J’envoie ma demande", "Confirmer le rendez-vous", "Envoyer le message",
])
def test_names_that_commit_whatever_the_page(vocab, name):
    d = decide(vocab, name, stepper=(1, 4))  # even on an early step
    assert d.verdict == "final", (name, d)


@pytest.mark.parametrize("name", ["Suivant", "Continuer", "Étape suivante", "Je continue", "Commencer",
                                  "Commencer la démarche", "Valider et continuer", "Valider cette étape",
                                  "Enregistrer et continuer", "Poursuivre"])
def test_clear_next_names(vocab, name):
    assert decide(vocab, name).verdict == "next", name


# ------------------------------------------------------- the page decides


@pytest.mark.parametrize("name", ["Valider", "Confirmer", "Je valide", "Je confirme", "Terminer", "Enregistrer"])
def test_bare_commit_verbs_follow_the_position(vocab, name):
    assert decide(vocab, name, stepper=(3, 3)).verdict == "final"
    assert decide(vocab, name, stepper=(2, 3)).verdict == "next"
    assert decide(vocab, name, progress=(4, 4)).verdict == "final"
    assert decide(vocab, name, progress=(2, 4)).verdict == "next"
    assert decide(vocab, name, title="Récapitulatif de votre demande").verdict == "final"
    assert decide(vocab, name, headings=["Vérifiez vos informations"]).verdict == "final"
    assert decide(vocab, name).verdict == "uncertain"  # nothing says: stop, and say why


def test_step_n_of_n_read_in_the_text_when_no_stepper_markup(vocab):
    assert decide(vocab, "Valider", headings=["Vos coordonnées", "Étape 3 sur 3"]).verdict == "final"
    assert decide(vocab, "Valider", text="Démarche Étape 2/5 Vos enfants").verdict == "next"
    assert step_of("étape 7 sur 3") is None  # nonsense numbers say nothing


def test_a_stepper_that_counts_the_confirmation_page(vocab):
    # « Étape 4 sur 5 » whose title is the recap, or whose next step is the confirmation: the last action
    assert decide(vocab, "Valider", stepper=(4, 5), headings=["Récapitulatif", "Étape 4 sur 5"]).verdict == "final"
    assert decide(vocab, "Valider", stepper=(4, 5),
                  text="Vos pièces Étape 4 sur 5 Étape suivante : Confirmation").verdict == "final"
    assert decide(vocab, "Valider", stepper=(2, 5),
                  text="Vos enfants Étape 2 sur 5 Étape suivante : Vos revenus").verdict == "next"


def test_an_attestation_on_the_page(vocab):
    d = decide(vocab, "Valider", checkboxes=["Je certifie sur l’honneur l’exactitude des informations"])
    assert d.verdict == "final"
    assert "Je certifie" in d.reason("Valider")
    # a consent to the terms is not an attestation
    assert decide(vocab, "Valider", stepper=(1, 3),
                  checkboxes=["J'accepte les conditions générales d'utilisation"]).verdict == "next"


def test_payment_signals(vocab):
    assert decide(vocab, "Valider", amount="86 €").verdict == "final"
    assert decide(vocab, "Confirmer", card_fields=True, stepper=(2, 4)).verdict == "final"
    assert decide(vocab, "Continuer", tag="a", href="https://www.payfip.gouv.fr/tpa/paiement.web").verdict == "final"
    assert decide(vocab, "Valider", form={"method": "post", "action": "https://paiement.systempay.fr/vads"},
                  stepper=(2, 4)).verdict == "final"
    # an amount beside a clear next button is information (a price list on step 1): next
    assert decide(vocab, "Suivant", amount="86 €").verdict == "next"


def test_account_creation(vocab):
    # DSFR's 3-step account creation: « Valider » on every step, the account created at the last one
    assert decide(vocab, "Valider", new_password=True, stepper=(1, 3)).verdict == "next"
    assert decide(vocab, "Valider", account_flow=True, stepper=(2, 3)).verdict == "next"
    d = decide(vocab, "Valider", account_flow=True, stepper=(3, 3))
    assert d.verdict == "final" and any(s.code == "account_flow" for s in d.signals)
    # a one-page account creation: its button creates the account
    assert decide(vocab, "Valider", new_password=True).verdict == "final"
    assert decide(vocab, "Créer mon compte", stepper=(1, 3)).verdict == "final"
    # a link « Créer un compte » on a start page only leads to the form
    assert decide(vocab, "Créer un compte", tag="a", href="https://x.gouv.fr/inscription").verdict != "final"


def test_the_form_itself(vocab):
    posted = {"method": "post", "action": "https://x.gouv.fr/demande/depot"}
    # the form's address says it files, even inside a stepper
    assert decide(vocab, "Valider", form=posted, stepper=(2, 4)).verdict == "final"
    assert decide(vocab, "Valider", form=posted).verdict == "final"
    assert decide(vocab, "Suivant", form=posted).verdict == "uncertain"
    assert decide(vocab, "OK", form={"method": "post", "action": "https://x.gouv.fr/etape-2"}).verdict == "uncertain"
    assert decide(vocab, "OK", form={"method": "get", "action": "https://x.gouv.fr/etape-2",
                                     "fields": ["text"]}).verdict == "next"
    # a GET form with nothing to fill is an action button (« set_accuse_lecture… »): nothing tells what it does
    assert decide(vocab, "OK", form={"method": "get", "action": "https://x.gouv.fr/etape-2"}).verdict == "uncertain"
    assert decide(vocab, "Suivant", form={"method": "post", "action": "https://x.gouv.fr/etape-2"}).verdict == "next"


@pytest.mark.parametrize("name,kw", [
    ("S'inscrire", {"form": {"fields": ["email"], "text": "Recevez notre lettre d'information"}}),
    ("S’abonner", {"form": {"fields": ["email"], "text": "Newsletter"}}),
    ("Rechercher", {"form": {"search": True, "fields": ["search"]}}),
    ("C'est parti", {"region": "banner"}),
    ("Valider", {"region": "contentinfo"}),
    ("Envoyer", {"region": "complementary"}),
])
def test_forms_that_are_not_the_demarche(vocab, name, kw):
    assert decide(vocab, name, **kw).verdict == "skip"


def test_a_registration_form_is_not_a_newsletter(vocab):
    # « S'inscrire » to an exam, with many fields: the démarche's own commit
    d = decide(vocab, "S'inscrire", form={"fields": ["text", "text", "email", "date"], "text": "Inscription"})
    assert d.verdict != "skip" and d.stops


def test_every_decision_keeps_its_signals(vocab):
    d = decide(vocab, "Valider", stepper=(3, 3), checkboxes=["Je certifie l'exactitude des informations"])
    codes = [s.code for s in d.signals]
    assert "last_step" in codes and "attestation" in codes and "commit_verb" in codes
    reason = d.reason("Valider")
    assert reason.startswith("arrêt prudent avant « Valider » : dernière étape (3 sur 3)")
    assert "case « Je certifie" in reason
    assert d.to_dict()["verdict"] == "final"


def test_position_from_the_candidates_signals(vocab):
    class Page:
        title, headings, text, controls = "Démarche", ["Vos coordonnées"], "", []

    facts = page_facts({"guard": {"stepper": [3, 3], "progress": None}}, Page())
    assert position(facts, vocab).where == "last"
    assert page_facts({"guard": {"stepper": ["x", 3]}}, Page()).stepper is None


@pytest.mark.parametrize("name,tag,code", [
    ("Précédent", "button", "never_name"), ("Supprimer cette ligne", "button", "never_name"),
    ("Se connecter", "button", "login_name"), ("S’identifier avec FranceConnect", "button", "login_name"),
    ("Reprendre ma simulation", "a", "unknown_name"), ("Mot de passe oublié ?", "a", "login_name"), ("Plan du site", "a", "unknown_name"),
])
def test_names_the_walk_never_follows(vocab, name, tag, code):
    d = decide(vocab, name, tag=tag)
    assert d.verdict == "skip" and d.signals[0].code == code


def test_destructive_actions_are_final(vocab):
    for name in ("Mettre à la corbeille", "Révoquer l’accès", "Transférer tous mes dossiers", "Résilier mon contrat"):
        assert decide(vocab, name).verdict == "final", name


def test_cookie_banner_controls_are_never_the_demarche(vocab):
    control = ControlFacts(name="Tout accepter", consent=True)
    assert classify(control, PageFacts(), vocab).verdict == "skip"


def test_a_next_button_on_an_account_creation_page_without_steps(vocab):
    # a real « Suivant » that creates the account (no step announced under « Créez votre compte »)
    d = decide(vocab, "Suivant", headings=["Créez votre compte"], form={"fields": ["text", "email"]})
    assert d.verdict == "uncertain" and any(s.code == "account_page" for s in d.signals)
    # inside a stepper, the same words are a step of the creation
    assert decide(vocab, "Suivant", headings=["Création de compte sur le service"], stepper=(1, 3)).verdict == "next"
