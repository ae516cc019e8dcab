"""A local web server that misbehaves on purpose, for the fault tests and the soak benchmark.

Every démarche lives under its own folder ``/<kind>/`` (or ``/<kind>--<n>/``
so that a soak run gets hundreds of distinct démarches); ``kind`` selects the
fault.  The healthy pages are a two-step form (``index.html`` → ``etape-2.html``)
with a contact page; each fault replaces one piece of it.  ``KINDS`` lists
every kind with what the crawler must record for it, so tests and
``bench/soak.py`` share one source of truth.

It only ever listens on 127.0.0.1.  Pages that never finish hold their
connection open until the server stops (``stop()`` releases them at once).
"""

from __future__ import annotations

import html
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Callable
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Fault:
    """One kind of démarche served by the fault server and what a scan must record."""

    kind: str
    description: str  # in French: what the site does
    status: str  # expected scorecard status; "a|b" when timing decides between two honest outcomes
    stage: str | None = None  # expected stage of an error record (None: no error expected); "a|b" likewise
    start: str = "index.html"
    demarche: tuple[tuple[str, object], ...] = ()  # extra démarche fields (timeout_demarche_s…)

    def accepts(self, status: str, stages: set[str]) -> bool:
        """Does a scorecard with this status and these error stages match the fault?"""
        if status not in self.status.split("|"):
            return False
        if self.stage is None:
            return not stages
        return bool(stages & set(self.stage.split("|")))


# Faults only noticed by waiting for a timeout get a short one (their cost is that wait);
# the others keep the run's ``timeout_s``, so a loaded machine does not turn them into timeouts.
SHORT: tuple[tuple[str, object], ...] = (("timeout_s", 6),)

KINDS: dict[str, Fault] = {f.kind: f for f in [
    Fault("ok", "démarche saine en deux étapes", "complete"),
    Fault("http404", "page de départ en erreur 404", "failed", "navigate"),
    Fault("http500", "page de départ en erreur 500", "failed", "navigate"),
    Fault("mid404", "erreur 404 au milieu du parcours", "partial", "navigate"),
    Fault("mid500", "erreur 500 au milieu du parcours", "partial", "navigate"),
    Fault("hang", "page de départ qui ne finit jamais de charger", "failed", "navigate", demarche=SHORT),
    Fault("midhang", "deuxième étape qui ne finit jamais de charger", "partial", "navigate", demarche=SHORT),
    Fault("jsloop", "JavaScript en boucle infinie après le chargement", "failed", "browser", demarche=SHORT),
    Fault("midjsloop", "JavaScript en boucle infinie sur la deuxième étape", "partial", "browser", demarche=SHORT),
    Fault("redirect", "boucle de redirections", "failed", "navigate"),
    Fault("download", "un téléchargement au lieu d'une page", "failed", "navigate"),
    Fault("middownload", "un téléchargement au lieu de la deuxième étape", "partial", "navigate"),
    Fault("dialogs", "alert et prompt à l'ouverture (le parcours continue)", "complete", "action"),
    Fault("confirm", "confirm() avant l'étape suivante (refusé : le parcours s'arrête)", "partial", "action"),
    Fault("popup", "l'étape suivante s'ouvre dans une fenêtre surgissante", "partial", "action"),
    Fault("navaway", "la page part d'elle-même vers une autre page du parcours", "complete", None),
    Fault("escape", "la page part d'elle-même vers un autre site", "complete", "navigate"),
    # with short timeouts the page does not even load (failed); on a fast machine it
    # loads and axe gives up on it (partial): either way, recorded and bounded
    Fault("huge", "une page de 30 Mo", "failed|partial", "navigate|axe", demarche=SHORT),
    # axe times out (the page is kept, "à vérifier") or, on a loaded machine, the
    # page stops answering before it is audited: both are honest outcomes
    Fault("domflood", "une page qui ajoute des éléments sans fin", "partial|failed", "axe|browser", demarche=SHORT),
    Fault("slow", "chaque étape met 1 s à répondre, 50 étapes (budget de 15 s)", "partial", "navigate",
          demarche=(("timeout_demarche_s", 15), ("max_pages", 50))),
    Fault("crash", "le moteur de rendu plante sur la deuxième étape", "partial", "browser"),
]}


def _page(title: str, body: str, head: str = "") -> bytes:
    return (
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>{head}</head>\n<body><main>\n{body}\n</main>\n"
        "<footer><p><a href=\"contact.html\">Contact</a></p></footer>\n</body></html>\n"
    ).encode("utf-8")


