"""Session-wide fixtures. Paths live in tests/paths.py; the throwaway PostgreSQL server in
tests/pg.py, whose fixtures are registered here once for every folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.paths import SHARED
from tests.pg import postgresql, postgresql_proc  # noqa: F401  (fixtures, registered once)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.fail(f"../shared not found at {SHARED}: the tests read the dev corpus from there")
    return SHARED


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command, for the tests that convert documents with it."""
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed: run scripts/system-deps.sh")
    return path
