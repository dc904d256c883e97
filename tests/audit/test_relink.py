"""A no-change re-run (issue 16): the listing is merged with the stored paths in path order, and
the link passes are skipped when nothing was stored and the identity inputs are the same — but
a changed aliases file or manifest, or a document stored since without linking, re-links."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from tests.audit.corpus import PLAN, write_reports

from xxgk.audit.manifest import load_manifest
from xxgk.audit.pipeline import audit, prepare, process_path, store
from xxgk.audit.stored import StoredDigests
from xxgk.files import display_path
from xxgk.storage.db import Database, open_db
from xxgk.storage.models import AuditRun, Document, ReportRow

pytest.importorskip("xxgk.extract")


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements `db` runs inside the block."""
    seen: list[str] = []

    def record(conn: object, cursor: object, sql: str, *args: object) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _agencies(db: Database) -> dict[str, int | None]:
    with db.session() as s:
        rows = s.execute(
            select(Document.path, ReportRow.agency_id).join(ReportRow, ReportRow.document_id == Document.id)
        ).all()
    return {Path(p).name: a for p, a in rows}


def test_a_rerun_that_stores_nothing_skips_the_link_passes(db_url: str, tmp_path: Path) -> None:
    write_reports(tmp_path / "c", PLAN)
    with open_db(db_url) as db:
        first = audit([tmp_path / "c"], db, limits=None)
        assert first.cross_checked > 0
        with statements(db) as seen:
            again = audit([tmp_path / "c"], db, limits=None)
        assert (again.processed, again.skipped) == (0, len(PLAN))
        stamp = "SELECT count(*) AS count_1, max("  # relink.database_state's look at each table
        touched = [
            q for q in seen if ("agency_aliases" in q or "report_facts" in q) and not q.startswith(stamp)
        ]
        assert not touched, f"the link passes ran: {touched[:2]}"
        assert first.linked and not again.linked
        # and the skip is recorded, so a third run skips too
        assert not audit([tmp_path / "c"], db, limits=None).linked


def test_a_changed_aliases_file_relinks(db_url: str, tmp_path: Path) -> None:
    write_reports(tmp_path / "c", PLAN)
    with open_db(db_url) as db:
        audit([tmp_path / "c"], db, limits=None)
        before = _agencies(db)
        assert len(set(before.values())) == 3
        again = audit([tmp_path / "c"], db, limits=None, aliases={"石桥镇人民政府": "临江市市场监督管理局"})
        assert again.processed == 0
        after = _agencies(db)
    assert len(set(after.values())) == 2
    assert after["0006_2020.json"] == after["0003_2021.json"]


def test_a_changed_manifest_relinks(tmp_path: Path) -> None:
    """The manifest gives an untitled report the URL that places it under its site's column."""
    from tests.audit.test_site_agency import A, _page

    from xxgk.samples import random_report

    docs = tmp_path / "docs"
    docs.mkdir()
    rng = random.Random(4)
    for year in (2020, 2021, 2022):
        report = random_report(rng, "2019" if year < 2021 else "2021", agency=A, year=year)
        url = None if year == 2022 else f"https://www.x.gov.cn/xxgk/ndbg/{year + 1}01/t{year}.html"
        (docs / f"x{year}.html").write_bytes(_page(report, url, year < 2022))
    crawl = tmp_path / "crawl.csv"
    crawl.write_text(
        "path,url,agency,year\ndocs/x2022.html,https://www.x.gov.cn/xxgk/ndbg/202301/t2022.html,,\n",
        encoding="utf-8",
    )
    with open_db(f"sqlite:///{tmp_path / 'a.db'}") as db:
        audit([docs], db)
        assert _agencies(db)["x2022.html"] is None
        again = audit([docs], db, manifest=load_manifest(crawl))
        assert again.processed == 0
        named = _agencies(db)
    assert named["x2022.html"] is not None and named["x2022.html"] == named["x2020.html"]


