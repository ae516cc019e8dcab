"""The final-control guard on real control names with their page context,
collected from public sources (tests/guard_corpus/, one YAML file per
source; its README is the labelling guide).  One generic test: adding a
case needs no Python.

The guard must never let a final or uncertain control through as ``next``
(a missed final control files or pays for real); a ``next`` control judged
otherwise only shortens the walk, and is counted too: both directions must
hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.collect.final_control import ControlFacts, FormFacts, PageFacts, Vocabulary, classify
from auditor.config import load_rules
from support import ROOT

CORPUS = Path(__file__).resolve().parents[1] / "guard_corpus"
VERDICTS = ("next", "final", "uncertain", "skip")


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CORPUS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(doc["cases"]):
            out.append((f"{path.stem}#{i + 1} {case['name'][:40]}", case))
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_rules(load_rules(ROOT / "rules").get("walk"))


def facts(case: dict[str, Any]) -> tuple[ControlFacts, PageFacts]:
    """A corpus case as the guard sees it in the walk."""
    tag = case.get("tag", "button")
    default_type = "link" if tag == "a" else "submit"
    form = case.get("form")
    control = ControlFacts(
        name=case["name"], tag=tag, submit=case.get("type", default_type) == "submit",
        region=case.get("region", "main"), href=case.get("href", ""), amount=case.get("amount", ""),
        # as candidates.js reads it: no method and no action means a script sends the form
        form=FormFacts(method=str(form.get("method", "get" if "action" in form else "")).lower(),
                       action=form.get("action", ""),
                       fields=list(form.get("fields") or []), text=form.get("text", ""),
                       search=bool(form.get("search"))) if form else None)
    page = PageFacts(
        title=case.get("title", ""), headings=list(case.get("headings") or []), text=case.get("text", ""),
        stepper=tuple(case["stepper"]) if case.get("stepper") else None,
        progress=tuple(case["progress"]) if case.get("progress") else None,
        checkboxes=list(case.get("checkboxes") or []), card_fields=bool(case.get("card_fields")),
        new_password=bool(case.get("new_password")), account_flow=bool(case.get("account_flow")))
    return control, page


def test_the_corpus_is_large_and_well_formed():
    assert len(CASES) >= 150, f"{len(CASES)} cases"
    labels = {v: sum(c["expected"] == v for _, c in CASES) for v in VERDICTS}
    assert labels["final"] >= 40 and labels["next"] >= 40, labels
    for cid, case in CASES:
        assert case["expected"] in VERDICTS, cid
        assert case.get("why") and case.get("where"), cid


def _strict_params():
    """A case whose page says nothing of what the click does (``known_miss``,
    with the reason) is an expected failure: listed, and noticed the day it passes."""
    for cid, case in CASES:
        marks = [pytest.mark.xfail(reason=case["known_miss"], strict=True)] if case.get("known_miss") else []
        yield pytest.param(cid, case, id=cid, marks=marks)


@pytest.mark.parametrize("cid,case", list(_strict_params()))
def test_no_final_control_is_let_through(vocab, cid, case):
    """Strict: a control labelled final or uncertain (or not the démarche)
    is never judged ``next`` — the walk would click it."""
    control, page = facts(case)
    d = classify(control, page, vocab)
    if case["expected"] != "next":
        assert d.verdict != "next", f"{case['why']} — décision : {d.verdict} ({d.reason(case['name'])})"


# The walk never logs in and never follows a link whose name says nothing of a step: a `next`
# control skipped for those reasons is the walk's policy, not the guard's caution.
POLICY = ("login_name", "unknown_name", "never_name")
# below this share of `next` controls judged `next` (policy aside), the guard stops too often to be
# useful on real démarches
MIN_NEXT_AGREEMENT = 0.8


def test_steps_are_walked(vocab):
    nexts = [(cid, c) for cid, c in CASES if c["expected"] == "next"]
    policy, strict = [], []
    for cid, case in nexts:
        d = classify(*facts(case), vocab)
        if d.verdict == "next":
            continue
        line = f"{cid}: {d.verdict} — {d.reason(case['name'])}"
        (policy if d.verdict == "skip" and d.signals[0].code in POLICY else strict).append(line)
    judged = len(nexts) - len(policy)
    share = 1 - len(strict) / judged
    print(f"\n{judged - len(strict)}/{judged} contrôles « suivant » jugés next ({share:.0%}) ; "
          f"{len(policy)} écartés par la politique du parcours (connexion, liens inconnus)")
    print("\n".join(strict + policy))
    assert share >= MIN_NEXT_AGREEMENT, "\n".join(strict)
