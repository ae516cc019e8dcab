"""The scripted walk: the ``steps`` a démarche describes (fill, select,
check, upload, click, wait_for, goto, audit), carried out in order.

A script names the controls the auditor chose, so only what the submit
guard calls final stops a click (``_decide_scripted``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import resolve_env
from .final_control import Decision, classify, control_facts, page_facts, position
from .final_control import norm as norm_name  # accessible names as the rules expect them
from .guard import PageUnresponsive
from .walk_common import SAMPLE_PDF, _short


class StepFailed(Exception):
    """A scripted step could not be carried out (message in French)."""


class ScriptedWalkMixin:
    """The scripted walk of :class:`~auditor.collect.walk.Walker`, apart so
    that each verb of ``steps`` can be read in one place.

    Reads the walker's ``d``, ``opts``, ``page``, ``pages``, ``vocab``,
    ``timeout_s``, ``account_flow``, ``_last_key``, ``_blocked`` and
    ``_pending_stop``; writes ``seen_states``, ``pages[-1].name``,
    ``_pending_stop``, ``_last_step``, ``_clicked``, ``_dialogs``,
    ``_blocked`` and ``_guard_blocked``.  Calls the walker's ``_start``,
    ``_audit``, ``_after_action``, ``_goto``, ``_set_free_nav``, ``_stop``,
    ``_stop_before``, ``_error``, ``_budget_reason``,
    ``_step_budget_left``, ``_alive``, ``_probe_after_failure``,
    ``_settle``, ``_state`` and ``_signals``.
    """

    async def scripted_walk(self) -> None:
        if not await self._start():
            return
        steps = self.d.steps or []
        for i, step in enumerate(steps, 1):
            if not self._alive():
                return
            verb = step.verb
            before = await self._state()
            self._blocked.clear()
            try:
                if verb == "audit":
                    state = await self._state(await self._settle())
                    if state.key == self._last_key and self.pages and self.pages[-1].name is None:
                        self.pages[-1].name = step.audit  # this state was just audited: name it
                        continue
                    if self._step_budget_left() <= 0:
                        self._stop("partial", self._budget_reason(state))
                        return
                    self.seen_states.add(state.key)
                    await self._audit("step", state, new_doc=state.origin != before.origin, name=step.audit)
                    continue
                guarded = await self._do_step(verb, step.value)
                if guarded:
                    label, selector, decision = self._pending_stop
                    self._stop_before(label, selector, decision, self.pages[-1].index if self.pages else None,
                                      script_steps_left=len(steps) - i)
                    return
            except PageUnresponsive:
                raise
            except StepFailed as exc:
                await self._probe_after_failure()
                self._error("action", f"étape n° {i} ({verb}) : {exc}")
                self._stop("partial", f"l'étape n° {i} ({verb}) a échoué")
                return
            except Exception as exc:
                if self._blocked:
                    await self._after_action(before, scripted=True)
                    return
                await self._probe_after_failure()
                self._error("action", f"étape n° {i} ({verb}) : {_short(exc)}")
                self._stop("partial", f"l'étape n° {i} ({verb}) a échoué")
                return
            outcome = await self._after_action(before, content_counts=verb in ("click", "goto", "wait_for"),
                                               scripted=True)
            if outcome == "stop":
                return

    def _locator(self, target: str, clickable: bool = False) -> Any:
        if target.startswith(("css=", "xpath=")):
            return self.page.locator(target).first
        if not clickable:
            return self.page.locator(target).first
        p = self.page
        return (
            p.get_by_role("button", name=target, exact=True)
            .or_(p.get_by_role("link", name=target, exact=True))
            .or_(p.get_by_role("button", name=target))
            .or_(p.get_by_role("link", name=target))
            .or_(p.get_by_text(target, exact=True))
        ).first

    async def _decide_scripted(self, loc: Any, label: str) -> Decision:
        """The guard's decision on a control a script clicks.  A script names
        the controls the auditor chose, so only what the guard calls final
        stops it: a commit verb the page does not place anywhere
        (``uncertain``) is the auditor's decision to take."""
        page = self.pages[-1] if self.pages else None
        try:  # candidates.js tells which of its candidates this is (``aimed``)
            await loc.evaluate("e => { window.__auditorAimed = e; }", timeout=self.timeout_s * 1000)
        except Exception:
            pass
        sig = await self._signals()
        cand = next((c for c in sig["candidates"] if c.get("aimed")), None)
        cand = cand or {"name": label, "tag": "button", "submit": True, "region": "main", "form": -1}
        cand = {**cand, "name": label}
        facts = page_facts(sig, page, account_flow=self.account_flow)
        decision = classify(control_facts(cand, sig.get("forms") or []), facts, self.vocab)
        self._last_step = position(facts, self.vocab).where == "last"  # the browser guard's cue
        if decision.verdict == "uncertain":
            return Decision("next", decision.signals)
        return decision

    async def _do_step(self, verb: str, value: Any) -> bool:
        """Carry out one scripted step; True when the submit guard stopped it."""
        t = self.timeout_s * 1000
        env = self.opts.environ
        if verb == "fill":
            for sel, val in value.items():
                await self._locator(sel).fill(resolve_env(val, env), timeout=t)
        elif verb == "select":
            for sel, val in value.items():
                loc = self._locator(sel)
                v = resolve_env(val, env)
                try:
                    await loc.select_option(label=v, timeout=t)
                except Exception:
                    await loc.select_option(value=v, timeout=t)
        elif verb == "check":
            loc = self._locator(value)
            try:
                await loc.check(timeout=min(t, 2000))
            except Exception:
                await loc.evaluate("e => { if (!e.checked) e.click(); }", timeout=t)  # visually hidden input
        elif verb == "upload":
            for sel, val in value.items():
                path = SAMPLE_PDF if val == "sample" else (self.opts.base_dir / resolve_env(val, env))
                if not Path(path).exists():
                    raise StepFailed(f"fichier à joindre introuvable : {val}")
                await self._locator(sel).set_input_files(str(path), timeout=t)
        elif verb == "click":
            loc = self._locator(value, clickable=True)
            try:
                name = await loc.evaluate(
                    "e => (e.getAttribute('aria-label') || e.innerText || e.value || '').trim()", timeout=t
                )
            except Exception as exc:
                raise StepFailed(f"élément « {value} » introuvable ({_short(exc)})") from None
            label = norm_name(name or value)
            decision = await self._decide_scripted(loc, label)
            if decision.stops and not self.d.allow_submit:
                self._pending_stop = (label, value, decision)
                return True
            self._dialogs.clear()
            self._guard_blocked.clear()
            self._clicked = label
            await loc.click(timeout=t)
        elif verb == "wait_for":
            target = value
            if target.startswith(("css=", "xpath=")):
                await self.page.locator(target).first.wait_for(timeout=t)
            else:
                await self.page.get_by_text(target).first.wait_for(timeout=t)
        elif verb == "goto":
            self._set_free_nav(True)  # an address the auditor wrote: follow it
            try:
                ok = await self._goto(resolve_env(value, env))
            finally:
                self._set_free_nav(False)
            if not ok:
                raise StepFailed(f"chargement impossible de {value}")
        return False
