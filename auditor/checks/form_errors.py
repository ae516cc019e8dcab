"""Required fields and error messages of the step forms (RGAA 11.10), read off the captured DOM.

RGAA criterion 11.10 asks that « le contrôle de saisie » be used with care.
Part of it needs nothing but the markup the walk already kept (``PageCapture.html``,
the DOM after scripts), so this check runs no browser action:

- a field the markup makes required (``required``, ``aria-required="true"``)
  must say so where the user reads it, before submission: in its label, its
  legend or its associated text (``aria-describedby``) — « (obligatoire) »,
  « requis », an asterisk (RGAA 11.10.2) — unless the page says it for all
  fields (« Tous les champs sont obligatoires », « Sauf mention contraire… »).
  RGAA's particular cases are honoured: a form with a single field, or one
  that marks its optional fields (« facultatif ») instead, is not concerned;
- an asterisk is not explicit text: a sentence must explain it, placed
  before its first use (RGAA glossary, « Indication de champ obligatoire »).
  Whether the explanation is missing or misplaced is for a person to weigh,
  hence a manual check rather than a failure;
- a field shown in error in the captured DOM (``aria-invalid="true"``, DSFR
  ``fr-input-group--error``…) must have its message tied to it, in its label
  or through ``aria-describedby`` / ``aria-errormessage``, or a screen reader
  announces the field without its error (RGAA 11.10.3, 11.10.4);
- an error state with no text near it may be shown by colour alone: to check.

An error summary (a list of links to the faulty fields, as DSFR and GOV.UK
advise) is recorded as a good practice seen, never as an issue.

The site's own reaction to an empty submission needs a browser action: the
automatic walk sends each step's form untouched once, with nothing allowed out
of the browser (``collect/probes/empty_submit.py``, docs/garde.md), and this
judge reads its facts (``PageCapture.probes["empty_submit"]``) too:

- no error shown (``form-errors/no-error-shown``): required fields left empty,
  and the page neither blocked the submission, nor showed a message, nor
  marked a field — it did nothing, or went on (non conforme); or it would
  have sent the empty form to its server, whose answer was not observed
  (à vérifier);
- errors shown but not tied to their field (``form-errors/not-tied``), shown
  by a colour or a class alone (``form-errors/colour-only``), a field refused
  empty although nothing announced it required before submission
  (``form-errors/required-not-indicated``);
- errors shown while the focus stayed on the button and no summary appeared
  (``form-errors/no-focus-or-summary``, à vérifier);
- the browser's own validation blocking the empty form, error summaries and
  the focus moved to the first error are recorded as facts, never as issues.

What this check cannot see: an indication drawn by the stylesheet
(``label.required::after { content: "*" }``) is not in the DOM; when a class
such as ``required`` or ``form-required`` suggests one, the finding becomes a
manual check (docs/au-dela-d-axe.md).

The findings are :class:`~auditor.checks._probe_issues.ProbeIssue` items from
a judge registered with ``static=``: the RGAA table reads the same issues, so
criterion 11.10 reads « non conforme » with the same evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ..model import Capture, CheckResult, Control, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._frtext import fold
from ._probe_issues import RULES  # noqa: F401  (re-exported: the rule ids this check may report)
from ._probe_issues import (A_VERIFIER, NON_CONFORME, PROBE_ONLY, ProbeIssue, issues_of, judge, probed_pages,
                            register_rules)

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from ..config import Rules

JUDGE = "form_errors"
CRITERION = "11.10"
REQUIRED = "form-errors/required-not-indicated"
ASTERISK = "form-errors/asterisk-unexplained"
NOT_TIED = "form-errors/not-tied"
COLOUR = "form-errors/colour-only"
NO_ERROR = "form-errors/no-error-shown"
NO_FOCUS = "form-errors/no-focus-or-summary"
EMPTY_SUBMIT = "empty_submit"  # the probe whose facts this judge also reads (collect/probes/empty_submit.py)
# rules only the empty submission can find: 11.10 is not « tested » for them when it did not run
DYNAMIC = frozenset({NO_ERROR, NO_FOCUS})

_RULES = (
    Rule(REQUIRED, "Champ obligatoire non signalé",
         "Le champ est obligatoire dans le code (required ou aria-required) mais ni son étiquette, ni sa légende, "
         "ni le texte qui lui est associé ne l'indiquent, et aucune phrase de la page ne dit que tous les champs "
         "sont obligatoires (RGAA 11.10.2)."),
    Rule(ASTERISK, "Astérisque non expliqué",
         "Des champs sont marqués d'un astérisque (*) sans qu'une phrase placée avant le premier astérisque dise "
         "qu'il signale les champs obligatoires (RGAA 11.10, glossaire « Indication de champ obligatoire »)."),
    Rule(NOT_TIED, "Message d'erreur non relié à son champ",
         "Le champ est en erreur mais son message n'est ni dans son étiquette ni relié par aria-describedby ou "
         "aria-errormessage : un lecteur d'écran annonce le champ sans son erreur (RGAA 11.10.3, 11.10.4)."),
    Rule(COLOUR, "Erreur signalée seulement par la couleur",
         "Le champ est marqué en erreur (classe, aria-invalid) sans aucun texte d'erreur près de lui : l'erreur "
         "n'est peut-être signalée que par la couleur de sa bordure (RGAA 11.10, 3.1)."),
    Rule(NO_ERROR, "Aucune erreur signalée à l'envoi du formulaire vide",
         "Envoyé vide alors que des champs obligatoires le sont, le formulaire n'a affiché aucun message ni signalé "
         "aucun champ : la page n'a pas réagi ou est passée à la suite (non conforme) ; s'il serait parti au "
         "serveur sans contrôle dans le navigateur, la réponse du serveur reste à vérifier (RGAA 11.10)."),
    Rule(NO_FOCUS, "Ni focus sur la première erreur ni récapitulatif",
         "À l'envoi du formulaire vide, des erreurs s'affichent mais le focus reste sur le bouton et aucun "
         "récapitulatif des erreurs n'apparaît : une personne qui utilise un lecteur d'écran ne sait pas que "
         "l'envoi a échoué ni où (RGAA 11.10, recommandation du DSFR)."),
)
register_rules(JUDGE, {r.id: (CRITERION, r.name, r.help) for r in _RULES})
PROBE_ONLY.update({r: EMPTY_SUBMIT for r in DYNAMIC})

# ----------------------------------------------------------------------------- words

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


# ----------------------------------------------------------------------------- the soup


def _classes(el: "Tag") -> list[str]:
    c = el.get("class") or []
    return c.split() if isinstance(c, str) else list(c)


def _self_hidden(node: "Tag") -> bool:
    if node.has_attr("hidden") or node.name == "template":
        return True
    style = (node.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or bool(_HIDING_CLASS & set(_classes(node)))


def _hidden(el: "Tag") -> bool:
    """Hidden by the markup itself (what a DOM read can know; a stylesheet may hide more)."""
    return any(_self_hidden(n) for n in (el, *el.parents) if getattr(n, "name", None) not in (None, "[document]"))


def _within(el: "Tag", outer: "Tag") -> bool:
    """``el`` is ``outer`` or inside it.  By identity: bs4 compares tags by their markup, and two
    identical empty inputs are ``==``."""
    return el is outer or any(p is outer for p in el.parents)


def _text(el: "Tag | None") -> str:
    return re.sub(r"\s+", " ", el.get_text(" ", strip=True)).strip() if el is not None else ""


@dataclass(frozen=True)
class _Node:
    """What the judge needs of an element once the soup is gone: its CSS path and what matches it
    to the collector's :class:`~auditor.model.Control` (whose selector the report prefers)."""

    path: str
    tag: str
    type: str = ""
    ident: str = ""
    name: str = ""


