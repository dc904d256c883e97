"""Every output writer survives any value the database can hold (issue 11 item 2), and text that
a spreadsheet would run as a formula is only ever shown (issue 11 item 6, OWASP CSV injection)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
from lxml import html as lxml_html
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update
from tests.audit.corpus import PLAN, make_report, write_reports
from tests.audit.xlsx import read_sheets

from xxgk.audit.outputs import Options, write_sinks
from xxgk.audit.pipeline import audit
from xxgk.storage import open_db
from xxgk.storage.models import Document, ReportRow

HUGE = 10**24 + 7  # 25 digits: crashed the Parquet writer
HUGER = 10**400 + 1  # 401 digits: crashed the Excel writer
FORMULAS = ['=HYPERLINK("http://example.invalid","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_huge_numbers_are_written_exactly_or_as_text(tmp_path: Path) -> None:
    """The readers refuse such numbers now (issue 11: beyond 15 digits a cell is ambiguous, a
    report JSON refused), but a database can still hold them — written by an earlier version, or
    by hand — and every writer must survive them: they are put into the stored report here."""
    import random

    report = make_report(random.Random(3), "青山区人民政府", 2022)
    corpus = tmp_path / "c"
    write_reports(corpus, PLAN[:2])
    (corpus / "huge.json").write_text(report.to_json(), "utf-8")
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    skipped: list[str] = []
    try:
        audit([corpus], db)
        with db.session() as s:
            row = s.scalars(
                select(ReportRow)
                .join(Document, Document.id == ReportRow.document_id)
                .where(Document.path.endswith("huge.json"))
            ).one()
            data = json.loads(json.dumps(row.data))
            data["table3"]["new"]["natural_person"] = HUGE
            data["table3"]["new"]["commercial"] = HUGER
            row.data = data
        written = write_sinks(db, tmp_path / "out", options=Options(cells=True), on_skip=skipped.append)
    finally:
        db.close()
    assert skipped == []
    assert {"index.html", "audit.xlsx", "reports.parquet", "cells.csv"} <= set(written)
    cells = {
        (Path(r["cell"]).name, r["value"], r["value_text"])
        for r in pq.read_table(tmp_path / "out" / "cells.parquet").to_pylist()
        if r["cell"] in ("table3.new.natural_person", "table3.new.commercial") and r["value_text"]
    }
    assert cells == {
        ("table3.new.natural_person", None, str(HUGE)),
        ("table3.new.commercial", None, str(HUGER)),
    }
    rows = (
        CalamineWorkbook.from_path(str(tmp_path / "out" / "audit.xlsx"))
        .get_sheet_by_name("2021版模板")
        .to_python()
    )
    huge_row = next(r for r in rows if str(r[2]).endswith("huge.json"))
    assert str(HUGE) in huge_row and str(HUGER) in huge_row  # exact digits, as text
    page = next((tmp_path / "out" / "agencies").glob("*.html"))
    assert lxml_html.parse(str(page)).getroot() is not None


def test_a_writer_that_fails_on_one_report_writes_all_the_others(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    paths = write_reports(corpus, PLAN)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    db = open_db(url)
    skipped: list[str] = []
    try:
        audit([corpus], db)
        with db.session() as s:
            victim = s.scalars(select(ReportRow).order_by(ReportRow.id)).first()
            assert victim is not None
            data = dict(victim.data)
            data["table3"] = {"new": "not a row"}  # what no reader writes, but a database can hold
            s.execute(update(ReportRow).where(ReportRow.id == victim.id).values(data=data))
            s.commit()
        written = write_sinks(db, tmp_path / "out", options=Options(cells=True), on_skip=skipped.append)
    finally:
        db.close()
    assert len(skipped) == 3, skipped  # one line per writer, each naming the file
    assert all(".json" in line and "跳过报告" in line for line in skipped)
    assert pq.read_table(tmp_path / "out" / "reports.parquet").num_rows == len(paths) - 1
    book = CalamineWorkbook.from_path(str(written["audit.xlsx"]))
    rows = sum(len(book.get_sheet_by_name(n).to_python()) - 2 for n in ("2021版模板", "2019版模板"))
    assert rows == len(paths) - 1
    assert written["index.html"].exists()


def test_formula_like_text_is_shown_not_run(tmp_path: Path) -> None:
    import random

    corpus = tmp_path / "c"
    corpus.mkdir()
    rng = random.Random(5)
    for i, name in enumerate(FORMULAS):
        (corpus / f"{i}.json").write_text(make_report(rng, name, 2022).to_json(), "utf-8")
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        audit([corpus], db)
        write_sinks(db, tmp_path / "out", options=Options(cells=True))
    finally:
        db.close()
    out = tmp_path / "out"
    with (out / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        agencies = {r["printed_agency"] for r in csv.DictReader(fh)}
    assert agencies == {"'" + name for name in FORMULAS}
    for sheet in read_sheets(out / "audit.xlsx").values():
        assert sheet.formulas == 0, sheet.name
    rows = CalamineWorkbook.from_path(str(out / "audit.xlsx")).get_sheet_by_name("2021版模板").to_python()
    shown = {str(r[0]) for r in rows[2:]}
    assert {n.strip() for n in FORMULAS} <= {s.strip() for s in shown} | {json.dumps(s) for s in shown}
    # Parquet is for programs: the text as the document printed it.
    assert {r["printed_agency"] for r in pq.read_table(out / "reports.parquet").to_pylist()} == set(FORMULAS)
