"""Given a register, the ledger as Excel (xlsxwriter) or CSV, in R.1's columns — so an unmasked
export imports back unchanged. Personal data is masked unless `reveal_personal` is asked for
explicitly (R.7)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from xxgk.register import csvcells
from xxgk.register.cases import APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, Application, Case, Register
from xxgk.register.ledger import APPLICATION_HEADERS, CASE_HEADERS
from xxgk.register.outcomes import printed
from xxgk.register.personal import masked
from xxgk.templates import template_for_year

_TYPE_WORDS = {v: k for k, v in APPLICANT_TYPES.items()}
_KIND_WORDS = {v: k for k, v in CASE_KINDS.items()}
_RESULT_WORDS = {v: k for k, v in CASE_RESULTS.items()}
APPLICATIONS_SHEET = "申请台账"
CASES_SHEET = "复议诉讼"


def _application_header(register: Register) -> list[str]:
    extra = max((len(a.consultations) for a in register.applications), default=0)
    header = list(APPLICATION_HEADERS)
    at = header.index("征求意见结束") + 1
    for n in range(2, extra + 1):
        header[at:at] = [f"征求意见开始{n}", f"征求意见结束{n}"]
        at += 2
    return header


def _application_row(app: Application, header: list[str], reveal: bool) -> list[Any]:
    data = app.to_data()
    data = data if reveal else masked(data)
    data["applicant_type"] = _TYPE_WORDS[app.applicant_type]
    if app.outcome and app.replied:
        template = template_for_year(app.replied.year)
        data["outcome"] = printed(app.outcome, template.id) if template else app.outcome
    for i, (first, last) in enumerate(app.consultations, start=1):
        suffix = "" if i == 1 else str(i)
        data[f"consult_from{suffix}"], data[f"consult_to{suffix}"] = first.isoformat(), last.isoformat()
    keys = [APPLICATION_HEADERS.get(h) or _consult_key(h) for h in header]
    return [data.get(k, "") for k in keys]


def _consult_key(header: str) -> str:
    for word, key in (("征求意见开始", "consult_from"), ("征求意见结束", "consult_to")):
        if header.startswith(word):
            return key + header[len(word) :]
    return header


def _case_row(case: Case) -> list[Any]:
    data = case.to_data()
    data["kind"] = _KIND_WORDS[case.kind]
    if case.result:
        data["result"] = _RESULT_WORDS[case.result]
    return [data.get(k, "") for k in CASE_HEADERS.values()]


def rows(register: Register, reveal_personal: bool = False) -> Iterator[tuple[str, list[list[Any]]]]:
    """(sheet name, rows with the header first) for the applications and the cases."""
    header = _application_header(register)
    yield (
        APPLICATIONS_SHEET,
        [header, *(_application_row(a, header, reveal_personal) for a in register.applications)],
    )
    yield CASES_SHEET, [list(CASE_HEADERS), *(_case_row(c) for c in register.cases)]


def to_xlsx(register: Register, reveal_personal: bool = False) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    for name, table in rows(register, reveal_personal):
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if value not in ("", None):
                    sheet.write_string(r, c, str(value), bold if r == 0 else None)
    book.close()
    return out.getvalue()


def to_csv(register: Register, reveal_personal: bool = False) -> dict[str, bytes]:
    """One CSV per sheet (UTF-8 with BOM, which Excel opens as UTF-8); formula-like text is
    neutralised (csvcells), and the Excel export writes every cell as text, never a formula."""
    files = {}
    for name, table in rows(register, reveal_personal):
        buf = io.StringIO()
        csv.writer(buf).writerows([[csvcells.escape(v) for v in row] for row in table])
        files[name] = ("\ufeff" + buf.getvalue()).encode("utf-8")
    return files
