"""The Excel workbook in the official layout (xlsxwriter, constant-memory mode).

- one sheet per template version (2021, 2019: their tables differ, so never mixed), one row per
  report, headers in two rows as the template prints them: the table and row label over its
  columns, then each column's label;
- numbers as numbers; a blank the document printed stays empty, an ambiguous cell says 存疑
  (blue), so the two are never confused;
- cells named by an error finding are red, by a warning amber;
- the flagged-cells sheet (存疑与问题单元格): one row per ambiguous or flagged cell — the
  report, the cell as the template prints it, 存疑's candidate readings, the findings' messages.
  These were cell comments until issue 16: xlsxwriter holds every comment until the file is
  closed (~6 KB a report), so the workbook's process grew with the corpus; a sheet row is
  flushed at once (constant-memory mode), and a sheet can be filtered, which comments cannot.
- every sheet of rows (templates, flagged cells, findings, coverage, unreadable files) goes on
  in a `名称(2)` sheet past Excel's 1,048,576 rows (`Rolling`);
- frozen panes, column widths and an autofilter on every sheet; findings, coverage and
  unreadable files on their own sheets, all in Chinese (or English);
- `by_agency`: also a sheet per agency, its reports in one block per template version.

Text is always written as text (strings_to_formulas off): a cell that starts with "=" in a
document is shown, never run. A number Excel cannot hold exactly (over 15 digits) is written as
its digits in text. Rows are written in order because constant-memory mode flushes each row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from xxgk.audit.outputs import Staged, Summary, spreadsheet_value
from xxgk.audit.outputs.cells import candidates_of, cell_name
from xxgk.audit.query import FindingInfo, ReportInfo
from xxgk.check.describe import rule_label
from xxgk.check.kinds import TABLE_NAMES, row_title
from xxgk.i18n import Lang, reason, say
from xxgk.templates import get_template

TEMPLATES = ("2021", "2019")
Cell = tuple[Any, Any]  # value, format
Mark = tuple[str, str, str, str]  # cell label, state (存疑 / error / warning), candidates, messages
MAX_ROWS = 1_048_576  # Excel's rows per sheet
HEAD = ("field.agency", "field.year", "field.file", "field.report_id")
HEAD_WIDTHS = (28, 7, 36, 8)
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Layout:
    """A template's cells as workbook columns: (key, group label over the row, column label)."""

    template: str
    columns: tuple[tuple[str, str, str], ...]

    @classmethod
    def of(cls, template_id: str) -> Layout:
        t = get_template(template_id)
        cols = []
        for table in t.tables:
            for row in table.rows:
                group = f"{TABLE_NAMES[table.key]} · {row_title(table, row)}"
                for col in row.columns:
                    cols.append((f"{table.key}.{row.key}.{col.key}", group, col.label))
        return cls(template_id, tuple(cols))


class Rolling:
    """A sheet that goes on in `名称(2)`, `名称(3)`… once it holds `max_rows` rows (Excel's
    1,048,576): a national corpus has more reports, flagged cells or findings than one sheet holds.
    `header` writes a part's header rows and returns its first data row."""

    def __init__(
        self, wb: xlsxwriter.Workbook, name: str, header: Callable[[Worksheet], int], max_rows: int
    ) -> None:
        self.wb, self.name, self.header, self.max_rows = wb, name, header, max_rows
        self.parts: list[tuple[Worksheet, int, int]] = []  # sheet, first data row, rows used
        self._add()

    def _add(self) -> None:
        n = len(self.parts) + 1
        ws = self.wb.add_worksheet(self.name + (f"({n})" if n > 1 else ""))
        first = self.header(ws)
        self.parts.append((ws, first, first))

    def next_row(self) -> tuple[Worksheet, int]:
        """The sheet and row the next data row goes to."""
        if self.parts[-1][2] >= self.max_rows:
            self._add()
        ws, first, used = self.parts[-1]
        self.parts[-1] = (ws, first, used + 1)
        return ws, used

    def autofilter(self, last_col: int, min_rows: int = 1) -> None:
        """A filter over each part's header and data rows (at least `min_rows` data rows)."""
        for ws, first, used in self.parts:
            ws.autofilter(first - 1, 0, max(used - 1, first - 1 + min_rows), last_col)


