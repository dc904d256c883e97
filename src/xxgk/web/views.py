"""The report page's tables: tables 2–4 laid out as the official template (merged headers,
Chinese names; `xxgk.render.grid`), each value cell with its status and its worst finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xxgk.model import ReportFileError, parse_report
from xxgk.render.grid import RenderError, TableGrid, report_template, table2_grid, table3_grid, table4_grid

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TITLES = {
    "table2": "二、主动公开政府信息情况",
    "table3": "三、收到和处理政府信息公开申请情况",
    "table4": "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass
class ViewCell:
    text: str
    role: str
    rowspan: int
    colspan: int
    key: str | None = None
    status: str | None = None  # read / inferred / ambiguous / blank / None (absent)
    severity: str | None = None  # worst finding naming this cell
    corrected: bool = False


@dataclass
class ViewTable:
    key: str
    title: str
    rows: list[list[ViewCell]]


def worst_by_cell(findings: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in findings:
        if f.get("decision") == "dismissed":
            continue
        for c in f.get("cells") or []:
            cur = out.get(c)
            if cur is None or SEVERITY_ORDER.get(f["severity"], 9) < SEVERITY_ORDER.get(cur, 9):
                out[c] = f["severity"]
    return out


def report_tables(data: dict[str, Any], findings: list[dict[str, Any]]) -> list[ViewTable]:
    """The three tables of a report JSON, or [] when it has no template to lay them out with."""
    try:
        report = parse_report({**data, "findings": []})
        template = report_template(report)
    except (ReportFileError, RenderError):
        return []
    cells = data.get("cells") or {}
    worst = worst_by_cell(findings)
    out = []
    for grid_of in (table2_grid, table3_grid, table4_grid):
        grid: TableGrid = grid_of(report, template)
        rows = []
        for line in grid.rows:
            row = []
            for c in line:
                src = cells.get(c.key) if c.key else None
                status = src.get("status") if src else None
                if c.key and status is None and report.has(c.key):
                    status = "read"
                row.append(
                    ViewCell(
                        c.text,
                        c.role,
                        c.rowspan,
                        c.colspan,
                        c.key,
                        status,
                        worst.get(c.key) if c.key else None,
                        bool(src and src.get("corrected")),
                    )
                )
            rows.append(row)
        out.append(ViewTable(grid.key, TITLES[grid.key], rows))
    return out
