"""Configuration errors, and pydantic's errors said in French with their file and line.

Auditors fix ``demarches.yaml`` and ``rules/`` by hand: every message is a
complete French sentence starting with ``file:line:``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from pydantic import ValidationError

if TYPE_CHECKING:
    from .yaml_reader import YamlDocument


class ConfigError(Exception):
    """Invalid configuration: ``messages`` are complete French sentences,
    each starting with ``file:line:``."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


_FIELD_NAMES_FR = {
    "id": "id",
    "name": "name",
    "url": "url",
}

_PYDANTIC_FR: dict[str, str] = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "bool_type": "booléen attendu (true ou false)",
    "bool_parsing": "booléen attendu (true ou false)",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire attendu (clé: valeur)",
    "model_type": "dictionnaire attendu (clé: valeur)",
    "greater_than": "valeur trop petite",
    "greater_than_equal": "valeur trop petite",
    "less_than": "valeur trop grande",
    "less_than_equal": "valeur trop grande",
    "string_too_short": "texte vide",
    "string_too_long": "texte trop long",
    "too_short": "liste vide",
    "finite_number": "nombre fini attendu",
    "string_unicode": "texte attendu (caractères invalides)",
    "recursion_loop": "structure récursive",
}


def format_validation_error(
    exc: ValidationError, doc: YamlDocument, item_label: Callable[[tuple[Any, ...]], str | None] | None = None
) -> list[str]:
    """Turn pydantic errors into ``file:line: …`` French sentences."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # pydantic reports model-level errors with an empty trailing loc; keep the path
        line = doc.line_of(loc)
        kind = err["type"]
        if kind == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            msg = _PYDANTIC_FR.get(kind) or f"valeur invalide ({err['msg']})"
            if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
                limit = next(iter(err.get("ctx", {}).values()), None)
                msg = f"{msg} (limite : {limit})"
        path = ".".join(str(p) for p in loc)
        who = item_label(loc) if item_label else None
        prefix = f"{doc.path}:{line}:" if line else f"{doc.path}:"
        where = f" démarche « {who} » :" if who else ""
        field_part = f" « {path} » :" if path else ""
        out.append(f"{prefix}{where}{field_part} {msg}.")
    return out
