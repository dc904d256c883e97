"""`xxgk render REPORT.json --layout NAME [-o OUT]`: write a report as a test document.

Thin layer over `xxgk.render`; DOCX goes through `xxgk.render.docx.render_docx` (another
module, imported only when asked for).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from xxgk.cli import app
from xxgk.files import write_atomic
from xxgk.model import ReportFileError, load_report
from xxgk.render import LAYOUTS, RenderError, render


def _fail(message: str) -> typer.Exit:
    typer.echo(f"xxgk render: {message}", err=True)
    return typer.Exit(2)


def write_output(data: bytes, out: Path | None) -> None:
    """Write to `out` atomically (no partial file on failure), or to stdout."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomic(out, data)


@app.command("render")
def render_command(
    report: Annotated[
        Path | None, typer.Argument(help="报告 JSON 文件 (xxgk-report/1). The report JSON.")
    ] = None,
    layout: Annotated[
        str, typer.Option("--layout", "-l", help="版式 Layout family (see --list-layouts).")
    ] = "html",
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="输出文件 Output file (default: stdout).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="docx: write a Word document instead of a layout.")
    ] = None,
    list_layouts: Annotated[
        bool, typer.Option("--list-layouts", help="列出版式 List the layout families.")
    ] = False,
) -> None:
    """把报告 JSON 渲染成测试文档。Render a report JSON into one of the layouts real reports come in."""
    if list_layouts:
        width = max(len(n) for n in LAYOUTS)
        for name, spec in LAYOUTS.items():
            typer.echo(f"{name:<{width}}  {spec.suffix:<6} {spec.description}")
        return
    if report is None:
        raise _fail("missing REPORT.json (or use --list-layouts)")
    try:
        data = load_report(report)
    except ReportFileError as exc:
        raise _fail(str(exc)) from None
    if to is not None and to != "docx":
        raise _fail(f"--to {to!r} is not supported (only 'docx')")
    try:
        if to == "docx":
            try:
                from xxgk.render.docx import render_docx
            except ImportError:
                raise _fail("DOCX output is not available (xxgk.render.docx is not installed)") from None
            payload = render_docx(data)
        else:
            if layout not in LAYOUTS:
                raise _fail(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
            payload = render(data, layout)
    except RenderError as exc:
        raise _fail(f"{report}: {exc}") from None
    if out is None and to == "docx" and sys.stdout.isatty():
        raise _fail("a DOCX file is binary: give -o FILE.docx or redirect standard output")
    try:
        write_output(payload, out)
    except OSError as exc:
        raise _fail(f"{out}: cannot write: {exc.strerror}") from None