@dataclass(frozen=True)
class _Field:
    """One field as the user meets it (the radios of one name make one field)."""

    node: _Node  # the control (the first radio of a group)
    group: _Node | None  # the fieldset / ARIA group of a radio group: where its issue points
    form: int  # rank of its <form> in the page, 0 outside any
    label: str  # visible label (labels, aria-labelledby; a group's legend)
    texts: str  # where an indication counts: label, legend, associated text (aria-describedby)
    pos: int  # document position of its label: an asterisk's explanation must come before
    required: bool
    disabled: bool  # disabled or read-only: nothing to fill
    css_mark: bool  # a class that may draw the mark with CSS (« form-required »)


@dataclass(frozen=True)
class _Error:
    """One field, or one group of choices, in an error state."""

    node: _Node  # the field, or the fieldset of a group of choices
    field: _Field
    state: str  # what shows the state: « aria-invalid » or the class
    aria_invalid: bool
    messages: tuple[str, ...]  # visible error texts near it
    tied: bool  # one of them is in its label or referenced by it
    elsewhere: str  # an error text it references away from it (a summary, a message block)


@dataclass(frozen=True)
class _PageForms:
    fields: tuple[_Field, ...] = ()
    errors: tuple[_Error, ...] = ()
    all_required: str = ""  # the page's sentence saying every field is required
    explanations: tuple[tuple[int, str], ...] = ()  # (document position, sentence) explaining the asterisk
    summaries: tuple[dict[str, Any], ...] = ()


