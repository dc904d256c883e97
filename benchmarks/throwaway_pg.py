"""A throwaway PostgreSQL server for the benchmarks: initdb in a temporary folder, a Unix socket
only, stopped and deleted on exit; synchronous_commit=off, the
durability of the SQLite runs (WAL, synchronous=NORMAL): a crash loses the last commits, never the
database. Debian's binaries (scripts/system-deps.sh); as root, the
server runs as the `postgres` user (pg_ctl refuses root), as in tests/audit/conftest.py.

    with throwaway_postgresql() as url:   # postgresql+psycopg://postgres@/xxgk?host=…
        ...
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise SystemExit("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    return found[-1]


def _run(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *cmd], check=True, capture_output=True, cwd="/")


@contextmanager
def throwaway_postgresql(port: int = 54329) -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="xxgk-bench-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        root.chmod(0o755)
    _run(_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    options = f"-p {port} -k {root} -c listen_addresses='' -c synchronous_commit=off"
    _run(_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")
    try:
        _run(_bin("createdb"), "-h", str(root), "-p", str(port), "-U", "postgres", "xxgk")
        yield f"postgresql+psycopg://postgres@/xxgk?host={root}&port={port}"
    finally:
        _run(_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
