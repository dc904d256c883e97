"""Given the versions of one application or case, what each version changed: who, when, from
which source, and every field before → after (register.md R.1: each change is a logged version),
with personal data masked unless the reader is the agency's registrar (R.7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from xxgk.register.models import RegisterVersion
from xxgk.register.personal import masked


@dataclass(frozen=True)
class Change:
    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class VersionChanges:
    kind: str
    number: str
    version: int
    author: str
    source: str | None
    created_at: datetime
    data: dict[str, Any]  # the version's data, masked unless revealed
    changes: list[Change] = field(default_factory=list)


def version_changes(
    versions: Sequence[RegisterVersion], reveal_personal: bool = False
) -> list[VersionChanges]:
    """Each version (oldest first) with the fields it changed against the one before it."""
    out = []
    previous: dict[str, Any] = {}
    for v in versions:
        data = dict(v.data) if reveal_personal else masked(v.data)
        changed = sorted(k for k in set(data) | set(previous) if data.get(k) != previous.get(k))
        out.append(
            VersionChanges(
                v.kind, v.number, v.version, v.author, v.source, v.created_at, data,
                [Change(k, previous.get(k), data.get(k)) for k in changed],
            )
        )  # fmt: skip
        previous = data
    return out
