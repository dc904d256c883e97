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


def test_migration_to_text_columns_keeps_the_data_and_takes_long_values(db_url: str, tmp_path: Path) -> None:
    """A database audited under the revision before 0011 is upgraded in place: its rows survive (on SQLite
    the tables are copied, and foreign keys must not cascade the copy into deletes), and the
    columns then take what VARCHAR(255)/(1024) refused on PostgreSQL."""
    from alembic import command
    from sqlalchemy import func, select
    from tests.audit.corpus import PLAN, write_reports

    from xxgk.storage.db import _alembic_config, current_revision, head_revision, make_engine
    from xxgk.storage.models import Agency, Document, FindingRow, ReportRow

    engine = make_engine(db_url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0010_agency_links")  # the revision 0011 follows
    engine.dispose()
    # rows written by the pre-0011 schema (the audit's own inserts, through SQL the old columns
    # take; its run row by hand: audit_runs has columns since 0011 that the audit records)
    paths = write_reports(tmp_path / "c", PLAN[:3])
    old = make_engine(db_url)
    from datetime import datetime

    from xxgk.audit.pipeline import prepare, process_path, store
    from xxgk.storage.db import Database
    from xxgk.storage.models import AuditRun

    with Database(db_url, old) as db:
        with db.session() as s:
            run = s.scalars(
                AuditRun.__table__.insert().values(started_at=datetime(2026, 1, 1)).returning(AuditRun.id)
            ).one()
            store(s, [prepare(process_path(str(p))) for p in paths], run)
        with db.session() as s:
            before = [
                s.scalar(select(func.count()).select_from(t)) for t in (Document, ReportRow, FindingRow)
            ]
    assert before[1] == 3
    with open_db(db_url) as db:
        assert current_revision(db.engine) == head_revision()
        with db.session() as s:
            after = [s.scalar(select(func.count()).select_from(t)) for t in (Document, ReportRow, FindingRow)]
            s.add(Agency(key="k" * 300, name="很长的机关名称" * 100))
            s.add(
                Document(
                    path="/" + "p" * 1500,
                    sha256="0" * 64,
                    version=1,
                    format="html",
                    size=1,
                    status="failed",
                    error="x",
                    seen_at=__import__("datetime").datetime(2026, 1, 1),
                )
            )
    assert after == before


def test_every_writer_takes_the_extreme_values_the_model_admits(tmp_path: Path) -> None:
    """The model's bounds are what the writers can write: the largest and the finest numbers a
    cell may hold, an agency at the length limit starting with '=', all go through every output."""
    from decimal import Decimal

    from tests.hostile.corpus import valid_report

    from xxgk.audit.outputs import Options, write_all
    from xxgk.model import MAX_AGENCY_CHARS, MAX_MAGNITUDE

    report = valid_report()
    report.agency = ("=1+2" + "机关" * MAX_AGENCY_CHARS)[:MAX_AGENCY_CHARS]
    report.set("table3.new.natural_person", MAX_MAGNITUDE - 1)
    report.set("table3.new.commercial", -(MAX_MAGNITUDE - 1))
    report.set("table2.fees.amount_wan", Decimal("0.000000000000001"))
    report.set("table3.new.research", Decimal("99999999999999.9"))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "extreme.json").write_text(report.to_json(), "utf-8")
    with open_db(f"sqlite:///{tmp_path / 'x.db'}") as db:
        summary = audit([tmp_path / "c"], db, limits=None)
        assert summary.failed == 0, summary.failures
        written = write_all(db, tmp_path / "out", options=Options(cells=True))
    for name in ("audit.xlsx", "cells.parquet", "cells.csv", "index.html"):
        assert written[name].stat().st_size > 0
