"""Calling the walk's own scripts in the page, through its DevTools session.

Playwright's ``page.evaluate`` goes Python → driver → browser → renderer and
back, and in the page it goes through Playwright's helper script (installed
in every new document) that serialises arguments and results in its own
format: about 14 ms of processor time per call on the benchmark's pages,
against 7 ms for the same script sent as ``Runtime.evaluate`` on the
DevTools session the walk already holds.  A walk makes some ten such calls
per page, so they go this way.

Likewise a click on a control the walk found itself (``click_point`` +
``click_at``) and a file upload (``set_files``) cost two or three DevTools
messages instead of the twenty to thirty of a Playwright locator action
(selector resolution, actionability checks, previews) and of the 330 kB
script Playwright injects for them in every document.  When the fast way
cannot decide (the control is covered, moving, not found), the callers
fall back on Playwright's action, which waits and retries.

Results come back as one JSON string that Python decodes itself: a result
sent as a structure is walked object by object by Playwright's Python
mapping layer (some 1.4 million calls for a rescan of the benchmark's 240
pages, whose control lists weigh ≈ 55 kB each), a string once.

Only the main frame of a page is called this way; frames keep Playwright.
"""

from __future__ import annotations

import json
from typing import Any

NO_ARG = object()  # call() without an argument: the function is called with none

# the result as JSON text, undefined as undefined (``call`` returns None for both, as returnByValue did)
_JSON_RESULT_JS = "(v) => v === undefined ? undefined : JSON.stringify(v)"


class PageScriptError(Exception):
    """The script threw in the page, or the document went away under it."""


def _navigated(message: str) -> bool:
    return "navigated or closed" in message or "context was destroyed" in message.lower()


def _value(result: dict[str, Any]) -> Any:
    if "value" in result:
        return result["value"]
    if "unserializableValue" in result:  # NaN, Infinity, -0, bigint: never ours
        return None
    return None  # undefined


def _playwright(page: Any, source: str, arg: Any) -> Any:
    """The same call through Playwright, which waits for the next document."""
    return page.evaluate(source) if arg is NO_ARG else page.evaluate(source, arg)


async def call(page: Any, cdp: Any, source: str, arg: Any = NO_ARG) -> Any:
    """Run the function ``source`` with ``arg`` in the page's main frame
    and return its (awaited, JSON-serialisable) result.

    Without a DevTools session, or when the protocol refuses the call
    (between two documents there is no context to run in), Playwright's
    ``evaluate`` does it: it waits for the next document.  A document that
    goes away while the script runs raises ``PageScriptError`` with
    « context was destroyed » in its message, as Playwright does, so
    callers that read the new page on that message keep working."""
    if cdp is None:
        return await _playwright(page, source, arg)
    call_args = "" if arg is NO_ARG else json.dumps(arg, ensure_ascii=False)
    try:
        res = await cdp.send("Runtime.evaluate", {
            # a script that throws at once still throws here (no async wrapper turns it into a rejection)
            "expression": f"Promise.resolve(({source})({call_args})).then({_JSON_RESULT_JS})",
            "awaitPromise": True,
            "returnByValue": True,
            "objectGroup": "auditor",
        })
    except Exception as exc:
        if _navigated(str(exc)):
            raise PageScriptError("Execution context was destroyed: the page navigated") from exc
        return await _playwright(page, source, arg)
    details = res.get("exceptionDetails")
    if details:
        exc_obj = details.get("exception") or {}
        text = exc_obj.get("description") or details.get("text") or "erreur de script"
        raise PageScriptError(str(text).splitlines()[0][:300])
    value = _value(res.get("result") or {})
    return json.loads(value) if isinstance(value, str) else None


# Where to click a control, as a user would: scrolled into view, its centre
# (of its first box: a wrapped link), and nothing drawn over that point.
# null when the control cannot be clicked there: the caller falls back on
# Playwright's click, which waits for it to become clickable.  After a
# scroll, two animation frames pass before the check: a header that shows
# itself on scroll would otherwise take the click meant for the control.
_CLICK_POINT_JS = """async (sel) => {
  let el;
  try { el = document.querySelector(sel); } catch (e) { return null; }
  if (!el || !el.isConnected) return null;
  const box = () => {
    const rects = el.getClientRects();
    for (const r of rects) if (r.width > 1 && r.height > 1) return r;
    return null;
  };
  let r = box();
  if (!r) return null;
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
    el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    await new Promise((done) => {
      const timer = setTimeout(done, 100);  // no frames (hidden page): go on
      requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); done(); }));
    });
    if (!el.isConnected) return null;
    r = box();
    if (!r) return null;
  }
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return null;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !(hit === el || el.contains(hit) || (hit.closest && hit.closest("label") && hit.closest("label").control === el)))
    return null;
  const style = getComputedStyle(el);
  if (style.visibility !== "visible" || style.pointerEvents === "none") return null;
  if (el.disabled) return null;
  return { x, y };
}"""


async def click_point(page: Any, cdp: Any, selector: str) -> dict[str, float] | None:
    """The viewport point where a click reaches ``selector`` (scrolling it
    into view), or None when it cannot be clicked right now."""
    if cdp is None:
        return None
    try:
        point = await call(page, cdp, _CLICK_POINT_JS, selector)
    except PageScriptError:
        return None
    return point if isinstance(point, dict) and "x" in point and "y" in point else None


async def click_at(cdp: Any, point: dict[str, float]) -> None:
    """A left click at ``point``: the pointer moves there, presses,
    releases (the events a user's click makes, hover included)."""
    x, y = point["x"], point["y"]
    await cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "button": "none"})
    await cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left",
                                                "buttons": 1, "clickCount": 1})
    await cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left",
                                                "buttons": 0, "clickCount": 1})


_FILE_INPUT_JS = """(() => {
  let el;
  try { el = document.querySelector(%s); } catch (e) { return null; }
  return el && el.isConnected && el.tagName === "INPUT" && el.type === "file" && !el.disabled ? el : null;
})()"""


async def set_files(cdp: Any, uploads: list[tuple[str, list[str]]]) -> list[bool]:
    """Give each file input (selector of the main frame) its files, the way
    the file picker would (Chromium fires ``input`` and ``change``): two
    DevTools messages per input, one more for the lot.  False for an input
    this cannot reach (not an enabled file input of the main document): the
    caller uses Playwright's upload for it."""
    done = [False] * len(uploads)
    if cdp is None:
        return done
    try:
        for i, (selector, paths) in enumerate(uploads):
            try:
                res = await cdp.send("Runtime.evaluate", {"expression": _FILE_INPUT_JS % json.dumps(selector),
                                                          "objectGroup": "auditor-files"})
                object_id = (res.get("result") or {}).get("objectId")
                if res.get("exceptionDetails") or not object_id:
                    continue
                await cdp.send("DOM.setFileInputFiles", {"files": paths, "objectId": object_id})
                done[i] = True
            except Exception:
                continue
    finally:
        try:
            await cdp.send("Runtime.releaseObjectGroup", {"objectGroup": "auditor-files"})
        except Exception:
            pass
    return done
