"""The checks that read axe-core's results (``axe_summary``, ``rgaa``), one
fixture per case: tests/fixtures/axe/<case>.html, each audited by axe in a
real Chromium, its expectations in its ``<script id="expected">`` block:

- ``rules_failed``: the axe rules in violation on the page (exactly);
- ``non_conforme``: the RGAA criteria the RGAA view says « non conforme » (exactly);
- ``sans_anomalie``: criteria it must say « sans anomalie détectée » (at least these).

A page with one known failure must fail that rule and its criterion only, and
a clean page none: the mapping axe → RGAA (rules/rgaa.yaml) is tested on what
axe really reports, not on hand-made results."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.checks.axe_summary import axe_summary
from auditor.checks.rgaa import rgaa_check
from expected import expected_of
from support import FIXTURES, capture_folder

from .acc_pages import capture_of

AXE = FIXTURES / "axe"
NAMES = sorted(p.name for p in AXE.glob("*.html"))


@pytest.fixture(scope="module")
def pages(harness: Any) -> dict[str, Any]:
    return capture_folder(harness, AXE, NAMES, axe=True)


@pytest.mark.parametrize("name", NAMES)
def test_axe_fixture(pages: dict[str, Any], harness: Any, name: str) -> None:
    want = expected_of(AXE / name)
    page = pages[name]
    assert page.axe_error is None, page.axe_error
    capture = capture_of(page)
    summary = axe_summary(capture, harness.rules).block
    assert summary["rules_failed"] == want["rules_failed"], name
    view = rgaa_check(capture, harness.rules).block["rgaa"]
    status = {c["id"]: c["status"] for c in view["criteria"]}
    assert sorted(c for c, s in status.items() if s == "non_conforme") == want["non_conforme"], name
    missing = [c for c in want["sans_anomalie"] if status.get(c) != "sans_anomalie"]
    assert not missing, f"{name}: {[(c, status.get(c)) for c in missing]}"
    # the summary's criteria are the RGAA view's « non conforme » ones that come from axe
    assert summary["rgaa_criteria_failed"] == want["non_conforme"], name


def test_every_case_is_named_for_its_outcome() -> None:
    """pass-* fixtures expect no failure, fail-* at least one (axe-core's fixture convention)."""
    for name in NAMES:
        want = expected_of(AXE / name)
        assert name.startswith(("pass-", "fail-")), name
        assert bool(want["rules_failed"]) == name.startswith("fail-"), name
