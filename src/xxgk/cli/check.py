"""`xxgk check REPORT.json...`: the rule engine over report JSON files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xxgk.check import check as run_check
from xxgk.check import has_errors, summarise
from xxgk.check.describe import describe_cells, rule_title
from xxgk.cli import app
from xxgk.cli.common import Lang, stderr, stdout
from xxgk.i18n import say
from xxgk.model import Finding, Report, ReportFileError, load_report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class CheckFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("check")
def check_command(
    reports: Annotated[
        list[Path], typer.Argument(help="Report JSON files (xxgk-report/1).", show_default=False)
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous", "-p", help="Last year's report of the same agency, for the cross-year rules."
        ),
    ] = None,
    output: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
    ] = CheckFormat.table,
    lang: Annotated[Lang, typer.Option("--lang", help="Message language.")] = Lang.zh,
) -> None:
    """核查年报：勾稽关系、模板版本、完整性、跨年度衔接。Check reports against every rule.

    Exit status: 0 no error, 1 errors found, 2 unusable input (named on stderr).
    """
    prev: Report | None = None
    if previous is not None:
        try:
            prev = load_report(previous)
        except ReportFileError as exc:
            stderr.print(f"xxgk: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
    results: list[Result] = []
    for path in reports:
        try:
            report = load_report(path)
        except ReportFileError as exc:
            stderr.print(f"xxgk: {exc}{_hint(path, lang)}", markup=False, soft_wrap=True)
            results.append(Result(str(path), error=str(exc)))
            continue
        results.append(Result(str(path), report=report, findings=run_check(report, prev)))
    if output is CheckFormat.json:
        stdout.out(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2), highlight=False)
    else:
        for result in results:
            if result.report is not None:
                _print_table(result, lang)
        _print_summary(results, lang)
    unusable = any(r.error for r in results)
    any_errors = any(has_errors(r.findings) for r in results)
    raise typer.Exit(2 if unusable else 1 if any_errors else 0)


def _hint(path: Path, lang: Lang) -> str:
    """A document given where report JSON is expected: say which command reads documents."""
    if path.suffix.lower() == ".json" or not path.is_file():
        return ""
    return "; " + say("cli.not_json_hint", lang.value, path=path)


@dataclass
class Result:
    """One input file: its report and findings, or why it could not be read."""

    source: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        if self.error is not None:
            return {"source": self.source, "error": self.error}
        return {
            "source": self.source,
            "summary": summarise(self.findings),
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }


def _print_table(result: Result, lang: Lang) -> None:
    findings, report = result.findings, result.report
    assert report is not None
    title = f"{result.source}  {report.agency or ''} {report.year or ''} ({report.template or '?'})"
    if not findings:
        stdout.print(
            f"[green]✓[/] {title}：未发现问题" if lang is Lang.zh else f"[green]✓[/] {title}: no findings"
        )
        return
    zh = lang is Lang.zh
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("级别" if zh else "severity")
    table.add_column("规则" if zh else "rule", overflow="fold", min_width=20, max_width=24)
    table.add_column("位置" if zh else "where", overflow="fold", max_width=48)
    table.add_column("应为" if zh else "expected", justify="right")
    table.add_column("实为" if zh else "actual", justify="right")
    table.add_column("说明" if zh else "message", overflow="fold")
    for f in findings:
        sev = say(f"severity.{f.severity}", lang.value)
        where = describe_cells(report.template, f.cells[:1]) if f.cells else ""
        table.add_row(
            f"[{SEVERITY_STYLE[f.severity]}]{sev}[/]",
            f"{rule_title(f.rule, lang.value)}\n{f.rule}",  # the name, then the code unbroken
            where,
            "" if f.expected is None else str(f.expected),
            "" if f.actual is None else str(f.actual),
            f.message if zh else (f.message_en or f.message),
        )
    stdout.print(table)


def _print_summary(results: list[Result], lang: Lang) -> None:
    checked = [r for r in results if r.report is not None]
    totals = summarise(f for r in checked for f in r.findings)
    with_errors = sum(1 for r in checked if has_errors(r.findings))
    failed = len(results) - len(checked)
    if lang is Lang.zh:
        line = (
            f"共核查 {len(checked)} 份报告，{with_errors} 份有错误；"
            f"错误 {totals['error']} 条，警告 {totals['warning']} 条，提示 {totals['info']} 条"
        )
        if failed:
            line += f"；{failed} 个文件无法读取"
    else:
        line = (
            f"{len(checked)} reports checked, {with_errors} with errors; "
            f"{totals['error']} errors, {totals['warning']} warnings, {totals['info']} notes"
        )
        if failed:
            line += f"; {failed} files unusable"
    stdout.print(line)
