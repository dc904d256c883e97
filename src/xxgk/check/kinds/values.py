"""Checks of single values (sign, integrality, plausible amounts) and of which cells a report
has: cells outside the template, and cells the reader inferred or could not decide."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Context
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.naming import TABLE_NAMES, cell_labels, fmt
from xxgk.check.kinds.registry import kind
from xxgk.check.kinds.structure import template_cells
from xxgk.model import Finding
from xxgk.templates import TABLES, Template


def _labels(template: Template | None, cell: str) -> dict[str, Any]:
    assert template is not None  # value rules run only when the template is known
    return cell_labels(template, cell)


@kind("non_negative")
def non_negative(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for cell, cell_kind, value in ctx.typed:
        if value < 0 and cell_kind != "signed":
            yield finding(rule, [cell], actual=value, **_labels(ctx.template, cell))


@kind("integer")
def integer(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for cell, cell_kind, value in ctx.typed:
        if isinstance(value, Decimal) and cell_kind != "amount" and value != value.to_integral_value():
            yield finding(rule, [cell], actual=value, **_labels(ctx.template, cell))


@kind("amount_plausible")
def amount_plausible(rule: Rule, ctx: Context) -> Iterator[Finding]:
    limit = Decimal(rule.params["limit_wan"])
    for cell, cell_kind, value in ctx.typed:
        if cell_kind == "amount" and value >= limit:
            yi = Decimal(value) / 10000
            yield finding(
                rule,
                [cell],
                actual=value,
                detail=fmt(yi.quantize(Decimal("0.01"))),
                **_labels(ctx.template, cell),
            )


@kind("unknown_cells")
def unknown_cells(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.template is None:
        return
    known = template_cells(ctx.template.id)
    for table_key in TABLES:
        extra = [c for c in ctx.values if c.startswith(table_key) and c not in known]
        if extra:
            yield finding(rule, extra, table=TABLE_NAMES[table_key], template=ctx.template.id)


def _cells_by_basis(rule: Rule, ctx: Context, basis: str) -> Iterator[Finding]:
    """One finding per table listing the inferred cells placed on the given basis."""
    by_table: dict[str, list[str]] = {}
    for key, source in ctx.report.cells.items():
        if source.basis == basis and source.status == "inferred":
            by_table.setdefault(key.split(".", 1)[0], []).append(key)
    for table_key in TABLES:
        cells = sorted(by_table.get(table_key, ()))
        if cells:
            yield finding(rule, cells, actual=len(cells), named_by=ctx.template, table=TABLE_NAMES[table_key])


@kind("convention_cells")
def convention_cells(rule: Rule, ctx: Context) -> Iterator[Finding]:
    yield from _cells_by_basis(rule, ctx, "convention")


@kind("inferred_cells")
def inferred_cells(rule: Rule, ctx: Context) -> Iterator[Finding]:
    yield from _cells_by_basis(rule, ctx, "arithmetic")


@kind("ambiguous_cells")
def ambiguous_cells(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for table_key in TABLES:
        cells = sorted(c for c in ctx.ambiguous if c.startswith(table_key + "."))
        if cells:
            yield finding(rule, cells, actual=len(cells), named_by=ctx.template, table=TABLE_NAMES[table_key])
