"""Login (throttled, CSRF-protected even before a session exists), logout, language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from xxgk.web.accounts import authenticate, close_session, open_session
from xxgk.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Visitor,
    get_db,
    get_settings,
    page_writer,
    visitor,
)
from xxgk.web.pages import render, router


def _safe_next(target: str | None) -> str:
    """Only a local path: never an open redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, who: Annotated[Visitor, Depends(visitor)], next: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html.j2", who, login_csrf=token, next=_safe_next(next), problem=None)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login")
def login(
    request: Request,
    who: Annotated[Visitor, Depends(visitor)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    settings = get_settings(request)
    throttle = request.app.state.throttle
    address = request.client.host if request.client else "?"
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")

    def again(problem: str, status: int) -> Response:
        token = secrets.token_urlsafe(24)
        response = render(
            request,
            "login.html.j2",
            who,
            http_status=status,
            login_csrf=token,
            next=_safe_next(next),
            problem=problem,
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
        return response

    if not cookie or not csrf_token or not hmac.compare_digest(cookie, csrf_token):
        return again(who.t("表单已过期，请重试。", "The form expired; please try again."), 403)
    if throttle.blocked(name, address):
        return again(who.t("登录失败次数过多，请稍后再试。", "Too many failed logins; try again later."), 429)
    account = authenticate(get_db(request), name, password)
    if account is None:
        throttle.failed(name, address)
        return again(who.t("用户名或密码错误。", "Wrong user name or password."), 401)
    throttle.succeeded(name, address)
    session = open_session(get_db(request), account, settings.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, who: Annotated[Visitor, Depends(page_writer)]) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and who.account:
        close_session(get_db(request), token, who.account.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
