"""How the auto-walk picks the control that moves a démarche on, from the
candidates the page reports (no browser: candidates.js is exercised by the
end-to-end tests)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.collect import next_control
from auditor.collect.next_control import WalkWords
from auditor.collect.walk import norm_name
from auditor.config import load_rules
from support import ROOT

URL = "https://demarche.example.gouv.fr/aide/index.html"
SCOPE = "https://demarche.example.gouv.fr/aide/"


class Decisions:
    """The walk's pure decisions (next_control.py) with the shipped rules and the démarche's scope."""

    def __init__(self) -> None:
        self.words = WalkWords.from_rules(load_rules(ROOT / "rules").get("walk"))

    def _choose_next(self, s: dict[str, Any], page: Any = None) -> Any:
        return next_control.choose_next(s, page or None, self.words, lambda url: url.startswith(SCOPE))

    def _login_controls(self, s: dict[str, Any]) -> Any:
        return next_control.login_controls(s, self.words)

    def _login_page(self, page: Any) -> Any:
        return next_control.login_page(page, self.words)


@pytest.fixture(scope="module")
def walker() -> Decisions:
    return Decisions()


def cand(name: str, order: int, **kw: Any) -> dict[str, Any]:
    c = {"selector": f"#c{order}", "order": order, "tag": "button", "type": "submit", "role": "button",
         "name": name, "classes": "", "visible": True, "disabled": False, "region": "main", "href": "",
         "raw_href": "", "target": "", "form": 0, "submit": True, "action": "", "near_file": False}
    c.update(kw)
    return c


def sig(*cands: dict[str, Any], forms: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"candidates": list(cands), "forms": forms or [], "password": False, "file_inputs": 0}


def choose(walker: Decisions, *cands: dict[str, Any], summary: bool = False, forms=None, stepper=None):
    from auditor.model import PageCapture

    page = PageCapture(url=URL, kind="step", index=1, title="Récapitulatif de votre demande" if summary else "Démarche")
    s = sig(*cands, forms=forms)
    s["guard"] = {"stepper": stepper}
    return walker._choose_next(s, page)


def test_primary_dsfr_button_wins_over_secondary(walker):
    c = choose(walker,
               cand("Continuer plus tard", 1, classes="fr-btn fr-btn--secondary"),
               cand("Continuer", 2, classes="fr-btn"))
    assert c.name == "Continuer" and c.decision.verdict == "next"


def test_never_back_cancel_logout(walker):
    c = choose(walker,
               cand("Précédent", 1, classes="fr-btn"), cand("Retour", 2), cand("Annuler", 3),
               cand("Se déconnecter", 4, tag="a", type="link", href=URL.replace("index", "x"), raw_href="x"))
    assert c is None


def test_icon_button_named_by_aria_label(walker):
    # candidates.js gives the accessible name (aria-label) of an icon-only button
    assert choose(walker, cand("Étape suivante", 1, classes="fr-btn fr-icon-arrow-right-line")).name == "Étape suivante"


@pytest.mark.parametrize("name", ["Suivant", "Continuer", "Étape suivante", "Je continue", "Valider cette étape",
                                  "Commencer", "Démarrer", "Next", "Commencer la démarche", "Passer à l’étape 3"])
def test_next_names(walker, name):
    c = choose(walker, cand(name, 1))
    assert c is not None and c.decision.verdict == "next", name


@pytest.mark.parametrize("name", ["Envoyer ma demande", "Valider et envoyer", "Confirmer le dépôt",
                                  "Transmettre mon dossier", "Signer", "Payer", "Continuer vers le paiement",
                                  "Valider et payer", "Valider ma pré-demande", "Créer mon compte"])
def test_final_controls_are_guarded(walker, name):
    c = choose(walker, cand(name, 1))
    assert c is not None and c.decision.verdict == "final", name


def test_plain_valider_depends_on_the_page(walker):
    # nothing says where the page stands: never clicked, and the walk says why
    assert choose(walker, cand("Valider", 1)).decision.verdict == "uncertain"
    assert choose(walker, cand("Valider", 1), summary=True).decision.verdict == "final"
    assert choose(walker, cand("Valider", 1), stepper=[3, 3]).decision.verdict == "final"
    assert choose(walker, cand("Valider", 1), stepper=[2, 3]).decision.verdict == "next"


def test_a_next_control_is_preferred_to_a_final_one(walker):
    c = choose(walker, cand("Envoyer ma demande", 1, classes="fr-btn"), cand("Suivant", 2, classes="fr-btn"))
    assert c.name == "Suivant" and c.decision.verdict == "next"


def test_forms_that_are_not_the_demarche_are_never_chosen(walker):
    forms = [{"index": 0, "fields": 1, "submits": 1, "search": False, "region": "main",
              "field_types": ["email"], "text": "Abonnez-vous à notre lettre d'information", "method": "post",
              "action": URL}]
    assert choose(walker, cand("S'inscrire", 1, form=0), forms=forms) is None


def test_single_submit_of_a_form_with_fields(walker):
    forms = [{"index": 0, "fields": 3, "submits": 1, "search": False, "region": "main"},
             {"index": 1, "fields": 1, "submits": 1, "search": True, "region": "banner"}]
    c = choose(walker, cand("OK", 1, form=0), cand("Rechercher", 2, form=1, region="banner"), forms=forms)
    assert c.name == "OK"
    two = [dict(forms[0]), {"index": 1, "fields": 2, "submits": 1, "search": False, "region": "main"}]
    assert choose(walker, cand("OK", 1, form=0), cand("Go", 2, form=1), forms=two) is None  # ambiguous: stop


def test_login_controls_are_not_next_steps(walker):
    s = sig(cand("S’identifier avec FranceConnect", 1))
    assert walker._choose_next(s, False) is None
    assert "FranceConnect" in walker._login_controls(s)
    # … but « Continuer sans connexion » is a way on
    assert choose(walker, cand("Continuer sans connexion", 1)).name == "Continuer sans connexion"


def test_links_in_and_out_of_scope(walker):
    inside = cand("Commencer", 1, tag="a", type="link", submit=False, href=URL.replace("index", "etape-1"),
                  raw_href="etape-1.html")
    assert not choose(walker, inside).out_of_scope
    outside = cand("Commencer", 1, tag="a", type="link", submit=False, href="https://ailleurs.example/x",
                   raw_href="https://ailleurs.example/x")
    c = choose(walker, outside)
    assert c.out_of_scope  # the walk stops there with the reason, without requesting it
    new_tab = dict(inside, target="_blank")
    assert choose(walker, new_tab).new_tab


def test_hidden_disabled_and_landmark_controls_ignored(walker):
    assert choose(walker, cand("Suivant", 1, visible=False), cand("Suivant", 2, disabled=True),
                  cand("Suivant", 3, region="navigation")) is None


def test_norm_name():
    assert norm_name("S’identifier\u00a0avec  FranceConnect") == "S'identifier avec FranceConnect"


def test_login_page_by_title_or_password(walker):
    from auditor.model import Control, PageCapture

    def page(title: str, h1: str, controls=()):
        return PageCapture(index=1, kind="step", url=URL, title=title, headings=[h1], controls=list(controls))

    assert "Se connecter" in walker._login_page(page("Se connecter – Mon espace", "Bienvenue"))
    assert "Identification" in walker._login_page(page("Démarche", "Identification"))
    pwd = Control(selector="#p", tag="input", type="password", region="main")
    assert "mot de passe" in walker._login_page(page("Démarche", "Vos informations", [pwd]))
    # a login box in the site header is not a wall; nor is a plain step
    header_pwd = Control(selector="#p", tag="input", type="password", region="banner")
    assert walker._login_page(page("Démarche", "Vos informations", [header_pwd])) is None
    assert walker._login_page(page("Étape 2 – Démarche", "Votre logement")) is None
    # « Identification du demandeur » is a step about the applicant, not a login page
    assert walker._login_page(page("Étape 1 – Démarche", "Identification du demandeur")) is None


def test_in_scope_control_preferred_to_an_out_of_scope_link(walker):
    outside = cand("Suivant", 1, tag="a", type="link", submit=False, classes="fr-btn",
                   href="https://ailleurs.example/x", raw_href="https://ailleurs.example/x")
    inside = cand("Continuer", 2, classes="fr-btn fr-btn--secondary")
    c = choose(walker, outside, inside)
    assert c.name == "Continuer" and not c.out_of_scope


def test_two_forms_with_unknown_buttons_are_ambiguous(walker):
    forms = [{"index": 0, "fields": 2, "submits": 1, "search": False, "region": "main"},
             {"index": 1, "fields": 2, "submits": 1, "search": False, "region": "main"}]
    assert choose(walker, cand("Calculer", 1, form=0), cand("Simuler", 2, form=1), forms=forms) is None
