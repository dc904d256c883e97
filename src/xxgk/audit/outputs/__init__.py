"""Audit outputs: HTML report (html.py), Excel workbook (excel.py), CSV + Parquet (tables.py).

`write_all(db, out_dir)` writes every output. Each file is written under a temporary name and
renamed into place, so a failed or interrupted write never leaves a partial file; a file whose
new content equals the old is left untouched.

Incremental (issue 16): `out_dir/.xxgk-outputs.json` records the database state the outputs
show (`query.output_state`), the options they were written with, and the audit run they were
written after. When both are the same, nothing is written. Otherwise the sinks get
`Summary.changes` (`query.changes_since` that run: the reports and agencies that changed), so a
writer with per-agency parts can rewrite only those; a writer that ignores it rewrites
everything, which is still correct.
"""

from __future__ import annotations

import filecmp
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from xxgk.audit.outputs.values import csv_safe, exact_float, number, spreadsheet_value
from xxgk.files import temp_beside, write_atomic
from xxgk.i18n import Lang, say
from xxgk.storage.db import Database
from xxgk.templates import TABLES, get_template

if TYPE_CHECKING:
    from xxgk.audit.query import Changes, Coverage, Failure, FindingInfo, ReportInfo


class Staged:
    """Temporary files beside their targets, all renamed into place on `commit` or removed on exit."""

    def __init__(self) -> None:
        self._files: list[tuple[str, str]] = []
        # Folders of many files (an agency page each: ~25,000 at 100,000 reports) are one entry
        # each, their files listed from the disk on commit: nothing held per file (issue 16).
        self._folders: list[tuple[str, str]] = []
        self._committed = False

    def path(self, target: Path) -> Path:
        tmp = temp_beside(target)
        self._files.append((str(tmp), str(target)))
        return tmp

    def folder(self, target: Path) -> Path:
        """A temporary folder beside the folder `target`: each file written in it is moved into
        `target` on `commit` (all removed on exit without one)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.")
        self._folders.append((tmp, str(target)))
        return Path(tmp)

    def commit(self) -> dict[str, Path]:
        """Every staged file into place; returns {file name: path} of the files (a folder's
        files are not listed)."""
        for tmp, target in self._files:
            _replace(tmp, target)
        for tmp, target in self._folders:
            os.makedirs(target, exist_ok=True)
            with os.scandir(tmp) as entries:
                for entry in entries:
                    _replace(entry.path, os.path.join(target, entry.name))
            os.rmdir(tmp)
        self._committed = True
        return {os.path.basename(target): Path(target) for _, target in self._files}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            for tmp, _ in self._files:
                Path(tmp).unlink(missing_ok=True)
            for tmp, _ in self._folders:
                shutil.rmtree(tmp, ignore_errors=True)


def _replace(tmp: str, target: str) -> None:
    if os.path.exists(target) and filecmp.cmp(tmp, target, shallow=False):
        os.unlink(tmp)  # unchanged: keep the old file (and its mtime), rewrite nothing
    else:
        os.replace(tmp, target)


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

    findings: Iterable[FindingInfo]  # re-iterable (query.Findings): read from the database per pass
    coverage: Iterable[Coverage]  # re-iterable (query.Coverages), like findings
    failures: list[Failure]
    counts: dict[str, int]
    changes: Changes | None = None  # None: write everything


SINKS = ("html", "excel", "tables")
WRITER_NAMES = {"html": "index.html", "excel": "audit.xlsx", "tables": "CSV/Parquet"}


@dataclass(frozen=True)
class Options:
    """How the outputs are written: the language of every word, a workbook sheet per agency, and
    the per-cell outputs.

    `cells`: the workbook's template sheets (a row of ~246 cells a report) and `cells.csv` /
    `cells.parquet` (a row a cell). They cost most of the output phase's CPU, so a default audit
    leaves them out (issue 16: the integrator's choice (b)); the findings, the flagged-cells
    sheet, the agency summary, `reports.csv` (every report's values, one row each) and the HTML
    report (whose agency pages show every report's tables) are always written."""

    lang: Lang = "zh"
    by_agency: bool = False
    cells: bool = False


CELL_FILES = ("cells.csv", "cells.parquet")  # written only with Options.cells


Skipped = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def _sink(name: str, out: Path, options: Options) -> Sink:
    from xxgk.audit.outputs import excel, tables
    from xxgk.audit.outputs import html as html_out

    if name == "html":
        return html_out.HtmlSink(out, options.lang)
    if name == "excel":
        return excel.ExcelSink(out, options.lang, by_agency=options.by_agency, cells=options.cells)
    return tables.TableSink(out, cells=options.cells)


def write_sinks(
    db: Database,
    out_dir: str | Path,
    names: Sequence[str] = SINKS,
    options: Options | None = None,
    on_skip: Skipped = _stderr,
    changes: Changes | None = None,
) -> dict[str, Path]:
    """The named outputs into `out_dir`, in one pass over the reports; returns {file name: path}.

    A writer that fails on one report skips that report — `on_skip` gets one line naming the
    writer, the file and the reason — and writes every other report (issue 11 item 2)."""
    from xxgk.audit import query

    options = options or Options()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        sinks = [(name, stack.enter_context(_sink(name, out, options))) for name in names]
        # Reports stream past the sinks with their findings, a chunk of reports at a time. A chunk
        # is held whole, each report expanded (~100 KB: every cell's source as a dict), so it is
        # kept small: 500 reports were ~50 MB of each writing process's peak (issue 16).
        for chunk, by_report in query.iter_report_chunks(db, chunk=100):
            for report in chunk:
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
        summary = Summary(
            query.Findings(db), query.Coverages(db), query.failures(db), query.counts(db), changes
        )
        written: dict[str, Path] = {}
        for _, sink in sinks:
            written.update(sink.finish(summary))
    return written


def _write_in_process(
    url: str, out_dir: str, names: tuple[str, ...], options: Options, changes: Changes | None
) -> dict[str, Path]:
    from xxgk.storage.db import open_db

    with open_db(url) as db:
        return write_sinks(db, out_dir, names, options, changes=changes)


STAMP = ".xxgk-outputs.json"


def _read_stamp(out: Path) -> dict[str, object]:
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def write_all(
    db: Database,
    out_dir: str | Path,
    *,
    jobs: int = 1,
    options: Options | None = None,
    force: bool = False,
) -> dict[str, Path]:
    """Every output into `out_dir`, unless they already show this database state with these
    options (see above).

    With jobs > 1 the Excel workbook is written in a second process while this one writes the
    HTML and the CSV/Parquet files (each reads the database)."""
    from xxgk.audit import query

    options = options or Options()
    out = Path(out_dir)
    state, run = query.output_state(db), query.last_run(db)
    wanted = {"lang": options.lang, "by_agency": options.by_agency, "cells": options.cells}
    stamp = _read_stamp(out)
    listed = stamp.get("files")
    files = [str(name) for name in listed] if isinstance(listed, list) else []
    same = stamp.get("state") == state and stamp.get("options") == wanted
    if not force and files and same and all((out / n).is_file() for n in files):
        return {Path(name).name: out / name for name in files}
    since = stamp.get("run")
    known = isinstance(since, int) and files and stamp.get("options") == wanted
    changes = query.changes_since(db, since if known and isinstance(since, int) else None)
    if jobs <= 1 or (db.url.startswith("sqlite://") and ":memory:" in db.url):
        written = write_sinks(db, out, options=options, changes=changes)
    else:
        # The workbook in a second process while this one writes the HTML and the CSV/Parquet
        # files: the output phase runs after the readers are done, so one process left the
        # other core idle (issue 16). Each process reads the reports; reading one costs little
        # since the outputs take its cells from the stored form (ReportInfo.source), not
        # expanding them all. Spawned, not forked: a forked child starts with the parent's heap
        # as it is after the ingest of the whole corpus, and its RSS counted it (318 MB at
        # 100,000 reports).
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            excel = pool.submit(_write_in_process, db.url, str(out), ("excel",), options, changes)
            written = write_sinks(db, out, ("html", "tables"), options, changes=changes)
            written.update(excel.result())
    now_files = sorted(str(p.relative_to(out)) for p in written.values())
    record = {"state": state, "run": run, "options": wanted, "files": now_files}
    write_atomic(out / STAMP, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    for name in CELL_FILES:  # a run without `cells` after one with: no stale cell table stays
        if name in files and name not in now_files:
            (out / name).unlink(missing_ok=True)
    return written


__all__ = [
    "CELL_FILES",
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
