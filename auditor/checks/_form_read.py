"""The forms of one page read off the captured DOM: fields, errors, sentences, summaries.

The check and the RGAA table read the same pages one after the other, so
the reading is cached by page HTML (``_read``).  The collector's records
of the controls (``Control``) are preferred for the selectors a report
shows, when one matches an element without doubt.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..model import Control
from ._form_soup import _Error, _Field, _hidden, _Node, _PageForms, _Reader, _classes, _self_hidden, _text, _within
from ._form_words import (_ALL_REQUIRED_RE, _BLOCKS, _CSS_MARK, _ERROR_ID, _ERROR_STATE, _ERROR_TEXT,
                          _EXPLAINS_RE, _GROUP_CLASS, _NOT_FIELDS, _SKIP_TEXT, _SUMMARY_CLASS, _WIDGET_ROLES,
                          _clip)
from ._frtext import fold

if TYPE_CHECKING:
    from ._dom_tree import Document, Element


def _controls_of(soup: "Document") -> list["Element"]:
    """Native fields, and ARIA widgets that declare themselves required or invalid."""
    out = [el for el in soup.find_all(["input", "select", "textarea"])
           if not (el.name == "input" and (el.get("type") or "text").lower() in _NOT_FIELDS)]
    for el in soup.find_all(attrs={"role": True}):
        if el.name in ("input", "select", "textarea", "fieldset") or el.get("role") not in _WIDGET_ROLES:
            continue
        if el.get("aria-required") == "true" or el.get("aria-invalid") == "true":
            out.append(el)
    return out


def _fields(r: _Reader, controls: list["Element"]) -> list[tuple["Element", _Field]]:
    """The page's visible fields with their element; the radios of one name in one form make one field."""
    out: list[tuple[Element, _Field]] = []
    radios: dict[tuple[int, str], int] = {}
    for el in controls:
        if _hidden(el):
            continue
        form = el.find_parent("form")
        labels = r.labels(el)
        named = r.refs(el, "aria-labelledby")
        groups = r.groups(el)
        legends = [r.group_name(g) for g in groups]
        parts = [r.label_text(x) for x in labels]
        label = " ".join(n for n, _ in parts) or " ".join(_text(x) for x in named)
        texts = " ".join([label, *(h for _, h in parts), *(_text(x) for x in named), *legends,
                          *(_text(t) for t in r.refs(el, "aria-describedby"))])
        css_mark = any(_CSS_MARK.match(c) for x in (*labels, el) for c in _classes(x))
        f = _Field(node=r.node(el), group=None, form=r.form_rank.get(id(form), 0) if form is not None else 0,
                   label=label or (legends[0] if legends else el.get("aria-label") or el.get("title") or ""),
                   texts=texts, pos=min([r.position(x) for x in (*labels, *named)] or [r.position(el)]),
                   required=el.has_attr("required") or el.get("aria-required") == "true",
                   disabled=el.has_attr("disabled") or el.has_attr("readonly"), css_mark=css_mark)
        if f.node.type == "radio" and f.node.name:
            key = (f.form, f.node.name)
            if key in radios:  # one more choice of a known group: its words and its flags join the group's
                i = radios[key]
                g = out[i][1]
                out[i] = (out[i][0], replace(g, required=g.required or f.required, texts=g.texts + " " + texts,
                                             css_mark=g.css_mark or css_mark))
                continue
            if groups:
                group = groups[0]
                f = replace(f, group=r.node(group), label=r.group_name(group) or f.label,
                            pos=min(f.pos, r.position(group)),
                            css_mark=f.css_mark or any(_CSS_MARK.match(c) for c in _classes(group)))
            radios[key] = len(out)
        out.append((el, f))
    return out


def _state(el: "Element") -> tuple[str, "Element | None"]:
    """What shows an error state on ``el`` (aria-invalid or its own class, else a wrapper's class), and
    the wrapper when it is one."""
    own = "aria-invalid" if el.get("aria-invalid") == "true" else next(
        (c for c in _classes(el) if _ERROR_STATE.match(c)), "")
    for depth, node in enumerate(el.parents):
        if getattr(node, "name", None) in (None, "[document]", "form", "body") or depth > 6:
            break
        hit = next((c for c in _classes(node) if _ERROR_STATE.match(c)), "")
        if hit:
            return own or hit, node
    return own, None


