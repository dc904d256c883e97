"""`xxgk compile --agency NAME --year Y`: the annual report of a year, compiled from the register.

Reads the register from the database (or straight from a ledger file with `--ledger`), builds the
tables by construction, fills table 2 and the sections from the office's files (or, without them,
from what the office gave for the year in the web app: `register.inputs`), checks the result,
and writes JSON, DOCX or HTML. `--explain CELL` lists the cases behind one cell; `--publish`
records the report as published (the year is frozen); compiling a published year shows the
difference between the register now and what was published.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from xxgk.cli import app
from xxgk.cli.common import fail
from xxgk.cli.register import DEFAULT_URL, author, load_register, open_database
from xxgk.files import write_atomic


@app.command("compile")
def compile_command(
    agency: Annotated[str, typer.Option("--agency", "-a", help="本机关名称 The agency.")],
    year: Annotated[int, typer.Option("--year", "-y", help="The report year.")],
    db_url: Annotated[str, typer.Option("--db", help="Database URL.")] = DEFAULT_URL,
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", help="Compile straight from a ledger file instead of the database."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or table (stdout, when no --out).")] = "table",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="report.docx, report.html or report.json.")
    ] = None,
    table2: Annotated[
        Path | None,
        typer.Option("--table2", help="Table 2's cells (JSON or TOML); default: those given in the web app."),
    ] = None,
    sections: Annotated[
        Path | None,
        typer.Option(
            "--sections", help="The six sections' texts (TOML); default: those given in the web app."
        ),
    ] = None,
    word_template: Annotated[
        Path | None, typer.Option("--word-template", help="The office's own Word template (docxtpl).")
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option("--explain", help="List the cases behind a cell, e.g. table3.granted.commercial."),
    ] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Record this report as published: the year is frozen.")
    ] = False,
    by: Annotated[str | None, typer.Option("--by", help="Who publishes (default: the login name).")] = None,
) -> None:
    """由登记台账生成年度报告。Compile the year's annual report from the register."""
    from xxgk.register.compile import compile_year, differences, load_table2, render_docx, render_html
    from xxgk.register.construct import template_of
    from xxgk.register.inputs import CompileInputs, load_inputs
    from xxgk.register.sections import load_texts

    if fmt not in ("json", "table"):
        fail(f"--format {fmt!r}: use json or table")
    if out is not None and out.suffix.lower() not in (".docx", ".html", ".json"):
        fail(f"{out}: compile writes .docx, .html or .json")
    if ledger is not None and publish:
        fail("--publish needs the database (not --ledger)")
    db = None
    try:
        template = template_of(year)
        if ledger is not None:
            from xxgk.register.ledger import read_ledger

            register = read_ledger(ledger, agency)
        else:
            db = open_database(db_url)
            register = load_register(db, agency)
        # Without --table2/--sections, what the office gave for the year in the web app, if any.
        stored = load_inputs(db, agency, year) if db is not None else CompileInputs()
        compiled = compile_year(
            register,
            year,
            table2=load_table2(table2, template.id) if table2 else stored.table2,
            texts=load_texts(sections) if sections else stored.texts,
            texts_origin=str(sections) if sections else stored.texts_origin,
        )
        report = compiled.report
        if db is not None:
            from xxgk.register.store import publish as record
            from xxgk.register.store import published

            before = published(db, agency, year)
            if before is not None:
                diff = differences(before, report)
                sys.stderr.write(
                    f"xxgk: {agency} {year} is published; the register now differs in {len(diff)} cell(s)\n"
                )
                for cell, old, new in diff:
                    sys.stderr.write(f"  {cell}: published {old} → now {new}\n")
                if publish:
                    fail(f"{agency} {year}: already published; a published report is not replaced")
            if publish:
                record(db, agency, report, author=author(by))
        if explain is not None:
            numbers = compiled.construction.explain(explain)
            print(f"{explain} = {report.value(explain)} ({len(numbers)} case(s))")
            for number in numbers:
                print(number)
            return
        if out is not None:
            suffix = out.suffix.lower()
            if suffix == ".docx":
                data = render_docx(report, word_template)
            elif suffix == ".html":
                data = render_html(report)
            else:
                data = report.to_json().encode("utf-8")
            write_atomic(out, data)
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
        raise AssertionError from None
    finally:
        if db is not None:
            db.close()
    errors = [f for f in compiled.findings if f.severity == "error"]
    if out is None and fmt == "json":
        report.findings = compiled.findings
        print(report.to_json())
    elif out is None:
        _print_summary(report)
    t3 = report.table3
    summary = (
        f"{agency} {year} ({report.template}): 新收 {t3['new']['total']}, 上年结转 {t3['carried_over']['total']}, "
        f"办结 {t3['total']['total']}, 结转下年度 {t3['carried_forward']['total']}; "
        f"{len(errors)} error(s), {len(compiled.findings) - len(errors)} other finding(s)"
    )
    print(summary + (f"; wrote {out}" if out else "") + ("; published" if publish else ""), file=sys.stderr)
    raise typer.Exit(1 if errors else 0)


def _print_summary(report: object) -> None:
    from xxgk.model import Report

    assert isinstance(report, Report)
    for cell, value in report.iter_cells():
        print(f"{cell}\t{'' if value is None else value}")
