"""Cross-year checks against last year's report of the same agency (annual-report.md A.4)."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Context
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.registry import kind
from xxgk.model import Finding


def _previous_ok(ctx: Context) -> bool:
    prev = ctx.previous
    return prev is not None and (
        prev.year is None or ctx.report.year is None or prev.year == ctx.report.year - 1
    )


@kind("previous_year")
def previous_year(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.previous is not None and not _previous_ok(ctx):
        yield finding(rule, [], expected=ctx.previous.year, actual=ctx.report.year)


@kind("carry_over")
def carry_over(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.template is None or ctx.previous is None or not _previous_ok(ctx):
        return
    prev = Context.of(ctx.previous)
    for col in ctx.template.table3.columns:
        this_cell = f"table3.carried_over.{col.key}"
        prev_cell = f"table3.carried_forward.{col.key}"
        if not ctx.decidable([this_cell]) or not prev.decidable([prev_cell]):
            continue
        expected, actual = prev.num(prev_cell), ctx.num(this_cell)
        if expected != actual:
            f = finding(
                rule,
                [this_cell],
                expected=expected,
                actual=actual,
                actual_blank=ctx.values.get(this_cell) is None,
                column=col.label,
            )
            yield f.model_copy(update={"previous_cells": [prev_cell]})


@kind("stock")
def stock(rule: Rule, ctx: Context) -> Iterator[Finding]:
    prev_report = ctx.previous
    if (
        prev_report is None
        or not _previous_ok(ctx)
        or ctx.report.template != "2021"
        or prev_report.template != "2021"
    ):
        return
    assert ctx.template is not None
    prev = Context.of(prev_report)
    for row_key in rule.params["rows"]:
        row = ctx.template.table2.row(row_key)
        made, repealed, in_force = (f"table2.{row_key}.{c}" for c in ("made", "repealed", "in_force"))
        if not ctx.decidable([made, repealed, in_force]) or not prev.decidable([in_force]):
            continue
        if ctx.report.value(in_force) is None or prev_report.value(in_force) is None:
            continue  # a blank stock says nothing about continuity
        expected = prev.num(in_force) + ctx.num(made) - ctx.num(repealed)
        actual = ctx.num(in_force)
        if expected != actual:
            f = finding(rule, [in_force, made, repealed], expected=expected, actual=actual, row=row.label)
            yield f.model_copy(update={"previous_cells": [in_force]})
