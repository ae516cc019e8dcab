"""Nothing lost: an interrupted scan keeps every scorecard already written and
``auditor scan --resume`` goes on where it stopped.

The scan runs as a real subprocess (``python -m auditor scan``) against the
fault server's slow pages; it is stopped with SIGTERM, resumed and stopped
with Ctrl-C (SIGINT), resumed and killed with SIGKILL (a crash), then resumed
to the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.demo.faults import FaultServer, wait_until
from auditor.fileio import read_json, write_json
from auditor.run.resume import clean_stale_temp_files, config_digest, is_done
from auditor.schemas import validate_scorecard

ROOT = Path(__file__).resolve().parents[2]
N = 6


def _cards(out: Path) -> dict[str, dict]:
    cards = {}
    for path in sorted(out.glob("*/scorecard.json")):
        cards[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))  # never half-written
    return cards


def _start(cfg: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "auditor", "scan", str(cfg), "-o", str(out), "--no-screenshots",
         "--concurrency", "1", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.browser
def test_sigterm_and_crash_keep_scorecards_and_resume_finishes(tmp_path):
    with FaultServer(slow_s=0.3) as srv:
        cfg = tmp_path / "demarches.yaml"
        cfg.write_text("defaults: {timeout_s: 10, max_pages: 2}\ndemarches:\n" + "".join(
            f"  - id: lente-{i}\n    name: Démarche lente {i}\n    url: {srv.url}slow--{i}/index.html\n"
            for i in range(N)), encoding="utf-8")
        out = tmp_path / "rapports"

        # 1. SIGTERM once a démarche is done
        proc = _start(cfg, out)
        assert wait_until(lambda: len(list(out.glob("*/scorecard.json"))) >= 1 or proc.poll() is not None, 180)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=90)
        assert proc.returncode == 128 + signal.SIGTERM, err
        assert "Interrompu" in err and "--resume" in err and "Traceback" not in err
        first = _cards(out)
        assert 1 <= len(first) < N - 1, sorted(first)
        for card in first.values():
            assert validate_scorecard(card) == [] and card["status"] in ("complete", "partial")
        index = (out / "index.html").read_text(encoding="utf-8")
        assert all(f"{ident}/scorecard.html" in index for ident in first)
        kept = {i: (out / i / "scorecard.json").read_bytes() for i in first}

        # 2. resume, then Ctrl-C (SIGINT), then a crash (SIGKILL), each after one more démarche
        for sig, code in ((signal.SIGINT, 130), (signal.SIGKILL, -signal.SIGKILL)):
            before_run = _cards(out)
            if len(before_run) == N:
                # on a loaded machine the signal before came after the last démarche was written (exit 0
                # accepted above): nothing is left to interrupt
                break
            kept = {i: (out / i / "scorecard.json").read_bytes() for i in before_run}
            proc = _start(cfg, out, "--resume")
            assert wait_until(lambda: len(list(out.glob("*/scorecard.json"))) > len(before_run)
                              or proc.poll() is not None, 180)
            if proc.poll() is None:
                proc.send_signal(sig)
            _, err = proc.communicate(timeout=90)
            assert proc.returncode in (code, 0), (sig, proc.returncode, err)
            if sig == signal.SIGINT and proc.returncode == code:
                assert "Interrompu" in err and "Traceback" not in err
            now = _cards(out)
            assert len(now) > len(before_run)
            for ident, data in kept.items():
                assert (out / ident / "scorecard.json").read_bytes() == data, f"{ident} was scanned again"
            for card in now.values():
                assert validate_scorecard(card) == []
        second = _cards(out)

        # 3. resume to the end
        before = {i: (out / i / "scorecard.json").read_bytes() for i in second}
        requests_before = len(srv.requested)
        proc = _start(cfg, out, "--resume")
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        final = _cards(out)
        assert sorted(final) == [f"lente-{i}" for i in range(N)]
        for ident, data in before.items():
            assert (out / ident / "scorecard.json").read_bytes() == data
            assert f"{ident} : déjà analysée" in err
        # the resumed run only walked the démarches that were missing
        walked = {p.split("/")[1] for p in srv.requested[requests_before:] if p.startswith("/slow--")}
        assert walked == {f"slow--{i}" for i in range(N) if f"lente-{i}" not in before}, walked
    assert not list(out.rglob(".*.tmp")) or all(time.time() - p.stat().st_mtime < 120 for p in out.rglob(".*.tmp"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"lente-{i}/scorecard.html" in index for i in range(N))


# ------------------------------------------------------- what "same config" means


def _card(tmp_path: Path, ident: str, digest: str, status: str = "complete") -> Path:
    card = {
        "schema_version": 1, "id": ident, "name": "N", "url": "https://x.fr/", "administration": None,
        "annual_users": None, "scanned_at": "2026-01-01T00:00:00Z",
        "tool": {"version": "0.1.0", "axe_version": "4", "browser": "C"}, "status": status, "errors": [],
        "pages": [], "accessibility": {"status": "not_checked"}, "dlnuf": {"status": "not_checked"},
        "alternatives": {"status": "not_checked"},
        "indicators": {k: None for k in ("handicap", "dlnuf", "auth", "performance", "alternative")},
        "config_digest": digest,
    }
    path = tmp_path / ident / "scorecard.json"
    write_json(path, card)
    assert validate_scorecard(read_json(path)) == []
    return path


def test_resume_skips_only_whole_scorecards_of_the_same_config(tmp_path):
    d = {"id": "a", "name": "A", "url": "https://x.fr/", "max_pages": 25, "timeout_s": 30}
    digest = config_digest(d, "rules1", {"block_third_party": False})
    _card(tmp_path, "a", digest)
    assert is_done(tmp_path, "a", digest)
    # another démarche entry, other rules, other options: not the same configuration
    assert not is_done(tmp_path, "a", config_digest({**d, "max_pages": 5}, "rules1", {"block_third_party": False}))
    assert not is_done(tmp_path, "a", config_digest(d, "rules2", {"block_third_party": False}))
    assert not is_done(tmp_path, "a", config_digest(d, "rules1", {"block_third_party": True}))
    # a failed démarche is scanned again (site down last time)
    _card(tmp_path, "b", digest, status="failed")
    assert not is_done(tmp_path, "b", digest)
    # a truncated file (from a tool that does not write atomically) or an invalid one: scanned again
    path = _card(tmp_path, "c", digest)
    path.write_text(path.read_text()[:100], encoding="utf-8")
    assert not is_done(tmp_path, "c", digest)
    path.write_text('{"config_digest": "%s", "status": "complete"}' % digest, encoding="utf-8")
    assert not is_done(tmp_path, "c", digest)
    assert not is_done(tmp_path, "absent", digest)


def test_secrets_never_enter_the_digest():
    d = {"id": "a", "name": "A", "url": "https://x.fr/", "steps": [{"fill": {"#pw": "${PW}"}}]}
    assert config_digest(d, "r") == config_digest(d, "r")
    # the digest is of the démarche as written: the environment's value plays no part
    os.environ["PW"] = "one"
    first = config_digest(d, "r")
    os.environ["PW"] = "two"
    assert config_digest(d, "r") == first
    os.environ.pop("PW")


def test_stale_temporary_files_are_removed(tmp_path):
    old = tmp_path / "a" / ".scorecard.json.x1.tmp"
    new = tmp_path / "a" / ".scorecard.json.x2.tmp"
    old.parent.mkdir()
    old.write_text("{", encoding="utf-8")
    new.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert clean_stale_temp_files(tmp_path) == 1
    assert not old.exists() and new.exists()
