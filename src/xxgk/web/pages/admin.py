"""Admin pages: users (list, add) and the write audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from xxgk.web.accounts import AccountError, add_user, list_users
from xxgk.web.deps import Visitor, WebError, get_db, page_account, page_writer
from xxgk.web.models import ROLES, AuditLogEntry
from xxgk.web.pages import render, router

Account_ = Annotated[Visitor, Depends(page_account)]
Writer = Annotated[Visitor, Depends(page_writer)]


def _admin(who: Visitor) -> None:
    if who.account is None or not who.account.is_admin:
        raise WebError(403, who.t("仅管理员可用。", "Admins only."))


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, who: Account_) -> Response:
    _admin(who)
    return render(request, "users.html.j2", who, users=list_users(get_db(request)), roles=ROLES, problem=None)


@router.post("/admin/users")
def users_add(
    request: Request,
    who: Writer,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=1024)],
    agency: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    _admin(who)
    assert who.account is not None
    try:
        add_user(get_db(request), name, role, password, agency or None, actor=who.account.name)
    except AccountError as exc:
        raise WebError(422, str(exc)) from None
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/log", response_class=HTMLResponse)
def audit_log(request: Request, who: Account_, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    _admin(who)
    with get_db(request).session() as s:
        rows = list(
            s.scalars(
                select(AuditLogEntry).order_by(AuditLogEntry.id.desc()).offset((page - 1) * 100).limit(100)
            )
        )
    return render(request, "log.html.j2", who, rows=rows, page=page)
