"""The ``--fail-on`` gate: its tokens, which findings fall under them, and notices.

Parsing the values (French errors naming what is wrong), matching a finding
against thresholds (impacts, indicator levels) and telling which gates could
not be evaluated on a scorecard because the block they read was not checked:
kept apart from the enumeration of findings, which does not depend on them.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from ..indicators import IMPACT_ALIASES, IMPACTS, INDICATOR_FR, INDICATOR_SCALES, TO_CHECK
from ..model import Finding
from .finding_common import _clean, finding_tokens, is_checked


class GateError(ValueError):
    """A --fail-on value or a baseline that cannot be used (message in French)."""


def parse_fail_on(values: Iterable[str]) -> list[str]:
    """Normalise ``--fail-on`` values (comma or space separated, repeatable)
    to canonical tokens; a ``GateError`` in French names what is wrong."""
    tokens: list[str] = []
    for value in values:
        for raw in re.split(r"[,\s]+", value.strip()):
            if not raw:
                continue
            if "=" in raw:
                name, _, level = raw.partition("=")
                name = name.strip().lower()
                level = level.strip().replace("_", " ")
                scale = INDICATOR_SCALES.get(name)
                if scale is None:
                    raise GateError(f"--fail-on : indicateur inconnu « {name} » (possibles : "
                                    f"{', '.join(INDICATOR_SCALES)})")
                match = [s for s in scale if s.casefold().replace(" ", "") == level.casefold().replace(" ", "")]
                if not match:
                    raise GateError(f"--fail-on : niveau « {level} » inconnu pour {name} (possibles : "
                                    f"{', '.join(scale)})")
                tok = f"{name}={match[0]}"
            else:
                low = raw.lower()
                low = IMPACT_ALIASES.get(low, low)
                if low not in IMPACTS and low not in finding_tokens():
                    raise GateError(
                        f"--fail-on : valeur inconnue « {raw} » (possibles : {', '.join(IMPACTS + finding_tokens())}, "
                        "ou un niveau d'indicateur comme dlnuf=Faible)")
                tok = low
            if tok not in tokens:
                tokens.append(tok)
    return tokens


def gate_matches(finding: Finding, tokens: Sequence[str]) -> bool:
    """Does ``finding`` fall under one of the gate ``tokens``?  Impacts and
    indicator levels are thresholds: ``serious`` also catches ``critical``,
    ``performance=Partiel`` also catches ``Faible``."""
    for tok in tokens:
        if tok in IMPACTS:
            if finding.check == "axe" and IMPACTS.index(finding.category) <= IMPACTS.index(tok):
                return True
        elif "=" in tok:
            name, level = tok.split("=", 1)
            scale = INDICATOR_SCALES[name]
            if finding.category == f"indicator:{name}" and finding.level in scale \
                    and scale.index(finding.level) >= scale.index(level):
                return True
        elif finding.category == tok:
            return True
    return False


def gate_notices(card: dict[str, Any], tokens: Sequence[str]) -> list[dict[str, str]]:
    """Gates that could not be evaluated on this card because the block they
    read was not checked: reported, never counted as a pass or a failure."""
    did = str(card.get("id"))
    out: list[dict[str, str]] = []
    if card.get("status") == "failed" and "partial" not in tokens:
        out.append({"demarche": did, "gate": "*", "message": "analyse en échec : rien n'a pu être vérifié"})
        return out
    indicators = card.get("indicators") or {}
    for tok in tokens:
        msg = None
        if tok in ("repeated", "already-held"):
            dl = card.get("dlnuf")
            key = "repeated" if tok == "repeated" else "already_held"
            if not is_checked(dl) or key not in dl:
                msg = "« dites-le-nous une fois » non vérifié"
        elif tok == "no-alternative":
            if not is_checked(card.get("alternatives")) or indicators.get("alternative") is None:
                msg = "alternatives non numériques non vérifiées"
        elif tok == "no-mention":
            acc = card.get("accessibility")
            if not is_checked(acc) or "mention" not in acc:
                msg = "mention d'accessibilité non vérifiée"
        elif tok == "pdf":
            docs = card.get("documents")
            if not is_checked(docs) or docs.get("level") in (None, TO_CHECK):
                msg = "documents PDF non vérifiés" if not is_checked(docs) or docs.get("level") is None else \
                    f"documents PDF à vérifier : {_clean(docs.get('reason'), 200)}"
        elif tok == "jdma":
            if not is_checked(card.get("jdma")):
                msg = "bouton « Je donne mon avis » non vérifié"
        elif "=" in tok:
            name = tok.split("=", 1)[0]
            if indicators.get(name) is None:
                msg = f"indicateur {INDICATOR_FR[name]} non calculé"
            elif indicators.get(name) == TO_CHECK:
                reason = _clean((indicators.get("reasons") or {}).get(name), 200)
                msg = f"indicateur {INDICATOR_FR[name]} à vérifier" + (f" : {reason}" if reason else "")
        elif tok in IMPACTS:
            missed = [p.get("url") for p in card.get("pages") or [] if p.get("axe_error")]
            if missed:
                msg = f"axe n'a pas pu analyser {len(missed)} page(s) : {', '.join(map(str, missed[:3]))}"
        if msg and not (tok in IMPACTS and any(n["message"] == msg for n in out)):
            out.append({"demarche": did, "gate": tok, "message": msg})
    return out
