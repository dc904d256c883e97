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
from xxgk.extract import ExtractError, extract_bytes, extract_file, iter_inputs
from xxgk.model import Report


class InputFormat(StrEnum):
    """What ``--input-format`` may force (xxgk.adapters.INPUT_FORMATS)."""

    html = "html"
    text = "text"
    pdf = "pdf"
    docx = "docx"


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _table(report: Report) -> str:
    lines = [
        f"# {report.source}  template={report.template} year={report.year} agency={report.agency or '-'}"
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
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--input-format", help="Read every input as this format, whatever its name or content."),
    ] = None,
) -> None:
    """读取年报（HTML/文本/Markdown/PDF/DOCX）并输出报告 JSON。Read annual reports and print report JSON."""
    try:
        failed = _run(paths, format, check, input_format.value if input_format else None)
    except BrokenPipeError:  # `xxgk extract dir | head`: stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    if failed:
        raise typer.Exit(1)


def _run(paths: list[str], format: Format, check: bool, input_format: str | None = None) -> int:
    """Read every input; print reports; return how many inputs failed."""
    reports: list[Report] = []
    failed = 0
    inputs: list[str | Path] = []
    for p in paths:
        if p == "-":
            inputs.append("-")
        else:
            inputs.extend(iter_inputs([p]))
    for item in inputs:
        try:
            if item == "-":
                report = extract_bytes(sys.stdin.buffer.read(), "-", check=check, input_format=input_format)
            else:
                report = extract_file(item, check=check, input_format=input_format)
        except ExtractError as exc:
            failed += 1
            typer.echo(f"xxgk extract: {exc}", err=True)
            continue
        except Exception as exc:  # last line of defence: never a traceback for an input
            failed += 1
            typer.echo(
                f"xxgk extract: {item}: internal error while reading: {type(exc).__name__}: {exc}", err=True
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