def test_a_document_stored_without_a_link_pass_is_linked_by_the_next_run(tmp_path: Path) -> None:
    """An audit killed between storing and linking: the next run stores nothing (the files are
    known) but must still link what that run stored."""
    paths = write_reports(tmp_path / "c", PLAN)
    with open_db(f"sqlite:///{tmp_path / 'a.db'}") as db:
        audit([tmp_path / "c"], db, limits=None)
        with db.session() as s:  # a run that stored a new version of one file, then died
            run = AuditRun(started_at=datetime(2026, 12, 3), inputs=0)
            s.add(run)
            s.flush()
            paths[0].write_text(paths[0].read_text("utf-8") + "\n", "utf-8")
            store(s, [prepare(process_path(str(paths[0])))], run.id)
        again = audit([tmp_path / "c"], db, limits=None)
        assert again.processed == 0
        with db.session() as s:
            unlinked = s.scalar(
                select(func.count()).where(ReportRow.agency_id.is_(None), ReportRow.agency_name.is_not(None))
            )
    assert unlinked == 0


@pytest.mark.parametrize("merge", [True, False])
def test_stored_digests_merge_agrees_with_lookups_whatever_the_listing_order(
    db_url: str, tmp_path: Path, merge: bool
) -> None:
    """`a/…` is listed before `a.json` (folders sorted by name) though `/` sorts after `.`;
    inputs may be given out of order or twice; a path may have several versions."""
    names = ["a.json", "a/x.json", "a-b.json", "a b/y.json", "ä.json", "z/é.json", "Z.json", "b.json"]
    for n in names:
        (tmp_path / "c" / n).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "c" / n).write_text("{}", "utf-8")
    from xxgk.files import iter_inputs

    listing = [display_path(p) for p in iter_inputs([tmp_path / "c", tmp_path / "c" / "b.json"])]
    assert listing.count(display_path(tmp_path / "c" / "b.json")) == 2  # given twice
    stored = {listing[i]: {f"{i:064x}"} for i in range(0, len(listing), 2)}
    stored[listing[1]] = {"0" * 64, "f" * 64}  # two versions
    with open_db(db_url) as db:
        with db.session() as s:
            run = AuditRun(started_at=datetime(2026, 12, 3), inputs=0)
            s.add(run)
            s.flush()
            for path, digests in stored.items():
                for v, sha in enumerate(sorted(digests), start=1):
                    s.add(
                        Document(
                            path=path, sha256=sha, version=v, format="json", size=2, status="ok",
                            seen_at=run.started_at, run_id=run.id,
                        )
                    )  # fmt: skip
            s.add(
                Document(
                    path=str(tmp_path / "b"),
                    sha256="1" * 64,
                    version=1,
                    format="json",
                    size=2,
                    status="ok",
                    seen_at=run.started_at,
                    run_id=run.id,
                )
            )  # fmt: skip: a stored path not listed
        digests = StoredDigests(db, merge=merge, page=3)
        found: dict[str, set[str]] = {}
        for i in range(0, len(listing), 3):  # in parts, as the plan asks
            for path, shas in digests.lookup(listing[i : i + 3]).items():
                found.setdefault(path, set()).update(shas)
        assert digests.merge == merge
    assert found == stored