class _Reader:
    """Indexes of one page's soup (ids, labels, document order) and the readings built on them."""

    def __init__(self, soup: "BeautifulSoup"):
        self.soup = soup
        self.order: dict[int, int] = {id(n): i for i, n in enumerate(soup.descendants)}
        self.by_id: dict[str, Tag] = {}
        self.id_counts: Counter[str] = Counter()
        for el in soup.find_all(id=True):
            self.id_counts[el["id"]] += 1
            self.by_id.setdefault(el["id"], el)
        self.labels_for: dict[str, list[Tag]] = {}
        for lab in soup.find_all("label", attrs={"for": True}):
            self.labels_for.setdefault(lab["for"], []).append(lab)
        forms = soup.find_all("form")
        self.form_rank = {id(f): i for i, f in enumerate(forms, start=1)}

    def node(self, el: "Tag") -> _Node:
        typ = (el.get("type") or "text").lower() if el.name == "input" else (el.get("role") or el.name)
        return _Node(path=self.css_path(el), tag=el.name, type=typ, ident=el.get("id") or "", name=el.get("name") or "")

    def css_path(self, el: "Tag") -> str:
        """``#id`` when unique, else ``tag:nth-of-type(n)`` steps up to an element with a unique id."""
        parts: list[str] = []
        node: Tag | None = el
        while node is not None and node.name not in (None, "[document]"):
            ident = node.get("id")
            if ident and self.id_counts[ident] == 1:
                parts.append(f"#{ident}" if re.fullmatch(r"[A-Za-z][\w-]*", ident)
                             else '[id="' + ident.replace("\\", "\\\\").replace('"', '\\"') + '"]')
                break
            if node.name in ("html", "body"):
                parts.append(node.name)
                break
            parent = node.parent
            same = parent.find_all(node.name, recursive=False) if parent is not None else [node]
            rank = next((i for i, s in enumerate(same, start=1) if s is node), 1)
            parts.append(node.name if len(same) <= 1 else f"{node.name}:nth-of-type({rank})")
            node = parent
        return " > ".join(reversed(parts))

    def refs(self, el: "Tag", *attrs: str) -> list["Tag"]:
        """The existing elements ``el`` points at through these ARIA attributes."""
        out: list[Tag] = []
        for attr in attrs:
            for ident in (el.get(attr) or "").split():
                target = self.by_id.get(ident)
                if target is not None and not any(target is o for o in out):
                    out.append(target)
        return out

    def labels(self, el: "Tag") -> list["Tag"]:
        out = list(self.labels_for.get(el.get("id") or "", [])) if el.get("id") else []
        wrap = el.find_parent("label")
        if wrap is not None and not any(wrap is o for o in out):
            out.append(wrap)
        return out

    @staticmethod
    def label_text(lab: "Tag") -> tuple[str, str]:
        """A label's name and the hints nested in it (DSFR puts ``fr-hint-text`` inside ``<label>``), as
        the collector splits them; the name keeps the titles of its abbreviations
        (« <abbr title="obligatoire">*</abbr> »)."""
        hints = [h for h in lab.find_all(True) if h.name == "small" or _HINT_CLASS & set(_classes(h))]
        words = [str(t) for t in lab.find_all(string=True)
                 if not any(p is h for p in t.parents for h in hints) and t.parent.name not in _SKIP_TEXT]
        titles = [a.get("title", "") for a in lab.find_all("abbr") if a.get("title")]
        name = re.sub(r"\s+", " ", " ".join(words + titles)).strip()
        return name, " ".join(_text(h) for h in hints if not any(_within(h, o) for o in hints if o is not h))

    @staticmethod
    def groups(el: "Tag") -> list["Tag"]:
        """Enclosing fieldsets and ARIA groups, innermost first."""
        return [g for g in el.parents if getattr(g, "name", None) == "fieldset"
                or (getattr(g, "name", None) not in (None, "[document]") and g.get("role") in ("group", "radiogroup"))]

    def group_name(self, g: "Tag") -> str:
        if g.name == "fieldset":
            legend = g.find("legend")
            if legend is not None and _text(legend):
                return _text(legend)
        return " ".join(_text(t) for t in self.refs(g, "aria-labelledby")) or (g.get("aria-label") or "")

    def position(self, el: "Tag") -> int:
        return self.order.get(id(el), 0)


def _controls_of(soup: "BeautifulSoup") -> list["Tag"]:
    """Native fields, and ARIA widgets that declare themselves required or invalid."""
    out = [el for el in soup.find_all(["input", "select", "textarea"])
           if not (el.name == "input" and (el.get("type") or "text").lower() in _NOT_FIELDS)]
    for el in soup.find_all(attrs={"role": True}):
        if el.name in ("input", "select", "textarea", "fieldset") or el.get("role") not in _WIDGET_ROLES:
            continue
        if el.get("aria-required") == "true" or el.get("aria-invalid") == "true":
            out.append(el)
    return out


def _fields(r: _Reader, controls: list["Tag"]) -> list[tuple["Tag", _Field]]:
    """The page's visible fields with their element; the radios of one name in one form make one field."""
    out: list[tuple[Tag, _Field]] = []
    radios: dict[tuple[int, str], int] = {}
    for el in controls:
        if _hidden(el):
            continue
        form = el.find_parent("form")
        labels = r.labels(el)
        named = r.refs(el, "aria-labelledby")
        groups = r.groups(el)
        legends = [r.group_name(g) for g in groups]
        parts = [r.label_text(x) for x in labels]
        label = " ".join(n for n, _ in parts) or " ".join(_text(x) for x in named)
        texts = " ".join([label, *(h for _, h in parts), *(_text(x) for x in named), *legends,
                          *(_text(t) for t in r.refs(el, "aria-describedby"))])
        css_mark = any(_CSS_MARK.match(c) for x in (*labels, el) for c in _classes(x))
        f = _Field(node=r.node(el), group=None, form=r.form_rank.get(id(form), 0) if form is not None else 0,
                   label=label or (legends[0] if legends else el.get("aria-label") or el.get("title") or ""),
                   texts=texts, pos=min([r.position(x) for x in (*labels, *named)] or [r.position(el)]),
                   required=el.has_attr("required") or el.get("aria-required") == "true",
                   disabled=el.has_attr("disabled") or el.has_attr("readonly"), css_mark=css_mark)
        if f.node.type == "radio" and f.node.name:
            key = (f.form, f.node.name)
            if key in radios:  # one more choice of a known group: its words and its flags join the group's
                i = radios[key]
                g = out[i][1]
                out[i] = (out[i][0], replace(g, required=g.required or f.required, texts=g.texts + " " + texts,
                                             css_mark=g.css_mark or css_mark))
                continue
            if groups:
                group = groups[0]
                f = replace(f, group=r.node(group), label=r.group_name(group) or f.label,
                            pos=min(f.pos, r.position(group)),
                            css_mark=f.css_mark or any(_CSS_MARK.match(c) for c in _classes(group)))
            radios[key] = len(out)
        out.append((el, f))
    return out


