"""The crawl list (``demarches.yaml``): its schema, its loading, its ``${VAR}`` secrets.

Errors name the démarche as well as the file and the line: a crawl list
holds hundreds of them.  Secrets are written ``${VAR}`` and resolved only at
run time, so that captures and scorecards keep the reference, never the value.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError, format_validation_error
from .yaml_reader import YamlDocument, load_yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
STEP_VERBS = ("fill", "select", "check", "upload", "click", "wait_for", "audit", "goto")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Viewport(_Strict):
    width: int = Field(1280, ge=200, le=7680)
    height: int = Field(800, ge=200, le=7680)


def _check_url(value: str, info_context: dict[str, Any] | None) -> str:
    allow_file = bool(info_context and info_context.get("allow_file_urls"))
    low = value.lower()
    if low.startswith(("http://", "https://")):
        if len(value) > 4096:
            raise ValueError("adresse trop longue")
        if re.search(r"\s", value):
            raise ValueError(f"l'adresse « {value} » contient des espaces")
        if not re.match(r"^https?://([^/?#@\s]+@)?[^/?#@\s]+", value, re.IGNORECASE):
            raise ValueError(f"l'adresse « {value} » n'indique pas de serveur (https://serveur/chemin)")
        return value
    if low.startswith("file://"):
        if allow_file:
            return value
        raise ValueError(
            f"l'adresse « {value} » est un fichier local : ajoutez l'option --allow-file-urls pour l'autoriser"
        )
    raise ValueError(f"l'adresse « {value} » doit commencer par http:// ou https://")


class Step(BaseModel):
    """One scripted action.  Exactly one verb per step, as in pa11y's actions."""

    model_config = ConfigDict(extra="forbid")

    fill: dict[str, str] | None = None
    select: dict[str, str] | None = None
    check: str | None = None
    upload: dict[str, str] | None = None
    click: str | None = None
    wait_for: str | None = None
    audit: str | None = None
    goto: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_known_verb(cls, data: Any) -> Any:
        if isinstance(data, str):
            raise ValueError(f"étape « {data} » : une étape s'écrit « verbe: valeur » (verbes : {', '.join(STEP_VERBS)})")
        if not isinstance(data, dict):
            raise ValueError("une étape s'écrit « verbe: valeur »")
        unknown = [k for k in data if k not in STEP_VERBS]
        if unknown:
            raise ValueError(
                f"verbe d'étape inconnu « {unknown[0]} » (verbes possibles : {', '.join(STEP_VERBS)})"
            )
        if len(data) != 1:
            raise ValueError(f"une étape contient un seul verbe, pas {len(data)} ({', '.join(map(str, data))})")
        verb, value = next(iter(data.items()))
        if verb in ("fill", "select", "upload"):
            if not isinstance(value, dict) or not value:
                raise ValueError(f"« {verb} » attend un dictionnaire « sélecteur: valeur »")
            data = {verb: {str(k): "" if v is None else str(v) for k, v in value.items()}}
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value).strip() == "":
            raise ValueError(f"« {verb} » attend un texte non vide")
        else:
            data = {verb: str(value)}
        return data

    @field_validator("goto")
    @classmethod
    def _goto_url(cls, v: str | None, info: Any) -> str | None:
        return None if v is None else _check_url(v, info.context)

    @property
    def verb(self) -> str:
        for verb in STEP_VERBS:
            if getattr(self, verb) is not None:
                return verb
        raise AssertionError("validated step without verb")

    @property
    def value(self) -> Any:
        return getattr(self, self.verb)

    def to_dict(self) -> dict[str, Any]:
        return {self.verb: self.value}


def _check_contact(v: str | None) -> str | None:
    """A contact goes into an HTTP header: one printable line, no parentheses
    (they delimit it in the User-Agent)."""
    if v is None:
        return None
    v = v.strip()
    if not v or any(ord(ch) < 32 or ch in "()" for ch in v) or not v.isascii():
        raise ValueError("le contact doit être une adresse électronique ou une URL sur une ligne, en ASCII, "
                         "sans parenthèses (ex. « audit@exemple.gouv.fr »)")
    return v


