"""Property tests: identifiers, dates, amounts and postal codes, in any mix,
are never reported as phone numbers (issue 5: « no date, price or
identifier is ever taken for a phone number »)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.checks.alternatives import find_alternatives
from auditor.config import load_rules
from auditor.model import PageCapture

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules")

digits = lambda n: st.text("0123456789", min_size=n, max_size=n)  # noqa: E731


@st.composite
def siret(draw: st.DrawFn) -> str:
    d = draw(digits(14))
    form = draw(st.sampled_from(["{a} {b} {c} {e}", "{a}{b}{c}{e}", "{a} {b} {c} {e1} {e2}", "{a}.{b}.{c}.{e}"]))
    text = form.format(a=d[:3], b=d[3:6], c=d[6:9], e=d[9:], e1=d[9:12], e2=d[12:])
    label = draw(st.sampled_from(["SIRET : ", "N° SIRET ", "Siret de l'établissement : ", "SIRET du prestataire "]))
    return label + text


@st.composite
def siren(draw: st.DrawFn) -> str:
    d = draw(digits(9))
    form = draw(st.sampled_from(["{a} {b} {c}", "{a}{b}{c}"]))
    label = draw(st.sampled_from(["SIREN : ", "n° SIREN ", "RCS Paris ", "TVA intracommunautaire FR 12 "]))
    return label + form.format(a=d[:3], b=d[3:6], c=d[6:])


@st.composite
def date(draw: st.DrawFn) -> str:
    d, m, y = draw(st.integers(1, 31)), draw(st.integers(1, 12)), draw(st.integers(1990, 2035))
    forms = ["{d:02d}/{m:02d}/{y}", "{d:02d}.{m:02d}.{y}", "{d:02d}-{m:02d}-{y}", "{y}-{m:02d}-{d:02d}",
             "{d:02d} {m:02d} {y}", "{d}/{m}/{y}"]
    one = draw(st.sampled_from(forms)).format(d=d, m=m, y=y)
    d2, m2 = draw(st.integers(1, 31)), draw(st.integers(1, 12))
    two = draw(st.sampled_from(forms)).format(d=d2, m=m2, y=y)
    tpl = draw(st.sampled_from(["Le {a}", "du {a} au {b}", "{a} - {b}", "Période : {a}-{b}", "mis à jour le {a} à 10h30",
                                "Date limite : {a}"]))
    return tpl.format(a=one, b=two)


@st.composite
def price(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 10**10))
    grouped = f"{n:,}".replace(",", draw(st.sampled_from([" ", "\u202f", ".", ""])))
    cents = draw(st.sampled_from(["", ",00", ",50", ".99"]))
    unit = draw(st.sampled_from([" €", "€", " euros", " EUR", " € TTC"]))
    return draw(st.sampled_from(["Montant : ", "Coût : ", "Plafond de ", "soit ", ""])) + grouped + cents + unit


@st.composite
def postal(draw: st.DrawFn) -> str:
    cp = draw(digits(5))
    return draw(st.sampled_from([
        f"{cp} Paris", f"BP {draw(digits(4))} – {cp} Tours Cedex", f"CS {cp} – {cp} LYON CEDEX 0{draw(st.integers(1, 9))}",
        f"Code postal : {cp}", f"{draw(st.integers(1, 300))} rue de la République, {cp} Marseille",
    ]))


@st.composite
def reference(draw: st.DrawFn) -> str:
    d = draw(digits(10))
    return draw(st.sampled_from([
        f"Dossier n° {d}", f"Réf. {d}", f"Référence : {d[:2]} {d[2:4]} {d[4:6]} {d[6:8]} {d[8:]}",
        f"Numéro de demande : {d}", f"N° de dossier {d[:4]}-{d[4:]}", f"Identifiant : {d}",
        f"Numéro fiscal : {d}{draw(digits(3))}", f"Numéro d'allocataire : {d[:7]}",
        f"Fax : {'0' + d[1:2]} {d[2:4]} {d[4:6]} {d[6:8]} {d[8:]}",
        f"Télécopie : 0{draw(st.integers(1, 5))}.{d[2:4]}.{d[4:6]}.{d[6:8]}.{d[8:]}",
        f"https://demarches.example.gouv.fr/dossiers/{d}", f"/pj/{d}.pdf",
    ]))


trap = st.one_of(siret(), siren(), date(), price(), postal(), reference())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trap, min_size=1, max_size=6), st.sampled_from(["\n", " ; ", ". ", " – "]))
def test_traps_are_never_phone_numbers(items: list[str], sep: str) -> None:
    page = PageCapture(index=1, kind="step", url="https://d.example.gouv.fr/", text=sep.join(items))
    block = find_alternatives([page], RULES)
    assert block["phone"]["numbers"] == [], (page.text, block["phone"]["lines"])


@settings(max_examples=100, deadline=None)
@given(st.lists(trap, max_size=4), st.sampled_from(["Tél. : ", "Téléphone : ", "Appelez le ", "Contact : "]),
       st.sampled_from(["01 40 07 60 60", "01.40.07.60.60", "+33 1 40 07 60 60", "0140076060"]))
def test_a_real_number_among_traps_is_still_found(items: list[str], label: str, number: str) -> None:
    text = "\n".join([*items, label + number, *items])
    page = PageCapture(index=1, kind="step", url="https://d.example.gouv.fr/", text=text)
    assert find_alternatives([page], RULES)["phone"]["numbers"] == ["+33 1 40 07 60 60"], text
