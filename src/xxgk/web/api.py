"""The REST API under /api/ (issue 13 item 6), described at /openapi.json, docs at /api/docs.

Bearer tokens (`xxgk users token NAME`). 401 without a valid token, 403 for a role without the
right, 404 for an unknown id, 413 for too large an upload, 422 with a one-line reason for bad
input. Lists page by `limit` (1–500) and `cursor` (the `next_cursor` of the previous page).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select

from xxgk.audit.decisions import DecisionError
from xxgk.check.describe import rule_title
from xxgk.storage.db import Database
from xxgk.storage.models import FindingRow
from xxgk.storage.versions import current_version
from xxgk.web import queries
from xxgk.web.accounts import Account
from xxgk.web.decisions import MAX_NOTE, decide
from xxgk.web.deps import WebError, api_account, api_reader, get_db, get_settings
from xxgk.web.models import UPLOAD_DONE, Upload
from xxgk.web.uploads import UploadError, UploadTooLarge, Worker, accept

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Items per page (1–500).")]
Cursor = Annotated[str | None, Query(max_length=20, description="`next_cursor` of the previous page.")]
Reader = Annotated[Account | None, Depends(api_reader)]
Caller = Annotated[Account, Depends(api_account)]
Db = Annotated[Database, Depends(get_db)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


class DecisionIn(BaseModel):
    decision: Literal["confirmed", "dismissed"]
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


def _cursor(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    if not cursor.isdigit() or len(cursor) > 18:
        raise WebError(422, "cursor: not a cursor this API returned")
    return int(cursor)


def _page(items: list[dict[str, Any]], limit: int) -> Page:
    return Page(items=items, next_cursor=str(items[-1]["id"]) if len(items) == limit else None)


def _report_json(db: Database, report_id: int) -> tuple[int, dict[str, Any]]:
    with db.session() as s:
        found = current_version(s, report_id)
    if found is None:
        raise WebError(404, f"no report with id {report_id}")
    version, data = found.version, found.data
    findings = queries.report_findings(db, report_id)
    report = {
        **data,
        "findings": [
            {k: f[k] for k in ("rule", "severity", "cells", "expected", "actual", "message", "message_en")}
            | {"id": f["id"], "decision": f["decision"], "note": f["note"]}
            for f in findings
        ],
    }
    return version, report


@router.post("/reports", status_code=201, summary="Upload one report file; returns its id and report JSON")
def post_report(
    request: Request, caller: Caller, db: Db, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    if not caller.can_upload:
        raise WebError(403, f"role {caller.role} cannot add reports (offices self-check drafts)")
    settings = get_settings(request)
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise WebError(
            413, f"the file is larger than the {settings.max_upload_bytes // (1024 * 1024)} MB limit"
        )
    try:
        batch, ids = accept(db, settings, [(file.filename or "", data)], caller, draft=False)
    except UploadError as exc:
        raise WebError(413 if isinstance(exc, UploadTooLarge) else 422, str(exc)) from None
    worker: Worker = request.app.state.worker
    for upload_id in ids:
        worker.process(upload_id)
    with db.session() as s:
        rows = s.execute(
            select(Upload.status, Upload.error, Upload.report_id, Upload.filename).where(
                Upload.batch == batch
            )
        ).all()
    done = [r for r in rows if r.status == UPLOAD_DONE and r.report_id]
    if not done:
        reason = next((r.error for r in rows if r.error), None) or "nothing readable in the upload"
        raise WebError(422, f"{(rows[0].filename if rows else file.filename) or 'file'}: {reason}")
    report_id = done[0].report_id
    _, report = _report_json(db, report_id)
    return {"id": report_id, "report": report}


@router.get("/reports/{report_id}", summary="The report JSON (current version, with its findings)")
def get_report(report_id: Id, _: Reader, db: Db) -> dict[str, Any]:
    version, report = _report_json(db, report_id)
    return {**report, "id": report_id, "version": version}


@router.get("/reports/{report_id}/findings", summary="The report's findings", response_model=Page)
def get_report_findings(report_id: Id, _: Reader, db: Db, limit: Limit = 50, cursor: Cursor = None) -> Page:
    after = _cursor(cursor)
    with db.session() as s:
        if current_version(s, report_id) is None:
            raise WebError(404, f"no report with id {report_id}")
    items = queries.findings_after(db, queries.FindingFilter(report_id=report_id), after, limit)
    for f in items:
        f["rule_name"] = rule_title(f["rule"])
    return _page(items, limit)


@router.post("/findings/{finding_id}/decision", summary="Confirm or dismiss a finding, with a note")
def post_decision(finding_id: Id, body: DecisionIn, caller: Caller, db: Db) -> dict[str, Any]:
    if not caller.can_decide:
        raise WebError(403, f"role {caller.role} cannot decide findings")
    with db.session() as s:
        if s.get(FindingRow, finding_id) is None:
            raise WebError(404, f"no finding with id {finding_id}")
    try:
        return decide(db, finding_id, body.decision, body.note, caller.name)
    except DecisionError as exc:
        raise WebError(422, str(exc)) from None


@router.get("/agencies", summary="Agencies with current reports", response_model=Page)
def get_agencies(
    _: Reader,
    db: Db,
    limit: Limit = 50,
    cursor: Cursor = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name.")] = None,
) -> Page:
    return _page(queries.agencies_after(db, _cursor(cursor), limit, q), limit)


@router.get("/audits", summary="Audit runs", response_model=Page)
def get_audits(_: Reader, db: Db, limit: Limit = 50, cursor: Cursor = None) -> Page:
    return _page(queries.audits_after(db, _cursor(cursor), limit), limit)
