"""A small static HTTP server on 127.0.0.1, in a background thread.

Used by ``auditor demo`` and by the tests' fixture sites: the crawler only
ever talks to local pages there.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

SITE = Path(__file__).parent / "site"


class QuietHTTPServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when the browser
    drops a connection (a closed tab, an aborted navigation): routine for a
    crawler, noise in a test or benchmark log."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        # every requested path is kept, so tests can prove a URL was never requested; with when it
        # came, what for and from whom, so they can check the crawler's pace and identity
        getattr(self.server, "requested", []).append(self.path)
        getattr(self.server, "log", []).append((time.monotonic(), self.path, self.headers.get("Sec-Fetch-Dest", ""),
                                                self.headers.get("User-Agent", "")))
        return super().send_head()

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        """A form posted to a fixture page: recorded like any request, the
        body read and dropped, and the page served as for a GET."""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1_000_000))
        self.do_GET()


class StaticServer:
    """``with StaticServer(root) as srv: srv.url`` serves ``root`` until exit."""

    def __init__(self, root: Path = SITE, port: int = 0, host: str = "127.0.0.1"):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = QuietHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.httpd.requested = []  # type: ignore[attr-defined]
        self.httpd.log = []  # type: ignore[attr-defined]
        self.host, self.port = self.httpd.server_address[:2]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def requested(self) -> list[str]:
        """Paths requested so far (with their query strings)."""
        return self.httpd.requested  # type: ignore[attr-defined,no-any-return]

    @property
    def log(self) -> list[tuple[float, str, str, str]]:
        """(monotonic time, path, Sec-Fetch-Dest, User-Agent) of every request."""
        return self.httpd.log  # type: ignore[attr-defined,no-any-return]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> "StaticServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "StaticServer":
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
