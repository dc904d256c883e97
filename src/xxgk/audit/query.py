"""Read the audit database back for the outputs: current reports, findings, failures, coverage.

"Current" means the newest version of each path; older versions stay in the database but do
not appear in the outputs. Everything streams (`yield_per`), so a 10,000-report corpus is
written with flat memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, case, func, or_, select, text
from sqlalchemy.orm import Session

from xxgk.audit.link import current_document_ids
from xxgk.storage import compact
from xxgk.storage.db import Database
from xxgk.storage.models import (
    DOCUMENT_FAILED,
    Agency,
    AuditRun,
    Correction,
    Decision,
    Document,
    FindingRow,
    ReportRow,
)


@dataclass
class ReportInfo:
    id: int
    path: str
    version: int
    agency_id: int | None
    agency: str | None  # the agency's display name (or the printed name when unlinked)
    printed_agency: str | None
    year: int | None
    template: str | None
    published: Any
    data: dict[str, Any]  # as stored (storage/compact.py), or a plain report dict
    _values: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    _ambiguous: set[str] | None = field(default=None, repr=False, compare=False)

    def values(self) -> dict[str, Any]:
        """Every cell as {"table.row.column": int | float | None}, computed once per report."""
        if self._values is None:
            from xxgk.audit.outputs import number

            # a count (an int) is its own number: the common case without the call
            self._values = {
                f"{table}.{row}.{col}": value if value.__class__ is int else number(value)
                for table in ("table2", "table3", "table4")
                for row, cols in (self.data.get(table) or {}).items()
                for col, value in (cols or {}).items()
            }
        return self._values

    def source(self, cell: str) -> dict[str, Any] | None:
        """One cell's provenance (None: the report has none for it). The outputs read the few
        cells they show from the stored form: expanding every cell's provenance of every report
        was ~0.9 ms a report of the output phase (issue 16)."""
        return compact.source(self.data, cell)

    def ambiguous(self) -> set[str]:
        """The cells whose provenance is ambiguous, computed once per report."""
        if self._ambiguous is None:
            self._ambiguous = compact.ambiguous(self.data)
        return self._ambiguous

    def expanded(self) -> dict[str, Any]:
        """The report with every cell's provenance under "cells" (the per-cell outputs only)."""
        return compact.expand(self.data)


@dataclass
class FindingInfo:
    id: int
    report_id: int
    path: str
    agency: str | None
    year: int | None
    rule: str
    severity: str
    scope: str
    cells: list[str]
    expected: str | None
    actual: str | None
    message: str
    message_en: str | None
    decision: str | None
    note: str | None


@dataclass
class Failure:
    path: str
    version: int
    format: str
    size: int
    error: str


@dataclass
class Coverage:
    """Which years each agency has a report for, and which it lacks."""

    agency_id: int
    agency: str
    years: list[int]
    gaps: list[int]  # missing between its first and last year
    outside: list[int]  # missing within the corpus's year range, outside its own span
    duplicates: list[int] = field(default_factory=list)  # years with more than one report


REPORT_COLUMNS: tuple[Any, ...] = (
    ReportRow.id,
    Document.path,
    Document.version,
    ReportRow.agency_id,
    Agency.name,
    ReportRow.agency_name,
    ReportRow.year,
    ReportRow.template,
    ReportRow.published,
)


def _report_order() -> Any:
    """The current reports' REPORT_COLUMNS in agency, year, path order (a total order: a current
    path is unique), without their stored data."""
    return (
        select(*REPORT_COLUMNS)
        .join(Document, Document.id == ReportRow.document_id)
        .join(Agency, Agency.id == ReportRow.agency_id, isouter=True)
        .where(ReportRow.document_id.in_(current_document_ids()))
        .order_by(Agency.name, ReportRow.year, Document.path)
    )


def _report_info(row: Any, data: dict[str, Any]) -> ReportInfo:
    return ReportInfo(
        id=row[0],
        path=row[1],
        version=row[2],
        agency_id=row[3],
        agency=row[4] or row[5],
        printed_agency=row[5],
        year=row[6],
        template=row[7],
        published=row[8],
        data=data,
    )


