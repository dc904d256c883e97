"""The report page (tables as the template prints them, findings, source, corrections, history),
uploads and their progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from xxgk.audit.decisions import DecisionError
from xxgk.storage.models import FindingRow
from xxgk.storage.versions import current_version
from xxgk.web import queries
from xxgk.web.decisions import decide
from xxgk.web.deps import Visitor, WebError, get_db, get_settings, page_reader, page_writer
from xxgk.web.models import UPLOAD_FAILED, UPLOAD_QUEUED, UPLOAD_RUNNING, Upload
from xxgk.web.pages import render, router
from xxgk.web.sources import original, render_pdf_page, source_view
from xxgk.web.uploads import UploadError, UploadTooLarge, Worker, accept
from xxgk.web.versions import CorrectionError, correct, history
from xxgk.web.views import report_tables

Reader = Annotated[Visitor, Depends(page_reader)]
Writer = Annotated[Visitor, Depends(page_writer)]


def _report(request: Request, report_id: int) -> tuple[dict[str, Any], int, dict[str, Any]]:
    db = get_db(request)
    meta = queries.report_meta(db, report_id)
    with db.session() as s:
        found = current_version(s, report_id)
    if meta is None or found is None:
        raise WebError(404, f"no report with id {report_id}")
    return meta, found.version, found.data


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int, who: Reader, cell: str | None = None) -> Response:
    meta, version, data = _report(request, report_id)
    db = get_db(request)
    findings = queries.report_findings(db, report_id)
    can_correct = bool(who.account and who.account.can_write_for(meta["agency"] or meta["agency_name"]))
    return render(
        request,
        "report.html.j2",
        who,
        meta=meta,
        version=version,
        data=data,
        tables=report_tables(data, findings),
        findings=findings,
        history=history(db, report_id),
        can_decide=bool(who.account and who.account.can_decide),
        can_correct=can_correct,
        selected=cell,
    )


@router.get("/reports/{report_id}/source", response_class=HTMLResponse)
def report_source(request: Request, report_id: int, who: Reader, cell: str) -> Response:
    meta, _, data = _report(request, report_id)
    if len(cell) > 128 or cell.count(".") != 2:
        raise WebError(422, "cell: a cell key is table.row.column")
    view = source_view(data, cell, original(get_db(request), report_id))
    can_correct = bool(who.account and who.account.can_write_for(meta["agency"] or meta["agency_name"]))
    value = None
    table, row, col = cell.split(".")
    if table in ("table2", "table3", "table4"):
        value = ((data.get(table) or {}).get(row) or {}).get(col)
    return render(
        request,
        "source.html.j2",
        who,
        meta=meta,
        report_id=report_id,
        view=view,
        value=value,
        can_correct=can_correct,
    )


@router.get("/reports/{report_id}/pages/{page}.png")
def report_page_png(request: Request, report_id: int, page: int, who: Reader) -> Response:
    _report(request, report_id)
    orig = original(get_db(request), report_id)
    png = render_pdf_page(orig, page) if orig else None
    if png is None:
        raise WebError(404, "no such PDF page")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/reports/{report_id}/correct")
def report_correct(
    request: Request,
    report_id: int,
    who: Writer,
    cell: Annotated[str, Form(max_length=128)],
    value: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    meta, _, _ = _report(request, report_id)
    assert who.account is not None
    if not who.account.can_write_for(meta["agency"] or meta["agency_name"]):
        raise WebError(403, who.t("无权更正该机关的报告。", "You cannot correct this agency's reports."))
    try:
        correct(get_db(request), report_id, cell, value, reason, who.account.name)
    except CorrectionError as exc:
        raise WebError(422, str(exc)) from None
    return RedirectResponse(f"/reports/{report_id}?cell={cell}#history", status_code=303)


@router.post("/findings/{finding_id}/decide")
def finding_decide(
    request: Request,
    finding_id: int,
    who: Writer,
    decision: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    assert who.account is not None
    if not who.account.can_decide:
        raise WebError(403, who.t("只有督查人员可以处理问题。", "Only supervisors can decide findings."))
    db = get_db(request)
    with db.session() as s:
        report_id = s.scalar(select(FindingRow.report_id).where(FindingRow.id == finding_id))
    if report_id is None:
        raise WebError(404, f"no finding with id {finding_id}")
    try:
        decide(db, finding_id, decision, note, who.account.name)
    except DecisionError as exc:
        raise WebError(422, str(exc)) from None
    target = next if next.startswith("/") and not next.startswith("//") else f"/reports/{report_id}"
    return RedirectResponse(f"{target}#finding-{finding_id}", status_code=303)


# --------------------------------------------------------------------------- uploads
@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, who: Reader) -> Response:
    return render(request, "upload.html.j2", who, settings=get_settings(request), draft=False)


async def _files(request: Request) -> list[tuple[str, bytes]]:
    form = await request.form()
    out = []
    for item in form.getlist("files"):
        if not isinstance(item, str):
            data = await item.read()
            name = item.filename or ""
            if name or data:
                out.append((name, data))
    return out


async def accept_upload(request: Request, who: Visitor, *, draft: bool) -> str:
    """Read the form on the event loop, store the files on a worker thread (database writes and
    .zip unpacking block), queue them for reading; the batch id."""
    assert who.account is not None
    files = await _files(request)
    try:
        batch, ids = await run_in_threadpool(
            accept, get_db(request), get_settings(request), files, who.account, draft=draft
        )
    except UploadError as exc:
        raise WebError(413 if isinstance(exc, UploadTooLarge) else 422, str(exc)) from None
    worker: Worker = request.app.state.worker
    worker.submit(ids)
    return batch


@router.post("/upload")
async def upload(request: Request, who: Writer) -> Response:
    assert who.account is not None
    if not who.account.can_upload:
        raise WebError(
            403, who.t("办公室用户请使用“自查”上传草稿。", "Office users upload drafts under Self-check.")
        )
    batch = await accept_upload(request, who, draft=False)
    return RedirectResponse(f"/uploads/{batch}", status_code=303)


def batch_rows(request: Request, batch: str, who: Visitor) -> list[Upload]:
    with get_db(request).session() as s:
        rows = list(s.scalars(select(Upload).where(Upload.batch == batch[:32]).order_by(Upload.id)))
    if not rows:
        raise WebError(404, "no such upload")
    account = who.account
    if rows[0].draft:
        if account is None or not (account.agency and account.agency == rows[0].agency):
            raise WebError(
                404, "no such upload"
            )  # a draft is private to its agency: not even its existence shows
    elif account is None or not (account.can_upload or rows[0].user_id == account.id):
        raise WebError(404, "no such upload")
    return rows


@router.get("/uploads/{batch}", response_class=HTMLResponse)
def upload_progress(request: Request, batch: str, who: Reader) -> Response:
    rows = batch_rows(request, batch, who)
    fragment = bool(request.headers.get("hx-request"))
    pending = sum(r.status in (UPLOAD_QUEUED, UPLOAD_RUNNING) for r in rows)
    return render(
        request,
        "batch_rows.html.j2" if fragment else "batch.html.j2",
        who,
        batch=batch,
        rows=rows,
        pending=pending,
        failed=sum(r.status == UPLOAD_FAILED for r in rows),
    )
