"""The working-day calendar in the web app (issue 14 item 2: "editable from the CLI and the web
app"): every logged-in user sees a year's holidays and make-up working days; admins change a day
or declare a year complete — the same `register.store` functions as `xxgk workdays set|cover`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xxgk.i18n import say
from xxgk.register.calendar import KINDS
from xxgk.register.errors import CalendarGapError
from xxgk.register.store import cover_years, load_calendar, set_day
from xxgk.web.auditlog import record
from xxgk.web.deps import Visitor, WebError, get_db, page_account, page_writer
from xxgk.web.pages import router
from xxgk.web.pages.register import page

Account_ = Annotated[Visitor, Depends(page_account)]
Writer = Annotated[Visitor, Depends(page_writer)]
Year = Annotated[int, Query(ge=1900, le=2200)]
ORDINARY = "ordinary"


def _admin(who: Visitor) -> str:
    if who.account is None or not who.account.is_admin:
        raise WebError(403, say("reg.admin_only", who.lang))
    return who.account.name


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, who: Account_, year: Year | None = None) -> Response:
    year = year or date.today().year
    cal = load_calendar(get_db(request))
    try:
        cal.check_year(date(year, 1, 1))
        days = [(d, w, why) for d, w, why in cal.days_of_year(year)]
    except CalendarGapError:
        days = []
    return page(
        request,
        "calendar.html.j2",
        who,
        year=year,
        covered=bool(days),
        special=[(d, w, why) for d, w, why in days if d in cal.exceptions],
        workdays=sum(1 for _, w, _ in days if w),
        can_edit=bool(who.account and who.account.is_admin),
        kinds=(*KINDS, ORDINARY),
    )


@router.post("/calendar/day")
def calendar_set_day(
    request: Request,
    who: Writer,
    day: Annotated[date, Form()],
    kind: Annotated[str, Form(max_length=16)],
    name: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    actor = _admin(who)
    if kind not in (*KINDS, ORDINARY):
        raise WebError(422, f"kind: one of {', '.join((*KINDS, ORDINARY))}")
    db = get_db(request)
    set_day(db, day, None if kind == ORDINARY else kind, name.strip() or None, source=f"web:{actor}")
    with db.session() as s:
        record(s, actor, "calendar.set", f"calendar:{day.isoformat()}", None, {"kind": kind, "name": name})
    return RedirectResponse(f"/calendar?year={day.year}", status_code=303)


@router.post("/calendar/cover")
def calendar_cover(request: Request, who: Writer, year: Annotated[int, Form(ge=1900, le=2200)]) -> Response:
    actor = _admin(who)
    db = get_db(request)
    cover_years(db, [year], source=f"web:{actor}")
    with db.session() as s:
        record(s, actor, "calendar.cover", f"calendar:{year}", None, {"year": year})
    return RedirectResponse(f"/calendar?year={year}", status_code=303)
