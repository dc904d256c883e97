"""Given a value the database holds, return it as each output format can hold it exactly:
a Python number, a float (or None and the digits elsewhere), a spreadsheet number (or its digits
as text), and CSV text that no spreadsheet will run as a formula."""

from __future__ import annotations

from decimal import Decimal


def number(value: object) -> float | int | Decimal | None:
    """A cell's value as a Python number, exact: ints however long, a Decimal stays a Decimal
    unless a float is the same number. Each writer converts it for its format."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        f = exact_float(value)
        return value if f is None else f
    return None


EXACT_INT = 2**53  # every int up to this is a float exactly


def exact_float(value: object) -> float | None:
    """The value as a float when the float is the same number, else None: a 25-digit count in a
    float column would be a silently wrong number (the exact digits go to a text column)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return float(value) if -EXACT_INT <= value <= EXACT_INT else None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    if f != f or f in (float("inf"), float("-inf")):
        return None
    if isinstance(value, Decimal) and Decimal(repr(f)) != value:
        return None
    return f


EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; a longer number is written as text


def spreadsheet_value(value: object) -> int | float | str | None:
    """A number a spreadsheet holds exactly, or its exact digits as text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 10**EXCEL_DIGITS else str(value)
    if isinstance(value, (float, Decimal)):
        f = exact_float(value)
        if f is not None and len(Decimal(repr(f)).normalize().as_tuple().digits) <= EXCEL_DIGITS:
            return f
        return format(value, "f") if isinstance(value, Decimal) else repr(value)
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP, CSV injection).
    Numbers are left alone: -3 is a number, "-3+A1" is text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
