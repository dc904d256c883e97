"""Audit outputs: HTML report (html.py), Excel workbook (excel.py), CSV + Parquet (tables.py).

`write_all(db, out_dir)` writes every output. Each file is written under a temporary name and
renamed into place, so a failed or interrupted write never leaves a partial file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from xxgk.files import temp_beside
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


def number(value: object) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        return float(value)
    return None


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


def _sink(name: str, out: Path) -> Sink:
    from xxgk.audit.outputs import excel, tables
    from xxgk.audit.outputs import html as html_out

    if name == "html":
        return html_out.HtmlSink(out)
    if name == "excel":
        return excel.ExcelSink(out)
    return tables.TableSink(out)


def write_sinks(db: Database, out_dir: str | Path, names: Sequence[str] = SINKS) -> dict[str, Path]:
    """The named outputs into `out_dir`, in one pass over the reports; returns {file name: path}."""
    from xxgk.audit import query

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    findings = list(query.iter_findings(db))
    by_report: dict[int, list[FindingInfo]] = {}
    for f in findings:
        by_report.setdefault(f.report_id, []).append(f)
    with ExitStack() as stack:
        sinks = [stack.enter_context(_sink(name, out)) for name in names]
        for report in query.iter_reports(db):
            for sink in sinks:
                sink.add_report(report, by_report.get(report.id, []))
        summary = Summary(findings, query.coverage(db), query.failures(db), query.counts(db))
        written: dict[str, Path] = {}
        for sink in sinks:
            written.update(sink.finish(summary))
    return written


def _write_in_process(url: str, out_dir: str, names: tuple[str, ...]) -> dict[str, Path]:
    from xxgk.storage.db import open_db

    with open_db(url) as db:
        return write_sinks(db, out_dir, names)


def write_all(db: Database, out_dir: str | Path, *, jobs: int = 1) -> dict[str, Path]:
    """Every output into `out_dir`. With jobs > 1 the Excel workbook is written in a second
    process while this one writes the HTML and the CSV/Parquet files (each reads the database)."""
    if jobs <= 1 or (db.url.startswith("sqlite://") and ":memory:" in db.url):
        return write_sinks(db, out_dir)
    with ProcessPoolExecutor(1) as pool:
        excel = pool.submit(_write_in_process, db.url, str(out_dir), ("excel",))
        written = write_sinks(db, out_dir, ("html", "tables"))
        written.update(excel.result())
    return written


__all__ = ["SINKS", "TABLES", "Sink", "Summary", "cell_columns", "write_all", "write_sinks"]