def test_migration_0018_adds_the_link_stamp_and_an_upgraded_database_relinks_once(
    db_url: str, tmp_path: Path
) -> None:
    """A database audited before 0018 is upgraded in place: its runs survive with no stamp, so
    the first run after the upgrade links (and records one), the next one skips."""
    from alembic import command

    from xxgk.storage.db import _alembic_config, current_revision, head_revision, make_engine, migrate

    engine = make_engine(db_url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017_compile_inputs")  # the revision 0018 follows
    with engine.begin() as conn:
        conn.execute(
            AuditRun.__table__.insert().values(
                started_at=datetime(2026, 1, 1), finished_at=datetime(2026, 1, 1), inputs=0
            )
        )
    migrate(engine)
    engine.dispose()
    write_reports(tmp_path / "c", PLAN[:3])
    with open_db(db_url) as db:
        assert current_revision(db.engine) == head_revision()
        with db.session() as s:
            assert s.execute(select(AuditRun.inputs, AuditRun.linked)).all() == [(0, None)]
        first = audit([tmp_path / "c"], db, limits=None)
        first_again = audit([tmp_path / "c"], db, limits=None)
        with db.session() as s:
            stamps = list(s.scalars(select(AuditRun.linked).order_by(AuditRun.id)))
    assert first.linked and not first_again.linked
    assert stamps[0] is None and stamps[1] and stamps[1] == stamps[2]


def test_a_no_change_rerun_with_outputs_never_reads_the_report_json(tmp_path: Path) -> None:
    """Every query of a no-change re-run (the audit and the outputs' up-to-date check) reads the
    reports table from an index, never its rows: SQLite stores each report's JSON in the row
    (overflow pages), so a full scan of it reads the whole database (96 s at 100,000 reports)."""
    from xxgk.audit.outputs import write_all

    write_reports(tmp_path / "c", PLAN)
    with open_db(f"sqlite:///{tmp_path / 'a.db'}") as db:
        audit([tmp_path / "c"], db, limits=None)
        write_all(db, tmp_path / "out")
        with statements(db) as seen:
            audit([tmp_path / "c"], db, limits=None)
            write_all(db, tmp_path / "out")
        with db.engine.connect() as conn:
            plans = {
                q: [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {q}", _dummy(q))]
                for q in set(seen)
                if q.lstrip().upper().startswith("SELECT") and "reports" in q
            }
    scans = {q: p for q, p in plans.items() if any(step == "SCAN reports" for step in p)}
    assert plans and not scans, f"read every report row: {scans}"


def _dummy(query: str) -> tuple[object, ...]:
    """Parameters for EXPLAIN of a statement: its plan does not depend on their values."""
    return (None,) * query.count("?")


_LISTED: list[str] = []  # the folder watched, then one entry a listing of it
_HOOKED: list[bool] = []


def _count_listings(event: str, args: tuple[object, ...]) -> None:
    if event in ("os.listdir", "os.scandir") and _LISTED and args and str(args[0]) == _LISTED[0]:
        _LISTED.append(event)


def test_an_audit_without_a_progress_bar_lists_its_inputs_once(tmp_path: Path) -> None:
    """The bar's total is a second listing of every input: a run with no bar to show (a pipe, a
    log, --quiet) does without it."""
    import sys

    from typer.testing import CliRunner

    from xxgk.cli import app

    write_reports(tmp_path / "c", PLAN[:2])
    if not _HOOKED:  # an audit hook cannot be removed: one for the session
        sys.addaudithook(_count_listings)
        _HOOKED.append(True)
    _LISTED[:] = [str(tmp_path / "c")]
    try:
        done = CliRunner().invoke(
            app, ["audit", str(tmp_path / "c"), "--db", f"sqlite:///{tmp_path / 'a.db'}", "--jobs", "1", "-q"]
        )
        listings = len(_LISTED) - 1
    finally:
        _LISTED.clear()
    assert done.exit_code == 0, done.output
    assert listings == 1


def test_the_merge_is_chosen_only_where_the_database_orders_paths_by_code_point(db_url: str) -> None:
    from xxgk.audit.stored import orders_like_python

    names = ["a.json", "a/x", "a-b", "B", "b", "ä", "é/z", "中文", "\U0001f600", "a b"]
    with open_db(db_url) as db:
        with db.session() as s:
            run = AuditRun(started_at=datetime(2026, 12, 3), inputs=0)
            s.add(run)
            s.flush()
            for n in names:
                s.add(
                    Document(path=n, sha256="0" * 64, version=1, format="json", size=1, status="ok",
                             seen_at=run.started_at, run_id=run.id)
                )  # fmt: skip
        with db.session() as s:
            stored = list(s.scalars(select(Document.path).order_by(Document.path)))
        merge = orders_like_python(db)
    if db_url.startswith("sqlite"):
        assert merge
    assert not merge or stored == sorted(names)
