"""Findings on the register itself (register.md R.5, applications.md B.3/B.4): given the
applications and a calendar, what a supervisor would flag. Pure: no storage, no output.

Rule ids: REG-LATE-REPLY, REG-LATE-CORRECTION-NOTICE, REG-LATE-EXTENSION, REG-NO-OUTCOME,
REG-DATE-ORDER, REG-FEE-TYPED, REG-OVERDUE (still open after its reply deadline), REG-NO-CALENDAR. Messages carry case numbers, never personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from xxgk.register.calendar import WorkCalendar
from xxgk.register.cases import Application
from xxgk.register.deadlines import DEFAULT_POLICY, Policy, deadlines
from xxgk.register.errors import CalendarGapError
from xxgk.register.fees import computed_fees


@dataclass(frozen=True)
class RegisterFinding:
    rule: str
    number: str
    message: str
    severity: str = "error"


def _order(app: Application) -> list[str]:
    problems = []
    pairs = [
        ("received", app.received, "correction_notified", app.correction_notified),
        ("correction_notified", app.correction_notified, "correction_received", app.correction_received),
        ("received", app.received, "extended", app.extended),
        ("fee_notified", app.fee_notified, "fee_paid", app.fee_paid),
        ("received", app.received, "replied", app.replied),
    ]
    pairs += [("consult_from", a, "consult_to", b) for a, b in app.consultations]
    for name_a, a, name_b, b in pairs:
        if a is not None and b is not None and b < a:
            problems.append(f"{name_b} {b} is before {name_a} {a}")
    return problems


def register_findings(
    apps: Iterable[Application],
    calendar: WorkCalendar,
    policy: Policy = DEFAULT_POLICY,
    today: date | None = None,
) -> list[RegisterFinding]:
    """Every finding on the applications, in number order; open cases past due as of `today`."""
    found: list[RegisterFinding] = []
    all_apps = sorted(apps, key=lambda a: a.number)
    fees = computed_fees(all_apps)
    for app in all_apps:
        n = app.number
        for problem in _order(app):
            found.append(RegisterFinding("REG-DATE-ORDER", n, f"{n}: dates out of order: {problem}"))
        if app.replied is not None and not app.outcome:
            found.append(
                RegisterFinding("REG-NO-OUTCOME", n, f"{n}: replied on {app.replied} but no outcome recorded")
            )
        typed, computed = app.fee_yuan, fees.get(app.number)
        if typed is not None and typed != (computed or 0):
            found.append(
                RegisterFinding(
                    "REG-FEE-TYPED",
                    n,
                    f"{n}: fee typed {typed} 元, the tiers give {computed or 0} 元",
                    "warning",
                )
            )
        try:
            due = deadlines(app, calendar, policy)
        except CalendarGapError as exc:
            found.append(RegisterFinding("REG-NO-CALENDAR", n, f"{n}: {exc}", "warning"))
            continue
        if app.correction_notified is not None and app.correction_notified > due.correction_notice_due:
            found.append(
                RegisterFinding(
                    "REG-LATE-CORRECTION-NOTICE", n,
                    f"{n}: 补正 notified {app.correction_notified}, due by {due.correction_notice_due} (7 working days)",
                )
            )  # fmt: skip
        if due.extension_valid is False:
            found.append(
                RegisterFinding(
                    "REG-LATE-EXTENSION", n,
                    f"{n}: extension notified {app.extended}, after the original deadline {due.original_due}",
                )
            )  # fmt: skip
        if app.replied is None and today is not None and due.reply_due is not None and today > due.reply_due:
            found.append(
                RegisterFinding("REG-OVERDUE", n, f"{n}: still open on {today}, due by {due.reply_due}")
            )
        if app.replied is not None and due.reply_due is not None and app.replied > due.reply_due:
            found.append(
                RegisterFinding("REG-LATE-REPLY", n, f"{n}: replied {app.replied}, due by {due.reply_due}")
            )
    return found


CLOSE_DAYS = 3  # due within this many working days: shown as close (yellow), past due as late (red)


@dataclass(frozen=True)
class Due:
    """One open application on the due list."""

    number: str
    received: date
    handler: str | None
    due: date
    what: str  # 答复 / 补正告知
    working_days_left: int  # negative when overdue

    @property
    def urgency(self) -> str:
        """overdue / close / ok: the colour the CLI and the web app give the row."""
        if self.working_days_left < 0:
            return "overdue"
        return "close" if self.working_days_left <= CLOSE_DAYS else "ok"


def due_list(
    apps: Iterable[Application],
    calendar: WorkCalendar,
    today: date,
    within: int,
    policy: Policy = DEFAULT_POLICY,
    handler: str | None = None,
) -> tuple[list[Due], list[RegisterFinding]]:
    """Open applications whose reply (or 补正 notice) falls due within `within` working days of
    `today`, or is overdue (of one `handler`, if given); and the cases whose deadline cannot be
    computed (no calendar)."""
    horizon = calendar.add(today, within)
    rows: list[Due] = []
    gaps: list[RegisterFinding] = []
    for app in apps:
        if not app.open:
            continue
        try:
            d = deadlines(app, calendar, policy)
            # While a requested correction is awaited, no reply deadline runs (B.3): not listed.
            if d.reply_due is not None and d.reply_due <= horizon:
                left = _left(calendar, today, d.reply_due)
                rows.append(Due(app.number, app.received, app.handler, d.reply_due, "答复", left))
        except CalendarGapError as exc:
            gaps.append(RegisterFinding("REG-NO-CALENDAR", app.number, f"{app.number}: {exc}", "warning"))
    rows.sort(key=lambda r: (r.due, r.number))
    if handler is not None:
        rows = [r for r in rows if r.handler == handler]
    return rows, gaps


def _left(calendar: WorkCalendar, today: date, due: date) -> int:
    if due >= today:
        return calendar.count_workdays(today, due) - (1 if calendar.is_workday(today) else 0)
    return -calendar.count_workdays(due, today) + (1 if calendar.is_workday(due) else 0)
