"""Given a report, return its tables 2–4 drawn as the template prints them (`extract --format
table`): the printed row labels down the side, the printed column labels across, 未填 for a
blank the document printed, 存疑 for a cell the layout could not decide (its candidate readings
listed under the table) and * after a value placed by the table's arithmetic."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table

from xxgk.audit.outputs.cells import candidates_of
from xxgk.check.describe import describe_cell, rule_label
from xxgk.check.kinds import TABLE_NAMES, fmt, row_title
from xxgk.i18n import say
from xxgk.model import Report
from xxgk.templates import Row, get_template

WIDTH = 160


def _blocks(rows: tuple[Row, ...]) -> list[list[Row]]:
    """Consecutive rows with the same columns: table 2 prints one header per block."""
    out: list[list[Row]] = []
    for row in rows:
        if out and [c.key for c in out[-1][0].columns] == [c.key for c in row.columns]:
            out[-1].append(row)
        else:
            out.append([row])
    return out


def _cell(report: Report, key: str, notes: list[str]) -> str:
    src = report.cells.get(key)
    if src is not None and src.status == "ambiguous":
        readings = " / ".join(candidates_of(src.model_dump())) or "—"
        notes.append(f"{say('value.ambiguous')}：{describe_cell(report.template, key)}：{readings}")
        return say("value.ambiguous")
    value = report.value(key)
    if value is None:
        return say("value.blank") if report.has(key) else ""
    return fmt(value) + ("*" if src is not None and src.status == "inferred" else "")


def report_tables(report: Report) -> str:
    """The report's header line, its three tables, and its findings (when checked)."""
    out = StringIO()
    console = Console(file=out, width=WIDTH, highlight=False, soft_wrap=False, color_system=None)
    console.print(
        f"# {report.source}  {report.agency or say('value.unknown_agency')}  "
        f"{report.year or say('value.unknown_year')}  {say('field.template')} {report.template or '—'}",
        markup=False,
    )
    if report.template is None:
        return out.getvalue().rstrip()  # no template: no tables to draw (TPL-MISSING says why)
    template = get_template(report.template)
    inferred = False
    for table in template.tables:
        notes: list[str] = []
        for i, rows in enumerate(_blocks(table.rows)):
            title = f"{TABLE_NAMES[table.key]} {table.title}" if i == 0 else None
            grid = Table(title=title, title_justify="left", box=box.SQUARE, show_lines=False)
            grid.add_column("", overflow="fold", max_width=48)
            for col in rows[0].columns:
                grid.add_column(col.label, justify="right")
            for row in rows:
                cells = [_cell(report, f"{table.key}.{row.key}.{c.key}", notes) for c in row.columns]
                inferred = inferred or any(c.endswith("*") for c in cells)
                grid.add_row(row_title(table, row), *cells)
            console.print(grid)
        for note in notes:
            console.print(f"  {note}", markup=False)
    if inferred:
        console.print(f"* {say('status.inferred')}", markup=False)
    for f in report.findings:
        line = f"! {say('severity.' + f.severity)} {rule_label(f.rule)}：{f.message}"
        console.print(line, markup=False, soft_wrap=True)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip().splitlines())
