"""Schema of ``rules/observatoire.yaml``: the words and addresses read by the
three observatory checks that walk a démarche to its end — done online or
not (``online.py``), the « Je donne mon avis » button (``jdma.py``) and the
documents linked from the démarche (``pdf_docs.py``, fetched by
``collect/linked_documents.py``).

Kept as data so that an auditor who meets a new wording (« à retourner
complété à la mairie ») fixes it here, with a fixture, not in code.  Unknown
keys are errors, and every pattern is compiled at load time so a typo is
reported with its line rather than mid-scan.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..config import _check_regexes as _compile_all  # one wording for a bad pattern

if TYPE_CHECKING:
    from ..config import Rules


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class OnlineRules(_Strict):
    """Phrases (regular expressions on folded text: lower case, no accents,
    plain apostrophes) that tell how far a démarche can be done online."""

    paper_step: list[str] = Field(default_factory=list)  # a step the user must do on paper
    postal_route: list[str] = Field(default_factory=list)  # the démarche is sent by post / at a counter
    eligibility_paper: list[str] = Field(default_factory=list)  # some users are sent to paper
    form_download: list[str] = Field(default_factory=list)  # a link to a form to fill in on paper
    optional_help: list[str] = Field(default_factory=list)  # …which is only optional help
    alternative_channel: list[str] = Field(default_factory=list)  # « vous pouvez aussi… » : a choice, not a duty
    context_chars: int = Field(220, ge=40, le=2000)  # words read around a link or a phrase

    _v = field_validator("paper_step", "postal_route", "eligibility_paper", "form_download", "optional_help",
                         "alternative_channel")(_compile_all)


class JdmaRules(_Strict):
    """The DINUM « Je donne mon avis » service: its hosts, where its
    procedure identifier sits in the address, the button's words."""

    hosts: list[str] = Field(default_factory=lambda: ["jedonnemonavis.numerique.gouv.fr",
                                                      "voxusagers.numerique.gouv.fr"])
    id_pattern: str = r"/demarches/(\d+)"
    button_query: str = "button"
    labels: list[str] = Field(default_factory=lambda: [r"je donne mon avis"])

    _v = field_validator("labels")(_compile_all)

    @field_validator("id_pattern")
    @classmethod
    def _one(cls, v: str) -> str:
        _compile_all([v])
        return v


class DocumentsRules(_Strict):
    """Which links are documents, how many are fetched and how big, and
    what tells that an accessible alternative is offered beside one."""

    # format → extensions of the address's path (lower case, with the dot)
    formats: dict[str, list[str]] = Field(default_factory=lambda: {"pdf": [".pdf"]})
    # content types (start of the header) → format, for addresses without an extension
    content_types: dict[str, str] = Field(default_factory=lambda: {"application/pdf": "pdf"})
    link_text: list[str] = Field(default_factory=list)  # a link whose words name a document (« PDF, 120 ko »)
    max_files: int = Field(10, ge=0, le=200)
    max_bytes: int = Field(10_000_000, ge=10_000, le=200_000_000)
    timeout_s: float = Field(20, gt=0, le=300)
    total_timeout_s: float = Field(90, gt=0, le=3600)  # all documents of one démarche
    max_pages_analysed: int = Field(100, ge=1, le=5000)
    alternative: list[str] = Field(default_factory=list)  # « version accessible », « remplir en ligne »…

    _v = field_validator("link_text", "alternative")(_compile_all)


class ObservatoireRules(_Strict):
    """``rules/observatoire.yaml``."""

    online: OnlineRules = Field(default_factory=OnlineRules)
    jdma: JdmaRules = Field(default_factory=JdmaRules)
    documents: DocumentsRules = Field(default_factory=DocumentsRules)


def observatoire_rules(rules: "Rules | None") -> ObservatoireRules:
    got = rules.get("observatoire") if rules is not None else None
    return got if isinstance(got, ObservatoireRules) else ObservatoireRules()


@lru_cache(maxsize=64)
def any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled alternation of ``patterns`` (None when there are none)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def search(patterns: list[str], text: str) -> Any:
    rx = any_of(tuple(patterns))
    return rx.search(text) if rx is not None else None
