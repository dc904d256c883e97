"""The write audit log: every change made through the web app or the API is one row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xxgk.web.models import AuditLogEntry


def record(s: Session, actor: str, action: str, target: str, before: Any = None, after: Any = None) -> None:
    """Add the entry in the caller's transaction, so the log and the change commit together."""
    s.add(
        AuditLogEntry(
            at=datetime.now().replace(microsecond=0),
            actor=actor,
            action=action,
            target=target[:255],
            before=before,
            after=after,
        )
    )
