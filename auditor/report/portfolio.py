"""Portfolio view of « Dites-le-nous une fois » across démarches (``reports/index.html``).

One scorecard says what one démarche asks; an administration deciding which
API to connect first needs the transverse view: which supporting documents
are requested most, by which démarches, which of them an administration can
already obtain itself (and through which API), and how many users a year
would stop having to upload them.

Pure function of scorecards (the ``dlnuf`` block and the pages' ``requests``
the dlnuf check fills), so it works offline on saved ``scorecard.json``
files and on scorecards of any age: missing fields count as unknown, never
as zero.  Users are weighted by ``annual_users`` from ``demarches.yaml``;
when a démarche does not give it, the view says so instead of guessing.
"""

from __future__ import annotations

from typing import Any


def _checked(card: dict[str, Any]) -> bool:
    dl = card.get("dlnuf")
    return isinstance(dl, dict) and dl.get("status", "checked") != "not_checked" and "requests" in dl


def _users(card: dict[str, Any]) -> int | None:
    n = card.get("annual_users")
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None


def _request_documents(r: dict[str, Any]) -> list[str]:
    """Every document one request point names ("Contrat de travail et
    bulletins de salaire" names two); unrecognised requests name none."""
    docs = [d for d in (r.get("documents") or []) if d]
    if not docs and r.get("document"):
        docs = [r["document"]]
    return list(dict.fromkeys(docs))


def dlnuf_portfolio(cards: list[dict[str, Any]], *, top: int = 10) -> dict[str, Any]:
    """Documents requested across the démarches, most requested first, and
    the already-held ones ranked by the users an API connection would spare.

    Returns plain data for ``index_sections/dlnuf.html.j2``:

    * ``documents``: one row per document (label, whether and by which API it
      is already held, the démarches asking it with their request count,
      whether it is repeated there, and the yearly users concerned);
    * ``apis``: the already-held documents ranked by yearly users concerned
      (known volumes only), then by number of démarches;
    * ``chart``: geometry of a bar chart of the first ``top`` of ``apis``;
    * totals, and the names of démarches not checked or without a volume.
    """
    checked = [c for c in cards if _checked(c)]
    not_checked = [c.get("name") or c.get("id") for c in cards if not _checked(c)]
    rows: dict[str, dict[str, Any]] = {}
    total_requests = total_avoidable = unmatched = generic = 0
    with_requests = 0

    for card in checked:
        dl = card["dlnuf"]
        labels = dl.get("labels") or {}
        users = _users(card)
        total_requests += int(dl.get("requests") or 0)
        total_avoidable += int(dl.get("score") or 0)
        unmatched += len(dl.get("unmatched") or [])
        generic += len(dl.get("generic") or [])
        repeated_docs = {f.get("document") for f in dl.get("repeated") or []}
        held = {f.get("document"): f for f in dl.get("already_held") or []}
        per_doc: dict[str, int] = {}
        for page in card.get("pages") or []:
            if page.get("kind") == "annex":
                continue
            for r in page.get("requests") or []:
                for doc in _request_documents(r):
                    per_doc[doc] = per_doc.get(doc, 0) + 1
        if per_doc:
            with_requests += 1
        for doc, n in per_doc.items():
            row = rows.setdefault(doc, {
                "document": doc, "label": None, "held": False, "source": None, "api": None,
                "administration": None, "demarches": [], "n_requests": 0, "repeated_in": 0,
                "users": 0, "users_unknown": 0,
            })
            if row["label"] is None and labels.get(doc):
                row["label"] = labels[doc]
            h = held.get(doc)
            if h is not None and not row["held"]:
                row.update(held=True, source=h.get("source"), api=h.get("api"),
                           administration=h.get("administration"))
                row["label"] = row["label"] or h.get("label")
            row["demarches"].append({
                "id": card.get("id"), "name": card.get("name") or card.get("id"), "requests": n,
                "repeated": doc in repeated_docs, "held": h is not None, "annual_users": users,
            })
            row["n_requests"] += n
            row["repeated_in"] += doc in repeated_docs
            if users is None:
                row["users_unknown"] += 1
            else:
                row["users"] += users

    documents = []
    for row in rows.values():
        row["label"] = row["label"] or row["document"]
        row["n_demarches"] = len(row["demarches"])
        row["demarches"].sort(key=lambda d: (-(d["annual_users"] or 0), str(d["name"])))
        # a volume is "known" only when every démarche asking the document gives one
        row["users_complete"] = row["users_unknown"] == 0
        documents.append(row)
    documents.sort(key=lambda r: (-r["n_demarches"], -r["n_requests"], r["label"]))

    apis = sorted((r for r in documents if r["held"]),
                  key=lambda r: (-r["users"], -r["n_demarches"], -r["n_requests"], r["label"]))
    for rank, r in enumerate(apis, 1):
        r["rank"] = rank

    users_known = any(_users(c) is not None for c in checked)
    no_volume = [c.get("name") or c.get("id") for c in checked if _users(c) is None]
    return {
        "checked": len(checked),
        "not_checked": not_checked,
        "with_requests": with_requests,
        "requests": total_requests,
        "avoidable": total_avoidable,
        "unmatched": unmatched,
        "generic": generic,
        "documents": documents,
        "apis": apis,
        "users_known": users_known,
        "no_volume": no_volume,
        "chart": _bar_chart(apis[:top], "users" if users_known else "n_demarches"),
        "chart_by": "users" if users_known else "demarches",
    }


def _shown_value(item: dict[str, Any], value: str) -> str:
    """The figure written at the end of a bar: a users count that misses
    some démarches is a minimum ("au moins"), one that misses all is unknown."""
    n = f"{int(item[value]):,}".replace(",", "\u202f")
    if value != "users" or not item.get("users_unknown"):
        return n
    return f"au moins {n}" if item[value] else "inconnu"


def _bar_chart(items: list[dict[str, Any]], value: str, *, width: int = 760, bar_h: int = 24, gap: int = 10,
               label_w: int = 320) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (the template draws the SVG);
    labels are cut in the picture, given whole in its text equivalent."""
    from ..render.charts import scale_bars, shorten

    bars = []
    for it, (y, w) in zip(items, scale_bars((it[value] for it in items), width - label_w - 110, bar_h + gap)):
        text = str(it["label"])
        bars.append({
            "y": y, "x": label_w, "w": round(w, 1), "ty": round(y + bar_h * 0.68, 1),
            "value": it[value], "text": shorten(text, 44), "full": text,
            "shown": _shown_value(it, value),
        })
    return {"width": width, "height": max(1, len(items) * (bar_h + gap) - gap), "bar_h": bar_h, "bars": bars}
