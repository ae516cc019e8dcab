"""Is this control a step on, or the one that files, pays, signs or creates an account?

The auto-walk must never click a final control on a real démarche.  A name
alone cannot decide: design-system templates use « Valider » on every step,
and real services name their last button in endless ways (« Valider ma
pré-demande », « Valider et payer », « Je confirme »).  The page around the
button can: a stepper at its last step, a recap title, an attestation « sur
l'honneur », an amount or card fields, a new-password field, a form posted to
``/depot``.  This module weighs those signals — pure functions of what the
walk already read (``candidates.js`` and the audited page), no browser — and
returns one of four verdicts, always with the signals behind it:

- ``next``: safe to click, it moves the démarche on;
- ``final``: irreversible (files, pays, signs, sends, creates an account);
- ``uncertain``: nothing tells; the walk stops exactly as before a final
  control, and says why (``partial``);
- ``skip``: never clicked, and never a reason to stop: not the démarche (a
  search, a newsletter sign-up, a header button, a cookie banner), a name
  the walk never follows (back, cancel, delete, log in), or a link or plain
  button whose name says nothing of a step.

The vocabularies live in ``rules/walk.yaml`` so that auditors tune them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

Verdict = Literal["next", "final", "uncertain", "skip"]
OUTSIDE_REGIONS = ("banner", "navigation", "contentinfo", "complementary")

# « Étape 2 sur 4 », « étape 2/4 », « Étape 2 of 4 »
_STEP_OF = re.compile(r"\bétape\s*(\d{1,2})\s*(?:sur|/|de|of)\s*(\d{1,2})\b", re.IGNORECASE)
_NEXT_STEP = re.compile(r"\bétape suivante\s*:\s*([^\n.]{2,80})", re.IGNORECASE)
_EURO = re.compile(r"\d[\d\s\u00a0\u202f.]*(?:[,.]\d{1,2})?\s*(?:€|euros?\b|EUR\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    """One reason behind a decision: a stable code and what it means, in French."""

    code: str
    label: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label}


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    signals: tuple[Signal, ...] = ()

    @property
    def stops(self) -> bool:
        """The walk never clicks it (final or uncertain)."""
        return self.verdict in ("final", "uncertain")

    def reason(self, name: str) -> str:
        """« arrêt prudent avant « Valider » : dernière étape (3 sur 3), case « Je certifie… » »."""
        context = [s.label for s in self.signals if s.code not in NAME_SIGNALS]
        why = ", ".join(context or [s.label for s in self.signals]) or "aucun indice"
        if self.verdict == "uncertain":
            return f"arrêt prudent avant « {name} » : impossible de savoir si ce bouton envoie la demande ({why})"
        return f"arrêt prudent avant « {name} » : {why}"

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "signals": [s.to_dict() for s in self.signals]}


# what the name alone says: shown in a reason only when nothing else speaks
NAME_SIGNALS = frozenset({"final_name", "commit_verb", "next_name", "unknown_name"})


@dataclass
class FormFacts:
    """The form a control submits, as the page declares it."""

    method: str = "get"  # "" when the form declares neither method nor action: a script sends it
    action: str = ""
    fields: Sequence[str] = ()  # types of its visible fields
    text: str = ""  # its own heading / legend / nearby words
    search: bool = False


@dataclass
class ControlFacts:
    """A control the walk could click."""

    name: str
    tag: str = "button"
    submit: bool = True
    region: str = "main"
    href: str = ""
    amount: str = ""  # a euro amount written in the control's own block
    form: FormFacts | None = None
    consent: bool = False  # inside a cookie banner


@dataclass
class PageFacts:
    """What the page around the controls says about where the user is."""

    title: str = ""
    headings: Sequence[str] = ()
    text: str = ""  # the start of the page's main text (« Étape 3 sur 3 » when no stepper markup)
    stepper: tuple[int, int] | None = None  # (current, total) from the markup
    progress: tuple[int, int] | None = None  # (index, total) of the aria-current item of a step list
    checkboxes: Sequence[str] = ()  # labels of the page's checkboxes
    card_fields: bool = False
    new_password: bool = False
    account_flow: bool = False  # a new-password field on an earlier step of this walk
    payment_links: Sequence[str] = ()  # links, form actions and frames to payment services


@dataclass
class Vocabulary:
    """The compiled patterns of rules/walk.yaml the guard reads."""

    next: re.Pattern[str]
    final: re.Pattern[str]
    commit: re.Pattern[str]
    payment_names: re.Pattern[str]
    payment_urls: re.Pattern[str]
    submit_actions: re.Pattern[str]
    attestation: re.Pattern[str]
    account_create: re.Pattern[str]
    account_pages: re.Pattern[str]
    not_demarche: re.Pattern[str]
    last_step_titles: re.Pattern[str]
    search_fields: re.Pattern[str]
    never: re.Pattern[str]
    login: re.Pattern[str]

    @classmethod
    def from_rules(cls, walk: Any) -> "Vocabulary":
        m = walk.matcher
        return cls(next=m("next"), final=m("final_submit"), commit=m("commit_verbs"),
                   payment_names=m("payment_names"), payment_urls=m("payment_urls"),
                   submit_actions=m("submit_actions"), attestation=m("attestation"),
                   account_create=m("account_create"), account_pages=m("account_pages"), not_demarche=m("not_demarche_forms"),
                   last_step_titles=m("summary_page"), search_fields=m("search_fields"), never=m("never"),
                   login=m("login_wall"))


_PLAIN = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "\u00a0": " ", "\u202f": " "})


def norm(text: str) -> str:
    """Names as the rules expect them: plain apostrophes and spaces."""
    return " ".join((text or "").translate(_PLAIN).split())


# ---------------------------------------------------------------- the position


@dataclass(frozen=True)
class Position:
    """Where the page stands in the démarche: ``last``, ``intermediate`` or unknown."""

    where: Literal["last", "intermediate", "unknown"]
    signal: Signal | None = None


def step_of(text: str) -> tuple[int, int] | None:
    """« Étape 2 sur 4 » in a text, when the numbers make sense."""
    m = _STEP_OF.search(text or "")
    if not m:
        return None
    cur, total = int(m.group(1)), int(m.group(2))
    return (cur, total) if 1 <= cur <= total else None


def position(page: PageFacts, vocab: Vocabulary) -> Position:
    """Where the page stands.  Last: a stepper at its last step, a recap
    title (even inside a stepper that counts the confirmation page as a step),
    or a next step named « Confirmation » / « Paiement ».  Intermediate: a
    stepper or a list of steps with steps left."""
    found = page.stepper or next(
        (s for s in (step_of(t) for t in (*page.headings[:4], page.title, page.text[:3000])) if s), None)
    if found and found[0] >= found[1]:
        return Position("last", Signal("last_step", f"dernière étape ({found[0]} sur {found[1]})"))
    if page.progress and page.progress[1] > 1 and page.progress[0] >= page.progress[1]:
        idx, total = page.progress
        return Position("last", Signal("last_step", f"dernière étape de la liste des étapes ({idx} sur {total})"))
    for t in (page.title, *page.headings[:3]):
        if t and vocab.last_step_titles.search(norm(t)):
            return Position("last", Signal("summary_title", f"page « {_cut(t, 60)} »"))
    upcoming = _NEXT_STEP.search(page.text[:3000])
    if upcoming:
        label = norm(upcoming.group(1))
        if vocab.last_step_titles.search(label) or vocab.payment_names.search(label):
            return Position("last", Signal("next_step_final", f"l'étape suivante est « {_cut(label, 40)} »"))
    if found:
        return Position("intermediate", Signal("intermediate_step", f"étape {found[0]} sur {found[1]}"))
    if page.progress and page.progress[1] > 1:
        idx, total = page.progress
        return Position("intermediate", Signal("intermediate_step", f"étape {idx} sur {total} (liste des étapes)"))
    return Position("unknown")


# ------------------------------------------------------------------ the verdict


def _not_demarche(c: ControlFacts, vocab: Vocabulary) -> Signal | None:
    if c.region in OUTSIDE_REGIONS:
        where = {"banner": "l'en-tête", "navigation": "la navigation", "contentinfo": "le pied de page",
                 "complementary": "un encadré"}[c.region]
        return Signal("outside_main", f"dans {where} du site, hors de la démarche")
    f = c.form
    if f is None:
        return None
    if f.search:
        return Signal("search_form", "formulaire de recherche du site")
    fields = [t for t in f.fields if t not in ("hidden", "submit", "button", "image", "reset")]
    words = norm(f"{f.text} {c.name}")
    if vocab.not_demarche.search(words) and all(t in ("email", "text", "checkbox") for t in fields) \
            and sum(t in ("email", "text") for t in fields) <= 1:
        return Signal("newsletter_form", "formulaire d'abonnement à une lettre d'information")
    return None


def _payment(c: ControlFacts, page: PageFacts, vocab: Vocabulary, name: str) -> Signal | None:
    target = c.href or (c.form.action if c.form else "")
    if target and vocab.payment_urls.search(target):
        return Signal("payment_target", f"mène à un service de paiement ({target[:80]})")
    if vocab.payment_names.search(name):
        return Signal("payment_name", f"« {_cut(name)} » : paiement")
    if page.card_fields and c.submit:
        return Signal("card_fields", "champs de carte bancaire sur la page")
    if page.payment_links and c.submit and (vocab.commit.search(name) or not vocab.next.search(name)):
        return Signal("payment_page", f"la page mène à un service de paiement ({page.payment_links[0][:80]})")
    return None


def classify(control: ControlFacts, page: PageFacts, vocab: Vocabulary) -> Decision:
    """The verdict on one control, with its signals (see the module doc)."""
    name = norm(control.name)
    outside = _not_demarche(control, vocab)
    if outside:
        return Decision("skip", (outside,))
    if control.consent:
        return Decision("skip", (Signal("consent_banner", "bandeau de cookies"),))
    if vocab.never.search(name) and not vocab.final.search(name):
        return Decision("skip", (Signal("never_name", f"« {_cut(name)} » : jamais suivi (retour, annulation, "
                                                      f"suppression, déconnexion…)"),))
    if vocab.login.search(name) and not vocab.next.search(name):
        return Decision("skip", (Signal("login_name", f"« {_cut(name)} » : connexion (le parcours s'arrête au mur "
                                                      f"de connexion)"),))

    signals: list[Signal] = []
    pos = position(page, vocab)
    if pos.signal:
        signals.append(pos.signal)
    attest = next((norm(t) for t in page.checkboxes if vocab.attestation.search(norm(t))), None)
    attest_sig = Signal("attestation", f"case « {_cut(attest)} »") if attest else None
    account_title = next((norm(t) for t in (page.title, *page.headings[:2]) if t
                          and vocab.account_pages.search(norm(t))), None)
    account = page.new_password or page.account_flow or bool(account_title)
    account_sig = (Signal("new_password", "création de compte (champ « nouveau mot de passe »)")
                   if page.new_password else Signal("account_flow", "suite d'une création de compte")
                   if page.account_flow else Signal("account_page", f"page « {_cut(account_title, 50)} »")
                   if account_title else None)
    form = control.form
    posted_to = (form.action if form and form.method == "post" and form.action
                 and vocab.submit_actions.search(form.action) else "")
    action_sig = Signal("submit_action", f"formulaire envoyé (POST) vers {_path(posted_to)}") if posted_to else None
    amount = control.amount or ""
    amount_sig = Signal("amount", f"montant « {amount} » près du bouton") if amount and _EURO.search(amount) else None

    def final(*why: Signal | None) -> Decision:
        return Decision("final", tuple(s for s in (*signals, *why) if s))

    def uncertain(*why: Signal | None) -> Decision:
        return Decision("uncertain", tuple(s for s in (*signals, *why) if s))

    def next_(*why: Signal | None) -> Decision:
        return Decision("next", tuple(s for s in (*signals, *why) if s))

    # payment, whatever the name says
    pay = _payment(control, page, vocab, name)
    if pay:
        return final(pay, amount_sig)

    is_next = bool(vocab.next.search(name))
    is_final = bool(vocab.final.search(name))
    is_commit = bool(vocab.commit.search(name))
    creates = bool(vocab.account_create.search(name)) and (control.tag != "a" or account)

    if creates:
        return final(Signal("account_name", f"« {_cut(name)} » : création de compte"), account_sig)
    if is_final:
        return final(Signal("final_name", f"« {_cut(name)} » : envoi, dépôt ou signature"), attest_sig, action_sig)
    if is_next:
        # « Suivant », « Valider et continuer »: a step on, unless the form itself files
        if action_sig:
            return uncertain(Signal("next_name", f"« {_cut(name)} » annonce l'étape suivante"), action_sig)
        if is_commit and (pos.where == "last" or attest_sig or amount_sig):
            # « Valider mes informations » on a recap, under an attestation or an amount
            return uncertain(Signal("next_name", f"« {_cut(name)} » annonce l'étape suivante"), attest_sig,
                             amount_sig)
        if account and pos.where != "intermediate" and control.submit:
            # « Suivant » on an account-creation form that announces no step: it may create the account
            return uncertain(Signal("next_name", f"« {_cut(name)} » annonce l'étape suivante"), account_sig)
        return next_(Signal("next_name", f"« {_cut(name)} » annonce l'étape suivante"))

    # a commit verb (« Valider », « Confirmer », « Terminer ») or a name we do not know
    kind = (Signal("commit_verb", f"« {_cut(name)} » : verbe d'engagement") if is_commit
            else Signal("unknown_name", f"nom « {_cut(name)} » inconnu des règles"))
    if pos.where == "last":
        return (final if is_commit else uncertain)(kind, attest_sig, action_sig, amount_sig, account_sig)
    if attest_sig or action_sig or amount_sig:
        return (final if is_commit else uncertain)(kind, attest_sig, action_sig, amount_sig)
    if account and pos.where != "intermediate":
        # a one-page account creation: its button creates the account
        return (final if is_commit else uncertain)(kind, account_sig)
    if pos.where == "intermediate":
        return next_(kind, account_sig)
    if not is_commit and not control.submit:
        # a link or a plain button named like nothing the rules know: the walk never follows it
        return Decision("skip", (Signal("unknown_name", f"« {_cut(name)} » : ni étape ni envoi, jamais cliqué"),))
    if not is_commit and form is not None and form.method == "get" and any(
            t not in ("hidden", "submit", "button", "image", "reset") for t in form.fields):
        # an unknown name sending a GET form with fields: it asks the server for a page, it files nothing
        return next_(kind, Signal("get_form", "formulaire envoyé en GET (ne dépose rien)"))
    if not is_commit and form is not None and form.method == "get":
        return uncertain(kind, Signal("action_button", "bouton d'action sans champ à remplir"))
    if not is_commit and form is not None and not form.method:
        return uncertain(kind, Signal("script_form", "formulaire envoyé par script (ni méthode ni adresse) : "
                                                     "ce qu'il envoie est inconnu"))
    return uncertain(kind, Signal("no_position", "aucune indication d'étape (ni étapes numérotées, ni "
                                                 "récapitulatif)"))


def _cut(text: str | None, n: int = 50) -> str:
    text = norm(text or "")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _path(url: str) -> str:
    m = re.match(r"^[a-z]+://[^/]+", url, re.IGNORECASE)
    return url[m.end():] if m else url


def page_facts(sig: dict[str, Any], page: Any, *, account_flow: bool = False) -> PageFacts:
    """PageFacts from what the walk read: ``candidates.js``'s page signals
    and the audited page (title, headings, text, checkbox labels)."""
    guard = sig.get("guard") or {}

    def pair(v: Any) -> tuple[int, int] | None:
        try:
            a, b = int(v[0]), int(v[1])
        except (TypeError, ValueError, IndexError):
            return None
        return (a, b) if 1 <= a <= b <= 99 else None

    return PageFacts(
        title=getattr(page, "title", "") or sig.get("title", ""),
        headings=[h for h in (getattr(page, "headings", None) or [sig.get("h1", "")]) if h][:6],
        text=(getattr(page, "text", "") or "")[:3000],
        stepper=pair(guard.get("stepper")),
        progress=pair(guard.get("progress")),
        checkboxes=[c.label for c in getattr(page, "controls", []) if c.type == "checkbox" and c.label]
        + list(guard.get("checkboxes") or []),
        card_fields=bool(guard.get("card_fields")),
        new_password=bool(guard.get("new_password")),
        account_flow=account_flow,
        payment_links=list(guard.get("payment_links") or []),
    )


def control_facts(c: dict[str, Any], forms: Sequence[dict[str, Any]]) -> ControlFacts:
    """ControlFacts from one ``candidates.js`` candidate."""
    form = None
    if c.get("form", -1) >= 0 and c["form"] < len(forms):
        f = forms[c["form"]]
        form = FormFacts(method=(f.get("method") if f.get("method") is not None else "get").lower(), action=c.get("action") or f.get("action", ""),
                         fields=list(f.get("field_types") or []), text=f.get("text", ""),
                         search=bool(f.get("search")))
    return ControlFacts(name=c.get("name", ""), tag=c.get("tag", "button"), submit=bool(c.get("submit")),
                        region=c.get("region", "main") or "", href=c.get("href", "") if c.get("tag") == "a" else "",
                        amount=c.get("amount", "") or "", form=form, consent=bool(c.get("consent")))
