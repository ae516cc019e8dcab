"""Which control moves the démarche on, and what the page says of the walk.

Pure decisions of the auto-walk, functions of what the page reported
(``candidates.js``, the audited ``PageCapture``) and of rules/walk.yaml —
no browser, so each is tested on plain data:

- ``choose_next``: the control to click, with the final-control guard's
  decision on it (``final_control.py``), or None;
- ``usable``: a control the walk may ever click (never back, cancel, log
  out, log in, a cookie banner or the site's header and footer);
- ``login_controls``, ``login_page``: a login wall;
- ``error_page``: an HTTP or titled error page;
- ``account_creation``: a page that creates an account (walked, never a wall).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ..model import Control, PageCapture
from .final_control import Decision, Vocabulary, classify, control_facts, norm, page_facts, position

OUTSIDE_REGIONS = ("banner", "navigation", "contentinfo")


@dataclass
class NextChoice:
    """The control the auto-walk will use to move on, and the guard's
    decision on it (final_control.py): the walk never clicks one that
    ``stops`` unless the démarche sets ``allow_submit``."""

    selector: str
    name: str
    decision: Decision
    href: str = ""  # where it leads, when known (link, form action)
    new_tab: bool = False
    out_of_scope: bool = False
    last_step: bool = False  # the page is judged the démarche's last step (final_control.position)


@dataclass
class WalkWords:
    """The compiled patterns of rules/walk.yaml these decisions read."""

    next: re.Pattern[str]
    never: re.Pattern[str]
    login: re.Pattern[str]
    never_urls: re.Pattern[str]
    login_page: re.Pattern[str]
    error_page: re.Pattern[str]
    primary: re.Pattern[str]
    secondary: re.Pattern[str]
    guard: Vocabulary

    @classmethod
    def from_rules(cls, walk: Any) -> "WalkWords":
        m = walk.matcher
        return cls(next=m("next"), never=m("never"), login=m("login_wall"), never_urls=m("never_urls"),
                   login_page=m("login_page"), error_page=m("error_page"), primary=m("primary_classes"),
                   secondary=m("secondary_classes"), guard=Vocabulary.from_rules(walk))


def usable(c: dict[str, Any], words: WalkWords) -> bool:
    """A control the auto-walk may click: visible, enabled, named, in the
    page's content, never a back/cancel/logout or login control."""
    if not c["visible"] or c["disabled"] or not c["name"] or c["type"] == "reset":
        return False
    if c["region"] in OUTSIDE_REGIONS or words.never.search(c["name"]) or c.get("consent"):
        return False  # « Continuer sans accepter » in a cookie banner is not a step
    if words.login.search(c["name"]) and not words.next.search(c["name"]):
        return False  # « S'identifier avec FranceConnect »: a login wall, not a step
    if c["tag"] == "a":
        href, raw = c["href"], c["raw_href"].strip()
        if words.never_urls.search(href):
            return False
        if href.startswith(("http://", "https://")) and not raw.startswith("#"):
            return True
        return raw.startswith("#") or raw.lower().startswith("javascript:") or c["role"] == "button"
    return True


def target(c: dict[str, Any]) -> str:
    """Where a link or a form button leads, when the page says it."""
    if c["tag"] == "a":
        raw = c["raw_href"].strip()
        return "" if raw.startswith("#") else c["href"]
    return c.get("action") or ""


def rank(c: dict[str, Any], words: WalkWords) -> int:
    """0 primary, 1 plain, 2 secondary/tertiary (DSFR and common kits)."""
    if words.secondary.search(c["classes"]):
        return 2
    if words.primary.search(c["classes"]):
        return 0
    return 1


