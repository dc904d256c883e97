"""Text layout families whose tables real sites reshape (issue 10, task 10x): the same official
grid (`grid.py`) printed with its columns split over two tables, an extra 序号/备注 column, its
zeros as 〇/零 and counts with 件, table 2's columns in another order, every cell as a
`label：value` line, or one cell per line with long row labels broken over two lines.

Each family is a function Report → str, registered in `layouts.LAYOUTS`; every value a cell
holds is printed exactly once, so a reader that loses or misplaces one is caught by the round
trip and the bulk property test (tests/extract/test_conservation_bulk.py).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator

from xxgk.model import Report
from xxgk.render.grid import Cell, TableGrid, document_lines

NBSP = "\u00a0"

# Table 3's seven columns split after the fourth (a page too narrow for ten): 自然人 and three
# of 法人或其他组织 first, then the other two and 总计, the row labels printed again.
SPLIT_AT = 4


def _doc(report: Report, table_lines: Callable[[TableGrid], Iterator[str]]) -> str:
    return "\n".join(document_lines(report, table_lines)) + "\n"


def _pipe(cells: list[str]) -> str:
    return " | ".join(cells) + " |"


def _labels(row: list[Cell]) -> list[Cell]:
    return [c for c in row if c.role == "label"]


def _values(row: list[Cell]) -> list[Cell]:
    return [c for c in row if c.role == "value"]


def _padded(row: list[Cell]) -> str:
    """A pipe row as `layouts.pipe` prints it: colspan padding as trailing pipes."""
    return _pipe([c.text for c in row]) + "|" * sum(c.colspan - 1 for c in row)


# --------------------------------------------------------------------------- columns split
def _split_table3(grid: TableGrid) -> Iterator[str]:
    """Table 3 as two tables: columns 1–4, then 5–7, each under its own header, labels repeated."""
    header = [c.text for r in grid.rows[:3] for c in r if c.role == "header"]
    note, named = header[0], [h for h in header[1:] if h not in ("申请人情况", "法人或其他组织")]
    columns = [named[0], *named[2:], named[1]]  # 自然人, the five of 法人或其他组织, 总计
    data = grid.rows[3:]
    for part, (a, b) in enumerate(((0, SPLIT_AT), (SPLIT_AT, len(columns)))):
        if part:
            yield "（续表）"
        yield _pipe([note, *columns[a:b]])
        for row in data:
            yield _pipe([c.text for c in _labels(row)] + [c.text for c in _values(row)[a:b]])


def _split_rows(grid: TableGrid) -> Iterator[str]:
    if grid.key == "table3":
        yield from _split_table3(grid)
    else:
        yield from (_padded(row) for row in grid.rows)


def split_columns(report: Report) -> str:
    """Pipe text whose table 3 is printed as two tables, columns 1–4 then 5–7, labels repeated."""
    return _doc(report, _split_rows)


# --------------------------------------------------------------------------- 序号 and 备注
def _remark(row: list[Cell]) -> str:
    """What a 备注 cell holds: mostly nothing, sometimes a word (never a number)."""
    pick = zlib.crc32("".join(c.text for c in row).encode()) % 5
    return ("", "", "", "无", "—")[pick]


def _numbered_rows(grid: TableGrid) -> Iterator[str]:
    """序号 before and 备注 after each value row of tables 2 and 3; headers get both titles."""
    if grid.key == "table4":
        yield from (_padded(row) for row in grid.rows)
        return
    n = 0
    for row in grid.rows:
        if not _values(row):
            first = row[0].role in ("header",) or (grid.key == "table2" and row[0].text == "信息内容")
            yield _pipe(["序号", *(c.text for c in row), "备注"]) if first else _padded(row)
            continue
        n += 1
        yield _pipe([str(n), *(c.text for c in row), _remark(row)])


def extra_columns(report: Report) -> str:
    """Pipe text with a leading 序号 column (1, 2, 3 …) and a trailing 备注 column in tables 2–3."""
    return _doc(report, _numbered_rows)


# --------------------------------------------------------------------------- zeros and units
def _glyph(cell: Cell, r: int, c: int) -> str:
    """A value as some offices type it: 0 as 〇 or 零, a count followed by 件, a blank as —."""
    text = cell.text
    if cell.role != "value":
        return text
    pick = zlib.crc32(f"{r}.{c}.{text}".encode()) % 4
    if not text:
        return "—" if pick < 2 else ""
    if text == "0":
        return ("〇", "零", "0件", "0")[pick]
    if text.isdigit() and cell.key is not None and not cell.key.endswith(".amount_wan") and pick == 0:
        return f"{text}件"
    return text


def _glyph_rows(grid: TableGrid) -> Iterator[str]:
    for r, row in enumerate(grid.rows):
        yield _pipe([_glyph(cell, r, c) for c, cell in enumerate(row)]) + "|" * sum(
            cell.colspan - 1 for cell in row
        )


def zero_glyphs(report: Report) -> str:
    """Pipe text whose zeros print as 〇/零/0件, counts as `12件`, blank cells as —."""
    return _doc(report, _glyph_rows)


# --------------------------------------------------------------------------- columns reordered
def _reordered_rows(grid: TableGrid) -> Iterator[str]:
    """Table 2's three-column blocks with their columns rotated (the header says so)."""
    for row in grid.rows:
        values = _values(row)
        if grid.key == "table2" and len(row) == 4 and (row[0].role == "header" or len(values) == 3):
            yield _pipe([row[0].text, row[3].text, row[1].text, row[2].text])
        else:
            yield _padded(row)