def iter_reports(db: Database, *, with_data: bool = True, chunk: int = 100) -> Iterator[ReportInfo]:
    """The current reports in agency, year, path order, each with its cells when `with_data`."""
    for reports, _ in iter_report_chunks(db, with_data=with_data, with_findings=False, chunk=chunk):
        yield from reports


def iter_report_chunks(
    db: Database, *, with_data: bool = True, with_findings: bool = True, chunk: int = 100
) -> Iterator[tuple[list[ReportInfo], dict[int, list[FindingInfo]]]]:
    """The current reports in agency, year, path order, `chunk` at a time, with their findings by
    report id: what the outputs stream past their writers.

    One ordered query without the stored data streams the order; each chunk's data and findings
    are then looked up by report id. So the database sorts ~100 bytes a report, not its stored
    form (15 KB), and each chunk costs the same whatever the size of the database: looking the
    findings up through the current-documents filter made every chunk scan every current
    document, which made the output phase quadratic (issue 16: 2,616 s at 100,000 reports)."""
    with db.session() as s:
        rows: list[Any] = []
        for raw in s.execute(_report_order().execution_options(yield_per=max(chunk, 100))):
            rows.append(raw)
            if len(rows) == chunk:
                yield _chunk(s, rows, with_data, with_findings)
                rows = []
        if rows:
            yield _chunk(s, rows, with_data, with_findings)


_DATA_OF = text(f"SELECT id, data FROM {ReportRow.__tablename__} WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def _chunk(
    s: Session, rows: list[Any], with_data: bool, with_findings: bool
) -> tuple[list[ReportInfo], dict[int, list[FindingInfo]]]:
    ids = [row[0] for row in rows]
    data: dict[int, Any] = {}
    if with_data:
        # A plain statement, decoded here: the same rows through `select(ReportRow.id,
        # ReportRow.data)` cost three times as much CPU (issue 16, 10,000 reports in chunks of
        # 100: 7.1 s against 2.3 s, ~0.5 ms a report, paid by each writing process).
        # PostgreSQL's driver hands JSON back decoded; SQLite's as text.
        data = {
            i: json.loads(d) if isinstance(d, (str, bytes)) else d
            for i, d in s.execute(_DATA_OF, {"ids": ids})
        }
    findings: dict[int, list[FindingInfo]] = {}
    if with_findings:
        for f in _findings(s, _finding_select().where(FindingRow.report_id.in_(ids)).order_by(FindingRow.id)):
            findings.setdefault(f.report_id, []).append(f)
    # Kept in the stored form: each output reads the cells it shows (ReportInfo.source).
    return [_report_info(row, data[row[0]] if with_data else {}) for row in rows], findings


class Findings:
    """Every current finding, read again from the database each time it is iterated: the
    outputs walk the findings more than once without ever holding them all (issue 16)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __iter__(self) -> Iterator[FindingInfo]:
        return iter_findings(self.db)


def _finding_select() -> Any:
    return (
        select(
            FindingRow,
            Document.path,
            Agency.name,
            ReportRow.agency_name,
            ReportRow.year,
            Decision.decision,
            Decision.note,
        )
        .join(ReportRow, ReportRow.id == FindingRow.report_id)
        .join(Document, Document.id == ReportRow.document_id)
        .join(Agency, Agency.id == ReportRow.agency_id, isouter=True)
        .join(Decision, Decision.identity == FindingRow.identity, isouter=True)
    )


def iter_findings(db: Database) -> Iterator[FindingInfo]:
    """Current findings in report order (agency, year, path), then by id."""
    stmt = (
        _finding_select()
        .where(ReportRow.document_id.in_(current_document_ids()))
        .order_by(Agency.name, ReportRow.year, Document.path, FindingRow.id)
    )
    with db.session() as s:
        yield from _findings(s, stmt.execution_options(yield_per=1000))


def _findings(s: Session, stmt: Any) -> Iterator[FindingInfo]:
    for f, path, agency, printed, year, decision, note in s.execute(stmt):
        yield FindingInfo(
            id=f.id,
            report_id=f.report_id,
            path=path,
            agency=agency or printed,
            year=year,
            rule=f.rule,
            severity=f.severity,
            scope=f.scope,
            cells=list(f.cells or []),
            expected=f.expected,
            actual=f.actual,
            message=f.message,
            message_en=f.message_en,
            decision=decision,
            note=note,
        )


def failures(db: Database) -> list[Failure]:
    stmt = (
        select(Document.path, Document.version, Document.format, Document.size, Document.error)
        .where(Document.id.in_(current_document_ids()), Document.status == DOCUMENT_FAILED)
        .order_by(Document.path)
    )
    with db.session() as s:
        return [Failure(p, v, f, n, e or "") for p, v, f, n, e in s.execute(stmt)]


class Coverages:
    """Every agency's coverage, read again from the database each time it is iterated: the
    outputs walk it once per writer without holding one row per agency (issue 16)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __iter__(self) -> Iterator[Coverage]:
        return iter_coverage(self.db)


