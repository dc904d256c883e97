"""Given a ledger cell, its CSV text that no spreadsheet runs as a formula — and back.

A register's CSV export is opened in Excel or WPS by people; a cell such as `=HYPERLINK(...)`
typed into 申请内容 by an applicant would run there (CSV injection). As in the audit's CSV
(`xxgk.audit.outputs.values.csv_safe`, OWASP), text starting with `= + - @`, tab or CR gets a
leading apostrophe. Unlike the audit's, the register's export must import back unchanged
(register.md R.1), so text that already starts with an apostrophe gets one more, and the import
removes exactly one from any cell that starts with an apostrophe followed by one of those.
"""

from __future__ import annotations

from xxgk.audit.outputs.values import FORMULA_START

_ESCAPED = (*FORMULA_START, "'")


def escape(value: object) -> object:
    """The value as a CSV cell: formula-like text (or text starting with ') behind an apostrophe."""
    if isinstance(value, str) and value.startswith(_ESCAPED):
        return "'" + value
    return value


def unescape(text: str) -> str:
    """A CSV cell's text with the export's apostrophe removed (only where `escape` put one)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_ESCAPED) else text
