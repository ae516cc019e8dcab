"""Reading and validating YAML: the crawl list (``demarches.yaml``) and ``rules/``.

This is the only module that reads YAML.  Every error names the file, the line
and, for the crawl list, the démarche, in French, because auditors fix these
files by hand.  Validation uses pydantic; its error locations are mapped back
to YAML line numbers through the composed node tree.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

MAX_CONFIG_BYTES = 5 * 1024 * 1024
MAX_YAML_NODES = 200_000  # nodes once aliases are expanded: stops "billion laughs" alias bombs
MAX_YAML_DEPTH = 50
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
STEP_VERBS = ("fill", "select", "check", "upload", "click", "wait_for", "audit", "goto")


class ConfigError(Exception):
    """Invalid configuration: ``messages`` are complete French sentences,
    each starting with ``file:line:``."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


# --------------------------------------------------------------------------- YAML


@dataclass
class YamlDocument:
    """Parsed YAML with its node tree kept, to give line numbers for any path."""

    path: Path
    data: Any
    node: yaml.Node | None

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """1-based line of the value at ``loc`` (keys and list indexes), or of
        its closest existing parent."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                nxt = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                        nxt = v
                        line = k.start_mark.line + 1
                        break
                if nxt is None:
                    return line
                node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    return line
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def _check_expansion(root: yaml.Node, where: str) -> None:
    """Refuse alias bombs and recursive aliases before anything walks the tree.

    Aliases share node objects, so the expanded size is computed once per
    distinct node (memoised) and compared with MAX_YAML_NODES; a node met
    again while it is being sized is a recursive alias."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    # iterative post-order walk: no recursion, whatever the nesting
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 0)]
    while stack:
        node, done, depth = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                children += [k, v]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            in_progress.discard(key)
            total = 1 + sum(sizes[id(c)] for c in children)
            sizes[key] = total
            if total > MAX_YAML_NODES:
                raise ConfigError([
                    f"{where}:{node.start_mark.line + 1}: structure trop volumineuse une fois les alias (&, *) "
                    f"développés (plus de {MAX_YAML_NODES} éléments) : fichier refusé."
                ])
            continue
        if key in sizes:
            continue
        if key in in_progress:
            raise ConfigError([f"{where}:{node.start_mark.line + 1}: alias récursif (un élément se contient lui-même)."])
        if depth > MAX_YAML_DEPTH:
            raise ConfigError([
                f"{where}:{node.start_mark.line + 1}: imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux)."
            ])
        in_progress.add(key)
        stack.append((node, True, depth))
        for c in children:
            if id(c) not in sizes:
                if id(c) in in_progress:
                    raise ConfigError([
                        f"{where}:{c.start_mark.line + 1}: alias récursif (un élément se contient lui-même)."
                    ])
                stack.append((c, False, depth + 1))


def _check_duplicate_keys(node: yaml.Node, where: str, errors: list[str], depth: int = 0) -> None:
    if depth > MAX_YAML_DEPTH:
        errors.append(f"{where}:{node.start_mark.line + 1}: imbrication trop profonde (plus de 50 niveaux).")
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                line = k.start_mark.line + 1
                if k.value in seen:
                    errors.append(
                        f"{where}:{line}: clé « {k.value} » en double (déjà définie ligne {seen[k.value]})."
                    )
                seen[k.value] = line
            _check_duplicate_keys(v, where, errors, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _check_duplicate_keys(v, where, errors, depth + 1)


def load_yaml(path: str | Path) -> YamlDocument:
    """Read one YAML file safely, refusing huge files, duplicate keys, aliases
    bombs and deep nesting with a clear error."""
    path = Path(path)
    where = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ConfigError([f"{where}: fichier introuvable."]) from None
    except OSError as exc:
        raise ConfigError([f"{where}: lecture impossible ({exc.strerror})."]) from None
    if size > MAX_CONFIG_BYTES:
        raise ConfigError([f"{where}: fichier trop volumineux ({size} octets, maximum {MAX_CONFIG_BYTES})."])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{where}: le fichier n'est pas encodé en UTF-8 (octet {exc.start})."]) from None
    except IsADirectoryError:
        raise ConfigError([f"{where}: c'est un dossier, pas un fichier YAML."]) from None
    except OSError as exc:
        raise ConfigError([f"{where}: lecture impossible ({exc.strerror or exc})."]) from None
    return parse_yaml(text, where)


def _line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, max(0, offset)) + 1


_CSafeLoader = getattr(yaml, "CSafeLoader", None)


def _parse_fast(text: str, where: str) -> YamlDocument | None:
    """libyaml's parser, ten times faster than the pure-Python one (the
    rules/ folder is read at every run: a third of a second saved).  Any
    doubt — libyaml absent, a syntax error, a check that fails — returns
    None and the pure-Python parser does it again, for its precise
    messages."""
    if _CSafeLoader is None:
        return None
    try:
        loader = _CSafeLoader(text)
    except Exception:
        return None
    try:
        return _load_document(loader, where)
    except Exception:
        return None
    finally:
        loader.dispose()