def _state(el: "Tag") -> tuple[str, "Tag | None"]:
    """What shows an error state on ``el`` (aria-invalid or its own class, else a wrapper's class), and
    the wrapper when it is one."""
    own = "aria-invalid" if el.get("aria-invalid") == "true" else next(
        (c for c in _classes(el) if _ERROR_STATE.match(c)), "")
    for depth, node in enumerate(el.parents):
        if getattr(node, "name", None) in (None, "[document]", "form", "body") or depth > 6:
            break
        hit = next((c for c in _classes(node) if _ERROR_STATE.match(c)), "")
        if hit:
            return own or hit, node
    return own, None


def _is_error_text(el: "Tag") -> bool:
    if el.get("role") == "alert" or any(_ERROR_TEXT.search(c) for c in _classes(el)):
        return True
    return bool(el.get("id") and _ERROR_ID.search(el["id"]) and el.name in ("p", "span", "div", "small", "strong"))


def _error_texts(scope: "Tag", controls: set[int]) -> list["Tag"]:
    """Visible error texts inside ``scope`` that wrap no field (the outermost of nested ones)."""
    out: list[Tag] = []
    for el in scope.find_all(True):
        if not _is_error_text(el) or any(_within(el, o) for o in out) or id(el) in controls:
            continue
        if any(id(d) in controls for d in el.find_all(True)):
            continue
        if _text(el) and not _hidden(el):
            out.append(el)
    return out


def _near(el: "Tag", wrapper: "Tag | None", controls: set[int], own: set[int]) -> "Tag":
    """Where the field's own message would sit: its error wrapper, else its field group, else up to
    three parents that hold no other field."""
    if wrapper is not None:
        return wrapper
    scope = el.parent
    for _ in range(3):
        if scope is None or scope.name in ("form", "body", "[document]"):
            break
        if scope.name == "fieldset" or any(_GROUP_CLASS.match(c) for c in _classes(scope)):
            return scope
        parent = scope.parent
        if parent is None or parent.name in ("form", "body", "[document]"):
            break
        if any(id(d) in controls and id(d) not in own for d in parent.find_all(["input", "select", "textarea"])):
            break
        scope = parent
    return scope if scope is not None else el


def _names_field(message: str, label: str) -> bool:
    """Does the message name its field (« Le nom de naissance est obligatoire »)?  RGAA 11.10.3 accepts that."""
    core = fold(re.sub(r"\([^)]*\)|[*∗＊✱]", " ", label))
    core = re.sub(r"\s+", " ", _REQUIRED_RE.sub(" ", core)).strip(" :")
    return len(core) >= 3 and core in fold(message)


def _errors(r: _Reader, fields: list[tuple["Tag", _Field]], controls: list["Tag"]) -> list[_Error]:
    out: list[_Error] = []
    seen: set[int] = set()
    ids = {id(c) for c in controls}
    for first, f in fields:
        members = [first]
        if f.node.type == "radio" and f.node.name:
            scope = first.find_parent("form") or r.soup
            members = [x for x in scope.find_all("input", attrs={"name": f.node.name})
                       if (x.get("type") or "").lower() == "radio"]
        for el in members:
            state, wrapper = _state(el)
            if not state:
                continue
            subject = el  # a group of choices is in error as a whole: its fieldset
            if f.node.type in ("radio", "checkbox") and wrapper is not None and (
                    wrapper.name == "fieldset" or wrapper.get("role") in ("group", "radiogroup")):
                subject = wrapper
            elif f.node.type == "radio" and r.groups(el):
                subject = r.groups(el)[0]
            if id(subject) in seen:
                continue
            seen.add(id(subject))
            own = {id(m) for m in members} | {id(d) for d in subject.find_all(True)}
            messages = _error_texts(subject if subject is not el else _near(el, wrapper, ids, own), ids)
            refs: list[Tag] = []
            for holder in (subject, *members):
                refs += [t for t in r.refs(holder, "aria-describedby", "aria-errormessage", "aria-labelledby")
                         if not any(t is x for x in refs)]
            containers = [lab for m in members for lab in r.labels(m)]
            containers += [lg for g in r.groups(el) if (lg := g.find("legend")) is not None]
            tied = any(any(_within(m, t) or _within(t, m) for t in refs) or any(_within(m, c) for c in containers)
                       for m in messages)
            elsewhere = next((_text(t) for t in refs if _text(t) and _is_error_text(t)
                              and not any(t is m for m in messages)), "")
            out.append(_Error(node=r.node(subject), field=f, state=state,
                              aria_invalid=any(x.get("aria-invalid") == "true" for x in (subject, el)),
                              messages=tuple(_text(m) for m in messages), tied=tied, elsewhere=_clip(elsewhere)))
    return out


