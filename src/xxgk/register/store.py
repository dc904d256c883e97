"""The register in the database: given an open `Database`, load and save an agency's cases as
versions, record publications, and keep the working-day calendar (tables in `models`).

Only case numbers and counts are ever logged or returned in messages — personal data stays in
the version rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from xxgk.audit.agencies import agency_key, display_name
from xxgk.model import Report
from xxgk.register.calendar import SEED_SOURCE, SpecialDay, WorkCalendar, seed
from xxgk.register.cases import Application, Case, Kind, Register
from xxgk.register.errors import RegisterError
from xxgk.register.models import CalendarDay, CalendarYear, RegisterPublication, RegisterVersion
from xxgk.storage.db import Database
from xxgk.storage.models import Agency

BATCH = 5000


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# ------------------------------------------------------------------------------------------ agencies
def agency_id(session: Session, name: str, *, create: bool) -> int:
    key = agency_key(name)
    if not key:
        raise RegisterError(f"{name!r} is not an agency name")
    found = session.scalar(select(Agency.id).where(Agency.key == key))
    if found is not None:
        return found
    if not create:
        raise RegisterError(f"no register for agency {name!r} in this database (import its ledger first)")
    agency = Agency(key=key, name=display_name(name))
    session.add(agency)
    session.flush()
    return agency.id


def agencies(db: Database) -> list[str]:
    """The agencies that have a register in this database, by name."""
    with db.session() as session:
        holders = select(RegisterVersion.agency_id).distinct()
        return list(session.scalars(select(Agency.name).where(Agency.id.in_(holders)).order_by(Agency.name)))


# ------------------------------------------------------------------------------------------ versions
@dataclass
class ImportResult:
    """What saving a ledger changed: counts and case numbers (never personal data)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    frozen_years_touched: dict[int, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        line = (
            f"{len(self.added)} new, {len(self.changed)} changed (new versions), {self.unchanged} unchanged"
        )
        for year, numbers in sorted(self.frozen_years_touched.items()):
            line += f"; {len(numbers)} change(s) touch the published {year} report (run compile to see the difference)"
        return line


def save(
    db: Database,
    agency: str,
    entries: Sequence[Application | Case],
    *,
    author: str,
    source: str | None = None,
) -> ImportResult:
    """Store `entries` as the agency's current register: new numbers get version 1, changed ones a
    new version (the old one kept), identical ones nothing. One transaction: all or nothing."""
    result = ImportResult()
    now = _now()
    with db.session() as session:
        aid = agency_id(session, agency, create=True)
        published = set(
            session.scalars(select(RegisterPublication.year).where(RegisterPublication.agency_id == aid))
        )
        # Digests only: the data of the current versions is fetched just for the rows that changed.
        rows = session.execute(
            select(RegisterVersion.id, RegisterVersion.kind, RegisterVersion.number, RegisterVersion.version,
                   RegisterVersion.digest)
            .where(RegisterVersion.agency_id == aid, RegisterVersion.current.is_(True))
        ).all()  # fmt: skip
        current = {(r.kind, r.number): r for r in rows}
        inserts: list[dict[str, Any]] = []
        retired: list[int] = []
        changed: list[tuple[str, int, dict[str, Any]]] = []
        for entry in entries:
            kind: Kind = "application" if isinstance(entry, Application) else "case"
            data = entry.to_data()
            d = digest(data)
            old = current.get((kind, entry.number))
            if old is not None and old.digest == d:
                result.unchanged += 1
                continue
            version = 1 if old is None else old.version + 1
            if old is None:
                result.added.append(entry.number)
            else:
                result.changed.append(entry.number)
                retired.append(old.id)
                if published:
                    changed.append((entry.number, old.id, data))
            inserts.append(
                {"agency_id": aid, "kind": kind, "number": entry.number, "version": version, "current": True,
                 "digest": d, "data": data, "author": author, "source": source, "created_at": now}
            )  # fmt: skip
        for number, old_id, data in changed:
            old_data = session.scalar(select(RegisterVersion.data).where(RegisterVersion.id == old_id)) or {}
            for year in sorted((_years_of(old_data) | _years_of(data)) & published):
                result.frozen_years_touched.setdefault(year, []).append(number)
        table = cast(Table, RegisterVersion.__table__)
        for i in range(0, len(retired), BATCH):
            session.execute(
                update(RegisterVersion)
                .where(RegisterVersion.id.in_(retired[i : i + BATCH]))
                .values(current=False)
            )
        for i in range(0, len(inserts), BATCH):
            session.execute(insert(table), inserts[i : i + BATCH])  # Core insert: no ORM bookkeeping
    return result


def _years_of(data: dict[str, Any]) -> set[int]:
    """The report years a case's data counts in (received … replied, or filed … closed)."""
    start = data.get("received") or data.get("filed")
    end = data.get("replied") or data.get("closed")
    if not start:
        return set()
    first = int(start[:4])
    last = int(end[:4]) if end else date.today().year
    return set(range(first, last + 1))


def register_stamp(db: Database, agency: str) -> tuple[int, int, int]:
    """(agency id, number of version rows, newest version id): it changes whenever the agency's
    register does (a change is always a new row), so a reader may keep a loaded register by it."""
    with db.session() as session:
        aid = agency_id(session, agency, create=False)
        count, newest = session.execute(
            select(func.count(), func.max(RegisterVersion.id)).where(RegisterVersion.agency_id == aid)
        ).one()
    return aid, count, newest or 0


def load(db: Database, agency: str) -> Register:
    """The agency's register: the current version of every application and case."""
    with db.session() as session:
        aid = agency_id(session, agency, create=False)
        name = session.get_one(Agency, aid).name
        rows = session.execute(
            select(RegisterVersion.kind, RegisterVersion.data).where(
                RegisterVersion.agency_id == aid, RegisterVersion.current.is_(True)
            )
        ).all()
    register = Register(name)
    for kind, data in rows:
        if kind == "application":
            register.applications.append(Application.from_data(data))
        else:
            register.cases.append(Case.from_data(data))
    register.applications.sort(key=lambda a: a.number)
    register.cases.sort(key=lambda c: c.number)
    return register


def history(db: Database, agency: str, number: str) -> list[RegisterVersion]:
    """Every version of one application or case, oldest first."""
    with db.session() as session:
        aid = agency_id(session, agency, create=False)
        return list(
            session.scalars(
                select(RegisterVersion)
                .where(RegisterVersion.agency_id == aid, RegisterVersion.number == number)
                .order_by(RegisterVersion.kind, RegisterVersion.version)
            )
        )


# ------------------------------------------------------------------------------------------ publications
def publish(db: Database, agency: str, report: Report, *, author: str) -> None:
    """Record `report` as the published report of its year; the year's cases are frozen from now on."""
    assert report.year is not None
    with db.session() as session:
        aid = agency_id(session, agency, create=False)
        if session.scalar(
            select(RegisterPublication.id).where(
                RegisterPublication.agency_id == aid, RegisterPublication.year == report.year
            )
        ):
            raise RegisterError(
                f"{agency} {report.year}: already published; a published report is not replaced"
            )
        session.add(
            RegisterPublication(
                agency_id=aid, year=report.year, report=report.to_dict(), published_at=_now(), author=author
            )
        )


def published(db: Database, agency: str, year: int) -> Report | None:
    with db.session() as session:
        aid = agency_id(session, agency, create=False)
        data = session.scalar(
            select(RegisterPublication.report).where(
                RegisterPublication.agency_id == aid, RegisterPublication.year == year
            )
        )
    return Report.model_validate(data) if data is not None else None


# ------------------------------------------------------------------------------------------ calendar
def ensure_calendar(db: Database) -> None:
    """Seed the calendar from chinese-calendar for the years it covers that the table lacks."""
    with db.session() as session:
        have = set(session.scalars(select(CalendarYear.year)))
        base = seed()
        missing = sorted(base.years - have)
        if not missing:
            return
        now = _now()
        known_days = set(session.scalars(select(CalendarDay.day)))
        session.add_all(
            CalendarDay(day=d.day, kind=d.kind, name=d.name or None, source=d.source, changed_at=now)
            for d in base.exceptions.values()
            if d.day.year in missing and d.day not in known_days
        )
        session.add_all(CalendarYear(year=y, source=SEED_SOURCE, changed_at=now) for y in missing)


def load_calendar(db: Database) -> WorkCalendar:
    ensure_calendar(db)
    with db.session() as session:
        days = session.scalars(select(CalendarDay)).all()
        years = frozenset(session.scalars(select(CalendarYear.year)))
        exceptions = {d.day: SpecialDay(d.day, d.kind, d.name or "", d.source) for d in days}  # type: ignore[arg-type]
    return WorkCalendar(exceptions, years)


def set_day(db: Database, day: date, kind: str | None, name: str | None, *, source: str = "manual") -> None:
    """Make `day` a holiday or a make-up working day, or (kind None) an ordinary day again."""
    ensure_calendar(db)
    with db.session() as session:
        row = session.get(CalendarDay, day)
        if kind is None:
            if row is not None:
                session.delete(row)
            return
        if row is None:
            session.add(CalendarDay(day=day, kind=kind, name=name, source=source, changed_at=_now()))
        else:
            row.kind, row.name, row.source, row.changed_at = kind, name, source, _now()


def cover_years(db: Database, years: Iterable[int], *, source: str = "manual") -> None:
    """Declare the calendar of `years` complete (its holidays and make-up days entered)."""
    ensure_calendar(db)
    with db.session() as session:
        for year in years:
            if session.get(CalendarYear, year) is None:
                session.add(CalendarYear(year=year, source=source, changed_at=_now()))
