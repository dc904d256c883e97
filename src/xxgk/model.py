"""The report JSON (`xxgk-report/1`, shared/spec/report-json.md) as pydantic models.

This is xxgk's public contract: what `extract` prints, what `check` reads, what storage keeps.
Blank cells stay `null` (never rewritten to 0); the checks treat them as 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from xxgk.errors import XxgkError

FORMAT: Literal["xxgk-report/1"] = "xxgk-report/1"
UNKNOWN_MARK = "?"  # a label's "cannot be recovered from the document"
# The largest magnitude a cell may hold: 15 significant digits is what a spreadsheet keeps exactly
# and what float64 and int64 hold without loss, so every writer (Excel, Parquet, CSV, JSON) can
# write any value the model admits (issue 11 item 2). No 年报 figure comes near it.
MAX_DIGITS = 15
MAX_MAGNITUDE = 10**MAX_DIGITS
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_AGENCY_CHARS = 300
MAX_JSON_BYTES = 50 * 1024 * 1024  # the same bound as every other input (extract.MAX_BYTES)
OUT_OF_RANGE = f"a number beyond what a cell can hold (more than {MAX_DIGITS} digits)"


def in_range(value: int | Decimal) -> bool:
    """Whether a cell value is within the model's bounds (magnitude and significant digits)."""
    if isinstance(value, int):
        return -MAX_MAGNITUDE < value < MAX_MAGNITUDE
    if not value.is_finite() or not -MAX_MAGNITUDE < value < MAX_MAGNITUDE:
        return False
    exponent = value.as_tuple().exponent
    return (
        len(value.as_tuple().digits) <= MAX_DIGITS and isinstance(exponent, int) and exponent >= -MAX_DIGITS
    )


def _number(value: Any) -> Any:
    """Numbers only: ints stay ints, floats become exact Decimals of their shortest repr."""
    if isinstance(value, bool):
        raise ValueError("a cell holds a number or null, not true/false")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("a cell cannot hold NaN or infinity")
        value = int(value) if value.is_integer() and abs(value) < 2**53 else Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("a cell cannot hold NaN or infinity")
    if isinstance(value, Decimal) and value == value.to_integral_value() and value.as_tuple().exponent == 0:
        return int(value)
    if isinstance(value, str):
        raise ValueError(f"a cell holds a number or null, not the text {value!r}")
    if isinstance(value, int | Decimal) and not in_range(value):
        raise ValueError(OUT_OF_RANGE)
    return value


def _json_number(value: int | Decimal) -> int | float:
    return value if isinstance(value, int) else float(value)


