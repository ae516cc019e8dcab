"""The empty submission of a step's form: what the page did, and the issues it shows.

The automatic walk sends each step's form untouched once, with nothing
allowed out of the browser (``collect/probes/empty_submit.py``); these
functions read the probe's raw facts: the outcome in one word, the
scorecard's record of it, and the RGAA 11.10 issues it reveals.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from ..model import Control, PageCapture
from ._form_read import _Node, _read, _selector
from ._form_rules import COLOUR, CRITERION, NO_ERROR, NO_FOCUS, NOT_TIED, REQUIRED
from ._form_words import _ASTERISK_RE, _OPTIONAL_RE, _REQUIRED_RE, _clip, _names_field
from ._frtext import fold
from ._probe_issues import A_VERIFIER, NON_CONFORME, ProbeIssue


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

