"""Cell keys in words: "table3.new.total" → "表三 · 一、本年新收政府信息公开申请数量 · 总计"."""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.check.kinds import TABLE_NAMES, row_title
from xxgk.model import split_cell
from xxgk.templates import get_template


def describe_cell(template_id: str | None, cell: str) -> str:
    """The cell as a person names it; the raw key when the template does not know it."""
    try:
        table_key, row_key, col_key = split_cell(cell)
        if template_id is None:
            return cell
        table = get_template(template_id).table(table_key)
        row = table.row(row_key)
        return f"{TABLE_NAMES[table_key]} · {row_title(table, row)} · {row.column(col_key).label}"
    except KeyError:
        return cell


def describe_cells(template_id: str | None, cells: Sequence[str]) -> str:
    return "；".join(describe_cell(template_id, c) for c in cells)
