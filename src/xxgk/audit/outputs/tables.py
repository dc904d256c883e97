"""CSV and Parquet files for analysts: reports (wide), cells (long), findings, coverage, failures.

Rows go out in batches (pyarrow record batches, csv writer), so memory stays flat on large corpora.
Column names are the documented keys; `columns.csv` (the data dictionary) gives each its Chinese
and English meaning. Every value the database can hold is written: a number a float column cannot
hold exactly (a 25-digit count) is null in `value` and exact in `value_text`, never rounded;
text a spreadsheet would run as a formula is prefixed with an apostrophe in the CSV files
(OWASP CSV injection), and kept as is in Parquet.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from xxgk.audit.outputs import Staged, Summary, cell_columns, csv_safe, exact_float
from xxgk.audit.outputs.values import EXACT_INT, FORMULA_START
from xxgk.audit.query import FindingInfo, ReportInfo
from xxgk.check.describe import describe_cell
from xxgk.i18n import say

# Values held before a batch is written: 20,000 rows of the 12-column cells table. A table's
# rows per batch follow from its width, so the wide reports table (234 columns) is written every
# 1,025 reports; at 20,000 rows it held up to 20,000 reports' values (~150 MB) and the writing
# process grew with the corpus up to there (issue 16).
_BATCH_VALUES = 240_000
# Arrow bytes gathered into one Parquet row group. The writer holds ~0.9 KB of metadata for
# every column of every row group until the file is closed (measured: pyarrow 0.89 KB a column
# chunk, with or without statistics), so one row group per batch above made the writing process
# grow with the corpus: ~33 MB at 100,000 reports (the wide table's 234 columns every 1,025
# reports). Gathering ~8 MB of Arrow data a row group cuts that ~8× for a bounded buffer
# (issue 16).
_ROW_GROUP_BYTES = 8 * 2**20
_FINDING_ROWS = 2_000
# Column names whose meaning is not the message "field.<name>".
COLUMN_MESSAGES = {
    "path": "field.file",
    "missing_in_corpus_range": "field.outside",
    "duplicate_years": "field.duplicates",
    "error": "field.reason",
    "value_text": "field.value_text",
    "text": "field.quote",
}
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only after one
STR, INT, FLOAT = pa.string(), pa.int64(), pa.float64()
# Text that starts as `values.FORMULA_START` does, for Arrow's regular expressions (RE2).
FORMULA_PATTERN = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_START) + "]"
REPORT_FIELDS = [
    ("report_id", INT),
    ("path", STR),
    ("version", INT),
    ("agency", STR),
    ("printed_agency", STR),
    ("year", INT),
    ("template", STR),
    ("published", STR),
]
CELL_FIELDS = [
    ("report_id", INT),
    ("agency", STR),
    ("year", INT),
    ("template", STR),
    ("table", STR),
    ("row", STR),
    ("column", STR),
    ("cell", STR),
    ("value", FLOAT),
    ("value_text", STR),
    ("status", STR),
    ("text", STR),
]
FINDING_FIELDS = [
    ("finding_id", INT),
    ("report_id", INT),
    ("path", STR),
    ("agency", STR),
    ("year", INT),
    ("rule", STR),
    ("severity", STR),
    ("scope", STR),
    ("cells", STR),
    ("expected", STR),
    ("actual", STR),
    ("message", STR),
    ("decision", STR),
    ("note", STR),
]
COVERAGE_FIELDS = [
    (n, STR) for n in ("agency", "years", "gaps", "missing_in_corpus_range", "duplicate_years")
]
FAILURE_FIELDS = [("path", STR), ("version", INT), ("format", STR), ("size", INT), ("error", STR)]


_NO_SOURCE: dict[str, Any] = {}


def _float(value: object) -> float | None:
    """`exact_float`, with the common case (a count a float holds exactly) first."""
    if value.__class__ is int and -EXACT_INT <= value <= EXACT_INT:
        return float(value)
    return exact_float(value)


def _text(value: object) -> str | None:
    """Provenance text as a string column takes it, whatever the stored JSON holds."""
    return None if value is None else str(value)


class _Table:
    """One dataset written to NAME.csv and NAME.parquet at once, in batches of about
    _BATCH_VALUES values.

    Rows are kept as columns (the cells of a report arrive column by column, and Arrow wants
    columns): no transposing a batch of tuples. The text a spreadsheet would run as a formula
    is found in the Arrow columns at C speed, and only those few values are prefixed for the
    CSV (`values.csv_safe`): a value-by-value Python pass over a report's 2,400 values cost
    more than the rest of the writer (issue 16).
    """

    def __init__(
        self, staged: Staged, out: Path, name: str, fields: list[tuple[str, pa.DataType]], rows: int = 0
    ) -> None:
        self.schema = pa.schema([pa.field(n, t) for n, t in fields])
        self._text = [i for i, (_, t) in enumerate(fields) if t == STR]
        # The BOM written by hand: the "utf-8-sig" codec encodes each row in Python, "utf-8" in C.
        self._fh = staged.path(out / f"{name}.csv").open("w", newline="", encoding="utf-8")
        self._fh.write(BOM)
        self._csv = csv.writer(self._fh)
        self._csv.writerow(self.schema.names)
        self._pq = pq.ParquetWriter(staged.path(out / f"{name}.parquet"), self.schema)
        self._group: list[pa.RecordBatch] = []  # the Parquet row group being gathered
        self._group_bytes = 0
        self._columns: list[list[Any]] = [[] for _ in fields]
        self._batch = rows or max(1, _BATCH_VALUES // len(fields))  # rows

    def add(self, row: Sequence[Any]) -> None:
        self.extend([[value] for value in row])

    def extend(self, columns: Sequence[list[Any]]) -> None:
        """Rows given as one list per column, all of one length."""
        for mine, more in zip(self._columns, columns, strict=True):
            mine.extend(more)
        size = self._batch
        while len(self._columns[0]) >= size:  # row groups of one size, whatever the calls
            batch = [c[:size] for c in self._columns]
            self._columns = [c[size:] for c in self._columns]
            self._write(batch)

    def flush(self) -> None:
        self._write(self._columns)
        self._columns = [[] for _ in self._columns]

    def _write(self, columns: list[list[Any]]) -> None:
        arrays = [pa.array(c, type=f.type) for c, f in zip(columns, self.schema, strict=True)]
        batch = pa.record_batch(arrays, schema=self.schema)
        self._group.append(batch)
        self._group_bytes += batch.nbytes
        if self._group_bytes >= _ROW_GROUP_BYTES:
            self._write_group()
        for i in self._text:  # only text columns hold str: numbers are never prefixed
            formula = pc.match_substring_regex(arrays[i], FORMULA_PATTERN).fill_null(False)
            if pc.any(formula).as_py():
                column = list(columns[i])
                for j in pc.indices_nonzero(formula).to_pylist():
                    column[j] = csv_safe(column[j])
                columns = [*columns[:i], column, *columns[i + 1 :]]
        self._csv.writerows(zip(*columns, strict=True))

    def _write_group(self) -> None:
        if self._group:
            table = pa.Table.from_batches(self._group, schema=self.schema)
            self._pq.write_table(table, row_group_size=max(1, table.num_rows))
        self._group, self._group_bytes = [], 0

    def close(self) -> None:
        self.flush()
        self._write_group()
        self._pq.close()
        self._fh.close()


class TableSink(Staged):
    """reports, findings, coverage, failures and columns.csv; with `cells`, also the long cells
    table (cells.csv/.parquet: ~246 rows a report, the largest output and most of this writer's
    time, so only on request: issue 16)."""

    def __init__(self, out: Path, *, cells: bool = True) -> None:
        super().__init__()
        self.out = out
        self.cells = [k for k, _ in cell_columns()]
        self.reports = _Table(self, out, "reports", REPORT_FIELDS + [(k, FLOAT) for k in self.cells])
        self.cell_rows = _Table(self, out, "cells", CELL_FIELDS) if cells else None

    def add_report(self, r: ReportInfo, findings: list[FindingInfo]) -> None:
        # Every row of the report is built before any is added: a report that fails writes nothing.
        published = r.published.isoformat() if r.published else None
        head = (r.id, r.path, r.version, r.agency, r.printed_agency, r.year, r.template, published)
        values = r.values()
        floats = {key: _float(value) for key, value in values.items()}
        wide = head + tuple(map(floats.get, self.cells))
        if self.cell_rows is None:
            self.reports.add(wide)
            return
        data = r.expanded()
        provenance = data.get("cells") or {}
        tables: list[str] = []
        rows: list[str] = []
        columns: list[str] = []
        keys: list[str] = []
        for table in ("table2", "table3", "table4"):
            for row_key, cols in (data.get(table) or {}).items():
                for col in cols or {}:
                    tables.append(table)
                    rows.append(row_key)
                    columns.append(col)
                    keys.append(f"{table}.{row_key}.{col}")
        n = len(keys)
        sources = [provenance.get(key) or _NO_SOURCE for key in keys]
        as_float = [floats[key] for key in keys]
        exact_text = [
            None if f is not None or v is None else str(v)
            for f, v in zip(as_float, (values[key] for key in keys), strict=True)
        ]
        long: list[list[Any]] = [
            [r.id] * n,
            [r.agency] * n,
            [r.year] * n,
            [r.template] * n,
            tables,
            rows,
            columns,
            keys,
            as_float,
            exact_text,
            [_text(src.get("status")) for src in sources],
            [_text(src.get("text")) for src in sources],
        ]
        self.reports.add(wide)
        self.cell_rows.extend(long)

    def finish(self, ctx: Summary) -> dict[str, Path]:
        self.reports.close()
        if self.cell_rows is not None:
            self.cell_rows.close()
        # Findings rows are mostly text (a message, the cells, the path: ~2 KB a row held as
        # Python strings), so their batch is counted in rows: 17,000 rows (_BATCH_VALUES) were
        # ~35 MB at the finish of a 30,000-report audit (issue 16).
        findings = _Table(self, self.out, "findings", FINDING_FIELDS, rows=_FINDING_ROWS)
        for f in ctx.findings:
            findings.add(
                (
                    f.id,
                    f.report_id,
                    f.path,
                    f.agency,
                    f.year,
                    f.rule,
                    f.severity,
                    f.scope,
                    " ".join(f.cells),
                    f.expected,
                    f.actual,
                    f.message,
                    f.decision,
                    f.note,
                )
            )
        findings.close()
        coverage = _Table(self, self.out, "coverage", COVERAGE_FIELDS)
        for c in ctx.coverage:
            coverage.add(
                (c.agency, *(" ".join(map(str, ys)) for ys in (c.years, c.gaps, c.outside, c.duplicates)))
            )
        coverage.close()
        failures = _Table(self, self.out, "failures", FAILURE_FIELDS)
        for x in ctx.failures:
            failures.add((x.path, x.version, x.format, x.size, x.error))
        failures.close()
        self._dictionary()
        return self.commit()

    def _dictionary(self) -> None:
        """columns.csv: every column name of the files above with its meaning in Chinese and English."""
        meanings: dict[str, tuple[str, str]] = {}
        tables = (REPORT_FIELDS, CELL_FIELDS, FINDING_FIELDS, COVERAGE_FIELDS, FAILURE_FIELDS)
        for fields in tables if self.cell_rows is not None else tables[:1] + tables[2:]:
            for name, _ in fields:
                msg_id = COLUMN_MESSAGES.get(name, f"field.{name}")
                meanings[name] = (say(msg_id, "zh"), say(msg_id, "en"))
        for key in self.cells:
            meanings[key] = (describe_cell(None, key),) * 2
        with self.path(self.out / "columns.csv").open("w", newline="", encoding="utf-8-sig") as fh:
            out = csv.writer(fh)
            out.writerow(["column", "含义", "meaning"])
            out.writerows([k, zh, en] for k, (zh, en) in meanings.items())
