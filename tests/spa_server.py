"""The server of the single-page démarche fixture (tests/fixtures/walk/spa-history/),
shared by its end-to-end tests and bench/spa.py.

It behaves like a real single-page app's host: every route of the app gets
index.html (History-API fallback), the communes API answers after a short
delay, the results API fails (the app then shows its own error view, with
HTTP 200 for the page), and the analytics endpoint never answers — as a
beacon stuck behind a slow collector does.  Only ever on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from auditor.demo.server import QuietHTTPServer

ROOT = Path(__file__).parent / "fixtures" / "walk" / "spa-history"
HANG_S = 120  # a never-answering request is held this long at most (bounded: the test server stops)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, method: str) -> None:
        srv: Any = self.server
        path = self.path.split("?")[0]
        srv.log.append((time.monotonic(), method, self.path, self.headers.get("Sec-Fetch-Dest", "")))
        if path.startswith("/collect"):
            srv.stopping.wait(HANG_S)  # the collector never answers while the server runs
            return
        if path.startswith("/spa-history/api/communes"):
            time.sleep(0.15)
            body = json.dumps([{"code": "75101", "nom": "Paris 1er Arrondissement"}]).encode()
            return self._send(200, body, "application/json")
        if path.startswith("/spa-history/api/resultats"):
            return self._send(500, b'{"erreur": "indisponible"}', "application/json")
        if path == "/spa-history/app.js":
            return self._send(200, (ROOT / "app.js").read_bytes(), "text/javascript; charset=utf-8")
        if path.startswith("/spa-history"):
            page = (ROOT / "index.html").read_text(encoding="utf-8").replace("__COLLECTOR__", srv.collector)
            return self._send(200, page.encode(), "text/html; charset=utf-8")
        self._send(404, b"introuvable", "text/plain; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 100_000))
        self._route("POST")


class SpaServer:
    """``with SpaServer() as srv: srv.url`` → ``http://127.0.0.1:PORT/spa-history/``.
    The audience-measurement collector is another origin (another port), as
    on real sites: its stuck requests do not take the app's connections."""

    def __init__(self) -> None:
        stopping, log = threading.Event(), []  # one log for both origins
        self.collector = QuietHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd = QuietHTTPServer(("127.0.0.1", 0), _Handler)
        for h in (self.httpd, self.collector):
            h.log, h.stopping = log, stopping  # type: ignore[attr-defined]
            h.collector = f"http://127.0.0.1:{self.collector.server_address[1]}"  # type: ignore[attr-defined]
        self.threads = [threading.Thread(target=h.serve_forever, daemon=True) for h in (self.httpd, self.collector)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/spa-history/"

    @property
    def log(self) -> list[tuple[float, str, str, str]]:
        return self.httpd.log  # type: ignore[attr-defined,no-any-return]

    def __enter__(self) -> "SpaServer":
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.stopping.set()  # type: ignore[attr-defined]
        for h in (self.httpd, self.collector):
            h.shutdown()
            h.server_close()
