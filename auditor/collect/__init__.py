"""Collect: the only stage that drives a browser.

It walks a démarche (scripted steps or auto-walk), audits each step page with
axe-core in every frame and records a :class:`~auditor.model.Capture`.
Nothing downstream needs a browser.
"""
