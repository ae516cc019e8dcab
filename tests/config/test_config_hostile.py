"""Bad and hostile configuration: a clear French error with file and line,
exit code 2, nothing written — and no input ends in a traceback (fuzzed)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main
from auditor.config import MAX_CONFIG_BYTES, ConfigError, load_demarches, parse_yaml, validate_demarches

GOOD = """\
defaults:
  timeout_s: 5
demarches:
  - id: carte-identite
    name: "Carte d'identité"
    url: "https://example.gouv.fr/cni/"
    steps:
      - fill: {"#nom": "Dupont", "#pw": "${PW}"}
      - click: "Suivant"
"""


def scan_exit(tmp_path: Path, text: str | bytes) -> tuple[int, list[str], Path]:
    cfg = tmp_path / "demarches.yaml"
    if isinstance(text, bytes):
        cfg.write_bytes(text)
    else:
        cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "rapports"
    try:
        load_demarches(cfg)
        messages: list[str] = []
    except ConfigError as exc:
        messages = exc.messages
    return main(["scan", str(cfg), "-o", str(out), "-q"]), messages, out


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
demarches: *i
"""

CASES = {
    "malformed": ("demarches:\n  - id: a\n    name: [oops\n", 3, "YAML invalide"),
    "tab indentation": ("demarches:\n\t- id: a\n", 2, "YAML invalide"),
    "wrong type": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    max_pages: beaucoup\n", 5,
                   "nombre entier attendu"),
    "list instead of text": ("demarches:\n  - id: a\n    name: [A, B]\n    url: https://x.fr/\n", 3, "texte attendu"),
    "duplicate ids": ("demarches:\n  - {id: a, name: A, url: 'https://x.fr/'}\n"
                      "  - {id: a, name: B, url: 'https://y.fr/'}\n", 3, "en double"),
    "duplicate keys": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    url: https://y.fr/\n", 5,
                       "en double"),
    "missing key": ("demarches:\n  - id: a\n    url: https://x.fr/\n", 2, "champ obligatoire manquant"),
    "unknown verb": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    steps:\n      - hover: '#x'\n",
                     6, "verbe d'étape inconnu"),
    "two verbs": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    steps:\n"
                  "      - {click: A, goto: 'https://x.fr/b'}\n", 6, "un seul verbe"),
    "id with slash": ("demarches:\n  - id: a/b\n    name: A\n    url: https://x.fr/\n", 2, "identifiant"),
    "id with dot-dot": ("demarches:\n  - id: ../../etc\n    name: A\n    url: https://x.fr/\n", 2, "identifiant"),
    "javascript url": ("demarches:\n  - id: a\n    name: A\n    url: 'javascript:alert(1)'\n", 4, "http://"),
    "ftp url": ("demarches:\n  - id: a\n    name: A\n    url: ftp://x.fr/\n", 4, "http://"),
    "url without host": ("demarches:\n  - id: a\n    name: A\n    url: 'https:///chemin'\n", 4, "serveur"),
    "goto file url": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    steps:\n"
                      "      - goto: file:///etc/passwd\n", 6, "fichier local"),
    "scope not http": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    scope: ['data:x']\n", 5,
                       "http://"),
    "empty list": ("demarches: []\n", 1, "liste vide"),
    "not a mapping": ("- 1\n- 2\n", 1, "dictionnaire"),
    "scalar file": ("bonjour\n", 1, "demarches"),
    "deep nesting": ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n    expect: "
                     + "[" * 200 + "]" * 200 + "\n", None, "imbrication trop profonde"),
    "billion laughs": (BILLION_LAUGHS, None, "alias"),
    "recursive alias": ("demarches: &a [*a]\n", 1, "alias récursif"),
    "control character": ("demarches:\n  - id: a\x00\n", 2, "caractère interdit"),
    "python tag": ("demarches: !!python/object/apply:os.system ['echo pwned']\n", 1, "YAML invalide"),
    "negative timeout": ("defaults: {timeout_s: -1}\ndemarches:\n  - {id: a, name: A, url: 'https://x.fr/'}\n", 1,
                         "trop petite"),
    "infinite budget": ("demarches:\n  - {id: a, name: A, url: 'https://x.fr/', timeout_demarche_s: .inf}\n", 2,
                        "demarche"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_config_clear_error_exit_2_nothing_written(tmp_path, name, capsys):
    text, line, words = CASES[name]
    code, messages, out = scan_exit(tmp_path, text)
    assert code == 2, name
    assert not out.exists(), "nothing may be written for a bad configuration"
    assert messages, name
    where = str(tmp_path / "demarches.yaml")
    assert all(m.startswith(where + ":") for m in messages), messages
    if line is not None:
        assert messages[0].startswith(f"{where}:{line}:"), messages
    else:
        assert messages[0].split(":")[1].strip().isdigit() or "volumineux" in messages[0], messages
    assert any(words.lower() in m.lower() for m in messages), messages
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Erreur de configuration" in err


def test_huge_file_is_refused_without_reading_it(tmp_path):
    big = GOOD + "#" * (MAX_CONFIG_BYTES + 10) + "\n"
    code, messages, out = scan_exit(tmp_path, big)
    assert code == 2 and not out.exists()
    assert "trop volumineux" in messages[0]


def test_binary_and_non_utf8_files(tmp_path):
    code, messages, out = scan_exit(tmp_path, b"demarches:\n  - id: \xff\xfe\n")
    assert code == 2 and "UTF-8" in messages[0] and not out.exists()


def test_directory_instead_of_file(tmp_path):
    (tmp_path / "dossier.yaml").mkdir()
    with pytest.raises(ConfigError) as exc:
        load_demarches(tmp_path / "dossier.yaml")
    assert "dossier" in exc.value.messages[0]


def test_anchors_and_aliases_within_limits_are_fine(tmp_path):
    text = ("commun: &commun\n  timeout_s: 5\n  max_pages: 3\n"
            "demarches:\n  - {id: a, name: A, url: 'https://x.fr/a/', <<: *commun}\n"
            "  - {id: b, name: B, url: 'https://x.fr/b/', <<: *commun}\n")
    # the top-level helper key is not part of the format: refused, but with a line, not a crash
    with pytest.raises(ConfigError) as exc:
        validate_demarches(parse_yaml(text, "f.yaml"))
    assert exc.value.messages[0].startswith("f.yaml:1:") and "commun" in exc.value.messages[0]


def test_good_config_still_loads(tmp_path):
    cfg = tmp_path / "demarches.yaml"
    cfg.write_text(GOOD, encoding="utf-8")
    assert load_demarches(cfg).demarches[0].id == "carte-identite"


# --------------------------------------------------------------------------- fuzzing


def _load_text(text: str) -> None:
    """The contract: a CrawlList or a ConfigError, never anything else."""
    try:
        validate_demarches(parse_yaml(text, "fuzz.yaml"))
    except ConfigError as exc:
        assert exc.messages and all(m.startswith("fuzz.yaml") for m in exc.messages), exc.messages


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STRUCTURED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=400))
def test_fuzz_arbitrary_text(text):
    _load_text(text)


