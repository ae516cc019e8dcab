"""The empty submission: send a step's form untouched, once, and watch how the page says what is wrong.

An auditor checking RGAA 11.10 submits each form empty: do the errors appear,
are they tied to their fields, does the focus go to the first one or to a
summary, is anything said beyond a red border?  The captured DOM cannot tell
(``checks/form_errors.py`` reads it statically), so the automatic walk asks
this probe, on a step whose next control the guard judged ``next``, before it
fills the form.  The probe records raw facts; ``checks/form_errors.py``
judges them.

Safe by construction (docs/garde.md): the probe never lets anything leave the
browser.

- It runs only when nothing can be filed even if the interception failed: the
  browser's own constraint validation blocks the submission (``required``,
  ``pattern``, ``type=email`` on empty fields, no ``novalidate`` nor
  ``formnovalidate``: not even the ``submit`` event fires), or the form is
  sent by GET, or the démarche says ``probe_errors: true``.  Never on a link,
  a form sent into another window or frame, a page with a password or card
  field, or under a service worker (its requests escape the interception).
  :func:`decide` says why it skipped otherwise.
- While it acts, every main-frame navigation and every request other than GET
  is refused before it leaves the browser: through the walk's own DevTools
  interception (``hold``, ``NavGuardMixin._hold_requests``: one interceptor,
  no conflict with the guard), else a Playwright route for the probe's
  duration only.  ``window.open`` and ``WebSocket.send``, which no request
  interception sees, are neutralised meanwhile.  What was refused is
  recorded: a form the page would have sent empty has no client validation.
- One click on the control, a short settle (animation frames, a quiet DOM,
  the page's own GET requests answered; about a second at most), one read;
  then everything is put back and the walk fills the form as usual.

The facts (JSON-safe): ``mode`` (why it was allowed), ``control``, ``form``,
``fields`` (each with its label, the texts where « obligatoire » would be
announced, ``required``, ``empty``, its box, and ``after``: what the click
changed on it — ``aria-invalid``, an error class or colour, the native
validation message, the error messages near it and whether they are tied to
it), ``native`` (blocked, ``invalid`` events, ``submit`` event), ``refused``
(requests and navigations stopped), ``dialogs``, ``summary``, ``focus``,
``other_errors`` (error texts tied to no field), ``new_text`` and ``moved``
(the page went on to another state without any request).
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

from ..scripts import js

NAME = "empty_submit"
SETTLE_S = 1.0  # animation frames and a quiet DOM after the click
REQUESTS_S = 1.5  # the page's own GET requests (a validation that asks the server) answered, at most
QUIET_MS = 150

Hold = Callable[[], Any]  # () -> async context manager yielding the list of refused requests


def decide(info: dict[str, Any], allow_server: bool) -> tuple[str | None, str]:
    """May the probe click?  Returns ``(mode, "")`` — ``native``: the browser's
    constraint validation blocks the submission; ``get``: a GET form;
    ``server``: the démarche allows a form sent to its server
    (``probe_errors: true``, the request is refused all the same) — or
    ``(None, reason)`` in French.  Pure, from the ``inspect`` facts."""
    if not info.get("found"):
        return None, "contrôle introuvable avant la saisie"
    if not info.get("visible") or info.get("disabled"):
        return None, "contrôle masqué ou désactivé tant que le formulaire est vide"
    if info.get("link"):
        return None, "lien : aucun formulaire à envoyer"
    if info.get("service_worker"):
        return None, "un service worker contrôle la page : l'interception des requêtes n'est pas garantie"
    if info.get("password"):
        return None, "champ de mot de passe : page de connexion ou de création de compte"
    if info.get("card"):
        return None, "champs de carte bancaire : page de paiement"
    form = info.get("form")
    if form and form.get("target") not in ("", "_self"):
        return None, "formulaire envoyé dans une autre fenêtre ou un cadre : hors de portée de l'interception"
    if form and form.get("method") == "dialog":
        return None, "formulaire de boîte de dialogue : rien n'est envoyé"
    if not info.get("fields"):
        return None, "aucun champ à laisser vide"
    if not info.get("empty"):
        return None, "tous les champs sont déjà remplis : rien à refuser"
    if info.get("native_blocks"):
        return "native", ""
    if form and form.get("method") == "get":
        return "get", ""
    if allow_server:
        return "server", ""
    if form is None:
        return None, ("bouton hors formulaire, sans contrôle du navigateur : ce que son script envoie est inconnu "
                      "(probe_errors: true pour l'essayer, la requête étant bloquée)")
    how = {"post": "en POST", "": "par script (ni méthode ni adresse)"}.get(form.get("method", ""),
                                                                          f"en {form.get('method', '').upper()}")
    return None, (f"formulaire envoyé {how} sans contrôle du navigateur (novalidate ou aucun champ contraint) : "
                  "probe_errors: true pour l'essayer, la requête étant bloquée")


@asynccontextmanager
async def route_hold(page: Any) -> AsyncIterator[list[dict[str, Any]]]:
    """Without the walk's interception (a probe run on a bare page): a
    Playwright route for the probe's duration only — every navigation gets an
    empty 204 answer (the browser stays on the page; a failed navigation
    would show Chromium's error page) and every other non-GET request
    fails, before anything leaves the browser."""
    refused: list[dict[str, Any]] = []

    async def handler(route: Any, request: Any) -> None:
        method = (request.method or "GET").upper()
        nav = bool(request.is_navigation_request())
        main = nav and request.frame == page.main_frame
        if main or method not in ("GET", "HEAD"):
            refused.append({"method": method, "url": request.url[:300], "type": request.resource_type,
                            "main": main})
            try:
                if nav:
                    await route.fulfill(status=204, body="")
                else:
                    await route.abort("blockedbyclient")
            except Exception:
                pass
            return
        try:
            await route.continue_()
        except Exception:
            pass

    await page.route("**/*", handler)
    try:
        yield refused
    finally:
        try:
            await page.unroute("**/*", handler)
        except Exception:
            pass


async def _settle(page: Any, inflight: set[Any]) -> None:
    """Two animation frames, a quiet DOM (``settle.js`` when the walk installed
    it), then the page's own GET requests answered — bounded: the hold must
    not outlast the page's reaction by much, nor stop short of it."""
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(page.evaluate("""async ([quiet, max]) => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  if (window.__auditorQuiet) await window.__auditorQuiet(quiet, max, undefined, Math.min(quiet, 80), false);
  else await new Promise((r) => setTimeout(r, quiet));
}""", [QUIET_MS, int(SETTLE_S * 1000)]), SETTLE_S + 1)
    except Exception:
        pass  # the page went on changing: read it as it is
    while inflight and time.monotonic() - t0 < REQUESTS_S:
        await asyncio.sleep(0.03)


async def empty_submit(page: Any, next_selector: str, *, allow_server: bool, timeout_s: float,
                       hold: Hold | None = None) -> dict[str, Any]:
    """Submit the form of ``next_selector`` untouched, once, with nothing
    allowed out of the browser, and record what the page did (module doc).
    ``hold``: the walk's own request interception (else a Playwright route)."""
    t0 = time.perf_counter()
    info = await page.evaluate(js("probes/empty_submit.js"), {"op": "inspect", "selector": next_selector})
    mode, reason = decide(info, allow_server)
    control = {"selector": next_selector, **{k: info[k] for k in ("tag", "type") if k in info}}
    form = info.get("form")
    if mode is None:
        return {"ran": False, "skipped": reason, "control": control, **({"form": form} if form else {})}
    out: dict[str, Any] = {"ran": True, "mode": mode, "control": control, "form": form}
    dialogs: list[str] = []
    inflight: set[Any] = set()

    async def on_dialog(dialog: Any) -> None:
        dialogs.append(str(dialog.message)[:200])
        try:  # the walk's own handler may have answered it already
            if dialog.type == "beforeunload":
                await dialog.accept()  # as the walk does: the navigation goes on, and is refused
            else:
                await dialog.dismiss()
        except Exception:
            pass

    def on_request(request: Any) -> None:
        try:
            if not request.is_navigation_request():  # navigations are refused: none is awaited
                inflight.add(request)
        except Exception:
            pass

    def on_done(request: Any) -> None:
        inflight.discard(request)

    click_s = min(max(timeout_s, 1.0), 5.0)
    async with (hold() if hold is not None else route_hold(page)) as refused:
        page.on("dialog", on_dialog)
        page.on("request", on_request)
        page.on("requestfinished", on_done)
        page.on("requestfailed", on_done)
        read: dict[str, Any] | None = None
        try:
            armed = await page.evaluate(js("probes/empty_submit.js"), {"op": "arm", "selector": next_selector})
            if not armed.get("armed"):
                return {"ran": False, "skipped": "contrôle disparu avant le clic", "control": control}
            out["fields"] = armed["fields"]
            loc = page.locator(next_selector).first
            try:
                await loc.click(timeout=click_s * 1000)
            except Exception:
                # covered or moving: a DOM click does what the user's click would (as the walk does)
                await loc.evaluate("e => e.click()", timeout=click_s * 1000)
            await _settle(page, inflight)
            read = await page.evaluate(js("probes/empty_submit.js"), {"op": "read"})
        except Exception as exc:
            if "context was destroyed" in str(exc) or "navigat" in str(exc).lower():
                # the document went away without a request (a history move, a cache): the walk reads where it is
                out.update(moved=True, error="la page a changé de document pendant l'envoi à vide")
            else:
                out["error"] = f"sonde en échec : {type(exc).__name__}: {str(exc)[:200]}"
        finally:
            if read is None:
                try:
                    await asyncio.wait_for(page.evaluate(js("probes/empty_submit.js"), {"op": "drop"}), 5)
                except Exception:
                    pass
            for event, fn in (("dialog", on_dialog), ("request", on_request), ("requestfinished", on_done),
                              ("requestfailed", on_done)):
                try:
                    page.remove_listener(event, fn)
                except Exception:
                    pass
        out["refused"] = list(refused)
    if any(r.get("main") for r in out["refused"]):
        try:  # the walk's settle must not wait for a document that will never come (settle.js)
            await asyncio.wait_for(page.evaluate("() => window.__auditorStayed && window.__auditorStayed()"), 5)
        except Exception:
            pass
    out["dialogs"] = dialogs
    if read and read.get("read"):
        after = {r["index"]: {k: v for k, v in r.items() if k != "index"} for r in read.get("fields", [])}
        for i, f in enumerate(out.get("fields", [])):
            f["after"] = after.get(i)
        for k in ("moved", "native", "summary", "focus", "other_errors", "new_text", "new_lines", "popups",
                  "sockets"):
            out[k] = read.get(k)
    out["ms"] = int(round((time.perf_counter() - t0) * 1000))
    return out
