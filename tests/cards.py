"""Synthetic scorecards following the contract (auditor/schemas/scorecard.schema.json, docs/exports.md),
for the tests of CI outputs: every writer reads only scorecards, so these
are all it needs."""

from __future__ import annotations

import copy
from typing import Any

REASONS = {k: f"raison {k}" for k in ("handicap", "dlnuf", "auth", "performance", "alternative")}


def violation(rule: str, impact: str, *nodes: tuple[str, str]) -> dict[str, Any]:
    return {"rule": rule, "impact": impact, "wcag": ["1.1.1"], "rgaa": ["1.1.1"],
            "help": f"Aide {rule}", "help_url": f"https://dequeuniversity.com/rules/axe/4.10/{rule}",
            "nodes": [{"target": t, "html": h} for t, h in nodes]}


def page(index: int, url: str, violations: list[dict[str, Any]] | None = None, kind: str = "step",
         load_ms: int | None = 300) -> dict[str, Any]:
    return {"url": url, "title": f"Page {index}", "name": None, "kind": kind, "index": index, "load_ms": load_ms,
            "violations": violations or [], "incomplete": 0, "axe_error": None, "screenshot": None}


def full_card(did: str = "carte-identite", host: str = "https://www.example.gouv.fr", **over: Any) -> dict[str, Any]:
    """A démarche with every block filled (as the checks on main and in
    progress fill them)."""
    card: dict[str, Any] = {
        "schema_version": 1, "id": did, "name": "Demande de carte d'identité", "url": f"{host}/cni/",
        "administration": "ANTS", "annual_users": 4500000, "essential": True,
        "scanned_at": "2026-11-27T10:00:00Z", "duration_ms": 12000,
        "tool": {"version": "0.1.0", "axe_version": "4.12.1", "browser": "Chromium 140"},
        "status": "complete", "status_reason": None, "errors": [], "stopped_before": None, "expect_missing": [],
        "pages": [
            page(1, f"{host}/cni/", []),
            page(2, f"{host}/cni/etape-2.html", [
                violation("image-alt", "critical", ("#main > div:nth-child(2) > img", '<img src="/s/logo.png">')),
                violation("label", "serious", ("#nom", '<input id="nom" name="nom" type="text">')),
            ], load_ms=500),
            page(3, f"{host}/cni/etape-3.html", [
                violation("color-contrast", "moderate", (".aide", '<p class="aide">Texte pâle</p>')),
                violation("region", "minor", ("footer", "<footer>Pied</footer>")),
            ], load_ms=700),
            page(4, f"{host}/contact.html", [], kind="annex", load_ms=100),
        ],
        "accessibility": {"status": "checked", "violations": 4, "violation_nodes": 4,
                          "rules_failed": ["color-contrast", "image-alt", "label", "region"],
                          "rgaa_criteria_failed": ["1.1", "3.2", "11.1"], "mention": "absente", "mention_pages": 0,
                          "declaration_url": None, "declared_rate": None, "declaration_date": None,
                          "declaration_valid": False},
        "dlnuf": {"status": "checked", "requests": 3,
                  "repeated": [{"document": "justificatif-domicile", "requests": [
                      {"url": f"{host}/cni/etape-2.html", "label": "Justificatif de domicile"},
                      {"url": f"{host}/cni/etape-3.html", "label": "Justificatif de domicile (copie)"}]}],
                  "already_held": [{"document": "avis-imposition", "source": "API Impôt particulier (DGFiP)",
                                    "requests": [{"url": f"{host}/cni/etape-3.html", "label": "Avis d'imposition"}]}],
                  "score": 2},
        "alternatives": {"status": "checked",
                         "phone": {"found": False, "numbers": [], "premium": False, "hours": None, "evidence": []},
                         "in_person": {"found": False, "evidence": []},
                         "appointment": {"found": False, "evidence": []},
                         "callback": {"found": False, "evidence": []},
                         "contact_form": {"found": True, "evidence": []}},
        "auth": {"status": "checked", "level": "Non", "reason": "Pas de FranceConnect."},
        "indicators": {"handicap": "Non", "dlnuf": "Partiel", "auth": "Non", "performance": "Partiel",
                       "alternative": "Non", "reasons": dict(REASONS)},
    }
    card.update(copy.deepcopy(over))
    return card


def bare_card(did: str = "voirie", **over: Any) -> dict[str, Any]:
    """A démarche where only axe ran: every other block not checked."""
    card = full_card(did)
    card.update({"accessibility": {"status": "checked", "violations": 0, "rules_failed": [],
                                   "rgaa_criteria_failed": []},
                 "dlnuf": {"status": "not_checked"}, "alternatives": {"status": "not_checked"},
                 "auth": {"status": "not_checked"},
                 "indicators": {"handicap": None, "dlnuf": None, "auth": None, "performance": "Optimal",
                                "alternative": None, "reasons": dict(REASONS)},
                 "pages": [page(1, "https://voirie.example.fr/", [])]})
    card.update(copy.deepcopy(over))
    return card
