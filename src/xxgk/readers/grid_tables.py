"""Tables 2–4 from laid-out grids (HTML, DOCX, PDF): the "easy" path with exact columns.

A grid row is matched to a template row by its rightmost label cell (letter key equal, or one
containing the other for cut labels); the cells after it are the values, empty cells being real
blanks. Spans were expanded by the adapter, so a colspan cell appears once per column: it is
counted once here. Table 4 is the row of (up to) 15 value cells under its header.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from xxgk.adapters.base import Grid, GridCell
from xxgk.readers.anchors import letters
from xxgk.readers.place import RowInput, Tok, parse_number
from xxgk.readers.text_tables import row_shape, table4_cells
from xxgk.templates import Row, Template, get_template


def _unique(cells: list[GridCell | None]) -> list[GridCell]:
    out: list[GridCell] = []
    for c in cells:
        if c is not None and (not out or out[-1] is not c):
            out.append(c)
    return out


def _is_value(cell: GridCell) -> bool:
    t = cell.text.strip()
    return not t or parse_number(t) is not None or t in ("-", "—", "/", "无")


_NUMBERING = re.compile(
    r"^\s*(?:[(]\s*[一二三四五六七八九十\d]+\s*[)]|[一二三四五六七八九十]+\s*[、.,]|\d+\s*[.、)])\s*"
)


def _strip_numbering(label: str) -> str:
    """ "（七）总计" → "总计", "三、本年度办理结果" → "本年度办理结果", "1.属于国家秘密" → "属于国家秘密"."""
    while True:
        m = _NUMBERING.match(label)
        if m is None or m.end() == 0:
            return label
        label = label[m.end() :]


def _match(label: str, rows: Sequence[tuple[str, Row]], start: int) -> int | None:
    key = letters(_strip_numbering(label))
    if not key:
        return None
    order = list(range(start, len(rows))) + list(range(0, start))
    for i in order:
        if any(key == letters(lab) for lab in rows[i][1].labels):
            return i
    for i in order:
        for lab in rows[i][1].labels:
            lk = letters(lab)
            if len(key) >= 4 and len(lk) >= 4 and (key in lk or lk in key):
                return i
    return None


@cache
def _header_words(template_id: str) -> frozenset[str]:
    """Column-header words of a template (keyed by id: hashing a Template is deep and slow)."""
    words = {"申请人情况", "法人或其他组织", "信息内容"}
    for table in get_template(template_id).tables:
        for row in table.rows:
            words.update(letters(lab) for col in row.columns for lab in col.labels)
    return frozenset(w for w in words if w)


def _value_start(grid: Grid) -> int | None:
    """The grid's first value column: where the numbers of at least two label rows begin.

    Only cells left of it can be row labels. A stacked column header ("人 | 公益 | 服务 | 其他")
    puts header words into value columns; without this, "其他" would be taken as row （六）3.其他
    and the real row skipped as a duplicate (regression: tests/fixtures/pdfdocx/variants/borderless_break_002.pdf).
    """
    starts: Counter[int] = Counter()
    for raw in grid.rows:
        cells = _unique(raw)
        first_label = next((i for i, c in enumerate(cells) if not _is_value(c)), None)
        if first_label is None:
            continue
        number = next(
            (c for c in cells[first_label + 1 :] if c.text.strip() and parse_number(c.text) is not None),
            None,
        )
        if number is not None:
            starts[number.col] += 1
    repeated = [col for col, n in starts.items() if n >= 2]
    return min(repeated) if repeated else None


def read_grid_tables(grids: list[Grid], template: Template) -> dict[str, RowInput]:
    """Row inputs for every template row found in the grids (empty dict when none)."""
    rows = [(t.key, r) for t in (template.table2, template.table3) for r in t.rows]
    out: dict[str, RowInput] = {}
    cursor = 0
    for grid in grids:
        is_t4 = False
        value_start = _value_start(grid)
        for raw in grid.rows:
            cells = _unique(raw)
            if not cells:
                continue
            joined = letters("".join(c.text for c in cells))
            if "行政复议" in joined or "行政诉讼" in joined:
                is_t4 = True
            last_label = max((i for i, c in enumerate(cells) if not _is_value(c)), default=-1)
            if last_label >= 0 and value_start is not None and cells[last_label].col >= value_start:
                continue  # words in a value column: a column-header line, never a row label
            values = cells[last_label + 1 :]
            if not values or (all(not v.text.strip() for v in values) and last_label < 0):
                continue
            if last_label < 0:
                if is_t4 and "table4" not in out and len(values) >= 10:
                    t4cells, groups = table4_cells(template)
                    toks = (
                        [_tok(v) for v in values[-len(t4cells) :]]
                        if len(values) >= len(t4cells)
                        else [_tok(v) for v in values]
                    )
                    out["table4"] = RowInput(t4cells, toks, groups)
                continue
            header_words = _header_words(template.id)
            if sum(1 for c in cells[: last_label + 1] if letters(c.text) in header_words) >= 2:
                continue  # a column-header row ("自然人 | 法人或其他组织 | 总计")
            idx = _match(cells[last_label].text, rows, cursor)
            if idx is None and last_label > 0:
                idx = _match("".join(c.text for c in cells[: last_label + 1]), rows, cursor)
            if idx is None:
                continue
            table_key, row = rows[idx]
            key = f"{table_key}.{row.key}"
            has_number = any(v.text.strip() and parse_number(v.text) is not None for v in values)
            if not has_number and len(values) < len(row.columns):
                continue  # a header fragment ("… | 其他 |"), not a data row with blank cells
            if key in out:
                continue
            cursor = idx + 1
            shape_cells, groups = row_shape(template.table(table_key), row)
            out[key] = RowInput(
                shape_cells, [_tok(v) for v in values], groups, convention=table_key == "table3"
            )
    return out if len(out) >= 3 else {}


def _tok(cell: GridCell) -> Tok:
    text = cell.text.strip()
    if text in ("-", "—", "/", "无"):
        text = ""
    return Tok(text, cell.position, blank=not text)
