"""Progress of a long scan, for the person (or the CI log) waiting for it.

Three modes, chosen by ``make_progress``:

- on a terminal: a live rich bar — démarches done out of total, pages
  audited (those of démarches still being walked included), failures so
  far, elapsed time and an estimate of the time left — with one line per
  finished démarche printed above it;
- when stderr is not a terminal (CI logs, ``| tee``): the same figures as
  plain lines, one per finished démarche, no control characters;
- ``--quiet``: nothing at all.

The runner reports walks starting and ending (``walk_started`` /
``walk_finished``, so that pages of démarches in progress are counted
live); the pipeline reports each finished scorecard (``demarche_done``).
Every method is cheap and thread-safe enough for that use: démarches are
reported from worker threads, counters are only ever incremented.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import IO, Any, Callable

Clock = Callable[[], float]


def fmt_duration(seconds: float | None) -> str:
    """« 42 s », « 3 min 05 s », « 1 h 02 min » (French, for people)."""
    if seconds is None:
        return "?"
    s = int(round(max(0.0, seconds)))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


class ScanProgress:
    """Counters of a scan, and the base of every display (this one shows
    nothing: it is the ``--quiet`` mode)."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.total = 0
        self.done = 0
        self.failed = 0
        self.pages_done = 0
        self.started = clock()
        self._walkers: dict[int, Any] = {}
        self.waiting: dict[str, str] = {}  # démarche id → the host it waits for (polite crawling)
        self._lock = threading.Lock()

    # -- reported by the runner and the pipeline ---------------------------

    def start(self, total: int) -> None:
        self.total = total
        self.started = self.clock()

    def walk_started(self, walker: Any) -> None:
        """A démarche is being walked: its ``pages`` list is counted live."""
        with self._lock:
            self._walkers[id(walker)] = walker

    def host_waiting(self, demarche_id: str, host: str) -> None:
        """A démarche waits for its host: enough of the scan's walks are on it."""
        with self._lock:
            self.waiting[demarche_id] = host
        self.show_waiting(demarche_id, host)

    def host_ready(self, demarche_id: str) -> None:
        with self._lock:
            self.waiting.pop(demarche_id, None)

    def walk_finished(self, walker: Any) -> None:
        with self._lock:
            self._walkers.pop(id(walker), None)

    def demarche_done(self, card: dict[str, Any]) -> None:
        with self._lock:
            self.done += 1
            self.pages_done += len(card.get("pages") or [])
            if card.get("status") == "failed":
                self.failed += 1
        self.show_done(card)

    def close(self) -> None:
        """End of the scan (also on Ctrl-C): leave the terminal clean."""

    # -- figures -------------------------------------------------------------

    @property
    def pages(self) -> int:
        with self._lock:
            live = sum(len(getattr(w, "pages", ()) or ()) for w in self._walkers.values())
        return self.pages_done + live

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    @property
    def eta(self) -> float | None:
        """Seconds left, from the average time per finished démarche."""
        if not self.done or not self.total:
            return None
        return self.elapsed / self.done * max(0, self.total - self.done)

    def summary(self) -> str:
        line = (f"{self.done}/{self.total} démarches · {_plural(self.pages, 'page')} · "
                f"{_plural(self.failed, 'échec')} · écoulé {fmt_duration(self.elapsed)}")
        with self._lock:
            hosts = sorted(set(self.waiting.values()))
        if hosts:
            n = len(self.waiting)
            line += (f" · {n} en attente de {'leur' if n > 1 else 'son'} site ({', '.join(hosts[:2])}"
                     f"{'…' if len(hosts) > 2 else ''})")
        return line

    @staticmethod
    def card_line(card: dict[str, Any]) -> str:
        n_viol = (card.get("accessibility") or {}).get("violations", "?")
        line = (f"{card.get('id')} : {card.get('status')} — {len(card.get('pages') or [])} page(s), "
                f"{n_viol} anomalie(s) axe")
        if card.get("status_reason"):
            line += f" — {card['status_reason']}"
        return line

    def show_done(self, card: dict[str, Any]) -> None:
        """Display one finished démarche (nothing in quiet mode)."""

    def show_waiting(self, demarche_id: str, host: str) -> None:
        """Display that a démarche waits for its host (nothing in quiet mode)."""

    @staticmethod
    def waiting_line(demarche_id: str, host: str) -> str:
        return (f"{demarche_id} : en attente de {host} (assez de démarches parcourent déjà ce site ; "
                f"voir per_host dans demarches.yaml)")


class PlainProgress(ScanProgress):
    """One plain line per finished démarche, for logs."""

    def __init__(self, stream: IO[str], clock: Clock = time.monotonic) -> None:
        super().__init__(clock)
        self.stream = stream

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def show_done(self, card: dict[str, Any]) -> None:
        eta = self.eta
        left = f", reste ~{fmt_duration(eta)}" if eta is not None and self.done < self.total else ""
        self._print(f"[{self.done}/{self.total}] {self.card_line(card)} "
                    f"({_plural(self.pages, 'page')}, {_plural(self.failed, 'échec')}, "
                    f"écoulé {fmt_duration(self.elapsed)}{left})")

    def show_waiting(self, demarche_id: str, host: str) -> None:
        self._print(self.waiting_line(demarche_id, host))

    def close(self) -> None:
        if self.total:
            rate = self.pages / self.elapsed * 60 if self.elapsed > 0 else 0.0
            self._print(f"Terminé : {self.summary()} ({rate:.0f} pages/min)")


class RichProgress(ScanProgress):
    """A live bar on a terminal; finished démarches are printed above it."""

    def __init__(self, console: Any = None, clock: Clock = time.monotonic) -> None:
        super().__init__(clock)
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        self.console = console or Console(stderr=True)
        me = self

        class _Figures(TextColumn):
            def render(self, task: Any) -> Any:  # noqa: ANN401 - rich's signature
                from rich.text import Text

                eta = me.eta
                left = f" · reste ~{fmt_duration(eta)}" if eta is not None else ""
                return Text(me.summary() + left)

        self._bar = Progress(TextColumn("Analyse"), BarColumn(), _Figures(""), console=self.console,
                             transient=False, refresh_per_second=4)
        self._task: Any = None

    def start(self, total: int) -> None:
        super().start(total)
        self._bar.start()
        self._task = self._bar.add_task("scan", total=total)

    def show_done(self, card: dict[str, Any]) -> None:
        self._bar.console.print(f"  {self.card_line(card)}", highlight=False, markup=False)
        if self._task is not None:
            self._bar.update(self._task, completed=self.done)

    def show_waiting(self, demarche_id: str, host: str) -> None:
        self._bar.console.print(f"  {self.waiting_line(demarche_id, host)}", highlight=False, markup=False)

    def close(self) -> None:
        if self._task is not None:
            self._bar.update(self._task, completed=self.done)
            self._bar.refresh()
        self._bar.stop()


def make_progress(quiet: bool = False, stream: IO[str] | None = None) -> ScanProgress:
    """The display that suits where stderr goes: nothing when ``quiet``,
    a live bar on a terminal, plain lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    if quiet:
        return ScanProgress()
    if getattr(stream, "isatty", lambda: False)():
        from rich.console import Console

        return RichProgress(Console(file=stream))
    return PlainProgress(stream)