def _statements(r: _Reader) -> tuple[str, list[tuple[int, str]]]:
    """The page's sentences outside labels: the one saying every field is required, and those
    explaining the asterisk with their document position.  Strings of one block are joined by a
    space, blocks by a line break, so that a sentence never spans two blocks."""
    from bs4.element import NavigableString, PreformattedString

    hidden = {id(el) for el in r.soup.find_all(True) if _self_hidden(el)}
    chunks: list[str] = []
    starts: list[int] = []
    positions: list[int] = []
    offset = 0
    last_block: int | None = None
    for s in r.soup.find_all(string=True):
        if not isinstance(s, NavigableString) or isinstance(s, PreformattedString) or not s.strip():
            continue
        parents = list(s.parents)
        names = {getattr(p, "name", None) for p in parents}
        if names & _SKIP_TEXT or "label" in names or any(id(p) in hidden for p in parents):
            continue
        block = next((p for p in parents if getattr(p, "name", None) in _BLOCKS), None)
        piece = (" " if block is not None and id(block) == last_block else "\n") + str(s)
        last_block = id(block) if block is not None else None
        starts.append(offset)
        positions.append(r.order.get(id(s), 0))
        chunks.append(piece)
        offset += len(piece)
    text = "".join(chunks)
    folded = fold(text)
    m = _ALL_REQUIRED_RE.search(folded)
    all_required = _clip(_sentence(text, m.start(), m.end())) if m else ""
    explanations = [(positions[max(0, bisect_right(starts, e.start()) - 1)], _clip(_sentence(text, e.start(), e.end())))
                    for e in _EXPLAINS_RE.finditer(folded)] if positions else []
    return all_required, explanations


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``[start, end)``: between line breaks or full stops."""
    a = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, 0)
    ends = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    return text[a:(min(ends) + 1) if ends else len(text)].strip()


def _summaries(r: _Reader) -> list[dict[str, Any]]:
    """Error summaries: an alert, a status or an error box whose links lead to elements of the page."""
    out: list[dict[str, Any]] = []
    taken: list[Tag] = []
    for el in r.soup.find_all(True):
        if not (el.get("role") in ("alert", "status") or any(_SUMMARY_CLASS.search(c) for c in _classes(el))):
            continue
        if any(_within(el, t) for t in taken) or _hidden(el):
            continue
        links = [a for a in el.find_all("a", href=True) if a["href"].startswith("#") and len(a["href"]) > 1]
        found = [a for a in links if a["href"][1:] in r.by_id]
        if found:
            taken.append(el)
            out.append({"selector": r.css_path(el), "links": len(links), "linked": len(found),
                        "text": _clip(_text(el), 200)})
    return out


@lru_cache(maxsize=32)
def _read(html: str) -> _PageForms:
    """The page's forms as plain records, the soup let go: the check and the RGAA table read the
    same pages one after the other, and a page is parsed once."""
    from bs4 import BeautifulSoup

    r = _Reader(BeautifulSoup(html, "html.parser"))
    controls = _controls_of(r.soup)
    fields = _fields(r, controls)
    all_required, explanations = _statements(r)
    return _PageForms(fields=tuple(f for _, f in fields), errors=tuple(_errors(r, fields, controls)),
                      all_required=all_required, explanations=tuple(explanations),
                      summaries=tuple(_summaries(r)))


# ----------------------------------------------------------------------------- the judge


def has_form(page: PageCapture) -> bool:
    """A step page with at least one field to fill (buttons alone are no form)."""
    if any(c.tag in ("input", "select", "textarea") and c.type not in _NOT_FIELDS for c in page.controls):
        return True
    return bool(page.html and _FORM_MARKUP.search(page.html))


def _control_for(node: _Node, controls: list[Control]) -> Control | None:
    """The collector's record of this element, when one matches it without doubt."""
    if node.tag not in ("input", "select", "textarea"):
        return None
    if node.ident:
        hit = [c for c in controls if c.id == node.ident]
        if len(hit) == 1:
            return hit[0]
    if node.name:
        hit = [c for c in controls if c.name == node.name and c.tag == node.tag]
        if len(hit) == 1 or (hit and node.type in ("radio", "checkbox")):
            return hit[0]
    return None


def _selector(node: _Node, controls: list[Control]) -> str:
    c = _control_for(node, controls)
    return c.selector if c is not None and c.selector else node.path


def _shown(node: _Node, controls: list[Control]) -> bool:
    """Not in a block the collector saw hidden (a later step of a single-page app, a closed panel)."""
    c = _control_for(node, controls)
    return c is None or c.shown


def _exempt_forms(fields: list[_Field]) -> set[int]:
    """RGAA 11.10's particular cases: forms with a single field, or that mark their optional fields."""
    count: Counter[int] = Counter(f.form for f in fields if not f.disabled)
    optional = {f.form for f in fields if not f.disabled and _OPTIONAL_RE.search(fold(f.texts))}
    return {form for form, n in count.items() if n <= 1} | optional


