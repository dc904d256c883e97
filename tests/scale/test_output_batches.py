"""The CSV/Parquet writer holds a bounded batch of values, whatever the table's width (issue 16).

The wide reports table (one column per template cell) used to be written every 20,000 rows, like
the 12-column cells table: below that the writing process held every report's row, so its memory
grew with the corpus up to 20,000 reports (~150 MB). Now each table is written every
`_BATCH_VALUES` values; the files say the same (same rows, same CSV bytes). The batches, as
Arrow data, are gathered into Parquet row groups of about `_ROW_GROUP_BYTES`: a row group per
batch cost ~0.9 KB of writer metadata per column, held until the file closes.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pyarrow.parquet as pq
from tests.audit.corpus import make_report

from xxgk.audit.outputs import cell_columns
from xxgk.audit.outputs.tables import _BATCH_VALUES, _ROW_GROUP_BYTES, REPORT_FIELDS, TableSink
from xxgk.audit.query import ReportInfo


def _reports(n: int) -> list[ReportInfo]:
    data = make_report(random.Random(7), "青山区人民政府", 2022).to_dict()
    return [
        ReportInfo(i, f"r{i}.txt", 1, 1, "青山区人民政府", "青山区人民政府", 2022, "2021", None, data)
        for i in range(1, n + 1)
    ]


def test_the_wide_reports_table_is_written_in_bounded_batches(tmp_path: Path) -> None:
    per_batch = _BATCH_VALUES // (len(REPORT_FIELDS) + len(cell_columns()))
    assert per_batch <= 1100  # about a thousand reports' values at most, not 20,000
    n = 2 * per_batch + 5
    sink = TableSink(tmp_path)
    with sink:
        most = 0
        for report in _reports(n):
            sink.add_report(report, [])
            most = max(most, len(sink.reports._columns[0]))
            assert sink.reports._group_bytes < _ROW_GROUP_BYTES  # Arrow data held: one row group
        assert most < per_batch  # never more than one batch of reports held as Python values
        assert len(sink.reports._group) == 2  # two batches gathered, not yet written
        sink.reports.close()
        sink.cell_rows.close()
        sink.commit()
    parquet = pq.ParquetFile(tmp_path / "reports.parquet")
    assert parquet.metadata.num_rows == n
    assert parquet.num_row_groups == 1  # three batches, one row group
    with (tmp_path / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == n + 1
    assert [int(r[0]) for r in rows[1:]] == list(range(1, n + 1))
    assert parquet.read().column("report_id").to_pylist() == list(range(1, n + 1))
