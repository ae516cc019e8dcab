"""The validated rules (``Rules``) and where they are read from.

The map of rules files to schemas and the loading itself live in
``auditor.ruleset``, imported only when rules are loaded: importing the
configuration never imports a check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel


@dataclass
class Rules:
    """Every rules file, validated: ``raw`` is the parsed YAML, ``models`` the
    validated pydantic objects where a schema is registered.  ``directory`` is
    the user's folder when one was given, else the shipped rules;
    ``overridden`` names the user's files that differ from the shipped ones
    (the scorecard reports them, so a reader knows the rules were tuned)."""

    directory: Path
    raw: dict[str, Any] = field(default_factory=dict)
    models: dict[str, BaseModel] = field(default_factory=dict)
    digest: str = ""
    overridden: list[str] = field(default_factory=list)

    def get(self, name: str) -> Any:
        """The validated model for ``name`` when registered, else the raw YAML."""
        return self.models.get(name, self.raw.get(name))


def default_rules_dir() -> Path:
    """The folder read when ``--rules`` is not given: ``AUDITOR_RULES`` when
    set, else the rules shipped with auditor (see ``rules_files``)."""
    from ..rules_files import bundled_rules_dir, env_rules_dir

    return env_rules_dir() or bundled_rules_dir()


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate every rules file (see ``auditor.ruleset``, where
    the map of files to schemas lives)."""
    from ..ruleset import load_rules as _load

    return _load(directory)
