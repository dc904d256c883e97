"""`xxgk workdays add|list|set|cover`: the working-day calendar (register.md R.5).

Without `--db`, `add` and `list` use the calendar seeded from chinese-calendar; with `--db`, the
database's editable calendar (seeded the same way, plus the office's edits). A date in a year
with no calendar is an error, never a weekday guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.cli import app
from xxgk.cli.common import fail
from xxgk.cli.register import DEFAULT_URL, open_database, parse_day

if TYPE_CHECKING:
    from xxgk.register.calendar import WorkCalendar

workdays_app = typer.Typer(
    no_args_is_help=True,
    help="工作日历（法定节假日与调休上班日）。The working-day calendar: holidays and make-up working days.",
)
app.add_typer(workdays_app, name="workdays")

OptionalDb = Annotated[
    str | None,
    typer.Option("--db", help="Use (and edit) this database's calendar instead of the seeded one."),
]


def _calendar(db_url: str | None) -> WorkCalendar:
    from xxgk.register.calendar import seed
    from xxgk.register.store import load_calendar

    if db_url is None:
        return seed()
    with open_database(db_url) as db:
        return load_calendar(db)


@workdays_app.command("add")
def add_command(
    start: Annotated[str, typer.Argument(help="起算日 The start date (not counted), e.g. 2025-01-20.")],
    n: Annotated[int, typer.Argument(min=0, help="Number of working days.")],
    trace: Annotated[bool, typer.Option("--trace", help="Show every day and why it counts or not.")] = False,
    db_url: OptionalDb = None,
) -> None:
    """第 N 个工作日（起算日当日不计）。Print the N-th working day after DATE."""

    day = parse_day(start)
    calendar = _calendar(db_url)
    days = calendar.count(day, n)
    if trace:
        for d in days:
            mark = f"第{d.counted}日" if d.counted is not None else "不计"
            print(f"{d.day.isoformat()}\t{mark}\t{d.reason}")
    print(days[-1].day.isoformat() if days else day.isoformat())


@workdays_app.command("list")
def list_command(
    year: Annotated[int, typer.Argument(help="Year.")],
    every_day: Annotated[
        bool, typer.Option("--all", help="Every day of the year, not only the exceptions.")
    ] = False,
    db_url: OptionalDb = None,
) -> None:
    """一年中的节假日和调休上班日。List a year's holidays and make-up working days."""
    from datetime import date

    calendar = _calendar(db_url)
    calendar.check_year(date(year, 1, 1))
    days = list(calendar.days_of_year(year))
    for day, workday, why in days:
        exceptional = day in calendar.exceptions
        if every_day or exceptional:
            kind = "上班" if workday else "休息"
            print(f"{day.isoformat()}\t{'一二三四五六日'[day.weekday()]}\t{kind}\t{why}")
    print(f"{year}: {sum(1 for _, w, _ in days if w)} working days", flush=True)


@workdays_app.command("set")
def set_command(
    day: Annotated[str, typer.Argument(help="The date, e.g. 2027-02-08.")],
    kind: Annotated[
        str, typer.Argument(help="holiday (节假日), workday (调休上班) or ordinary (按周一至周五).")
    ],
    name: Annotated[str | None, typer.Option("--name", help="e.g. 春节.")] = None,
    db_url: Annotated[str, typer.Option("--db", help="Database URL.")] = DEFAULT_URL,
) -> None:
    """修改工作日历中的一天。Make a date a holiday, a make-up working day, or ordinary again."""
    from xxgk.register.store import set_day

    if kind not in ("holiday", "workday", "ordinary"):
        fail(f"{kind!r}: use holiday, workday or ordinary")
    parsed = parse_day(day)
    with open_database(db_url) as db:
        set_day(db, parsed, None if kind == "ordinary" else kind, name)
    print(f"{parsed.isoformat()}: {kind}{' ' + name if name else ''}")


@workdays_app.command("cover")
def cover_command(
    year: Annotated[
        int, typer.Argument(help="The year whose holidays and make-up days are now all entered.")
    ],
    db_url: Annotated[str, typer.Option("--db", help="Database URL.")] = DEFAULT_URL,
) -> None:
    """声明某年的日历已录入完整（此后可计算该年期限）。Declare a year's calendar complete."""
    from xxgk.register.store import cover_years

    with open_database(db_url) as db:
        cover_years(db, [year])
    print(f"{year}: calendar covered")
