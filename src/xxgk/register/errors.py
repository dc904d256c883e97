"""The register's one error base class: str() is a one-line message naming the input and the problem."""

from __future__ import annotations

from typing import Self

from xxgk.errors import XxgkError
from xxgk.i18n import Lang, say


class RegisterError(XxgkError, ValueError):
    """A user's mistake or a gap in the data (no calendar for a year, a bad ledger row, …)."""


class CalendarGapError(RegisterError):
    """A date falls in a year whose working-day calendar is not known: never guessed as weekdays."""


class LedgerFileError(RegisterError):
    """A ledger file that cannot be read as a whole (its type, encoding or size; a workbook the
    reader refuses): a catalogue message (xxgk.i18n, ids `ledger.file.*`) and its fields, so the
    web says it in Chinese and the API in either language, as `ledger.RowError` does for a row.
    str() names the file and says it in English (the CLI's one line)."""

    def __init__(self, name: str, msg_id: str, **fields: object) -> None:
        self.name, self.msg_id, self.fields = name, msg_id, fields
        super().__init__(f"{name}: {self.message('en')}")

    def message(self, lang: Lang = "en") -> str:
        return say(self.msg_id, lang, **self.fields)

    def named(self, name: str) -> Self:
        """The same error naming the file as `name` (an upload's name, not its temporary path)."""
        return type(self)(name, self.msg_id, **self.fields)
