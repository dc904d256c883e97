"""The read side of the web app: paginated, filtered queries on the audit database.

Every list is a page (`limit` + an opaque `cursor` for the API, page numbers for the HTML
pages), so a page costs the same at 10 reports and at 10,000. Only current document versions
count (`xxgk.audit.pipeline.current_document_ids`); drafts never appear here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from xxgk.audit.pipeline import current_document_ids
from xxgk.storage.compact import rebuild
from xxgk.storage.db import Database
from xxgk.storage.models import (
    DOCUMENT_FAILED,
    Agency,
    AuditRun,
    Decision,
    Document,
    FindingRow,
    ReportRow,
)

MAX_LIMIT = 500
# What every list of findings shows of a finding, whichever report or filter it comes from.
FINDING_COLUMNS = (
    FindingRow.rule,
    FindingRow.severity,
    FindingRow.scope,
    FindingRow.cells,
    FindingRow.expected,
    FindingRow.actual,
    FindingRow.message,
    FindingRow.message_en,
)


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
            *FINDING_COLUMNS,
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
            *FINDING_COLUMNS,
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
        return name, [{**r, "data": rebuild(r["data"])} for r in rows]


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
