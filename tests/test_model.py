"""The pipeline's dataclasses round-trip through plain data: ``to_dict`` is
``dataclasses.asdict`` (made faster), ``from_dict`` its inverse."""

from __future__ import annotations

import dataclasses
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from typing import Any

from auditor.model import AxeNode, AxeRuleResult, Capture, Control, PageCapture, _Serializable

Point = namedtuple("Point", "x y")


@dataclass
class _Inner(_Serializable):
    name: str
    tags: list[str] = field(default_factory=list)


@dataclass
class _Outer(_Serializable):
    inner: _Inner
    many: list[_Inner]
    by_key: dict[str, _Inner]
    pair: tuple[int, _Inner]
    point: Any
    counts: Any
    anything: Any = None


def _outer() -> _Outer:
    counts: defaultdict[str, list[int]] = defaultdict(list)
    counts["a"].append(1)
    return _Outer(inner=_Inner("x", ["é"]), many=[_Inner("y"), _Inner("z", ["1"])],
                  by_key={"k": _Inner("w")}, pair=(3, _Inner("v")), point=Point(1, _Inner("u")),
                  counts=counts, anything={"nested": [{"deep": {1, 2}}], "n": 1.5, "b": True, "none": None})


def test_to_dict_is_asdict() -> None:
    obj = _outer()
    got = obj.to_dict()
    counts, got["counts"] = got["counts"], None  # asdict itself cannot copy a defaultdict before Python 3.12
    obj.counts = None
    assert repr(got) == repr(dataclasses.asdict(obj))  # same values, same types: tuples, named tuples
    assert isinstance(got["point"], Point) and got["point"].y == {"name": "u", "tags": []}
    assert isinstance(counts, defaultdict) and counts.default_factory is list and counts == {"a": [1]}


def test_to_dict_is_a_copy() -> None:
    obj = _outer()
    got = obj.to_dict()
    got["inner"]["tags"].append("new")
    got["anything"]["nested"][0]["deep"].add(3)
    got["counts"]["a"].append(2)
    assert obj.inner.tags == ["é"]
    assert obj.anything["nested"][0]["deep"] == {1, 2}
    assert obj.counts["a"] == [1]


def test_capture_round_trip() -> None:
    node = AxeNode(target=["img"], html="<img>", summary="f", box={"x": 1, "y": 2, "width": 3, "height": 4})
    page = PageCapture(
        index=0, kind="step", url="https://exemple.gouv.fr/", title="Titre", text="Bonjour", html="<p>Bonjour</p>",
        headings=[{"level": 1, "text": "T"}],
        controls=[Control(selector="#nom", tag="input", type="text", label="Nom", required=True)],
        violations=[AxeRuleResult(rule="image-alt", impact="critical", tags=["wcag2a"], nodes=[node])])
    cap = Capture(demarche={"id": "d", "name": "D", "url": "https://exemple.gouv.fr/"},
                  scanned_at="2026-01-01T00:00:00Z", tool={}, pages=[page])
    data = cap.to_dict()
    assert data == dataclasses.asdict(cap)
    assert Capture.from_dict(data) == cap
