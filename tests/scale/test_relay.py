"""The relay (issue 16): a pool worker forwards what its sandboxed reader child pickled without
decoding it, and the parent gets the same result as reading in one process; the stored report
arrives as its JSON text and lands in the database as the same JSON."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from tests.paths import DEV_DOCS

from xxgk.audit.pipeline import prepare, prepare_batch, process_path, received, store
from xxgk.audit.sandbox import Limits, close_all
from xxgk.storage import open_db
from xxgk.storage.compact import compact, rebuild
from xxgk.storage.models import AuditRun, ReportFact, ReportRow


def _docs() -> list[str]:
    return [str(p) for p in sorted(DEV_DOCS.iterdir()) if p.suffix in (".txt", ".html")][:3]


def test_the_worker_forwards_the_childs_bytes_and_the_parent_decodes_the_same_result() -> None:
    paths = _docs()
    try:
        relayed = prepare_batch(paths, Limits(seconds=60))
    finally:
        close_all()
    assert all(isinstance(item, bytes) for item in relayed)  # not decoded in the worker
    for path, item in zip(paths, relayed, strict=True):
        got, here = received(item), prepare(process_path(path))
        assert got.error is None and got.report is None and got.stored is not None
        assert (got.path, got.sha256, got.head, got.facts) == (here.path, here.sha256, here.head, here.facts)
        assert got.findings == here.findings
        assert json.loads(got.stored) == json.loads(here.stored or "")
        assert rebuild(json.loads(got.stored)) == process_path(path).report  # the whole report, exactly


def test_stored_json_text_lands_as_the_same_json_as_a_dict_would(tmp_path: Path) -> None:
    """`store` inserts the child's JSON text as is (db.JsonText); reading the column back gives
    the compact form, as when the dict itself was stored."""
    path = _docs()[0]
    prepared, plain = prepare(process_path(path)), process_path(path)
    with open_db(f"sqlite:///{tmp_path / 'a.db'}") as db:
        with db.session() as s:
            run = AuditRun(started_at=datetime(2026, 1, 1), inputs=0, processed=0, skipped=0, failed=0)
            s.add(run)
            s.flush()
            store(s, [prepared], run.id)
        plain.path = str(tmp_path / "other.txt")
        with db.session() as s:
            store(s, [plain], run.id)  # unprepared: the parent compacts and serialises
        with db.session() as s:
            first, second = s.scalars(select(ReportRow).order_by(ReportRow.id)).all()
            assert isinstance(first.data, dict) and first.data == second.data == compact(plain.report or {})
            assert (first.agency_name, first.year, first.template) == (
                second.agency_name,
                second.year,
                second.template,
            )
            facts = [
                s.scalars(
                    select(ReportFact.cell).where(ReportFact.report_id == r.id).order_by(ReportFact.cell)
                ).all()
                for r in (first, second)
            ]
            assert facts[0] == facts[1] and facts[0]
