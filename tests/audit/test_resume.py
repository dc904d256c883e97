"""Killing `xxgk audit` midway and running it again completes the audit with no duplicate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from tests.audit.corpus import write_reports

from xxgk.storage import open_db
from xxgk.storage.db import make_engine
from xxgk.storage.models import Document, FindingRow, ReportRow

N = 1500  # compact storage made the audit fast: enough files that it is still running when polled


def _stored(url: str) -> int:
    """Documents stored so far; a bare connection (no migration check), so polling is cheap."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Document)).scalar() or 0
    finally:
        engine.dispose()


def test_killed_audit_resumes_without_duplicates(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    plan = [(f"第{i // 5}号区人民政府", 2019 + i % 5) for i in range(N)]
    write_reports(corpus, plan)
    open_db(db_url).close()  # migrate first, so the child starts storing at once
    cmd = [sys.executable, "-m", "xxgk", "audit", str(corpus), "--db", db_url, "--jobs", "1", "--quiet"]
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and child.poll() is None:
        stored = _stored(db_url)
        if stored > 0:
            break
        time.sleep(0.02)
    assert child.poll() is None, "the audit finished before it could be interrupted: make the corpus larger"
    os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    partial = _stored(db_url)
    assert 0 < partial < N

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{N - partial} processed" in done.stdout
    db = open_db(db_url)
    try:
        with db.session() as s:
            docs = s.scalar(select(func.count()).select_from(Document))
            distinct = s.scalar(select(func.count(func.distinct(Document.path))))
            reports = s.scalar(select(func.count()).select_from(ReportRow))
            orphans = s.scalar(
                select(func.count())
                .select_from(FindingRow)
                .where(FindingRow.report_id.not_in(select(ReportRow.id)))
            )
        assert docs == distinct == reports == N
        assert orphans == 0
    finally:
        db.close()
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert "0 processed" in again.stdout
