"""The audit database on SQLite and PostgreSQL: migrations, re-runs, versions, decisions, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from tests.audit.corpus import PLAN, write_reports

from xxgk.audit.decisions import decision_of, set_decision
from xxgk.audit.pipeline import audit
from xxgk.check import check, rules
from xxgk.model import load_report
from xxgk.storage import open_db
from xxgk.storage.db import current_revision, head_revision
from xxgk.storage.models import Base, Document, FindingRow, ReportRow


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    db = open_db(db_url)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        open_db(db_url).close()  # opening again is a no-op migration
        assert current_revision(db.engine) == head_revision()
    finally:
        db.close()


def test_second_run_processes_nothing_and_keeps_decisions(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paths = write_reports(corpus, PLAN)
    db = open_db(db_url)
    try:
        first = audit([corpus], db)
        assert (first.processed, first.skipped, first.failed) == (len(paths), 0, 0)
        counts = (_count(db, Document), _count(db, ReportRow), _count(db, FindingRow))
        assert counts[0] == counts[1] == len(paths)
        with db.session() as s:
            some = s.scalars(select(FindingRow.id).order_by(FindingRow.id)).all()
        assert some, "random reports of different years must break continuity somewhere"
        set_decision(db, some[0], "dismissed", "known typo in the printed report")
        set_decision(db, some[-1], "confirmed")

        second = audit([corpus], db)
        assert (second.processed, second.skipped, second.cross_checked) == (0, len(paths), 0)
        assert (_count(db, Document), _count(db, ReportRow), _count(db, FindingRow)) == counts
        assert decision_of(db, some[0]) == "dismissed"
        assert decision_of(db, some[-1]) == "confirmed"
    finally:
        db.close()


def test_changed_file_is_a_new_version_and_decisions_carry_over(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paths = write_reports(corpus, PLAN)
    db = open_db(db_url)
    try:
        audit([corpus], db)
        target = paths[1]
        with db.session() as s:
            old_findings = s.execute(
                select(FindingRow.id, FindingRow.identity, FindingRow.rule)
                .join(ReportRow, ReportRow.id == FindingRow.report_id)
                .join(Document, Document.id == ReportRow.document_id)
                .where(Document.path == str(target))
            ).all()
        assert old_findings
        set_decision(db, old_findings[0].id, "confirmed", "seen")
        # Re-publish the same report with a changed section text: same figures, new content.
        data = json.loads(target.read_text("utf-8"))
        data["sections"][0]["text"] += "（更正版）"
        target.write_text(json.dumps(data, ensure_ascii=False), "utf-8")

        run = audit([corpus], db)
        assert (run.processed, run.new_versions, run.skipped) == (1, 1, len(paths) - 1)
        with db.session() as s:
            versions = s.execute(
                select(Document.version, Document.id)
                .where(Document.path == str(target))
                .order_by(Document.version)
            ).all()
            assert [v for v, _ in versions] == [1, 2]  # the old version is kept
            new_findings = s.execute(
                select(FindingRow.id, FindingRow.identity)
                .join(ReportRow, ReportRow.id == FindingRow.report_id)
                .where(ReportRow.document_id == versions[-1].id)
            ).all()
        assert {i for _, i in new_findings} == {f.identity for f in old_findings}
        carried = next(fid for fid, ident in new_findings if ident == old_findings[0].identity)
        assert carried != old_findings[0].id
        assert decision_of(db, carried) == "confirmed"
    finally:
        db.close()


def test_unreadable_documents_are_recorded_and_do_not_stop_the_audit(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_reports(corpus, PLAN[:3])
    (corpus / "broken.json").write_text('{"format": "xxgk-report/1", "year": "two thousand"', "utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.pdf").write_bytes(b"\x00\x01 not a pdf at all")
    db = open_db(db_url)
    try:
        run = audit([corpus], db)
        assert run.processed == 6 and run.failed == 3
        with db.session() as s:
            failed = dict(
                s.execute(select(Document.path, Document.error).where(Document.status == "failed")).all()
            )
        assert set(failed) == {str(corpus / n) for n in ("broken.json", "empty.txt", "binary.pdf")}
        assert all(reason and "\n" not in reason and "Traceback" not in reason for reason in failed.values())
        assert _count(db, ReportRow) == 3
        assert audit([corpus], db).processed == 0  # failures are remembered by content hash too
    finally:
        db.close()


def test_cross_year_findings_are_those_of_the_checker_with_last_years_report(
    db_url: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    paths = write_reports(corpus, PLAN)
    db = open_db(db_url)
    try:
        run = audit([corpus], db)
        # 青山区 2022←2021, 2023←2022 and 临江 2022←2021, 2023←2022 link across spellings; 石桥镇 has a gap.
        assert run.cross_checked == 4
        cross = [r.id for r in rules() if r.scope == "cross-year"]
        reports = [load_report(p) for p in paths]
        expected = []
        for this, prev in ((1, 0), (2, 1), (4, 3), (5, 4)):
            expected += [
                (str(paths[this]), f.rule, tuple(f.cells))
                for f in check(reports[this], reports[prev], only=cross)
            ]
        with db.session() as s:
            stored = s.execute(
                select(Document.path, FindingRow.rule, FindingRow.cells)
                .join(ReportRow, ReportRow.id == FindingRow.report_id)
                .join(Document, Document.id == ReportRow.document_id)
                .where(FindingRow.scope == "cross-year")
            ).all()
        assert sorted((p, r, tuple(c)) for p, r, c in stored) == sorted(expected)
        assert expected, "independent random reports should break continuity"
    finally:
        db.close()


@pytest.mark.parametrize("decision", ["maybe", ""])
def test_set_decision_rejects_unknown_values(tmp_path: Path, decision: str) -> None:
    from xxgk.audit.decisions import DecisionError

    db = open_db(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(DecisionError):
            set_decision(db, 1, decision)
        with pytest.raises(DecisionError, match="no finding"):
            set_decision(db, 12345, "confirmed")
    finally:
        db.close()


def test_corrections_are_kept_beside_the_extracted_data(db_url: str, tmp_path: Path) -> None:
    from xxgk.audit.decisions import DecisionError, add_correction
    from xxgk.storage.models import Correction

    write_reports(tmp_path / "c", PLAN[:1])
    db = open_db(db_url)
    try:
        audit([tmp_path / "c"], db)
        with db.session() as s:
            report_id, data = s.execute(select(ReportRow.id, ReportRow.data)).one()
        add_correction(db, report_id, "table3.new.total", "1600", "原文印刷错误")
        with pytest.raises(DecisionError, match="no cell"):
            add_correction(db, report_id, "table3.nothing.total", "1")
        with pytest.raises(DecisionError, match="no report"):
            add_correction(db, report_id + 100, "table3.new.total", "1")
        with db.session() as s:
            assert s.scalars(select(Correction.value)).all() == ["1600"]
            assert s.scalar(select(ReportRow.data)) == data
    finally:
        db.close()
