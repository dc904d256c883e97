"""Session-wide fixtures. Paths live in tests/paths.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.paths import SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.fail(f"../shared not found at {SHARED}: the tests read the dev corpus from there")
    return SHARED
