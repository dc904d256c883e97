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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.cli import app
from xxgk.cli.common import stderr
from xxgk.cli.report_tables import report_tables
from xxgk.extract import MAX_BYTES, ExtractError, extract_bytes, extract_file, iter_inputs
from xxgk.files import METADATA_FILES, InputTooLarge, SkippedInput, display_path, read_bounded
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


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (recursive); '-' reads stdin.")],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="json (one report, or a list for several), jsonl, table.")
    ] = Format.json,
    check: Annotated[bool, typer.Option("--check", help="Add findings from the checks.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--input-format", help="Read every input as this format, whatever its name or content."),
    ] = None,
) -> None:
    """读取年报（HTML/文本/Markdown/PDF/DOCX）并输出报告 JSON。Read annual reports and print report JSON."""
    try:
        failed = _run(paths, format, check, quiet, input_format.value if input_format else None)
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


def _read(item: str | Path, check: bool, input_format: str | None) -> Report | None:
    """One input as a report, or None after one line on stderr saying why it cannot be read."""
    try:
        if item == "-":
            return extract_bytes(_read_stdin(), "-", check=check, input_format=input_format)
        return extract_file(item, check=check, input_format=input_format)
    except ExtractError as exc:
        typer.echo(f"xxgk extract: {exc}", err=True)
    except Exception as exc:  # last line of defence: never a traceback for an input
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        typer.echo(f"xxgk extract: {display_path(item)}: internal error while reading: {reason}", err=True)
    return None


def _inputs(paths: list[str], skipped: list[SkippedInput]) -> Iterator[str | Path]:
    """Every input, lazily; in folders, the sample generator's manifest.json is not a report.
    What a folder holds that is not a file to read goes to `skipped`, with its reason."""
    for p in paths:
        if p == "-":
            yield "-"
        elif Path(p).is_dir():
            yield from (f for f in iter_inputs([p], skipped) if f.name not in METADATA_FILES)
        else:
            yield from iter_inputs([p], skipped)


def _run(
    paths: list[str], format: Format, check: bool, quiet: bool = False, input_format: str | None = None
) -> int:
    """Read every input and print each report as soon as it is read (a JSON array for several
    inputs is streamed: `[`, the reports, `]`), so memory holds one report at a time. Returns
    how many inputs failed, counting what folders hold that cannot be read as a file."""
    failed = 0
    skipped: list[SkippedInput] = []
    source = _inputs(paths, skipped)
    first_two = list(islice(source, 2))
    single = len(first_two) == 1
    printed = 0
    # A progress bar on stderr for several inputs (a directory), as `xxgk audit` has; only on a
    # terminal, so pipes and logs get the reports alone. The count of inputs is not known ahead:
    # they are listed as they are read.
    with Progress(
        TextColumn("抽取 extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=quiet or len(first_two) < 2 or not stderr.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("extract", total=None)
        for item in chain(first_two, source):
            report = _read(item, check, input_format)
            bar.advance(task)
            if report is None:
                failed += 1
                continue
            if format is Format.jsonl:
                typer.echo(report.to_json(indent=None))
            elif format is Format.table:
                typer.echo(("\n" if printed else "") + report_tables(report))
            elif single:
                typer.echo(report.to_json())
            else:  # byte for byte what "[" + ",\n".join(reports) + "]" printed before
                typer.echo((",\n" if printed else "[") + report.to_json(), nl=False)
            printed += 1
    if format is Format.json and (first_two and not (single and printed)):
        typer.echo("]" if printed else "[]")
    elif format is Format.table and not printed:
        typer.echo("")
    for gone in skipped:  # found in a folder but not a file to read: said, never dropped silently
        failed += 1
        typer.echo(f"xxgk extract: {gone.path}: {gone.reason}", err=True)
    return failed
