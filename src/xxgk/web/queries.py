"""The read side of the web app: paginated, filtered queries on the audit database.

Every list is a page (`limit` + an opaque `cursor` for the API, page numbers for the HTML
pages), so a page costs the same at 10 reports and at 10,000. Only current document versions
count (`xxgk.audit.pipeline.current_document_ids`); drafts never appear here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from xxgk.audit.pipeline import current_document_ids
from xxgk.storage.db import Database
from xxgk.storage.models import (
    DOCUMENT_FAILED,
    Agency,
    AuditRun,
    Decision,
    Document,
    FindingRow,
    ReportRow,
    ReportVersion,
)

MAX_LIMIT = 500


@dataclass
class FindingFilter:
    rule: str | None = None
    severity: str | None = None
    year: int | None = None
    agency: str | None = None  # substring of the agency's (or printed) name
    agency_id: int | None = None
    decision: str | None = None  # confirmed | dismissed | open
    report_id: int | None = None


SORTS = {
    "agency": (Agency.name, ReportRow.year, FindingRow.id),
    "year": (ReportRow.year, Agency.name, FindingRow.id),
    "rule": (FindingRow.rule, Agency.name, FindingRow.id),
    "severity": (FindingRow.severity, Agency.name, FindingRow.id),
    "id": (FindingRow.id,),
}


def _findings_stmt(f: FindingFilter) -> Select[Any]:
    stmt: Select[Any] = (
        select(  # type: ignore[assignment]
            FindingRow.id,
            FindingRow.report_id,
            FindingRow.rule,
            FindingRow.severity,
            FindingRow.scope,
            FindingRow.cells,
            FindingRow.expected,
            FindingRow.actual,
            FindingRow.message,
            FindingRow.message_en,
            func.coalesce(Agency.name, ReportRow.agency_name).label("agency"),
            ReportRow.agency_id,
            ReportRow.year,
            ReportRow.template,
            Decision.decision,
            Decision.note,
        )
        .join(ReportRow, ReportRow.id == FindingRow.report_id)
        .join(Agency, Agency.id == ReportRow.agency_id, isouter=True)
        .join(Decision, Decision.identity == FindingRow.identity, isouter=True)
        .where(ReportRow.document_id.in_(current_document_ids()))
    )
    if f.rule:
        stmt = stmt.where(FindingRow.rule == f.rule)
    if f.severity:
        stmt = stmt.where(FindingRow.severity == f.severity)
    if f.year is not None:
        stmt = stmt.where(ReportRow.year == f.year)
    if f.agency:
        like = f"%{f.agency}%"
        stmt = stmt.where(or_(Agency.name.like(like), ReportRow.agency_name.like(like)))
    if f.agency_id is not None:
        stmt = stmt.where(ReportRow.agency_id == f.agency_id)
    if f.report_id is not None:
        stmt = stmt.where(FindingRow.report_id == f.report_id)
    if f.decision == "open":
        stmt = stmt.where(Decision.decision.is_(None))
    elif f.decision:
        stmt = stmt.where(Decision.decision == f.decision)
    return stmt


def findings_page(
    db: Database, f: FindingFilter, *, sort: str = "agency", offset: int = 0, limit: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of findings (as dicts) and the number matching the filter."""
    stmt = _findings_stmt(f)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = s.execute(
            stmt.order_by(*SORTS.get(sort, SORTS["agency"])).offset(offset).limit(min(limit, MAX_LIMIT))
        ).mappings()
        return [dict(r) for r in rows], total


def findings_after(db: Database, f: FindingFilter, cursor: int, limit: int) -> list[dict[str, Any]]:
    """Findings with id > cursor, in id order (the API's cursor pagination)."""
    stmt = _findings_stmt(f).where(FindingRow.id > cursor).order_by(FindingRow.id).limit(limit)
    with db.session() as s:
        return [dict(r) for r in s.execute(stmt).mappings()]


def report_findings(db: Database, report_id: int) -> list[dict[str, Any]]:
    stmt = (
        select(
            FindingRow.id,
            FindingRow.rule,
            FindingRow.severity,
            FindingRow.scope,
            FindingRow.cells,
            FindingRow.expected,
            FindingRow.actual,
            FindingRow.message,
            FindingRow.message_en,
            Decision.decision,
            Decision.note,
        )
        .join(Decision, Decision.identity == FindingRow.identity, isouter=True)
        .where(FindingRow.report_id == report_id)
        .order_by(FindingRow.id)
    )
    with db.session() as s:
        return [dict(r) for r in s.execute(stmt).mappings()]