def _is_error_text(el: "Element") -> bool:
    if el.get("role") == "alert" or any(_ERROR_TEXT.search(c) for c in _classes(el)):
        return True
    return bool(el.get("id") and _ERROR_ID.search(el["id"]) and el.name in ("p", "span", "div", "small", "strong"))


def _error_texts(scope: "Element", controls: set[int]) -> list["Element"]:
    """Visible error texts inside ``scope`` that wrap no field (the outermost of nested ones)."""
    out: list[Element] = []
    for el in scope.find_all(True):
        if not _is_error_text(el) or any(_within(el, o) for o in out) or id(el) in controls:
            continue
        if any(id(d) in controls for d in el.find_all(True)):
            continue
        if _text(el) and not _hidden(el):
            out.append(el)
    return out


def _near(el: "Element", wrapper: "Element | None", controls: set[int], own: set[int]) -> "Element":
    """Where the field's own message would sit: its error wrapper, else its field group, else up to
    three parents that hold no other field."""
    if wrapper is not None:
        return wrapper
    scope = el.parent
    for _ in range(3):
        if scope is None or scope.name in ("form", "body", "[document]"):
            break
        if scope.name == "fieldset" or any(_GROUP_CLASS.match(c) for c in _classes(scope)):
            return scope
        parent = scope.parent
        if parent is None or parent.name in ("form", "body", "[document]"):
            break
        if any(id(d) in controls and id(d) not in own for d in parent.find_all(["input", "select", "textarea"])):
            break
        scope = parent
    return scope if scope is not None else el



def _errors(r: _Reader, fields: list[tuple["Element", _Field]], controls: list["Element"]) -> list[_Error]:
    out: list[_Error] = []
    seen: set[int] = set()
    ids = {id(c) for c in controls}
    for first, f in fields:
        members = [first]
        if f.node.type == "radio" and f.node.name:
            scope = first.find_parent("form") or r.soup
            members = [x for x in scope.find_all("input", attrs={"name": f.node.name})
                       if (x.get("type") or "").lower() == "radio"]
        for el in members:
            state, wrapper = _state(el)
            if not state:
                continue
            subject = el  # a group of choices is in error as a whole: its fieldset
            if f.node.type in ("radio", "checkbox") and wrapper is not None and (
                    wrapper.name == "fieldset" or wrapper.get("role") in ("group", "radiogroup")):
                subject = wrapper
            elif f.node.type == "radio" and r.groups(el):
                subject = r.groups(el)[0]
            if id(subject) in seen:
                continue
            seen.add(id(subject))
            own = {id(m) for m in members} | {id(d) for d in subject.find_all(True)}
            messages = _error_texts(subject if subject is not el else _near(el, wrapper, ids, own), ids)
            refs: list[Element] = []
            for holder in (subject, *members):
                refs += [t for t in r.refs(holder, "aria-describedby", "aria-errormessage", "aria-labelledby")
                         if not any(t is x for x in refs)]
            containers = [lab for m in members for lab in r.labels(m)]
            containers += [lg for g in r.groups(el) if (lg := g.find("legend")) is not None]
            tied = any(any(_within(m, t) or _within(t, m) for t in refs) or any(_within(m, c) for c in containers)
                       for m in messages)
            elsewhere = next((_text(t) for t in refs if _text(t) and _is_error_text(t)
                              and not any(t is m for m in messages)), "")
            out.append(_Error(node=r.node(subject), field=f, state=state,
                              aria_invalid=any(x.get("aria-invalid") == "true" for x in (subject, el)),
                              messages=tuple(_text(m) for m in messages), tied=tied, elsewhere=_clip(elsewhere)))
    return out