def reordered_columns(report: Report) -> str:
    """Pipe text whose table 2 prints its three-column blocks in another column order."""
    return _doc(report, _reordered_rows)


# --------------------------------------------------------------------------- label：value
def _pairs(grid: TableGrid) -> Iterator[str]:
    """Each value cell as `column：value` under its row's label; a blank cell as `column：—`."""
    if grid.key == "table4":
        heads = [c.text for c in grid.rows[2]]
        groups = [c.text for c in grid.rows[1] if c.colspan > 1]
        first = [c.text for c in grid.rows[1] if c.rowspan > 1]
        yield grid.rows[0][0].text
        for head, cell in zip(first, grid.rows[3][:5], strict=True):
            yield f"{head}：{cell.text or '—'}"
        for g, group in enumerate(groups):
            yield f"{grid.rows[0][1].text}（{group}）"
            for head, cell in zip(heads[g * 5 : g * 5 + 5], grid.rows[3][5 + g * 5 :], strict=False):
                yield f"{head}：{cell.text or '—'}"
        return
    columns: list[str] = []
    for row in grid.rows:
        values = _values(row)
        if not values:
            heads = [c.text for c in row if c.role == "header"]
            if grid.key == "table2" and heads:
                columns = heads[1:]
            elif grid.key == "table3" and heads:
                columns = [*columns, *heads]
            else:
                yield "".join(c.text for c in row)
            continue
        if grid.key == "table3" and len(columns) > 7:
            keep = [h for h in columns[1:] if h not in ("申请人情况", "法人或其他组织")]
            columns = [keep[0], *keep[2:], keep[1]]  # 自然人, the five, 总计 (grid order)
        yield from (c.text for c in _labels(row))
        if len(values) == 1:
            yield f"{columns[0] if columns else ''}：{values[0].text or '—'}"
            continue
        for head, cell in zip(columns, values, strict=False):
            yield f"{head}：{cell.text or '—'}"


def label_value(report: Report) -> str:
    """Every table cell as a `column：value` line under its row label (a blank as —)."""
    return _doc(report, _pairs)


# --------------------------------------------------------------------------- labels broken
def _broken_cells(grid: TableGrid) -> Iterator[str]:
    """One cell per line; a label longer than 12 characters is broken after its 10th."""
    for row in grid.rows:
        for cell in row:
            text = cell.text or NBSP
            if cell.role == "label" and len(text) > 12:
                yield text[:10]
                yield text[10:]
            else:
                yield text


def cell_lines_wrapped(report: Report) -> str:
    """One cell per line (blank cells as no-break spaces) with long row labels broken in two."""
    return _doc(report, _broken_cells)
