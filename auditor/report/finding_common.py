"""What every output of the findings names the same way, and two small helpers.

The checks' French titles (a JUnit testcase), the rules' French names and help
(SARIF), the ``--fail-on`` tokens the checks declare, whether a block was
checked and one safe line of text: the findings, the gate and the renderers
all read them, so they are defined once, apart from the enumeration.
"""

from __future__ import annotations

import re
from typing import Any

from ..checks import metas
from ..indicators import INDICATOR_FR, INDICATOR_SCALES

# Built-in findings (the walk, axe-core, the indicators), then every check's own (checks/*.py, CheckMeta).
BUILTIN_CHECKS: dict[str, tuple[int, str]] = {"walk": (0, "Parcours de la démarche"),
                                              "axe": (10, "Accessibilité : anomalies axe-core")}
INDICATORS_CHECK = ("indicators", "Indicateurs de l'observatoire")
BUILTIN_RULES: dict[str, dict[str, str]] = {
    "walk/partial": {"name": "Parcours incomplet",
                     "help": "Le parcours s'est arrêté avant la fin de la démarche : les étapes suivantes n'ont pas été auditées."},
    "walk/failed": {"name": "Analyse en échec",
                    "help": "La démarche n'a pas pu être analysée (page de départ injoignable, erreur du navigateur…)."},
}


def checks_fr() -> dict[str, str]:
    """check id → French title (a JUnit testcase), in output order, indicators last."""
    out = [(order, cid, title) for cid, (order, title) in BUILTIN_CHECKS.items()]
    out += [(m.order, m.id, m.title) for m in metas()]
    return {cid: title for _, cid, title in sorted(out)} | {INDICATORS_CHECK[0]: INDICATORS_CHECK[1]}


def rules_fr() -> dict[str, dict[str, str]]:
    """Our own rules (the axe ones are the axe rule ids): id → French name and help."""
    out = dict(BUILTIN_RULES)
    for meta in metas():
        out.update({r.id: {"name": r.name, "help": r.help} for r in meta.rules})
    for name in INDICATOR_SCALES:
        out[f"indicator/{name}"] = {"name": f"Indicateur {INDICATOR_FR[name]}",
                                    "help": f"Niveau de l'indicateur « {INDICATOR_FR[name]} » de l'observatoire en "
                                            "dessous du meilleur niveau."}
    return out


def finding_tokens() -> tuple[str, ...]:
    """The --fail-on tokens other than impacts and indicator levels."""
    return tuple(t for m in metas() for t in m.gates) + ("partial",)


def is_checked(block: Any) -> bool:
    """A block a check filled (``not_checked`` blocks and missing ones are not)."""
    return isinstance(block, dict) and block.get("status", "checked") != "not_checked"


def _clean(text: Any, limit: int = 300) -> str:
    """One line of text: control characters (newlines included) become spaces,
    so that hostile page text can never start a new line in CI logs."""
    s = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(text or "")).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"
