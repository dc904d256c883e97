"""Given a stored report's id, return its current version: what everyone sees of it.

Version 1 is the reading of the document (`reports.data`, stored compact and never rewritten by a
person); a person's correction makes the next `report_versions` row (web/versions.py). The
newest version is what the web shows, what the API returns and what the cross-year pass checks
and decides on (audit/link.py, annual-report.md C.3 Q7): one function, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xxgk.storage.compact import rebuild
from xxgk.storage.models import ReportRow, ReportVersion


@dataclass(frozen=True)
class CurrentVersion:
    """A report's newest version: its number (1 = the reading), the `report_versions` row it is
    stored in (None for the reading, which lives in `reports.data`) and its report JSON."""

    report_id: int
    version: int
    row_id: int | None
    data: dict[str, Any]


def current_version(s: Session, report_id: int) -> CurrentVersion | None:
    """The newest version of report `report_id`, or None if there is no such report."""
    latest = s.execute(
        select(ReportVersion.id, ReportVersion.version, ReportVersion.data)
        .where(ReportVersion.report_id == report_id)
        .order_by(ReportVersion.version.desc())
        .limit(1)
    ).first()
    if latest is not None:
        return CurrentVersion(report_id, latest.version, latest.id, latest.data)
    stored = s.scalar(select(ReportRow.data).where(ReportRow.id == report_id))
    return None if stored is None else CurrentVersion(report_id, 1, None, rebuild(stored))
