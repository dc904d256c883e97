"""The register's pages (issue 14 item 7): the list with filters, a case page (events, due dates,
versions), the due/overdue list, import of a ledger, compile with a preview and a DOCX download,
the cases behind a cell. Who may see what: `xxgk.web.registers`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Query, Request
from fastapi import Path as Path_
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from xxgk.i18n import say
from xxgk.register.cases import Application, Register
from xxgk.register.errors import CalendarGapError, LedgerFileError
from xxgk.register.findings import due_list
from xxgk.register.inputs import KINDS
from xxgk.register.ledger import LedgerError, parse_mapping
from xxgk.register.listing import (
    STATUSES,
    ApplicationFilter,
    applicant_type_names,
    case_words,
    field_names,
    filter_applications,
    handlers,
    outcome_names,
    years,
)
from xxgk.register.personal import masked
from xxgk.register.store import agencies
from xxgk.web.deps import Visitor, WebError, get_db, get_settings, page_account, page_writer
from xxgk.web.pages import render, router
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
)
from xxgk.web.views import report_tables

Account_ = Annotated[Visitor, Depends(page_account)]
Writer = Annotated[Visitor, Depends(page_writer)]
AgencyQ = Annotated[str | None, Query(max_length=255)]
PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page(request: Request, template: str, who: Visitor, **ctx: Any) -> HTMLResponse:
    """`render` with `say(id, **fields)` in the visitor's language for the catalogue's words."""

    def say_(msg_id: str, **fields: object) -> str:
        return say(msg_id, who.lang, **fields)

    return render(
        request,
        template,
        who,
        say=say_,
        type_names=applicant_type_names(),
        outcome_names=outcome_names(),
        case_words=case_words(),
        **ctx,
    )


def _agency(who: Visitor, asked: str | None) -> str | None:
    return register_agency(who.account, asked, who.lang)


def _choose(request: Request, who: Visitor, target: str) -> HTMLResponse:
    """An admin's or supervisor's agency picker, for a page that needs one."""
    return page(request, "register_choose.html.j2", who, agencies=agencies(get_db(request)), target=target)


def link(path: str, **params: Any) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def _shown(app: Application, reveal: bool) -> dict[str, Any]:
    data = app.to_data()
    return data if reveal else masked(data)


@router.get("/register", response_class=HTMLResponse)
def register_list(
    request: Request,
    who: Account_,
    agency: AgencyQ = None,
    year: Annotated[str | None, Query(max_length=4)] = None,  # the form sends "" for all years
    status: Annotated[str | None, Query(max_length=16)] = None,
    handler: Annotated[str | None, Query(max_length=255)] = None,
    applicant_type: Annotated[str | None, Query(max_length=32)] = None,
    outcome: Annotated[str | None, Query(max_length=64)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    name = _agency(who, agency)
    if name is None:
        return _choose(request, who, "/register")
    if status and status not in STATUSES:
        raise WebError(422, f"status: one of {', '.join(STATUSES)}")
    if year and not year.isdigit():
        raise WebError(422, "year: a year such as 2025")
    register = open_register(request, name, who.lang)
    wanted = ApplicationFilter(
        int(year) if year else None, status or None, handler or None, applicant_type or None, outcome or None
    )
    found = filter_applications(register.applications, wanted)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    reveal = is_registrar(who.account, name)
    shown = [_shown(a, reveal) for a in found[(page_no - 1) * PAGE_SIZE : page_no * PAGE_SIZE]]
    params = {
        "agency": name, "year": year, "status": status, "handler": handler,
        "applicant_type": applicant_type, "outcome": outcome,
    }  # fmt: skip
    return page(
        request,
        "register_list.html.j2",
        who,
        agency=name,
        rows=shown,
        total=len(found),
        page_no=page_no,
        pages=pages,
        prev_url=link("/register", **params, page=page_no - 1) if page_no > 1 else None,
        next_url=link("/register", **params, page=page_no + 1) if page_no < pages else None,
        wanted=wanted,
        years=years(register.applications),
        handlers=handlers(register.applications),
        cases=register.cases,
        reveal=reveal,
        case_url=lambda number: link(f"/register/cases/{quote(number, safe='')}", agency=name),
    )


@router.get("/register/cases/{number:path}", response_class=HTMLResponse)
def register_case(
    request: Request, who: Account_, number: Annotated[str, Path_(max_length=64)], agency: AgencyQ = None
) -> Response:
    name = _agency(who, agency)
    if name is None:
        return _choose(request, who, f"/register/cases/{quote(number, safe='')}")
    db = get_db(request)
    register = open_register(request, name, who.lang)
    found = case_file(db, register, number, is_registrar(who.account, name), who.lang)
    return page(
        request, "register_case.html.j2", who, agency=name, case=found, field_names=field_names(found.kind)
    )


@router.get("/register/due", response_class=HTMLResponse)
def register_due(
    request: Request,
    who: Account_,
    agency: AgencyQ = None,
    within: Annotated[int, Query(ge=0, le=250)] = 5,
    today: Annotated[str | None, Query(max_length=10)] = None,  # "" from an emptied date field: today
    handler: Annotated[str | None, Query(max_length=255)] = None,
) -> Response:
    name = _agency(who, agency)
    if name is None:
        return _choose(request, who, "/register/due")
    db = get_db(request)
    register = open_register(request, name, who.lang)
    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise WebError(422, f"today: {today!r} is not a date (write 2025-01-20)") from None
    try:
        rows, gaps = due_list(register.applications, calendar(db), day, within, handler=handler or None)
    except CalendarGapError as exc:
        raise WebError(422, str(exc)) from None
    return page(
        request,
        "register_due.html.j2",
        who,
        agency=name,
        rows=rows,
        gaps=gaps,
        today=day,
        within=within,
        handler=handler or "",
        handlers=handlers(register.applications),
        case_url=lambda number: link(f"/register/cases/{quote(number, safe='')}", agency=name),
    )


@router.get("/register/import", response_class=HTMLResponse)
def register_import_form(request: Request, who: Account_, agency: AgencyQ = None) -> Response:
    name = _agency(who, agency)
    return page(
        request,
        "register_import.html.j2",
        who,
        agency=name,
        agencies=agencies(get_db(request)) if name is None else [],
        problems=None,
        result=None,
    )


@router.post("/register/import", response_class=HTMLResponse)
async def register_import(request: Request, who: Writer) -> Response:
    form = await request.form()
    asked = form.get("agency")
    name = _agency(who, asked if isinstance(asked, str) else None)
    if name is None:
        raise WebError(422, say("reg.need_agency", who.lang))
    if not can_import(who.account, name):
        raise WebError(403, say("reg.import_denied", who.lang))
    upload = form.get("ledger")
    if upload is None or isinstance(upload, str):
        raise WebError(422, say("reg.need_ledger", who.lang))
    limit = get_settings(request).max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise WebError(413, f"{upload.filename}: larger than the {limit // (1024 * 1024)} MB upload limit")
    mapping_file = form.get("mapping")  # optional: the office's own headers and words
    mapping: tuple[str, bytes] | None = None
    if mapping_file is not None and not isinstance(mapping_file, str) and mapping_file.filename:
        mapping_data = await mapping_file.read(limit + 1)
        if len(mapping_data) > limit:
            raise WebError(
                413, f"{mapping_file.filename}: larger than the {limit // (1024 * 1024)} MB upload limit"
            )
        mapping = (mapping_file.filename[-200:], mapping_data)
    assert who.account is not None
    filename = upload.filename or "ledger.xlsx"
    # Reading the ledger and storing it block: on a worker thread, so other requests go on.
    return await run_in_threadpool(_import_page, request, who, name, filename, data, mapping)


def _import_page(
    request: Request, who: Visitor, name: str, filename: str, data: bytes, mapping: tuple[str, bytes] | None
) -> HTMLResponse:
    """Given an uploaded ledger (and mapping file), import it and return the page: the result, or
    every bad row."""
    assert who.account is not None
    shown: dict[str, Any] = {"agency": name, "agencies": [], "filename": filename, "problems": None}
    try:  # the mapping file (the office's own headers and words), then the ledger
        words = parse_mapping(mapping[1], mapping[0]) if mapping else None
        register, result = import_upload(get_db(request), name, filename, data, who.account.name, words)
    except LedgerFileError as exc:  # the file as a whole: one line, in the visitor's language
        refused = f"{exc.name}: {exc.message(who.lang)}"
        return page(request, "register_import.html.j2", who, http_status=422, refused=refused, **shown)
    except LedgerError as exc:  # every bad row, nothing imported
        shown["problems"] = exc.errors
        return page(request, "register_import.html.j2", who, http_status=422, result=None, **shown)
    return page(request, "register_import.html.j2", who, result=result, register=register, **shown)


@router.get("/register/compile", response_class=HTMLResponse)
def register_compile(
    request: Request,
    who: Account_,
    agency: AgencyQ = None,
    year: Annotated[int | None, Query(ge=2019, le=2200)] = None,
) -> Response:
    name = _agency(who, agency)
    if name is None:
        return _choose(request, who, "/register/compile")
    if year is None:
        register = open_register(request, name, who.lang)
        return page(request, "register_compile.html.j2", who, agency=name, year=None, years=_years(register))
    return _compile_page(request, who, name, year)


def _years(register: Register) -> list[int]:
    return sorted(set(years(register.applications)) | {date.today().year - 1}, reverse=True)


def _compile_page(
    request: Request, who: Visitor, name: str, year: int, *, input_error: str | None = None
) -> HTMLResponse:
    done = compile_for_web(request, name, year, who.lang)
    report = done.compiled.report
    findings = [f.model_dump(mode="json") for f in done.compiled.findings]
    return page(
        request,
        "register_compile.html.j2",
        who,
        http_status=422 if input_error else 200,
        agency=name,
        year=year,
        years=_years(open_register(request, name, who.lang)),
        tables=report_tables(report.to_dict(), findings),
        findings=findings,
        template_id=report.template,
        differences=done.differences,
        given=done.inputs.given,
        can_give=can_import(who.account, name) and not done.frozen,
        frozen=done.frozen,
        input_error=input_error,
        explain_url=lambda cell: link("/register/explain", agency=name, year=year, cell=cell),
        docx_url=link("/register/compile.docx", agency=name, year=year),
    )


@router.post("/register/compile/inputs", response_class=HTMLResponse)
async def register_compile_inputs(request: Request, who: Writer) -> Response:
    """Upload table 2's cells and/or the sections' texts for a year (the CLI's file formats)."""
    form = await request.form()
    asked, year_text = form.get("agency"), form.get("year")
    name = _agency(who, asked if isinstance(asked, str) else None)
    if name is None:
        raise WebError(422, say("reg.need_agency", who.lang))
    if (
        not isinstance(year_text, str)
        or not year_text.isdigit()
        or len(year_text) != 4
        or not 2019 <= int(year_text) <= 2200
    ):
        raise WebError(422, "year: a year such as 2025")
    year = int(year_text)
    if not can_import(who.account, name):
        raise WebError(403, say("reg.inputs_denied", who.lang))
    assert who.account is not None
    limit = get_settings(request).max_upload_bytes
    given = []
    for kind in KINDS:
        upload = form.get(kind)
        if upload is None or isinstance(upload, str) or not upload.filename:
            continue
        data = await upload.read(limit + 1)
        filename = upload.filename[-200:]
        if len(data) > limit:
            error = f"{filename}: larger than the {limit // (1024 * 1024)} MB upload limit"
            return await run_in_threadpool(_compile_page, request, who, name, year, input_error=error)
        given.append(InputGiven(kind, filename, upload=data))
    # Validating, storing and compiling the preview block: on a worker thread.
    return await run_in_threadpool(_store_inputs_page, request, who, name, year, given)


def _store_inputs_page(
    request: Request, who: Visitor, name: str, year: int, given: list[InputGiven]
) -> Response:
    """Given the uploaded inputs, store them and go back to the compile page (or show it with
    the one-line reason a file was refused)."""
    assert who.account is not None
    if not given:
        return _compile_page(request, who, name, year, input_error=say("reg.need_inputs", who.lang))
    try:
        store_inputs(get_db(request), name, year, given, who.account.name, who.lang)
    except WebError as exc:
        if exc.status != 422:
            raise
        return _compile_page(request, who, name, year, input_error=exc.reason)
    return RedirectResponse(link("/register/compile", agency=name, year=year), status_code=303)


@router.get("/register/compile.docx")
def register_compile_docx(
    request: Request, who: Account_, year: Annotated[int, Query(ge=2019, le=2200)], agency: AgencyQ = None
) -> Response:
    from xxgk.register.compile import render_docx

    name = _agency(who, agency)
    if name is None:
        raise WebError(422, say("reg.need_agency", who.lang))
    done = compile_for_web(request, name, year, who.lang)
    filename = f"{name}{year}年政府信息公开工作年度报告.docx"
    return Response(
        render_docx(done.compiled.report),
        media_type=DOCX,
        headers={
            "Content-Disposition": f"attachment; filename=\"report-{year}.docx\"; filename*=UTF-8''{quote(filename)}"
        },
    )


@router.get("/register/explain", response_class=HTMLResponse)
def register_explain(
    request: Request,
    who: Account_,
    year: Annotated[int, Query(ge=2019, le=2200)],
    cell: Annotated[str, Query(max_length=96)],
    agency: AgencyQ = None,
) -> Response:
    name = _agency(who, agency)
    if name is None:
        return _choose(request, who, "/register/compile")
    done = compile_for_web(request, name, year, who.lang)
    numbers = explain_cell(done.compiled, cell)
    report = done.compiled.report
    return page(
        request,
        "register_explain.html.j2",
        who,
        agency=name,
        year=year,
        cell=cell,
        template_id=report.template,
        value=report.value(cell) if report.has(cell) else None,
        numbers=numbers,
        case_url=lambda number: link(f"/register/cases/{quote(number, safe='')}", agency=name),
        back_url=link("/register/compile", agency=name, year=year),
    )
