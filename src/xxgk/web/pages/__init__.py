"""The HTML pages (Jinja2 + htmx): one module per area, all on one router.

`render` gives every template the visitor (account, CSRF token, language), `t(zh, en)` for the
language, and autoescaping — no page builds HTML by string concatenation.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from xxgk.check.describe import describe_cell, rule_title
from xxgk.web.deps import Visitor, visitor

router = APIRouter(include_in_schema=False)

AREAS = ("auth", "reports", "audits", "drafts", "admin", "register", "calendar")


@cache
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("xxgk.web", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.globals.update(rule_title=rule_title, cell_title=describe_cell)
    return e


def render(request: Request, template: str, who: Visitor, http_status: int = 200, **ctx: Any) -> HTMLResponse:
    html = (
        env()
        .get_template(template)
        .render(request=request, who=who, t=who.t, lang=who.lang, path=request.url.path, **ctx)
    )
    response = HTMLResponse(html, status_code=http_status)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", who.lang, samesite="lax", httponly=True)
    return response


def error_page(request: Request, status: int, reason: str) -> HTMLResponse:
    try:
        who = visitor(request)
    except Exception:
        who = Visitor(None, None, "zh")
    if request.headers.get("hx-request"):
        return HTMLResponse(
            env().from_string('<p class="problem" role="alert">{{ reason }}</p>').render(reason=reason),
            status_code=status,
        )
    return render(request, "error.html.j2", who, http_status=status, code=status, reason=reason)


for _area in AREAS:
    importlib.import_module(f"xxgk.web.pages.{_area}")
