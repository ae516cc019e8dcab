"""The impolite-looking service of ``test_polite_e2e``, run in its own process.

It must not share the test's interpreter: the scan's Python (three walks,
axe results, parsing) holds the GIL for long stretches, and a server thread
waiting for it logs a request a quarter of a second late on a loaded
two-core CI machine — enough to make two requests that left the browser
300 ms apart look 70 ms apart.  In its own process the log says when the
request reached the server, which is what a host sees.

Usage: ``python polite_server.py <folder> <log.jsonl>``; prints the port on
its first line of output, then serves until killed.  Each request is one
JSON line: monotonic time, path, User-Agent, Sec-Fetch-Dest.

- robots.txt closes ``/interdit/``;
- the first request of every page, and every request under ``/lent/``, is
  answered 429 with ``Retry-After: 1``.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler

from auditor.demo.server import QuietHTTPServer

ROBOTS = "User-agent: *\nDisallow: /interdit/\n"


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        at = time.monotonic()
        path = self.path.split("?")[0]
        with srv.lock:  # type: ignore[attr-defined]
            srv.log.write(json.dumps([at, path, self.headers.get("User-Agent", ""),  # type: ignore[attr-defined]
                                      self.headers.get("Sec-Fetch-Dest", "")]) + "\n")
            srv.log.flush()  # type: ignore[attr-defined]
            first = path not in srv.seen  # type: ignore[attr-defined]
            srv.seen.add(path)  # type: ignore[attr-defined]
        if path == "/robots.txt":
            self._answer(200, ROBOTS, "text/plain")
        elif path.endswith(".html") and (first or path.startswith("/lent/")):
            self._answer(429, "<!DOCTYPE html><html lang=fr><title>Trop de requêtes</title><h1>Trop de requêtes</h1>",
                         "text/html; charset=utf-8", {"Retry-After": "1"})
        else:
            super().do_GET()

    def _answer(self, status: int, text: str, kind: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        for name, value in {**(headers or {}), "Content-Type": kind, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def main(folder: str, log_path: str) -> None:
    httpd = QuietHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=folder))
    httpd.log = open(log_path, "a", encoding="utf-8")  # type: ignore[attr-defined]
    httpd.seen, httpd.lock = set(), threading.Lock()  # type: ignore[attr-defined]
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
