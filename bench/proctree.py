"""CPU time and memory of a whole process tree, read from /proc (Linux).

The benchmark measures ``auditor scan`` *with its browser*: Chromium's
renderers, GPU and utility processes, Playwright's driver.  Two figures:

- CPU seconds of the tree (user + system of every process it ever had):
  the benchmark makes itself a "child subreaper", so Chromium processes
  orphaned when their parent exits (the zygote and the renderers it
  reaped) come back to it and are reaped there, and ``getrusage`` then
  counts all of them.  Unlike wall-clock time this hardly moves when other
  programs compete for the same cores, so ratios computed from it are
  stable on a busy machine;
- peak memory, sampled every ``interval`` seconds: the sum of RSS over the
  tree (what the issue asks for; pages shared between Chromium processes
  are counted once per process, so it over-states) and the sum of PSS
  (shared pages split between their users: the honest total).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """user + system time of ``pids``, plus that of their reaped children."""
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        f = fields[fields.rindex(")") + 2:].split()
        total += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])  # utime stime cutime cstime
    return total / CLK_TCK


def memory(pids: list[int]) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes."""
    rss = pss = 0
    for p in pids:
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            try:
                rss += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
            except OSError:
                pass
            continue
        for line in text.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss += int(line.split()[1]) * 1024
    return rss, pss


@dataclass
class Usage:
    cpu_s: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    samples: int = 0


class TreeMonitor:
    """Samples the descendants of ``pid`` in a thread until ``stop()``.

    With ``skip_root`` the process ``pid`` itself is left out: the
    benchmark watches its own descendants (the measured run, and the
    orphans re-parented to it), not itself."""

    def __init__(self, pid: int, interval: float = 0.2, skip_root: bool = False):
        self.pid, self.interval, self.skip_root = pid, interval, skip_root
        self.usage = Usage()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._cpu0 = cpu_seconds(self._pids())

    def _pids(self) -> list[int]:
        pids = tree(self.pid)
        return pids[1:] if self.skip_root else pids

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        pids = self._pids()
        rss, pss = memory(pids)
        u = self.usage
        u.peak_rss, u.peak_pss = max(u.peak_rss, rss), max(u.peak_pss, pss)
        u.cpu_s = max(u.cpu_s, cpu_seconds(pids) - self._cpu0)
        u.samples += 1

    def start(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def stop(self) -> Usage:
        self._stop.set()
        self._thread.join()
        return self.usage


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to this process (Linux ≥ 3.4)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(timeout: float = 15.0) -> int:
    """Wait for every remaining child (orphans of a finished run); their
    resource usage then shows in ``getrusage(RUSAGE_CHILDREN)``."""
    n = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return n
        if pid == 0:
            time.sleep(0.05)
        else:
            n += 1
    return n


def loadavg() -> float:
    return os.getloadavg()[0]


def now() -> float:
    return time.perf_counter()
