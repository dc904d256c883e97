"""The session's throwaway PostgreSQL server, shared by the audit, register and web tests.

One real server per pytest session, with its data directory, unix socket and log in its own
`tempfile.mkdtemp()` folder, outside pytest's basetemp. pytest-postgresql's own `postgresql_proc`
keeps them under basetemp (/tmp/pytest-of-<user>/...): every pytest session that starts as root
sets that folder to 0700 and prunes old numbered folders, which locks a server run as `postgres`
(pg_ctl refuses to run as root) out of its own data folder, so an overlapping session's server
died with "connection refused" at teardown (issue 11).

Started and stopped deterministically: every step is one bounded subprocess call (`initdb`,
`pg_ctl start -w -t`, `pg_ctl stop -w -t`), the postmaster's output goes to the log file (a server
that inherits a captured stdout pipe keeps `subprocess.run` waiting for an EOF that never comes),
and a failure says what failed with the log's tail instead of waiting. The folder is owned by the
user that runs the server and sits in a world-traversable temp folder; that is checked before
initdb, since a server that cannot reach its folder only fails later and obscurely. The folder is
removed at session end, on failure and on Ctrl-C (a session-scoped fixture's finaliser), and by a
small watchdog process if the pytest process is killed outright.

pytest-postgresql still provides the per-test `postgresql` connection fixture (a fresh database
cloned from the session's template database).
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_postgresql import factories
from pytest_postgresql.janitor import DatabaseJanitor

SERVER_USER = "postgres"  # the user that runs the server when the tests run as root
_ENV = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
_TIMEOUT = 60  # seconds for any one step: initdb, start, stop


def pg_bin(name: str) -> str | None:
    """Debian's PostgreSQL program `name` (newest installed major version), else the one on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which(name)


@dataclass(frozen=True)
class Server:
    """A running throwaway server: what pytest-postgresql's `postgresql` fixture reads from it."""

    root: Path  # data/, the unix socket and server.log live here
    port: int
    watchdog: subprocess.Popen[bytes]
    host: str = "127.0.0.1"
    user: str = "postgres"
    password: str | None = None
    options: str = ""
    dbname: str = "tests"
    maintenance_dbname: str = "postgres"

    @property
    def template_dbname(self) -> str:
        return f"{self.dbname}_tmpl"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    """Run one bounded step; on failure or time-out, fail with its output and the server log's tail."""
    try:
        done = subprocess.run(
            _as_server_user(command),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_TIMEOUT,
            env={**os.environ, **_ENV},
            cwd="/",  # the server user may not be able to enter the caller's folder
        )
        problem = "" if done.returncode == 0 else (done.stdout + done.stderr).decode(errors="replace")
    except subprocess.TimeoutExpired:
        problem = f"no answer in {_TIMEOUT} s"
    if problem:
        tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        raise RuntimeError(f"PostgreSQL for the tests: {what} failed: {problem.strip()}\n{tail}".strip())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _private_folder() -> Path:
    """A fresh folder outside pytest's basetemp, owned by the user that will run the server."""
    root = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user=SERVER_USER, group=SERVER_USER)
        reach = subprocess.run(_as_server_user(["test", "-w", str(root)]), check=False, timeout=_TIMEOUT)
        if reach.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(
                f"PostgreSQL for the tests: user {SERVER_USER!r} cannot write to {root}: a parent folder "
                f"is not traversable; point TMPDIR at a folder like /tmp"
            )
    return root


def _watchdog(root: Path, pg_ctl: str) -> subprocess.Popen[bytes]:
    """A process that stops the server and removes its folder once this pytest process is gone
    (killed outright, so that no finaliser ran); in a session of its own so Ctrl-C spares it."""
    stop = shlex.join(_as_server_user([pg_ctl, "stop", "-D", str(root / "data"), "-m", "immediate"]))
    script = (
        f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
        f"{stop} >/dev/null 2>&1; rm -rf {shlex.quote(str(root))}"
    )
    return subprocess.Popen(
        ["sh", "-c", script],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd="/",
    )


def start_server(initdb: str, pg_ctl: str) -> Server:
    """Given Debian's initdb and pg_ctl, return a running server in a private folder."""
    root = _private_folder()
    watchdog = _watchdog(root, pg_ctl)
    server = Server(root=root, port=0, watchdog=watchdog)
    try:
        _run(
            [initdb, "-D", str(server.data), "-U", server.user, "--auth=trust", "--no-sync", "-E", "UTF8"],
            "initdb",
        )
        for attempt in range(3):  # another session may take the free port before this server binds it
            server = Server(root=root, port=_free_port(), watchdog=watchdog)
            options = (
                f"-F -p {server.port} -c listen_addresses={server.host} "
                f"-c unix_socket_directories={shlex.quote(str(root))} -c fsync=off"
            )
            start = [pg_ctl, "start", "-w", "-t", str(_TIMEOUT), "-D", str(server.data)]
            try:
                _run([*start, "-l", str(server.log), "-o", options], "pg_ctl start", server.log)
                return server
            except RuntimeError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
    except BaseException:
        stop_server(server, pg_ctl)
        raise


def stop_server(server: Server, pg_ctl: str) -> None:
    """Stop the server (fast, then immediate) and remove its folder and its watchdog."""
    try:
        if (server.data / "postmaster.pid").exists():
            try:
                _run(
                    [pg_ctl, "stop", "-w", "-t", str(_TIMEOUT), "-D", str(server.data), "-m", "fast"], "stop"
                )
            except RuntimeError:
                _run([pg_ctl, "stop", "-D", str(server.data), "-m", "immediate"], "stop", server.log)
    finally:
        shutil.rmtree(server.root, ignore_errors=True)
        server.watchdog.kill()
        server.watchdog.wait(timeout=_TIMEOUT)


@pytest.fixture(scope="session")
def postgresql_proc() -> Iterator[Server]:
    """The session's server, with the template database that each test's database is cloned from."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.fail("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    server = start_server(initdb, pg_ctl)
    try:
        DatabaseJanitor(
            user=server.user,
            host=server.host,
            port=server.port,
            dbname=server.template_dbname,
            maintenance_dbname=server.maintenance_dbname,
            as_template=True,
        ).init()
        yield server
    finally:
        stop_server(server, pg_ctl)


postgresql = factories.postgresql("postgresql_proc")


def postgres_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database on the session's throwaway PostgreSQL server."""
    info = request.getfixturevalue("postgresql").info
    return f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}"
