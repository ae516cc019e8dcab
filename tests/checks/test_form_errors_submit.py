"""The form errors judge on the empty submission's facts (RGAA 11.10), written by hand: what the page did
with its untouched form decides the issues, the scorecard records each step's outcome, and the RGAA
table counts the rules only the probe finds as tested only when it ran.  The browser side:
tests/collect/test_empty_submit.py."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from auditor.checks import form_errors
from auditor.config import load_rules
from auditor.model import Capture, Control
from auditor.pipeline import build_scorecard
from auditor.report.findings import evaluate
from auditor.schemas import validate_scorecard

from .acc_pages import capture_of, page_from_html

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "rules")
URL = "https://demarche.example.gouv.fr/formulaire/etape-2"

# the page as captured before the probe: two fields, the e-mail one announced as required
HTML = """<!doctype html><html lang="fr"><head><title>Étape 2 sur 4</title></head><body><main>
<h1>Coordonnées</h1>
<form method="get" action="etape-3" novalidate>
  <div class="fr-input-group"><label class="fr-label" for="telephone">Numéro de téléphone</label>
    <input class="fr-input" type="tel" id="telephone" name="telephone"></div>
  <div class="fr-input-group"><label class="fr-label" for="courriel">Adresse électronique (obligatoire)</label>
    <input class="fr-input" type="email" id="courriel" name="courriel"></div>
  <button class="fr-btn" type="submit">Suivant</button>
