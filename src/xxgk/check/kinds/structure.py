"""A template's cells as the checks walk them, computed once per template."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from xxgk.check.kinds.naming import row_title, whole_row_title
from xxgk.templates import Row, get_template


class SummedRow(NamedTuple):
    """A row whose total column is the sum of its other columns."""

    key: str
    title: str  # as a person names it
    cells: tuple[str, ...]
    whole: bool  # a row an older template prints whole, not one of this template's rows


@cache
def row_cells(template_id: str, table_key: str) -> tuple[tuple[Row, tuple[str, ...]], ...]:
    table = get_template(template_id).table(table_key)
    return tuple((row, tuple(f"{table_key}.{row.key}.{c.key}" for c in row.columns)) for row in table.rows)


@cache
def summed_rows(template_id: str, table_key: str) -> tuple[SummedRow, ...]:
    """The template's rows, then the rows an older template prints whole (2019's （六）其他处理
    in a 2021 table 3, kept beside the template's cells): their own numbers still add up."""
    table = get_template(template_id).table(table_key)
    rows = [
        SummedRow(row.key, row_title(table, row), cells, False)
        for row, cells in row_cells(template_id, table_key)
    ]
    for whole, split in table.whole_rows:
        cells = tuple(f"{table_key}.{whole}.{c.key}" for c in table.columns)
        rows.append(SummedRow(whole, whole_row_title(table, split), cells, True))
    return tuple(rows)


@cache
def template_cells(template_id: str) -> frozenset[str]:
    return frozenset(c.key for c in get_template(template_id).cells())


@cache
def cell_kinds(template_id: str) -> dict[str, str]:
    return {c.key: c.column.kind for c in get_template(template_id).cells()}
