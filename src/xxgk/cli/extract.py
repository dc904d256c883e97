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

from xxgk.cli import app
from xxgk.extract import MAX_BYTES, ExtractError, extract_bytes, extract_file, iter_inputs
from xxgk.files import InputTooLarge, SkippedInput, display_path, read_bounded
from xxgk.model import Report


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _table(report: Report) -> str:
    lines = [
        f"# {display_path(report.source or '-')}  template={report.template} year={report.year} agency={report.agency or '-'}"
    ]
    for cell, value in report.iter_cells():
        src = report.cells.get(cell)
        status = src.status if src else "-"
        shown = "?" if status == "ambiguous" else ("" if value is None else str(value))
        lines.append(f"{cell}\t{shown}\t{status}")
    for f in report.findings:
        lines.append(f"! {f.severity} {f.rule}: {f.message}")
    return "\n".join(lines)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (recursive); '-' reads stdin.")],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="json (one report, or a list for several), jsonl, table.")
    ] = Format.json,
    check: Annotated[bool, typer.Option("--check", help="Add findings from the checks.")] = False,
) -> None:
    """读取年报（HTML/文本/Markdown/PDF/DOCX）并输出报告 JSON。Read annual reports and print report JSON."""
    try:
        failed = _run(paths, format, check)
    except BrokenPipeError:  # `xxgk extract dir | head`: stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    if failed:
        raise typer.Exit(1)


def _read_stdin() -> bytes:
    """Standard input, bounded like every other input (a pipe from /dev/zero must not exhaust memory)."""
    try:
        return read_bounded(sys.stdin.buffer, MAX_BYTES)
    except InputTooLarge as exc:
        raise ExtractError("-", str(exc)) from None


def _run(paths: list[str], format: Format, check: bool) -> int:
    """Read every input; print reports; return how many inputs failed."""
    reports: list[Report] = []
    failed = 0
    inputs: list[str | Path] = []
    skipped: list[SkippedInput] = []
    for p in paths:
        if p == "-":
            inputs.append("-")
        else:
            inputs.extend(iter_inputs([p], skipped))
    for gone in skipped:  # found in a folder but not a file to read: said, never dropped silently
        failed += 1
        typer.echo(f"xxgk extract: {gone.path}: {gone.reason}", err=True)
    for item in inputs:
        try:
            if item == "-":
                report = extract_bytes(_read_stdin(), "-", check=check)
            else:
                report = extract_file(item, check=check)
        except ExtractError as exc:
            failed += 1
            typer.echo(f"xxgk extract: {exc}", err=True)
            continue
        except Exception as exc:  # last line of defence: never a traceback for an input
            failed += 1
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            typer.echo(
                f"xxgk extract: {display_path(item)}: internal error while reading: {reason}", err=True
            )
            continue
        if format is Format.jsonl:
            typer.echo(report.to_json(indent=None))
        else:
            reports.append(report)
    if format is Format.json:
        if len(reports) == 1 and len(inputs) == 1:
            typer.echo(reports[0].to_json())
        elif reports or inputs:
            typer.echo("[" + ",\n".join(r.to_json() for r in reports) + "]")
    elif format is Format.table:
        typer.echo("\n\n".join(_table(r) for r in reports))
    return failed
