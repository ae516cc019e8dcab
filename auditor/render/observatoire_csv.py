"""``reports/observatoire.csv``: one row per démarche, with the column names of
the observatory « Vos démarches essentielles » first, so an editor can paste
or import it as is, then our own columns, all prefixed ``Auditor_``.

A value the scan could not establish (block not checked, no déclaration, no
load time) is an empty cell, never a guess.  Cells are neutralised against
spreadsheet formula injection by ``auditor.report.csvsafe``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from ..checks import metas
from ..report.csvsafe import write_csv
from ..report.findings import is_checked
from ..model import ExportContext

FORMAT = "csv"
FILENAME = "observatoire.csv"

OBSERVATORY_COLUMNS = [
    "Ref_Demarche", "Nom_Demarche", "URL_Demarche", "Nom_Administration", "Volumetrie_En_Ligne",
    "Taux_RGAA_Publie", "Score_DLNUF", "FranceConnect", "Dashlord_UpDown_Tps_Moy_Chargement",
    "Statut_En_ligne", "Ajout_Bouton_JDMA",
]
PREFIX = "Auditor_"
OWN_COLUMNS = [
    "Date_Analyse", "Statut_Parcours", "Raison_Statut", "Etapes", "Pages_Annexes",
    "Niveau_Handicap", "Niveau_DLNUF", "Niveau_Performance", "Niveau_Alternative",
    "Telephone", "Telephone_Surtaxe", "Telephone_Horaires", "Accueil_Physique", "Rendez_Vous", "Rappel",
    "Formulaire_Contact",
    "Anomalies_Axe", "Elements_En_Anomalie", "Regles_Axe_En_Echec", "Criteres_RGAA_En_Echec",
    "Mention_Accessibilite", "Declaration_Accessibilite", "Declaration_Date", "Declaration_Valide",
    "DLNUF_Demandes", "DLNUF_Repetees", "DLNUF_Deja_Detenues",
    "Niveau_En_Ligne", "Niveau_JDMA", "JDMA_Identifiant", "Niveau_PDF", "Documents_Lies", "PDF_Analyses",
    "PDF_Constats", "Fiche",
]
COLUMNS = OBSERVATORY_COLUMNS + [PREFIX + c for c in OWN_COLUMNS]

STATUS_FR = {"complete": "complet", "partial": "partiel", "failed": "échec"}


def _national(number: str) -> str:
    """``+33 1 40 00 00 00`` → ``01 40 00 00 00``: how French editors write
    it, and it does not start with ``+`` (which would need neutralising)."""
    return re.sub(r"^\+33\s*\(?0?\)?\s*(\d)", r"0\1", number.strip())


def _found(block: Any, key: str) -> bool | None:
    if not is_checked(block):
        return None
    sub = block.get(key)
    if not isinstance(sub, dict) or "found" not in sub:
        return None
    return bool(sub["found"])


# the observatory's choices; « À vérifier » (walk not far enough) stays an empty cell there
ONLINE_VALUES = ("Oui", "Partiel", "Non")


def _jdma_column(level: Any) -> str | None:
    """``Ajout_Bouton_JDMA``: Oui only when the button is where the observatory
    wants it (end of the journey); a button elsewhere is not that."""
    if level == "Oui":
        return "Oui"
    if level in ("Partiel", "Non"):
        return "Non"
    return None


def row(card: dict[str, Any]) -> list[Any]:
    acc = card.get("accessibility") if is_checked(card.get("accessibility")) else {}
    dl = card.get("dlnuf") if is_checked(card.get("dlnuf")) else {}
    alt = card.get("alternatives")
    alt_ok = is_checked(alt)
    phone = (alt.get("phone") or {}) if alt_ok else {}
    ind = card.get("indicators") or {}
    jd = card.get("jdma") if is_checked(card.get("jdma")) else {}
    docs = card.get("documents") if is_checked(card.get("documents")) else {}
    pages = card.get("pages") or []
    steps = [p for p in pages if p.get("kind") == "step"]
    times = [p["load_ms"] for p in steps if isinstance(p.get("load_ms"), (int, float))]

    rate = acc.get("declared_rate")
    score = dl.get("score")
    return [
        card.get("ref") or card.get("id"),
        card.get("name"),
        card.get("url"),
        card.get("administration"),
        card.get("annual_users"),
        float(rate) if isinstance(rate, (int, float)) and not isinstance(rate, bool) else None,
        int(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
        ind.get("auth"),
        round(sum(times) / len(times)) if times else None,
        ind.get("online") if ind.get("online") in ONLINE_VALUES else None,
        _jdma_column(ind.get("jdma")),
        # our own columns
        card.get("scanned_at"),
        STATUS_FR.get(card.get("status"), card.get("status")),
        card.get("status_reason"),
        len(steps),
        len(pages) - len(steps),
        ind.get("handicap"),
        ind.get("dlnuf"),
        ind.get("performance"),
        ind.get("alternative"),
        " ; ".join(_national(str(n)) for n in phone.get("numbers") or []) if alt_ok and "phone" in alt else None,
        (bool(phone.get("premium")) if phone.get("found") else None) if alt_ok else None,
        phone.get("hours") if alt_ok else None,
        _found(alt, "in_person"),
        _found(alt, "appointment"),
        _found(alt, "callback"),
        _found(alt, "contact_form"),
        acc.get("violations"),
        acc.get("violation_nodes"),
        " ".join(acc.get("rules_failed") or []) if "rules_failed" in acc else None,
        " ".join(acc.get("rgaa_criteria_failed") or []) if "rgaa_criteria_failed" in acc else None,
        acc.get("mention"),
        acc.get("declaration_url"),
        acc.get("declaration_date"),
        acc.get("declaration_valid") if "declaration_valid" in acc else None,
        dl.get("requests"),
        len(dl.get("repeated") or []) if "repeated" in dl else None,
        len(dl.get("already_held") or []) if "already_held" in dl else None,
        ind.get("online"),
        ind.get("jdma"),
        (" ".join(jd.get("procedure_ids") or []) or None) if jd else None,
        ind.get("pdf"),
        len(docs.get("documents") or []) if docs else None,
        docs.get("analysed") if docs else None,
        docs.get("findings_fail") if docs and docs.get("level") not in (None, "À vérifier") else None,
        f"{card.get('id')}/scorecard.html",
    ]


def extra_columns(card: dict[str, Any]) -> list[Any]:
    """A check that asks for a CSV column (``CheckMeta.csv_column``) gets the
    number of its failing findings there; empty when it did not run."""
    out: list[Any] = []
    for meta in metas():
        if meta.csv_column:
            ok = is_checked(card.get(meta.block)) and card.get("status") != "failed"
            out.append(sum(1 for f in meta.findings(card) if f.status == "fail") if ok else None)
    return out


def columns() -> list[str]:
    """The observatory's columns, ours, then those the checks ask for."""
    return COLUMNS + [PREFIX + m.csv_column for m in metas() if m.csv_column]


def write(cards: Sequence[dict[str, Any]], out_dir: Path, ctx: ExportContext) -> Path:
    rows = [row(c) + extra_columns(c) for c in sorted(cards, key=lambda c: str(c.get("id")))]
    return write_csv(out_dir / FILENAME, columns(), rows)
