"""Steps named by what they ask (pure: step_names.py)."""

from __future__ import annotations

from auditor.model import Control, PageCapture
from auditor.step_names import step_names


def page(i: int, *, title: str = "Simulateur", headings=(), fields=(), name=None, kind="step") -> PageCapture:
    return PageCapture(index=i, kind=kind, url=f"https://x.fr/{i}", title=title, headings=list(headings),
                       controls=list(fields), name=name)


def field(label: str, legend: str = "", name: str = "f", type: str = "text") -> Control:
    return Control(selector=f"#{name}-{label}", tag="input", type=type, name=name, label=label, legend=legend,
                   region="main")


def test_legend_then_heading_then_lone_label_then_title():
    pages = [
        page(1, headings=["Simulateur d'aides", "Votre situation"],
             fields=[field("Oui", "Site\nÊtes-vous étudiant ?", "r", "radio"), field("Non", "Site\nÊtes-vous étudiant ?", "r", "radio")]),
        page(2, headings=["Simulateur d'aides", "Vos revenus"]),
        page(3, headings=["Simulateur d'aides"], fields=[field("Code postal", name="cp")]),
        page(4, headings=["Simulateur d'aides"]),
        page(5, name="Récapitulatif (script)"),
        page(6, kind="annex", title="Contact"),
    ]
    assert step_names(pages) == {
        1: "Êtes-vous étudiant ?",  # the innermost legend of the radio group
        2: "Vos revenus",  # the site's heading on every step is passed over
        3: "Code postal",  # the label of the only field
        4: "Simulateur d'aides",  # nothing of its own: its first candidate
        5: "Récapitulatif (script)",  # the auditor's own name is kept
    }