class Defaults(_Strict):
    # pages audited per démarche, steps and annexes together; steps alone stop at max_steps
    # (one-question-per-page démarches run to 40 steps and more)
    max_pages: int = Field(70, ge=1, le=1000)
    max_steps: int = Field(60, ge=1, le=1000)
    timeout_s: float = Field(30, gt=0, le=600)
    viewport: Viewport = Field(default_factory=Viewport)
    # politeness towards the audited services (collect/polite.py)
    contact: str | None = Field(None, max_length=200)  # e-mail or URL added to the User-Agent
    per_host: int = Field(2, ge=1, le=16)  # démarches walking one host at once
    host_gap_ms: int = Field(500, ge=0, le=60_000)  # minimum gap between two document requests to a host
    retry_after_max_s: float = Field(60, ge=0, le=600)  # longest Retry-After honoured (429, 503)
    robots: Literal["respect", "ignore"] = "respect"  # ignore: auditing one's own service

    @field_validator("contact")
    @classmethod
    def _contact(cls, v: str | None) -> str | None:
        return _check_contact(v)


class Demarche(_Strict):
    id: str
    name: str = Field(min_length=1, max_length=500)
    url: str
    administration: str | None = None
    annual_users: int | None = Field(None, ge=0)
    ref: str | None = Field(None, max_length=100, coerce_numbers_to_str=True)  # observatory Ref_Demarche
    scope: list[str] | None = None
    expect: list[str] = Field(default_factory=list)
    allow_submit: bool = False
    probe_errors: bool = Field(
        False, description="Envoyer à vide aussi les formulaires envoyés en POST sans contrôle du navigateur, "
                           "pour observer leurs messages d'erreur (RGAA 11.10) ; la requête est toujours bloquée "
                           "dans le navigateur. Sans lui, l'envoi à vide se limite aux formulaires GET et à ceux "
                           "que le navigateur valide lui-même.")
    timeout_demarche_s: float | None = Field(None, gt=0, le=24 * 3600)
    steps: list[Step] | None = None
    # per-démarche overrides of `defaults`
    max_pages: int | None = Field(None, ge=1, le=1000)
    max_steps: int | None = Field(None, ge=1, le=1000)
    timeout_s: float | None = Field(None, gt=0, le=600)
    viewport: Viewport | None = None
    contact: str | None = Field(None, max_length=200)
    per_host: int | None = Field(None, ge=1, le=16)
    host_gap_ms: int | None = Field(None, ge=0, le=60_000)
    retry_after_max_s: float | None = Field(None, ge=0, le=600)
    robots: Literal["respect", "ignore"] | None = None

    @field_validator("contact")
    @classmethod
    def _contact(cls, v: str | None) -> str | None:
        return _check_contact(v)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v) or len(v) > 100:
            raise ValueError(
                f"l'identifiant « {v} » doit être en minuscules, chiffres et tirets (ex. « carte-identite »)"
            )
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str, info: Any) -> str:
        return _check_url(v, info.context)

    @field_validator("scope")
    @classmethod
    def _scope(cls, v: list[str] | None, info: Any) -> list[str] | None:
        if v is not None:
            for u in v:
                _check_url(u, info.context)
        return v

    def effective(self, defaults: Defaults) -> "Demarche":
        """This démarche with the `defaults` filled in where it does not override them."""
        return self.model_copy(
            update={
                "max_pages": self.max_pages or defaults.max_pages,
                "max_steps": self.max_steps or defaults.max_steps,
                "timeout_s": self.timeout_s or defaults.timeout_s,
                "viewport": self.viewport or defaults.viewport,
                "scope": self.scope or [default_scope(self.url)],
                "contact": self.contact or defaults.contact,
                "per_host": self.per_host or defaults.per_host,
                "host_gap_ms": defaults.host_gap_ms if self.host_gap_ms is None else self.host_gap_ms,
                "retry_after_max_s": (defaults.retry_after_max_s if self.retry_after_max_s is None
                                      else self.retry_after_max_s),
                "robots": self.robots or defaults.robots,
            }
        )

    def public_dict(self) -> dict[str, Any]:
        """The démarche as written (``${VAR}`` left unresolved): safe to save."""
        data = self.model_dump(exclude_none=True)
        if not self.probe_errors:
            # the default left out: the digest of a démarche written before this option stays the same
            data.pop("probe_errors", None)
        if self.steps is not None:
            data["steps"] = [s.to_dict() for s in self.steps]
        return data