</form></main></body></html>"""


def _field(ident: str, label: str, *, required: bool = False, empty: bool = True,
           after: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"selector": f"#{ident}", "group": "", "tag": "input", "type": "text", "id": ident, "name": ident,
            "label": label, "texts": label, "required": required, "empty": empty,
            "box": {"x": 10, "y": 10, "width": 100, "height": 20}, "after": after}


def _after(**over: Any) -> dict[str, Any]:
    base = {"aria_invalid": False, "state": "", "native": "", "value_missing": False, "messages": [],
            "tied_by": [], "tied": False, "focused": False}
    return {**base, **over}


BASE: dict[str, Any] = {
    "ran": True, "mode": "get",
    "control": {"selector": "main form > button", "tag": "button", "type": "submit", "name": "Suivant"},
    "form": {"selector": "main form", "method": "get", "novalidate": True, "target": ""},
    "fields": [_field("telephone", "Numéro de téléphone"),
               _field("courriel", "Adresse électronique (obligatoire)")],
    "refused": [], "dialogs": [], "moved": False,
    "native": {"blocked": False, "invalid_events": 0, "submit_event": True, "prevented": True},
    "summary": None,
    "focus": {"selector": "main form > button", "tag": "button", "moved": False, "on_error": False,
              "on_first_error": False, "in_summary": False, "in_alert": False},
    "other_errors": [], "new_text": [], "new_lines": 0, "popups": [], "sockets": 0, "ms": 200,
}


def _facts(**over: Any) -> dict[str, Any]:
    facts = copy.deepcopy(BASE)
    facts.update(over)
    return facts


def _with_after(telephone: dict[str, Any] | None, courriel: dict[str, Any] | None, **over: Any) -> dict[str, Any]:
    facts = _facts(**over)
    facts["fields"][0]["after"] = telephone
    facts["fields"][1]["after"] = courriel
    return facts


def _capture(facts: dict[str, Any] | None, html: str = HTML) -> Capture:
    page = page_from_html(html, URL)
    page.controls = [Control(selector="#telephone", tag="input", type="tel", id="telephone", name="telephone"),
                     Control(selector="#courriel", tag="input", type="email", id="courriel", name="courriel")]
    if facts is not None:
        page.probes["empty_submit"] = facts
    return capture_of(page)


def _block(facts: dict[str, Any] | None, html: str = HTML) -> dict[str, Any]:
    return form_errors.form_errors_check(_capture(facts, html), RULES).block


def _got(block: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((i["rule"], i["status"], i["selector"]) for i in block.get("issues", []) + block.get("review", []))


def test_native_validation_is_a_fact_never_an_issue() -> None:
    native = _after(native="Veuillez renseigner ce champ.", value_missing=True)
    facts = _with_after(None, native, mode="native",
                        native={"blocked": True, "invalid_events": 1, "submit_event": False, "prevented": False},
                        focus={**BASE["focus"], "selector": "#courriel", "moved": True, "on_error": True,
                               "on_first_error": True})
    facts["fields"][1]["required"] = True
    block = _block(facts)
    assert _got(block) == []
    (rec,) = block["empty_submit"]
    assert rec["outcome"] == "native" and rec["mode"] == "native" and rec["focus"] == "first_error"


def test_tied_errors_with_a_focused_summary_pass() -> None:
    tied = _after(aria_invalid=True, state="aria-invalid", messages=["Renseignez le téléphone"],
                  tied_by=["aria-describedby"], tied=True)
    summary = {"selector": "#resume", "text": "Le formulaire contient 2 erreurs", "links": 2, "linked": 2,
               "focused": True}
    block = _block(_with_after(None, tied, summary=summary,
                               focus={**BASE["focus"], "selector": "#resume", "moved": True, "in_summary": True}))
    assert _got(block) == []
    (rec,) = block["empty_submit"]
    assert rec["outcome"] == "messages" and rec["fields_in_error"] == rec["tied"] == 1
    assert rec["focus"] == "summary" and rec["summary"]["linked"] == 2


def test_messages_not_tied_and_the_focus_left_on_the_button() -> None:
    loose = _after(aria_invalid=True, state="aria-invalid", messages=["Ce champ est obligatoire"])
    block = _block(_with_after(None, loose))
    assert _got(block) == [(form_errors.NO_FOCUS, "a_verifier", "main form"),
                           (form_errors.NOT_TIED, "non_conforme", "#courriel")]
    (tied,) = block["issues"]
    assert tied["details"]["observed"] == "envoi du formulaire vide"
    assert tied["details"]["error_text"] == "Ce champ est obligatoire"
    # the focus on the first error is enough
    focused = _with_after(None, loose, focus={**BASE["focus"], "selector": "#courriel", "on_error": True})
    assert [r for r, _, _ in _got(_block(focused))] == [form_errors.NOT_TIED]


def test_a_message_that_names_its_field_is_to_check() -> None:
    named = _after(state="fr-input-group--error", messages=["L'adresse électronique est à renseigner"])
    got = _got(_block(_with_after(None, named, focus={**BASE["focus"], "on_error": True})))
    assert got == [(form_errors.NOT_TIED, "a_verifier", "#courriel")]


def test_colour_alone_and_a_requirement_nothing_announced() -> None:
    red = _after(state="style")
    block = _block(_with_after(red, red))
    assert _got(block) == [(form_errors.COLOUR, "a_verifier", "#courriel"),
                           (form_errors.COLOUR, "a_verifier", "#telephone"),
                           (form_errors.REQUIRED, "non_conforme", "#telephone")]
    required = next(i for i in block["issues"] if i["rule"] == form_errors.REQUIRED)
    assert required["message"].startswith("Champ refusé vide") and required["excerpt"] == "Numéro de téléphone"
    assert block["empty_submit"][0]["outcome"] == "colour"
    # a summary names the errors: the colours are not alone
    summary = {"selector": "#resume", "text": "2 erreurs", "links": 2, "linked": 2, "focused": True}
    assert [r for r, _, _ in _got(_block(_with_after(red, red, summary=summary)))] == [form_errors.REQUIRED]


def test_required_revealed_by_submission_respects_the_particular_cases() -> None:
    red = _after(state="style", messages=["Champ requis"], tied=True)
    focus = {**BASE["focus"], "on_error": True}
    # « Tous les champs sont obligatoires » said it for every field
    said = HTML.replace("<form ", "<p>Tous les champs sont obligatoires.</p><form ")
    assert _got(_block(_with_after(red, None, focus=focus), said)) == []
    # a form that marks its optional fields instead
    facts = _with_after(red, None, focus=focus)
    facts["fields"][1]["texts"] = facts["fields"][1]["label"] = "Adresse électronique (facultatif)"
    assert _got(_block(facts)) == []
    # a single field
    single = _with_after(red, None, focus=focus)
    single["fields"] = single["fields"][:1]
    assert _got(_block(single)) == []
    # required in the markup: the static reading judges it, once
    marked = _with_after(red, None, focus=focus)
    marked["fields"][0]["required"] = True
    assert _got(_block(marked)) == []


def test_nothing_happened() -> None:
    block = _block(_facts())
    assert _got(block) == [(form_errors.NO_ERROR, "non_conforme", "main form")]
    assert "la page n'a pas réagi" in block["issues"][0]["message"]
    assert block["issues"][0]["message"].startswith("Formulaire envoyé vide avec 1 champ(s) obligatoire(s)")
    assert block["empty_submit"][0]["outcome"] == "nothing"
    # a text appeared that the probe does not recognise as an error: a person reads it
    seen = _block(_facts(new_lines=1, new_text=["Merci de compléter le formulaire"]))
    assert _got(seen) == [(form_errors.NO_ERROR, "a_verifier", "main form")]
    assert seen["review"][0]["details"]["error_text"] == "Merci de compléter le formulaire"


def test_no_required_field_nothing_to_say() -> None:
    facts = _facts()
    facts["fields"][1]["texts"] = facts["fields"][1]["label"] = "Adresse électronique"
    assert _got(_block(facts)) == []


def test_the_page_went_on() -> None:
    block = _block(_facts(moved=True))
    assert _got(block) == [(form_errors.NO_ERROR, "non_conforme", "main form")]
    assert "passée à la suite" in block["issues"][0]["message"]


def test_sent_to_the_server_says_so_and_stays_to_check() -> None:
    post = {"method": "POST", "url": "https://demarche.example.gouv.fr/formulaire/etape-3", "type": "document",
            "main": True}
    block = _block(_facts(mode="server", refused=[post]))
    assert _got(block) == [(form_errors.NO_ERROR, "a_verifier", "main form")]
    review = block["review"][0]
    assert "serait parti au serveur (POST, requête bloquée par auditor)" in review["message"]
    assert review["details"]["request"] == post["url"]
    assert block["empty_submit"][0]["refused"] == [{"method": "POST", "url": post["url"]}]
    # an analytics beacon to another site is not the form leaving: the page did nothing
    beacon = {"method": "POST", "url": "https://stats.example.org/collect", "type": "ping", "main": False}
    assert _got(_block(_facts(refused=[beacon]))) == [(form_errors.NO_ERROR, "non_conforme", "main form")]


def test_a_general_message_or_a_dialog_designates_no_field() -> None:
    general = {"selector": "#bandeau", "text": "Le formulaire est incomplet", "role": "alert", "live": ""}
    block = _block(_facts(other_errors=[general], focus={**BASE["focus"], "in_alert": True}))
    assert _got(block) == [(form_errors.NOT_TIED, "a_verifier", "#bandeau")]
    assert "sans champ désigné" in block["review"][0]["message"]
    dialog = _block(_facts(dialogs=["Veuillez remplir tous les champs"]))
    assert _got(dialog) == [(form_errors.NOT_TIED, "a_verifier", "main form")]
    assert "boîte de dialogue" in dialog["review"][0]["message"]


def test_skipped_or_failed_the_step_is_listed_with_its_reason() -> None:
    skipped = {"ran": False, "skipped": "« Valider ma demande » jugé final par la garde : jamais cliqué",
               "control": {"selector": "main form > button", "name": "Valider ma demande"}}
    block = _block(skipped)
    assert _got(block) == []
    assert block["empty_submit"] == [{"url": URL, "page_index": 1, "outcome": "skipped",
                                      "control": "Valider ma demande", "reason": skipped["skipped"]}]
    failed = _block({"error": "envoi à vide en échec : TimeoutError: …", "control": {"name": "Suivant"}})
    assert _got(failed) == [] and failed["empty_submit"][0]["outcome"] == "error"
    # no probe at all: no list (the static reading alone)
    assert "empty_submit" not in _block(None)


def test_the_static_and_the_dynamic_issue_on_one_field_count_once() -> None:
    shown = HTML.replace('id="courriel" name="courriel">',
                         'id="courriel" name="courriel" aria-invalid="true"><p class="fr-error-text">Erreur</p>')
    loose = _after(aria_invalid=True, state="aria-invalid", messages=["Erreur"])
    got = _got(_block(_with_after(None, loose, focus={**BASE["focus"], "on_error": True}), shown))
    assert got == [(form_errors.NOT_TIED, "non_conforme", "#courriel")]


def test_rgaa_table_schema_and_findings() -> None:
    card = build_scorecard(_capture(_facts()), RULES)
    assert validate_scorecard(card) == []
    crit = next(c for c in card["accessibility"]["rgaa"]["criteria"] if c["id"] == "11.10")
    assert crit["status"] == "non_conforme"
    assert [v["rule"] for v in crit["violations"]] == [form_errors.NO_ERROR]
    assert {form_errors.NO_ERROR, form_errors.NO_FOCUS} <= set(crit["axe_rules"])
    mine = [f for f in evaluate([card], ["form-errors"]).findings if f.check == "form_errors"]
    assert [(f.rule, f.gated) for f in mine] == [(form_errors.NO_ERROR, True)]
    # the probe did not run (skipped): its rules are not counted as tested
    quiet = build_scorecard(_capture({"ran": False, "skipped": "lien : aucun formulaire à envoyer"}), RULES)
    crit = next(c for c in quiet["accessibility"]["rgaa"]["criteria"] if c["id"] == "11.10")
    assert not ({form_errors.NO_ERROR, form_errors.NO_FOCUS} & set(crit["axe_rules"]))
    assert validate_scorecard(quiet) == []


def test_outcome_in_one_word() -> None:
    assert form_errors.submission_outcome({"ran": False}) == "skipped"
    assert form_errors.submission_outcome({"error": "x"}) == "error"
    assert form_errors.submission_outcome(_facts(popups=["https://x.fr/envoi"]), URL) == "sent"
    assert form_errors.submission_outcome(_facts(sockets=1), URL) == "sent"
    assert form_errors.submission_outcome(_facts(), URL) == "nothing"


def test_the_cli_sends_forms_empty_by_default_and_can_stop() -> None:
    from auditor.cli import _probes_asked, build_parser

    parser = build_parser()
    assert "empty_submit" in _probes_asked(parser.parse_args(["scan"]))
    off = _probes_asked(parser.parse_args(["scan", "--no-form-errors"]))
    assert "empty_submit" not in off and {"keyboard", "reflow", "text_spacing"} <= off


def test_probe_errors_is_off_unless_said_and_left_out_of_the_digest_then() -> None:
    from auditor.config import CrawlList

    crawl = CrawlList.model_validate({"demarches": [
        {"id": "a", "name": "A", "url": "https://x.fr/"},
        {"id": "b", "name": "B", "url": "https://x.fr/", "probe_errors": True}]})
    a, b = crawl.effective_demarches()
    assert not a.probe_errors and "probe_errors" not in a.public_dict()  # digests written before it stay valid
    assert b.probe_errors and b.public_dict()["probe_errors"] is True
