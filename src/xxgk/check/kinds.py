"""The kinds of check a rule can be. Each is a pure function (rule, context) -> findings.

A rule in rules.toml names its kind and parameters; the engine looks the kind up here. Blank
cells count as 0 (annual-report.md A.4: "Blank ≠ error"), ambiguous cells make a check undecidable,
so any identity touching one is skipped (and V-AMBIGUOUS lists them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, cached_property
from typing import Any

from xxgk.check.catalogue import Rule
from xxgk.model import Finding, Report, split_cell
from xxgk.templates import TABLES, Row, Table, Template, get_template
from xxgk.text import fold

Num = int | Decimal
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


@dataclass
class Context:
    """What a check sees: the report, its template, last year's report, and the undecidable cells."""

    report: Report
    template: Template | None
    previous: Report | None = None
    ambiguous: frozenset[str] = field(default_factory=frozenset)
    values: dict[str, Num | None] = field(default_factory=dict)

    @classmethod
    def of(cls, report: Report, previous: Report | None = None) -> Context:
        template = get_template(report.template) if report.template else None
        ambiguous = frozenset(k for k, s in report.cells.items() if s.status == "ambiguous")
        return cls(report, template, previous, ambiguous, dict(report.iter_cells()))

    def num(self, cell: str) -> Num:
        """The value for arithmetic: blank and absent cells count as 0."""
        value = self.values.get(cell)
        return 0 if value is None else value

    @cached_property
    def typed(self) -> list[tuple[str, str, Num]]:
        """Every non-blank template cell with its kind (count, signed, amount)."""
        if self.template is None:
            return []
        kinds = _cell_kinds(self.template.id)
        return [(c, kinds[c], v) for c, v in self.values.items() if v is not None and c in kinds]

    def decidable(self, cells: Iterable[str]) -> bool:
        return not any(c in self.ambiguous for c in cells)


Kind = Callable[[Rule, Context], Iterator[Finding]]
KINDS: dict[str, Kind] = {}


def kind(name: str) -> Callable[[Kind], Kind]:
    def register(fn: Kind) -> Kind:
        KINDS[name] = fn
        return fn

    return register


# ------------------------------------------------------------------ formatting
def fmt(value: object) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
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


MAX_NAMED = 10  # a message lists at most this many cells by name, then says how many more


def _named_cells(template: Template | None, cells: Sequence[str], lang: str) -> str:
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


def finding(
    rule: Rule,
    cells: Sequence[str],
    *,
    expected: Num | str | None = None,
    actual: Num | str | None = None,
    actual_blank: bool = False,
    named_by: Template | None = None,
    **fields: object,
) -> Finding:
    """A finding of `rule`. Messages name cells as the template prints them (`named_by`), and
    say 未填/blank, not 0, when the cell compared is blank (`actual_blank`)."""
    raw: dict[str, object] = {"expected": expected, "actual": actual, **fields}
    values = {k: fmt(v) for k, v in raw.items()}
    zh, en = _Defaults(values), _Defaults(values)
    if "{cells}" in rule.zh or "{cells}" in rule.en:
        zh["cells"] = _named_cells(named_by, cells, "zh")
        en["cells"] = _named_cells(named_by, cells, "en")
    if actual_blank:
        zh["actual"], en["actual"] = "未填", "blank"
    # model_construct: every field is built here with its declared type, so skip re-validation
    # (findings are the hot path when a corpus is full of errors).
    return Finding.model_construct(
        rule=rule.id,
        severity=rule.severity,
        cells=list(cells),
        expected=expected,
        actual=actual,
        message=rule.zh.format_map(zh),
        message_en=rule.en.format_map(en),
    )


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


# ------------------------------------------------------------------ structure, cached per template
@cache
def _row_cells(template_id: str, table_key: str) -> tuple[tuple[Row, tuple[str, ...]], ...]:
    table = get_template(template_id).table(table_key)
    return tuple((row, tuple(f"{table_key}.{row.key}.{c.key}" for c in row.columns)) for row in table.rows)


@cache
def _template_cells(template_id: str) -> frozenset[str]:
    return frozenset(c.key for c in get_template(template_id).cells())


@cache
def _cell_kinds(template_id: str) -> dict[str, str]:
    return {c.key: c.column.kind for c in get_template(template_id).cells()}


