"""Corrections as new report versions (issue 13 item 3): never an overwrite, always re-checked.

Version 1 is the report as read (`reports.data`, stored compact and left untouched). A correction copies the
current version, sets the one cell, marks its provenance as corrected (with who and why),
re-runs every rule (cross-year ones against the linked previous-year report), stores the result
as the next `report_versions` row, and replaces the report's current findings — decisions
follow the findings by identity, so a decided finding that recurs keeps its decision. The
report's `report_facts` follow the new version and next year's report is re-checked against it
(`audit.link.replace_facts`), so the cross-year rules never compare with the value as read.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, func, select

from xxgk.audit.link import recheck_followers, replace_facts
from xxgk.audit.pipeline import finding_identity, finding_row
from xxgk.check import check, rule
from xxgk.errors import XxgkError
from xxgk.model import ReportFileError, parse_report, split_cell
from xxgk.storage.db import Database
from xxgk.storage.models import (
    SCOPE_CROSS_YEAR,
    SCOPE_REPORT,
    Correction,
    Document,
    FindingRow,
    ReportRow,
    ReportVersion,
)
from xxgk.storage.versions import current_version
from xxgk.templates import get_template
from xxgk.web.auditlog import record

MAX_REASON = 2000


class CorrectionError(XxgkError, ValueError):
    """A correction that cannot be made; str() is the one-line reason."""


@dataclass
class VersionInfo:
    version: int
    cell: str | None
    before: str | None
    after: str | None
    reason: str | None
    author: str | None
    created_at: datetime | None


def history(db: Database, report_id: int) -> list[VersionInfo]:
    """Every version, oldest first; version 1 is the reading of the document."""
    with db.session() as s:
        rows = s.scalars(
            select(ReportVersion).where(ReportVersion.report_id == report_id).order_by(ReportVersion.version)
        ).all()
        first = VersionInfo(1, None, None, None, None, None, None)
        return [first] + [
            VersionInfo(r.version, r.cell, r.before, r.after, r.reason, r.author, r.created_at) for r in rows
        ]


def parse_value(text: str, kind: str) -> int | Decimal | None:
    """A value a person typed: empty means blank; counts are whole numbers ≥ 0; amounts may be decimal."""
    text = text.strip().replace(",", "").replace("，", "")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CorrectionError(f"{text[:40]!r} is not a number") from None
    if not value.is_finite() or abs(value) >= 10**12:
        raise CorrectionError(f"{text[:40]!r} is not a usable number")
    if kind == "amount":
        return int(value) if value == value.to_integral_value() else value
    if value != value.to_integral_value():
        raise CorrectionError(f"{text[:40]!r}: this cell holds a whole number")
    if kind == "count" and value < 0:
        raise CorrectionError(f"{text[:40]!r}: this cell holds a count, not a negative number")
    return int(value)


def _shown(value: Any) -> str | None:
    return None if value is None else str(value)


def correct(db: Database, report_id: int, cell: str, text: str, reason: str, author: str) -> VersionInfo:
    """Make the next version of a report with `cell` set to `text` and the checks re-run."""
    reason = reason.strip()
    if not reason:
        raise CorrectionError("a correction needs a reason")
    if len(reason) > MAX_REASON:
        raise CorrectionError(f"the reason is longer than {MAX_REASON} characters")
    with db.session() as s:
        row = s.get(ReportRow, report_id)
        found = current_version(s, report_id)
        if row is None or found is None:
            raise CorrectionError(f"no report with id {report_id}")
        version, data = found.version, found.data
        template = data.get("template") or row.template
        if template not in ("2019", "2021"):
            raise CorrectionError("the report has no known template, so its cells cannot be corrected")
        try:
            cell_def = get_template(template).cell(cell)
        except KeyError:
            raise CorrectionError(f"the {template} template has no cell {cell[:80]!r}") from None
        value = parse_value(text, cell_def.column.kind)
        new = copy.deepcopy(data)
        table, r, c = split_cell(cell)
        before = (new.get(table) or {}).get(r, {}).get(c)
        new.setdefault(table, {}).setdefault(r, {})[c] = float(value) if isinstance(value, Decimal) else value
        old_source = (new.get("cells") or {}).get(cell) or {}
        new.setdefault("cells", {})[cell] = {
            **{k: v for k, v in old_source.items() if k in ("offset", "text")},
            "status": "read" if value is not None else "blank",
            "note": f"人工更正（{author}）：{reason}",
            "corrected": True,
            "was": old_source.get("status"),
        }
        new["findings"] = []
        try:
            report = parse_report(new, f"report {report_id}")
        except ReportFileError as exc:
            raise CorrectionError(str(exc)) from None
        previous = current_version(s, row.previous_id) if row.previous_id else None
        prev_report = parse_report(previous.data) if previous else None
        findings = [f.model_dump(mode="json") for f in check(report, prev_report)]
        path = s.scalar(select(Document.path).where(Document.id == row.document_id)) or ""
        s.execute(delete(FindingRow).where(FindingRow.report_id == report_id))
        for f in findings:
            scope = SCOPE_CROSS_YEAR if _scope(f["rule"]) == "cross-year" else SCOPE_REPORT
            ident = finding_identity(row.agency_name, path, row.year, f["rule"], f.get("cells") or [])
            s.add(FindingRow(**finding_row(report_id, ident, scope, f)))
        number = (
            s.scalar(select(func.max(ReportVersion.version)).where(ReportVersion.report_id == report_id)) or 1
        ) + 1
        now = datetime.now().replace(microsecond=0)
        info = VersionInfo(number, cell, _shown(before), _shown(value), reason, author, now)
        s.add(
            ReportVersion(
                report_id=report_id,
                version=number,
                cell=cell,
                before=info.before,
                after=info.after,
                reason=reason,
                author=author,
                created_at=now,
                data=report.to_dict(),
                findings=findings,
            )
        )
        s.add(Correction(report_id=report_id, cell=cell, value=info.after, note=reason, created_at=now))
        followers = replace_facts(s, report_id, report.to_dict())
        record(
            s,
            author,
            "report.correct",
            f"report:{report_id}:{cell}",
            {"version": version, "value": info.before},
            {"version": number, "value": info.after, "reason": reason},
        )
    recheck_followers(db, report_id, followers)
    return info


def _scope(rule_id: str) -> str:
    try:
        return rule(rule_id).scope
    except KeyError:
        return SCOPE_REPORT
