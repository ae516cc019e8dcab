"""The tree of one page as the form-errors check reads it: markup helpers, indexes, records.

A page is parsed once (``_dom_tree.parse``) and let go (``_form_read._read``): the records here
(``_Node``, ``_Field``, ``_Error``, ``_PageForms``) are what the judge keeps of
it, and ``_Reader`` indexes the tree (ids, labels, document order) while the
page is read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._form_words import _HIDING_CLASS, _HINT_CLASS, _SKIP_TEXT

if TYPE_CHECKING:
    from ._dom_tree import Document, Element


def _classes(el: "Element") -> list[str]:
    c = el.get("class") or []
    return c.split() if isinstance(c, str) else list(c)


def _self_hidden(node: "Element") -> bool:
    if node.has_attr("hidden") or node.name == "template":
        return True
    style = (node.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or bool(_HIDING_CLASS & set(_classes(node)))


def _hidden(el: "Element") -> bool:
    """Hidden by the markup itself (what a DOM read can know; a stylesheet may hide more)."""
    return any(_self_hidden(n) for n in (el, *el.parents) if getattr(n, "name", None) not in (None, "[document]"))


def _within(el: "Element", outer: "Element") -> bool:
    """``el`` is ``outer`` or inside it (by identity)."""
    return el is outer or any(p is outer for p in el.parents)


def _text(el: "Element | None") -> str:
    return re.sub(r"\s+", " ", el.get_text(" ", strip=True)).strip() if el is not None else ""


@dataclass(frozen=True)
class _Node:
    """What the judge needs of an element once the soup is gone: its CSS path and what matches it
    to the collector's :class:`~auditor.model.Control` (whose selector the report prefers)."""

    path: str
    tag: str
    type: str = ""
    ident: str = ""
    name: str = ""


@dataclass(frozen=True)
class _Field:
    """One field as the user meets it (the radios of one name make one field)."""

    node: _Node  # the control (the first radio of a group)
    group: _Node | None  # the fieldset / ARIA group of a radio group: where its issue points
    form: int  # rank of its <form> in the page, 0 outside any
    label: str  # visible label (labels, aria-labelledby; a group's legend)
    texts: str  # where an indication counts: label, legend, associated text (aria-describedby)
    pos: int  # document position of its label: an asterisk's explanation must come before
    required: bool
    disabled: bool  # disabled or read-only: nothing to fill
    css_mark: bool  # a class that may draw the mark with CSS (« form-required »)


@dataclass(frozen=True)
class _Error:
    """One field, or one group of choices, in an error state."""

    node: _Node  # the field, or the fieldset of a group of choices
    field: _Field
    state: str  # what shows the state: « aria-invalid » or the class
    aria_invalid: bool
    messages: tuple[str, ...]  # visible error texts near it
    tied: bool  # one of them is in its label or referenced by it
    elsewhere: str  # an error text it references away from it (a summary, a message block)


@dataclass(frozen=True)
class _PageForms:
    fields: tuple[_Field, ...] = ()
    errors: tuple[_Error, ...] = ()
    all_required: str = ""  # the page's sentence saying every field is required
    explanations: tuple[tuple[int, str], ...] = ()  # (document position, sentence) explaining the asterisk
    summaries: tuple[dict[str, Any], ...] = ()


class _Reader:
    """Indexes of one page's soup (ids, labels, document order) and the readings built on them."""

    def __init__(self, soup: "Document"):
        self.soup = soup
        self.order: dict[int, int] = soup.order
        self.by_id: dict[str, Element] = {}
        self.id_counts: Counter[str] = Counter()
        for el in soup.find_all(id=True):
            self.id_counts[el["id"]] += 1
            self.by_id.setdefault(el["id"], el)
        self.labels_for: dict[str, list[Element]] = {}
        for lab in soup.find_all("label", attrs={"for": True}):
            self.labels_for.setdefault(lab["for"], []).append(lab)
        forms = soup.find_all("form")
        self.form_rank = {id(f): i for i, f in enumerate(forms, start=1)}

    def node(self, el: "Element") -> _Node:
        typ = (el.get("type") or "text").lower() if el.name == "input" else (el.get("role") or el.name)
        return _Node(path=self.css_path(el), tag=el.name, type=typ, ident=el.get("id") or "", name=el.get("name") or "")

    def css_path(self, el: "Element") -> str:
        """``#id`` when unique, else ``tag:nth-of-type(n)`` steps up to an element with a unique id."""
        parts: list[str] = []
        node: Element | None = el
        while node is not None and node.name not in (None, "[document]") and not node.implied:
            ident = node.get("id")
            if ident and self.id_counts[ident] == 1:
                parts.append(f"#{ident}" if re.fullmatch(r"[A-Za-z][\w-]*", ident)
                             else '[id="' + ident.replace("\\", "\\\\").replace('"', '\\"') + '"]')
                break
            if node.name in ("html", "body"):
                parts.append(node.name)
                break
            parent = node.parent
            same = parent.find_all(node.name, recursive=False) if parent is not None else [node]
            rank = next((i for i, s in enumerate(same, start=1) if s is node), 1)
            parts.append(node.name if len(same) <= 1 else f"{node.name}:nth-of-type({rank})")
            node = parent
        return " > ".join(reversed(parts))

    def refs(self, el: "Element", *attrs: str) -> list["Element"]:
        """The existing elements ``el`` points at through these ARIA attributes."""
        out: list[Element] = []
        for attr in attrs:
            for ident in (el.get(attr) or "").split():
                target = self.by_id.get(ident)
                if target is not None and not any(target is o for o in out):
                    out.append(target)
        return out

    def labels(self, el: "Element") -> list["Element"]:
        out = list(self.labels_for.get(el.get("id") or "", [])) if el.get("id") else []
        wrap = el.find_parent("label")
        if wrap is not None and not any(wrap is o for o in out):
            out.append(wrap)
        return out

    @staticmethod
    def label_text(lab: "Element") -> tuple[str, str]:
        """A label's name and the hints nested in it (DSFR puts ``fr-hint-text`` inside ``<label>``), as
        the collector splits them; the name keeps the titles of its abbreviations
        (« <abbr title="obligatoire">*</abbr> »)."""
        hints = [h for h in lab.find_all(True) if h.name == "small" or _HINT_CLASS & set(_classes(h))]
        words = [str(t) for t in lab.texts()
                 if not any(p is h for p in t.parents for h in hints) and t.parent.name not in _SKIP_TEXT]
        titles = [a.get("title", "") for a in lab.find_all("abbr") if a.get("title")]
        name = re.sub(r"\s+", " ", " ".join(words + titles)).strip()
        return name, " ".join(_text(h) for h in hints if not any(_within(h, o) for o in hints if o is not h))

    @staticmethod
    def groups(el: "Element") -> list["Element"]:
        """Enclosing fieldsets and ARIA groups, innermost first."""
        return [g for g in el.parents if getattr(g, "name", None) == "fieldset"
                or (getattr(g, "name", None) not in (None, "[document]") and g.get("role") in ("group", "radiogroup"))]

    def group_name(self, g: "Element") -> str:
        if g.name == "fieldset":
            legend = g.find("legend")
            if legend is not None and _text(legend):
                return _text(legend)
        return " ".join(_text(t) for t in self.refs(g, "aria-labelledby")) or (g.get("aria-label") or "")

    def position(self, el: "Element") -> int:
        return self.order.get(id(el), 0)

