"""Who is asking, and may they: the FastAPI dependencies shared by the pages and the API.

Pages authenticate by the session cookie; every form carries the session's CSRF token (a field
`csrf_token`, or the `X-CSRF-Token` header htmx sends) and a write without it is refused. The
API authenticates by a Bearer token. Reading without an account works only when the operator
turned `public_read` on.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from xxgk.errors import XxgkError
from xxgk.i18n import Lang
from xxgk.storage.db import Database
from xxgk.web.accounts import Account, account_for_token, session_account
from xxgk.web.settings import Settings

SESSION_COOKIE = "xxgk_session"
LOGIN_CSRF_COOKIE = "xxgk_login_csrf"


class WebError(XxgkError):
    """The one error base of the web layer: a status and a one-line reason for the person asking."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class LoginRequired(WebError):
    def __init__(self) -> None:
        super().__init__(401, "login required")


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@dataclass
class Visitor:
    """The person behind a page request (account None: anonymous, allowed only for public reading)."""

    account: Account | None
    csrf: str | None
    lang: Lang

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh


def visitor(request: Request) -> Visitor:
    asked = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    lang: Lang = "en" if asked == "en" else "zh"
    token = request.cookies.get(SESSION_COOKIE)
    found = session_account(get_db(request), token) if token else None
    return Visitor(found[0] if found else None, found[1] if found else None, lang)


def page_reader(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    if who.account is None and not get_settings(request).public_read:
        raise LoginRequired()
    return who


def page_account(who: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    if who.account is None:
        raise LoginRequired()
    return who


async def page_writer(request: Request, who: Annotated[Visitor, Depends(page_account)]) -> Visitor:
    """A logged-in visitor whose form (or htmx header) carries the session's CSRF token."""
    sent = request.headers.get("x-csrf-token")
    if not sent:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not sent or not who.csrf or not hmac.compare_digest(sent, who.csrf):
        raise WebError(403, "missing or wrong CSRF token: reload the page and try again")
    return who


_bearer = HTTPBearer(auto_error=False, description="An API token from `xxgk users token NAME`.")


def api_caller(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Account | None:
    """The token's account; None for an anonymous caller (who may only read, and only when public).

    A browser's session cookie also counts for reading (GET), so the report page's JSON link
    works; never for writing, which would need the page's CSRF protection.
    """
    if creds is None or creds.scheme.lower() != "bearer":
        token = request.cookies.get(SESSION_COOKIE)
        if token and request.method in ("GET", "HEAD"):
            found = session_account(get_db(request), token)
            return found[0] if found else None
        return None
    account = account_for_token(get_db(request), creds.credentials)
    if account is None:
        raise WebError(401, "invalid API token")
    return account


def api_reader(request: Request, account: Annotated[Account | None, Depends(api_caller)]) -> Account | None:
    if account is None and not get_settings(request).public_read:
        raise WebError(401, "authentication required: send Authorization: Bearer <token>")
    return account


def api_account(account: Annotated[Account | None, Depends(api_caller)]) -> Account:
    if account is None:
        raise WebError(401, "authentication required: send Authorization: Bearer <token>")
    return account
