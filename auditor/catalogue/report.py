"""Run the catalogue audit and write ``findings.jsonl``, ``documents.csv``, ``index.html``.

Procedures are analysed in worker processes (one per core by default, each
with its own compiled taxonomy and caches) in ordered batches, so the output
follows the input order and memory stays flat: the main process only keeps
running totals (per document, per organisme, the top procedures).
"""

from __future__ import annotations

import heapq
import io
import json
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..config import load_rules
from ..documents import normalise, taxonomy_from
from ..fileio import atomic_open, write_text
from .analyse import analyse_procedure
from .reader import iter_json_values, open_text, to_procedure

BATCH = 250
TOP = 30

# figures published by the 2024 démarches-simplifiées data hackathon (regular
# expressions over labels and descriptions of the same dataset)
HACKATHON = {
    "piece-identite": (3871, 3_669_474, "(pi[eè]ce|carte).+?identit[eé]"),
    "justificatif-domicile": (1792, 1_748_133, "justificatif.+domicile"),
    "quittance-loyer": (718, 1_058_146, "quittance.+loyer"),
    "extrait-kbis": (524, 116_899, "(^|\\s)kbis(\\s|$)"),
    "certificat-scolarite": (591, 273_635, "certificat.+scolarit[ée]"),
    "rib+iban": (784, 135_119, "RIB en pièce jointe et IBAN saisi"),
}

# --------------------------------------------------------------------------- workers

_W: dict[str, Any] = {}


def _init_worker(rules_dir: str | None) -> None:
    rules = load_rules(rules_dir)
    _W["rules"] = rules
    _W["tax"] = taxonomy_from(rules)


def _work(batch: list[Any]) -> list[dict[str, Any]]:
    out = []
    for item in batch:
        obj = json.loads(item) if isinstance(item, str) else item
        if not isinstance(obj, dict):
            continue
        line, _ = analyse_procedure(to_procedure(obj), _W["tax"], _W["rules"])
        out.append(line)
    return out


def _raw_items(path: Path) -> Iterator[Any]:
    """JSON lines are passed as text (parsed in the workers); any other layout
    (the official dataset's array) is decoded here, object by object."""
    with open_text(path) as stream:
        first = stream.readline()
        stripped = first.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            try:
                json.loads(stripped)
                is_lines = True
            except ValueError:
                is_lines = False
        else:
            is_lines = False
        if is_lines:
            yield stripped
            for line in stream:
                line = line.strip()
                if line:
                    yield line
            return
        rest = io.StringIO(first)

        class _Chain(io.TextIOBase):
            def read(self, n: int = -1) -> str:  # first line, then the stream
                data = rest.read(n)
                return data if data else stream.read(n)

        for value in iter_json_values(_Chain()):
            if isinstance(value, dict) and isinstance(value.get("demarches"), list):
                yield from value["demarches"]
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, dict))
            else:
                yield value


def _batches(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def iter_findings(path: str | Path, rules_dir: str | Path | None = None, workers: int | None = None) -> Iterator[dict[str, Any]]:
    """Findings of every procedure of a catalogue file, in input order."""
    path = Path(path)
    workers = workers if workers is not None else max(1, min(os.cpu_count() or 1, 4))
    rd = str(rules_dir) if rules_dir else None
    if workers <= 1:
        _init_worker(rd)
        for b in _batches(_raw_items(path), BATCH):
            yield from _work(b)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(rd,)) as ex:
        pending: list[Any] = []
        for b in _batches(_raw_items(path), BATCH):
            pending.append(ex.submit(_work, b))
            if len(pending) >= workers * 3:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()


# ------------------------------------------------------------------------- totals


@dataclass
class DocStats:
    procedures: int = 0
    dossiers: int = 0
    requests: int = 0
    repeated_procedures: int = 0
    top: list[tuple[int, int, str]] = field(default_factory=list)  # heap of (dossiers, number, title)


