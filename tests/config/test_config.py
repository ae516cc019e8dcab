"""demarches.yaml validation: every error names the file, the line and the démarche."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import ConfigError, default_scope, load_demarches, load_rules, resolve_env, secret_values

VALID = """\
defaults:
  max_pages: 10
demarches:
  - id: carte-identite
    name: "Demande de carte nationale d'identité"
    url: "https://example.gouv.fr/cni/start.html"
    annual_users: 4500000
    steps:
      - fill: {"#nom": "Dupont"}
      - click: "Suivant"
      - audit: "Étape 2"
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "demarches.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def errors_of(tmp_path: Path, text: str, **kw) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load_demarches(write(tmp_path, text), **kw)
    return exc.value.messages


def test_valid_file_and_defaults(tmp_path):
    crawl = load_demarches(write(tmp_path, VALID))
    d = crawl.effective_demarches()[0]
    assert d.max_pages == 10 and d.timeout_s == 30
    assert d.scope == ["https://example.gouv.fr/cni/"]
    assert [s.verb for s in d.steps] == ["fill", "click", "audit"]


def test_bundled_demarches_files_are_valid_and_identical():
    root = Path(__file__).resolve().parents[2]
    assert (root / "demarches.yaml").read_text() == (root / "auditor/demo/demarches.yaml").read_text()
    assert len(load_demarches(root / "demarches.yaml").demarches) == 3


@pytest.mark.parametrize(
    "snippet, line, words",
    [
        ("    url: https://x.fr/\n    nom: 2\n", 5, ["champ inconnu", "nom"]),
        ("    url: https://x.fr/\n    annual_users: beaucoup\n", 5, ["nombre entier attendu", "annual_users"]),
        ("    url: ftp://x.fr/\n", 4, ["http://"]),
        ("    url: file:///tmp/x.html\n", 4, ["--allow-file-urls"]),
        ("    url: https://x.fr/\n    steps:\n      - hover: '#x'\n", 6, ["verbe d'étape inconnu", "hover"]),
        ("    url: https://x.fr/\n    steps:\n      - fill: '#x'\n", 6, ["dictionnaire"]),
        ("    url: https://x.fr/\n    allow_submit: peut-être\n", 5, ["booléen"]),
    ],
)
def test_field_errors_name_file_line_and_demarche(tmp_path, snippet, line, words):
    text = "demarches:\n  - id: ma-demarche\n    name: Test\n" + snippet
    (msg,) = errors_of(tmp_path, text)
    assert msg.startswith(f"{tmp_path / 'demarches.yaml'}:{line}:"), msg
    assert "« ma-demarche »" in msg
    for w in words:
        assert w in msg


def test_missing_required_field(tmp_path):
    (msg,) = errors_of(tmp_path, "demarches:\n  - id: sans-url\n    name: Test\n")
    assert ":2:" in msg and "url" in msg and "champ obligatoire manquant" in msg


def test_bad_slug(tmp_path):
    (msg,) = errors_of(tmp_path, "demarches:\n  - id: Carte Identité\n    name: X\n    url: https://x.fr/\n")
    assert ":2:" in msg and "minuscules" in msg


@pytest.mark.parametrize("ident", ["../evil", "a/b", "..", "UPPER"])
def test_ids_cannot_escape_the_output_folder(tmp_path, ident):
    (msg,) = errors_of(tmp_path, f"demarches:\n  - id: '{ident}'\n    name: X\n    url: https://x.fr/\n")
    assert "identifiant" in msg


def test_duplicate_ids(tmp_path):
    text = ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n"
            "  - id: a\n    name: B\n    url: https://y.fr/\n")
    (msg,) = errors_of(tmp_path, text)
    assert ":5:" in msg and "en double" in msg and "ligne 2" in msg


def test_duplicate_yaml_keys(tmp_path):
    (msg,) = errors_of(tmp_path, "demarches:\n  - id: a\n    name: A\n    name: B\n    url: https://x.fr/\n")
    assert ":4:" in msg and "en double" in msg


def test_empty_list_and_empty_file(tmp_path):
    assert "liste vide" in errors_of(tmp_path, "demarches: []\n")[0]
    assert "vide" in errors_of(tmp_path, "")[0]


def test_malformed_yaml_names_the_line(tmp_path):
    (msg,) = errors_of(tmp_path, "demarches:\n  - id: a\n    name: [oops\n")
    assert "YAML invalide" in msg and str(tmp_path) in msg


def test_file_urls_allowed_with_option(tmp_path):
    crawl = load_demarches(write(tmp_path, "demarches:\n  - id: a\n    name: A\n    url: file:///tmp/a.html\n"),
                           allow_file_urls=True)
    assert crawl.demarches[0].url.startswith("file://")


def test_missing_file():
    with pytest.raises(ConfigError) as exc:
        load_demarches("/nonexistent/demarches.yaml")
    assert "introuvable" in exc.value.messages[0]


def test_env_references_are_resolved_late_and_never_saved(tmp_path):
    text = ("demarches:\n  - id: a\n    name: A\n    url: https://x.fr/\n"
            "    steps:\n      - fill: {'#pw': '${TEST_PW}'}\n")
    d = load_demarches(write(tmp_path, text)).demarches[0]
    assert d.public_dict()["steps"] == [{"fill": {"#pw": "${TEST_PW}"}}]
    assert resolve_env("${TEST_PW}", {"TEST_PW": "s3cret"}) == "s3cret"
    assert secret_values(d, {"TEST_PW": "s3cret"}) == ["s3cret"]
    with pytest.raises(ConfigError):
        resolve_env("${ABSENT_VAR}", {})


def test_default_scope():
    assert default_scope("https://x.fr/a/b/start.html?x=1") == "https://x.fr/a/b/"
    assert default_scope("https://x.fr") == "https://x.fr/"


def test_rules_load_and_bad_rules_are_reported(tmp_path):
    rules = load_rules()
    assert rules.get("walk").next and rules.digest
    (tmp_path / "walk.yaml").write_text("next:\n  - '(unclosed'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(tmp_path)
    assert "walk.yaml" in exc.value.messages[0] and "expression régulière" in exc.value.messages[0]


def test_settle_idle_window_cannot_exceed_the_quiet_window(tmp_path):
    (tmp_path / "walk.yaml").write_text("settle:\n  quiet_ms: 100\n  idle_ms: 300\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(tmp_path)
    assert "walk.yaml" in exc.value.messages[0] and "idle_ms" in exc.value.messages[0]
    (tmp_path / "walk.yaml").write_text("settle:\n  quiet_ms: 100\n  idle_ms: 30\n", encoding="utf-8")
    assert load_rules(tmp_path).get("walk").settle.idle_ms == 30
