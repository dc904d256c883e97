"""A person's confirm/dismiss decision on a finding, through `xxgk.audit.decisions.set_decision`,
with the write in the audit log (before and after)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from xxgk.audit.decisions import DecisionError, set_decision
from xxgk.storage.db import Database
from xxgk.storage.models import Decision, FindingRow
from xxgk.web.auditlog import record

MAX_NOTE = 2000


def decide(db: Database, finding_id: int, decision: str, note: str | None, actor: str) -> dict[str, Any]:
    """Record the decision; DecisionError (unknown finding, bad decision, note too long) says why."""
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise DecisionError(f"the note is longer than {MAX_NOTE} characters")
    with db.session() as s:
        before = s.execute(
            select(Decision.decision, Decision.note)
            .join(FindingRow, FindingRow.identity == Decision.identity)
            .where(FindingRow.id == finding_id)
        ).first()
    identity = set_decision(db, finding_id, decision, note)
    after = {"decision": decision, "note": note}
    with db.session() as s:
        record(
            s,
            actor,
            "finding.decide",
            f"finding:{finding_id}",
            {"decision": before[0], "note": before[1]} if before else None,
            after,
        )
    return {"id": finding_id, "identity": identity, **after}
