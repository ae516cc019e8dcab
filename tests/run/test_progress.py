"""Progress display: rich bar on a terminal, plain lines in logs, nothing when quiet."""

from __future__ import annotations

import io

from rich.console import Console

from auditor.run.progress import PlainProgress, RichProgress, ScanProgress, fmt_duration, make_progress


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Walker:
    def __init__(self, pages: int) -> None:
        self.pages = [object()] * pages


def card(i: str, status: str = "complete", pages: int = 5) -> dict:
    return {"id": i, "status": status, "pages": [{}] * pages, "accessibility": {"violations": 2},
            "status_reason": "page de départ : page d'erreur HTTP 404" if status == "failed" else None}


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_fmt_duration_in_french() -> None:
    assert fmt_duration(42) == "42 s"
    assert fmt_duration(185) == "3 min 05 s"
    assert fmt_duration(3720) == "1 h 02 min"
    assert fmt_duration(None) == "?"


def test_plain_lines_count_demarches_pages_failures_and_eta() -> None:
    out, clock = io.StringIO(), FakeClock()
    p = PlainProgress(out, clock=clock)
    p.start(4)
    w = Walker(3)
    p.walk_started(w)
    assert p.pages == 3  # pages of a démarche still being walked count live
    clock.t += 30
    p.walk_finished(w)
    p.demarche_done(card("a", pages=3))
    clock.t += 30
    p.demarche_done(card("b", status="failed", pages=0))
    p.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/4] a : complete — 3 page(s), 2 anomalie(s) axe")
    assert "écoulé 30 s" in lines[0] and "reste ~1 min 30 s" in lines[0]
    assert lines[1].startswith("[2/4] b : failed") and "1 échec" in lines[1] and "404" in lines[1]
    assert "reste ~1 min 00 s" in lines[1]
    assert lines[2].startswith("Terminé : 2/4 démarches · 3 pages · 1 échec · écoulé 1 min 00 s")
    assert "\x1b" not in out.getvalue()  # no terminal control characters in logs


def test_rich_bar_on_a_terminal() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=160)
    p = RichProgress(console, clock=FakeClock())
    p.start(2)
    p.demarche_done(card("a"))
    p.demarche_done(card("b", status="failed"))
    p.close()
    text = buf.getvalue()
    assert "a : complete — 5 page(s)" in text
    assert "2/2 démarches" in text and "10 pages" in text and "1 échec" in text


def test_make_progress_picks_the_mode_from_the_stream() -> None:
    assert isinstance(make_progress(False, TTY()), RichProgress)
    assert isinstance(make_progress(False, io.StringIO()), PlainProgress)
    quiet = make_progress(True, TTY())
    assert type(quiet) is ScanProgress


def test_quiet_prints_nothing(capsys) -> None:
    p = make_progress(True)
    p.start(1)
    p.demarche_done(card("a"))
    p.close()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert p.done == 1  # still counts, for whoever asks
