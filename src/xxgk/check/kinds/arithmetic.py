"""Arithmetic identities: row totals, column totals, and balances between rows (annual-report.md A.4)."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Context
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.registry import kind
from xxgk.check.kinds.structure import summed_rows
from xxgk.model import Finding
from xxgk.templates import Table


@kind("row_sum")
def row_sum(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A row's total column equals the sum of its other columns."""
    if ctx.template is None:
        return
    table_key, total = rule.params["table"], rule.params["total"]
    for row in summed_rows(ctx.template.id, table_key):
        total_cell = f"{table_key}.{row.key}.{total}"
        if row.whole and total_cell not in ctx.values:
            continue  # only a report mixing the templates prints the whole row
        if not ctx.decidable(row.cells):
            continue
        yield from _sum_of(rule, ctx, total_cell, [c for c in row.cells if c != total_cell], row=row.title)


@kind("balance")
def balance(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Per column: the sum of the `left` rows equals the sum of the `right` rows."""
    if ctx.template is None:
        return
    table_key = rule.params["table"]
    table = ctx.template.table(table_key)
    for col in table.columns:
        left = [f"{table_key}.{r}.{col.key}" for r in rule.params["left"]]
        right = [f"{table_key}.{r}.{col.key}" for r in rule.params["right"]]
        if not ctx.decidable(left + right):
            continue
        expected = sum((ctx.num(c) for c in left), start=0)
        actual = sum((ctx.num(c) for c in right), start=0)
        if expected != actual:
            yield finding(rule, left + right, expected=expected, actual=actual, column=col.label)


@kind("column_sum")
def column_sum(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Per column: the total row equals the sum of the rows with the given role."""
    if ctx.template is None:
        return
    table_key, total_row = rule.params["table"], rule.params["total"]
    table = ctx.template.table(table_key)
    part_rows = [r.key for r in table.rows_with_role(rule.params["parts"])]
    for col in table.columns:
        total_cell = f"{table_key}.{total_row}.{col.key}"
        parts = [f"{table_key}.{r}.{col.key}" for r in part_rows]
        if not ctx.decidable([total_cell, *parts]):
            parts = _whole_rows_for_parts(ctx, table, col.key, parts)
            if not ctx.decidable([total_cell, *parts]):
                continue
        yield from _sum_of(rule, ctx, total_cell, parts, column=col.label)


def _sum_of(
    rule: Rule, ctx: Context, total_cell: str, parts: list[str], **where: object
) -> Iterator[Finding]:
    """A finding where `total_cell` is not the sum of `parts` (`where`: the row or column named)."""
    expected = sum((ctx.num(c) for c in parts), start=0)
    actual = ctx.num(total_cell)
    if expected != actual:
        blank = ctx.values.get(total_cell) is None
        cells = [total_cell, *parts]
        yield finding(
            rule, cells, expected=expected, actual=actual, actual_blank=blank, named_by=None, **where
        )


def _whole_rows_for_parts(ctx: Context, table: Table, col: str, parts: list[str]) -> list[str]:
    """`parts` with the split rows a report printed whole (2019's （六）其他处理 in a 2021 table,
    whose parts are then undecidable) replaced by the printed row: the sum is still known."""
    out = parts
    for whole, split in table.whole_rows:
        cell = f"{table.key}.{whole}.{col}"
        split_cells = {f"{table.key}.{r}.{col}" for r in split}
        if cell in ctx.values and ctx.decidable([cell]) and not ctx.decidable(split_cells):
            out = [c for c in out if c not in split_cells] + [cell]
    return out
