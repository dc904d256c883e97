"""Given a ledger file (Excel .xlsx/.xls/.ods through python-calamine, or CSV), return the register
it records — all or nothing (register.md R.1, R.2).

The headers are R.1's Chinese ones by default; a mapping file (TOML) renames an office's own
headers, outcome words and applicant types:

    [columns]            # the office's header = R.1's header or key
    "受理时间" = "收到日期"
    [outcomes]           # the office's word = a table 3 row label (R.2)
    "同意公开" = "予以公开"
    [applicant_types]
    "个人" = "自然人"

Every bad row is reported with its sheet, row number (as Excel shows it), column and reason;
`LedgerError` carries them all and nothing is returned until the file is clean.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from xxgk.files import InputTooLarge, read_bounded
from xxgk.i18n import Lang, say
from xxgk.register.cases import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_RESULTS,
    CHANNELS,
    FEE_METHODS,
    Application,
    Case,
    Register,
)  # fmt: skip
from xxgk.register.csvcells import unescape
from xxgk.register.errors import LedgerFileError, RegisterError
from xxgk.register.outcomes import resolve
from xxgk.register.spreadsheet import MAX_CELLS, read_sheets
from xxgk.templates import template_for_year

# R.1: header → key, for the applications sheet and the cases sheet. 承办人 / 收费方式 / 页数 are
# optional additions (the due list by handler; the fee method and pages R.6 needs).
APPLICATION_HEADERS: dict[str, str] = {
    "编号": "number", "收到日期": "received", "申请方式": "channel", "申请人类型": "applicant_type",
    "申请人": "applicant", "证件号码": "id_number", "联系方式": "contact", "申请内容": "request",
    "承办人": "handler", "补正告知日期": "correction_notified", "补正期限": "correction_due",
    "补正收到日期": "correction_received", "征求意见开始": "consult_from", "征求意见结束": "consult_to",
    "延期告知日期": "extended", "收费方式": "fee_method", "页数": "pages", "收费通知日期": "fee_notified",
    "缴费日期": "fee_paid", "收费金额（元）": "fee_yuan", "答复日期": "replied", "办理结果": "outcome",
    "答复方式": "reply_form", "备注": "note",
}  # fmt: skip
CASE_HEADERS: dict[str, str] = {
    "案件编号": "number", "类型": "kind", "收到日期": "filed", "结案日期": "closed", "结果": "result",
    "关联申请": "application", "备注": "note",
}  # fmt: skip
APPLICATION_REQUIRED = ("number", "received", "applicant_type")
CASE_REQUIRED = ("number", "kind", "filed")
_CONSULT = re.compile(r"^(consult_from|consult_to)(\d*)$")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


@dataclass(frozen=True)
class RowError:
    """Why one row (or sheet) cannot be imported: a message of the catalogue (xxgk.i18n, ids
    `ledger.*`) and its fields, said in Chinese on the web's report and in English by the CLI and
    the API (`reason`), as a finding carries both its messages."""

    sheet: str
    row: int
    column: str
    msg_id: str
    fields: tuple[tuple[str, object], ...] = ()

    def message(self, lang: Lang = "en") -> str:
        return say(self.msg_id, lang, **dict(self.fields))

    @property
    def reason(self) -> str:
        return self.message("en")

    def __str__(self) -> str:
        where = f"sheet {self.sheet!r} row {self.row}" if self.row else f"sheet {self.sheet!r}"
        return f"{where}, column {self.column!r}: {self.reason}" if self.column else f"{where}: {self.reason}"


class LedgerError(RegisterError):
    """A ledger that cannot be imported; `errors` names every bad row."""

    def __init__(self, path: str, errors: list[RowError]):
        self.path = path
        self.errors = errors
        super().__init__(f"{path}: {len(errors)} problem(s), nothing imported; first: {errors[0]}")


@dataclass(frozen=True)
class LedgerMapping:
    columns: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)
    applicant_types: Mapping[str, str] = field(default_factory=dict)


def load_mapping(path: Path | None) -> LedgerMapping:
    """The mapping file at `path` (`xxgk register import --mapping`); none: R.1's own words."""
    if path is None:
        return LedgerMapping()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerFileError(str(path), "ledger.mapping.cannot_read", why=exc.strerror) from None
    return parse_mapping(data, str(path))


