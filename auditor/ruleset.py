"""Every rules file and its schema, in one static map.

Auditors edit rules/*.yaml; each file is validated at load by its pydantic
model (unknown key, wrong type → the file and the line).  The map is written
here once — file name → ``module:Model`` — and a model is imported only
when its file is read, so that loading rules never needs every check to be
imported first to register itself (the old ``config`` ↔ ``checks`` circle),
and importing this module imports no check.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .config import ConfigError, Rules, format_validation_error, load_yaml

# rules file (stem) → the model that validates it
SCHEMAS: dict[str, str] = {
    "accessibility": "auditor.checks.mention:AccessibilityRules",
    "alternatives": "auditor.checks.alternatives:AlternativesRules",
    "auth": "auditor.checks.auth:AuthRules",
    "axe-reuse": "auditor.collect.chrome:ChromeReuseRules",
    "axe-fr": "auditor.checks.rgaa:AxeFrRules",
    "indicators": "auditor.indicators:IndicatorsRules",
    "justificatifs": "auditor.documents:JustificatifsRules",
    "observatoire": "auditor.checks.observatoire_rules:ObservatoireRules",
    "rgaa": "auditor.checks.rgaa:RgaaRules",
    "test-data": "auditor.collect.walk_rules:TestDataRules",
    "walk": "auditor.collect.walk_rules:WalkRules",
}


# rules files that decide how the work is shared, never a result: they stay out of the rules digest
# (which keys the axe cache and --resume), so tuning them neither discards the cache nor reruns a
# démarche.  axe-reuse.yaml: which regions' axe results are reused (tests/collect/test_chrome_reuse.py
# proves the results are the same either way).
OUT_OF_DIGEST = frozenset({"axe-reuse"})


@lru_cache(maxsize=None)
def schema(name: str) -> type[BaseModel]:
    """The model of rules file ``name`` (imported on first use)."""
    module, _, attr = SCHEMAS[name].partition(":")
    model = getattr(import_module(module), attr)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{SCHEMAS[name]} is not a pydantic model")
    return model


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate the shipped rules, each file replaced by the one of
    the same name in ``directory`` (else ``AUDITOR_RULES``) when it has one:
    a user's folder may hold only the files they changed."""
    from .rules_files import bundled_rules_dir, env_rules_dir, resolve_rules_files

    override = Path(directory) if directory else env_rules_dir()
    if override is not None and not override.is_dir():
        raise ConfigError([f"{override}: dossier de règles introuvable."])
    found = resolve_rules_files(override)
    rules = Rules(directory=override or bundled_rules_dir(), overridden=found.overridden)
    errors: list[str] = list(found.problems)
    h = hashlib.sha256()
    for name, path in sorted(found.files.items(), key=lambda item: item[1].name):  # digest as before overlays
        if name not in OUT_OF_DIGEST:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        try:
            doc = load_yaml(path)
        except ConfigError as exc:
            errors.extend(exc.messages)
            continue
        rules.raw[name] = doc.data
        if name not in SCHEMAS:
            errors.append(f"{path}: fichier de règles sans schéma (à déclarer dans auditor/ruleset.py).")
            continue
        try:
            rules.models[name] = schema(name).model_validate(doc.data if doc.data is not None else {})
        except ValidationError as exc:
            errors.extend(format_validation_error(exc, doc))
    if errors:
        raise ConfigError(errors)
    rules.digest = h.hexdigest()[:16]
    return rules
