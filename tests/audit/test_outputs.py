"""The audit outputs: Excel workbook read back with python-calamine, CSV/Parquet, HTML anchors."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from lxml import html as lxml_html
from python_calamine import CalamineWorkbook
from tests.audit.corpus import PLAN, write_reports

from xxgk.audit.outputs import write_all
from xxgk.audit.pipeline import audit, set_decision
from xxgk.audit.query import iter_findings
from xxgk.model import load_report
from xxgk.storage import open_db


@pytest.fixture
def audited(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    corpus = tmp_path / "corpus"
    paths = write_reports(corpus, PLAN)
    (corpus / "garbage.html").write_text("<html><body>没有表格 no tables here</body></html>", "utf-8")
    out = tmp_path / "out"
    db = open_db(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        audit([corpus], db)
        first = next(iter_findings(db))
        set_decision(db, first.id, "dismissed", "reviewed")
        write_all(db, out)
    finally:
        db.close()
    return tmp_path / "audit.db", out, paths


def test_workbook_has_every_sheet_with_one_row_per_report(audited: tuple[Path, Path, list[Path]]) -> None:
    db_path, out, paths = audited
    book = CalamineWorkbook.from_path(str(out / "audit.xlsx"))
    assert book.sheet_names == ["table2", "table3", "table4", "findings", "coverage", "failures"]
    rows = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    for table in ("table2", "table3", "table4"):
        assert len(rows[table]) == 1 + len(paths)  # header + one row per report
    db = open_db(f"sqlite:///{db_path}")
    try:
        findings = list(iter_findings(db))
    finally:
        db.close()
    assert len(rows["findings"]) == 1 + len(findings)
    assert len(rows["coverage"]) == 1 + 3  # three agencies once aliases are merged
    assert len(rows["failures"]) == 2 and rows["failures"][1][0].endswith("garbage.html")
    # A figure in the workbook is the figure in the report file.
    header = rows["table3"][0]
    col = next(i for i, h in enumerate(header) if str(h).endswith("(table3.new.total)"))
    by_path = {r[1]: r for r in rows["table3"][1:]}
    for p in paths:
        assert by_path[str(p)][col] == (load_report(p).value("table3.new.total") or "")
    decided = [r for r in rows["findings"][1:] if r[12] == "dismissed"]
    assert len(decided) >= 1 and decided[0][13] == "reviewed"


def test_csv_and_parquet_agree(audited: tuple[Path, Path, list[Path]]) -> None:
    _, out, paths = audited
    for name in ("reports", "cells", "findings", "coverage", "failures"):
        with (out / f"{name}.csv").open(encoding="utf-8-sig") as fh:
            csv_rows = list(csv.DictReader(fh))
        table = pq.read_table(out / f"{name}.parquet")
        assert table.num_rows == len(csv_rows), name
    assert pq.read_table(out / "reports.parquet").num_rows == len(paths)
    cells = pq.read_table(out / "cells.parquet").to_pylist()
    expected = sum(sum(1 for _ in load_report(p).iter_cells()) for p in paths)
    assert len(cells) == expected
    ids = {r["path"]: r["report_id"] for r in pq.read_table(out / "reports.parquet").to_pylist()}
    for p in paths:
        sample = load_report(p)
        mine = {c["cell"]: c["value"] for c in cells if c["report_id"] == ids[str(p)]}
        assert mine == {k: (None if v is None else float(v)) for k, v in sample.iter_cells()}


def test_html_links_every_finding_cell_to_an_anchor(audited: tuple[Path, Path, list[Path]]) -> None:
    _, out, _ = audited
    tree = lxml_html.parse(str(out / "index.html"))
    ids = set(tree.xpath("//@id"))
    links = [a.get("href")[1:] for a in tree.xpath("//table[@class='findings']//a")]
    assert links
    assert all(link in ids for link in links)
    assert tree.xpath("//div[@id='chart-rule']") and "echarts" in tree.xpath("//script")[0].text[:5000]
    assert "garbage.html" in tree.xpath("string(//section[@id='failures'])")
