"""The keyboard walk: Tab through a step page as an auditor does by hand.

axe-core reads the markup; it cannot tell whether the keyboard actually
reaches a control, whether focus can leave a widget, or whether the focus
shows.  This probe presses Tab (Playwright's keyboard, so the page sees
real key events and ``:focus-visible`` applies) from the top of the page
and records, for every element that takes the focus, where it is, what it
is and whether its look changes; then Shift+Tab a few times, for traps that
only hold focus backwards.  It records facts only; ``checks/keyboard.py``
judges them (RGAA 7.3, 10.7, 12.8, 12.9).

What it records (JSON-safe; the rules and limits: ``docs/regles.md``, « Navigation au clavier »):

- ``elements``: each element focused, once, with its selector, box (page
  coordinates, those of the screenshot), DOM order, the focus styles that
  changed (against its styles read before the walk for every element then
  shown, or just before Tab reached it for one shown since) and, when none
  did, a pixel comparison focused and blurred of its box and of the box its
  absolutely positioned ``::before``/``::after`` cover (the DSFR « enlarge
  link » draws the ring of a card's link around the whole card), at most
  ``MAX_PIXEL_CHECKS`` per page: screenshots cost;
- ``sequence``: their ids in focus order (-1: focus was released from a
  trap by Escape and the walk went on), ``backward`` the same for Shift+Tab;
- ``traps``: focus held on one element (``stuck``), in a small ``cycle`` while
  other tabbable elements wait outside, or inside an iframe (``frame``);
  whether Escape released it.  Escape is pressed only there;
- ``unreached``: visible, enabled controls the walk never reached, and
  click-like elements (a control role, a click handler, a hand cursor)
  the keyboard cannot reach;
- ``ended``: why the walk stopped (``left_document``: focus went past the
  last element, as in a browser; ``wrapped``; ``trap``; ``cap``; ``time``).

The page is left as found: nothing typed or activated, focus blurred,
scroll positions restored; no mark is written in the DOM.
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
from collections import deque
from functools import lru_cache
from typing import Any

from .. import page_call
from ..scripts import js
from . import probe

MAX_PRESSES = 150  # Tab presses per page: a long form has 60 to 100 stops
MAX_PIXEL_CHECKS = 10  # elements per page whose focus is judged on pixels (two screenshots each)
STUCK = 3  # presses leaving focus on the same element: a trap
# controls whose own parts take Tab one after the other (a date field's day, month and year; a
# player's buttons): this many more presses before the same element reads as a trap
SEGMENTED = {"date": 4, "time": 4, "datetime-local": 6, "month": 3, "week": 3, "video": 12, "audio": 8}
FRAME_PRESSES = 40  # presses spent inside one iframe before it is called a possible trap
BACKWARD = 6  # Shift+Tab presses at the end
PIXEL_DELTA = 16  # a channel difference below this is antialiasing or compression, not a change
MAX_BATCH = 16  # Tab presses sent back to back before the page is read (see keyboard_batch.js)

_CALL = "(a) => window.__auditorKeyboard ? window.__auditorKeyboard[a.op](a.arg) : null"
# what an element record keeps of the page-side step (the clip is the screenshot's, not a fact)
_KEEP = ("id", "selector", "tag", "type", "role", "name", "excerpt", "tabindex", "dom", "box", "in_viewport", "visible",
         "fixed", "focus_changes")


@lru_cache(maxsize=None)
def _prep_source() -> str:
    """keyboard.js, then keyboard_shot.js and keyboard_batch.js on the object it installed: one call."""
    return (f"(opts) => {{ const facts = ({js('probes/keyboard.js')})(opts);\n"
            f"({js('probes/keyboard_shot.js')})(window.__auditorKeyboard);\n"
            f"({js('probes/keyboard_batch.js')})(window.__auditorKeyboard, opts);\nreturn facts; }}")


class _PageChanged(Exception):
    """The document went away under the walk (a key press navigated)."""


def pixel_change(before: bytes, after: bytes) -> dict[str, Any]:
    """What moved between two PNG crops of the same box: ``changed``, the
    pixels whose colour moved by at least ``PIXEL_DELTA`` on some channel
    (-1: they cannot be compared), and ``spot``, the width and height of the
    smallest rectangle holding them (a focus ring drawn on a part of the
    element, a slider's thumb, changes few pixels of a wide box, all in one
    place)."""
    if before == after:
        return {"changed": 0}
    try:
        from PIL import Image, ImageChops  # pikepdf's dependency
    except ImportError:  # identical bytes were handled above: the crops differ, by an unknown amount
        return {"changed": -1}
    a = Image.open(io.BytesIO(before)).convert("RGB")
    b = Image.open(io.BytesIO(after)).convert("RGB")
    if a.size != b.size:
        return {"changed": -1}
    r, g, bl = ImageChops.difference(a, b).split()
    peak = ImageChops.lighter(ImageChops.lighter(r, g), bl)
    mask = peak.point(lambda v: 255 if v >= PIXEL_DELTA else 0)
    changed = sum(mask.histogram()[255:])
    if not changed:
        return {"changed": 0}
    left, top, right, bottom = mask.getbbox() or (0, 0, 0, 0)
    return {"changed": changed, "spot": [right - left, bottom - top]}


def changed_pixels(before: bytes, after: bytes) -> int:
    """The number of pixels ``pixel_change`` counts."""
    return int(pixel_change(before, after)["changed"])


# The keys the walk presses, as Chromium's DevTools protocol takes them (what Playwright's keyboard sends for
# them on Chromium: a raw key down without text, then the key up; Shift held around Tab for Shift+Tab).
_KEYS = {"Tab": ("Tab", "Tab", 9), "Escape": ("Escape", "Escape", 27)}
_SHIFT = {"key": "Shift", "code": "ShiftLeft", "windowsVirtualKeyCode": 16, "location": 1}


def _key_events(combo: str) -> list[dict[str, Any]]:
    """The DevTools key events of one press of ``combo`` ("Tab", "Shift+Tab", "Escape")."""
    shift = combo.startswith("Shift+")
    key, code, vk = _KEYS[combo.removeprefix("Shift+")]
    base = {"key": key, "code": code, "windowsVirtualKeyCode": vk, "modifiers": 8 if shift else 0}
    events = [{"type": "rawKeyDown", **base}, {"type": "keyUp", **base}]
    if shift:
        events = [{"type": "rawKeyDown", "modifiers": 8, **_SHIFT}, *events,
                  {"type": "keyUp", "modifiers": 0, **_SHIFT}]
    return events


async def _press_cdp(cdp: Any, combo: str, times: int = 1) -> None:
    """Press ``combo`` through the DevTools session: two to four messages, where Playwright's keyboard goes
    through its driver for each (its key tables, modifiers and bookkeeping) — the walk presses Tab some
    eighty times per page.  Several presses are sent back to back (the session keeps their order; the
    browser hands each key to the page after the previous one) and awaited together."""
    events = _key_events(combo)
    await asyncio.gather(*(cdp.send("Input.dispatchKeyEvent", ev) for _ in range(times) for ev in events))


class _Walk:
    """One page's walk: the key presses and what each one focused.

    With a DevTools session (``cdp``), keys are pressed and the page read
    through it (``page_call``): each press is a round trip of the browser,
    and a page takes some eighty of them, so the cheaper path counts; without
    one (not Chromium), Playwright's keyboard and ``evaluate``.

    Forward Tab presses go in batches (with a DevTools session): up to
    ``MAX_BATCH`` sent back to back, then one read of what each focused
    (``collect``).  The page stops a batch where a press-by-press walk would
    do something else than press Tab again (keyboard_batch.js), so the walk
    below sees the same records in the same order, only fewer round trips."""

    def __init__(self, page: Any, deadline: float, cdp: Any = None) -> None:
        self.page = page
        self.cdp = cdp
        self.deadline = deadline
        self.elements: list[dict[str, Any]] = []
        self.sequence: list[int] = []
        self.backward: list[int] = []
        self.traps: list[dict[str, Any]] = []
        self.presses = 0
        self.pixel_checks = 0
        self.ended = "cap"
        self.pending: deque[dict[str, Any]] = deque()  # records of a batch's presses, not walked yet
        self.armed = False  # the page watches the next Tab presses (the last call was collect)
        self.batching = cdp is not None
        self.batch = 1  # presses in the next batch: doubled while batches run through, down after a stop
        self.left = MAX_PRESSES  # shown, tabbable elements not reached yet, as the last read counted them

    async def call(self, op: str, arg: Any = None) -> Any:
        try:
            res = await page_call.call(self.page, self.cdp, _CALL, {"op": op, "arg": arg})
        except Exception as exc:
            if "context was destroyed" in str(exc) or "navigat" in str(exc):
                raise _PageChanged from exc
            raise
        finally:
            self.armed = op == "collect" and bool(arg and arg.get("arm"))
        if res is None and op in ("step", "finish", "collect"):
            raise _PageChanged
        return res

    async def next_tab(self) -> dict[str, Any]:
        """What has the focus after the next Tab press: the next record of a batch, or a new batch."""
        if self.pending:
            self.presses += 1
            return self.pending.popleft()
        if not self.batching:
            return await self.press("Tab")
        armed = self.armed
        # unarmed: one press, as ever; armed: no more than the elements left to reach and the press that leaves
        n = min(self.batch if armed else 1, MAX_PRESSES - self.presses, self.left + 1)
        await _press_cdp(self.cdp, "Tab", n)
        res = await self.call("collect", {"arm": True})
        log = res.get("log") or []
        left = res.get("left")
        self.left = MAX_PRESSES if left is None else int(left)
        if armed and res.get("seen") != n:  # keys went elsewhere (into a frame): counted, never read
            self.presses += max(0, n - int(res.get("seen") or 0))
            self.batching = False
        if not res.get("batchable"):  # the page's reactions cannot be watched: press by press
            self.batching = False
        if res.get("frames") or res.get("stop") in ("frame", "navigation"):
            self.batching = False
        if res.get("stop") in ("busy", "frame", "navigation") or len(log) < n:
            self.batch = max(1, len(log))
        else:
            self.batch = min(MAX_BATCH, self.batch * 2)
        for info in log:
            if info.get("kind") in ("element", "frame") and not info.get("repeat"):
                await self._record(info)
        self.pending.extend(log)
        self.presses += 1
        return self.pending.popleft()

    async def press(self, key: str) -> dict[str, Any]:
        """Press ``key`` and say what has the focus now (recording a new element)."""
        await self._key(key)
        self.presses += 1
        info = await self.call("step")
        if info.get("kind") in ("element", "frame") and not info.get("repeat"):
            await self._record(info)
        return info

    async def _key(self, key: str) -> None:
        if self.cdp is not None:
            await _press_cdp(self.cdp, key)
        else:
            await self.page.keyboard.press(key)

    async def _record(self, info: dict[str, Any]) -> None:
        rec = {k: info.get(k) for k in _KEEP if k in info}
        self.elements.append(rec)
        if info["kind"] == "frame" or info.get("focus_changes"):
            return
        clip = info.get("clip")
        if not clip or not info.get("in_viewport"):
            return
        if self.pixel_checks >= MAX_PIXEL_CHECKS or time.monotonic() > self.deadline:
            rec["pixels_skipped"] = True
            return
        self.pixel_checks += 1
        view = await self.call("shoot") if self.cdp is not None else None
        focused = await self._screenshot(clip, view)
        if not await self.call("blur", info["id"]):
            rec["pixels_skipped"] = True
            return
        try:
            blurred = await self._screenshot(clip, view)
        finally:
            refocused = await self.call("refocus", info["id"])
        rec["pixels"] = {**pixel_change(focused, blurred), "area": int(clip["width"] * clip["height"])}
        if not refocused:
            rec["refocus_failed"] = True

    async def _screenshot(self, clip: dict[str, Any], view: dict[str, Any] | None) -> bytes:
        """A PNG crop of the window (``clip``, window coordinates): through the walk's DevTools session
        when ``shoot`` said where the window is in the page (keyboard_shot.js: the message Playwright's
        screenshot ends with, without its preparation), else Playwright's screenshot."""
        if view is None:
            return bytes(await self.page.screenshot(clip=clip, type="png", caret="hide", scale="css"))
        res = await self.cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False, "clip": {
            "x": view["x"] + clip["x"], "y": view["y"] + clip["y"], "width": clip["width"],
            "height": clip["height"], "scale": view["scale"]}})
        return base64.b64decode(res["data"])

    def _parts(self, eid: int) -> int:
        """Extra presses a control with parts of its own keeps the focus for (0 for most)."""
        el = self.elements[eid] if 0 <= eid < len(self.elements) else {}
        return SEGMENTED.get(str(el.get("type") or el.get("tag") or ""), 0)

    def _out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    async def forward(self) -> None:
        """Tab from the top until focus leaves the document, wraps, is trapped or the cap is hit.

        The walk starts from the body (the page's top), but a browser that
        starts from an element goes to the ``tabindex=0`` elements after it
        first: the positive ``tabindex`` ones, which a visitor coming from the
        address bar meets first, come only after focus has left the document
        once.  So one more Tab after leaving: elements not met yet are the head
        of the order, walked until a known one, then put first."""
        seg: list[int] = []  # this stretch of the walk (a trap released by Escape starts another)
        last: int | None = None
        same = frame_presses = 0
        head: int | None = None  # where in ``sequence`` the elements met after re-entering start
        info: dict[str, Any] | None = None
        while self.pending or self.presses < MAX_PRESSES:
            if self._out_of_time():
                self.ended = "time"
                return
            if info is None:
                info = await self.next_tab()
            kind = info.get("kind")
            if kind in ("body", "out"):
                if not self.elements:
                    if self.presses >= 3:
                        self.ended = "no_focusable"
                        return
                    info = None
                    continue
                if head is None:  # focus left the document: back in, as from the address bar
                    head = len(self.sequence)
                    seg, last, same, frame_presses, info = [], None, 0, 0, None
                    continue
                self._put_head_first(head, None)
                self.ended = "left_document"
                return
            eid = int(info["id"])
            if head is not None and eid in self.sequence[:head]:
                self._put_head_first(head, eid)
                self.ended = "left_document"
                return
            trap: dict[str, Any] | None = None
            if eid == last:
                if kind == "frame":
                    frame_presses += 1
                    if frame_presses >= FRAME_PRESSES:
                        trap = {"kind": "frame", "ids": [eid]}
                else:
                    same += 1
                    if same >= STUCK - 1 + self._parts(eid):
                        trap = {"kind": "stuck", "ids": [eid]}
                if trap is None:
                    info = None
                    continue
            elif eid in seg:
                cycle = seg[seg.index(eid):]
                if not await self.call("outside", cycle):
                    self.ended = "wrapped"  # every tabbable element is in the loop: the page's own order
                    return
                trap = {"kind": "cycle", "ids": cycle}
            if trap is not None:
                trap["direction"] = "forward"
                released, info = await self._escape(trap, "Tab")
                if not released:
                    self.ended = "trap"
                    return
                self.sequence.append(-1)
                seg, last, same, frame_presses = [], None, 0, 0
                continue  # the element focused after Escape + Tab is taken as the next step
            same = frame_presses = 0
            seg.append(eid)
            self.sequence.append(eid)
            last = eid
            info = None
        self.ended = "cap"

    def _put_head_first(self, head: int, joined_at: int | None) -> None:
        """The elements met after re-entering the document come first in the
        tab order; they lead straight to the first element of the walk when
        that is where re-entering ended (else a break, -1, separates them)."""
        first = self.sequence[:head]
        tail = self.sequence[head:]
        if not tail:
            return
        joined = joined_at is not None and first and joined_at == first[0]
        self.sequence = tail + ([] if joined else [-1]) + first

    async def _escape(self, trap: dict[str, Any], key: str) -> tuple[bool, dict[str, Any]]:
        """Does Escape release a trap?  Press it once, then ``key``; focus
        elsewhere (or out of the document) is a release.  Recorded either way."""
        self.traps.append(trap)
        await self._key("Escape")
        self.presses += 1
        info = await self.press(key)
        held = set(trap["ids"])
        released = info.get("kind") in ("body", "out") or int(info.get("id", -1)) not in held
        trap["escape_released"] = released
        return released, info

    async def backwards(self) -> None:
        """A few Shift+Tab from where the walk stopped: focus must move back too."""
        held = self.traps[-1] if self.ended == "trap" and self.traps else None
        last: int | None = None
        same = 0
        for n in range(BACKWARD):
            if self._out_of_time():
                return
            info = await self.press("Shift+Tab")
            eid = None if info.get("kind") in ("body", "out") else int(info["id"])
            if n == 0 and held is not None:  # can the forward trap be left the other way?
                held["left_backward"] = eid not in held["ids"]
            if eid is None:
                last, same = None, 0
                continue
            if eid == last and info.get("kind") != "frame":
                same += 1
                if same >= STUCK - 1 + self._parts(eid):
                    if held is not None and held["ids"] == [eid]:
                        return  # the forward trap, still holding
                    await self._escape({"kind": "stuck", "ids": [eid], "direction": "backward"}, "Shift+Tab")
                    return
                continue
            self.backward.append(eid)
            last, same = eid, 0


