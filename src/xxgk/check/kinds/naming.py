"""How a person names tables, rows, cells and values in a finding's message."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from xxgk.model import split_cell
from xxgk.templates import Row, Table, Template

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
MAX_NAMED = 10  # a message lists at most this many cells by name, then says how many more


def fmt(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def row_title(table: Table, row: Row) -> str:
    """How a person names the row: group and numbering included, e.g. "（三）不予公开 1.属于国家秘密"."""
    if table.key == "table2":
        return f"{row.caption} {row.label}" if row.caption else row.label
    if table.key == "table4":
        return f"{row.parent}·{row.label}" if row.parent else row.label
    if row.group:
        number = next((n for k, n, _ in table.groups if k == row.group), "")
        return f"{number}{row.group_label} {row.printed}"
    return row.printed


def whole_row_title(table: Table, split: Sequence[str]) -> str:
    """How a person names a row an older template prints whole (2019's （六）其他处理): by the
    group its split rows form in this template."""
    group = table.row(split[0]).group
    number, label = next((n, lab) for k, n, lab in table.groups if k == group)
    return f"{number}{label}"


def cell_labels(template: Template, cell: str) -> dict[str, str]:
    """How a person names a cell's table, row and column (KeyError if the template lacks it)."""
    table_key, row_key, col_key = split_cell(cell)
    table = template.table(table_key)
    row = table.row(row_key)
    return {
        "table": TABLE_NAMES[table_key],
        "row": row_title(table, row),
        "column": row.column(col_key).label,
    }


def named_cells(template: Template | None, cells: Sequence[str], lang: str) -> str:
    """The cells as the template prints them (row · column), the first MAX_NAMED of them."""

    def name(cell: str) -> str:
        try:
            assert template is not None
            labels = cell_labels(template, cell)
        except (AssertionError, KeyError, ValueError):
            return cell  # not a template cell (V-UNKNOWN-CELL): its key is all there is
        return f"{labels['row']} · {labels['column']}"

    shown = [name(c) for c in cells[:MAX_NAMED]]
    more = len(cells) - len(shown)
    if lang == "zh":
        return "、".join(shown) + (f" 等共 {len(cells)} 个" if more > 0 else "")
    return "; ".join(shown) + (f" and {more} more" if more > 0 else "")