@FUZZ
@given(st.data())
def test_fuzz_mutated_good_file(data):
    """Random edits of a valid file: deletions, insertions of YAML syntax characters."""
    text = GOOD
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(st.text(alphabet=":-[]{}&*!|>'\"#%@`,? \n\t" + string.ascii_letters + "0123456789",
                                  min_size=1, max_size=5))
        if op == "insert":
            text = text[:pos] + piece + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + len(piece):]
        else:
            text = text[:pos] + piece + text[pos + len(piece):]
    _load_text(text)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["https://x.fr/", "http://127.0.0.1/a", "javascript:alert(1)", "../..", "a/b", "${PW}", ""]),
)
values = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
        ["id", "name", "url", "steps", "scope", "fill", "click", "goto", "max_pages", "timeout_s", "viewport"])),
        kids, max_size=4),
), max_leaves=20)
demarche = st.fixed_dictionaries(
    {"id": st.one_of(st.sampled_from(["a", "b-1", "a/b", ".."]), scalars),
     "name": scalars, "url": scalars},
    optional={"steps": st.lists(st.dictionaries(
        st.sampled_from(["fill", "select", "check", "upload", "click", "wait_for", "audit", "goto", "hover"]),
        values, max_size=2), max_size=4),
        "scope": values, "expect": values, "max_pages": scalars, "timeout_s": scalars,
        "timeout_demarche_s": scalars, "viewport": values, "allow_submit": scalars, "annual_users": scalars},
)


@STRUCTURED
@given(st.one_of(
    st.fixed_dictionaries({"demarches": st.lists(demarche, max_size=4)}, optional={"defaults": values}),
    values,
))
def test_fuzz_structured_documents(doc):
    """YAML documents shaped like crawl lists, with wrong types everywhere."""
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    _load_text(text)


def test_libyaml_and_pure_python_parsers_agree_on_every_bundled_file():
    """The fast parser (libyaml) must read rules/ and demarches.yaml exactly
    as the pure-Python one; the precise messages come from the latter."""
    import auditor.config as config

    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "rules").glob("*.yaml")) + [root / "demarches.yaml"]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = config._parse_fast(text, str(path))
        assert fast is not None or config._CSafeLoader is None
        slow_loader = yaml.SafeLoader(text)
        try:
            slow = slow_loader.get_single_data()
        finally:
            slow_loader.dispose()
        if fast is not None:
            assert fast.data == slow, path.name


def test_a_syntax_error_keeps_its_precise_message_with_the_fast_parser():
    with pytest.raises(ConfigError) as err:
        parse_yaml("demarches:\n  - id: a\n    url: [non fermé\n", "demarches.yaml")
    assert "demarches.yaml:3:" in str(err.value)
