"""`xxgk extract PATH... [--format json|jsonl|table] [--check]`: read reports, print report JSON.

Thin layer over xxgk.extract: one bad file prints one line on stderr and the batch goes on;
the exit code is 1 at the end if any input failed. ``-`` reads stdin.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.cli import app
from xxgk.cli.common import stderr
from xxgk.cli.report_tables import report_tables
from xxgk.extract import ExtractError, extract_bytes, extract_file, iter_inputs
from xxgk.model import Report


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (recursive); '-' reads stdin.")],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="json (one report, or a list for several), jsonl, table.")
    ] = Format.json,
    check: Annotated[bool, typer.Option("--check", help="Add findings from the checks.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """读取年报（HTML/文本/Markdown/PDF/DOCX）并输出报告 JSON。Read annual reports and print report JSON."""
    try:
        failed = _run(paths, format, check, quiet)
    except BrokenPipeError:  # `xxgk extract dir | head`: stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    if failed:
        raise typer.Exit(1)


def _read(item: str | Path, check: bool) -> Report | None:
    """One input as a report, or None after one line on stderr saying why it cannot be read."""
    try:
        if item == "-":
            return extract_bytes(sys.stdin.buffer.read(), "-", check=check)
        return extract_file(item, check=check)
    except ExtractError as exc:
        typer.echo(f"xxgk extract: {exc}", err=True)
    except Exception as exc:  # last line of defence: never a traceback for an input
        typer.echo(
            f"xxgk extract: {item}: internal error while reading: {type(exc).__name__}: {exc}", err=True
        )
    return None


def _run(paths: list[str], format: Format, check: bool, quiet: bool = False) -> int:
    """Read every input; print reports; return how many inputs failed."""
    reports: list[Report] = []
    failed = 0
    inputs: list[str | Path] = []
    for p in paths:
        if p == "-":
            inputs.append("-")
        else:
            inputs.extend(iter_inputs([p]))
    # A progress bar on stderr for several inputs (a directory), as `xxgk audit` has; only on a
    # terminal, so pipes and logs get the reports alone.
    with Progress(
        TextColumn("抽取 extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=quiet or len(inputs) < 2 or not stderr.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("extract", total=len(inputs))
        for item in inputs:
            report = _read(item, check)
            bar.advance(task)
            if report is None:
                failed += 1
            elif format is Format.jsonl:
                typer.echo(report.to_json(indent=None))
            else:
                reports.append(report)
    if format is Format.json:
        if len(reports) == 1 and len(inputs) == 1:
            typer.echo(reports[0].to_json())
        elif reports or inputs:
            typer.echo("[" + ",\n".join(r.to_json() for r in reports) + "]")
    elif format is Format.table:
        typer.echo("\n\n".join(report_tables(r) for r in reports))
    return failed
