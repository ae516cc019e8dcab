"""A user's rules folder over the shipped rules: ``load_rules`` overlays,
``auditor rules export``, ``auditor validate DIR``, the scorecard's
``tool.rules_overridden``, and ``auditor --version``."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from auditor.cli import main
from auditor.config import ConfigError, load_rules
from auditor.ruleset import SCHEMAS, schema
from auditor.model import Capture
from auditor.rules_files import bundled_names, bundled_rules_dir
from auditor.schemas import validate_scorecard
from auditor.pipeline import build_scorecard

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_rules_env(monkeypatch):
    monkeypatch.delenv("AUDITOR_RULES", raising=False)


def test_a_checkout_reads_the_rules_folder_of_the_repository():
    assert bundled_rules_dir() == ROOT / "rules"
    assert bundled_names() == sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))


def test_a_partial_folder_replaces_only_its_files(tmp_path):
    shipped = load_rules()
    (tmp_path / "indicators.yaml").write_text("# réglages locaux\n" + (ROOT / "rules" / "indicators.yaml")
                                              .read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "auth.yaml").write_bytes((ROOT / "rules" / "auth.yaml").read_bytes())  # kept as shipped
    (tmp_path / "notes.txt").write_text("pas un fichier de règles", encoding="utf-8")
    rules = load_rules(tmp_path)
    assert set(rules.raw) == set(shipped.raw)  # every other file comes from the shipped set
    assert rules.overridden == ["indicators.yaml"]  # an unchanged copy overrides nothing
    assert rules.digest != shipped.digest and rules.directory == tmp_path
    assert load_rules(ROOT / "rules").overridden == [] and load_rules(ROOT / "rules").digest == shipped.digest


def test_the_environment_names_a_folder_and_the_option_wins(tmp_path, monkeypatch):
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "indicators.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "opt").mkdir()
    monkeypatch.setenv("AUDITOR_RULES", str(tmp_path / "env"))
    assert load_rules().overridden == ["indicators.yaml"]
    assert load_rules(tmp_path / "opt").overridden == []
    monkeypatch.setenv("AUDITOR_RULES", str(tmp_path / "absent"))
    with pytest.raises(ConfigError, match="dossier de règles introuvable"):
        load_rules()


def test_a_misspelt_file_is_an_error_with_the_likely_name(tmp_path):
    (tmp_path / "alternative.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "walk.yml").write_text("{}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(tmp_path)
    text = "\n".join(exc.value.messages)
    assert "alternative.yaml: fichier de règles inconnu" in text and "« alternatives.yaml »" in text
    assert "walk.yml: fichier de règles inconnu" in text and "« walk.yaml »" in text


def _models(annotation: typing.Any) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def test_every_rules_schema_refuses_unknown_keys():
    """`auditor validate DIR` promises an error for an unknown key wherever a
    schema exists: each model, nested ones included, must forbid extras."""
    load_rules()
    seen: set[type[BaseModel]] = set()
    todo = [schema(name) for name in SCHEMAS]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        assert model.model_config.get("extra") == "forbid", model.__name__
        todo.extend(m for f in model.model_fields.values() for m in _models(f.annotation))
    assert len(seen) > len(SCHEMAS)


def _validate(capsys, *args: str | Path) -> tuple[int, str, str]:
    code = main(["validate", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_a_rules_folder(tmp_path, capsys):
    assert main(["rules", "export", str(tmp_path), "walk", "auth.yaml"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["auth.yaml", "walk.yaml"]
    code, out, _ = _validate(capsys, tmp_path)
    assert code == 0 and "règles valides" in out and "aucun, identiques" in out

    auth = tmp_path / "auth.yaml"
    auth.write_text(auth.read_text(encoding="utf-8") + "franceconect: {}\n", encoding="utf-8")
    line = len(auth.read_text(encoding="utf-8").splitlines())
    code, _, err = _validate(capsys, tmp_path)
    assert code == 2 and f"{auth}:{line}: « franceconect » : champ inconnu." in err

    auth.write_bytes((ROOT / "rules" / "auth.yaml").read_bytes())
    (tmp_path / "walk.yaml").write_text("settle:\n  quiet_ms: beaucoup\n", encoding="utf-8")
    (tmp_path / "autre.yaml").write_text("{}\n", encoding="utf-8")
    code, _, err = _validate(capsys, tmp_path)
    assert code == 2 and f"{tmp_path / 'walk.yaml'}:2:" in err and "autre.yaml: fichier de règles inconnu" in err

    (tmp_path / "autre.yaml").unlink()
    (tmp_path / "walk.yaml").write_bytes((ROOT / "rules" / "walk.yaml").read_bytes())
    (tmp_path / "indicators.yaml").write_text("{}\n", encoding="utf-8")
    code, out, _ = _validate(capsys, tmp_path)
    assert code == 0 and "fichiers modifiés : indicators.yaml" in out


def test_validate_refuses_a_folder_without_rules(tmp_path, capsys):
    (tmp_path / "carte-identite").mkdir()
    (tmp_path / "carte-identite" / "scorecard.json").write_text("{}", encoding="utf-8")
    code, _, err = _validate(capsys, tmp_path)
    assert code == 2 and "aucun fichier de règles" in err


def test_validate_still_checks_crawl_lists_and_scorecards(tmp_path, capsys):
    crawl = tmp_path / "demarches.yaml"
    crawl.write_text("demarches:\n  - id: a\n    name: A\n    url: https://a.fr/\n    extra: 1\n", encoding="utf-8")
    code, _, err = _validate(capsys, crawl)
    assert code == 2 and f"{crawl}:5:" in err
    card = tmp_path / "scorecard.json"
    card.write_text("{}", encoding="utf-8")
    code, _, err = _validate(capsys, card)
    assert code == 2 and "invalide" in err


def test_export_keeps_earlier_edits_unless_forced(tmp_path, capsys):
    assert main(["rules", "export", str(tmp_path / "r")]) == 0
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == bundled_names()
    walk = tmp_path / "r" / "walk.yaml"
    walk.write_text("{}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["rules", "export", str(tmp_path / "r"), "walk.yaml"]) == 2
    assert "contient déjà walk.yaml" in capsys.readouterr().err and walk.read_text(encoding="utf-8") == "{}\n"
    assert main(["rules", "export", str(tmp_path / "r"), "walk.yaml", "--force"]) == 0
    assert walk.read_bytes() == (ROOT / "rules" / "walk.yaml").read_bytes()
    assert main(["rules", "export", str(tmp_path / "s"), "marche.yaml"]) == 2
    assert "inconnu(s) : marche.yaml" in capsys.readouterr().err and not (tmp_path / "s").exists()


def test_the_scorecard_names_the_overridden_files(tmp_path):
    capture = Capture(demarche={"id": "essai", "name": "Essai", "url": "https://d.fr/"},
                      scanned_at="2026-11-27T10:00:00Z", tool={"version": "0", "axe_version": "4", "browser": "C"})
    assert "rules_overridden" not in build_scorecard(capture, load_rules())["tool"]
    (tmp_path / "indicators.yaml").write_text("{}\n", encoding="utf-8")
    card = build_scorecard(capture, load_rules(tmp_path))
    assert card["tool"]["rules_overridden"] == ["indicators.yaml"]
    assert not validate_scorecard(card)
    assert validate_scorecard({**card, "tool": {**card["tool"], "rules_overridden": "indicators.yaml"}})


def test_version_says_when_no_browser_is_found(monkeypatch, capsys):
    from auditor import about
    from auditor.collect import browser

    def nothing(*_args):
        raise browser.BrowserNotFound("absent")

    monkeypatch.delenv("AUDITOR_BROWSER", raising=False)
    monkeypatch.setattr(browser, "find_browser", nothing)
    monkeypatch.setattr(about, "_playwright_chromium", lambda: None)
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    lines = capsys.readouterr().out.splitlines()
    assert exc.value.code == 0 and lines[0].startswith("auditor 0.") and lines[1].startswith("axe-core 4.")
    assert lines[2].startswith("navigateur : aucun Chromium trouvé")
