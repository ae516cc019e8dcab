"""Reading one YAML file safely, keeping its node tree for line numbers.

The files are written by hand and may come from anyone: huge files, alias
bombs, recursive aliases, deep nesting and duplicate keys are refused with a
clear error before anything walks the data.  libyaml parses first when it is
there (the rules folder is read at every run); the pure-Python parser gives
the precise messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

MAX_CONFIG_BYTES = 5 * 1024 * 1024
MAX_YAML_NODES = 200_000  # nodes once aliases are expanded: stops "billion laughs" alias bombs
MAX_YAML_DEPTH = 50


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