@judge(JUDGE, static=has_form)
def judge_page(page: PageCapture, rules: "Rules | None" = None) -> list[ProbeIssue]:
    """Issues of one step page's forms (see the module doc): what the captured DOM shows, then what the
    empty submission saw."""
    out = _static_issues(page) if page.html and _FORM_MARKUP.search(page.html) else []
    probe = page.probes.get(EMPTY_SUBMIT) or {}
    if probe.get("ran") and not probe.get("error"):
        taken = {(i.rule, i.selector) for i in out}
        out += [i for i in _submission_issues(page, probe) if (i.rule, i.selector) not in taken]
    return out


def _static_issues(page: PageCapture) -> list[ProbeIssue]:
    """Issues of the forms as the captured DOM shows them."""
    facts = _read(page.html)
    fields = [f for f in facts.fields if _shown(f.node, page.controls)]
    out: list[ProbeIssue] = []

    def issue(rule: str, status: str, message: str, node: _Node, excerpt: str, **details: Any) -> None:
        out.append(ProbeIssue(rule=rule, criterion=CRITERION, status=status, message=message,
                              page_index=page.index, url=page.url, selector=_selector(node, page.controls),
                              excerpt=_clip(excerpt), details={k: v for k, v in details.items() if v}))

    starred = [f for f in fields if _ASTERISK_RE.search(f.texts)]
    exempt = _exempt_forms(fields)
    for f in fields:
        if not f.required or f.disabled or f.form in exempt:
            continue
        if _REQUIRED_RE.search(_OPTIONAL_RE.sub(" ", fold(f.texts))) or _ASTERISK_RE.search(f.texts) \
                or facts.all_required:
            continue
        if f.css_mark:
            issue(REQUIRED, A_VERIFIER, "Champ obligatoire sans indication dans le texte : une marque est peut-être "
                  "ajoutée par la feuille de style (classe « required »), à vérifier", f.group or f.node, f.label)
        else:
            issue(REQUIRED, NON_CONFORME, "Champ obligatoire (required ou aria-required) sans indication visible "
                  "dans son étiquette, sa légende ou sa description", f.group or f.node, f.label)

    if starred and not facts.all_required:
        first = min(starred, key=lambda f: f.pos)
        if not [s for pos, s in facts.explanations if pos < first.pos]:
            after = [s for _, s in facts.explanations]
            n = len(starred)
            message = (f"Astérisque expliqué seulement après le premier champ marqué ({n} champ(s))" if after
                       else f"Astérisque (*) sans explication sur la page ({n} champ(s) marqué(s))")
            issue(ASTERISK, A_VERIFIER, message, first.group or first.node, first.label, fields=len(starred),
                  explanation=after[0] if after else "")

    for e in facts.errors:
        if e.field.disabled or not _shown(e.field.node, page.controls):
            continue
        if e.messages and not e.tied:
            named = not e.aria_invalid and any(_names_field(m, e.field.label) for m in e.messages)
            issue(NOT_TIED, A_VERIFIER if named else NON_CONFORME,
                  "Message d'erreur affiché près du champ sans lui être relié (ni aria-describedby, "
                  "ni aria-errormessage, ni étiquette)" + (" ; il nomme le champ, à vérifier" if named else ""),
                  e.node, e.field.label, state=e.state, error_text=_clip(e.messages[0]))
        elif not e.messages and not e.elsewhere:
            issue(COLOUR, A_VERIFIER, f"Champ marqué en erreur (« {e.state} ») sans texte d'erreur à proximité : "
                  "erreur peut-être signalée par la seule couleur", e.node, e.field.label, state=e.state)
    return out


# ----------------------------------------------------------------------------- the empty submission


def _indicated(texts: str) -> bool:
    """« obligatoire », « requis » or an asterisk where the user reads the field before submission."""
    return bool(_REQUIRED_RE.search(_OPTIONAL_RE.sub(" ", fold(texts))) or _ASTERISK_RE.search(texts))


def _form_sent(probe: dict[str, Any], url: str) -> list[dict[str, Any]]:
    """The refused requests that were the form itself leaving: a navigation of the page, a script's
    request other than GET to the page's own site (an analytics beacon or a third party's call is
    not the form), a new window, a socket message."""
    host = urlparse(url).netloc
    out = [r for r in probe.get("refused") or []
           if r.get("main") or (r.get("type") in ("xhr", "fetch", "document", "other")
                                and urlparse(r.get("url", "")).netloc == host)]
    out += [{"method": "GET", "url": u, "type": "popup", "main": False} for u in probe.get("popups") or []]
    if probe.get("sockets"):
        out.append({"method": "SEND", "url": "", "type": "websocket", "main": False})
    return out


def submission_outcome(probe: dict[str, Any], url: str = "") -> str:
    """What the page did with its untouched form, in one word: ``native`` (the browser's own validation
    blocked it), ``messages`` (error texts shown), ``colour`` (fields marked without text), ``sent``
    (it would have left for the server: refused), ``moved`` (the page went on without a request),
    ``nothing``; ``skipped`` or ``error`` when the probe did not run."""
    if probe.get("error"):
        return "error"
    if not probe.get("ran"):
        return "skipped"
    if (probe.get("native") or {}).get("blocked"):
        return "native"
    after = [f["after"] for f in probe.get("fields") or [] if f.get("after")]
    if any(a.get("messages") for a in after) or probe.get("other_errors") or probe.get("summary") \
            or probe.get("dialogs"):
        return "messages"
    if any(a.get("state") for a in after):
        return "colour"
    if _form_sent(probe, url):
        return "sent"
    return "moved" if probe.get("moved") else "nothing"


