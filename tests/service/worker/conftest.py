"""Worker fixtures: a migrated database per backend and a recording rescorer."""

from __future__ import annotations

import pytest
from worker_support import RecordingRescorer


@pytest.fixture
def rescorer() -> RecordingRescorer:
    return RecordingRescorer()