Number = Annotated[
    int | Decimal,
    BeforeValidator(_number),
    PlainSerializer(_json_number, return_type=int | float, when_used="json"),
]
Value = Number | None
TableData = dict[str, dict[str, Value]]
Status = Literal["read", "blank", "inferred", "ambiguous"]
Basis = Literal["arithmetic", "convention", "unit", "text", "previous"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


class PagePosition(BaseModel):
    """Where a PDF cell was printed: 1-based page and bounding box in PDF points (x0, top, x1, bottom)."""

    page: int = Field(ge=1)
    bbox: tuple[float, float, float, float] | None = None


class Candidate(BaseModel):
    """One possible reading of an ambiguous cell: the value and the cell it may belong to."""

    cell: str
    value: Number


class CellSource(BaseModel):
    """Provenance of one cell (report-json.md, "Cell provenance")."""

    model_config = ConfigDict(extra="allow")

    status: Status
    text: str | None = None
    offset: int | PagePosition | None = None
    candidates: list[Candidate] | None = None
    note: str | None = None
    # For `inferred` cells, what placed the value: the table's own arithmetic (certain), or a
    # documented convention the layout cannot confirm (a person should verify; V-CONVENTION),
    # a unit printed in the cell or its header (元 → 万元), the report's own text stating the
    # figure, or last year's report of the same agency (上年结转 = last year's 结转下年度).
    basis: Basis | None = None


class Finding(BaseModel):
    """One result of a check: the rule, the cells it names, expected vs actual, a Chinese message."""

    model_config = ConfigDict(extra="allow")

    rule: str
    severity: Severity
    cells: list[str] = Field(default_factory=list)
    expected: Number | str | None = None
    actual: Number | str | None = None
    message: str
    message_en: str | None = None


class Unplaced(BaseModel):
    """A number printed inside a table's region that no cell took (issue 10, number
    conservation): the reader reports it instead of dropping it; the cells it could belong to
    are ``ambiguous`` with it among their candidates."""

    table: Literal["table2", "table3", "table4"]
    row: str  # the template row (or "table4") whose stretch of the page printed it
    text: str  # as printed
    offset: int | PagePosition | None = None


class Section(BaseModel):
    number: int = Field(ge=1, le=6)
    heading: str
    text: str = ""


class Report(BaseModel):
    """One annual report. Unknown keys are kept, so newer optional keys survive a round trip."""

    model_config = ConfigDict(extra="allow")

    format: Literal["xxgk-report/1"] = FORMAT
    # Indexed (agencies.key, agency_aliases.alias): PostgreSQL indexes at most ~2.7 KB per key,
    # so names are bounded here, for both back ends alike. A real name is under 60 characters.
    agency: str | None = Field(default=None, max_length=MAX_AGENCY_CHARS)
    year: int | None = Field(default=None, ge=MIN_YEAR, le=MAX_YEAR)  # an Integer column stores it
    template: Literal["2019", "2021"] | None = None
    published: date | None = None
    source: str | None = None
    # the page's own URL where it states one (<link rel=canonical>, og:url); left out of the
    # JSON when unknown. The audit links a report naming no agency through its site path.
    url: str | None = None
    sections: list[Section] = Field(default_factory=list)
    table2: TableData = Field(default_factory=dict)
    table3: TableData = Field(default_factory=dict)
    table4: TableData = Field(default_factory=dict)
    cells: dict[str, CellSource] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    notes: str | None = None
    # numbers of a table region no cell took (readers/ledger.py); left out of the JSON when none
    unplaced: list[Unplaced] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _unknown_marks_to_ambiguous(cls, data: Any) -> Any:
        """Labels write "?" for a cell the document cannot decide: read it as null + ambiguous."""
        if not isinstance(data, dict):
            return data
        marked = [
            (table, row, col)
            for table in ("table2", "table3", "table4")
            for row, cols in (data.get(table) or {}).items()
            if isinstance(cols, dict)
            for col, value in cols.items()
            if value == UNKNOWN_MARK
        ]
        if not marked:
            return data
        data = {**data, "cells": dict(data.get("cells") or {})}
        for table, row, col in marked:
            data[table] = {r: dict(c) for r, c in data[table].items()}
            data[table][row][col] = None
            data["cells"].setdefault(f"{table}.{row}.{col}", {"status": "ambiguous", "text": UNKNOWN_MARK})
        return data

    # ------------------------------------------------------------------ cell access
    def value(self, cell: str) -> Value:
        """The value of "table.row.column" (None when blank or absent)."""
        table, row, col = split_cell(cell)
        return self.table_data(table).get(row, {}).get(col)

    def has(self, cell: str) -> bool:
        table, row, col = split_cell(cell)
        return col in self.table_data(table).get(row, {})

    def set(self, cell: str, value: Value, source: CellSource | None = None) -> None:
        table, row, col = split_cell(cell)
        self.table_data(table).setdefault(row, {})[col] = value
        if source is not None:
            self.cells[cell] = source

    def table_data(self, table: str) -> TableData:
        if table not in ("table2", "table3", "table4"):
            raise KeyError(f"no table {table!r}")
        data: TableData = getattr(self, table)
        return data

    def iter_cells(self) -> Iterator[tuple[str, Value]]:
        for table in ("table2", "table3", "table4"):
            for row, cols in self.table_data(table).items():
                for col, value in cols.items():
                    yield f"{table}.{row}.{col}", value

    def status(self, cell: str) -> Status | None:
        source = self.cells.get(cell)
        return source.status if source else None

    # ------------------------------------------------------------------ JSON
    def to_json(self, indent: int | None = 2) -> str:
        optional = (("notes", self.notes is None), ("unplaced", not self.unplaced), ("url", self.url is None))
        exclude = {k for k, empty in optional if empty}
        return self.model_dump_json(indent=indent, exclude_none=False, exclude=exclude or None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.to_json(indent=None))
        return data


def split_cell(cell: str) -> tuple[str, str, str]:
    parts = cell.split(".")
    if len(parts) != 3:
        raise KeyError(f"a cell key is table.row.column, not {cell!r}")
    return parts[0], parts[1], parts[2]


class ReportFileError(XxgkError, ValueError):
    """A file that is not a usable report JSON; the message names the file and the problem."""


def parse_report(data: Any, origin: str = "<input>") -> Report:
    """Validate decoded JSON as a report, with a one-line reason on failure."""
    if not isinstance(data, dict):
        raise ReportFileError(f"{origin}: not a report JSON object")
    if not Report.model_fields.keys() & data.keys():  # `{}` or any other JSON object (issue 11 item 7)
        raise ReportFileError(f"{origin}: not a report: none of the report keys (format, tables, year…)")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise ReportFileError(f"{origin}: unknown format version {fmt!r} (expected {FORMAT!r})")
    try:
        return Report.model_validate(data)
    except ValueError as exc:
        errors = getattr(exc, "errors", None)
        if callable(errors):
            first = errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ReportFileError(f"{origin}: invalid report at {where}: {first['msg']}") from None
        raise ReportFileError(f"{origin}: invalid report: {exc}") from None


def load_report(path: str | Path, data: bytes | None = None) -> Report:
    """Read a report JSON file (labels with "?" included); ReportFileError names the file on failure.

    `data`: the file's bytes when the caller has already read them (bounded).
    """
    from xxgk.files import InputTooLarge, display_path, read_bounded

    p = Path(path)
    shown = display_path(p)
    try:
        raw = (data if data is not None else read_bounded(p, MAX_JSON_BYTES)).decode("utf-8-sig")
    except FileNotFoundError:
        raise ReportFileError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise ReportFileError(f"{shown}: is a directory, not a report JSON file") from None
    except UnicodeDecodeError:
        raise ReportFileError(f"{shown}: not UTF-8 text, so not a report JSON file") from None
    except InputTooLarge as exc:
        raise ReportFileError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise ReportFileError(f"{shown}: cannot read: {exc.strerror}") from None
    return parse_report(loads_report_json(raw, shown), shown)


def loads_report_json(raw: str, origin: str) -> Any:
    """Decoded JSON text; ReportFileError for bad JSON and for nesting too deep to decode."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReportFileError(f"{origin}: not JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ReportFileError(f"{origin}: JSON nested too deeply to be a report") from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the report format (committed as docs/report.schema.json)."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$id"] = "https://xxgk.invalid/schema/xxgk-report-1.json"
    schema["title"] = "xxgk-report/1"
    return schema
