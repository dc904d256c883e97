"""The throwaway PostgreSQL server of tests/pg.py survives overlapping pytest sessions (issue 11).

Two real pytest sessions run at once, each with its own server, sharing one pytest temp root (as
every root session on a machine shares /tmp/pytest-of-root; here an isolated one through
PYTEST_DEBUG_TEMPROOT, so no other session on the machine is touched). While both run, a third,
ordinary session starts: its start-up sets that root back to 0700. Each server must still reach its
own data folder afterwards, and both sessions must stop their servers cleanly and remove their
folders. With the data directory under basetemp (before this fix), the servers, run as `postgres`,
were locked out of their own folders (and a later teardown met "connection refused").
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.paths import REPO

_CHILD = """
import os, time
from pathlib import Path

import psycopg
from tests.pg import postgresql, postgresql_proc  # noqa: F401

SYNC = Path(os.environ["XXGK_PG_SYNC"])
ME = os.environ["XXGK_PG_ME"]


def _connect(proc):
    return psycopg.connect(host=proc.host, port=proc.port, user=proc.user, dbname="postgres",
                           connect_timeout=10)


def test_server_outlives_the_other_session(postgresql, postgresql_proc):
    postgresql.execute("CREATE TABLE t (x int)")
    postgresql.execute("INSERT INTO t VALUES (1)")
    postgresql.commit()
    (SYNC / ME).write_text(f"{postgresql_proc.port} {postgresql_proc.root}")
    deadline = time.monotonic() + 200
    while not (SYNC / "plain").exists():  # a plain session has started (and ended) meanwhile
        assert time.monotonic() < deadline, "the plain session never ran"
        time.sleep(0.2)
    assert postgresql.execute("SELECT sum(x) FROM t").fetchone() == (1,)
    with _connect(postgresql_proc) as fresh:  # a new connection, after the other session's start-up
        # the server still reaches its own data folder by its path (the lock-out made it fail)
        size = "SELECT (pg_stat_file(current_setting('data_directory') || '/postmaster.pid')).size"
        assert fresh.execute(size).fetchone()[0] > 0

    assert int((SYNC / ("b" if ME == "a" else "a")).read_text().split()[0]) != postgresql_proc.port
"""

# An ordinary session that only uses tmp_path: its start-up resets the shared pytest temp root.
_PLAIN = """
import os
from pathlib import Path


def test_plain(tmp_path):
    (Path(os.environ["XXGK_PG_SYNC"]) / "plain").write_text(str(tmp_path))
"""


def _session(child: Path, env: dict[str, str], me: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(REPO), str(child)],
        cwd=REPO,
        env={**env, "XXGK_PG_ME": me},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.postgres
def test_two_concurrent_pytest_sessions_each_keep_their_postgresql_server(tmp_path: Path) -> None:
    children = {"pg": tmp_path / "test_pg_session.py", "plain": tmp_path / "test_plain_session.py"}
    children["pg"].write_text(_CHILD)
    children["plain"].write_text(_PLAIN)
    sync = tmp_path / "sync"
    sync.mkdir()
    temproot = tmp_path / "temproot"
    temproot.mkdir()
    env = {**os.environ, "XXGK_PG_SYNC": str(sync), "PYTEST_DEBUG_TEMPROOT": str(temproot)}

    sessions = {}
    for name in "ab":  # the second starts while the first one's test runs
        sessions[name] = _session(children["pg"], env, name)
        deadline = time.monotonic() + 120
        while not (sync / name).exists() and sessions[name].poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
    plain = _session(children["plain"], env, "plain")
    outputs = {
        name: session.communicate(timeout=300)[0] for name, session in {**sessions, "plain": plain}.items()
    }

    for name, output in outputs.items():
        session = plain if name == "plain" else sessions[name]
        tail = output.strip().splitlines()[-1] if output.strip() else ""
        assert session.returncode == 0, f"session {name}:\n{output[-3000:]}"
        assert tail.startswith("1 passed") and "error" not in tail, f"session {name}: {tail}"
    for name in "ab":  # both servers were stopped and their private folders removed
        root = Path((sync / name).read_text().split(maxsplit=1)[1])
        assert not root.exists(), f"session {name} left {root}"


_SLEEPER = """
import os, time
from pathlib import Path

from tests.pg import postgresql, postgresql_proc  # noqa: F401


def test_sleep(postgresql, postgresql_proc):
    (Path(os.environ["XXGK_PG_SYNC"]) / "up").write_text(str(postgresql_proc.root))
    time.sleep(120)
"""


@pytest.mark.slow
@pytest.mark.postgres
def test_a_killed_session_leaves_no_server_and_no_folder(tmp_path: Path) -> None:
    """pytest killed outright (no finaliser runs): the watchdog stops the server, removes its folder."""
    child = tmp_path / "test_sleeper.py"
    child.write_text(_SLEEPER)
    sync = tmp_path / "sync"
    sync.mkdir()
    session = _session(child, {**os.environ, "XXGK_PG_SYNC": str(sync)}, "sleeper")
    deadline = time.monotonic() + 120
    while not (sync / "up").exists():
        assert session.poll() is None and time.monotonic() < deadline, session.communicate()[0][-3000:]
        time.sleep(0.2)
    root = Path((sync / "up").read_text())
    assert (root / "data" / "postmaster.pid").exists()
    session.kill()
    session.communicate(timeout=60)
    deadline = time.monotonic() + 60
    while root.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not root.exists(), f"{root} left behind"
    import psutil

    left = [p.pid for p in psutil.process_iter(["cmdline"]) if str(root) in " ".join(p.info["cmdline"] or [])]
    assert not left, f"processes of the killed session's server still run: {left}"