@dataclass
class Totals:
    procedures: int = 0
    dossiers: int = 0
    with_requests: int = 0
    requests: int = 0
    matched: int = 0
    generic: int = 0
    held_requests: int = 0
    held_procedures: int = 0
    held_dossiers: int = 0
    held_spared: int = 0  # Σ dossiers × already-held requests: uploads an API connection would spare
    avoidable: int = 0
    avoidable_weighted: int = 0
    repeated_procedures: int = 0
    repeated_dossiers: int = 0
    review_procedures: int = 0  # procedures whose only pairs are for review: two fields the form does not tell apart
    typed_procedures: Counter = field(default_factory=Counter)
    typed_dossiers: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    level_dossiers: Counter = field(default_factory=Counter)
    docs: dict[str, DocStats] = field(default_factory=dict)
    organismes: dict[str, list[int]] = field(default_factory=dict)  # procs, dossiers, avoidable, weighted, requests
    top_procedures: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)
    unmatched: Counter = field(default_factory=Counter)

    def add(self, line: dict[str, Any]) -> None:
        n = int(line.get("dossiersCount") or 0)
        number = int(line.get("number") or 0)
        self.procedures += 1
        self.dossiers += n
        reqs = line["requests"]
        if reqs:
            self.with_requests += 1
        self.requests += sum(1 for r in reqs if not r.get("from_help"))  # upload champs
        seen: set[str] = set()
        for r in reqs:
            docs = r.get("documents") or ([r["document"]] if r["document"] else [])
            if r.get("from_help"):
                pass  # a piece a block's help asks for: counted with its document, not as a champ read
            elif docs:
                self.matched += 1
            elif r.get("generic"):
                self.generic += 1
            else:
                self.unmatched[normalise(r["label"])[:120]] += 1
            keys = list(docs) + ([r["variant"]] if r.get("variant") else []) + list(r.get("variants") or [])
            for d in keys:
                st = self.docs.setdefault(d, DocStats())
                st.requests += 1
                if d not in seen:
                    seen.add(d)
                    st.procedures += 1
                    st.dossiers += n
                    item = (n, number, line.get("title") or "")
                    if len(st.top) < 10:
                        heapq.heappush(st.top, item)
                    else:
                        heapq.heappushpop(st.top, item)
        for rep in line["repeated"]:
            self.docs.setdefault(rep["document"], DocStats()).repeated_procedures += 1
        if line["repeated"]:
            self.repeated_procedures += 1
            self.repeated_dossiers += n
        elif line.get("review"):
            self.review_procedures += 1
        held = sum(len(h["refs"]) for h in line["already_held"])
        if held:
            self.held_requests += held
            self.held_procedures += 1
            self.held_dossiers += n
            self.held_spared += held * n
        for d in {t["document"] for t in line["typed_and_uploaded"]}:
            self.typed_procedures[d] += 1
            self.typed_dossiers[d] += n
        s = int(line["score"])
        self.avoidable += s
        self.avoidable_weighted += s * n
        self.levels[line["level"]] += 1
        self.level_dossiers[line["level"]] += n
        org = line.get("organisme") or "(organisme non renseigné)"
        o = self.organismes.setdefault(org, [0, 0, 0, 0, 0])
        o[0] += 1
        o[1] += n
        o[2] += s
        o[3] += s * n
        o[4] += len(reqs)
        if s:
            summary = {"number": line["number"], "title": line["title"], "organisme": line.get("organisme"),
                       "dossiersCount": n, "score": s, "level": line["level"], "url": line.get("url"),
                       "requests": len(reqs),
                       "repeated": [x["document"] for x in line["repeated"]],
                       "already_held": [x["document"] for x in line["already_held"]],
                       "typed_and_uploaded": [x["document"] for x in line["typed_and_uploaded"]]}
            item = (s * n, -number, summary)
            if len(self.top_procedures) < TOP:
                heapq.heappush(self.top_procedures, item)
            elif item[:2] > self.top_procedures[0][:2]:
                heapq.heapreplace(self.top_procedures, item)


# ------------------------------------------------------------------------- writers


def run_catalogue(path: str | Path, out_dir: str | Path, rules_dir: str | Path | None = None,
                  workers: int | None = None) -> dict[str, Any]:
    """Analyse a catalogue file and write the three outputs; returns a summary."""
    t0 = time.monotonic()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rules = load_rules(rules_dir)
    tax = taxonomy_from(rules)
    totals = Totals()
    with atomic_open(out / "findings.jsonl") as fh:  # streamed, appears whole
        for line in iter_findings(path, rules_dir, workers):
            totals.add(line)
            fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    elapsed = time.monotonic() - t0
    write_documents_csv(totals, tax, out / "documents.csv")
    from .html import render_catalogue

    write_text(out / "index.html", render_catalogue(totals, tax, source=Path(path).name, elapsed=elapsed))
    return {"procedures": totals.procedures, "requests": totals.requests, "seconds": round(elapsed, 1),
            "repeated_procedures": totals.repeated_procedures, "review_procedures": totals.review_procedures,
            "held_procedures": totals.held_procedures}


def document_rows(totals: Totals, tax: Any) -> list[dict[str, Any]]:
    """One row per document and variant, most requested (by applications) first."""
    rows = []
    for ident, st in totals.docs.items():
        parent = tax.variant_parent.get(ident)
        entry = tax.documents.get(parent or ident)
        rows.append({
            "id": ident,
            "label": tax.labels.get(ident, ident),
            "parent": parent or "",
            "category": entry.category if entry else "",
            "procedures": st.procedures,
            "dossiers": st.dossiers,
            "requests": st.requests,
            "repeated_procedures": st.repeated_procedures,
            "source": (tax.source_text(parent or ident) or "") if entry else "",
            "top": sorted(st.top, reverse=True),
        })
    rows.sort(key=lambda r: (-r["dossiers"], -r["procedures"], r["id"]))
    return rows


def write_documents_csv(totals: Totals, tax: Any, path: Path) -> None:
    """Procedure titles come from the catalogue: written through ``auditor.report.csvsafe``
    (formula-injection safe, UTF-8 with BOM for spreadsheets)."""
    from ..report.csvsafe import write_csv

    write_csv(path, ["document", "libelle", "variante_de", "categorie", "demarches", "dossiers", "demandes",
                     "demarches_avec_repetition", "source_api", "demarches_principales"],
              ([r["id"], r["label"], r["parent"], r["category"], r["procedures"], r["dossiers"],
                r["requests"], r["repeated_procedures"], r["source"],
                " ; ".join(f"n° {num} {title} ({n} dossiers)" for n, num, title in r["top"][:5])]
               for r in document_rows(totals, tax)))
