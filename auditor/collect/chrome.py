"""Shared chrome: axe's results on a site's header, navigation and footer,
computed once per scan and reused on the pages that repeat them.

Why: a démarche walks 5 to 10 pages of one site, a portfolio hundreds, and
most of axe's time on a page of the State's design system goes on the
regions every page shares (about 350 elements of header, menus and footer
on a real DSFR page).  On each page, ``chrome_regions.js`` finds the
candidate regions (``rules/axe-reuse.yaml``) and fingerprints each with
everything axe's element-level rules read about its elements: DOM, form
values, boxes, computed styles (pseudo-elements included), ancestors,
what its references point to, what points into it, and whatever is painted
over it.  The ids a region defines count by their rank in it, not their
spelling (frameworks generate them anew on each page); reused nodes get
their HTML excerpt written by axe on the page.  A region whose fingerprint was audited earlier in the scan, on a
page of the same origin, is excluded from axe's element-level rules there
and its recorded results are put back, their selectors recomputed on the
page.  Page-level rules (``page_rules``, plus every rule axe marks page-level
or that compares elements across the page) always run on the whole page.

The page keeps which regions were reused and from which page
(``PageCapture.axe_reused``); the scorecard shows it.  ``--no-chrome-reuse``
turns it off; ``tests/collect/test_chrome_reuse.py`` checks that results are
the same either way.  Pages with frames or shadow roots are audited whole.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field


class ChromeReuseRules(BaseModel):
    """``rules/axe-reuse.yaml``: which regions are candidates, what their
    fingerprint reads, and which axe rules always run on the whole page."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    regions: str = "header, footer, nav, [role=banner], [role=contentinfo], [role=navigation]"
    not_inside: str = "main, [role=main], dialog, [role=dialog], [role=alertdialog], form"
    min_elements: int = Field(30, ge=1)
    max_regions: int = Field(200, ge=1, le=10_000)
    # pages of one origin in a row whose regions were all new (none reused): after that many, the
    # origin's pages are no longer fingerprinted (a site whose chrome changes from page to page would
    # pay the fingerprint on every page for nothing); 0: never give up
    give_up_after: int = Field(8, ge=0)
    page_rules: list[str] = Field(default_factory=list)
    styles: list[str] = Field(default_factory=list, min_length=1)
    ancestor_styles: list[str] = Field(default_factory=list, min_length=1)
    pseudo_styles: list[str] = Field(default_factory=list, min_length=1)


@dataclass
class _Entry:
    results: dict[str, Any]  # {"violations": {rule: {...nodes with paths}}, "incomplete": {...}}
    url: str
    region: str
    nodes: int


@dataclass
class ChromeStore:
    """The regions audited so far in this scan, by origin and fingerprint.

    Shared by the walks of one run (the event loop runs one page script at a
    time, so no lock is needed); the first page that shows a region teaches
    it.  At most ``rules.max_regions`` regions are kept, the least recently
    used dropped first."""

    rules: ChromeReuseRules
    entries: "OrderedDict[tuple[str, str], _Entry]" = field(default_factory=OrderedDict)
    reused_pages: int = 0
    # per origin: pages in a row with regions and no reuse; origins given up
    fruitless: dict[str, int] = field(default_factory=dict)
    given_up: set[str] = field(default_factory=set)

    def script_args(self, url: str) -> dict[str, Any] | None:
        """What ``axe_run.js`` needs for a page at ``url``: the candidate
        regions, the fingerprint's styles and this origin's known regions."""
        origin = _origin(url)
        if not self.rules.enabled or origin in self.given_up:
            return None
        return {
            "regions": self.rules.regions,
            "notInside": self.rules.not_inside,
            "minElements": self.rules.min_elements,
            "pageRules": self.rules.page_rules,
            "styles": self.rules.styles,
            "ancestorStyles": self.rules.ancestor_styles,
            "pseudoStyles": self.rules.pseudo_styles,
            "known": {fp: e.results for (o, fp), e in self.entries.items() if o == origin},
            # where each known region was audited (kept here: another walk may drop the entry meanwhile)
            "from": {fp: (e.url, e.region) for (o, fp), e in self.entries.items() if o == origin},
        }

    def record(self, url: str, raw: dict[str, Any], args: dict[str, Any] | None) -> list[dict[str, Any]]:
        """Learn the regions ``raw`` (``axe_run.js``'s answer to ``args``)
        saw first on ``url`` and return what the page reused, for
        ``PageCapture.axe_reused``."""
        if args is None:  # the page was audited whole
            return []
        origin = _origin(url)
        for item in raw.get("learned") or []:
            key = (origin, item["fp"])
            if key not in self.entries:
                self.entries[key] = _Entry(item["results"], url, item.get("region") or "", int(item.get("nodes", 0)))
        while len(self.entries) > self.rules.max_regions:
            self.entries.popitem(last=False)
        out = []
        for item in raw.get("reused") or []:
            from_url, region = args["from"][item["fp"]]
            if (origin, item["fp"]) in self.entries:
                self.entries.move_to_end((origin, item["fp"]))
            out.append({"region": item.get("region") or region, "from_url": from_url,
                        "nodes": int(item.get("nodes", 0))})
        if out:
            self.reused_pages += 1
            self.fruitless[origin] = 0
        elif raw.get("learned"):
            self.fruitless[origin] = self.fruitless.get(origin, 0) + 1
            if self.rules.give_up_after and self.fruitless[origin] >= self.rules.give_up_after:
                self.given_up.add(origin)
        return out


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
