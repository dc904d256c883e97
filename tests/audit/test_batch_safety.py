"""Issue 11 on both back ends: the hostile corpus gives the same counts on PostgreSQL and SQLite,
long user-controlled text is stored alike, a migration from 0001 keeps the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.corpus import write_hostile

from xxgk.audit.executors import ProcessExecutor
from xxgk.audit.pipeline import audit
from xxgk.audit.query import counts
from xxgk.audit.sandbox import Limits
from xxgk.storage import open_db


@pytest.mark.slow
@pytest.mark.postgres
def test_hostile_corpus_gives_the_same_counts_on_postgresql_and_sqlite(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    folder = tmp_path / "corpus"
    write_hostile(folder, heavy=False)
    conn = request.getfixturevalue("postgresql")
    info = conn.info
    urls = {
        "sqlite": f"sqlite:///{tmp_path / 'h.db'}",
        "postgresql": f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}",
    }
    results = {}
    for name, url in urls.items():
        with open_db(url) as db:
            summary = audit([folder], db, executor=ProcessExecutor(jobs=2), limits=Limits(seconds=30))
            figures = counts(db)
        results[name] = (
            summary.inputs,
            summary.processed,
            summary.failed,
            len(summary.set_aside),
            figures["reports"],
            figures["failed"],
            figures["findings"],
        )
        assert summary.inputs == summary.processed + summary.skipped + len(summary.set_aside)
        assert figures["reports"] > 0 and summary.failed > 0 and summary.set_aside
    assert results["postgresql"] == results["sqlite"]