@probe("keyboard")
async def keyboard_walk(page: Any, timeout_s: float) -> dict[str, Any]:
    """Tab through the page from its top and record what took the focus (see the module doc)."""
    deadline = time.monotonic() + max(2.0, timeout_s * 0.7)  # the rest of the budget: restoring the page
    try:  # its own DevTools session, opened for the walk and closed after it
        cdp = await page.context.new_cdp_session(page)
    except Exception:  # not Chromium
        cdp = None
    # through the session too (``page_call``): half the processor time of Playwright's ``evaluate``
    prep = await page_call.call(page, cdp, _prep_source(), {"margin": 6, "max_pixels": MAX_PIXEL_CHECKS})
    walk = _Walk(page, deadline, cdp)
    out: dict[str, Any] = {**prep}
    try:
        try:
            await walk.forward()
            if walk.ended != "time":
                await walk.backwards()
            out.update(await walk.call("finish"))
        except _PageChanged:
            walk.ended = "page_changed"
    finally:
        try:
            restored = await page_call.call(page, cdp, _CALL, {"op": "restore", "arg": None})
        except Exception:
            restored = None
        out.update(ended=walk.ended, presses=walk.presses, pixel_checks=walk.pixel_checks,
                   elements=walk.elements, sequence=walk.sequence, backward=walk.backward, traps=walk.traps,
                   restored=restored)
        if cdp is not None:
            try:
                await cdp.detach()
            except Exception:
                pass
    out.setdefault("unreached", [])
    return out
