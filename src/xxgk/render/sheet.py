"""Given a report, return it as one spreadsheet (XLSX bytes), as an office that sends its annual
report as a sheet lays it out: the title, date line and section text one paragraph per row in
column A, and tables 2–4 as blocks of cells with the template's merged headers
(shared/spec/annual-report.md A.3–A.5, the same ``grid.blocks`` every layout prints).

Numbers are written as numbers (a sheet's cells are typed), blanks stay empty, never 0. Used to
make the legacy-sheet test set: LibreOffice saves it as Excel 97 ``.xls`` (tests/ocr/test_legacy.py).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from xxgk.model import Report
from xxgk.render.grid import TableGrid, blocks

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SHEET_NAME = "年度报告"


def render_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook of one sheet (see the module doc)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = book.add_worksheet(SHEET_NAME)
    row = 0
    for block in blocks(report):
        if block.table is not None:
            row = _write_table(book, sheet, block.table, row) + 1
        else:
            sheet.write_string(row, 0, block.text)
            row += 1
    book.close()
    return out.getvalue()


def _write_table(book: xlsxwriter.Workbook, ws: Worksheet, grid: TableGrid, top: int) -> int:
    """Write one table from row ``top``; return the first row after it."""
    boxed = book.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
    taken: set[tuple[int, int]] = set()  # (row, column) covered by a cell that started above
    for r, cells in enumerate(grid.rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            last_r, last_c = r + cell.rowspan - 1, c + cell.colspan - 1
            value: str | float = cell.text
            if cell.role == "value" and _NUMBER.match(cell.text):
                value = float(Decimal(cell.text)) if "." in cell.text else int(cell.text)
            if (last_r, last_c) != (r, c):
                ws.merge_range(top + r, c, top + last_r, last_c, value, boxed)
            elif isinstance(value, str):
                ws.write_string(top + r, c, value, boxed)
            else:
                ws.write_number(top + r, c, value, boxed)
            taken.update((rr, cc) for rr in range(r, last_r + 1) for cc in range(c, last_c + 1))
            c = last_c + 1
    return top + len(grid.rows)
