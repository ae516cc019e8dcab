"""A captured page's DOM, parsed again as the browser parses it, as a light tree of Python objects.

The form-errors check walks every element of every step page (labels,
fieldsets, error texts, the order of elements and sentences).  Parsed by
BeautifulSoup, that took ≈ 8 ms per page of a DSFR-weight démarche, most of
a rescan's checks; lexbor (through ``selectolax``) parses the same page in
≈ 0.1 ms, and this tree keeps only what the readers ask: tag name,
attributes, parent, children, the text nodes and their document order.

Its parser is the HTML standard's, like the browser that produced the
capture: a page's serialised DOM reads back as the same tree, and a
hand-written fixture reads as a browser would show it.  Template contents
stay out of the tree, as they stay out of the document.  The tags the
source left implied (``html``, ``head``, ``body`` of a fragment) are marked
so that a selector built from the tree does not name them.

The API is the small part of BeautifulSoup's that the readers used
(``get``, ``find_all``, ``find_parent``, ``get_text``, ``parents``…), with
the same meaning, so that their code reads the same.
"""

from __future__ import annotations

import re
from typing import Iterator

# text under these is not page text (BeautifulSoup's default ``get_text`` leaves it out as well)
_NOT_TEXT = frozenset({"script", "style", "template", "rt", "rp"})
_SOURCE_TAG = {name: re.compile(rf"<{name}[\s/>]", re.I) for name in ("html", "head", "body")}


class Text:
    """A text node: its characters and its parent element."""

    __slots__ = ("text", "parent")

    def __init__(self, text: str, parent: "Element"):
        self.text = text
        self.parent = parent

    def __str__(self) -> str:
        return self.text

    @property
    def parents(self) -> Iterator["Element"]:
        node: Element | None = self.parent
        while node is not None:
            yield node
            node = node.parent


class Element:
    """An element: ``name`` (lower case; « [document] » for the root), ``attrs``, ``parent``, ``children``."""

    __slots__ = ("name", "attrs", "parent", "children", "implied", "_all", "_start", "_end")

    def __init__(self, name: str, attrs: dict[str, str], parent: "Element | None", implied: bool = False):
        self.name = name
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | Text] = []
        self.implied = implied  # not in the source: a tag the parser added around a fragment
        # the document's elements in order; this one's descendants are ``_all[_start:_end]``
        self._all: list[Element] = []
        self._start = self._end = 0

    def __repr__(self) -> str:
        return f"<{self.name} {self.attrs}>"

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrs.get(key, default)

    def __getitem__(self, key: str) -> str:
        return self.attrs[key]

    def has_attr(self, key: str) -> bool:
        return key in self.attrs

    @property
    def parents(self) -> Iterator["Element"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def descendants(self) -> Iterator["Element | Text"]:
        """Elements and text nodes below this one, in document order."""
        stack: list[Element | Text] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, Element) and node.children:
                stack.extend(reversed(node.children))

    def elements(self) -> list["Element"]:
        """Elements below this one, in document order."""
        return self._all[self._start:self._end]

    def texts(self) -> Iterator[Text]:
        """Text nodes below this one, in document order."""
        return (n for n in self.descendants if isinstance(n, Text))

    def find_all(self, name: str | list[str] | tuple[str, ...] | bool = True, attrs: dict[str, object] | None = None,
                 recursive: bool = True, **kw: object) -> list["Element"]:
        """Elements below this one with one of these names (``True``: any) and these attributes: a value to
        equal, ``True`` for present.  ``recursive=False``: children only."""
        names = None if name is True else ({name} if isinstance(name, str) else set(name))  # type: ignore[arg-type]
        wanted = {**(attrs or {}), **kw}
        pool = self.elements() if recursive else (c for c in self.children if isinstance(c, Element))
        out = []
        for el in pool:
            if names is not None and el.name not in names:
                continue
            if wanted and not all((k in el.attrs) if v is True else el.attrs.get(k) == v for k, v in wanted.items()):
                continue
            out.append(el)
        return out

    def find(self, name: str) -> "Element | None":
        return next((el for el in self.elements() if el.name == name), None)

    def find_parent(self, name: str) -> "Element | None":
        return next((p for p in self.parents if p.name == name), None)

    def get_text(self, separator: str = "", strip: bool = False) -> str:
        """The text below this element, outside scripts, styles and ruby annotations."""
        out: list[str] = []
        stack: list[Element | Text] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, Text):
                piece = node.text.strip() if strip else node.text
                if piece:
                    out.append(piece)
            elif node.name not in _NOT_TEXT:
                stack.extend(reversed(node.children))
        return separator.join(out)


class Document(Element):
    """The root (« [document] »), with the document order of every node (``order``, by ``id``)."""

    __slots__ = ("order", "nodes")

    def __init__(self) -> None:
        super().__init__("[document]", {}, None)
        self.order: dict[int, int] = {}
        self.nodes: list[Element | Text] = []  # every node, in document order: keeps ``id`` keys valid


def _clean(html: str) -> str:
    """Text the parser can take: a lone surrogate (half a character sent by a page script) replaced."""
    try:
        html.encode("utf-8")
        return html
    except UnicodeEncodeError:
        return html.encode("utf-8", "replace").decode("utf-8")


def parse(html: str) -> Document:
    """The tree of ``html``, as the HTML standard's parser builds it."""
    from selectolax.lexbor import LexborHTMLParser

    html = _clean(html)
    implied = {name for name, rx in _SOURCE_TAG.items() if not rx.search(html)}
    doc = Document()
    top = LexborHTMLParser(html).root
    if top is None:
        return doc
    made: dict[int, Element] = {}
    root = Element(top.tag, {k: v or "" for k, v in top.attributes.items()}, doc, top.tag in implied)
    doc.children.append(root)
    made[top.mem_id] = root
    nodes: list[Element | Text] = [root]
    for node in top.traverse(include_text=True):
        tag = node.tag
        if node.mem_id == top.mem_id:
            continue
        parent = made.get(node.parent.mem_id) if node.parent is not None else None
        if parent is None:  # below a node left out (a comment cannot hold any)
            continue
        if tag == "-text":
            text = Text(node.text_content or "", parent)
            parent.children.append(text)
            nodes.append(text)
        elif tag and not tag.startswith("-"):
            el = Element(tag, {k: v or "" for k, v in node.attributes.items()}, parent, tag in implied and parent is root)
            parent.children.append(el)
            made[node.mem_id] = el
            nodes.append(el)
    doc.nodes = nodes
    doc.order = {id(n): i for i, n in enumerate(nodes)}
    _index(doc, [n for n in nodes if isinstance(n, Element)])
    return doc


def _index(doc: Document, elements: list[Element]) -> None:
    """Each element's descendants as a slice of the document's element list (``Element.elements``)."""
    open_: list[Element] = [doc]
    doc._all, doc._start = elements, 0
    for i, el in enumerate(elements):
        while open_[-1] is not el.parent:
            open_.pop()._end = i
        el._all, el._start = elements, i + 1
        open_.append(el)
    for el in open_:
        el._end = len(elements)