def _statements(r: _Reader) -> tuple[str, list[tuple[int, str]]]:
    """The page's sentences outside labels: the one saying every field is required, and those
    explaining the asterisk with their document position.  Strings of one block are joined by a
    space, blocks by a line break, so that a sentence never spans two blocks."""
    from ._dom_tree import Text

    chunks: list[str] = []
    starts: list[int] = []
    positions: list[int] = []
    offset = 0
    last_block: int | None = None
    # depth first, in document order, with each node's innermost block; a skipped element's text is all skipped
    stack: list[tuple[Element | Text, Element | None]] = [(c, None) for c in reversed(r.soup.children)]
    while stack:
        node, block = stack.pop()
        if isinstance(node, Text):
            if not node.text.strip():
                continue
            piece = (" " if block is not None and id(block) == last_block else "\n") + node.text
            last_block = id(block) if block is not None else None
            starts.append(offset)
            positions.append(r.order.get(id(node), 0))
            chunks.append(piece)
            offset += len(piece)
        elif not (node.name in _SKIP_TEXT or node.name == "label" or _self_hidden(node)):
            inner = node if node.name in _BLOCKS else block
            stack.extend((c, inner) for c in reversed(node.children))
    text = "".join(chunks)
    folded = fold(text)
    m = _ALL_REQUIRED_RE.search(folded)
    all_required = _clip(_sentence(text, m.start(), m.end())) if m else ""
    explanations = [(positions[max(0, bisect_right(starts, e.start()) - 1)], _clip(_sentence(text, e.start(), e.end())))
                    for e in _EXPLAINS_RE.finditer(folded)] if positions else []
    return all_required, explanations


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``[start, end)``: between line breaks or full stops."""
    a = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, 0)
    ends = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    return text[a:(min(ends) + 1) if ends else len(text)].strip()


def _summaries(r: _Reader) -> list[dict[str, Any]]:
    """Error summaries: an alert, a status or an error box whose links lead to elements of the page."""
    out: list[dict[str, Any]] = []
    taken: list[Element] = []
    for el in r.soup.find_all(True):
        if not (el.get("role") in ("alert", "status") or any(_SUMMARY_CLASS.search(c) for c in _classes(el))):
            continue
        if any(_within(el, t) for t in taken) or _hidden(el):
            continue
        links = [a for a in el.find_all("a", href=True) if a["href"].startswith("#") and len(a["href"]) > 1]
        found = [a for a in links if a["href"][1:] in r.by_id]
        if found:
            taken.append(el)
            out.append({"selector": r.css_path(el), "links": len(links), "linked": len(found),
                        "text": _clip(_text(el), 200)})
    return out


@lru_cache(maxsize=32)
def _read(html: str) -> _PageForms:
    """The page's forms as plain records, the soup let go: the check and the RGAA table read the
    same pages one after the other, and a page is parsed once."""
    from ._dom_tree import parse

    r = _Reader(parse(html))
    controls = _controls_of(r.soup)
    fields = _fields(r, controls)
    all_required, explanations = _statements(r)
    return _PageForms(fields=tuple(f for _, f in fields), errors=tuple(_errors(r, fields, controls)),
                      all_required=all_required, explanations=tuple(explanations),
                      summaries=tuple(_summaries(r)))


def _control_for(node: _Node, controls: list[Control]) -> Control | None:
    """The collector's record of this element, when one matches it without doubt."""
    if node.tag not in ("input", "select", "textarea"):
        return None
    if node.ident:
        hit = [c for c in controls if c.id == node.ident]
        if len(hit) == 1:
            return hit[0]
    if node.name:
        hit = [c for c in controls if c.name == node.name and c.tag == node.tag]
        if len(hit) == 1 or (hit and node.type in ("radio", "checkbox")):
            return hit[0]
    return None


def _selector(node: _Node, controls: list[Control]) -> str:
    c = _control_for(node, controls)
    return c.selector if c is not None and c.selector else node.path


def _shown(node: _Node, controls: list[Control]) -> bool:
    """Not in a block the collector saw hidden (a later step of a single-page app, a closed panel)."""
    c = _control_for(node, controls)
    return c is None or c.shown
