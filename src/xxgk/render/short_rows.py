"""Layout families whose value rows print fewer cells than the table has columns (issue 10,
task 10s): the same official grid (`grid.py`) where blank cells are not printed one by one.

- ``trailing-dropped``: pipe rows that stop after their last value (`| 3 | 1 |` and nothing
  for the empty cells after it), as converters that trim a row's trailing empty cells print
  them;
- ``cells-vanish``: a table copied out of a web page whose empty `<td>`s vanished: the cells a
  row still prints separated by tabs, no trace of the empty ones;
- ``colspan-blanks``: pipe text where a run of neighbouring blank cells prints as one empty
  cell, the merged cell's padding pipes after the row's last cell (dev 000's colspan
  convention: `| 3 |  | 5 |||`);
- ``html-colspan-blanks``: HTML whose runs of neighbouring blank value cells are one
  `<td colspan=k>` — positive evidence that every cell it covers is blank;
- ``ocr-gaps``: OCR-like text: a row's cells separated by runs of spaces, a blank cell only a
  wider gap (no separator to count).

Each family is a function Report → str, registered in `layouts.LAYOUTS`; every value a cell
holds is printed exactly once (tests/extract/test_conservation_bulk.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import html as lxml_html
from lxml.html import builder as E

from xxgk.model import Report
from xxgk.render.grid import Cell, TableGrid, blocks, document_lines, title


def _doc(report: Report, table_lines: Callable[[TableGrid], Iterator[str]]) -> str:
    return "\n".join(document_lines(report, table_lines)) + "\n"


def _is_value_row(row: list[Cell]) -> bool:
    return any(c.role == "value" for c in row)


def _padded(row: list[Cell]) -> str:
    """A row as `layouts.pipe` prints it: colspan padding as trailing pipes."""
    return " | ".join(c.text for c in row) + " |" + "|" * sum(c.colspan - 1 for c in row)


# --------------------------------------------------------------------------- trailing cells
def _trimmed_rows(grid: TableGrid) -> Iterator[str]:
    for row in grid.rows:
        if not _is_value_row(row):
            yield _padded(row)
            continue
        cells = list(row)
        while cells and cells[-1].role == "value" and not cells[-1].text:
            cells.pop()
        yield " | ".join(c.text for c in cells) + " |"


def trailing_dropped(report: Report) -> str:
    """Pipe text whose value rows end after their last value: trailing empty cells not printed."""
    return _doc(report, _trimmed_rows)


# --------------------------------------------------------------------------- empty <td> vanish
def _vanished_rows(grid: TableGrid) -> Iterator[str]:
    for row in grid.rows:
        yield "\t".join(c.text for c in row if c.text)


def cells_vanish(report: Report) -> str:
    """A copied web table whose empty cells vanished: the printed cells tab-separated."""
    return _doc(report, _vanished_rows)


# --------------------------------------------------------------------------- merged blank cells
def _merged(row: list[Cell]) -> list[Cell]:
    """The row with each run of neighbouring blank value cells as one cell spanning the run."""
    out: list[Cell] = []
    for cell in row:
        last = out[-1] if out else None
        if (
            cell.role == "value"
            and not cell.text
            and last is not None
            and last.role == "value"
            and not last.text
        ):
            out[-1] = Cell("", "value", last.rowspan, last.colspan + cell.colspan)
        else:
            out.append(cell)
    return out


def _merged_rows(grid: TableGrid) -> Iterator[str]:
    for row in grid.rows:
        yield _padded(_merged(row) if _is_value_row(row) else row)


def colspan_blanks(report: Report) -> str:
    """Pipe text: a run of blank cells printed as one empty cell, its colspan as trailing pipes."""
    return _doc(report, _merged_rows)


def _html_table(grid: TableGrid) -> lxml_html.HtmlElement:
    trs = []
    for row in grid.rows:
        tds = []
        for cell in _merged(row) if _is_value_row(row) else row:
            attrs = {}
            if cell.rowspan > 1:
                attrs["rowspan"] = str(cell.rowspan)
            if cell.colspan > 1:
                attrs["colspan"] = str(cell.colspan)
            tds.append(E.TD(attrs, cell.text))
        trs.append(E.TR(*tds))
    return E.TABLE({"border": "1"}, E.TBODY(*trs))


def html_colspan_blanks(report: Report) -> str:
    """HTML whose runs of neighbouring blank value cells are one ``<td colspan=k>``."""
    body: list[lxml_html.HtmlElement] = []
    for block in blocks(report):
        if block.table is not None:
            body.append(_html_table(block.table))
        elif block.kind == "title":
            body.append(E.H1(block.text))
        elif block.kind == "heading":
            body.append(E.H2(block.text))
        else:
            body.append(E.P(block.text))
    doc = E.HTML(E.HEAD(E.META({"charset": "utf-8"}), E.TITLE(title(report))), E.BODY(*body))
    return lxml_html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


# --------------------------------------------------------------------------- OCR gaps
def _gap_rows(grid: TableGrid) -> Iterator[str]:
    """Cells separated by two spaces; a blank cell adds the width of a cell to the gap."""
    for row in grid.rows:
        line = ""
        for cell in row:
            if line:
                line += "  "
            line += cell.text if cell.text else "    "
        yield line.rstrip()


def ocr_gaps(report: Report) -> str:
    """OCR-like text: cells separated by runs of spaces, a blank cell only a wider gap."""
    return _doc(report, _gap_rows)
