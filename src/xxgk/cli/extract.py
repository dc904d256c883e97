"""`xxgk extract PATH... [--format json|jsonl|table] [--check]`: read reports, print report JSON.

Thin layer over xxgk.extract: one bad file prints one line on stderr and the batch goes on;
the exit code is 1 at the end if any input failed. ``-`` reads stdin.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from itertools import chain, islice
from pathlib import Path
from typing import Annotated

import typer

from xxgk.cli import app
from xxgk.extract import ExtractError, extract_bytes, extract_file, iter_inputs
from xxgk.files import METADATA_FILES
from xxgk.model import Report


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
) -> None:
    """读取年报（HTML/文本/Markdown/PDF/DOCX）并输出报告 JSON。Read annual reports and print report JSON."""
    try:
        failed = _run(paths, format, check)
    except BrokenPipeError:  # `xxgk extract dir | head`: stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    if failed:
        raise typer.Exit(1)


def _inputs(paths: list[str]) -> Iterator[str | Path]:
    """Every input, lazily; in folders, the sample generator's manifest.json is not a report."""
    for p in paths:
        if p == "-":
            yield "-"
        elif Path(p).is_dir():
            yield from (f for f in iter_inputs([p]) if f.name not in METADATA_FILES)
        else:
            yield from iter_inputs([p])


def _run(paths: list[str], format: Format, check: bool) -> int:
    """Read every input and print each report as soon as it is read (a JSON array for several
    inputs is streamed: `[`, the reports, `]`), so memory holds one report at a time. Returns
    how many inputs failed."""
    failed = 0
    source = _inputs(paths)
    first_two = list(islice(source, 2))
    single = len(first_two) == 1
    printed = 0
    for item in chain(first_two, source):
        try:
            if item == "-":
                report = extract_bytes(sys.stdin.buffer.read(), "-", check=check)
            else:
                report = extract_file(item, check=check)
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
        elif format is Format.table:
            typer.echo(("\n" if printed else "") + _table(report))
        elif single:
            typer.echo(report.to_json())
        else:  # byte for byte what "[" + ",\n".join(reports) + "]" printed before
            typer.echo((",\n" if printed else "[") + report.to_json(), nl=False)
        printed += 1
    if format is Format.json and (first_two and not (single and printed)):
        typer.echo("]" if printed else "[]")
    elif format is Format.table and not printed:
        typer.echo("")
    return failed