def iter_coverage(db: Database) -> Iterator[Coverage]:
    """Per agency: report years, gaps between its first and last year, and years missing in the
    corpus range; streamed in agency-name order (code-point order in both databases; ties by id)."""
    where = (ReportRow.document_id.in_(current_document_ids()), ReportRow.year.is_not(None))
    name = Agency.name.collate("C") if db.engine.dialect.name == "postgresql" else Agency.name
    stmt = (
        select(Agency.id, Agency.name, ReportRow.year, func.count())
        .join(ReportRow, ReportRow.agency_id == Agency.id)
        .where(*where)
        .group_by(Agency.id, Agency.name, ReportRow.year)
        .order_by(name, Agency.id, ReportRow.year)
    )
    with db.session() as s:
        lo, hi = s.execute(
            select(func.min(ReportRow.year), func.max(ReportRow.year))
            .join(Agency, ReportRow.agency_id == Agency.id)
            .where(*where)
        ).one()
        if lo is None or hi is None:
            return
        key: tuple[int, str] | None = None
        ys: dict[int, int] = {}
        for agency_id, agency, year, n in s.execute(stmt.execution_options(yield_per=1000)):
            if key is not None and key[0] != agency_id:
                yield _coverage(key, ys, lo, hi)
                ys = {}
            key = (agency_id, agency)
            ys[year or 0] = n  # never None: the query keeps only rows with a year
        if key is not None:
            yield _coverage(key, ys, lo, hi)


def _coverage(key: tuple[int, str], ys: dict[int, int], lo: int, hi: int) -> Coverage:
    first, last = min(ys), max(ys)
    return Coverage(
        agency_id=key[0],
        agency=key[1],
        years=sorted(ys),
        gaps=[y for y in range(first, last + 1) if y not in ys],
        outside=[y for y in range(lo, hi + 1) if (y < first or y > last)],
        duplicates=sorted(y for y, n in ys.items() if n > 1),
    )


def counts(db: Database) -> dict[str, int]:
    """Headline figures for the summary."""
    with db.session() as s:
        current = current_document_ids()
        documents = s.scalar(select(func.count()).select_from(Document).where(Document.id.in_(current))) or 0
        failed = (
            s.scalar(
                select(func.count())
                .select_from(Document)
                .where(Document.id.in_(current), Document.status == DOCUMENT_FAILED)
            )
            or 0
        )
        reports = (
            s.scalar(select(func.count()).select_from(ReportRow).where(ReportRow.document_id.in_(current)))
            or 0
        )
        agencies = (
            s.scalar(
                select(func.count(func.distinct(ReportRow.agency_id))).where(
                    ReportRow.document_id.in_(current), ReportRow.agency_id.is_not(None)
                )
            )
            or 0
        )
        findings = (
            s.scalar(
                select(func.count())
                .select_from(FindingRow)
                .join(ReportRow, ReportRow.id == FindingRow.report_id)
                .where(ReportRow.document_id.in_(current))
            )
            or 0
        )
        versions = s.scalar(select(func.count()).select_from(Document)) or 0
    return {
        "documents": documents,
        "versions": versions,
        "reports": reports,
        "failed": failed,
        "agencies": agencies,
        "findings": findings,
    }


