"""Streaming reader for démarches-simplifiées form descriptions.

Two inputs, one output shape (:class:`Procedure`):

* the snapshot format (one procedure per line, ``champs`` with ``type``
  without its ``ChampDescriptor`` suffix, ``ref`` positions, ``champs`` for
  ``Repetition`` children), gzipped or not;
* the official dataset's JSON (a top-level array, or concatenated objects) of
  procedures with ``revision.champDescriptors``, ``__typename`` and nested
  ``champDescriptors``; refs are computed the snapshot's way ("12", "12.3").

Memory stays flat: objects are decoded one by one from a sliding text
buffer, never the whole file.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, TextIO

_CHUNK = 1 << 20
_WS = " \t\r\n"


@dataclass
class Champ:
    ref: str
    type: str
    label: str
    description: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    champs: list["Champ"] = field(default_factory=list)


@dataclass
class Procedure:
    number: int | None
    title: str
    organisme: str | None
    dossiers_count: int
    url: str | None
    champs: list[Champ]
    date_publication: str | None = None


def open_text(path: str | Path) -> TextIO:
    """Text stream of a file, transparently gunzipped (by magic bytes, not name)."""
    path = Path(path)
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open("r", encoding="utf-8")


def iter_json_values(stream: TextIO) -> Iterator[Any]:
    """Decode JSON values one at a time from JSON lines, concatenated objects
    or one top-level array of objects, reading ``_CHUNK`` characters at a time."""
    dec = json.JSONDecoder()
    buf = ""
    pos = 0
    eof = False
    in_array = None  # unknown until the first significant character

    def fill() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        data = stream.read(_CHUNK)
        if not data:
            eof = True
            return False
        buf = buf[pos:] + data
        pos = 0
        return True

    while True:
        while pos < len(buf) and buf[pos] in _WS + ",":
            pos += 1
        if pos >= len(buf):
            if not fill():
                return
            continue
        ch = buf[pos]
        if in_array is None:
            in_array = ch == "["
            if in_array:
                pos += 1
                continue
        if ch == "]" and in_array:
            pos += 1
            continue
        try:
            value, end = dec.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            if not fill():
                raise ValueError(f"JSON invalide vers le caractère {exc.pos} : {exc.msg}") from None
            continue
        if end == len(buf) and not eof and not isinstance(value, (dict, list)):
            # a number cut by the chunk boundary: read on before trusting it
            if fill():
                continue
        pos = end
        yield value


def _snapshot_champ(d: dict[str, Any]) -> Champ:
    return Champ(
        ref=str(d.get("ref", "")),
        type=str(d.get("type") or ""),
        label=str(d.get("label") or ""),
        description=str(d.get("description") or ""),
        required=bool(d.get("required")),
        options=[str(o) for o in d.get("options") or []],
        champs=[_snapshot_champ(c) for c in d.get("champs") or []],
    )


def _official_champs(items: list[dict[str, Any]], prefix: str = "") -> list[Champ]:
    out = []
    for i, d in enumerate(items or []):
        typename = str(d.get("__typename") or d.get("type") or "")
        if typename.endswith("ChampDescriptor"):
            typename = typename[: -len("ChampDescriptor")]
        ref = f"{prefix}{i}"
        children = d.get("champDescriptors") or d.get("champs") or []
        out.append(Champ(
            ref=ref, type=typename, label=str(d.get("label") or ""),
            description=str(d.get("description") or ""), required=bool(d.get("required")),
            options=[str(o) for o in d.get("options") or []],
            champs=_official_champs(children, f"{ref}.") if children else [],
        ))
    return out


def to_procedure(obj: dict[str, Any]) -> Procedure:
    """One record of either format."""
    if "revision" in obj or "champDescriptors" in obj:
        rev = obj.get("revision") or {}
        champs = _official_champs(rev.get("champDescriptors") or obj.get("champDescriptors") or [])
        service = obj.get("service") or {}
        organisme = service.get("organisme") if isinstance(service, dict) else None
        url = obj.get("demarcheUrl") or obj.get("url")
    else:
        champs = [_snapshot_champ(c) for c in obj.get("champs") or []]
        organisme = obj.get("organisme")
        url = obj.get("url")
    return Procedure(
        number=obj.get("number"),
        title=str(obj.get("title") or ""),
        organisme=organisme,
        dossiers_count=int(obj.get("dossiersCount") or 0),
        url=url,
        champs=champs,
        date_publication=obj.get("datePublication"),
    )


def iter_procedures(path: str | Path) -> Iterator[Procedure]:
    """Every procedure of a catalogue file, streamed."""
    with open_text(path) as stream:
        for value in iter_json_values(stream):
            if isinstance(value, dict) and isinstance(value.get("demarches"), list):
                for v in value["demarches"]:  # a wrapped export: {"demarches": [...]}
                    yield to_procedure(v)
            elif isinstance(value, dict):
                yield to_procedure(value)
            elif isinstance(value, list):  # a nested array
                for v in value:
                    if isinstance(v, dict):
                        yield to_procedure(v)
