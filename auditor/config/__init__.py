"""Reading and validating YAML: the crawl list (``demarches.yaml``) and ``rules/``.

This is the only package that reads YAML.  Every error names the file, the line
and, for the crawl list, the démarche, in French, because auditors fix these
files by hand.  Validation uses pydantic; its error locations are mapped back
to YAML line numbers through the composed node tree.

Its parts: the errors and their French wording (``errors``), the safe YAML
reader (``yaml_reader``), the crawl list (``demarches``), the validated rules
(``rules``); the schemas of the walk's rules files live with the walk
(``auditor/collect/walk_rules.py``) and are re-exported here.  Every
name is imported from here (``from auditor.config import …``); importing it
imports no check (``auditor.ruleset`` imports a schema only when its file is read).
"""

from __future__ import annotations

from .demarches import (
    ENV_RE,
    SLUG_RE,
    STEP_VERBS,
    CrawlList,
    Defaults,
    Demarche,
    Step,
    Viewport,
    _check_contact,
    _check_url,
    default_scope,
    load_demarches,
    resolve_env,
    secret_values,
    validate_demarches,
)
from .errors import ConfigError, format_validation_error
from .rules import Rules, default_rules_dir, load_rules
from ..collect.walk_rules import ScreenshotRules, SettleRules, TestDataField, TestDataRules, WalkRules, _check_regexes
from .yaml_reader import (
    MAX_CONFIG_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    YamlDocument,
    _CSafeLoader,
    _parse_fast,
    load_yaml,
    parse_yaml,
)

__all__ = [
    "ENV_RE", "MAX_CONFIG_BYTES", "MAX_YAML_DEPTH", "MAX_YAML_NODES", "SLUG_RE", "STEP_VERBS",
    "ConfigError", "CrawlList", "Defaults", "Demarche", "Rules", "ScreenshotRules", "SettleRules", "Step",
    "TestDataField", "TestDataRules", "Viewport", "WalkRules", "YamlDocument",
    "_CSafeLoader", "_check_contact", "_check_regexes", "_check_url", "_parse_fast",
    "default_rules_dir", "default_scope", "format_validation_error", "load_demarches", "load_rules", "load_yaml",
    "parse_yaml", "resolve_env", "secret_values", "validate_demarches",
]
