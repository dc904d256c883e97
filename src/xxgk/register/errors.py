"""The register's one error base class: str() is a one-line message naming the input and the problem."""

from __future__ import annotations

from xxgk.errors import XxgkError


class RegisterError(XxgkError, ValueError):
    """A user's mistake or a gap in the data (no calendar for a year, a bad ledger row, …)."""


class CalendarGapError(RegisterError):
    """A date falls in a year whose working-day calendar is not known: never guessed as weekdays."""
