"""The fill pass in a real Chromium: values that framework-controlled fields
keep, candidates tried until the browser accepts one, select placeholders
skipped, required ticks and radio groups — and all of it in a couple of
round trips to the page, whatever the number of fields."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from auditor.collect import fill
from auditor.config import TestDataRules, WalkRules
from auditor.model import Control
from support import FIXTURES


def _rules(harness: Any) -> tuple[TestDataRules, WalkRules]:
    td, wr = harness.rules.get("test-data"), harness.rules.get("walk")
    assert isinstance(td, TestDataRules) and isinstance(wr, WalkRules)
    return td, wr


class CountingPage:
    """A Playwright page that counts what the fill pass asks of it: every
    attribute used, and ``evaluate`` calls in particular."""

    def __init__(self, page: Any) -> None:
        self._page = page
        self.calls: Counter[str] = Counter()

    async def evaluate(self, *args: Any, **kwargs: Any) -> Any:
        self.calls["evaluate"] += 1
        return await self._page.evaluate(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        self.calls[name] += 1
        return getattr(self._page, name)


def fill_html(harness: Any, html: str, after: Any = None) -> tuple[fill.FillReport, Counter[str], Any]:
    """Load ``html``, extract its controls as the walk does, run one fill
    pass through a CountingPage, then ``after(page)`` (the walk's next
    action and the reading of the result)."""
    td, wr = _rules(harness)

    async def go() -> tuple[fill.FillReport, Counter[str], Any]:
        ctx = await harness.browser.new_context(locale="fr-FR")
        try:
            page = await ctx.new_page()
            await page.set_content(html)
            data = await page.main_frame.evaluate(fill._js("extract.js"), {"maxText": 1})
            controls = [Control(**c) for c in data["controls"]]
            counting = CountingPage(page)
            report = await fill.fill_page(counting, controls, td, wr, 10, done=set())
            result = await after(page) if after else None
            return report, counting.calls, result
        finally:
            await ctx.close()

    return harness._run(go())


READ_DOM = """() => {
  const out = {};
  for (const el of document.querySelectorAll("input, select, textarea")) {
    out[el.id] = (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value;
  }
  out.state = JSON.parse(document.getElementById("state")?.textContent || "{}");
  return out;
}"""


def test_controlled_fields_keep_their_values_after_the_next_action(harness):
    html = (FIXTURES / "fill" / "controlled.html").read_text(encoding="utf-8")

    async def next_action(page: Any) -> dict[str, Any]:
        await page.click("#suivant")  # the walk's click: focus moves, the form re-renders from its state
        return await page.evaluate(READ_DOM)

    report, calls, dom = fill_html(harness, html, next_action)
    state = dom.pop("state")
    assert dom["nom"] == "Martin"
    assert dom["prenom"] == "Test"  # « Camille » refused by the pattern, the next candidate kept
    assert dom["usage"] == "Martin"  # nothing accepted: the best guess stays, the field is reported
    assert dom["naissance"] == "1990-01-01"
    assert dom["message"].startswith("Message de test")
    assert dom["civilite"] == "mme"  # the first real option, not the placeholder
    assert dom["pays"] == "fr"  # the table's value, not merely the first option
    assert dom["sit-etu"] is False and dom["sit-loc"] is True and dom["sit-pro"] is False
    assert dom["cgu"] is True and dom["lettre"] is False
    # the page's own state (what a React app would submit) agrees with the DOM
    assert state == {"nom": "Martin", "prenom": "Test", "usage": "Martin", "naissance": "1990-01-01",
                     "message": dom["message"], "civilite": "mme", "pays": "fr", "situation": "locataire",
                     "cgu": True}
    assert report.refused == ["Nom d'usage"]
    assert sorted(report.filled) == sorted(["#nom", "#prenom", "#usage", "#naissance", "#message", "#civilite",
                                            "#pays", "#sit-loc", "#cgu"])
    assert calls == Counter({"evaluate": 2})


MANY = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Six champs</title></head><body><main>
<form>
  <label for="a">Nom</label><input id="a" name="a" required>
  <label for="b">Prénom</label><input id="b" name="b" required>
  <label for="c">Courriel</label><input id="c" name="c" type="email" required>
  <label for="d">Téléphone</label><input id="d" name="d" type="tel" pattern="0[1-9][0-9]{8}">
  <label for="e">Code postal</label><input id="e" name="e" pattern="[0-9]{5}" value="">
  <label for="f">Commune</label><input id="f" name="f" value="Lille">
  <label for="g">Département</label>
  <select id="g" name="g"><option value="">Choisir</option><option value="59">Nord</option></select>
  <input type="checkbox" id="h" name="h" required><label for="h">J'accepte les conditions</label>
  <input type="checkbox" id="i" name="i"><label for="i">J’atteste sur l’honneur l’exactitude des informations</label>
  <button>Suivant</button>
</form></main></body></html>"""


def test_a_form_is_filled_in_a_couple_of_round_trips(harness):
    report, calls, dom = fill_html(harness, MANY, lambda page: page.evaluate(READ_DOM))
    # one snapshot, one apply: no per-field locator (fill, select_option, evaluate…)
    assert calls["evaluate"] <= 4 and "locator" not in calls, calls
    assert set(calls) == {"evaluate"}, calls
    assert dom["a"] == "Martin" and dom["b"] == "Camille" and dom["c"] == "test.auditor@example.org"
    assert dom["d"] == "0199001234" and dom["e"] == "75001"
    assert dom["f"] == "Lille"  # pre-filled by the service: kept
    assert dom["g"] == "59" and dom["h"] is True and dom["i"] is True
    assert report.refused == []
    assert sorted(report.filled) == ["#a", "#b", "#c", "#d", "#e", "#g", "#h", "#i"]
