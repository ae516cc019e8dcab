"""The mention check's words and rules: its patterns and ``rules/accessibility.yaml``.

The legal mention, a declaration's status, rate, RGAA version, date and
contact means, all read on folded text (``_frtext.fold``), and the schema of
the rules file (``auditor.ruleset`` still names it in ``checks.mention``):
kept apart so the check and the declaration's reader share one copy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ..config import Rules

STATUSES = ("totalement", "partiellement", "non")

# "Accessibilité : partiellement conforme", "ACCESSIBILITE - non-conforme",
# "Accessibilité (totalement conforme)" — on the folded text.
MENTION_RE = re.compile(
    r"\baccessibilite\s*(?:[:(\-]\s*)?(?:du site\s*:?\s*)?(totalement|partiellement|non)(?:\s*-\s*|\s+)conformes?\b"
)

# Status sentence of a declaration: "X est partiellement conforme avec le RGAA".
_DECL_STATUS_RES: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"\b(?:est|sont|etre|soit)\s+(totalement|partiellement|non)(?:\s*-\s*|\s+)conformes?\b"), None),
    (re.compile(r"\b(?:etat de conformite|conformite)\s*:?\s*(totalement|partiellement|non)(?:\s*-\s*|\s+)conformes?\b"), None),
    (re.compile(r"\ben conformite (partielle)\b"), "partiellement"),
    (re.compile(r"\ben conformite (totale)\b"), "totalement"),
    (re.compile(r"\b(?:n'est|ne sont)\s+pas\s+(?:encore\s+)?(?:conformes?|en conformite)\b"), "non"),
]

_NUMBER = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_RATE_RES = [
    # "62 % des critères du RGAA version 4 sont respectés" (the official template)
    re.compile(_NUMBER + r"\s*%\s*(?:des|de)\s+criteres\b"),
    # "Taux de conformité global : 62 %" (but not "taux moyen de conformité")
    re.compile(
        r"\btaux\s+(?:global\s+)?de\s+conformite\s+(?:global\s+|au rgaa\s+)?(?:du (?:site|service)(?: en ligne| internet)?\s+)?"
        r"(?:est\s+de|s'eleve\s+a|de|:|=)?\s*" + _NUMBER + r"\s*%"
    ),
]
_NO_AUDIT_RE = re.compile(r"\b(?:aucun audit|pas (?:encore )?(?:fait|fait l'objet) d'(?:un )?audit|n'a pas (?:encore )?ete audite)")

_VERSION_RES = [
    re.compile(r"\brgaa\)?\s*,?\s*(?:version\s*|v\s*\.?\s*)?(\d(?:\.\d{1,2}){0,2})(?![\d])"),
    re.compile(r"\bversion\s+(\d(?:\.\d{1,2}){0,2})\s+du\s+(?:rgaa|referentiel general)"),
]

_MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
           "septembre", "octobre", "novembre", "decembre")
_MONTH_RE = "|".join(_MONTHS)
_DATE_VALUE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:\s?er)?\s+(?P<m1>{_MONTH_RE})\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s*[/.\-]\s*(?P<m2>\d{{1,2}})\s*[/.\-]\s*(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
    rf"|(?P<m4>{_MONTH_RE})\s+(?P<y4>\d{{4}}))"
)
_DATE_RE = re.compile(
    r"\b(?P<anchor>(?:a ete |est |a )?(?:etablie|mise a jour|mis a jour|actualisee|redigee|publiee|renouvelee)"
    r"|date\s+(?:de\s+(?:la\s+)?|d')(?:declaration|derniere mise a jour|mise a jour|publication|etablissement)"
    r"|derniere mise a jour)"
    r"\s*(?:le|en|au mois de|:|du)?\s*(?:le\s+)?" + _DATE_VALUE
)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?:\+33\s?\(?0?\)?\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")
_POSTAL_RE = re.compile(
    r"\b(?:\d{1,4}(?:\s?(?:bis|ter))?,?\s+)?(?:rue|avenue|boulevard|bd|place|quai|allee|chemin|impasse|route|cours|square)\b"
    r"[^@]{0,120}?\b\d{5}\b|\b(?:bp|cs|tsa)\s?\d+|\bcedex\b"
)
_FORM_RE = re.compile(r"\bformulaire\b")


class DeclarationRules(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    link_texts: list[str] = Field(default_factory=lambda: ["déclaration d'accessibilité", "accessibilité"])
    url_words: list[str] = Field(default_factory=lambda: ["accessibilite", "accessibility"])
    validity_years: int = Field(3, ge=1, le=20)
    contact_headings: list[str] = Field(default_factory=lambda: ["retour d'information et contact"])
    next_headings: list[str] = Field(default_factory=lambda: ["voies de recours"])
    defenseur: list[str] = Field(default_factory=lambda: ["défenseur des droits", "defenseurdesdroits.fr"])


class AccessibilityRules(BaseModel):
    """``rules/accessibility.yaml``."""

    model_config = ConfigDict(extra="forbid")

    declaration: DeclarationRules = Field(default_factory=DeclarationRules)


def _rules(rules: "Rules | None") -> DeclarationRules:
    got = rules.get("accessibility") if rules is not None else None
    return got.declaration if isinstance(got, AccessibilityRules) else DeclarationRules()
