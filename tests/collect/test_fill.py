"""Test data of the auto-walk, without a browser: the value chosen for each
kind of field (rules/test-data.yaml) and how it is fitted to the field's
constraints (pattern, lengths, min/max/step, dates)."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.collect.fill import (
    SAMPLE_JPG, SAMPLE_PDF, SAMPLE_PNG, adjust_number, candidate_values, choose_option, file_for, sample_for_pattern,
)
from auditor.config import ConfigError, TestDataRules, load_rules
from auditor.model import Control
from support import ROOT

TODAY = date(2026, 11, 27)
# ../shared next to the repository (a git worktree in /work/wt/<branch> looks one level higher)
CATALOGUE = next((p for p in (ROOT / ".." / "shared", ROOT / ".." / ".." / "shared") if p.is_dir()),
                 ROOT / ".." / "shared") / "data" / "ds-catalogue" / "demarches.jsonl.gz"


@pytest.fixture(scope="module")
def data() -> TestDataRules:
    rules = load_rules(ROOT / "rules")
    td = rules.get("test-data")
    assert isinstance(td, TestDataRules)
    return td


def ctl(**kw) -> Control:
    kw.setdefault("type", "text")
    return Control(selector="#x", tag=kw.pop("tag", "input"), **kw)


def first(c: Control, data: TestDataRules) -> str:
    values = candidate_values(c, data, TODAY)
    assert values, c
    return values[0]


@pytest.mark.parametrize("field,expected", [
    (dict(label="Nom"), "Martin"),
    (dict(label="Nom de naissance"), "Martin"),
    (dict(label="Nom d'usage"), "Martin"),
    (dict(label="Prénom(s)"), "Camille"),
    (dict(name="given-name-x", autocomplete="given-name", label="Votre prénom usuel"), "Camille"),
    (dict(label="Adresse postale"), "10 rue de Rivoli"),
    (dict(label="Adresse électronique"), "test.auditor@example.org"),
    (dict(label="Complément d'adresse"), "Bâtiment A"),
    (dict(label="Commune"), "Paris"),
    (dict(label="Commune de naissance"), "Lyon"),
    (dict(label="Code postal"), "75001"),
    (dict(name="cp"), "75001"),
    (dict(autocomplete="postal-code", label="Votre code"), "75001"),
    (dict(label="Téléphone"), "0199001234"),
    (dict(label="Téléphone portable", type="tel"), "0639981234"),
    (dict(label="Courriel", type="email"), "test.auditor@example.org"),
    (dict(label="Numéro fiscal"), "1234567890066"),
    (dict(name="numero_fiscal"), "1234567890066"),
    (dict(label="Numéro de sécurité sociale (NIR)"), "190017505612370"),
    (dict(label="SIRET de l'entreprise"), "12345678200002"),
    (dict(label="Numéro SIREN"), "123456782"),
    (dict(label="IBAN"), "FR7630006000011234567890189"),
    (dict(label="Date de naissance", type="date"), "1990-01-01"),
    (dict(label="Date de naissance", placeholder="jj/mm/aaaa"), "01/01/1990"),
    (dict(label="Date de naissance", hint="Format : aaaa-mm-jj"), "1990-01-01"),
    (dict(label="Jour"), "01"),
    (dict(label="Année"), "1990"),
    (dict(label="Revenu fiscal de référence", type="number"), "1000"),
    (dict(label="Nombre de parts fiscales", type="number"), "1"),
    (dict(label="Votre message", tag="textarea", type="textarea"),
     "Message de test rédigé par un outil d'audit automatique : aucune suite à donner."),
    (dict(label="Champ sans indice"), "Test"),
])
def test_value_by_name_label_or_autocomplete(data, field, expected):
    assert first(ctl(**field), data) == expected


@pytest.mark.parametrize("field,expected", [
    # a name, not a date, whatever the word « naissance » after it
    (dict(label="Noms de naissance"), "Martin"),
    (dict(label="NOM D'USAGE"), "Martin"),
    (dict(label="Nom d’usage (si différent du nom de naissance) (1)"), "Martin"),
    (dict(label="Nom patronymique (de naissance )"), "Martin"),
    (dict(name="nom_naissance"), "Martin"),
    (dict(name="nomNaissance"), "Martin"),
    (dict(id="nomDeNaissance"), "Martin"),
    (dict(name="nom_usage"), "Martin"),
    (dict(name="dossier[champs][nom_naissance][value]"), "Martin"),
    (dict(name="birthName"), "Martin"),
    # a birth date
    (dict(label="Né(e) le"), "01/01/1990"),
    (dict(label="Né.e le :"), "01/01/1990"),
    (dict(label="Née le"), "01/01/1990"),
    (dict(label="Né(e) le", type="date"), "1990-01-01"),
    (dict(name="date_naissance"), "01/01/1990"),
    (dict(name="dateNaissance", type="date"), "1990-01-01"),
    (dict(name="datenaissance"), "01/01/1990"),
    (dict(name="birthDate"), "01/01/1990"),
    # places of birth, and words that merely contain « naissance »
    (dict(name="lieu_naissance"), "Lyon"),
    (dict(name="lieuNaissance"), "Lyon"),
    (dict(label="Code postal du lieu de naissance"), "75001"),
    (dict(label="Date de reconnaissance du diplôme", type="date"), "2025-11-27"),
    (dict(label="Comment avez-vous eu connaissance du stage ?"), "Test"),
])
def test_birth_name_is_a_name_and_birth_date_a_date(data, field, expected):
    assert first(ctl(**field), data) == expected


@pytest.mark.skipif(not CATALOGUE.exists(), reason="../shared/data absent")
def test_birth_names_and_dates_of_the_real_catalogue(data):
    """Every « Nom de naissance » / « Nom d'usage » text field of the
    démarches-simplifiées catalogue gets a name, every « Date de naissance »
    / « Né(e) le » a birth date, and no text field that mentions
    « connaissance » gets a date."""
    name_rx = re.compile(r"^\s*(votre\s+)?noms?\s+(de\s+naissance|d['’]\s*usage)\b", re.IGNORECASE)
    date_rx = re.compile(r"^\s*((votre\s+)?date\s+de\s+naissance|n[ée]\(e\)\s+le)\b", re.IGNORECASE)
    # not a person's name alone: a place, a company, or the first name asked in the same field
    place_rx = re.compile(r"lieu|ville|commune|pays|d[ée]partement|code|date|entreprise|soci[ée]t[ée]|pr[ée]nom",
                          re.IGNORECASE)
    counts = {"name": 0, "date": 0, "text_date": 0, "connaissance": 0}
    wrong: list[tuple[str, str, str]] = []

    def champs(items):
        for ch in items:
            yield ch
            yield from champs(ch.get("champs") or [])

    with gzip.open(CATALOGUE, "rt", encoding="utf-8") as f:
        for line in f:
            if "aissance" not in line and "sage" not in line and "le" not in line:
                continue
            for ch in champs(json.loads(line)["champs"]):
                label, kind = ch["label"].strip(), ch["type"]
                if kind == "Text" and name_rx.search(label) and not place_rx.search(label[4:]):
                    key, c, expected = "name", ctl(label=label), "Martin"
                elif kind == "Date" and date_rx.search(label):
                    key, c, expected = "date", ctl(label=label, type="date"), "1990-01-01"
                elif kind == "Text" and date_rx.search(label) and not re.search("lieu", label, re.IGNORECASE):
                    key, c, expected = "text_date", ctl(label=label), "01/01/1990"
                elif kind in ("Text", "Textarea") and "connaissance" in label.lower():
                    key, c, expected = "connaissance", ctl(label=label), None
                else:
                    continue
                counts[key] += 1
                got = first(c, data)
                if (expected is None and got == "01/01/1990") or (expected is not None and got != expected):
                    wrong.append((kind, label, got))
    assert counts["name"] > 3000 and counts["date"] > 5000 and counts["text_date"] > 100 \
        and counts["connaissance"] > 300, counts
    assert not wrong, "\n".join(map(repr, wrong[:40]))


def test_nir_and_siret_are_well_formed():
    nir = "190017505612370"
    assert 97 - int(nir[:13]) % 97 == int(nir[13:])

    def luhn(s: str) -> bool:
        total = 0
        for i, ch in enumerate(reversed(s)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        return total % 10 == 0

    assert luhn("12345678200002") and luhn("123456782")


@pytest.mark.parametrize("field,check", [
    (dict(label="Numéro fiscal", pattern="[0-3][0-9]{12}"), lambda v: v == "1234567890066"),
    (dict(label="Référence", pattern="[A-Z]{2}-[0-9]{4}"), lambda v: re.fullmatch("[A-Z]{2}-[0-9]{4}", v)),
    (dict(label="Code", pattern="[a-z]+", minlength=6), lambda v: re.fullmatch("[a-z]{6,}", v)),
    (dict(label="Téléphone", pattern=r"(\+33|0)[1-9]( ?[0-9]{2}){4}"), lambda v: v == "0199001234"),
    (dict(label="Téléphone", pattern=r"\+33 [1-9]( [0-9]{2}){4}"),
     lambda v: re.fullmatch(r"\+33 [1-9]( [0-9]{2}){4}", v)),
    (dict(label="Commentaire", maxlength=10), lambda v: len(v) <= 10),
    (dict(label="Code d'accès", minlength=12), lambda v: len(v) >= 12),
    (dict(label="Code postal", pattern="[0-9]{5}", maxlength=5), lambda v: v == "75001"),
])
def test_constraints_respected(data, field, check):
    assert check(first(ctl(**field), data))


def test_dates_within_min_and_max(data):
    assert first(ctl(type="date", label="Date d'emménagement", min="2020-01-01", max="2024-12-31"), data) == "2024-12-31"
    assert first(ctl(type="date", label="Date de début", min="2027-01-01"), data) == "2027-01-01"
    assert first(ctl(type="date", label="Date de naissance", max="1980-06-30"), data) == "1980-06-30"
    # relative default: a year before the scan
    assert first(ctl(type="date", label="Date des faits"), data) == "2025-11-27"
    assert first(ctl(type="month", label="Mois de début", min="2027-03"), data) == "2027-03"
    assert first(ctl(type="datetime-local", label="Date du rendez-vous", min="2027-01-01T00:00"), data) == "2027-01-01T10:00"
    assert re.fullmatch(r"\d{4}-W\d{2}", first(ctl(type="week", label="Semaine"), data))


def test_numbers_within_min_max_and_step(data):
    assert first(ctl(type="number", label="Montant du loyer", min="100", max="5000", step="50"), data) == "1000"
    assert first(ctl(type="number", label="Montant", min="5000", step="100"), data) == "5000"
    assert first(ctl(type="number", label="Nombre d'enfants", min="2", max="3"), data) == "2"
    assert first(ctl(type="number", label="Taux", min="0", max="1", step="0.25"), data) == "1"
    assert first(ctl(type="range", min="0", max="10"), data) == "5"
    assert adjust_number(7.0, ctl(type="number", min="1", max="10", step="3")) == "7"
    assert adjust_number(8.0, ctl(type="number", min="1", max="9", step="3")) == "7"


def test_file_for_accept():
    assert file_for(ctl(type="file")) == SAMPLE_PDF
    assert file_for(ctl(type="file", accept=".pdf,.jpg")) == SAMPLE_PDF
    assert file_for(ctl(type="file", accept="image/*")) == SAMPLE_PNG
    assert file_for(ctl(type="file", accept=".jpg,.jpeg")) == SAMPLE_JPG
    for f in (SAMPLE_PDF, SAMPLE_PNG, SAMPLE_JPG):
        assert 0 < f.stat().st_size < 5000


@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[A-Z0-9\-]{1,3}(\[[a-z0-9]{1,3}\]|[0-9])(\{[1-4]\})?(\|[a-c]{1,3})?", fullmatch=True))
def test_sample_for_pattern_matches_when_it_answers(pattern):
    try:
        re.compile(pattern)
    except re.error:
        return
    s = sample_for_pattern(pattern)
    if s is not None:
        assert re.fullmatch(pattern, s)


@pytest.mark.parametrize("pattern,minlen,maxlen", [
    ("[0-9]{13}", 0, None), (r"\d{5}", 0, 5), ("[A-Z]{2}[0-9]{6}", 8, 8), ("[a-z]+", 7, None),
    (r"(\w+)\.(\w+)@example\.(fr|org)", 0, None), ("(?:oui|non)", 0, None), ("[^0-9]{3}", 0, None),
])
def test_sample_for_pattern(pattern, minlen, maxlen):
    s = sample_for_pattern(pattern, minlen, maxlen)
    assert s is not None and re.fullmatch(pattern, s) and len(s) >= minlen
    assert maxlen is None or len(s) <= maxlen


def test_bad_test_data_rule_names_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "test-data.yaml").write_text(
        "fields:\n  - {match: \"nom\", value: \"Martin\"}\n  - {match: \"(pr[ée]nom\", value: \"Camille\"}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as exc:
        load_rules(rules)
    msg = str(exc.value)
    assert "test-data.yaml:3" in msg and "expression régulière invalide" in msg
