"""The Excel workbook (xlsxwriter, constant-memory mode): one sheet per table with one row per
report, then findings, coverage and failures sheets (issue 5 item 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from xxgk.audit.outputs import Staged, Summary, cell_columns
from xxgk.audit.query import FindingInfo, ReportInfo

SHEETS = ("table2", "table3", "table4", "findings", "coverage", "failures")
_REPORT_HEAD = ["report_id", "path", "agency", "year", "template"]
FINDING_HEAD = ["finding_id", "report_id", "path", "agency", "year", "rule", "severity", "scope", "cells"]
FINDING_HEAD += ["expected", "actual", "message", "decision", "note"]


class ExcelSink(Staged):
    def __init__(self, out: Path) -> None:
        super().__init__()
        self.target = out / "audit.xlsx"
        self.wb = xlsxwriter.Workbook(str(self.path(self.target)), {"constant_memory": True})
        self.bold = self.wb.add_format({"bold": True})
        self.sheets = {name: self.wb.add_worksheet(name) for name in SHEETS}
        self.columns = {t: cell_columns(t) for t in ("table2", "table3", "table4")}
        for t, cols in self.columns.items():
            self._header(t, _REPORT_HEAD + [f"{label} ({key})" for key, label in cols])
        self.row = 0

    def _header(self, sheet: str, row: list[str]) -> None:
        ws = self.sheets[sheet]
        ws.write_row(0, 0, row, self.bold)
        ws.freeze_panes(1, 0)

    def add_report(self, r: ReportInfo, findings: list[FindingInfo]) -> None:
        # constant_memory writes each sheet row by row: the three table sheets advance together.
        self.row += 1
        head = [r.id, r.path, r.agency or "", r.year if r.year is not None else "", r.template or ""]
        for t, cols in self.columns.items():
            ws = self.sheets[t]
            ws.write_row(self.row, 0, head)
            values = r.values()
            for j, (key, _) in enumerate(cols, start=len(_REPORT_HEAD)):
                v = values.get(key)
                if v is not None:
                    ws.write_number(self.row, j, v)

    def _rows(self, sheet: str, head: list[str], rows: list[list[Any]]) -> None:
        self._header(sheet, head)
        for i, row in enumerate(rows, start=1):
            self.sheets[sheet].write_row(i, 0, row)

    def finish(self, ctx: Summary) -> dict[str, Path]:
        self._rows(
            "findings",
            FINDING_HEAD,
            [
                [
                    f.id,
                    f.report_id,
                    f.path,
                    f.agency or "",
                    f.year if f.year is not None else "",
                    f.rule,
                    f.severity,
                    f.scope,
                    " ".join(f.cells),
                    f.expected or "",
                    f.actual or "",
                    f.message,
                    f.decision or "",
                    f.note or "",
                ]
                for f in ctx.findings
            ],
        )
        self._rows(
            "coverage",
            ["agency", "years", "gaps", "missing_in_corpus_range", "duplicate_years"],
            [
                [c.agency, *(" ".join(map(str, ys)) for ys in (c.years, c.gaps, c.outside, c.duplicates))]
                for c in ctx.coverage
            ],
        )
        self._rows(
            "failures",
            ["path", "version", "format", "size", "error"],
            [[f.path, f.version, f.format, f.size, f.error] for f in ctx.failures],
        )
        self.wb.close()
        return self.commit()
