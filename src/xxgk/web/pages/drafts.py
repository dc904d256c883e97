"""An office's self-check: upload a draft, get its findings before publishing. Drafts are
private to the agency: another agency's draft answers 404, as if it did not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from xxgk.web.deps import Visitor, WebError, get_db, get_settings, page_account, page_writer
from xxgk.web.models import Upload
from xxgk.web.pages import render, router
from xxgk.web.pages.reports import accept_upload
from xxgk.web.views import report_tables

Account_ = Annotated[Visitor, Depends(page_account)]
Writer = Annotated[Visitor, Depends(page_writer)]


def _agency(who: Visitor) -> str:
    if who.account is None or not who.account.agency:
        raise WebError(403, who.t("自查仅供有所属机关的用户使用。", "Self-check is for users of an agency."))
    return who.account.agency


@router.get("/drafts", response_class=HTMLResponse)
def drafts(request: Request, who: Account_) -> Response:
    agency = _agency(who)
    with get_db(request).session() as s:
        rows = list(
            s.scalars(
                select(Upload)
                .where(Upload.draft.is_(True), Upload.agency == agency)
                .order_by(Upload.id.desc())
                .limit(100)
            )
        )
    return render(request, "drafts.html.j2", who, rows=rows, agency=agency, settings=get_settings(request))


@router.post("/drafts")
async def upload_draft(request: Request, who: Writer) -> Response:
    _agency(who)
    batch = await accept_upload(request, who, draft=True)
    return RedirectResponse(f"/uploads/{batch}", status_code=303)


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def draft(request: Request, draft_id: int, who: Account_) -> Response:
    agency = _agency(who)
    with get_db(request).session() as s:
        row = s.scalar(
            select(Upload).where(Upload.id == draft_id, Upload.draft.is_(True), Upload.agency == agency)
        )
        if row is None:
            raise WebError(404, who.t("没有这份草稿。", "No such draft."))
        data = row.result or {}
        name, status, error = row.filename, row.status, row.error
    findings = [dict(f, id=i, decision=None, note=None) for i, f in enumerate(data.get("findings") or [])]
    return render(
        request,
        "draft.html.j2",
        who,
        draft_id=draft_id,
        name=name,
        status=status,
        error=error,
        data=data,
        tables=report_tables(data, findings) if data else [],
        findings=findings,
    )
