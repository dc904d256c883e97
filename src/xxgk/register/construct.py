"""Given a register and a year, the report's tables 3 and 4 and table 2's fee cell, by
construction (register.md R.3, R.4, R.6), with the list of cases behind every cell.

Table 3, per applicant-type column (总计 = their sum):
- 一 new = received in Y;  二 carried_over = received before Y, not concluded before Y;
- each disposal row = replied in Y under its outcome;  （七）total = the disposal rows' sum;
- 四 carried_forward = received ≤ Y-12-31 and not concluded in or before Y.
Hence 一 + 二 = （七） + 四 in every column and next year's 二 = this year's 四, always.

Table 4, per kind: the cases open at some point in Y (filed ≤ Y-12-31, closed empty or in/after Y);
closed in Y under their result, still open at Y-12-31 as 尚未审结; 总计 = the four together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xxgk.model import CellSource, Report
from xxgk.register.cases import Application, Register
from xxgk.register.errors import RegisterError
from xxgk.register.fees import collected_in, to_wan
from xxgk.templates import Template, template_for_year

FEE_CELL = "table2.fees.amount_wan"


@dataclass
class Construction:
    """The tables of one year and, for every cell, the numbers of the cases counted in it."""

    report: Report
    members: dict[str, list[str]] = field(default_factory=dict)
    fee_yuan: Decimal = Decimal(0)

    def explain(self, cell: str) -> list[str]:
        """The numbers of the applications or cases counted in `cell`."""
        if cell.startswith("table2.") and cell != FEE_CELL:
            raise RegisterError(f"{cell}: typed from the office's table 2 input, not counted from cases")
        try:
            known = cell in self.members or self.report.has(cell)
        except KeyError:  # not table.row.column, or no such table: the same answer, not a traceback
            known = False
        if not known:
            raise RegisterError(
                f"{cell}: not a cell of the {self.report.template} template's tables 3/4 or the fee cell"
            )
        return sorted(self.members.get(cell, []))


def template_of(year: int) -> Template:
    template = template_for_year(year)
    if template is None:
        raise RegisterError(f"{year}: no national report template before 2019")
    return template


def unconcluded_without_outcome(apps: list[Application], year: int) -> list[str]:
    return sorted(
        a.number for a in apps if a.replied is not None and a.replied.year == year and not a.outcome
    )


def construct(register: Register, year: int) -> Construction:
    """Tables 3 and 4 of `year` (and the fee cell, 万元) from the register's current cases.

    A case replied in `year` with no outcome cannot be counted in any disposal row: refused
    (RegisterError naming the cases), never left out silently.
    """
    template = template_of(year)
    missing = unconcluded_without_outcome(register.applications, year)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise RegisterError(
            f"{register.agency} {year}: {len(missing)} replied application(s) have no outcome: {shown}"
        )
    first, last = date(year, 1, 1), date(year, 12, 31)
    t3 = template.table3
    columns = [c.key for c in t3.columns if c.key != "total"]
    disposal = [r.key for r in t3.rows_with_role("disposal")]
    members: dict[str, list[str]] = defaultdict(list)

    def count(row: str, col: str, number: str) -> None:
        members[f"table3.{row}.{col}"].append(number)
        members[f"table3.{row}.total"].append(number)

    for app in register.applications:
        col = app.applicant_type
        concluded_before = app.replied is not None and app.replied < first
        if first <= app.received <= last:
            count("new", col, app.number)
        if app.received < first and not concluded_before:
            count("carried_over", col, app.number)
        if app.replied is not None and first <= app.replied <= last:
            if app.outcome not in disposal:
                raise RegisterError(
                    f"{register.agency} {year}: application {app.number}: outcome {app.outcome!r} is not a row of the {template.id} template"
                )
            count(app.outcome, col, app.number)
            count("total", col, app.number)
        if app.received <= last and (app.replied is None or app.replied > last):
            count("carried_forward", col, app.number)

    report = Report(
        agency=register.agency, year=year, template=template.id, source=f"register:{register.agency}"
    )
    for row in t3.rows:
        for col in [*columns, "total"]:
            key = f"table3.{row.key}.{col}"
            report.set(key, len(members.get(key, [])), _computed(len(members.get(key, []))))

    for case in register.cases:
        if case.filed > last or (case.closed is not None and case.closed < first):
            continue
        if case.closed is not None and case.closed <= last:
            if case.result is None:
                raise RegisterError(f"{register.agency} {year}: case {case.number} is closed with no result")
            result = case.result
        else:
            result = "pending"
        members[f"table4.{case.kind}.{result}"].append(case.number)
        members[f"table4.{case.kind}.total"].append(case.number)
    for row in template.table4.rows:
        for column in template.table4.columns:
            key = f"table4.{row.key}.{column.key}"
            report.set(key, len(members.get(key, [])), _computed(len(members.get(key, []))))

    yuan, paid = collected_in(year, register.applications)
    members[FEE_CELL] = paid
    if template.has_cell(FEE_CELL):
        report.set(FEE_CELL, to_wan(yuan), _computed(to_wan(yuan), "按 R.6 由台账计算"))
    return Construction(report, dict(members), yuan)


def _computed(value: int | Decimal, note: str = "由登记台账按 R.3/R.4 计算") -> CellSource:
    return CellSource(status="read", text=str(value), note=note)