def agencies_after(db: Database, cursor: int, limit: int, q: str | None = None) -> list[dict[str, Any]]:
    stmt = (
        select(Agency.id, Agency.name, func.count(ReportRow.id).label("reports"))
        .join(ReportRow, ReportRow.agency_id == Agency.id)
        .where(ReportRow.document_id.in_(current_document_ids()), Agency.id > cursor)
        .group_by(Agency.id, Agency.name)
        .order_by(Agency.id)
        .limit(limit)
    )
    if q:
        stmt = stmt.where(Agency.name.like(f"%{q}%"))
    with db.session() as s:
        return [dict(r) for r in s.execute(stmt).mappings()]


def audits_after(db: Database, cursor: int, limit: int) -> list[dict[str, Any]]:
    stmt = select(AuditRun).where(AuditRun.id > cursor).order_by(AuditRun.id).limit(limit)
    with db.session() as s:
        return [
            {
                "id": r.id,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "inputs": r.inputs,
                "processed": r.processed,
                "skipped": r.skipped,
                "failed": r.failed,
            }
            for r in s.scalars(stmt)
        ]


# --------------------------------------------------------------------------- dashboard
@dataclass
class Dashboard:
    counts: dict[str, int]
    by_rule: list[tuple[str, str, int]]  # (rule, severity, findings)
    by_year: list[tuple[int, int, int]]  # (year, reports, findings)
    by_severity: dict[str, int]
    top_agencies: list[tuple[int, str, int]]  # (agency id, name, findings)
    years: list[int]
    grid: list[dict[str, Any]] = field(default_factory=list)  # coverage rows of this page
    agencies_total: int = 0


_DASHBOARDS: OrderedDict[tuple[Any, ...], Dashboard] = OrderedDict()
_DASHBOARD_CACHE = 64
_CACHE_LOCK = threading.Lock()
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def signature(db: Database) -> tuple[Any, ...]:
    """Changes whenever what the dashboard shows can change: documents, agencies, findings, versions.

    Every write that matters inserts rows (a re-check replaces findings with new ids), so the
    largest id and the count of these tables are enough; each is an index lookup.
    """
    with db.session() as s:
        return tuple(
            tuple(s.execute(select(func.max(col), func.count(col))).one())
            for col in (Document.id, Agency.id, FindingRow.id, ReportVersion.id)
        )


def dashboard(
    db: Database,
    *,
    q: str | None = None,
    year: int | None = None,
    offset: int = 0,
    limit: int = 50,
    top: int = 20,
) -> Dashboard:
    """Figures, chart series (top-N, filtered by agency name and year) and one page of the coverage
    grid; computed once per database state and parameters, then served from a small cache."""
    state = (db.url, signature(db))
    key = (*state, q, year, offset, limit, top)
    with _CACHE_LOCK:  # pages are served from several threads
        found = _DASHBOARDS.get(key)
        if found is not None:
            _DASHBOARDS.move_to_end(key)
            return found
        scan = _SCANS.get(state)
    if scan is None:
        scan = _scan(db)
        with _CACHE_LOCK:
            _SCANS.clear()  # only the current state is worth keeping
            _SCANS[state] = scan
    result = _dashboard(scan, q=q, year=year, offset=offset, limit=limit, top=top)
    with _CACHE_LOCK:
        _DASHBOARDS[key] = result
        while len(_DASHBOARDS) > _DASHBOARD_CACHE:
            _DASHBOARDS.popitem(last=False)
    return result


@dataclass
class _Scan:
    doc_counts: dict[str, int]
    reports: dict[int, tuple[int | None, int | None]]  # current report → (agency, year)
    names: dict[int, str]
    findings: list[tuple[int, str, str]]  # (report, rule, severity)


_SCANS: dict[tuple[Any, ...], _Scan] = {}


def _scan(db: Database) -> _Scan:
    """Three narrow scans (current reports from a covering index, findings, agency names); every
    dashboard view of one database state (any search, year, page) is grouped from them in Python."""
    current = current_document_ids()
    with db.engine.connect() as conn:  # plain Core rows: tens of thousands of them, no ORM needed
        doc_counts: dict[str, int] = dict(
            conn.execute(
                select(Document.status, func.count())
                .where(Document.id.in_(current))
                .group_by(Document.status)
            ).all()
        )
        reports: dict[int, tuple[int | None, int | None]] = {
            rid: (aid, y)
            for rid, aid, y in conn.execute(
                select(ReportRow.id, ReportRow.agency_id, ReportRow.year).where(
                    ReportRow.document_id.in_(current)
                )
            )
        }
        names: dict[int, str] = {i: n for i, n in conn.execute(select(Agency.id, Agency.name))}
        found = [
            (r, rule_id, sev)
            for r, rule_id, sev in conn.execute(
                select(FindingRow.report_id, FindingRow.rule, FindingRow.severity)
            )
        ]
    return _Scan(doc_counts, reports, names, found)


