"""The register's database tables (migration 0014_register), on the audit schema's `Base`.

- `register_versions`: every version of every application or case of an agency; a change is a
  new row (who, when, from which source), never an update of the old one; `current` marks the
  latest. `digest` makes re-importing the same ledger a no-op.
- `register_publications`: the report of a year as compiled and published: that year's cases are
  frozen from then on — a later change is still a new version, and `compile` shows the difference.
- `calendar_days` / `calendar_years`: the working-day calendar (R.5), seeded from chinese-calendar,
  editable; a year is usable only once it is in `calendar_years`.
- `register_compile_inputs` (migration 0017_compile_inputs): table 2's cells and the sections'
  texts an office gave for a year, used by every compile of that year (`register.inputs`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xxgk.storage.models import Base, JsonDoc


class RegisterVersion(Base):
    __tablename__ = "register_versions"
    __table_args__ = (
        UniqueConstraint(
            "agency_id", "kind", "number", "version", name="uq_register_versions_number_version"
        ),
        Index("ix_register_versions_current", "agency_id", "kind", "current"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # application / case
    number: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean)
    digest: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    author: Mapped[str] = mapped_column(String(255))
    source: Mapped[str | None] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class RegisterPublication(Base):
    __tablename__ = "register_publications"
    __table_args__ = (UniqueConstraint("agency_id", "year", name="uq_register_publications_agency_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    published_at: Mapped[datetime] = mapped_column(DateTime)
    author: Mapped[str] = mapped_column(String(255))


class CalendarDay(Base):
    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # holiday / workday
    name: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class CalendarYear(Base):
    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime)


class CompileInput(Base):
    """What an office gives a compiled year besides the register (migration 0017_compile_inputs):
    table 2's cells (`kind` "table2") or the six sections' texts ("sections"), one current row per
    (agency, year, kind), replaced as a whole by the next upload, with who gave it and when."""

    __tablename__ = "register_compile_inputs"
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "kind", name="uq_register_compile_inputs_agency_year_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # table2 / sections
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    source: Mapped[str] = mapped_column(Text)  # the file's name, or "api"
    author: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(DateTime)
