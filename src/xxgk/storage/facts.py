"""Given a report dict, return the facts the cross-year rules need; given facts, a report to check.

Facts are the cells that tie a body's report to the year before (annual-report.md C.3 Q7/Q8):
- table 3 二、上年结转 and 四、结转下年度继续办理, every column (X-CARRIED-OVER);
- table 2 规章 / 规范性文件 制发, 废止, 现行有效 (X-STOCK);
- table 4's 尚未审结 column of every row: the cases still pending, which the next year's report
  must conclude — kept so a cross-year reading of table 4 (issue 10's "help" deciding an
  ambiguous cell from last year's carried-forward one) can use them without the report JSON.

Each fact keeps the value's exact text (None when blank) and the cell's provenance status, so
"ambiguous" still makes a check undecidable and "blank" stays distinct from 0 (X-STOCK skips a
blank stock). The cross-year rules then run on a report built from facts alone
(`report_from_facts`): the same pure rule engine, none of the report JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from xxgk.model import Report
from xxgk.storage.compact import expand

STOCK_ROWS = ("regulations", "normative_documents")  # rules.toml X-STOCK rows
STOCK_COLUMNS = ("made", "repealed", "in_force")
CARRY_ROWS = ("carried_over", "carried_forward")
PENDING_COLUMN = "pending"

Fact = tuple[str, str | None, str | None]  # (cell, value text, status)


def is_fact(cell: str) -> bool:
    """Whether "table.row.column" is one of the cells the cross-year rules read."""
    table, _, rest = cell.partition(".")
    row, _, col = rest.partition(".")
    if table == "table3":
        return row in CARRY_ROWS
    if table == "table2":
        return row in STOCK_ROWS and col in STOCK_COLUMNS
    if table == "table4":
        return col == PENDING_COLUMN
    return False


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    return str(value)


def facts_of(report: dict[str, Any]) -> list[Fact]:
    """Every fact cell the report prints (value or blank), and every fact cell with provenance."""
    report = expand(report)  # the stored form too
    sources = report.get("cells") or {}
    out: dict[str, Fact] = {}

    def add(cell: str, value: Any) -> None:
        src = sources.get(cell)
        out[cell] = (cell, _text(value), src.get("status") if isinstance(src, dict) else None)

    t2, t3, t4 = (report.get(t) or {} for t in ("table2", "table3", "table4"))
    for row in STOCK_ROWS:
        for col, value in (t2.get(row) or {}).items():
            if col in STOCK_COLUMNS:
                add(f"table2.{row}.{col}", value)
    for row in CARRY_ROWS:
        for col, value in (t3.get(row) or {}).items():
            add(f"table3.{row}.{col}", value)
    for row, cols in t4.items():
        if cols and PENDING_COLUMN in cols:
            add(f"table4.{row}.{PENDING_COLUMN}", cols[PENDING_COLUMN])
    for cell, src in sources.items():
        if cell not in out and isinstance(src, dict) and is_fact(cell):
            out[cell] = (cell, None, src.get("status"))
    return sorted(out.values())


def _number(text: str | None) -> int | Decimal | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return Decimal(text)


def report_from_facts(
    year: int | None, template: str | None, agency: str | None, facts: Iterable[Fact]
) -> Report:
    """A report holding only its facts: enough for the cross-year rules, nothing else."""
    tables: dict[str, dict[str, dict[str, Any]]] = {"table2": {}, "table3": {}, "table4": {}}
    cells: dict[str, dict[str, Any]] = {}
    for cell, value, status in facts:
        table, row, col = cell.split(".")
        tables[table].setdefault(row, {})[col] = _number(value)
        if status:
            cells[cell] = {"status": status}
    return Report.model_validate(
        {"year": year, "template": template, "agency": agency, **tables, "cells": cells}
    )


def fact_rows(report_id: int, report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The `report_facts` rows of one stored report."""
    for cell, value, status in facts_of(report):
        yield {"report_id": report_id, "cell": cell, "value": value, "status": status}
