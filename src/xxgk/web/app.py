"""`create_app(settings)`: the FastAPI application — pages, API, static files, error handling.

Errors: a `WebError` becomes its status with a one-line reason (JSON for /api/, a page or a
redirect to the login for the rest); a validation error becomes 422 naming the field; a request
body over the upload limit is cut off with 413 before it is read. Anything else is a bug: it is
logged and answered 500 without details (the fuzz test keeps that from happening).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xxgk.storage.db import Database, open_db
from xxgk.web import api, pages, register_api
from xxgk.web.accounts import LoginThrottle
from xxgk.web.deps import LoginRequired, WebError
from xxgk.web.settings import MB, Settings
from xxgk.web.uploads import Worker

log = logging.getLogger("xxgk.web")


class BodyLimit:
    """Refuse (413) a request body larger than the upload limit plus form overhead, while it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0
        refused = started = False

        async def limited() -> Message:
            # Over the limit: answer 413 now and tell the app the client left, so it stops reading
            # (an exception here would be turned into a 400 by the form parser).
            nonlocal seen, refused
            if refused or (started and seen > self.limit):
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit and not started:
                    refused = True
                    await _too_large(self.limit)(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if not refused:  # after a 413 the app's own answer is dropped
                started = started or message["type"] == "http.response.start"
                await send(message)

        await self.app(scope, limited, guarded)


def _too_large(limit: int) -> Response:
    return JSONResponse(
        {"detail": f"the request is larger than the {limit // MB} MB upload limit"}, status_code=413
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _validation_reason(exc: RequestValidationError) -> str:
    errors: list[Any] = list(exc.errors())
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    return f"{where}: {first.get('msg', 'invalid')}"


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """The app on `settings.db_url` (migrated on start), or on an already open `db`."""
    database = db or open_db(settings.db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.worker.close()
        if db is None:
            database.close()

    app = FastAPI(
        title="xxgk",
        version="1",
        description="政府信息公开工作年度报告：读取、核查、审计 — the xxgk web API.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.worker = Worker(database, settings)
    app.state.throttle = LoginThrottle(settings.login_attempts, settings.login_window_seconds)

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        if _is_api(request):
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
            return JSONResponse({"detail": exc.reason}, status_code=exc.status, headers=headers)
        if isinstance(exc, LoginRequired):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return pages.error_page(request, exc.status, exc.reason)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        reason = _validation_reason(exc)
        if _is_api(request):
            return JSONResponse({"detail": reason}, status_code=422)
        return pages.error_page(request, 422, reason)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + MB)
    app.mount("/static", StaticFiles(packages=[("xxgk.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(register_api.router)
    app.include_router(pages.router)
    return app