def parse_mapping(data: bytes, name: str) -> LedgerMapping:
    """Given a mapping file's bytes (TOML: [columns], [outcomes], [applicant_types]), the
    mapping; RegisterError naming `name` when it is not one. The CLI and the web read it alike."""
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LedgerFileError(name, "ledger.mapping.not_toml", why=exc) from None
    parts = {}
    for part in ("columns", "outcomes", "applicant_types"):
        table = raw.get(part, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise LedgerFileError(name, "ledger.mapping.not_words", part=part)
        parts[part] = table
    return LedgerMapping(**parts)


# ------------------------------------------------------------------------------------------ sheets
MAX_CSV_BYTES = 100 * 1024 * 1024  # bounded reads: /dev/zero or a pipe named .csv is not a ledger


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        data = read_bounded(path, MAX_CSV_BYTES)
    except InputTooLarge:
        raise LedgerFileError(str(path), "ledger.file.too_large", mb=MAX_CSV_BYTES >> 20) from None
    except OSError as exc:
        raise LedgerFileError(str(path), "ledger.file.cannot_read", why=exc.strerror or exc) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise LedgerFileError(str(path), "ledger.file.encoding") from None
    rows: list[list[str]] = []
    cells = 0
    try:
        # csv reads the text as a stream: a quoted cell may hold line breaks (not splitlines()).
        for row in csv.reader(io.StringIO(text, newline="")):
            cells += max(len(row), 1)  # 1-byte cells would make 100 MB into gigabytes of lists
            if cells > MAX_CELLS:
                raise LedgerFileError(str(path), "ledger.file.too_many_cells", cells=f"{MAX_CELLS:,}")
            # The export's CSV put an apostrophe before formula-like text (csvcells): take it off.
            rows.append([unescape(c) for c in row])
    except csv.Error as exc:
        raise LedgerFileError(str(path), "ledger.file.not_csv", why=exc) from None
    return rows


def _sheets(path: Path) -> Iterator[tuple[str, list[list[Any]]]]:
    if path.suffix.lower() == ".csv":
        yield path.stem, _csv_rows(path)
        return
    yield from read_sheets(path)  # in a child under a memory cap and a time limit


def _header_map(header: list[Any], known: Mapping[str, str], mapping: LedgerMapping) -> dict[int, str]:
    keys = set(known.values())
    found: dict[int, str] = {}
    for i, cell in enumerate(header):
        name = str(cell).strip() if cell is not None else ""
        name = mapping.columns.get(name, name)
        base, suffix = re.match(r"^(.*?)(\d*)$", name).groups()  # type: ignore[union-attr]
        key = known.get(name) or (name if name in keys else None)
        if key is None and suffix and (known.get(base) or base) in ("consult_from", "consult_to"):
            key = f"{known.get(base) or base}{suffix}"
        if key is not None:
            found[i] = key
    return found


# ------------------------------------------------------------------------------------------ cells
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    m = _DATE.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise _NotADate("ledger.not_a_date", text)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise _NotADate("ledger.not_a_calendar_date", text) from None


class _NotADate(ValueError):
    """A cell that is not a date: (message id, the cell's text)."""


def _cells(row: list[Any], columns: dict[int, str]) -> dict[str, Any]:
    """The row's non-empty cells by key: dates as dates, everything else as stripped text."""
    values: dict[str, Any] = {}
    for j, key in columns.items():
        if j < len(row):
            value = row[j]
            if isinstance(value, date):
                values[key] = value
            elif (text := _text(value)) is not None:
                values[key] = text
    return values


@dataclass
class _Row:
    sheet: str
    row: int
    values: dict[str, Any]
    errors: list[RowError]
    columns: dict[str, str]  # key → header as printed (for messages)
    consult: tuple[str, ...] = ("",)  # suffixes of the sheet's consultation columns ("", "2", …)

    def error(self, key: str, msg_id: str, **fields: object) -> None:
        """The cell `key` of this row is wrong: message `msg_id` of the catalogue with `fields`."""
        self.errors.append(
            RowError(self.sheet, self.row, self.columns.get(key, key), msg_id, tuple(fields.items()))
        )

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return value if value is None or isinstance(value, str) else str(value)

    def date(self, key: str) -> date | None:
        value = self.values.get(key)
        if value is None:
            return None
        try:
            return _date(value)
        except _NotADate as exc:
            self.error(key, exc.args[0], value=exc.args[1])
            return None


def _application(r: _Row, mapping: LedgerMapping) -> Application | None:
    before = len(r.errors)
    for key in APPLICATION_REQUIRED:
        if r.text(key) is None:
            r.error(key, "ledger.required_empty")
    received = r.date("received")
    kind_word = r.text("applicant_type")
    applicant_type = None
    if kind_word is not None:
        applicant_type = APPLICANT_TYPES.get(mapping.applicant_types.get(kind_word, kind_word))
        if applicant_type is None:
            r.error(
                "applicant_type",
                "ledger.not_an_applicant_type",
                value=kind_word,
                choices="、".join(APPLICANT_TYPES),
            )
    channel = r.text("channel")
    if channel is not None and channel not in CHANNELS:
        r.error("channel", "ledger.not_a_channel", value=channel, choices="、".join(CHANNELS))
    dates = {
        k: r.date(k)
        for k in ("correction_notified", "correction_due", "correction_received", "extended",
                  "fee_notified", "fee_paid", "replied")
    }  # fmt: skip
    consultations = []
    for s in r.consult:
        first, last = r.date(f"consult_from{s}"), r.date(f"consult_to{s}")
        if (first is None) != (last is None):
            r.error(
                f"consult_from{s}" if first is None else f"consult_to{s}",
                "ledger.consultation_half",
            )
        elif first is not None and last is not None:
            consultations.append((first, last))
    replied = dates["replied"]
    if received is not None and replied is not None and replied < received:
        r.error("replied", "ledger.replied_before_received", replied=replied, received=received)
    outcome_word = r.text("outcome")
    outcome = None
    if outcome_word is not None:
        if replied is None:
            r.error("outcome", "ledger.outcome_needs_reply", column="答复日期")
        else:
            template = template_for_year(replied.year)
            if template is None:
                r.error("replied", "ledger.no_template", year=replied.year)
            else:
                outcome = resolve(outcome_word, template, mapping.outcomes)
                if outcome is None:
                    r.error("outcome", "ledger.not_an_outcome", value=outcome_word, template=template.id)
    fee_method = r.text("fee_method")
    if fee_method is not None and fee_method not in FEE_METHODS:
        r.error("fee_method", "ledger.not_a_fee_method", value=fee_method, choices="、".join(FEE_METHODS))
    pages = None
    if r.text("pages") is not None:
        try:
            pages = int(Decimal(str(r.values["pages"])))
            if pages < 0:
                raise ValueError
        except (InvalidOperation, ValueError):
            r.error("pages", "ledger.not_pages", value=r.text("pages"))
    if fee_method == "按量" and pages is None:
        r.error("pages", "ledger.pages_needed", method="按量")
    fee_yuan = None
    if r.text("fee_yuan") is not None:
        try:
            fee_yuan = Decimal(str(r.text("fee_yuan")).replace(",", ""))
        except InvalidOperation:
            r.error("fee_yuan", "ledger.not_an_amount", value=r.text("fee_yuan"))
    if len(r.errors) > before or received is None or applicant_type is None:
        return None
    number = r.text("number")
    assert number is not None
    return Application(
        number=number, received=received, applicant_type=applicant_type, channel=channel,
        applicant=r.text("applicant"), id_number=r.text("id_number"), contact=r.text("contact"),
        request=r.text("request"), handler=r.text("handler"), consultations=tuple(consultations),
        fee_method=fee_method, pages=pages, fee_yuan=fee_yuan, outcome=outcome,
        reply_form=r.text("reply_form"), note=r.text("note"), **dates,
    )  # fmt: skip


def _case(r: _Row) -> Case | None:
    before = len(r.errors)
    for key in CASE_REQUIRED:
        if r.text(key) is None:
            r.error(key, "ledger.required_empty")
    kind_word = r.text("kind")
    kind = CASE_KINDS.get(kind_word or "")
    if kind_word is not None and kind is None:
        r.error("kind", "ledger.not_a_case_type", value=kind_word, choices="、".join(CASE_KINDS))
    filed, closed = r.date("filed"), r.date("closed")
    result_word = r.text("result")
    result = CASE_RESULTS.get(result_word or "")
    if result_word is not None and result is None:
        r.error("result", "ledger.not_a_result", value=result_word, choices="、".join(CASE_RESULTS))
    if filed and closed and closed < filed:
        r.error("closed", "ledger.closed_before_filed", closed=closed, filed=filed)
    if closed is not None and result_word is None:
        r.error("result", "ledger.result_needed")
    if closed is None and result_word is not None:
        r.error("closed", "ledger.closed_needed", column="结案日期")
    if len(r.errors) > before or kind is None or filed is None:
        return None
    number = r.text("number")
    assert number is not None
    return Case(number, kind, filed, closed, result, r.text("application"), r.text("note"))


def read_ledger(path: Path, agency: str, mapping: LedgerMapping | None = None) -> Register:
    """The register the ledger at `path` records, or LedgerError naming every bad row."""
    mapping = mapping or LedgerMapping()
    if not path.is_file():
        raise LedgerFileError(str(path), "ledger.file.missing")
    register = Register(agency)
    errors: list[RowError] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    kinds_found = []
    for sheet, rows in _sheets(path):
        if not rows:
            continue
        header_at = next((i for i, row in enumerate(rows) if any(_text(c) for c in row)), None)
        if header_at is None:
            continue
        header = rows[header_at]
        is_case = any(
            mapping.columns.get(str(c).strip(), str(c).strip()) in ("案件编号", "kind", "类型")
            for c in header
            if c
        )
        known = CASE_HEADERS if is_case else APPLICATION_HEADERS
        columns = _header_map(header, known, mapping)
        printed = {key: str(header[i]).strip() for i, key in columns.items()}
        required = CASE_REQUIRED if is_case else APPLICATION_REQUIRED
        missing = [k for k in required if k not in columns.values()]
        if missing:
            names = {v: k for k, v in known.items()}
            if not is_case and "number" in missing and "received" in missing:
                continue  # not a ledger sheet (a notes or summary sheet)
            errors.append(
                RowError(
                    sheet,
                    header_at + 1,
                    "",
                    "ledger.missing_columns",
                    (("columns", ", ".join(names.get(k, k) for k in missing)),),
                )
            )
            continue
        kinds_found.append("case" if is_case else "application")
        consult = tuple(sorted({m[2] for k in columns.values() if (m := _CONSULT.match(k))}))
        for i in range(header_at + 1, len(rows)):
            values = _cells(rows[i], columns)
            if not values:
                continue
            r = _Row(sheet, i + 1, values, errors, printed, consult)
            entry = _case(r) if is_case else _application(r, mapping)
            number = r.text("number")
            kind = "case" if is_case else "application"
            if number is not None:
                if (kind, number) in seen:
                    first_sheet, first_row = seen[(kind, number)]
                    r.error(
                        "number", "ledger.repeated_number", value=number, sheet=first_sheet, row=first_row
                    )
                    continue
                seen[(kind, number)] = (sheet, i + 1)
            if isinstance(entry, Application):
                register.applications.append(entry)
            elif isinstance(entry, Case):
                register.cases.append(entry)
    if not kinds_found and not errors:
        errors.append(
            RowError(
                path.name,
                0,
                "",
                "ledger.no_ledger_sheet",
                (("applications", "编号, 收到日期, 申请人类型"), ("cases", "案件编号, 类型, 收到日期")),
            )
        )
    if errors:
        raise LedgerError(str(path), errors)
    return register