def _probe_selector(f: dict[str, Any], controls: list[Control]) -> str:
    """The collector's selector for a field the probe recorded, when one matches it without doubt."""
    node = _Node(path=f.get("group") or f.get("selector") or "", tag=f.get("tag") or "", type=f.get("type") or "",
                 ident=f.get("id") or "", name=f.get("name") or "")
    if f.get("group"):
        return node.path
    return _selector(node, controls)


def _submission_issues(page: PageCapture, probe: dict[str, Any]) -> list[ProbeIssue]:
    """Issues of what the page did when its form was sent untouched (module doc)."""
    out: list[ProbeIssue] = []
    fields = [f for f in probe.get("fields") or [] if isinstance(f, dict)]
    after = [(f, f["after"]) for f in fields if f.get("after")]
    control = (probe.get("control") or {}).get("name") or ""
    form_sel = (probe.get("form") or {}).get("selector") or (probe.get("control") or {}).get("selector") or ""
    outcome = submission_outcome(probe, page.url)
    all_required = _read(page.html).all_required if page.html else ""

    def issue(rule: str, status: str, message: str, selector: str, excerpt: str, **details: Any) -> None:
        out.append(ProbeIssue(rule=rule, criterion=CRITERION, status=status, message=message,
                              page_index=page.index, url=page.url, selector=selector, excerpt=_clip(excerpt),
                              details={"observed": "envoi du formulaire vide",
                                       **{k: v for k, v in details.items() if v}}))

    required_empty = [f for f in fields if f.get("empty") and (f.get("required") or all_required
                                                                or _indicated(f.get("texts") or ""))]
    if required_empty and outcome in ("nothing", "moved", "sent"):
        n = len(required_empty)
        what = f"Formulaire envoyé vide avec {n} champ(s) obligatoire(s) vide(s)"
        if outcome == "sent":
            sent = _form_sent(probe, page.url)[0]
            issue(NO_ERROR, A_VERIFIER, f"{what} : aucun contrôle dans le navigateur, il serait parti au serveur "
                  f"({sent.get('method')}, requête bloquée par auditor) ; les messages que le serveur renverrait "
                  "n'ont pas été observés", form_sel, control, outcome=outcome, request=sent.get("url", ""))
        elif outcome == "moved":
            issue(NO_ERROR, NON_CONFORME, f"{what} : la page est passée à la suite sans signaler les champs vides",
                  form_sel, control, outcome=outcome)
        elif probe.get("new_lines"):
            issue(NO_ERROR, A_VERIFIER, f"{what} : aucun message reconnu comme une erreur ni champ signalé, mais "
                  "un texte est apparu (à lire)", form_sel, control, outcome=outcome,
                  error_text=_clip((probe.get("new_text") or [""])[0]))
        else:
            issue(NO_ERROR, NON_CONFORME, f"{what} : la page n'a pas réagi, aucun message d'erreur ni champ "
                  "signalé", form_sel, control, outcome=outcome)

    native = bool((probe.get("native") or {}).get("blocked"))
    summary = probe.get("summary") or None
    for f, a in after:
        selector = _probe_selector(f, page.controls)
        label = f.get("label") or ""
        messages = a.get("messages") or []
        if messages and not a.get("tied"):
            named = not a.get("aria_invalid") and any(_names_field(m, label) for m in messages)
            issue(NOT_TIED, A_VERIFIER if named else NON_CONFORME,
                  "À l'envoi du formulaire vide, message d'erreur affiché près du champ sans lui être relié (ni "
                  "aria-describedby, ni aria-errormessage, ni étiquette)" + (" ; il nomme le champ, à vérifier"
                                                                               if named else ""),
                  selector, label, state=a.get("state"), error_text=_clip(messages[0]))
        elif a.get("state") and not messages and not native and not summary:
            issue(COLOUR, A_VERIFIER, f"À l'envoi du formulaire vide, champ marqué en erreur (« {a['state']} ») "
                  "sans aucun texte : erreur peut-être signalée par la seule couleur", selector, label,
                  state=a.get("state"))
        refused_empty = f.get("empty") and (messages or a.get("state") or a.get("native"))
        if refused_empty and not f.get("required") and not _indicated(f.get("texts") or "") and not all_required \
                and len(fields) > 1 and not any(_OPTIONAL_RE.search(fold(g.get("texts") or "")) for g in fields):
            issue(REQUIRED, NON_CONFORME, "Champ refusé vide à l'envoi du formulaire alors que rien ne l'annonçait "
                  "obligatoire avant l'envoi (ni étiquette, ni légende, ni texte associé, ni phrase pour tous les "
                  "champs)", selector, label, error_text=_clip(messages[0]) if messages else "")
    if outcome == "messages" and not any(a.get("messages") or a.get("state") for _, a in after) and not summary:
        general = (probe.get("other_errors") or [{}])[0]
        text = general.get("text") or (probe.get("dialogs") or [""])[0]
        where = "dans une boîte de dialogue" if not general else "sans champ désigné"
        issue(NOT_TIED, A_VERIFIER, f"À l'envoi du formulaire vide, message d'erreur général {where} : aucun champ "
              "n'est signalé ni relié à son erreur", general.get("selector") or form_sel, control,
              error_text=_clip(text))
    shown = any(a.get("messages") for _, a in after) or probe.get("other_errors") or summary
    focus = probe.get("focus") or {}
    if shown and not native and not summary and not (focus.get("on_error") or focus.get("in_summary")
                                                      or focus.get("in_alert")):
        at = f" (focus sur « {focus['selector']} »)" if focus.get("selector") else ""
        issue(NO_FOCUS, A_VERIFIER, "À l'envoi du formulaire vide, les erreurs s'affichent mais le focus n'est "
              f"pas déplacé vers la première et aucun récapitulatif n'apparaît{at}", form_sel, control,
              focus=focus.get("selector") or "")
    return out


