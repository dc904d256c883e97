"""A person's verdicts on the audit: a decision (confirmed / dismissed) on a finding, which holds
for every version of the report where the finding recurs (by its identity), and a corrected value
for one cell, kept beside the value as read. The audit writes the database; these record what a person made
of it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from xxgk.errors import XxgkError
from xxgk.storage.db import Database
from xxgk.storage.models import DECISIONS, Correction, Decision, FindingRow, ReportRow


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class DecisionError(XxgkError, ValueError):
    """Unknown finding or decision; str() is the user-facing reason."""


def set_decision(db: Database, finding_id: int, decision: str, note: str | None = None) -> str:
    """Record a person's verdict on a finding; it applies to every version where the finding recurs.

    Returns the finding's identity. `decision` is "confirmed" or "dismissed".
    """
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    with db.session() as s:
        identity = s.scalar(select(FindingRow.identity).where(FindingRow.id == finding_id))
        if identity is None:
            raise DecisionError(f"no finding with id {finding_id}")
        row = s.scalar(select(Decision).where(Decision.identity == identity))
        if row is None:
            s.add(Decision(identity=identity, decision=decision, note=note, decided_at=_now()))
        else:
            row.decision, row.note, row.decided_at = decision, note, _now()
    return identity


def add_correction(
    db: Database, report_id: int, cell: str, value: str | None, note: str | None = None
) -> int:
    """Record a person's corrected value for one cell; the extracted data is left as read. Returns its id."""
    from xxgk.templates import get_template

    with db.session() as s:
        template = s.scalar(select(ReportRow.template).where(ReportRow.id == report_id))
        if template is None and s.get(ReportRow, report_id) is None:
            raise DecisionError(f"no report with id {report_id}")
        if template in ("2019", "2021") and not get_template(template).has_cell(cell):
            raise DecisionError(f"the {template} template has no cell {cell!r}")
        row = Correction(report_id=report_id, cell=cell, value=value, note=note, created_at=_now())
        s.add(row)
        s.flush()
        return row.id


def decision_of(db: Database, finding_id: int) -> str | None:
    """The decision that applies to a finding (via its identity), or None if undecided."""
    with db.session() as s:
        return s.scalar(
            select(Decision.decision)
            .join(FindingRow, FindingRow.identity == Decision.identity)
            .where(FindingRow.id == finding_id)
        )
