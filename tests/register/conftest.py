"""Fixtures of the register tests: a fresh database URL per backend (SQLite file, throwaway
PostgreSQL). The PostgreSQL server is the audit tests' recipe (tests/audit/conftest.py: Debian's
pg_ctl, run as `postgres` under root) under its own fixture names: importing the audit fixtures
themselves would register a second session server with the same data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_postgresql import factories
from tests.audit.conftest import PG_CTL

register_postgresql_proc = factories.postgresql_proc(executable=PG_CTL or "pg_ctl", port=None)
register_postgresql = factories.postgresql("register_postgresql_proc")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.db'}"
        return
    if PG_CTL is None:
        pytest.fail("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    conn: Any = request.getfixturevalue("register_postgresql")
    info = conn.info
    yield f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}"
