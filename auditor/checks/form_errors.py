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

The parts: rule ids and texts (``_form_rules``), words and patterns
(``_form_words``), the parsed page (``_form_soup``) and its forms read as
records (``_form_read``), the empty submission (``_form_submit``); this
module judges the captured DOM and makes the block.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, check, describe
from ._form_read import _Node, _read, _selector, _shown
from ._form_rules import (  # noqa: F401  (re-exported: the tests name them from here)
    _RULES,
    ASTERISK,
    COLOUR,
    CRITERION,
    DYNAMIC,
    EMPTY_SUBMIT,
    JUDGE,
    NO_ERROR,
    NO_FOCUS,
    NOT_TIED,
    REQUIRED,
)
from ._form_soup import _Field, _PageForms
from ._form_submit import _submission_issues, _submission_record, submission_outcome  # noqa: F401  (re-exported)
from ._form_words import _ASTERISK_RE, _FORM_MARKUP, _NOT_FIELDS, _OPTIONAL_RE, _REQUIRED_RE, _clip, _names_field
from ._frtext import fold
from ._probe_issues import RULES  # noqa: F401  (re-exported: the rule ids this check may report)
from ._probe_issues import A_VERIFIER, NON_CONFORME, ProbeIssue, issues_of, judge, probed_pages

if TYPE_CHECKING:
    from ..config import Rules


def has_form(page: PageCapture) -> bool:
    """A step page with at least one field to fill (buttons alone are no form)."""
    if any(c.tag in ("input", "select", "textarea") and c.type not in _NOT_FIELDS for c in page.controls):
        return True
    return bool(page.html and _FORM_MARKUP.search(page.html))



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
