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
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from xxgk.audit.outputs import Staged, Summary, cell_columns, csv_safe, exact_float
from xxgk.audit.query import FindingInfo, ReportInfo
from xxgk.check.describe import describe_cell
from xxgk.i18n import say

_BATCH = 20_000
# Column names whose meaning is not the message "field.<name>".
COLUMN_MESSAGES = {
    "path": "field.file",
    "missing_in_corpus_range": "field.outside",
    "duplicate_years": "field.duplicates",
    "error": "field.reason",
    "value_text": "field.value_text",
    "text": "field.quote",
}
STR, INT, FLOAT = pa.string(), pa.int64(), pa.float64()
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


def _text(value: object) -> str | None:
    """Provenance text as a string column takes it, whatever the stored JSON holds."""
    return None if value is None else str(value)


class _Table:
    """One dataset written to NAME.csv and NAME.parquet at once, in batches of rows (tuples)."""

    def __init__(self, staged: Staged, out: Path, name: str, fields: list[tuple[str, pa.DataType]]) -> None:
        self.schema = pa.schema([pa.field(n, t) for n, t in fields])
        self._fh = staged.path(out / f"{name}.csv").open("w", newline="", encoding="utf-8-sig")
        self._csv = csv.writer(self._fh)
        self._csv.writerow(self.schema.names)
        self._pq = pq.ParquetWriter(staged.path(out / f"{name}.parquet"), self.schema)
        self._rows: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self._rows.append(row)
        if len(self._rows) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        self._csv.writerows([csv_safe(v) for v in row] for row in self._rows)
        columns = list(zip(*self._rows, strict=True)) if self._rows else [()] * len(self.schema)
        self._pq.write_batch(
            pa.record_batch(
                [pa.array(c, type=f.type) for c, f in zip(columns, self.schema, strict=True)],
                schema=self.schema,
            )
        )
        self._rows = []

    def close(self) -> None:
        self.flush()
        self._pq.close()
        self._fh.close()


class TableSink(Staged):
    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out
        self.cells = [k for k, _ in cell_columns()]
        self.reports = _Table(self, out, "reports", REPORT_FIELDS + [(k, FLOAT) for k in self.cells])
        self.cell_rows = _Table(self, out, "cells", CELL_FIELDS)

    def add_report(self, r: ReportInfo, findings: list[FindingInfo]) -> None:
        # Every row of the report is built before any is added: a report that fails writes nothing.
        published = r.published.isoformat() if r.published else None
        head = (r.id, r.path, r.version, r.agency, r.printed_agency, r.year, r.template, published)
        values = r.values()
        wide = head + tuple(exact_float(values.get(key)) for key in self.cells)
        provenance = r.data.get("cells") or {}
        long = []
        for table in ("table2", "table3", "table4"):
            for row_key, cols in (r.data.get(table) or {}).items():
                for col in cols or {}:
                    key = f"{table}.{row_key}.{col}"
                    src = provenance.get(key) or {}
                    value = values[key]
                    as_float = exact_float(value)
                    long.append(
                        (
                            r.id,
                            r.agency,
                            r.year,
                            r.template,
                            table,
                            row_key,
                            col,
                            key,
                            as_float,
                            None if as_float is not None or value is None else str(value),
                            _text(src.get("status")),
                            _text(src.get("text")),
                        )
                    )
        self.reports.add(wide)
        for row in long:
            self.cell_rows.add(row)

    def finish(self, ctx: Summary) -> dict[str, Path]:
        self.reports.close()
        self.cell_rows.close()
        findings = _Table(self, self.out, "findings", FINDING_FIELDS)
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
        for fields in (REPORT_FIELDS, CELL_FIELDS, FINDING_FIELDS, COVERAGE_FIELDS, FAILURE_FIELDS):
            for name, _ in fields:
                msg_id = COLUMN_MESSAGES.get(name, f"field.{name}")
                meanings[name] = (say(msg_id, "zh"), say(msg_id, "en"))
        for key in self.cells:
            meanings[key] = (describe_cell(None, key),) * 2
        with self.path(self.out / "columns.csv").open("w", newline="", encoding="utf-8-sig") as fh:
            out = csv.writer(fh)
            out.writerow(["column", "含义", "meaning"])
            out.writerows([k, zh, en] for k, (zh, en) in meanings.items())
