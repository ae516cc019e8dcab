import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import BrowserHarness  # noqa: E402

# what an unmarked test finds instead of a browser: the run says which test forgot its mark
NO_BROWSER = "/nonexistent/chromium-pour-un-test-sans-la-marque-browser"


@pytest.fixture(scope="session")
def harness():
    """A real Chromium shared by every browser test of the session."""
    h = BrowserHarness()
    yield h
    h.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the shared Chromium is a browser test, whatever its file says."""
    for item in items:
        if "harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _browser_only_when_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test without the ``browser`` mark cannot start Chromium, in this
    process or in a command it runs (``AUDITOR_BROWSER`` names no browser):
    so the fast lane (``-m "not browser"``) never drives one by mistake."""
    if request.node.get_closest_marker("browser") is None:
        monkeypatch.setenv("AUDITOR_BROWSER", NO_BROWSER)