def _load_document(loader: Any, where: str) -> YamlDocument:
    """The single document of ``loader``, checked (alias expansion,
    duplicate keys: ConfigError) before it is built."""
    node = loader.get_single_node()
    if node is None:
        return YamlDocument(Path(where), None, None)
    _check_expansion(node, where)
    errors: list[str] = []
    _check_duplicate_keys(node, where, errors)
    if errors:
        raise ConfigError(errors)
    return YamlDocument(Path(where), loader.construct_document(node), node)


def parse_yaml(text: str, where: str) -> YamlDocument:
    """Parse one YAML document (safe loader: no Python objects), refusing
    alias bombs, recursive aliases, deep nesting and duplicate keys; every
    failure is a ConfigError naming the file and, when known, the line."""
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError([f"{where}: texte trop volumineux ({len(text)} caractères, maximum {MAX_CONFIG_BYTES})."])
    fast = _parse_fast(text, where)
    if fast is not None:
        return fast
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line = _line_of_offset(text, exc.position)
        raise ConfigError([f"{where}:{line}: caractère interdit dans un fichier YAML (code {exc.character!r})."]) from None
    try:
        return _load_document(loader, where)
    except yaml.MarkedYAMLError as exc:
        # the context mark is where the unfinished construct began (an unclosed
        # bracket): the line to look at; the problem mark is where it was noticed
        mark = exc.context_mark or exc.problem_mark
        line = f"{mark.line + 1}:" if mark else ""
        problem = exc.problem or "syntaxe invalide"
        if exc.context:
            problem = f"{exc.context} : {problem}"
        if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            problem += f" (constaté ligne {exc.problem_mark.line + 1})"
        raise ConfigError([f"{where}:{line} YAML invalide : {problem}."]) from None
    except yaml.reader.ReaderError as exc:
        line = _line_of_offset(text, exc.position)
        raise ConfigError([f"{where}:{line}: caractère interdit dans un fichier YAML (code {exc.character!r})."]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([f"{where}: YAML invalide : {exc}."]) from None
    except RecursionError:
        raise ConfigError([f"{where}: imbrication trop profonde."]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar the constructor cannot build
        raise ConfigError([f"{where}: YAML invalide : {exc}."]) from None
    finally:
        loader.dispose()


# ------------------------------------------------------------------ error wording

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


# --------------------------------------------------------------- demarches.yaml


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


# ------------------------------------------------------------------------- rules

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
    from .rules_files import bundled_rules_dir, env_rules_dir

    return env_rules_dir() or bundled_rules_dir()


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate every rules file (see ``auditor.ruleset``, where
    the map of files to schemas lives)."""
    from .ruleset import load_rules as _load

    return _load(directory)


def _check_regexes(v: list[str]) -> list[str]:
    for pat in v:
        try:
            re.compile(pat)
        except re.error as exc:
            raise ValueError(f"expression régulière invalide « {pat} » : {exc}") from None
    return v


class SettleRules(BaseModel):
    """How long the walk waits for a page to settle after an action: the DOM
    must stay quiet for ``quiet_ms`` with no request in flight, at most
    ``max_ms`` (then the walk goes on with the page as it is).  ``idle_ms``
    is the shorter quiet window enough for a page with no timer due within a
    second and no animation frame pending: most pages, once loaded, have
    nothing left to run, and waiting the full window for them is idle time."""

    model_config = ConfigDict(extra="forbid")

    quiet_ms: int = Field(150, ge=0, le=10_000)
    idle_ms: int = Field(50, ge=0, le=10_000)
    max_ms: int = Field(5000, ge=0, le=120_000)
    # a waiting page that announces a redirect, with no way on: how long the
    # walk waits for it to leave by itself
    redirect_max_ms: int = Field(5000, ge=0, le=120_000)
    # a request still unanswered after this long no longer holds the settle
    # (an analytics beacon or a long poll the page does not wait for)
    request_max_ms: int = Field(1000, ge=0, le=120_000)

    @model_validator(mode="after")
    def _idle_within_quiet(self) -> "SettleRules":
        if self.idle_ms > self.quiet_ms:
            raise ValueError(f"idle_ms ({self.idle_ms}) ne peut pas dépasser quiet_ms ({self.quiet_ms})")
        return self


class ScreenshotRules(BaseModel):
    """One small JPEG per page, within ``max_bytes``: pages up to
    ``full_scale_pixels`` (CSS px²) are first tried at full scale, taller
    ones scaled down (never below ``min_scale``); then the quality steps down
    through ``qualities``; only then is the bottom cut.  At most
    ``max_height`` CSS pixels are captured.  From a walk's second page on,
    the first try aims at ``aim`` × ``max_bytes`` from the previous
    capture's bytes per pixel (``page_audit._SHOT_DENSITY``): aiming below
    the limit leaves room for a page a little more detailed than the last
    one, which would otherwise be captured twice (a second capture costs as
    much as the first, to save a few kilobytes)."""

    model_config = ConfigDict(extra="forbid")

    max_bytes: int = Field(110_000, ge=10_000, le=5_000_000)
    max_height: int = Field(8000, ge=400, le=30_000)
    full_scale_pixels: int = Field(3_000_000, ge=100_000, le=50_000_000)
    min_scale: float = Field(0.35, gt=0.05, le=1)
    aim: float = Field(0.8, ge=0.3, le=1)
    qualities: list[int] = Field(default_factory=lambda: [55, 42, 32], min_length=1)

    @field_validator("qualities")
    @classmethod
    def _qualities(cls, v: list[int]) -> list[int]:
        if any(not 10 <= q <= 95 for q in v):
            raise ValueError("qualités JPEG attendues entre 10 et 95")
        return v


_WALK_PATTERN_LISTS = (
    "next", "never", "final_submit", "annex_links", "annex_links_any_site", "error_page", "login_wall",
    "never_urls", "login_urls",
    "login_page", "summary_page", "commit_verbs", "attestation", "payment_names", "payment_urls", "submit_actions",
    "account_create", "account_pages", "not_demarche_forms", "consent_checkbox", "upload_buttons",
    "primary_classes", "secondary_classes", "search_fields", "loading_text", "consent_context", "consent_refuse",
    "redirect_text", "settle_ignore_urls", "app_error",
)


class WalkRules(BaseModel):
    """rules/walk.yaml: how the walk recognises buttons, links and dead ends."""

    model_config = ConfigDict(extra="forbid")

    next: list[str] = Field(default_factory=list)
    never: list[str] = Field(default_factory=list)
    final_submit: list[str] = Field(default_factory=list)
    annex_links: list[str] = Field(default_factory=list)
    annex_links_any_site: list[str] = Field(default_factory=list)
    error_page: list[str] = Field(default_factory=list)
    login_wall: list[str] = Field(default_factory=list)
    never_urls: list[str] = Field(default_factory=list)
    login_urls: list[str] = Field(default_factory=list)
    login_page: list[str] = Field(default_factory=list)
    summary_page: list[str] = Field(default_factory=list)
    # the final-control guard (collect/final_control.py): what the page around a control says
    commit_verbs: list[str] = Field(default_factory=list)
    attestation: list[str] = Field(default_factory=list)
    payment_names: list[str] = Field(default_factory=list)
    payment_urls: list[str] = Field(default_factory=list)
    submit_actions: list[str] = Field(default_factory=list)
    account_create: list[str] = Field(default_factory=list)
    account_pages: list[str] = Field(default_factory=list)
    not_demarche_forms: list[str] = Field(default_factory=list)
    consent_checkbox: list[str] = Field(default_factory=list)
    upload_buttons: list[str] = Field(default_factory=list)
    consent_context: list[str] = Field(default_factory=list)
    consent_refuse: list[str] = Field(default_factory=list)
    primary_classes: list[str] = Field(default_factory=list)
    secondary_classes: list[str] = Field(default_factory=list)
    search_fields: list[str] = Field(default_factory=list)
    state_ignore: list[str] = Field(default_factory=list)  # CSS selectors
    loading_selectors: list[str] = Field(default_factory=list)  # CSS selectors
    loading_text: list[str] = Field(default_factory=list)
    redirect_text: list[str] = Field(default_factory=list)
    settle_ignore_urls: list[str] = Field(default_factory=list)
    app_error: list[str] = Field(default_factory=list)
    settle: SettleRules = Field(default_factory=SettleRules)
    screenshot: ScreenshotRules = Field(default_factory=ScreenshotRules)

    @field_validator(*_WALK_PATTERN_LISTS)
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _check_regexes(v)

    def matcher(self, name: str) -> "re.Pattern[str]":
        pats = getattr(self, name)
        return re.compile("|".join(f"(?:{p})" for p in pats) or r"(?!x)x", re.IGNORECASE)


class TestDataField(BaseModel):
    """One line of the test-data table: a field recognised by ``match``
    (regular expression on its autocomplete token, name, id, label,
    placeholder and hint) gets ``value``.  Values that are dates are written
    ISO (``1990-01-01``) or relative to the day of the scan (``today-365``)
    and formatted for the field (``01/01/1990`` in a text field)."""

    model_config = ConfigDict(extra="forbid")

    match: str
    value: str
    types: list[str] = Field(default_factory=list)  # restrict to these control types (empty: any)

    @field_validator("match")
    @classmethod
    def _regex(cls, v: str) -> str:
        _check_regexes([v])
        return v


class TestDataRules(BaseModel):
    """rules/test-data.yaml: the plausible French test data of the auto-walk."""

    model_config = ConfigDict(extra="forbid")
    __test__ = False  # not a pytest test class despite its name

    autocomplete: dict[str, str] = Field(default_factory=dict)
    fields: list[TestDataField] = Field(default_factory=list)
    types: dict[str, str] = Field(default_factory=dict)
    select_placeholder: list[str] = Field(default_factory=list)
    required_group: list[str] = Field(default_factory=list)

    @field_validator("select_placeholder", "required_group")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _check_regexes(v)