def default_scope(url: str) -> str:
    """The start URL's directory: ``https://x.fr/a/b/start.html`` → ``https://x.fr/a/b/``."""
    m = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)(/[^?#]*)?", url)
    if not m:
        return url
    origin, path = m.group(1), m.group(2) or "/"
    return origin + path[: path.rfind("/") + 1]


class CrawlList(_Strict):
    defaults: Defaults = Field(default_factory=Defaults)
    demarches: list[Demarche] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "CrawlList":
        seen: set[str] = set()
        for i, d in enumerate(self.demarches):
            if d.id in seen:
                raise _DuplicateId(i, d.id)
            seen.add(d.id)
        return self

    def effective_demarches(self) -> list[Demarche]:
        return [d.effective(self.defaults) for d in self.demarches]


class _DuplicateId(ValueError):
    def __init__(self, index: int, ident: str):
        self.index = index
        self.ident = ident
        super().__init__(f"identifiant « {ident} » en double")


def load_demarches(path: str | Path, *, allow_file_urls: bool = False) -> CrawlList:
    """Load and validate a crawl list, or raise ConfigError naming file and line."""
    doc = load_yaml(path)
    return validate_demarches(doc, allow_file_urls=allow_file_urls)


def validate_demarches(doc: YamlDocument, *, allow_file_urls: bool = False) -> CrawlList:
    data = doc.data
    if data is None:
        raise ConfigError([f"{doc.path}: fichier vide : il faut au moins une démarche sous « demarches: »."])
    if isinstance(data, list):
        data = {"demarches": data}
    if not isinstance(data, dict):
        raise ConfigError([f"{doc.path}:1: le fichier doit contenir « demarches: » suivi d'une liste."])
    if "demarches" in data and isinstance(data["demarches"], list):
        # a duplicate id is a cross-item error: report it at the second occurrence
        seen: dict[str, int] = {}
        for i, item in enumerate(data["demarches"]):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ident = item["id"]
                if ident in seen:
                    line = doc.line_of(("demarches", i, "id"))
                    first = doc.line_of(("demarches", seen[ident], "id"))
                    raise ConfigError(
                        [f"{doc.path}:{line}: démarche « {ident} » : identifiant en double (déjà utilisé ligne {first})."]
                    )
                seen[ident] = i

    def label(loc: tuple[Any, ...]) -> str | None:
        if len(loc) >= 2 and loc[0] == "demarches" and isinstance(loc[1], int):
            items = data.get("demarches") if isinstance(data, dict) else None
            if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
                return str(items[loc[1]].get("id") or f"n° {loc[1] + 1}")
            return f"n° {loc[1] + 1}"
        return None

    try:
        return CrawlList.model_validate(data, context={"allow_file_urls": allow_file_urls})
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, doc, label)) from None


def resolve_env(value: str, environ: dict[str, str] | None = None) -> str:
    """Replace ``${VAR}`` by the environment's value at run time.  Never store
    the result: captures keep the reference."""
    env = os.environ if environ is None else environ

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in env:
            raise ConfigError([f"variable d'environnement « {name} » non définie (utilisée dans une étape)."])
        return env[name]

    return ENV_RE.sub(sub, value)


def secret_values(demarche: Demarche, environ: dict[str, str] | None = None) -> list[str]:
    """The resolved values of every ``${VAR}`` the démarche uses, to mask them."""
    env = os.environ if environ is None else environ
    names: set[str] = set()
    for step in demarche.steps or []:
        val = step.value
        texts = list(val.values()) if isinstance(val, dict) else [val]
        for t in texts:
            names.update(ENV_RE.findall(str(t)))
    return [env[n] for n in sorted(names) if env.get(n)]
