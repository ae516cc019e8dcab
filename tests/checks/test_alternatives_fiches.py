"""The alternatives check against the structure of real service-public.fr
fiches (``bench/fiches.py`` on a sample): the numbers under « Par
téléphone » are read, with the right surcharge flag; fax, SMS and postal
numbers are not; a « Sur place » chapter gives an in-person channel and a
block without one does not.  Skipped when the fiches are not in the local
cache (``python bench/fiches.py`` fetches them with npm)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .test_alternatives_traps import RULES

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_fiches", ROOT / "bench" / "fiches.py")
assert _spec is not None and _spec.loader is not None
fiches = sys.modules.setdefault("bench_fiches", importlib.util.module_from_spec(_spec))
if not hasattr(fiches, "run"):
    _spec.loader.exec_module(fiches)

DATA = fiches.data_dir(fiches.DEFAULT_CACHE)
EVERY = 8  # one fiche in 8 among those with an « Où s'adresser » block: about 300, a few seconds


@pytest.fixture(scope="module")
def bench():
    if not DATA.is_dir():
        pytest.skip(f"fiches service-public absentes de {DATA} (python bench/fiches.py les télécharge)")
    return fiches.run(DATA, RULES, every=EVERY)


@pytest.mark.parametrize("measure", ["numbers", "not_numbers", "surcharge", "exact", "in_person"])
def test_agreement_with_the_fiches_structure(bench, measure: str) -> None:
    tally = getattr(bench, measure)
    assert tally.total >= 5, f"{measure}: échantillon trop petit ({tally.total})"
    assert tally.agree / tally.total >= 0.95, f"{measure}: {tally.rate()}\n" + "\n".join(sorted(set(tally.misses))[:20])


def test_rendering_keeps_the_chapters_apart() -> None:
    """A contact block renders as service-public.fr shows it: its chapter
    titles on their own lines, as headings, with the number below."""
    block = {"type": "element", "name": "OuSAdresser", "attributes": {"ID": "R1"}, "children": [
        {"name": "Titre", "children": [{"type": "text", "text": "Service des essais"}]},
        {"name": "Texte", "children": [{"name": "Chapitre", "children": [
            {"name": "Titre", "children": [{"name": "Paragraphe", "children": [{"type": "text", "text": "Par téléphone"}]}]},
            {"name": "Paragraphe", "children": [{"name": "MiseEnEvidence", "children": [{"type": "text", "text": "39 39"}]}]},
            {"name": "Paragraphe", "children": [{"type": "text", "text": "Coût : "},
                                                {"name": "Valeur", "children": [{"type": "text", "text": "0,15\u00a0€"}]},
                                                {"type": "text", "text": " / minute"}]},
        ]}]},
    ]}
    page = fiches.contact_page(block, "https://www.service-public.fr/x#R1")
    assert page.text.split("\n") == ["Où s'adresser ?", "Service des essais", "Par téléphone", "39 39",
                                     "Coût : 0,15 € / minute"]
    assert "Par téléphone" in page.headings
    exp = fiches.expected_of(block)
    assert exp.phones == {"3939": True} and exp.closed
