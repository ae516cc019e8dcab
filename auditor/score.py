"""Capture + check results → scorecard (the contract of ../spec/scorecard-json.md).

The scorecard is a plain JSON-ready dict: every renderer and exporter reads
only this.  Indicator levels follow the observatory ("Vos démarches
essentielles") with thresholds read from ``rules/indicators.yaml``.  A block
whose check did not run stays ``{"status": "not_checked"}`` and its indicator
``null``: never an invented value.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

from . import __version__
from .checks import run_checks
from .checks.axe_summary import rgaa_tests, wcag_criteria
from .checks.rgaa import french_help
from .model import SCHEMA_VERSION, AxeRuleResult, Capture, CheckResult, PageCapture
from .run.resume import config_digest
from .step_names import step_names

if TYPE_CHECKING:
    from .config import Rules

NOT_CHECKED: dict[str, Any] = {"status": "not_checked"}
INDICATORS = ("handicap", "dlnuf", "auth", "performance", "alternative", "online", "jdma", "pdf")
# indicator → the block whose ``level`` and ``reason`` it reports (checks/online.py, jdma.py, pdf_docs.py)
BLOCK_INDICATORS = {"online": ("online", "Réalisation en ligne non vérifiée."),
                    "jdma": ("jdma", "Bouton « Je donne mon avis » non vérifié."),
                    "pdf": ("documents", "Documents PDF non vérifiés.")}

DEFAULT_THRESHOLDS: dict[str, Any] = {
    "performance": {"optimal_below_ms": 400, "partiel_below_ms": 800},
    "dlnuf": {"optimal_max": 1, "partiel_max": 4},
    "handicap": {"oui_min_rate": 1.0, "partiel_min_rate": 0.5},
}


def format_target(target: list[Any]) -> str:
    """axe's target (a list of selectors, nested across iframes and shadow
    roots) as one readable string: frames joined by `` >> ``."""
    parts = []
    for t in target:
        parts.append(" >>> ".join(map(str, t)) if isinstance(t, list) else str(t))
    return " >> ".join(parts)


def violation_dict(v: AxeRuleResult, rules: "Rules | None") -> dict[str, Any]:
    return {
        "rule": v.rule,
        "impact": v.impact,
        "wcag": wcag_criteria(v),
        "rgaa": rgaa_tests(v, rules),
        "nodes": [
            {"target": format_target(n.target), "target_path": n.target, "html": n.html, "summary": n.summary,
             "box": n.box}
            for n in v.nodes
        ],
        "help": french_help(v.rule, rules) or v.help,  # rules/axe-fr.yaml, else axe's English
        "help_en": v.help,
        "help_url": v.help_url,
    }


def page_dict(page: PageCapture, rules: "Rules | None", name: str | None = None) -> dict[str, Any]:
    """One page of the scorecard; ``name``: what the step asks (step_names.py)
    when the auditor's script gave it none."""
    return {
        "url": page.url,
        "title": page.title,
        "name": page.name or name,
        "kind": page.kind,
        "index": page.index,
        "http_status": page.http_status,
        "load_ms": page.load_ms,
        "violations": [violation_dict(v, rules) for v in page.violations],
        "incomplete": len(page.incomplete),
        "incomplete_rules": [
            {"rule": v.rule, "impact": v.impact, "rgaa": rgaa_tests(v, rules), "nodes": len(v.nodes),
             "help": french_help(v.rule, rules) or v.help}
            for v in page.incomplete
        ],
        "axe_error": page.axe_error,
        "screenshot": page.screenshot,
        "screenshot_size": page.screenshot_size,
    }


def expect_missing(capture: Capture) -> list[str]:
    """Entries of ``expect`` (URL substrings or headings) that no step page reached."""
    missing = []
    steps = capture.step_pages()
    for want in capture.demarche.get("expect") or []:
        low = want.casefold()
        hit = any(
            want in p.url
            or low in p.title.casefold()
            or any(low in h.casefold() for h in p.headings)
            or (p.name or "").casefold() == low
            for p in steps
        )
        if not hit:
            missing.append(want)
    return missing


def _thresholds(rules: "Rules | None") -> dict[str, Any]:
    out = {k: dict(v) for k, v in DEFAULT_THRESHOLDS.items()}
    raw = rules.raw.get("indicators") if rules is not None else None
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(v, dict):
                out.setdefault(k, {}).update(v)
    return out