def _dashboard(
    scan: _Scan, *, q: str | None, year: int | None, offset: int, limit: int, top: int
) -> Dashboard:
    doc_counts, reports, names, found = scan.doc_counts, scan.reports, scan.names, scan.findings
    wanted = {a for a, n in names.items() if q in n} if q else None
    by_rule: dict[tuple[str, str], int] = defaultdict(int)
    by_severity: dict[str, int] = defaultdict(int)
    findings_year: dict[int, int] = defaultdict(int)
    per_agency: dict[int, int] = defaultdict(int)
    with_errors: set[int] = set()
    total = 0
    for rid, rule_id, severity in found:
        where = reports.get(rid)
        if where is None:
            continue  # an older version's findings
        total += 1
        aid, y = where
        if y is not None:
            findings_year[y] += 1
        if severity == "error":
            with_errors.add(rid)
        if (wanted is not None and aid not in wanted) or (year is not None and y != year):
            continue
        by_rule[(rule_id, severity)] += 1
        by_severity[severity] += 1
        if aid is not None:
            per_agency[aid] += 1
    reports_year: dict[int, int] = defaultdict(int)
    grid_cells: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for rid, (aid, y) in reports.items():
        if y is None:
            continue
        reports_year[y] += 1
        if aid is not None:
            grid_cells[aid][y] = {"report_id": rid, "errors": rid in with_errors}
    listed = sorted(
        (a for a in grid_cells if wanted is None or a in wanted), key=lambda a: (names.get(a, ""), a)
    )
    years = sorted(reports_year)
    rules_sorted = sorted(
        by_rule.items(), key=lambda kv: (-kv[1], _SEVERITY_ORDER.get(kv[0][1], 9), kv[0][0])
    )
    top_agencies = sorted(per_agency.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))[:top]
    return Dashboard(
        counts={
            "documents": sum(doc_counts.values()),
            "failed": doc_counts.get(DOCUMENT_FAILED, 0),
            "reports": len(reports),
            "agencies": len(listed),
            "findings": total,
        },
        by_rule=[(r, sev, n) for (r, sev), n in rules_sorted],
        by_year=[(y, reports_year[y], findings_year.get(y, 0)) for y in years],
        by_severity={
            sev: by_severity[sev] for sev in sorted(by_severity, key=lambda x: _SEVERITY_ORDER.get(x, 9))
        },
        top_agencies=[(a, names.get(a, "?"), n) for a, n in top_agencies],
        years=years,
        grid=[
            {"id": a, "name": names.get(a, "?"), "years": grid_cells[a]}
            for a in listed[offset : offset + limit]
        ],
        agencies_total=len(listed),
    )


def agency_reports(db: Database, agency_id: int) -> tuple[str | None, list[dict[str, Any]]]:
    """An agency's name and its current reports, by year."""
    with db.session() as s:
        name = s.scalar(select(Agency.name).where(Agency.id == agency_id))
        rows = s.execute(
            select(ReportRow.id, ReportRow.year, ReportRow.template, ReportRow.data, Document.path)
            .join(Document, Document.id == ReportRow.document_id)
            .where(ReportRow.agency_id == agency_id, ReportRow.document_id.in_(current_document_ids()))
            .order_by(ReportRow.year, ReportRow.id)
        ).mappings()
        return name, [dict(r) for r in rows]


def report_meta(db: Database, report_id: int) -> dict[str, Any] | None:
    """The report row with its agency and document, or None."""
    with db.session() as s:
        row = (
            s.execute(
                select(
                    ReportRow.id,
                    ReportRow.agency_id,
                    func.coalesce(Agency.name, ReportRow.agency_name).label("agency"),
                    ReportRow.agency_name,
                    ReportRow.year,
                    ReportRow.template,
                    Document.path,
                    Document.format,
                    Document.version,
                )
                .join(Document, Document.id == ReportRow.document_id)
                .join(Agency, Agency.id == ReportRow.agency_id, isouter=True)
                .where(ReportRow.id == report_id)
            )
            .mappings()
            .first()
        )
        return dict(row) if row else None


def failures_count(db: Database) -> int:
    with db.session() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(Document)
                .where(and_(Document.id.in_(current_document_ids()), Document.status == DOCUMENT_FAILED))
            )
            or 0
        )
