"""The audit database schema (SQLAlchemy 2 declarative models).

One row per document *version*: a path re-read with new content gets a new row, the old one
stays (issue 5 item 1). Reports keep the `xxgk-report/1` JSON in its compact stored form
(storage/compact.py: no null provenance fields; `rebuild` gives the full JSON back) plus indexed
columns for the queries the audit makes, and the cells the cross-year rules need as rows of
`report_facts` (storage/facts.py). A person's confirm/dismiss decision hangs on the
finding's *identity* (agency + year + rule + cells), not on a row id, so it survives re-reads.

Columns holding user-controlled text are `Text` (unbounded, identical on SQLite and PostgreSQL;
issue 11 item 5); the fixed-vocabulary ones (status, scope, severity…) keep their short VARCHARs.

Schema changes go through Alembic migrations in `storage/migrations/versions/`; a test checks
that these models and the migrated schema agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so batch-mode migrations on SQLite can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDoc = JSON().with_variant(JSONB(), "postgresql")

DOCUMENT_OK = "ok"
DOCUMENT_FAILED = "failed"
DECISIONS = ("confirmed", "dismissed")
SCOPE_REPORT = "report"
SCOPE_CROSS_YEAR = "cross-year"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Document(Base):
    """One version of one input file: unique on (path, sha256)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("path", "sha256", name="uq_documents_path_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    format: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("audit_runs.id"))


class Agency(Base):
    """One reporting body; `key` is the normalised name all its aliases resolve to."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)


class AgencyAlias(Base):
    """A spelling of an agency's name as some report printed it (simplified script)."""

    __tablename__ = "agency_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(Text, unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    # how this spelling was linked to the agency (xxgk.audit.agencies.Identity.why); '' = its own name
    reason: Mapped[str | None] = mapped_column(String(1000), nullable=True)


class ReportRow(Base):
    """The report extracted from one document version."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)
    agency_name: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    template: Mapped[str | None] = mapped_column(String(8), index=True)
    published: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    # The report the cross-year rules last ran against (None: never, or no previous year).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    # The audit run that last changed this report's outputs (stored, re-linked or re-checked):
    # the outputs' incremental interface (query.changes_since) reads it. None: before 0016.
    changed_run: Mapped[int | None] = mapped_column(Integer, index=True)


class ReportFact(Base):
    """One cell the cross-year rules need, written at ingestion (storage/facts.py says which).

    Linking and the cross-year rules read these rows, never the report JSON. `value` is the
    number's exact text ("12", "3.5"; None for a blank cell), `status` its provenance status.
    """

    __tablename__ = "report_facts"
    __table_args__ = (PrimaryKeyConstraint("report_id", "cell", name="pk_report_facts"),)

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    cell: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str | None] = mapped_column(String(12))


class FindingRow(Base):
    """One finding on one report. `identity` links the same finding across versions."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    identity: Mapped[str] = mapped_column(String(64), index=True)
    scope: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    cells: Mapped[list[str]] = mapped_column(JSON)
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str | None] = mapped_column(Text)


class Decision(Base):
    """A person's verdict on a finding identity: confirmed (a real error) or dismissed."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(64), unique=True)
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime)


class Correction(Base):
    """A person's corrected value for one cell of one report (kept beside, never overwriting, the data)."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    cell: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditRun(Base):
    """One `xxgk audit` invocation and what it did."""

    __tablename__ = "audit_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    inputs: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # The stamp of the state its link passes left (audit/relink.py): a later run that finds the
    # same skips them. None: not recorded (before 0018, or the run did not finish).
    linked: Mapped[str | None] = mapped_column(Text)


class ReportVersion(Base):
    """A corrected version of a report: the whole corrected report JSON and its re-run findings.

    Version 1 is the report as read (reports.data); each correction adds the next version, so
    nothing is overwritten and the history is the list of versions.
    """

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "version", name="uq_report_versions_report_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    cell: Mapped[str] = mapped_column(String(128))
    before: Mapped[str | None] = mapped_column(String(64))
    after: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    findings: Mapped[list[Any]] = mapped_column(JSON)


# Covering indexes for the web app's paginated queries: "current version of each path" and the
# per-report columns the dashboard groups by are read from the index, never from the report JSON.
Index("ix_documents_path_id", Document.path, Document.id)
Index("ix_reports_current", ReportRow.document_id, ReportRow.agency_id, ReportRow.year, ReportRow.id)
Index("ix_findings_report_rule", FindingRow.report_id, FindingRow.rule, FindingRow.severity)

# The web app's tables (issue 13) live in xxgk.web.models and the register's (issue 14) in
# xxgk.register.models, on this same `Base`; importing them here keeps `Base.metadata` — what
# Alembic and the schema test compare — complete.
import xxgk.register.models  # noqa: E402
import xxgk.web.models  # noqa: E402, F401