# ------------------------------------------------------------------ arithmetic
@kind("row_sum")
def row_sum(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A row's total column equals the sum of its other columns."""
    if ctx.template is None:
        return
    table_key, total = rule.params["table"], rule.params["total"]
    table = ctx.template.table(table_key)
    for row, cells in _row_cells(ctx.template.id, table_key):
        total_cell = f"{table_key}.{row.key}.{total}"
        parts = [c for c in cells if c != total_cell]
        if not ctx.decidable(cells):
            continue
        expected = sum((ctx.num(c) for c in parts), start=0)
        actual = ctx.num(total_cell)
        if expected != actual:
            yield finding(
                rule,
                [total_cell, *parts],
                expected=expected,
                actual=actual,
                actual_blank=ctx.values.get(total_cell) is None,
                row=row_title(table, row),
            )
    yield from _whole_row_sums(rule, ctx, table, total)


def _whole_row_sums(rule: Rule, ctx: Context, table: Table, total: str) -> Iterator[Finding]:
    """The row sum of a row an older template prints whole (2019's （六）其他处理 in a 2021 table,
    kept beside the template's cells): its own numbers still have to add up."""
    for whole, split in table.whole_rows:
        cells = [f"{table.key}.{whole}.{c.key}" for c in table.columns]
        total_cell = f"{table.key}.{whole}.{total}"
        if total_cell not in ctx.values or not ctx.decidable(cells):
            continue
        parts = [c for c in cells if c != total_cell]
        expected = sum((ctx.num(c) for c in parts), start=0)
        actual = ctx.num(total_cell)
        if expected != actual:
            group = table.row(split[0]).group
            number, label = next((n, lab) for k, n, lab in table.groups if k == group)
            yield finding(
                rule,
                [total_cell, *parts],
                expected=expected,
                actual=actual,
                actual_blank=ctx.values.get(total_cell) is None,
                row=f"{number}{label}",
            )


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
        expected = sum((ctx.num(c) for c in parts), start=0)
        actual = ctx.num(total_cell)
        if expected != actual:
            yield finding(
                rule,
                [total_cell, *parts],
                expected=expected,
                actual=actual,
                actual_blank=ctx.values.get(total_cell) is None,
                column=col.label,
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


# ------------------------------------------------------------------ values
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
    known = _template_cells(ctx.template.id)
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


# ------------------------------------------------------------------ template and completeness
@kind("template_known")
def template_known(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.template is None:
        yield finding(rule, [])


@kind("template_year")
def template_year(rule: Rule, ctx: Context) -> Iterator[Finding]:
    year, template = ctx.report.year, ctx.report.template
    if year is None:
        return
    direction = rule.params["direction"]
    if (
        (direction == "outdated" and template == "2019" and year >= 2021)
        or (direction == "early" and template == "2021" and year <= 2020)
        or (direction == "pre2019" and year < 2019)
    ):
        yield finding(rule, [], expected=_expected_template(year), actual=year)


def _expected_template(year: int) -> str | None:
    from xxgk.templates import template_for_year

    template = template_for_year(year)
    return template.id if template else None


@kind("sections")
def sections(rule: Rule, ctx: Context) -> Iterator[Finding]:
    numbers = [s.number for s in ctx.report.sections]
    missing = [n for n in range(1, 7) if n not in numbers]
    problems = []
    if not numbers:
        problems.append("未提取到任何部分")
    elif missing:
        problems.append("缺少第" + "、".join(_CN[n] for n in missing) + "部分")
    if numbers != sorted(numbers):
        problems.append("顺序为 " + "、".join(_CN[n] for n in numbers))
    if problems:
        yield finding(
            rule,
            [],
            expected="一至六",
            actual="、".join(_CN[n] for n in numbers) or "无",
            detail="；".join(problems),
        )


_CN = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}


@kind("agency_known")
def agency_known(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """`agency: null` is a finding, not only a note (issue 10): the reader leaves it null rather
    than print a fragment, and an unnamed report links to no series."""
    if not (ctx.report.agency or "").strip():
        yield finding(rule, [])


@kind("template_cells")
def template_cells(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.template is None:
        return
    for table in ctx.template.tables:
        data = ctx.report.table_data(table.key)
        for row, cells in _row_cells(ctx.template.id, table.key):
            present = data.get(row.key, {})
            missing = [c for c in cells if c.rsplit(".", 1)[1] not in present]
            if missing:
                yield finding(
                    rule,
                    missing,
                    named_by=ctx.template,
                    table=TABLE_NAMES[table.key],
                    row=row_title(table, row),
                )


# ------------------------------------------------------------------ cross-year
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


# ------------------------------------------------------------------ text against tables, timeliness
@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


@kind("text_number")
def text_number(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A number the narrative states must equal the table cell it describes (Q10)."""
    cell = rule.params["cell"]
    if ctx.report.template is None or not ctx.decidable([cell]) or not ctx.report.has(cell):
        return
    wanted = set(rule.params["sections"])
    text = "\n".join(fold(s.text) for s in ctx.report.sections if s.number in wanted)
    for pattern in _compiled(tuple(rule.params["patterns"])):
        match = pattern.search(text)
        if match:
            stated = int(match.group(1))
            if stated != ctx.num(cell):
                yield finding(rule, [cell], expected=ctx.num(cell), actual=stated)
            return


@kind("timeliness")
def timeliness(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Departments publish by 31 January, people's governments by 31 March (条例 第四十九条)."""
    published, year = ctx.report.published, ctx.report.year
    if published is None or year is None:
        return
    agency = ctx.report.agency or ""
    is_government = re.search(rule.params["government_pattern"], agency) is not None
    month, day = (
        int(x)
        for x in rule.params["government_deadline" if is_government else "department_deadline"].split("-")
    )
    deadline = date(year + 1, month, day)
    if published > deadline:
        yield finding(rule, [], expected=deadline.isoformat(), actual=published.isoformat())
