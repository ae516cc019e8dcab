import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import BrowserHarness  # noqa: E402


@pytest.fixture(scope="session")
def harness():
    """A real Chromium shared by every browser test of the session."""
    h = BrowserHarness()
    yield h
    h.close()
