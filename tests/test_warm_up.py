"""What a scan does in the background at its start, so that a short run
(one démarche in CI) does not pay for it after the walk."""

from __future__ import annotations

import subprocess
import sys

from auditor import pipeline
from auditor.render import html as html_render


def test_warm_up_compiles_every_report_template() -> None:
    env = html_render.environment()
    env.cache.clear()
    pipeline.warm_up()
    names = {p.relative_to(html_render.TEMPLATES).as_posix() for p in html_render.TEMPLATES.rglob("*.j2")}
    cached = {key[1] for key in env.cache.keys()}  # keys: (weakref to the loader, name)
    assert names and names <= cached


def test_loading_the_rules_leaves_the_html_parser_to_the_warm_up() -> None:
    # bs4 (and soupsieve) take ~80 ms to import: not on the path from the
    # command line to the browser's start
    code = ("import sys; from auditor.config import load_rules; load_rules(); "
            "print('bs4' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
