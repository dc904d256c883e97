"""Template and completeness: the template is known and fits the year, the six sections are
there in order, the agency is named, and every template cell is printed."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Context
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.naming import TABLE_NAMES, row_title
from xxgk.check.kinds.registry import kind
from xxgk.check.kinds.structure import row_cells
from xxgk.model import Finding
from xxgk.templates import template_for_year


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
        expected = template_for_year(year)
        yield finding(rule, [], expected=expected.id if expected else None, actual=year)


_CN = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}


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
        for row, cells in row_cells(ctx.template.id, table.key):
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
