"""The words and markup patterns of the form-errors check, and its excerpts.

What says a field is required or optional, what explains an asterisk, which
class names show an error state: read in the captured DOM, in the empty
submission's records and in the scorecard's excerpts alike, so written once.
"""

from __future__ import annotations

import re

from ._frtext import fold

# On fold()-ed text (lower case, no accents).
_OPTIONAL_RE = re.compile(r"\b(?:facultati(?:f|ve)s?|optionnel(?:le)?s?|(?:non|pas) obligatoires?)\b")
_REQUIRED_RE = re.compile(r"\b(?:obligatoires?|requis|requises?)\b")
_ASTERISK_RE = re.compile(r"[*∗＊✱](?![.\w])")  # not the « *.pdf » of a file filter
_STAR_WORD = r"(?:[*∗＊✱]|\basterisques?\b|\betoiles?\b)"
_NEED_WORD = r"\b(?:obligatoires?|requis|requises?|indispensables?)\b"
# « Les champs marqués d'un astérisque (*) sont obligatoires », « * Champs obligatoires »,
# « Champ obligatoire : * » — within one sentence of one block
_EXPLAINS_RE = re.compile(rf"{_STAR_WORD}[^.!?\n]{{0,100}}?{_NEED_WORD}|{_NEED_WORD}[^.!?\n]{{0,40}}?{_STAR_WORD}")
# « Tous les champs sont obligatoires », « L'ensemble des champs est obligatoire », « Sauf mention
# contraire, les champs sont obligatoires » — but not the footer's « Sauf mention contraire, les
# contenus de ce site sont sous licence etalab »
_ALL_REQUIRED_RE = re.compile(
    r"\b(?:tou(?:s|tes)|l'ensemble)\s+(?:les\s+|des\s+)?(?:champs|informations|rubriques|questions|zones)\b"
    r"[^.!?\n]{0,60}?\b(?:sont|est|doivent|doit)\s+(?:obligatoires?|requis|requises|"
    r"etre\s+(?:remplie?s?|renseignee?s?|completee?s?|saisie?s?))"
    r"|\bsauf\s+(?:mention|indication)\s+contraire\b[^.!?\n]{0,80}?\b(?:champs?|obligatoires?|requis)\b"
    r"|\b(?:champs?|obligatoires?)\b[^.!?\n]{0,80}?\bsauf\s+(?:mention|indication)\s+contraire\b")

# Class names that may draw a mark with CSS (Drupal's form-required, « required » labels…).
_CSS_MARK = re.compile(r"^(?:js-)?(?:form-)?(?:required|obligatoire|mandatory)(?:-field)?$|^(?:is|field)-required$")
# Error states: on the control itself, or on a wrapper around it (DSFR fr-input-group--error,
# GOV.UK govuk-form-group--error, Rails field_with_errors, Bootstrap is-invalid…).
_ERROR_STATE = re.compile(r"^(?:has-errors?|is-invalid|is-error|invalid|error|errors|field_with_errors|"
                          r"input-validation-error|.+--(?:error|invalid))$")
# Message containers (DSFR fr-error-text, fr-message--error, Bootstrap invalid-feedback…).
_ERROR_TEXT = re.compile(r"(?:^|[-_])(?:errors?|erreurs?|invalid|invalide|danger)(?:[-_]|$)|^invalid-feedback$")
_ERROR_ID = re.compile(r"error|erreur", re.I)
_HINT_CLASS = {"fr-hint-text", "hint", "form-hint", "help-block"}  # as collect/extract.js reads hints
_HIDING_CLASS = {"fr-hidden", "hidden", "d-none", "is-hidden", "visually-hidden-focusable"}
_SUMMARY_CLASS = re.compile(r"(?:error|erreur)s?[-_]?(?:summary|recap|list|resume|liste)|^fr-alert--error$|"
                            r"^alert-danger$|^govuk-error-summary$")

_NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}
_WIDGET_ROLES = {"textbox", "searchbox", "combobox", "listbox", "radiogroup", "checkbox", "radio", "spinbutton",
                 "switch", "slider", "group"}
_GROUP_CLASS = re.compile(r"^(?:fr-(?:input|select|upload|checkbox|radio|toggle|range)-group|fr-fieldset|"
                          r"form-group|govuk-form-group|field|form-field|form-item)$")
_BLOCKS = {"p", "div", "li", "legend", "fieldset", "form", "section", "h1", "h2", "h3", "h4", "h5", "h6", "td",
           "th", "label", "dd", "dt", "body", "ul", "ol", "header", "footer", "main", "article", "aside", "nav",
           "table", "tr"}
_SKIP_TEXT = {"script", "style", "template", "noscript", "option", "select", "textarea", "button", "title", "head"}
_FORM_MARKUP = re.compile(r"<(?:select|textarea)\b"
                          r"|<input\b(?![^>]*\btype\s*=\s*[\"']?(?:hidden|submit|button|reset|image)\b)"
                          r"|aria-(?:required|invalid)\s*=\s*[\"']?true", re.I)
_MAX_EXCERPT = 160


def _clip(text: str, limit: int = _MAX_EXCERPT) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names_field(message: str, label: str) -> bool:
    """Does the message name its field (« Le nom de naissance est obligatoire »)?  RGAA 11.10.3 accepts that."""
    core = fold(re.sub(r"\([^)]*\)|[*∗＊✱]", " ", label))
    core = re.sub(r"\s+", " ", _REQUIRED_RE.sub(" ", core)).strip(" :")
    return len(core) >= 3 and core in fold(message)
