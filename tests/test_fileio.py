"""Report files: captures are written compressed and read back either way."""

from __future__ import annotations

import gzip
import lzma

from auditor.cli import _captures_in
from auditor.fileio import read_json, write_json


def test_gz_round_trip_and_plain_json(tmp_path):
    data = {"html": "<p>é</p>" * 1000, "n": [1, 2]}
    write_json(tmp_path / "c.json.gz", data)
    raw = (tmp_path / "c.json.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and len(raw) < 1000
    assert read_json(tmp_path / "c.json.gz") == data
    write_json(tmp_path / "c.json", data)
    assert read_json(tmp_path / "c.json") == data
    assert gzip.decompress(raw).decode("utf-8").startswith('{"html"')
    write_json(tmp_path / "c.json.xz", data)
    raw = (tmp_path / "c.json.xz").read_bytes()
    assert lzma.decompress(raw).decode("utf-8").startswith('{"html"') and read_json(tmp_path / "c.json.xz") == data


def test_report_finds_one_capture_per_demarche(tmp_path):
    for d, names in {"a": ["capture.json.gz", "capture.json"], "b": ["capture.json"],
                     "c": ["capture.json", "capture.json.xz"]}.items():
        (tmp_path / d).mkdir()
        for n in names:
            (tmp_path / d / n).write_text("{}")
    assert [p.relative_to(tmp_path).as_posix() for p in _captures_in(tmp_path)] == ["a/capture.json.gz", "b/capture.json",
                                                                                 "c/capture.json.xz"]
    assert [p.name for p in _captures_in(tmp_path / "a")] == ["capture.json.gz"]


def test_an_unchanged_file_is_not_written_again(tmp_path):
    """A rescan restores an unchanged page's screenshot from the cache into the same report folder: same bytes, no new
    file (its inode and time stay); other bytes, or no file yet, are written atomically."""
    from auditor.fileio import write_bytes_if_changed

    path = tmp_path / "shots" / "page-1.png"
    assert write_bytes_if_changed(path, b"\x89PNG one")
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    assert not write_bytes_if_changed(path, b"\x89PNG one")
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (inode, mtime)
    assert write_bytes_if_changed(path, b"\x89PNG two")  # same size, other bytes
    assert path.read_bytes() == b"\x89PNG two" and path.stat().st_ino != inode
    assert write_bytes_if_changed(path, b"\x89PNG three, longer")
    assert path.read_bytes() == b"\x89PNG three, longer"