# ------------------------------------------------------------------ incremental outputs
@dataclass
class Changes:
    """What changed since the audit run the outputs were last written for (`changes_since`).

    `everything`: no earlier outputs to update (first write). Otherwise `reports` are the current
    reports stored, re-linked or re-checked since, `agencies` the agencies whose per-agency
    parts must be rewritten (theirs, and those of the versions they replaced), `unlinked` whether
    a report without an agency changed. Decisions and corrections are not per report here: when
    they change, `output_state` changes and everything is rewritten.
    """

    since_run: int | None
    everything: bool = False
    reports: set[int] = field(default_factory=set)
    agencies: set[int] = field(default_factory=set)
    unlinked: bool = False


def changes_since(db: Database, run_id: int | None) -> Changes:
    if run_id is None:
        return Changes(None, everything=True)
    out = Changes(run_id)
    current = current_document_ids()
    touched_paths = select(Document.path).where(Document.run_id > run_id)
    stmt = (
        select(ReportRow.id, ReportRow.agency_id, ReportRow.document_id.in_(current))
        .join(Document, Document.id == ReportRow.document_id)
        .where(or_(ReportRow.changed_run > run_id, Document.path.in_(touched_paths)))
    )
    with db.session() as s:
        for rid, agency_id, is_current in s.execute(stmt.execution_options(yield_per=1000)):
            if is_current:
                out.reports.add(rid)
            if agency_id is None:
                out.unlinked = True
            else:
                out.agencies.add(agency_id)
    return out


def output_state(db: Database) -> dict[str, object]:
    """A fingerprint of everything the outputs show; equal fingerprints, equal outputs.

    One aggregate query per table: documents and findings only grow, agencies can be renamed or
    re-pointed (the sums catch that), decisions and corrections are edited in place.
    """
    with db.session() as s:
        state: dict[str, object] = {
            "documents": tuple(s.execute(select(func.count(), func.max(Document.id))).one()),
            # Two queries, each read from an index: together they named a column stored after the
            # report JSON, so SQLite read every report's overflow pages (the whole database: most
            # of a no-change re-run's 96 s at 100,000 reports, issue 16).
            "reports": (
                *s.execute(
                    select(func.count(), func.sum(func.coalesce(ReportRow.agency_id, 0) * 7 + ReportRow.id))
                ).one(),
                s.scalar(select(func.max(ReportRow.changed_run))),
            ),
            "findings": tuple(s.execute(select(func.count(), func.max(FindingRow.id))).one()),
            "agencies": tuple(
                s.execute(select(func.count(), func.max(Agency.id), func.sum(func.length(Agency.name)))).one()
            ),
            "decisions": tuple(
                s.execute(
                    select(
                        func.count(),
                        func.max(Decision.decided_at),
                        func.sum(case((Decision.decision == "confirmed", Decision.id), else_=0)),
                        func.sum(func.length(func.coalesce(Decision.note, ""))),
                    )
                ).one()
            ),
            "corrections": tuple(s.execute(select(func.count(), func.max(Correction.id))).one()),
        }
    return {k: [str(x) for x in v] if isinstance(v, tuple) else str(v) for k, v in state.items()}


def last_run(db: Database) -> int | None:
    """The newest audit run's id (None: never audited)."""
    with db.session() as s:
        return s.scalar(select(func.max(AuditRun.id)))


def report_json(db: Database, report_id: int) -> dict[str, Any] | None:
    """The full report JSON of one stored report, rebuilt from its stored form (None: no such report)."""
    from xxgk.storage.compact import rebuild

    with db.session() as s:
        stored = s.scalar(select(ReportRow.data).where(ReportRow.id == report_id))
    return None if stored is None else rebuild(stored)


def agency_links(db: Database) -> list[tuple[str, str, str]]:
    """(agency display name, a spelling reports printed — or the path of a report printing none,
    named by its site path —, why it was linked to it), by agency and spelling: the audit's
    account of its agency identities (issue 10)."""
    from xxgk.storage.models import AgencyAlias

    with db.session() as s:
        rows = s.execute(
            select(Agency.name, AgencyAlias.alias, AgencyAlias.reason).join(
                Agency, Agency.id == AgencyAlias.agency_id
            )
        ).all()
    from xxgk.audit.site_agency import site_links

    # reports that print no name, linked through their site path, with the reason
    return sorted([(name, alias, reason or "") for name, alias, reason in rows] + site_links(db))
