"""The session's throwaway PostgreSQL server, shared by the audit, register and web tests.

It runs for real through pytest-postgresql's `postgresql_proc` factory, with Debian's pg_ctl
found by glob (any installed major version). pg_ctl refuses to run as root (CI and dev containers
run as root), so in that case a small wrapper runs it as the `postgres` user and gives that user
the directories pytest created. tests/conftest.py registers the fixtures once, for every folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import tempfile
from pathlib import Path

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


def postgres_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database on the session's throwaway PostgreSQL server."""
    if PG_CTL is None:
        pytest.fail("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    info = request.getfixturevalue("postgresql").info
    return f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}"
