"""Filling a form with plausible French test data (auto-walk).

The values come from ``rules/test-data.yaml`` (autocomplete token, then the
field's name/id/label/placeholder, then its type) and are adjusted to the
field's own constraints — ``pattern``, ``minlength``/``maxlength``,
``min``/``max``/``step``, dates between ``min`` and ``max`` — because a
démarche that refuses our data stops the walk on its first page.  The
browser has the last word: after each value the field's ``validity`` is
read, and the next candidate is tried when it is refused.

A dummy file goes into every file input, hidden ones included: custom upload
widgets hide the real ``input[type=file]`` behind a button or a label.

Its parts: the values a field gets, decided without the browser
(``fill_values``), and the value built from a ``pattern`` (``fill_pattern``);
this module plans a pass over the page's snapshot and sends it to the page.
The names the walk and the tests use are still importable from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config import TestDataRules, WalkRules
from ..model import Control
from .fill_pattern import sample_for_pattern  # noqa: F401  (re-exported)
from .fill_values import (  # noqa: F401  (re-exported: the tests name them from here)
    DATE_TYPES,
    ISO_DATE,
    RELATIVE_DATE,
    _rx,
    adjust,
    adjust_number,
    base_values,
    candidate_values,
    clamp_date,
    format_date,
    resolve_date,
)
from .page_call import call, set_files
from .scripts import js as _js

HERE = Path(__file__).parent
SAMPLE_PDF = HERE / "sample.pdf"
SAMPLE_PNG = HERE / "sample.png"
SAMPLE_JPG = HERE / "sample.jpg"

TEXT_TYPES = ("text", "search", "email", "tel", "url", "number", "textarea", "", "password")  # password: account creation only
SKIP_REGIONS = ("banner", "navigation", "contentinfo")


def file_for(c: Control) -> Path:
    """The dummy file for an upload field: the PDF unless ``accept`` only
    takes images."""
    accept = c.accept.lower()
    if not accept or "pdf" in accept or "*/*" in accept or "application/" in accept:
        return SAMPLE_PDF
    if "png" in accept or "image/*" in accept:
        return SAMPLE_PNG
    if "jp" in accept:
        return SAMPLE_JPG
    return SAMPLE_PDF


# ---------------------------------------------------------------- in the page


@dataclass
class FillReport:
    """What a fill pass did: controls filled (selectors) and the labels of
    fields the browser still refuses."""

    filled: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _skip(c: Control, walk: WalkRules) -> bool:
    if c.disabled or c.readonly or c.frame_url:
        return True
    if c.region in SKIP_REGIONS:
        return True
    if c.type == "search":
        return True
    if c.type not in ("file", "radio", "checkbox") and c.name and walk.matcher("search_fields").search(c.name):
        return True
    return False


async def fill_page(
    page: Any,
    controls: list[Control],
    data: TestDataRules,
    walk: WalkRules,
    timeout_s: float,
    *,
    done: set[str] | None = None,
    today: date | None = None,
    cdp: Any = None,
    passwords: bool = False,
) -> FillReport:
    """Fill every visible, enabled control of the main frame that is still
    empty.  ``done`` holds the selectors already handled on this step (a
    second pass only fills the fields the first one revealed).  Failures are
    skipped: the click on the next control tells whether the form was
    accepted.

    Each call to the browser costs a round trip through Python, the driver,
    the browser and the renderer, so the pass makes two whatever the number
    of fields: one snapshot of the controls (values, ticks, files, select
    options), then, once every value is decided here, one script that sets
    them all and reports which ones the browser refuses (fill_apply.js tries
    each field's candidates in turn).  File inputs take two DevTools
    messages each (``page_call.set_files``).  ``cdp``: the walk's DevTools
    session, through which these calls go (without it, Playwright's)."""
    t = min(timeout_s, 5) * 1000
    done = set() if done is None else done
    report = FillReport()
    todo = [
        c for c in controls
        if c.selector not in done and not _skip(c, walk) and c.tag in ("input", "select", "textarea")
        and c.type not in ("submit", "button", "reset", "image", "hidden")
        and (passwords or c.type != "password")  # only an account creation gets the test password
        and (c.visible or c.type == "file")
    ]
    if not todo:
        return report
    try:
        snap_list = await call(page, cdp, _js("fill_snapshot.js"), [c.selector for c in todo])
    except Exception:
        return report
    snap = {c.selector: s for c, s in zip(todo, snap_list) if s is not None}
    actions, files = plan(todo, snap, data, walk, today)
    done.update(c.selector for c in todo if c.selector in snap)

    if actions:
        try:
            results = await call(
                page, cdp, _js("fill_apply.js"),
                [{"selector": a.control.selector, "kind": a.kind, "candidates": a.candidates} for a in actions],
            )
        except Exception:
            results = []
        for a, r in zip(actions, results):
            if not r or not r.get("ok"):
                continue
            report.filled.append(a.control.selector)
            if a.kind == "text" and not r.get("valid"):
                c = a.control
                report.refused.append(c.label or c.name or c.selector)

    fast = await set_files(cdp, [(c.selector, [str(Path(file_for(c)).resolve())]) for c in files])
    for c, ok in zip(files, fast):
        if not ok:
            try:
                await page.locator(c.selector).first.set_input_files(str(file_for(c)), timeout=t)
            except Exception:
                continue
        report.filled.append(c.selector)
    return report


@dataclass
class Action:
    """One decision of a fill pass, for fill_apply.js: type the first valid
    candidate (``text``), choose an option by value (``select``) or tick
    (``check``)."""

    control: Control
    kind: str
    candidates: list[str] = field(default_factory=list)


def plan(
    todo: list[Control],
    snap: dict[str, dict[str, Any]],
    data: TestDataRules,
    walk: WalkRules,
    today: date | None = None,
) -> tuple[list[Action], list[Control]]:
    """What to do with each control, given the page's snapshot: the actions
    for fill_apply.js, in page order, and the file inputs still empty.
    Values the service already filled in, choices already made and ticks
    already set are kept."""
    consent = walk.matcher("consent_checkbox")
    required_group = re.compile("|".join(f"(?:{p})" for p in data.required_group) or r"(?!x)x", re.IGNORECASE)
    by_group: dict[str, list[Control]] = {}
    for c in todo:
        if c.type in ("radio", "checkbox") and c.name:
            by_group.setdefault(f"{c.type}:{c.name}", []).append(c)
    groups_done: set[str] = set()
    actions: list[Action] = []
    files: list[Control] = []

    def ticked(members: list[Control]) -> bool:
        return any((snap.get(m.selector) or {}).get("checked") for m in members)

    for c in todo:
        state = snap.get(c.selector)
        if state is None:
            continue
        if c.type == "file":
            if not state.get("files"):
                files.append(c)
        elif c.tag == "select":
            value = choose_option(c, state.get("value", ""), state.get("options") or [], data)
            if value is not None:
                actions.append(Action(c, "select", [value]))
        elif c.type == "radio":
            key = f"radio:{c.name or c.selector}"
            if key in groups_done:
                continue
            groups_done.add(key)
            members = by_group.get(key, [c])
            if not ticked(members):
                first = next((m for m in members if not m.disabled), c)
                actions.append(Action(first, "check"))
        elif c.type == "checkbox":
            if state.get("checked"):
                continue
            must = c.required or bool(consent.search(c.label))
            key = f"checkbox:{c.name}" if c.name else ""
            if not must and key and key not in groups_done and required_group.search(c.legend or ""):
                groups_done.add(key)
                must = not ticked(by_group.get(key, [c]))
            if must:
                actions.append(Action(c, "check"))
        elif c.tag == "textarea" or c.type in TEXT_TYPES or c.type in DATE_TYPES or c.type in ("time", "range"):
            if c.type != "range" and state.get("value"):
                continue  # pre-filled by the service: keep its value
            values = candidate_values(c, data, today)
            if values:
                actions.append(Action(c, "text", values))
    return actions, files


def choose_option(c: Control, current_value: str, options: list[dict[str, Any]], data: TestDataRules) -> str | None:
    """The option to choose in a <select>: the one matching the table's value
    (« France » for a country), else the first real option; None to keep a
    real choice already made, or when there is no real option."""
    placeholder = [_rx(p) for p in data.select_placeholder]

    def real(o: dict[str, Any]) -> bool:
        return not o.get("disabled") and o.get("value", "") != "" \
            and not any(p.search(o.get("text", "")) for p in placeholder)

    current = next((o for o in options if o.get("value") == current_value), None)
    if current is not None and real(current):
        return None
    reals = [o for o in options if real(o)]
    if not reals:
        return None
    wanted = [v.casefold() for v in base_values(c, data)]
    choice = next((o for o in reals if o["text"].casefold() in wanted or o["value"].casefold() in wanted), reals[0])
    return str(choice["value"])
