"""Atomic file writes: a report is either the old version or the new one,
never half written (a crash or Ctrl-C mid-write loses nothing)."""

from __future__ import annotations

import contextlib
import gzip
import json
import lzma
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _MODE)  # mkstemp creates 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_bytes_if_changed(path: Path, data: bytes) -> bool:
    """``write_bytes`` unless ``path`` already holds exactly ``data`` (a rescan
    restoring an unchanged page's screenshot into the same report folder):
    reading and comparing costs less than a new file, a rename and the disk
    writes behind them.  Whether it wrote."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes(path, data)
    return True


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """A file to stream into (large outputs); it appears at ``path`` only
    when the ``with`` block ends without error, all at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else encoding) as fh:
            yield fh
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def copy_file(src: str | Path, dst: str | Path) -> Path:
    """Copy ``src`` to ``dst`` atomically (usable as ``shutil.copytree``'s
    ``copy_function``): an interrupted copy never leaves half a report."""
    dst = Path(dst)
    with open(src, "rb") as fh:
        write_bytes(dst, fh.read())
    shutil.copystat(src, dst)
    return dst


def write_json(path: Path, data: Any) -> None:
    """JSON, compressed when the name ends in ``.xz`` or ``.gz``.  Captures
    hold every page's DOM, mostly the same header and footer on every page:
    xz (unlike gzip's 32 kB window) sees that repetition across pages and
    makes them ~30x smaller, which keeps a report folder small."""
    if path.name.endswith((".xz", ".gz")):
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if path.name.endswith(".xz"):
            write_bytes(path, lzma.compress(raw, preset=1))
        else:
            write_bytes(path, gzip.compress(raw, compresslevel=6, mtime=0))
    else:
        write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def read_json(path: Path) -> Any:
    """JSON, plain, xz or gzip (told by the content, not the name)."""
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    elif raw[:6] == b"\xfd7zXZ\x00":
        raw = lzma.decompress(raw)
    return json.loads(raw.decode("utf-8"))