def dlnuf_level(score: int, requests: int, rules: "Rules | None") -> str:
    """Observatory DLNUF level: Optimal 0–1 avoidable request, Partiel 2–4,
    Faible 5 or more, Non applicable when nothing is requested (thresholds in
    rules/indicators.yaml).  Shared by crawled démarches and ``auditor catalogue``."""
    if not requests:
        return "Non applicable"
    t = _thresholds(rules)["dlnuf"]
    return "Optimal" if score <= t["optimal_max"] else "Partiel" if score <= t["partiel_max"] else "Faible"


def compute_indicators(card: dict[str, Any], rules: "Rules | None") -> dict[str, Any]:
    """Observatory levels, each with a one-sentence French reason."""
    th = _thresholds(rules)
    levels: dict[str, Any] = {}
    reasons: dict[str, str] = {}

    # performance: median load time of step pages (SPA states have none)
    times = [p["load_ms"] for p in card["pages"] if p["kind"] == "step" and p["load_ms"] is not None]
    if times:
        med = statistics.median(times)
        t = th["performance"]
        if med < t["optimal_below_ms"]:
            levels["performance"] = "Optimal"
        elif med < t["partiel_below_ms"]:
            levels["performance"] = "Partiel"
        else:
            levels["performance"] = "Faible"
        reasons["performance"] = (
            f"Temps de chargement médian des étapes : {round(med)} ms "
            f"(optimal sous {t['optimal_below_ms']} ms, partiel sous {t['partiel_below_ms']} ms)."
        )
    else:
        levels["performance"] = None
        reasons["performance"] = "Aucun temps de chargement mesuré."

    # handicap: the rate published in a valid déclaration d'accessibilité
    acc = card.get("accessibility") or {}
    if "declared_rate" in acc:
        rate, valid = acc.get("declared_rate"), acc.get("declaration_valid")
        t = th["handicap"]
        if rate is None or not valid:
            levels["handicap"] = "Non"
            reasons["handicap"] = (
                "Aucune déclaration d'accessibilité valide (moins de 3 ans) avec un taux de conformité publié."
            )
        else:
            levels["handicap"] = (
                "Oui" if rate >= t["oui_min_rate"] else "Partiel" if rate >= t["partiel_min_rate"] else "Non"
            )
            reasons["handicap"] = f"Taux de conformité RGAA publié : {round(rate * 100)} %."
    else:
        levels["handicap"] = None
        reasons["handicap"] = "Déclaration d'accessibilité non vérifiée."

    # dlnuf: avoidable document requests
    dl = card.get("dlnuf") or {}
    if dl.get("status", "checked") != "not_checked" and "score" in dl:
        t = th["dlnuf"]
        if not dl.get("requests"):
            levels["dlnuf"] = "Non applicable"
            reasons["dlnuf"] = "Aucune pièce justificative demandée sur les étapes parcourues."
        else:
            s = int(dl["score"])
            levels["dlnuf"] = dlnuf_level(s, int(dl["requests"]), rules)
            reasons["dlnuf"] = f"{s} demande(s) de pièce évitable(s) sur {dl['requests']}."
    else:
        levels["dlnuf"] = None
        reasons["dlnuf"] = "« Dites-le-nous une fois » non vérifié."

    # auth: FranceConnect offered
    auth = card.get("auth") or {}
    if auth.get("status", "checked") != "not_checked" and "level" in auth:
        levels["auth"] = auth["level"]
        reasons["auth"] = auth.get("reason") or ""
    else:
        levels["auth"] = None
        reasons["auth"] = "Identification non vérifiée."

    # alternative: a non-digital channel
    alt = card.get("alternatives") or {}
    if alt.get("status", "checked") != "not_checked" and "phone" in alt:
        phone, person = alt.get("phone") or {}, alt.get("in_person") or {}
        if (phone.get("found") and not phone.get("premium")) or person.get("found"):
            levels["alternative"] = "Oui"
        elif phone.get("found") or (alt.get("callback") or {}).get("found") or (alt.get("postal") or {}).get("found"):
            levels["alternative"] = "Partiel"
        else:
            levels["alternative"] = "Non"
        reasons["alternative"] = alternative_reason(alt, levels["alternative"])
    else:
        levels["alternative"] = None
        reasons["alternative"] = "Alternatives non numériques non vérifiées."

    # done online, the « Je donne mon avis » button, accessible PDFs: the check sets the level
    for name, (key, missing) in BLOCK_INDICATORS.items():
        block = card.get(key) or {}
        if block.get("status", "checked") != "not_checked" and block.get("level"):
            levels[name] = block["level"]
            reasons[name] = block.get("reason") or ""
        else:
            levels[name] = None
            reasons[name] = block.get("reason") or missing

    out: dict[str, Any] = {k: levels.get(k) for k in INDICATORS}
    out["reasons"] = reasons
    return out


