"""The register's REST API (issue 14 item 7), under /api/register and /api/calendar, described in
the app's OpenAPI: the same reads and writes as the register's pages, with the same access rules
(`xxgk.web.registers`): 401 without a token, 403 for a viewer or another agency's office user,
404 for an unknown agency or case, 422 with a one-line reason (and, for a refused ledger, every
bad row) for bad input. Lists page by `limit` and `cursor` as the rest of /api does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as Path_
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from xxgk.i18n import Lang, say
from xxgk.register.cases import Application
from xxgk.register.errors import CalendarGapError, LedgerFileError
from xxgk.register.findings import due_list
from xxgk.register.ledger import LedgerError, parse_mapping
from xxgk.register.listing import ApplicationFilter, filter_applications
from xxgk.register.personal import masked
from xxgk.register.store import agencies, cover_years, load_calendar, set_day
from xxgk.storage.db import Database
from xxgk.web.accounts import Account
from xxgk.web.api import Cursor, Limit, Page
from xxgk.web.auditlog import record
from xxgk.web.deps import WebError, api_account, get_db, get_settings
from xxgk.web.registers import (
    InputGiven,
    calendar,
    can_import,
    case_file,
    compile_for_web,
    explain_cell,
    import_upload,
    is_registrar,
    open_register,
    register_agency,
    store_inputs,
    year_inputs,
)

router = APIRouter(prefix="/api", tags=["register"])

Caller = Annotated[Account, Depends(api_account)]
Db = Annotated[Database, Depends(get_db)]
AgencyQ = Annotated[
    str | None,
    Query(max_length=255, description="The agency (an office user's own agency when omitted)."),
]
YearQ = Annotated[int, Query(ge=2019, le=2200, description="The report year.")]
CalendarYear = Annotated[int, Path_(ge=1900, le=2200)]


class DayIn(BaseModel):
    kind: Literal["holiday", "workday", "ordinary"]
    name: str | None = Field(default=None, max_length=64)


def _agency(caller: Account, agency: str | None) -> str:
    name = register_agency(caller, agency)
    if name is None:
        raise WebError(422, "agency: name the agency (see GET /api/register/agencies)")
    return name


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not cursor.isdigit() or len(cursor) > 9:
        raise WebError(422, "cursor: not a cursor this API returned")
    return int(cursor)


def _application(app: Application, reveal: bool) -> dict[str, Any]:
    data = app.to_data()
    return data if reveal else masked(data)


@router.get("/register/agencies", summary="Agencies whose register the caller may read")
def get_register_agencies(caller: Caller, db: Db) -> dict[str, list[str]]:
    own = register_agency(caller, None)  # 403 for a viewer; an office user's own agency
    return {"agencies": [own] if own is not None else agencies(db)}


@router.get("/register/applications", summary="The register's applications, filtered", response_model=Page)
def get_applications(
    request: Request,
    caller: Caller,
    db: Db,
    agency: AgencyQ = None,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Year received.")] = None,
    status: Annotated[Literal["open", "replied"] | None, Query()] = None,
    handler: Annotated[str | None, Query(max_length=255)] = None,
    applicant_type: Annotated[str | None, Query(max_length=32, description="A table 3 column key.")] = None,
    outcome: Annotated[str | None, Query(max_length=64, description="A table 3 row key.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page:
    name = _agency(caller, agency)
    register = open_register(request, name)
    found = filter_applications(
        register.applications, ApplicationFilter(year, status, handler, applicant_type, outcome)
    )
    start = _offset(cursor)
    reveal = is_registrar(caller, name)
    items = [_application(a, reveal) for a in found[start : start + limit]]
    more = start + limit < len(found)
    return Page(items=items, next_cursor=str(start + limit) if more else None)


@router.get(
    "/register/cases/{number:path}", summary="One application or case: fields, events, deadlines, versions"
)
def get_case(
    request: Request,
    caller: Caller,
    db: Db,
    number: Annotated[str, Path_(min_length=1, max_length=64)],
    agency: AgencyQ = None,
) -> dict[str, Any]:
    name = _agency(caller, agency)
    found = case_file(db, open_register(request, name), number, is_registrar(caller, name))
    d = found.deadlines
    return {
        "agency": name,
        "kind": found.kind,
        "number": found.number,
        "data": found.data,
        "personal_data_masked": found.masked,
        "events": [{"date": day.isoformat(), "event": what} for day, what in found.events],
        "deadlines": None
        if d is None
        else {
            "correction_notice_due": d.correction_notice_due.isoformat(),
            "reply_start": d.reply_start.isoformat() if d.reply_start else None,
            "original_due": d.original_due.isoformat() if d.original_due else None,
            "extension_valid": d.extension_valid,
            "reply_due": d.reply_due.isoformat() if d.reply_due else None,
            "fee_payment_due": d.fee_payment_due.isoformat() if d.fee_payment_due else None,
        },
        "deadline_problem": found.deadline_problem,
        "versions": [
            {
                "version": v.version, "author": v.author, "source": v.source,
                "created_at": v.created_at.isoformat(),
                "changes": [{"field": c.key, "before": c.before, "after": c.after} for c in v.changes],
            }
            for v in found.history
        ],
    }  # fmt: skip


@router.get("/register/due", summary="Open applications due within N working days, and the overdue ones")
def get_due(
    request: Request,
    caller: Caller,
    db: Db,
    agency: AgencyQ = None,
    within: Annotated[int, Query(ge=0, le=250)] = 5,
    today: Annotated[date | None, Query(description="Count from this date (default: today).")] = None,
    handler: Annotated[str | None, Query(max_length=255)] = None,
) -> dict[str, Any]:
    name = _agency(caller, agency)
    register = open_register(request, name)
    day = today or date.today()
    try:
        rows, gaps = due_list(register.applications, calendar(db), day, within, handler=handler or None)
    except CalendarGapError as exc:
        raise WebError(422, str(exc)) from None
    return {
        "agency": name,
        "today": day.isoformat(),
        "within": within,
        "items": [
            {"number": r.number, "received": r.received.isoformat(), "handler": r.handler,
             "due": r.due.isoformat(), "what": r.what, "working_days_left": r.working_days_left,
             "overdue": r.working_days_left < 0, "urgency": r.urgency}
            for r in rows
        ],
        "problems": [g.message for g in gaps],
    }  # fmt: skip


def _said(msg_id: str, message: Callable[[Lang], str]) -> dict[str, str]:
    """A refusal's message id and its text in both languages, as a finding has `rule`, `message`
    and `message_en` in /api/reports: a client shows its own language, or keys on the id."""
    return {"id": msg_id, "message": message("zh"), "message_en": message("en")}


@router.post("/register/import", summary="Import a ledger (.xlsx/.xls/.ods/.csv): all or nothing")
def post_import(
    request: Request,
    caller: Caller,
    db: Db,
    file: Annotated[UploadFile, File(description="The ledger.")],
    agency: Annotated[str | None, Form(max_length=255)] = None,
    mapping: Annotated[
        UploadFile | None,
        File(description="A mapping file (TOML) of the office's own headers and words, as `--mapping`."),
    ] = None,
    lang: Annotated[Lang, Query(description="The language of `detail` and of each error's `reason`.")] = "en",
) -> Any:
    name = _agency(caller, agency)
    if not can_import(caller, name):
        raise WebError(403, "only admins and the agency's own users can import its ledger")
    limit = get_settings(request).max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise WebError(413, f"the file is larger than the {limit // (1024 * 1024)} MB limit")
    filename = file.filename or "ledger.xlsx"
    given: tuple[bytes, str] | None = None  # the mapping file: the office's own headers and words
    if mapping is not None and mapping.filename:
        given = (mapping.file.read(limit + 1), mapping.filename[-200:])
        if len(given[0]) > limit:
            raise WebError(413, f"{mapping.filename}: larger than the {limit // (1024 * 1024)} MB limit")
    try:
        words = parse_mapping(*given) if given else None
        register, result = import_upload(db, name, filename, data, caller.name, mapping=words)
    except LedgerFileError as exc:
        return JSONResponse(
            {"detail": f"{exc.name}: {exc.message(lang)}", **_said(exc.msg_id, exc.message)}, status_code=422
        )
    except LedgerError as exc:
        return JSONResponse(
            {
                "detail": say("reg.import_refused", lang, file=filename, n=len(exc.errors)),
                "errors": [
                    {"sheet": e.sheet, "row": e.row, "column": e.column, "reason": e.message(lang)}
                    | _said(e.msg_id, e.message)
                    for e in exc.errors
                ],
            },
            status_code=422,
        )
    return {
        "agency": name,
        "applications": len(register.applications),
        "cases": len(register.cases),
        "added": result.added,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "published_years_touched": {str(y): n for y, n in result.frozen_years_touched.items()},
    }


@router.get("/register/compile", summary="The year's report compiled from the register (report JSON)")
def get_compile(request: Request, caller: Caller, year: YearQ, agency: AgencyQ = None) -> dict[str, Any]:
    name = _agency(caller, agency)
    done = compile_for_web(request, name, year)
    report = done.compiled.report.to_dict()
    report["findings"] = [f.model_dump(mode="json") for f in done.compiled.findings]
    return {
        "report": report,
        "published_differences": [
            {"cell": c, "published": _json(a), "now": _json(b)} for c, a, b in done.differences
        ],
    }


class CompileInputsIn(BaseModel):
    """Table 2's cells and/or the six sections' texts of a year, as the CLI's files hold them: a
    field left out keeps what is stored."""

    table2: dict[str, dict[str, Any]] | None = Field(
        default=None, description='Table 2 rows → columns → numbers, e.g. {"licensing": {"decisions": 12}}.'
    )
    sections: dict[str, str] | None = Field(
        default=None, description='Section texts, e.g. {"1": "…", "6": "…"}.'
    )


def _inputs(db: Database, name: str, year: int) -> dict[str, Any]:
    inputs, frozen = year_inputs(db, name, year)
    return {
        "agency": name,
        "year": year,
        "published": frozen,
        "table2": inputs.table2,
        "sections": {str(n): t for n, t in inputs.texts.items()} if inputs.texts is not None else None,
        "given": {
            kind: {"source": g.source, "author": g.author, "changed_at": g.changed_at.isoformat()}
            for kind, g in inputs.given.items()
        },
    }


@router.get("/register/compile/inputs", summary="Table 2's cells and the sections' texts stored for a year")
def get_compile_inputs(caller: Caller, db: Db, year: YearQ, agency: AgencyQ = None) -> dict[str, Any]:
    return _inputs(db, _agency(caller, agency), year)


@router.put(
    "/register/compile/inputs",
    summary="Give a year's table 2 cells and/or section texts (the agency's users and admins)",
)
def put_compile_inputs(
    caller: Caller, db: Db, year: YearQ, body: CompileInputsIn, agency: AgencyQ = None
) -> dict[str, Any]:
    name = _agency(caller, agency)
    if not can_import(caller, name):
        raise WebError(403, "only admins and the agency's own users can give table 2 and the texts")
    year_inputs(db, name, year)  # 404 for an agency with no register
    given = []
    if body.table2 is not None:
        given.append(InputGiven("table2", "table2", raw=body.table2))
    if body.sections is not None:
        given.append(InputGiven("sections", "sections", raw=body.sections))
    if not given:
        raise WebError(422, "give table2 and/or sections")
    store_inputs(db, name, year, given, caller.name)
    return _inputs(db, name, year)


@router.get("/register/explain", summary="The cases counted in one cell of the compiled year")
def get_explain(
    request: Request,
    caller: Caller,
    db: Db,
    year: YearQ,
    cell: Annotated[str, Query(max_length=96, description="e.g. table3.granted.commercial")],
    agency: AgencyQ = None,
) -> dict[str, Any]:
    name = _agency(caller, agency)
    done = compile_for_web(request, name, year)
    numbers = explain_cell(done.compiled, cell)
    report = done.compiled.report
    return {"cell": cell, "value": _json(report.value(cell)) if report.has(cell) else None, "cases": numbers}


def _json(value: Any) -> Any:
    return value if value is None or isinstance(value, int) else str(value)


@router.get("/calendar/{year}", summary="A year's holidays and make-up working days")
def get_calendar(year: CalendarYear, caller: Caller, db: Db) -> dict[str, Any]:
    cal = load_calendar(db)
    try:
        cal.check_year(date(year, 1, 1))
    except CalendarGapError as exc:
        raise WebError(404, str(exc)) from None
    days = list(cal.days_of_year(year))
    return {
        "year": year,
        "working_days": sum(1 for _, w, _ in days if w),
        "days": [
            {"date": d.isoformat(), "kind": "workday" if w else "holiday", "name": why}
            for d, w, why in days
            if d in cal.exceptions
        ],
    }


def _admin(caller: Account) -> None:
    if not caller.is_admin:
        raise WebError(403, f"role {caller.role} cannot edit the calendar (admins only)")


@router.put(
    "/calendar/days/{day}", summary="Make a day a holiday, a make-up working day, or ordinary (admins)"
)
def put_calendar_day(day: date, body: DayIn, caller: Caller, db: Db) -> dict[str, Any]:
    _admin(caller)
    if not 1900 <= day.year <= 2200:
        raise WebError(422, "day: a date between 1900 and 2200")
    set_day(db, day, None if body.kind == "ordinary" else body.kind, body.name, source=f"web:{caller.name}")
    with db.session() as s:
        record(s, caller.name, "calendar.set", f"calendar:{day.isoformat()}", None, body.model_dump())
    return {"date": day.isoformat(), "kind": body.kind, "name": body.name}


@router.post("/calendar/{year}/cover", summary="Declare a year's calendar complete (admins)")
def post_calendar_cover(year: CalendarYear, caller: Caller, db: Db) -> dict[str, Any]:
    _admin(caller)
    cover_years(db, [year], source=f"web:{caller.name}")
    with db.session() as s:
        record(s, caller.name, "calendar.cover", f"calendar:{year}", None, {"year": year})
    return {"year": year, "covered": True}