def _step1(title: str = "Étape 1 – Démarche de test", extra: str = "", action: str = "etape-2.html",
           button: str = "<button type=\"submit\">Suivant</button>") -> bytes:
    return _page(title, (
        "<h1>Étape 1 : identité</h1>\n"
        f"<form action=\"{action}\" method=\"get\">\n"
        "<label for=\"nom\">Nom</label> <input id=\"nom\" name=\"nom\" required>\n"
        f"{button}\n</form>\n{extra}"
    ))


STEP2 = _page("Étape 2 – Récapitulatif", "<h1>Étape 2 : récapitulatif</h1>\n<p>Votre demande est prête.</p>")
CONTACT = _page("Contact", "<h1>Nous contacter</h1>\n<p>Téléphone : 01 40 00 00 00, du lundi au vendredi.</p>")
NOT_FOUND = _page("Page introuvable", "<h1>Page introuvable</h1>\n<p>Erreur 404.</p>")
SERVER_ERROR = _page("Erreur", "<h1>Erreur interne du serveur</h1>\n<p>Erreur 500.</p>")

JS_LOOP = "<script>setTimeout(function () { for (;;) {} }, 100);</script>"
DOM_FLOOD = (
    "<div id=\"flot\"></div><script>setInterval(function () {"
    " var f = document.getElementById('flot');"
    " for (var i = 0; i < 400; i++) { var p = document.createElement('p');"
    " p.innerHTML = '<span style=\"color:#777;background:#888\">texte ' + i + '</span>'; f.appendChild(p); }"
    " }, 10);</script>"
)


