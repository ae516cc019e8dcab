"""Old path of :mod:`auditor.run.progress`, kept because ``tests/collect`` (owned by the
collector's engineer) still imports it; new code imports ``auditor.run.progress``."""

from .run.progress import *  # noqa: F401,F403
from .run.progress import PlainProgress, ScanProgress  # noqa: F401
