"""Fixtures for the audit tests: a database URL per backend (SQLite file, throwaway PostgreSQL),
and small report corpora written as report JSON files.

PostgreSQL runs for real through pytest-postgresql's `postgresql_proc` factory, with Debian's
pg_ctl found by glob (any installed major version). pg_ctl refuses to run as root (CI and dev
containers run as root), so in that case a small wrapper runs it as the `postgres` user and
gives that user the directories pytest created.
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_postgresql import factories


def _pg_ctl() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which("pg_ctl")


_WRAPPER = """#!/bin/sh
# pg_ctl refuses to run as root: run it as postgres, handing it the directories pytest made.
if [ "$(id -u)" = 0 ]; then
  prev=""
  for a in "$@"; do
    case "$prev" in -D|--pgdata|-l|--log) target="$a";; *) target="";; esac
    case "$a" in --pgdata=*) target="${a#--pgdata=}";; esac
    [ "$prev" = "-l" ] || [ "$prev" = "--log" ] && target=$(dirname "$a")
    if [ -n "$target" ]; then
      mkdir -p "$target" && chown postgres "$target"
      d=$(dirname "$target"); while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null; d=$(dirname "$d"); done
    fi
    prev="$a"
  done
  cd /
  exec runuser -u postgres -- "{pg_ctl}" "$@"
fi
exec "{pg_ctl}" "$@"
"""


def _executable() -> str | None:
    pg_ctl = _pg_ctl()
    if pg_ctl is None or os.geteuid() != 0:
        return pg_ctl
    wrapper = Path(tempfile.gettempdir()) / f"xxgk-pg_ctl-{os.getpid()}"
    wrapper.write_text(_WRAPPER.replace("{pg_ctl}", pg_ctl))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(wrapper)


PG_CTL = _executable()
postgresql_proc = factories.postgresql_proc(executable=PG_CTL or "pg_ctl", port=None)
postgresql = factories.postgresql("postgresql_proc")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    if PG_CTL is None:
        pytest.fail("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    conn: Any = request.getfixturevalue("postgresql")
    info = conn.info
    yield f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}"
