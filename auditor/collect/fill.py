"""Filling a form with plausible French test data (auto-walk).

Values are chosen from the control's type, autocomplete token, name and
label; a dummy PDF goes into every file input, hidden ones included (custom
upload widgets hide the real input behind a button).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..model import Control

SAMPLE_PDF = Path(__file__).parent / "sample.pdf"

# (pattern on autocomplete/name/id/label, value) — first match wins
_TEXT_VALUES: list[tuple[str, str]] = [
    (r"e-?mail|courriel|mél\b|mel\b", "test.auditor@example.org"),
    (r"t[ée]l[ée]?phone|\btel\b|portable|mobile", "0612345678"),
    (r"postal|code ?post|\bcp\b|postal-code", "75001"),
    (r"naissance|birth|bday|date", "01/01/1990"),
    (r"siret", "13002526500013"),
    (r"siren", "130025265"),
    (r"fiscal|spi\b", "1234567890123"),
    (r"\bnir\b|s[ée]curit[ée] sociale|num[ée]ro ss", "190017512345612"),
    (r"iban", "FR7630006000011234567890189"),
    (r"pr[ée]nom|given-name|first", "Camille"),
    (r"\bnom\b|family-name|last-?name|surname|nom de naissance|nom d'usage", "Martin"),
    (r"commune|ville|city|address-level2|localit", "Paris"),
    (r"adresse|address|rue|street", "1 rue de la Paix"),
    (r"pays|country", "France"),
    (r"montant|revenu|salaire|amount", "1000"),
]


def value_for(control: Control) -> str:
    """A plausible value for a text-like control."""
    t = control.type
    if t == "email":
        return "test.auditor@example.org"
    if t == "tel":
        return "0612345678"
    if t == "number":
        return "1"
    if t == "date":
        return "1990-01-01"
    if t == "url":
        return "https://example.org"
    if t == "password":
        return "MotDePasse-Test-1"
    words = " ".join([control.autocomplete, control.name, control.id, control.label]).lower()
    for pat, val in _TEXT_VALUES:
        if re.search(pat, words):
            return val
    return "Test"


async def fill_page(page: Any, controls: list[Control], timeout_s: float) -> None:
    """Fill every visible, enabled control of the main frame; failures are
    ignored (the next click will tell whether the form was accepted)."""
    t = min(timeout_s, 5) * 1000
    radio_groups: set[str] = set()
    for c in controls:
        if c.disabled:
            continue
        try:
            loc = page.locator(c.selector).first
            if c.type == "file":
                await loc.set_input_files(str(SAMPLE_PDF), timeout=t)
                continue
            if not c.visible:
                continue
            if c.tag == "select":
                await loc.evaluate(
                    "s => { const o = Array.from(s.options).find(o => o.value && !o.disabled);"
                    " if (o && !s.value) { s.value = o.value; s.dispatchEvent(new Event('input', {bubbles: true}));"
                    " s.dispatchEvent(new Event('change', {bubbles: true})); } }",
                    timeout=t,
                )
            elif c.type == "radio":
                group = c.name or c.selector
                if group in radio_groups:
                    continue
                radio_groups.add(group)
                checked = await page.evaluate(
                    "n => !!document.querySelector(`input[type=radio][name=\"${CSS.escape(n)}\"]:checked`)",
                    c.name,
                ) if c.name else False
                if not checked:
                    await loc.check(timeout=t)
            elif c.type == "checkbox":
                if c.required:
                    await loc.check(timeout=t)
            elif c.tag == "textarea" or c.type in (
                "text", "email", "tel", "number", "date", "url", "search", "password", ""
            ):
                current = await loc.input_value(timeout=t)
                if not current:
                    await loc.fill(value_for(c), timeout=t)
        except Exception:
            continue
