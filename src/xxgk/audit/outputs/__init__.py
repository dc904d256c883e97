"""Audit outputs: HTML report (html.py), Excel workbook (excel.py), CSV + Parquet (tables.py).

`write_all(db, out_dir)` writes every output. Each file is written under a temporary name and
renamed into place, so a failed or interrupted write never leaves a partial file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from xxgk.audit.outputs.values import csv_safe, exact_float, number, spreadsheet_value
from xxgk.files import temp_beside
from xxgk.i18n import Lang, say
from xxgk.storage.db import Database
from xxgk.templates import TABLES, get_template

if TYPE_CHECKING:
    from xxgk.audit.query import Coverage, Failure, FindingInfo, ReportInfo


class Staged:
    """Temporary files beside their targets, all renamed into place on `commit` or removed on exit."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []
        self._committed = False

    def path(self, target: Path) -> Path:
        tmp = temp_beside(target)
        self._files.append((tmp, target))
        return tmp

    def commit(self) -> dict[str, Path]:
        for tmp, target in self._files:
            os.replace(tmp, target)
        self._committed = True
        return {target.name: target for _, target in self._files}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            for tmp, _ in self._files:
                tmp.unlink(missing_ok=True)


def cell_columns(table: str | None = None) -> list[tuple[str, str]]:
    """(cell key, Chinese label) of every template cell, 2021 first then the 2019-only ones."""
    seen: dict[str, str] = {}
    for tid in ("2021", "2019"):
        for c in get_template(tid).cells():
            if (table is None or c.table == table) and c.key not in seen:
                seen[c.key] = f"{c.row.label}·{c.column.label}"
    return list(seen.items())


class Sink(Protocol):
    """One output format. `write_all` streams the current reports past every sink once."""

    def add_report(self, report: ReportInfo, findings: list[FindingInfo]) -> None: ...

    def finish(self, ctx: Summary) -> dict[str, Path]: ...

    def __enter__(self) -> Sink: ...

    def __exit__(self, *exc: object) -> None: ...


@dataclass
class Summary:
    """What the sinks need after the report pass."""

    findings: list[FindingInfo]
    coverage: list[Coverage]
    failures: list[Failure]
    counts: dict[str, int]


SINKS = ("html", "excel", "tables")
WRITER_NAMES = {"html": "index.html", "excel": "audit.xlsx", "tables": "CSV/Parquet"}


@dataclass(frozen=True)
class Options:
    """How the outputs are written: the language of every word, and a workbook sheet per agency."""

    lang: Lang = "zh"
    by_agency: bool = False


Skipped = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def _sink(name: str, out: Path, options: Options) -> Sink:
    from xxgk.audit.outputs import excel, tables
    from xxgk.audit.outputs import html as html_out

    if name == "html":
        return html_out.HtmlSink(out, options.lang)
    if name == "excel":
        return excel.ExcelSink(out, options.lang, by_agency=options.by_agency)
    return tables.TableSink(out)


def write_sinks(
    db: Database,
    out_dir: str | Path,
    names: Sequence[str] = SINKS,
    options: Options | None = None,
    on_skip: Skipped = _stderr,
) -> dict[str, Path]:
    """The named outputs into `out_dir`, in one pass over the reports; returns {file name: path}.

    A writer that fails on one report skips that report — `on_skip` gets one line naming the
    writer, the file and the reason — and writes every other report (issue 11 item 2)."""
    from xxgk.audit import query

    options = options or Options()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    findings = list(query.iter_findings(db))
    by_report: dict[int, list[FindingInfo]] = {}
    for f in findings:
        by_report.setdefault(f.report_id, []).append(f)
    with ExitStack() as stack:
        sinks = [(name, stack.enter_context(_sink(name, out, options))) for name in names]
        for report in query.iter_reports(db):
            for name, sink in sinks:
                try:
                    sink.add_report(report, by_report.get(report.id, []))
                except Exception as exc:  # one report's bad value never costs the others
                    on_skip(
                        say(
                            "cli.writer_skipped",
                            options.lang,
                            writer=WRITER_NAMES[name],
                            path=report.path,
                            reason=f"{type(exc).__name__}: {exc}"[:300],
                        )
                    )
        summary = Summary(findings, query.coverage(db), query.failures(db), query.counts(db))
        written: dict[str, Path] = {}
        for _, sink in sinks:
            written.update(sink.finish(summary))
    return written


def _write_in_process(url: str, out_dir: str, names: tuple[str, ...], options: Options) -> dict[str, Path]:
    from xxgk.storage.db import open_db

    with open_db(url) as db:
        return write_sinks(db, out_dir, names, options)


def write_all(
    db: Database, out_dir: str | Path, *, jobs: int = 1, options: Options | None = None
) -> dict[str, Path]:
    """Every output into `out_dir`. With jobs > 1 the Excel workbook is written in a second
    process while this one writes the HTML and the CSV/Parquet files (each reads the database)."""
    options = options or Options()
    if jobs <= 1 or (db.url.startswith("sqlite://") and ":memory:" in db.url):
        return write_sinks(db, out_dir, options=options)
    with ProcessPoolExecutor(1) as pool:
        excel = pool.submit(_write_in_process, db.url, str(out_dir), ("excel",), options)
        written = write_sinks(db, out_dir, ("html", "tables"), options)
        written.update(excel.result())
    return written


__all__ = [
    "SINKS",
    "TABLES",
    "Options",
    "Sink",
    "Summary",
    "cell_columns",
    "csv_safe",
    "exact_float",
    "number",
    "spreadsheet_value",
    "write_all",
    "write_sinks",
]