def alternative_reason(alt: dict[str, Any], level: str) -> str:
    """One French sentence saying which non-digital channels were found (and
    the number when there is one), so the level needs no further reading."""
    phone = alt.get("phone") or {}
    found = lambda key: bool((alt.get(key) or {}).get("found"))  # noqa: E731
    lines = phone.get("lines") or []
    free_lines = [ln.get("national") or ln.get("number") for ln in lines if ln.get("tariff") != "premium"]
    premium_lines = [ln.get("national") or ln.get("number") for ln in lines if ln.get("tariff") == "premium"]
    if level == "Oui":
        parts = []
        if phone.get("found") and not phone.get("premium"):
            parts.append("ligne téléphonique non surtaxée" + (f" ({', '.join(free_lines[:2])})" if free_lines else ""))
        if found("in_person"):
            parts.append("accueil physique")
        return "Proposé : " + " et ".join(parts) + "."
    if level == "Partiel":
        parts = []
        if phone.get("found"):
            parts.append("une ligne surtaxée" + (f" ({', '.join(premium_lines[:2])})" if premium_lines else ""))
        if found("callback"):
            parts.append("un rappel par un conseiller")
        if found("postal"):
            parts.append("la voie postale")
        return "Seulement " + ", ".join(parts) + " : ni ligne non surtaxée ni accueil physique."
    out = "Aucun téléphone ni accueil physique trouvé sur les pages parcourues"
    if phone.get("unreadable"):
        out += " (un numéro affiché en image, sans texte, n'est pas lisible)"
    if found("contact_form"):
        out += " ; un formulaire de contact seul ne suffit pas"
    return out + "."


def build_scorecard(capture: Capture, rules: "Rules") -> dict[str, Any]:
    """The whole scorecard of one démarche, from its capture alone."""
    results, check_errors = run_checks(capture, rules)
    names = step_names(capture.pages)
    d = capture.demarche
    card: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": d["id"],
        "name": d.get("name"),
        "url": d.get("url"),
        "administration": d.get("administration"),
        "annual_users": d.get("annual_users"),
        "ref": d.get("ref"),  # the observatory's reference (Ref_Demarche), when demarches.yaml gives it
        "essential": (d.get("annual_users") or 0) > 200_000,
        "scanned_at": capture.scanned_at,
        "tool": {**capture.tool, "version": capture.tool.get("version", __version__), "rules": rules.digest,
                 **({"rules_overridden": list(rules.overridden)} if rules.overridden else {})},
        "status": capture.status,
        "status_reason": capture.status_reason,
        "errors": [e.to_dict() for e in capture.errors] + [e.to_dict() for e in check_errors],
        "stopped_before": capture.stopped_before,
        "robots": capture.robots,  # what robots.txt said of the start address (None: not read)
        "duration_ms": capture.duration_ms,
        "expect_missing": expect_missing(capture),
        "blocked_requests": list(capture.blocked_requests),
        "config_digest": config_digest(capture.demarche, rules.digest, capture.scan_options),
        "pages": [page_dict(p, rules, names.get(p.index)) for p in capture.pages],
        "accessibility": dict(NOT_CHECKED),
        "dlnuf": dict(NOT_CHECKED),
        "alternatives": dict(NOT_CHECKED),
        "auth": dict(NOT_CHECKED),
        "online": dict(NOT_CHECKED),
        "jdma": dict(NOT_CHECKED),
        "documents": dict(NOT_CHECKED),
    }
    by_index = {p["index"]: p for p in card["pages"]}
    for res in _merge(results):
        card[res.key] = {"status": "checked", **res.block}
        for idx, fields in res.page_fields.items():
            if idx in by_index:
                by_index[idx].update(fields)
    if card["expect_missing"] and card["status"] == "complete":
        card["status"] = "partial"
        card["status_reason"] = "Étapes attendues non atteintes : " + ", ".join(card["expect_missing"]) + "."
    card["indicators"] = compute_indicators(card, rules)
    return card


def _merge(results: list[CheckResult]) -> list[CheckResult]:
    merged: dict[str, CheckResult] = {}
    for r in results:
        if r.key in merged:
            m = merged[r.key]
            m.block.update(r.block)
            for idx, f in r.page_fields.items():
                m.page_fields.setdefault(idx, {}).update(f)
        else:
            merged[r.key] = CheckResult(key=r.key, block=dict(r.block), page_fields={k: dict(v) for k, v in r.page_fields.items()})
    return list(merged.values())
