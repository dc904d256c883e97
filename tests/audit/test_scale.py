"""National scale (issue 16): incremental re-runs and the distributed engine, for real.

- A re-run after changing one file of 1,000 re-checks only that report and its cross-year
  neighbours, and rewrites only the output files whose content changed (the outputs get the
  changed agencies; nothing at all is written when nothing changed).
- The audit on a Dask LocalCluster of several worker processes, each storing its own batches in
  PostgreSQL, gives the same results as the process pool into SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.audit.corpus import write_reports

from xxgk.audit.executors import DaskExecutor, ProcessExecutor, SerialExecutor
from xxgk.audit.outputs import write_all
from xxgk.audit.pipeline import audit
from xxgk.audit.query import changes_since, iter_findings, iter_reports, output_state, report_json
from xxgk.samples import agency_pool, write_corpus
from xxgk.storage import open_db
from xxgk.storage.compact import rebuild
from xxgk.storage.models import Document, FindingRow, ReportFact, ReportRow

YEARS = (2020, 2021, 2022, 2023)


def _files(out: Path) -> dict[str, tuple[int, int]]:
    """Each output file's (inode, mtime), agency pages included: a rewrite (rename into place)
    changes both. No staged file or folder is left behind."""
    files = {str(p.relative_to(out)): p for p in out.rglob("*")}
    assert not [n for n in files if Path(n).name.startswith(".") and n != ".xxgk-outputs.json"]
    return {n: (p.stat().st_ino, p.stat().st_mtime_ns) for n, p in files.items() if p.is_file()}


@pytest.mark.slow
def test_rerun_after_changing_one_file_of_1000_rechecks_only_it_and_its_neighbours(tmp_path: Path) -> None:
    agencies = agency_pool(250)
    plan = [(a.name, year) for a in agencies for year in YEARS]
    corpus = tmp_path / "corpus"
    paths = write_reports(corpus, plan)
    assert len(paths) == 1000
    db = open_db(f"sqlite:///{tmp_path / 'audit.db'}")
    out = tmp_path / "out"
    try:
        first = audit([corpus], db, executor=SerialExecutor())
        assert (first.processed, first.cross_checked) == (1000, 750)  # 2020 has no year before
        write_all(db, out)
        before = _files(out)
        with db.session() as s:
            findings_before = set(s.execute(select(FindingRow.id, FindingRow.report_id)).all())

        # Nothing changed: nothing read, nothing re-checked, no output file touched.
        again = audit([corpus], db, executor=SerialExecutor())
        assert (again.processed, again.skipped, again.cross_checked) == (0, 1000, 0)
        write_all(db, out)
        assert _files(out) == before

        # One file changes: agency 17's 2022 report now carries forward other numbers.
        target = paths[plan.index((agencies[17].name, 2022))]
        data = json.loads(target.read_text(encoding="utf-8"))
        for col, value in data["table3"]["carried_forward"].items():
            data["table3"]["carried_forward"][col] = (value or 0) + 3
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        third = audit([corpus], db, executor=SerialExecutor())
        assert (third.processed, third.new_versions, third.skipped) == (1, 1, 999)

        with db.session() as s:
            rows = {
                r.year: r
                for r in s.execute(
                    select(ReportRow.id, ReportRow.year, ReportRow.agency_id, ReportRow.changed_run).where(
                        ReportRow.agency_name == agencies[17].name
                    )
                )
            }
            touched = set(s.scalars(select(ReportRow.id).where(ReportRow.changed_run == third.run_id)))
            findings_after = set(s.execute(select(FindingRow.id, FindingRow.report_id)).all())
        new_2022 = max(
            r.id
            for r in iter_reports(db, with_data=False)
            if r.printed_agency == agencies[17].name and r.year == 2022
        )
        next_year = rows[2023].id
        # Re-checked: the new version (against 2021) and its neighbour 2023 (against the new 2022).
        assert third.cross_checked == 2
        assert touched == {new_2022, next_year}
        # Every other report's findings are the very same rows.
        others = {
            f for f in findings_before if f[1] not in {next_year} and f[1] in {f2[1] for f2 in findings_after}
        }
        assert others <= findings_after
        assert {f for f in findings_after - findings_before} <= {
            f for f in findings_after if f[1] in {new_2022, next_year}
        }
        # The new 2023 finding: last year's carried-forward moved by 3, so X-CARRIED-OVER fires.
        rules_2023 = {
            f.rule for f in iter_findings(db) if f.report_id == next_year and f.scope == "cross-year"
        }
        assert "X-CARRIED-OVER" in rules_2023

        changes = changes_since(db, again.run_id)
        assert changes.agencies == {rows[2023].agency_id}
        assert changes.reports == {new_2022, next_year}
        assert not changes.everything

        write_all(db, out)
        after = _files(out)
        rewritten = {name for name in after if after[name] != before.get(name)}
        assert "index.html" in rewritten  # shows the new finding
        pages = {n for n in after if n.startswith("agencies/")}
        assert len(pages) == 250
        assert rewritten & pages == {f"agencies/{rows[2023].agency_id}.html"}  # only its agency's page
        kept = set(before) - rewritten
        assert kept, "files whose content did not change are not rewritten"
        for name in kept:
            assert after[name] == before[name]
    finally:
        db.close()


def _results(url: str) -> dict[str, Any]:
    db = open_db(url)
    try:
        reports = {}
        for r in iter_reports(db):
            full = report_json(db, r.id)
            assert full is not None and full == rebuild(r.data)
            reports[Path(r.path).name] = (r.agency, r.year, r.template, full)
        findings = sorted(
            (Path(f.path).name, f.year, f.rule, f.scope, tuple(f.cells), f.expected or "", f.actual or "")
            for f in iter_findings(db)
        )
        with db.session() as s:
            facts = sorted(
                (Path(path).name, cell, value or "", status or "")
                for path, cell, value, status in s.execute(
                    select(Document.path, ReportFact.cell, ReportFact.value, ReportFact.status)
                    .join(ReportRow, ReportRow.id == ReportFact.report_id)
                    .join(Document, Document.id == ReportRow.document_id)
                )
            )
        return {"reports": reports, "findings": findings, "facts": facts}
    finally:
        db.close()


@pytest.mark.slow
@pytest.mark.postgres
def test_dask_cluster_into_postgresql_audits_like_the_process_pool_into_sqlite(
    tmp_path: Path, postgresql: Any
) -> None:
    pytest.importorskip("distributed", reason="the [dask] extra is part of the dev lock")
    corpus = tmp_path / "corpus"
    write_corpus(corpus, count=24, seed=11)
    info = postgresql.info
    runs = {
        "pool+sqlite": (f"sqlite:///{tmp_path / 'pool.db'}", ProcessExecutor(jobs=2)),
        "dask+postgresql": (
            f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{info.dbname}",
            DaskExecutor(jobs=2),
        ),
    }
    results = {}
    for name, (url, executor) in runs.items():
        db = open_db(url)
        try:
            summary = audit([corpus], db, executor=executor)  # into PostgreSQL: workers store
        finally:
            db.close()
        assert (summary.inputs, summary.processed, summary.failed) == (24, 24, 0), name
        results[name] = _results(url)
    pool, dask = results["pool+sqlite"], results["dask+postgresql"]
    assert len(pool["reports"]) == 24
    assert pool["findings"], "the sample corpus has planted errors"
    assert dask["reports"] == pool["reports"]
    assert dask["findings"] == pool["findings"]
    assert dask["facts"] == pool["facts"]


def test_migration_compacts_stored_reports_and_fills_their_facts(db_url: str) -> None:
    import random
    from datetime import datetime

    from alembic import command
    from sqlalchemy import insert as sql_insert

    from xxgk.samples import random_report
    from xxgk.storage.db import _alembic_config, make_engine, migrate
    from xxgk.storage.facts import facts_of

    engine = make_engine(db_url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    report = random_report(random.Random(5), "2021", agency="石桥镇人民政府", year=2023).to_dict()
    with engine.begin() as conn:  # a database written before 0016: the full JSON, no facts
        conn.execute(
            sql_insert(Document.__table__).values(
                id=1,
                path="a.json",
                sha256="0" * 64,
                version=1,
                format="json",
                size=1,
                status="ok",
                seen_at=datetime(2026, 1, 1),
            )
        )
        conn.execute(sql_insert(ReportRow.__table__).values(id=1, document_id=1, year=2023, data=report))
    migrate(engine)
    db = open_db(db_url)
    try:
        with db.session() as s:
            stored = s.scalar(select(ReportRow.data))
            facts = sorted(s.execute(select(ReportFact.cell, ReportFact.value, ReportFact.status)).all())
        assert stored != report and rebuild(stored) == report
        assert facts == [tuple(f) for f in facts_of(report)]
    finally:
        db.close()
        engine.dispose()


def test_outputs_are_rewritten_when_a_decision_or_correction_changes_what_they_show(tmp_path: Path) -> None:
    from tests.audit.corpus import PLAN

    from xxgk.audit.decisions import add_correction, set_decision

    write_reports(tmp_path / "corpus", PLAN)
    db = open_db(f"sqlite:///{tmp_path / 'audit.db'}")
    out = tmp_path / "out"
    try:
        audit([tmp_path / "corpus"], db)
        write_all(db, out)
        first = _files(out)
        write_all(db, out)
        assert _files(out) == first  # same state: nothing written
        with db.session() as s:
            finding = s.scalars(select(FindingRow.id).order_by(FindingRow.id)).first()
            report = s.scalars(select(ReportRow.id)).first()
        assert finding is not None and report is not None
        set_decision(db, finding, "dismissed", "known typo")
        write_all(db, out)
        after_decision = _files(out)
        assert after_decision["index.html"] != first["index.html"]
        assert "dismissed" in (out / "findings.csv").read_text(encoding="utf-8-sig")
        set_decision(db, finding, "confirmed")  # edited in place: same count, other content
        write_all(db, out)
        assert "confirmed" in (out / "findings.csv").read_text(encoding="utf-8-sig")
        state = output_state(db)
        add_correction(db, report, "table3.new.total", "5")
        assert output_state(db) != state  # a correction also makes the next write happen
    finally:
        db.close()


def test_the_sample_agencies_go_past_3608_for_a_national_corpus() -> None:
    """A 100,000-report corpus (4 reports an agency) needs 25,000 agencies; the first 3,608 stay
    the names every smaller corpus always had, so the 10,000-report benchmark is unchanged."""
    small, large = agency_pool(3608), agency_pool(25_000)
    assert [a.name for a in large[:3608]] == [a.name for a in small]
    names = [a.name for a in large]
    assert len(set(names)) == len(names)
    assert all(alias.replace(" ", "").endswith(a.name) for a in large[3608:] for alias in a.aliases)


def test_a_staged_folder_is_moved_into_place_on_commit_and_removed_without_one(tmp_path: Path) -> None:
    """The agency pages are written into one staged folder (no list of every page held, issue
    16): on commit each file goes into place, an unchanged one kept as it was; without a commit
    (a failed write) nothing of it is left."""
    from xxgk.audit.outputs import Staged

    target = tmp_path / "agencies"
    target.mkdir()
    (target / "1.html").write_text("same", "utf-8")
    (target / "2.html").write_text("old", "utf-8")
    kept = (target / "1.html").stat().st_ino
    with Staged() as staged:
        folder = staged.folder(target)
        for name, text in (("1.html", "same"), ("2.html", "new"), ("3.html", "added")):
            (folder / name).write_text(text, "utf-8")
        staged.commit()
    assert {p.name: p.read_text("utf-8") for p in target.iterdir()} == {
        "1.html": "same",
        "2.html": "new",
        "3.html": "added",
    }
    assert (target / "1.html").stat().st_ino == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agencies"]

    with pytest.raises(RuntimeError), Staged() as staged:
        (staged.folder(target) / "2.html").write_text("half", "utf-8")
        raise RuntimeError("the writer failed")
    assert (target / "2.html").read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agencies"]