def choose_next(sig: dict[str, Any], page: PageCapture | None, words: WalkWords, in_scope: Callable[[str], bool],
                *, account_flow: bool = False) -> NextChoice | None:
    """The control that moves the démarche on, with the guard's decision
    on it: a control named « next » that the guard lets through; else a
    commit verb the page shows to be an intermediate step (« Valider » on
    « Étape 2 sur 4 »); else the final or uncertain control to stop
    before; else a form's single submit, judged the same way.  Forms that
    are not the démarche (search, newsletter) are never chosen."""
    for c in sig["candidates"]:
        c["name"] = norm(c["name"])
    facts = page_facts(sig, page, account_flow=account_flow)
    last = position(facts, words.guard).where == "last"
    forms = sig.get("forms") or []
    decided: dict[int, Decision] = {}
    v = words.guard

    def decide(c: dict[str, Any]) -> Decision:
        if id(c) not in decided:
            decided[id(c)] = classify(control_facts(c, forms), facts, v)
        return decided[id(c)]

    def outside(c: dict[str, Any]) -> bool:
        t = target(c)
        return t.startswith(("http://", "https://")) and not in_scope(t)

    def choice(c: dict[str, Any]) -> NextChoice:
        return NextChoice(selector=c["selector"], name=c["name"], decision=decide(c), href=target(c),
                          new_tab=c["tag"] == "a" and c["target"].lower() == "_blank", out_of_scope=outside(c),
                          last_step=last)

    def best(items: list[dict[str, Any]]) -> dict[str, Any]:
        # in scope first, then primary before plain before secondary, buttons before links
        return sorted(items, key=lambda c: (outside(c), rank(c, words), c["tag"] == "a", c["order"]))[0]

    cands = [c for c in sig["candidates"] if usable(c, words) and decide(c).verdict != "skip"]
    named = [c for c in cands if any(r.search(c["name"]) for r in (
        v.next, v.final, v.commit, v.payment_names, v.account_create))]
    for group in ([c for c in named if v.next.search(c["name"]) and decide(c).verdict == "next"],
                  [c for c in named if decide(c).verdict == "next"],
                  [c for c in named if decide(c).stops]):
        if group:
            return choice(best(group))
    forms_ = [f for f in forms if not f["search"] and f["region"] not in OUTSIDE_REGIONS and f["submits"] == 1]
    with_fields = [f for f in forms_ if f["fields"] > 0]
    pick = with_fields if with_fields else [f for f in forms_ if f["region"] == "main"]
    if len(pick) == 1:
        subs = [c for c in cands if c["submit"] and c["form"] == pick[0]["index"]]
        if len(subs) == 1:
            return choice(subs[0])
    return None


def unknown_submits(sig: dict[str, Any], page: PageCapture | None, words: WalkWords, *,
                    account_flow: bool = False) -> list[str]:
    """Names of the démarche's submit buttons the rules do not recognise
    (a form is still there, sent by a button nothing designates)."""
    facts = page_facts(sig, page, account_flow=account_flow)
    return list(dict.fromkeys(
        c["name"] for c in sig["candidates"]
        if c["submit"] and usable(c, words)
        and classify(control_facts(c, sig["forms"]), facts, words.guard).verdict != "skip"))


def login_controls(sig: dict[str, Any], words: WalkWords) -> str | None:
    """A login control as the page's only way on: the reason, in French."""
    found = [c for c in sig["candidates"] if c["visible"] and c["name"] and c["region"] not in OUTSIDE_REGIONS
             and words.login.search(norm(c["name"]))]
    if found:
        c = sorted(found, key=lambda c: c["tag"] == "a")[0]  # a button rather than an explanatory link
        return f"mur de connexion : seule issue « {norm(c['name'])[:60]} »"
    return None


def account_creation(controls: list[Control]) -> bool:
    """A visible password field marked ``new-password``, or a password and
    its confirmation: the page creates an account (never a login wall)."""
    shown = [c for c in controls if c.type == "password" and c.visible and not c.frame_url
             and c.region not in OUTSIDE_REGIONS]
    return len(shown) >= 2 or any("new-password" in c.autocomplete.lower() for c in shown)


def login_page(page: PageCapture, words: WalkWords) -> str | None:
    """A page whose only purpose is to log in: a visible password field
    in its content, or a « Se connecter » title.  A page that creates an
    account (a new password) is not one: its steps are walked."""
    if account_creation(page.controls):
        return None
    if any(c.type == "password" and c.visible and not c.frame_url and c.region not in OUTSIDE_REGIONS
           for c in page.controls):
        return "mur de connexion : la page demande un mot de passe"
    h1 = next((h for h in page.headings if h), "")
    for text in (h1, page.title):
        if text and words.login_page.search(text.strip()):
            return f"mur de connexion : page « {text.strip()[:80]} »"
    return None


def error_page(page: PageCapture, words: WalkWords) -> str | None:
    """An HTTP error, or a title or first heading that says error."""
    if page.http_status is not None and page.http_status >= 400:
        return f"page d'erreur HTTP {page.http_status}"
    first = page.headings[0] if page.headings else ""
    for text in (page.title, first):
        if text and words.error_page.search(text.strip()):
            return f"page d'erreur « {text.strip()[:80]} »"
    return None
