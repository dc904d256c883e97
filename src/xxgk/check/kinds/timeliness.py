"""Timeliness: the report is published by its deadline (条例 第四十九条)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Context
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.registry import kind
from xxgk.model import Finding


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
