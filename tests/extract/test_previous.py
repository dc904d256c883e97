"""Cross-year help (issue 10 item 4): last year's 结转下年度 decides this year's ambiguous 上年结转."""

from __future__ import annotations

import json
import random
from pathlib import Path

from sqlalchemy import select

from xxgk.audit.pipeline import audit
from xxgk.audit.query import report_json
from xxgk.model import Candidate, CellSource, Report, parse_report
from xxgk.readers.previous import apply_decisions, decide_from_previous
from xxgk.samples import _chain, random_report
from xxgk.storage.db import open_db
from xxgk.storage.models import ReportRow

CELL = "table3.carried_over.natural_person"
LAST = "table3.carried_forward.natural_person"


def _pair(candidates: list[int] | None = None) -> tuple[Report, Report]:
    rng = random.Random(3)
    prev = random_report(rng, "2021", agency="云溪县教育局", year=2022)
    this = random_report(rng, "2021", agency="云溪县教育局", year=2023)
    prev.set(LAST, 4)
    prev.set("table3.carried_forward.total", None)  # totals need not add up for this rule
    _chain(prev, this)
    this.set(CELL, None)
    this.cells[CELL] = CellSource(
        status="ambiguous",
        candidates=[Candidate(cell=CELL, value=v) for v in candidates] if candidates is not None else None,
    )
    return this, prev


def test_ambiguous_cell_takes_last_years_figure() -> None:
    this, prev = _pair([4, 7])
    decided = decide_from_previous(this, prev)
    assert list(decided) == [CELL]
    value, source = decided[CELL]
    assert value == 4
    assert (source.status, source.basis) == ("inferred", "previous")
    assert this.value(CELL) is None  # pure: nothing written until applied
    apply_decisions(this, decided)
    assert this.value(CELL) == 4 and this.cells[CELL].basis == "previous"


def test_a_figure_the_layout_does_not_allow_is_not_taken() -> None:
    this, prev = _pair([5, 7])
    assert decide_from_previous(this, prev) == {}


def test_read_cells_and_unsure_last_year_and_gaps_decide_nothing() -> None:
    this, prev = _pair([4])
    this.cells[CELL] = CellSource(status="read", text="9")
    this.set(CELL, 9)
    assert decide_from_previous(this, prev) == {}  # a read cell is never changed
    this, prev = _pair([4])
    prev.cells[LAST] = CellSource(status="ambiguous")
    assert decide_from_previous(this, prev) == {}
    this, prev = _pair([4])
    prev.year = 2021
    assert decide_from_previous(this, prev) == {}


def test_the_audit_stores_the_decided_cell(tmp_path: Path) -> None:
    this, prev = _pair([4, 7])
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "2022.json").write_text(json.dumps(prev.to_dict(), ensure_ascii=False), encoding="utf-8")
    (docs / "2023.json").write_text(json.dumps(this.to_dict(), ensure_ascii=False), encoding="utf-8")
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    summary = audit([docs], db)
    assert summary.cross_checked == 1
    with db.session() as s:
        report_id = s.scalars(select(ReportRow.id).where(ReportRow.year == 2023)).one()
    data = report_json(db, report_id)  # stored compact (storage/compact.py): rebuilt whole
    assert data is not None
    stored = parse_report(data)
    assert stored.value(CELL) == 4
    assert stored.cells[CELL].basis == "previous"
