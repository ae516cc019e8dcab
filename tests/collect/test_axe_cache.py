"""The axe cache of incremental rescans: hits, misses, and what invalidates it."""

from __future__ import annotations

import shutil
from pathlib import Path

from auditor.collect.cache import AxeCache, dom_key
from auditor.config import default_rules_dir, load_rules

VIOLATION = {"rule": "image-alt", "impact": "critical", "tags": ["wcag2a"], "help": "Images must have alternate text",
             "help_url": "https://dequeuniversity.com/rules/axe/4.12/image-alt", "description": "",
             "nodes": [{"target": ["#sans-alt"], "html": "<img id=\"sans-alt\">", "summary": "Fix any of…"}]}


def test_miss_then_hit_returns_what_was_stored(tmp_path: Path) -> None:
    cache = AxeCache(tmp_path, "4.12.1", "abc")
    key = cache.key(dom_key("<html><body><img id=sans-alt></body></html>", []))
    assert cache.get(key) is None
    cache.put(key, [VIOLATION], [])
    assert cache.get(key) == {"violations": [VIOLATION], "incomplete": [], "reused": []}
    assert (cache.hits, cache.misses) == (1, 1)
    # a new cache object on the same folder (the next scan) finds it too
    again = AxeCache(tmp_path, "4.12.1", "abc")
    assert again.get(key) == {"violations": [VIOLATION], "incomplete": [], "reused": []}


def test_an_empty_cache_is_cold_so_axe_is_installed_up_front(tmp_path: Path) -> None:
    """First scan into a folder: every page will miss, so the walk installs
    axe in every document at once instead of on the first miss."""
    assert AxeCache(tmp_path / "neuf", "4.12.1", "abc").cold
    cache = AxeCache(tmp_path, "4.12.1", "abc")
    assert cache.cold
    cache.put(cache.key("dom"), [], [])
    assert cache.cold  # decided when the scan started
    assert not AxeCache(tmp_path, "4.12.1", "abc").cold


def test_key_changes_with_dom_frames_axe_version_and_rules() -> None:
    html = "<html><body><p>Bonjour</p></body></html>"
    base = AxeCache(Path("."), "4.12.1", "rules-1")
    k = base.key(dom_key(html, []))
    assert base.key(dom_key(html, [])) == k  # stable
    assert base.key(dom_key(html.replace("Bonjour", "Bonsoir"), [])) != k
    assert base.key(dom_key(html, [("https://x.fr/cadre", "<html></html>")])) != k
    assert base.key(dom_key(html, [("https://x.fr/cadre", "<html></html>")])) != \
        base.key(dom_key(html, [("https://x.fr/cadre", "<html><img></html>")]))
    assert AxeCache(Path("."), "4.13.0", "rules-1").key(dom_key(html, [])) != k
    assert AxeCache(Path("."), "4.12.1", "rules-2").key(dom_key(html, [])) != k


def test_editing_a_rules_file_invalidates_the_cache(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules_dir)
    before = load_rules(rules_dir)
    cache_dir = tmp_path / "cache"
    dom = dom_key("<html><body>page</body></html>", [])
    first = AxeCache(cache_dir, "4.12.1", before.digest)
    first.put(first.key(dom), [VIOLATION], [])
    assert AxeCache(cache_dir, "4.12.1", load_rules(rules_dir).digest).get(first.key(dom)) is not None

    walk = rules_dir / "walk.yaml"
    walk.write_text(walk.read_text(encoding="utf-8") + "\n# réglage modifié\n", encoding="utf-8")
    after = load_rules(rules_dir)
    assert after.digest != before.digest
    fresh = AxeCache(cache_dir, "4.12.1", after.digest)
    assert fresh.get(fresh.key(dom)) is None


def test_a_newer_axe_misses(tmp_path: Path) -> None:
    dom = dom_key("<html></html>", [])
    old = AxeCache(tmp_path, "4.12.1", "r")
    old.put(old.key(dom), [], [])
    new = AxeCache(tmp_path, "4.13.0", "r")
    assert new.get(new.key(dom)) is None and new.misses == 1


def test_damaged_entry_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    cache = AxeCache(tmp_path, "4.12.1", "r")
    key = cache.key(dom_key("<html></html>", []))
    cache.put(key, [], [])
    path = next(tmp_path.rglob(f"{key}.json"))
    path.write_text("{tronqué", encoding="utf-8")
    assert cache.get(key) is None
    path.write_text('{"violations": "pas une liste"}', encoding="utf-8")
    assert cache.get(key) is None
