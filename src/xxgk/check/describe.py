"""Cell keys in words: "table3.new.total" → "表三 · 一、本年新收政府信息公开申请数量 · 总计"."""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.check.kinds import cell_labels
from xxgk.templates import get_template


def describe_cell(template_id: str | None, cell: str) -> str:
    """The cell as a person names it; the raw key when the template does not know it."""
    if template_id is None:
        return cell
    try:
        return " · ".join(cell_labels(get_template(template_id), cell).values())
    except KeyError:
        return cell


def describe_cells(template_id: str | None, cells: Sequence[str]) -> str:
    return "；".join(describe_cell(template_id, c) for c in cells)
