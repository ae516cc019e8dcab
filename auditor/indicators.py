"""The observatory's indicators and every scale of levels: the only definition.

Why one module: the indicators' names, French labels, scales, thresholds and
computation were spread over the scorer, the findings, the HTML and Markdown
writers; two tables of axe impacts in French disagreed.  Everything that names
an indicator or a level reads it here.  Pure: a scorecard (or a block) and the
rules in, levels out.

Three orders are kept on purpose, each the one its output has always used:
``INDICATORS`` is the scorecard's (the contract), ``INDICATOR_SCALES`` the
findings', JUnit's and Markdown's, ``DISPLAY_ORDER`` the HTML report's.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from .config import Rules


@dataclass(frozen=True)
class Indicator:
    """One observatory indicator: key, labels and its levels from best to worst."""

    key: str
    title: str  # a heading in the HTML report (« Accessibilité (handicap) »)
    short: str  # a column of the Markdown summary (« Handicap »)
    phrase: str  # inside a French sentence (« indicateur accessibilité (handicap) »)
    scale: tuple[str, ...]  # best first; a gate "key=Level" fails on Level or worse
    missing: str  # the reason when the indicator could not be computed


# In the order of INDICATOR_SCALES (findings, JUnit, Markdown).
TABLE: tuple[Indicator, ...] = (
    Indicator("handicap", "Accessibilité (handicap)", "Handicap", "accessibilité (handicap)", ("Oui", "Partiel", "Non"),
              "Déclaration d'accessibilité non vérifiée."),
    Indicator("dlnuf", "Dites-le-nous une fois", "DLNUF", "dites-le-nous une fois", ("Optimal", "Partiel", "Faible"),
              "« Dites-le-nous une fois » non vérifié."),
    Indicator("performance", "Performance", "Performance", "performance", ("Optimal", "Partiel", "Faible"),
              "Aucun temps de chargement mesuré."),
    Indicator("alternative", "Alternative non numérique", "Alternative", "alternative non numérique",
              ("Oui", "Partiel", "Non"), "Alternatives non numériques non vérifiées."),
    Indicator("auth", "Identification (FranceConnect)", "Identification", "identification (FranceConnect)",
              ("FranceConnect +", "FranceConnect", "Non"), "Identification non vérifiée."),
    Indicator("online", "Réalisable en ligne", "En ligne", "réalisable en ligne", ("Oui", "Partiel", "Non"),
              "Réalisation en ligne non vérifiée."),
    Indicator("jdma", "Je donne mon avis", "Je donne mon avis", "bouton « Je donne mon avis »", ("Oui", "Partiel", "Non"),
              "Bouton « Je donne mon avis » non vérifié."),
    Indicator("pdf", "Documents PDF accessibles", "PDF", "documents PDF accessibles", ("Oui", "Partiel", "Non"),
              "Documents PDF non vérifiés."),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in TABLE}

# The scorecard's order (auditor/schemas/scorecard.schema.json).
INDICATORS = ("handicap", "dlnuf", "auth", "performance", "alternative", "online", "jdma", "pdf")
# The HTML report's order.
DISPLAY_ORDER = ("handicap", "dlnuf", "alternative", "auth", "performance", "online", "jdma", "pdf")
INDICATOR_SCALES: dict[str, tuple[str, ...]] = {i.key: i.scale for i in TABLE}
INDICATOR_FR: dict[str, str] = {i.key: i.phrase for i in TABLE}
INDICATOR_TITLES: list[tuple[str, str]] = [(k, BY_KEY[k].title) for k in DISPLAY_ORDER]
INDICATOR_SHORT: dict[str, str] = {i.key: i.short for i in TABLE}

# Levels a check gives when the walk could not see enough: on no scale, never a pass nor a failure.
TO_CHECK = "À vérifier"
# "Non applicable" (dlnuf with no document requested) is on no scale either: it never fails.
NOT_APPLICABLE = "Non applicable"

# axe-core impacts, worst first, and their one French name (« impact modéré »).
IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_FR: dict[str | None, str] = {"critical": "critique", "serious": "grave", "moderate": "modéré",
                                    "minor": "mineur", None: "non précisé"}
IMPACT_ALIASES = {"critique": "critical", "grave": "serious", "modere": "moderate", "modéré": "moderate",
                  "mineur": "minor"}

# indicator → the block whose ``level`` and ``reason`` it reports (checks/online.py, jdma.py, pdf_docs.py)
BLOCK_INDICATORS = {"online": "online", "jdma": "jdma", "pdf": "documents"}

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PerformanceThresholds(_Strict):
    optimal_below_ms: int = Field(400, ge=0)
    partiel_below_ms: int = Field(800, ge=0)


class DlnufThresholds(_Strict):
    optimal_max: int = Field(1, ge=0)
    partiel_max: int = Field(4, ge=0)


class HandicapThresholds(_Strict):
    oui_min_rate: float = Field(1.0, ge=0, le=1)
    partiel_min_rate: float = Field(0.5, ge=0, le=1)


class IndicatorsRules(_Strict):
    """rules/indicators.yaml: the thresholds of the observatory's levels
    (a misspelt key is an error with its line, never a silent default)."""

    performance: PerformanceThresholds = Field(default_factory=PerformanceThresholds)
    dlnuf: DlnufThresholds = Field(default_factory=DlnufThresholds)
    handicap: HandicapThresholds = Field(default_factory=HandicapThresholds)


def _thresholds(rules: "Rules | None") -> dict[str, Any]:
    model = rules.get("indicators") if rules is not None else None
    if not isinstance(model, IndicatorsRules):
        model = IndicatorsRules()
    return model.model_dump()



def dlnuf_level(score: int, requests: int, rules: "Rules | None") -> str:
    """Observatory DLNUF level: Optimal 0–1 avoidable request, Partiel 2–4,
    Faible 5 or more, Non applicable when nothing is requested (thresholds in
    rules/indicators.yaml).  Shared by crawled démarches and ``auditor catalogue``."""
    if not requests:
        return "Non applicable"
    t = _thresholds(rules)["dlnuf"]
    return "Optimal" if score <= t["optimal_max"] else "Partiel" if score <= t["partiel_max"] else "Faible"



def _dlnuf_open(dl: dict[str, Any]) -> str:
    """What the level does not count, said beside it: the points left for an
    auditor (two conditions whose compatibility the form does not say,
    pieces the taxonomy does not know…).  An editor who publishes
    « Optimal » must see that some requests were not judged: the engine
    finds most repetitions of pieces it knows, few of the others
    (docs/catalogue.md)."""
    review = dl.get("review") or []
    if not review:
        return ""
    unknown = len(dl.get("unmatched") or [])
    of_which = f", dont {unknown} pièce(s) non reconnue(s)" if unknown else ""
    return f" ; {len(review)} point(s) à vérifier à la main, non compté(s){of_which}"


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
            reasons["dlnuf"] = f"{s} demande(s) de pièce évitable(s) sur {dl['requests']}" + _dlnuf_open(dl) + "."
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
    for name, key in BLOCK_INDICATORS.items():
        missing = BY_KEY[name].missing
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