def _submission_record(page: PageCapture, probe: dict[str, Any]) -> dict[str, Any]:
    """One step's empty submission for the scorecard: what the page did, where the focus went."""
    outcome = submission_outcome(probe, page.url)
    rec: dict[str, Any] = {"url": page.url, "page_index": page.index, "outcome": outcome,
                           "control": _clip((probe.get("control") or {}).get("name") or "", 80)}
    if outcome in ("skipped", "error"):
        rec["reason"] = _clip(probe.get("skipped") or probe.get("error") or "", 240)
        return rec
    rec["mode"] = probe.get("mode") or ""
    after = [f for f in probe.get("fields") or [] if f.get("after")]
    rec["fields"] = len(probe.get("fields") or [])
    rec["fields_in_error"] = len(after)
    rec["tied"] = sum(1 for f in after if f["after"].get("tied"))
    focus = probe.get("focus") or {}
    rec["focus"] = ("first_error" if focus.get("on_first_error") else "error" if focus.get("on_error")
                    else "summary" if focus.get("in_summary") else "alert" if focus.get("in_alert") else "unchanged")
    if probe.get("summary"):
        rec["summary"] = {k: probe["summary"][k] for k in ("selector", "text", "links", "linked")
                          if k in probe["summary"]}
    sent = _form_sent(probe, page.url)
    if sent:
        rec["refused"] = [{"method": r.get("method", ""), "url": r.get("url", "")} for r in sent[:3]]
    return rec


# ----------------------------------------------------------------------------- the check


@check(JUDGE)
def form_errors_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``form_errors`` when a step page has a field; no block otherwise (nothing to read)."""
    pages = probed_pages(capture, JUDGE)
    if not pages:
        return CheckResult(key="")
    issues = issues_of(capture, rules, JUDGE)
    required = errors = 0
    summaries: list[dict[str, Any]] = []
    for page in pages:
        facts = _read(page.html) if page.html else _PageForms()
        required += sum(1 for f in facts.fields if f.required)
        errors += len(facts.errors)
        summaries += [{"url": page.url, "page_index": page.index, **s} for s in facts.summaries]
    block: dict[str, Any] = {
        "pages_checked": len(pages),
        "required_fields": required,
        "error_fields": errors,
        "issues": [i.to_dict() for i in issues if i.status == NON_CONFORME],
        "review": [i.to_dict() for i in issues if i.status == A_VERIFIER],
        "error_summaries": summaries,
    }
    submitted = [_submission_record(p, p.probes[EMPTY_SUBMIT]) for p in pages if EMPTY_SUBMIT in p.probes]
    if submitted:  # absent when the walk did not send the forms empty (--no-form-errors, scripted walk)
        block["empty_submit"] = submitted
    return CheckResult(key="form_errors", block=block)


# ----------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """One finding per issue: failures for « non conforme », manual checks for « à vérifier »."""
    from ..report.findings import _clean, page_key

    block = card.get("form_errors") or {}
    out = []
    for status, items in (("fail", block.get("issues") or []), ("review", block.get("review") or [])):
        for item in items:
            url = item.get("url")
            evidence = {"url": url, "selector": item.get("selector") or "", "label": item.get("excerpt") or ""}
            details = item.get("details") or {}
            if details.get("error_text") or details.get("explanation"):
                evidence["text"] = details.get("error_text") or details.get("explanation")
            quoted = f" — « {_clean(item['excerpt'], 80)} »" if item.get("excerpt") else ""
            out.append(CheckFinding(
                rule=str(item["rule"]), category="form-errors", status=status,
                message=_clean(item.get("message")) + quoted,
                url=url, target=item.get("selector") or None,
                evidence=[{k: v for k, v in evidence.items() if v}],
                identity=(page_key(url), str(item.get("selector") or ""))))
    return out


META = describe(CheckMeta(
    id="form_errors", title="Champs obligatoires et messages d'erreur", block="form_errors", order=85,
    not_checked="champs obligatoires et messages d'erreur non vérifiés (aucun champ à remplir sur les étapes "
                "parcourues)",
    rules=_RULES, gates=("form-errors",), rgaa=(CRITERION,), wcag=("3.3.1", "3.3.2"), findings=card_findings))