def _huge_page(size: int) -> bytes:
    """A page of ``size`` bytes: many paragraphs of plain text."""
    para = "<p>" + ("Texte de remplissage pour une très longue page. " * 20) + "</p>\n"
    head = _step1("Étape 1 – Page de 30 Mo", extra="<section>\n").decode()
    head = head.split("</main>")[0]
    tail = "</section>\n</main><footer><p><a href=\"contact.html\">Contact</a></p></footer></body></html>\n"
    n = max(0, (size - len(head.encode()) - len(tail)) // len(para.encode()))
    return (head + para * n + tail).encode("utf-8")


class FaultServer:
    """``with FaultServer() as srv: srv.url + "hang/"`` — see the module docstring."""

    HUGE_BYTES = 30 * 1024 * 1024

    def __init__(self, port: int = 0, *, slow_s: float = 1.0, extra: dict[str, Callable[..., None]] | None = None):
        self.stopping = threading.Event()
        self.slow_s = slow_s
        self.requested: list[str] = []
        self._lock = threading.Lock()
        self._huge: bytes | None = None
        self.extra = extra or {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                pass

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                with server._lock:
                    server.requested.append(self.path)
                try:
                    server._route(self)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # ----------------------------------------------------------------- control

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "FaultServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def demarche(self, kind: str, n: int | None = None, **fields: object) -> dict[str, object]:
        """The demarches.yaml entry of one fault démarche."""
        fault = KINDS[kind]
        folder = kind if n is None else f"{kind}--{n}"
        d: dict[str, object] = {"id": folder.replace("--", "-"), "name": f"Démarche « {fault.description} »",
                                "url": f"{self.url}{folder}/{fault.start}"}
        d.update(dict(fault.demarche))
        d.update(fields)
        return d

    def was_requested(self, fragment: str) -> bool:
        with self._lock:
            return any(fragment in p for p in self.requested)

    # ----------------------------------------------------------------- replies

    def _send(self, h: BaseHTTPRequestHandler, body: bytes, status: int = 200, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _hang(self, h: BaseHTTPRequestHandler) -> None:
        """Headers and the start of a page, then nothing until the server stops."""
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b"<!DOCTYPE html><html lang=\"fr\"><head><title>Chargement</title></head><body><p>Chargement")
        h.wfile.flush()
        self.stopping.wait(600)
        h.close_connection = True

    def _route(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        segs = [s for s in parts.path.split("/") if s]
        if not segs:
            return self._send(h, _page("Serveur de pannes", "<h1>Serveur de pannes</h1>"))
        kind = segs[0].split("--")[0]
        page = segs[1] if len(segs) > 1 else "index.html"
        query = parse_qs(parts.query)
        if kind in self.extra:
            return self.extra[kind](self, h, page, query)
        if page == "contact.html":
            return self._send(h, CONTACT)
        if kind == "slow":
            if self.stopping.wait(self.slow_s):
                return
            n = int(page.split("-")[1].split(".")[0]) if page.startswith("etape-") else 1
            nxt = f"etape-{n + 1}.html"
            return self._send(h, _step1(f"Étape {n} – Démarche lente", action=nxt).replace(
                b"tape 1 : identit", f"tape {n} : identit".encode()))
        if kind == "http404" or (kind == "mid404" and page == "etape-2.html"):
            return self._send(h, NOT_FOUND, 404)
        if kind == "http500" or (kind == "mid500" and page == "etape-2.html"):
            return self._send(h, SERVER_ERROR, 500)
        if kind == "hang" or (kind == "midhang" and page == "etape-2.html"):
            return self._hang(h)
        if kind == "redirect":
            other = "b.html" if page != "b.html" else "index.html"
            h.send_response(302)
            h.send_header("Location", other)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return None
        if kind == "download" or (kind == "middownload" and page == "etape-2.html"):
            return self._send(h, b"%PDF-1.4\n% fichier\n%%EOF\n", ctype="application/octet-stream",
                              headers={"Content-Disposition": "attachment; filename=\"formulaire.pdf\""})
        if page == "etape-2.html":
            if kind == "midjsloop":
                return self._send(h, _page("Étape 2 – Récapitulatif", "<h1>Étape 2</h1>" + JS_LOOP))
            if kind == "crash":
                # the test or the soak crashes this page's renderer (see ``crash_hook``)
                return self._send(h, _page("Étape 2 – Plantage", "<h1>Étape 2</h1><p>Cette page plante.</p>"))
            return self._send(h, STEP2)
        if page == "ailleurs.html":
            return self._send(h, _page("Ailleurs", "<h1>Une autre page</h1>"))
        if page != "index.html":
            return self._send(h, NOT_FOUND, 404)
        # ------------------------------------------------------ start pages
        if kind == "jsloop":
            return self._send(h, _step1(extra=JS_LOOP))
        if kind == "dialogs":
            return self._send(h, _step1(extra=(
                "<script>alert('Bienvenue sur la démarche');"
                " var r = prompt('Votre code ?', ''); window.addEventListener('beforeunload',"
                " function (e) { e.preventDefault(); e.returnValue = ''; });</script>")))
        if kind == "confirm":
            return self._send(h, _step1(extra=(
                "<script>document.querySelector('form').addEventListener('submit', function (e) {"
                " if (!confirm('Voulez-vous vraiment continuer ?')) e.preventDefault(); });</script>")))
        if kind == "popup":
            return self._send(h, _step1(extra=(
                "<script>window.open('ailleurs.html', 'aide', 'width=300,height=300');"
                " document.querySelector('form').target = '_blank';</script>")))
        if kind == "navaway":
            return self._send(h, _page("Redirection", "<h1>Vous allez être redirigé</h1>"
                                       "<script>setTimeout(function () { location.href = 'etape-2.html'; }, 300);"
                                       "</script>"))
        if kind == "escape":
            other = f"http://127.0.0.1:{self.port}/ailleurs/ailleurs.html"
            return self._send(h, _step1(extra=(
                f"<script>window.addEventListener('load', function () {{ location.href = '{other}'; }});</script>")))
        if kind == "huge":
            if self._huge is None:
                self._huge = _huge_page(self.HUGE_BYTES)
            return self._send(h, self._huge)
        if kind == "domflood":
            return self._send(h, _step1(extra=DOM_FLOOD))
        return self._send(h, _step1())


def refused_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/demarche/"


# A name under the reserved ``.invalid`` TLD (RFC 2606): never resolves, never a real host.
DNS_FAILURE_URL = "http://demarche-inexistante.invalid/"


async def crash_hook(context: object) -> None:
    """Crash the renderer of any page that loads a ``crash`` fault's second step,
    through the DevTools protocol (``Page.crash``): a real renderer crash, as
    an out-of-memory or a Chromium bug would cause."""
    import asyncio

    async def on_load(page: object) -> None:
        url = page.url  # type: ignore[attr-defined]
        if "/crash" in url and "etape-2" in url:
            try:
                cdp = await page.context.new_cdp_session(page)  # type: ignore[attr-defined]
                await asyncio.wait_for(cdp.send("Page.crash"), timeout=2)
            except Exception:
                pass

    def watch(page: object) -> None:
        page.on("load", lambda _=None: asyncio.ensure_future(on_load(page)))  # type: ignore[attr-defined]

    for p in context.pages:  # type: ignore[attr-defined]
        watch(p)
    context.on("page", watch)  # type: ignore[attr-defined]


def wait_until(pred: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``pred`` until true or ``timeout`` seconds (helper for tests)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()
