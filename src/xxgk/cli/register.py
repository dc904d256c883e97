"""`xxgk register import|due|check|export|history|deadline`: the application register of one agency.

Thin layer over `xxgk.register`: a RegisterError or DatabaseError (an XxgkError) becomes one line
on stderr and exit code 2 on the CLI's one error path (xxgk.cli). Output never carries personal data unless `--reveal-personal` is given.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.cli import app
from xxgk.cli.common import fail
from xxgk.files import write_atomic

if TYPE_CHECKING:
    from xxgk.register.calendar import WorkCalendar
    from xxgk.register.cases import Register
    from xxgk.storage.db import Database

URGENCY_STYLES = {"overdue": "red", "close": "yellow", "ok": None}  # findings.Due.urgency → colour
DEFAULT_URL = "sqlite:///xxgk.db"  # = xxgk.storage.db.DEFAULT_URL, spelled here to keep --help light

register_app = typer.Typer(
    no_args_is_help=True,
    help="依申请公开登记台账：导入、期限、核查、导出。The application register: import, deadlines, findings, export.",
)
app.add_typer(register_app, name="register")

DbOption = Annotated[str, typer.Option("--db", help="Database URL (sqlite:///… or postgresql+psycopg://…).")]
AgencyOption = Annotated[
    str, typer.Option("--agency", "-a", help="本机关名称 The agency whose register it is.")
]
ByOption = Annotated[str | None, typer.Option("--by", help="Who makes the change (default: the login name).")]
FeeClockOption = Annotated[
    bool,
    typer.Option(
        "--fee-stops-clock",
        help="Do not count the fee payment window toward the reply deadline (not confirmed in law; default: it counts).",
    ),
]
RevealOption = Annotated[
    bool,
    typer.Option(
        "--reveal-personal", help="Show applicant, ID number and contact unmasked (registrars only)."
    ),
]


def open_database(url: str) -> Database:
    from xxgk.storage.db import open_db

    return open_db(url)


def author(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def calendar_of(db: Database) -> WorkCalendar:
    from xxgk.register.store import load_calendar

    return load_calendar(db)


def load_register(db: Database, agency: str) -> Register:
    from xxgk.register.store import load

    return load(db, agency)


def parse_day(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{text!r} is not a {what} (write 2025-01-20)")
        raise AssertionError from None


@register_app.command("import")
def import_command(
    ledger: Annotated[Path, typer.Argument(help="台账 The ledger (.xlsx, .xls, .ods or .csv).")],
    agency: AgencyOption,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="TOML file mapping the office's own headers and words.")
    ] = None,
    db_url: DbOption = DEFAULT_URL,
    by: ByOption = None,
) -> None:
    """导入台账（全部或全不）。Import a ledger: all or nothing; each bad row is named."""
    from xxgk.register.ledger import LedgerError, load_mapping, read_ledger
    from xxgk.register.store import save

    try:
        register = read_ledger(ledger, agency, load_mapping(mapping))
    except LedgerError as exc:
        for error in exc.errors:
            sys.stderr.write(f"xxgk: {ledger}: {error}\n")
        fail(f"{ledger}: {len(exc.errors)} problem(s); nothing imported")
    with open_database(db_url) as db:
        result = save(
            db, agency, [*register.applications, *register.cases], author=author(by), source=str(ledger)
        )
    print(
        f"{ledger}: {len(register.applications)} applications, {len(register.cases)} cases; {result.summary()}",
        flush=True,
    )


@register_app.command("due")
def due_command(
    agency: AgencyOption,
    within: Annotated[int, typer.Option("--within", min=0, help="Working days ahead to look.")] = 5,
    today: Annotated[
        str | None, typer.Option("--today", help="Count from this date (default: today).")
    ] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="Only this handler's cases.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    fee_stops_clock: FeeClockOption = False,
    db_url: DbOption = DEFAULT_URL,
) -> None:
    """到期与逾期的申请。Open applications due within N working days, and the overdue ones."""
    from xxgk.register.deadlines import Policy
    from xxgk.register.findings import due_list

    if fmt not in ("table", "json"):
        fail(f"--format {fmt!r}: use table or json")
    day = parse_day(today) if today else date.today()
    with open_database(db_url) as db:
        register = load_register(db, agency)
        rows, gaps = due_list(
            register.applications, calendar_of(db), day, within, Policy(fee_stops_clock), handler
        )
    for gap in gaps:
        sys.stderr.write(f"xxgk: {gap.message}\n")
    if fmt == "json":
        print(
            json.dumps(
                [
                    {"number": r.number, "received": r.received.isoformat(), "handler": r.handler,
                     "due": r.due.isoformat(), "what": r.what, "working_days_left": r.working_days_left,
                     "overdue": r.working_days_left < 0}
                    for r in rows
                ],
                ensure_ascii=False, indent=1,
            )
        )  # fmt: skip
        return
    from rich.table import Table

    from xxgk.cli.common import stdout

    table = Table(title=f"{agency} — 截至 {day.isoformat()}，{within} 个工作日内到期及逾期 ({len(rows)})")
    for name in ("编号", "收到日期", "承办人", "期限", "事项", "剩余工作日"):
        table.add_column(name)
    for r in rows:
        style = URGENCY_STYLES[r.urgency]
        left = f"逾期 {-r.working_days_left}" if r.working_days_left < 0 else str(r.working_days_left)
        table.add_row(
            r.number, r.received.isoformat(), r.handler or "", r.due.isoformat(), r.what, left, style=style
        )
    stdout.print(table)


@register_app.command("check")
def check_command(
    agency: AgencyOption,
    today: Annotated[
        str | None, typer.Option("--today", help="Overdue as of this date (default: today).")
    ] = None,
    fee_stops_clock: FeeClockOption = False,
    db_url: DbOption = DEFAULT_URL,
) -> None:
    """核查台账本身（超期答复、补正告知超期、延期告知过晚…）。Findings on the register itself."""
    from xxgk.register.deadlines import Policy
    from xxgk.register.findings import register_findings

    day = parse_day(today) if today else date.today()
    with open_database(db_url) as db:
        register = load_register(db, agency)
        found = register_findings(register.applications, calendar_of(db), Policy(fee_stops_clock), today=day)
    for f in found:
        print(f"{f.severity}\t{f.rule}\t{f.message}")
    errors = sum(1 for f in found if f.severity == "error")
    print(
        f"{len(register.applications)} applications: {errors} error(s), {len(found) - errors} warning(s)",
        file=sys.stderr,
    )
    raise typer.Exit(1 if errors else 0)


@register_app.command("export")
def export_command(
    agency: AgencyOption,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="FILE.xlsx, or FILE.csv (a second FILE.复议诉讼.csv for cases)."),
    ],
    reveal_personal: RevealOption = False,
    db_url: DbOption = DEFAULT_URL,
) -> None:
    """导出台账（默认脱敏）。Export the register to Excel or CSV, personal data masked."""
    from xxgk.register.export import APPLICATIONS_SHEET, to_csv, to_xlsx

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        fail(f"{out}: export writes .xlsx or .csv")
    with open_database(db_url) as db:
        register = load_register(db, agency)
    try:
        if suffix == ".xlsx":
            write_atomic(out, to_xlsx(register, reveal_personal))
            written = [out]
        else:
            written = []
            for sheet, data in to_csv(register, reveal_personal).items():
                path = out if sheet == APPLICATIONS_SHEET else out.with_name(f"{out.stem}.{sheet}.csv")
                write_atomic(path, data)
                written.append(path)
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
    masked = "unmasked" if reveal_personal else "personal data masked"
    print(
        f"wrote {', '.join(map(str, written))} ({len(register.applications)} applications, {len(register.cases)} cases; {masked})"
    )


@register_app.command("deadline")
def deadline_command(
    agency: AgencyOption,
    number: Annotated[str, typer.Argument(help="编号 The application's number.")],
    fee_stops_clock: FeeClockOption = False,
    db_url: DbOption = DEFAULT_URL,
) -> None:
    """一件申请的各项期限及逐日计算过程。An application's due dates, with the day-by-day trace."""
    from xxgk.register.deadlines import Policy, deadlines

    with open_database(db_url) as db:
        register = load_register(db, agency)
        app_ = next((a for a in register.applications if a.number == number), None)
        if app_ is None:
            fail(f"{agency}: no application {number!r}")
            raise AssertionError
        d = deadlines(app_, calendar_of(db), Policy(fee_stops_clock))
    print(f"补正告知期限 {d.correction_notice_due}")
    if d.fee_payment_due:
        print(f"缴费期限 {d.fee_payment_due}")
    if d.extension_valid is False:
        print(f"延期告知 {app_.extended} 晚于原答复期限 {d.original_due}：不延长")
    if d.reply_due is None:
        print("等待补正：答复期限自收到补正之日起重新计算")
    for line in d.explain() if d.reply_due else ():
        print(line)


@register_app.command("history")
def history_command(
    agency: AgencyOption,
    number: Annotated[str, typer.Argument(help="编号 The application or case number.")],
    reveal_personal: RevealOption = False,
    db_url: DbOption = DEFAULT_URL,
) -> None:
    """一件申请或案件的全部版本（谁、何时、改了什么）。Every version of one case: who, when, what changed."""
    from xxgk.register.changes import version_changes
    from xxgk.register.store import history

    with open_database(db_url) as db:
        versions = history(db, agency, number)
    if not versions:
        fail(f"{agency}: no application or case {number!r}")
    for v in version_changes(versions, reveal_personal):
        print(
            f"{v.kind} {v.number} v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  by {v.author}  from {v.source or '-'}"
        )
        for c in v.changes:
            print(
                f"    {c.key}: {'' if c.before is None else c.before!s} → {'' if c.after is None else c.after!s}"
            )