class ExcelSink(Staged):
    def __init__(
        self,
        out: Path,
        lang: Lang = "zh",
        *,
        by_agency: bool = False,
        cells: bool = True,
        max_rows: int = MAX_ROWS,
    ) -> None:
        super().__init__()
        self.lang, self.by_agency, self.cells, self.max_rows = lang, by_agency, cells, max_rows
        self.target = out / "audit.xlsx"
        self.wb = xlsxwriter.Workbook(
            str(self.path(self.target)),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        wb = self.wb
        self.fmt = {
            "head": wb.add_format(
                {"bold": True, "bg_color": "#E8ECF4", "border": 1, "text_wrap": True, "valign": "top"}
            ),
            "group": wb.add_format(
                {"bold": True, "bg_color": "#D5DCEA", "border": 1, "align": "center", "text_wrap": True}
            ),
            "error": wb.add_format({"bg_color": "#F4C7C3", "font_color": "#9C0006"}),
            "warning": wb.add_format({"bg_color": "#FFE699", "font_color": "#7F6000"}),
            "ambiguous": wb.add_format({"bg_color": "#DDEBF7", "italic": True, "align": "right"}),
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        }
        self.layouts = {tid: Layout.of(tid) for tid in TEMPLATES}
        # each layout's cells by their column: the flagged cells go out in that order
        self.index = {
            tid: {key: i for i, (key, _, _) in enumerate(layout.columns)}
            for tid, layout in self.layouts.items()
        }
        # One sheet per template version (with `cells`: ~246 cells a report, the workbook's
        # main cost, issue 16), then the reports of no known template, then the flagged cells;
        # each goes on in a "(2)" sheet past max_rows.
        self.sheets: dict[str, Rolling] = {
            tid: Rolling(
                wb,
                say("excel.sheet_template", lang, template=tid),
                partial(self._header, top=0, layout=self.layouts[tid]),
                max_rows,
            )
            for tid in (TEMPLATES if cells else ())
        }
        head = [say(h, lang) for h in HEAD]
        self.sheets["?"] = Rolling(
            wb,
            say("excel.sheet_no_template", lang),
            lambda ws: self._plain_header(ws, head, HEAD_WIDTHS),
            max_rows,
        )
        marked_head = [say(h, lang) for h in self.MARKED_HEAD]
        self.marked = Rolling(
            wb,
            say("excel.sheet_marked", lang),
            lambda ws: self._plain_header(ws, marked_head, self.MARKED_WIDTHS),
            max_rows,
        )
        self.agency_sheets: set[str] = set()
        self.pending: list[tuple[ReportInfo, list[Cell]]] = []
        self.skipped: list[str] = []

    # ---------------------------------------------------------------- headers
    def _header(self, ws: Worksheet, top: int, layout: Layout, *, first: bool = True) -> int:
        """Two header rows at `top`; returns the first data row."""
        lang, head = self.lang, self.fmt["head"]
        n = len(HEAD)
        ws.merge_range(top, 0, top, n - 1, say("excel.report", lang), self.fmt["group"])
        start = 0
        cols = layout.columns
        for j in range(1, len(cols) + 1):
            if j == len(cols) or cols[j][1] != cols[start][1]:
                if j - 1 > start:
                    ws.merge_range(top, n + start, top, n + j - 1, cols[start][1], self.fmt["group"])
                else:
                    ws.write_string(top, n + start, cols[start][1], self.fmt["group"])
                start = j
        for i, h in enumerate(HEAD):
            ws.write_string(top + 1, i, say(h, lang), head)
        for j, (_, _, label) in enumerate(cols):
            ws.write_string(top + 1, n + j, label, head)
        if first:
            for i, w in enumerate(HEAD_WIDTHS):
                ws.set_column(i, i, w)
            ws.set_column(n, n + len(cols) - 1, 10)
            ws.set_row(top, 48)
            ws.freeze_panes(top + 2, 2)
        return top + 2

    def _plain_header(self, ws: Worksheet, names: list[str], widths: tuple[int, ...]) -> int:
        for i, (name, width) in enumerate(zip(names, widths, strict=True)):
            ws.write_string(0, i, name, self.fmt["head"])
            ws.set_column(i, i, width, self.fmt["wrap"] if width > 30 else None)
        ws.freeze_panes(1, 0)
        return 1

    MARKED_HEAD = (
        "field.report_id",
        "field.agency",
        "field.year",
        "field.file",
        "field.cell",
        "field.state",
        "field.candidates",
        "field.message",
    )
    MARKED_WIDTHS = (8, 28, 7, 36, 40, 8, 24, 60)

    # ---------------------------------------------------------------- reports
    def add_report(self, r: ReportInfo, findings: list[FindingInfo]) -> None:
        # conversions first: a failure writes nothing
        row, marks = self._prepare(r, findings, values=self.cells or self.by_agency)
        sheet = self.sheets.get(r.template if r.template in self.layouts else "?")
        if sheet is not None:
            self._write(*sheet.next_row(), row)
        head: list[Any] = [r.id, row[0][0], r.year, r.path]
        for mark in marks:
            self._write(*self.marked.next_row(), [(v, None) for v in (*head, *mark)])
        if self.by_agency:
            if self.pending and self.pending[-1][0].agency_id != r.agency_id:
                self._agency_sheet()
            self.pending.append((r, row))

    def _prepare(
        self, r: ReportInfo, findings: list[FindingInfo], *, values: bool = True
    ) -> tuple[list[Cell], list[Mark]]:
        """(value, format) per column of the report's row; a line for each ambiguous or flagged
        cell. Without `values` the row has only its head and formats (no template sheet needs it)."""
        lang = self.lang
        head: list[Cell] = [
            (r.agency or say("value.unknown_agency", lang), None),
            (r.year, None),
            (r.path, None),
            (r.id, None),
        ]
        layout = self.layouts.get(r.template or "")
        if layout is None:
            return head, []
        marks: dict[str, tuple[str, list[str]]] = {}
        for f in findings:
            if f.severity == "info":
                continue
            message = f.message if lang == "zh" else (f.message_en or f.message)
            for cell in f.cells:
                sev, msgs = marks.get(cell, ("warning", []))
                marks[cell] = (
                    "error" if f.severity == "error" else sev,
                    [*msgs, f"{rule_label(f.rule, lang)}：{message}"],
                )
        ambiguous = r.ambiguous()
        if values:
            numbers = r.values()
            keys: Iterable[str] = (key for key, _, _ in layout.columns)
        else:  # only the ambiguous or flagged cells: the head is the whole row
            numbers = {}
            index = self.index[layout.template]
            keys = sorted((ambiguous | marks.keys()) & index.keys(), key=index.__getitem__)
        out, lines = head, []
        for key in keys:
            value: Any = spreadsheet_value(numbers.get(key)) if values else None
            fmt, state, candidates, msgs = None, "", "", []
            if key in ambiguous:
                value, fmt = say("value.ambiguous", lang), self.fmt["ambiguous"]
                state, candidates = value, " / ".join(candidates_of(r.source(key))) or "—"
            if key in marks:
                sev, msgs = marks[key]
                fmt = self.fmt[sev]
                state = state or say(f"severity.{sev}", lang)
            if values:
                out.append((value, fmt))
            if state:
                lines.append((cell_name(r.template, key), state, candidates, "\n".join(msgs)))
        return out, lines

    def _write(self, ws: Worksheet, row: int, cells: list[Cell]) -> None:
        for col, (value, fmt) in enumerate(cells):
            if value is None:
                if fmt is not None:
                    ws.write_blank(row, col, None, fmt)
            elif isinstance(value, str):
                ws.write_string(row, col, value, fmt)
            else:
                ws.write_number(row, col, value, fmt)

    def _agency_sheet(self) -> None:
        reports, self.pending = self.pending, []
        name = reports[0][0].agency or say("value.unknown_agency", self.lang)
        ws = self.wb.add_worksheet(self._sheet_name(name))
        by_template: dict[str, list[list[Cell]]] = defaultdict(list)
        for r, cells in reports:
            by_template[r.template if r.template in self.layouts else "?"].append(cells)
        row, first = 0, True
        for tid in (*TEMPLATES, "?"):
            if tid not in by_template:
                continue
            if tid == "?":
                for i, h in enumerate(HEAD):
                    ws.write_string(row, i, say(h, self.lang), self.fmt["head"])
                row += 1
            else:
                row = self._header(ws, row, self.layouts[tid], first=first)
                if first:
                    ws.autofilter(
                        1, 0, 1 + len(by_template[tid]), len(HEAD) + len(self.layouts[tid].columns) - 1
                    )
                first = False
            for cells in by_template[tid]:
                self._write(ws, row, cells)
                row += 1
            row += 1  # an empty row between the blocks

    def _sheet_name(self, name: str) -> str:
        base = SHEET_NAME_BAD.sub("_", name).strip("'")[:28] or "_"
        candidate, n = base, 1
        while candidate.lower() in self.agency_sheets:
            n += 1
            candidate = f"{base}~{n}"
        self.agency_sheets.add(candidate.lower())
        return candidate

    # ---------------------------------------------------------------- the other sheets
    def _table(self, name: str, head: list[str], widths: tuple[int, ...], rows: Iterable[list[Any]]) -> None:
        """A plain sheet; `rows` are streamed (the findings of a national corpus are not held),
        going on in a "(2)" sheet past max_rows."""
        sheet = Rolling(self.wb, name, lambda ws: self._plain_header(ws, head, widths), self.max_rows)
        for row in rows:
            self._write(
                *sheet.next_row(),
                [(spreadsheet_value(v) if not isinstance(v, str) else v, None) for v in row],
            )
        sheet.autofilter(len(head) - 1)

    def finish(self, ctx: Summary) -> dict[str, Path]:
        if self.by_agency and self.pending:
            self._agency_sheet()
        lang = self.lang
        for tid in TEMPLATES if self.cells else ():
            self.sheets[tid].autofilter(len(HEAD) + len(self.layouts[tid].columns) - 1)
        self.sheets["?"].autofilter(len(HEAD) - 1)
        self.marked.autofilter(len(self.MARKED_HEAD) - 1)
        self._table(
            say("excel.sheet_findings", lang),
            [
                say(k, lang)
                for k in (
                    "field.finding_id",
                    "field.agency",
                    "field.year",
                    "field.file",
                    "field.severity",
                    "field.rule",
                    "field.cells",
                    "field.expected",
                    "field.actual",
                    "field.message",
                    "field.decision",
                    "field.note",
                )
            ],
            (8, 28, 7, 30, 8, 40, 40, 8, 8, 60, 8, 20),
            (
                [
                    f.id,
                    f.agency or say("value.unknown_agency", lang),
                    f.year,
                    f.path,
                    say(f"severity.{f.severity}", lang),
                    rule_label(f.rule, lang),
                    "；".join(cell_name(None, c) for c in f.cells[:10])
                    + (f" …（{len(f.cells)}）" if len(f.cells) > 10 else ""),
                    _number_or_text(f.expected),
                    _number_or_text(f.actual),
                    f.message if lang == "zh" else (f.message_en or f.message),
                    say(f"decision.{f.decision}", lang) if f.decision else "",
                    f.note or "",
                ]
                for f in ctx.findings
            ),
        )
        self._table(
            say("excel.sheet_coverage", lang),
            [
                say(k, lang)
                for k in ("field.agency", "field.years", "field.gaps", "field.outside", "field.duplicates")
            ],
            (30, 30, 20, 20, 12),
            [
                [c.agency, *(" ".join(map(str, ys)) for ys in (c.years, c.gaps, c.outside, c.duplicates))]
                for c in ctx.coverage
            ],
        )
        self._table(
            say("excel.sheet_failures", lang),
            [
                say(k, lang)
                for k in ("field.file", "field.version", "field.format", "field.size", "field.reason")
            ],
            (50, 6, 8, 12, 60),
            [[f.path, f.version, f.format, f.size, reason(f.error, lang)] for f in ctx.failures],
        )
        self.wb.close()
        return self.commit()


def _number_or_text(value: str | None) -> int | float | str | None:
    """Expected/actual are stored as text; a number goes back to being a number."""
    if value is None:
        return None
    try:
        return spreadsheet_value(int(value))
    except ValueError:
        pass
    try:
        from decimal import Decimal, InvalidOperation

        return spreadsheet_value(Decimal(value))
    except (InvalidOperation, ValueError):
        return value
