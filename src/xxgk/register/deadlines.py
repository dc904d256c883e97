"""Given an application and a working-day calendar, its statutory due dates, each with a trace
(register.md R.5; the periods are applications.md B.3, B.4, B.8).

- 补正 notice: within 7 working days of `received` (B.3).
- Reply: 20 working days after `received`, or after `correction_received` when a correction was
  requested (the period restarts, B.3); no reply deadline runs while the correction is awaited.
- Consultation (B.4): a working day inside a `consult_from … consult_to` period does not count,
  so each one moves the deadline a working day later.
- Extension (B.4): at most 20 more working days, only when notified no later than the original
  deadline; a later notice does not extend (and is a finding, `findings`).
- Fee (B.8): payment due 20 working days after the notice. Whether the fee period stops the reply
  clock is not confirmed [M]: `Policy.fee_stops_clock`, default False (the earlier, safer date).

"Within N working days" ends with the N-th working day after the start day, which is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xxgk.register.calendar import CountedDay, WorkCalendar
from xxgk.register.cases import Application

REPLY_DAYS = 20
EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
FEE_PAYMENT_DAYS = 20


@dataclass(frozen=True)
class Policy:
    """An office's settings where the law leaves a choice or is not confirmed."""

    fee_stops_clock: bool = False


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Deadlines:
    """The due dates of one application; `trace` explains the reply deadline day by day."""

    number: str
    correction_notice_due: date
    reply_start: date | None  # None while a requested correction has not come back
    original_due: date | None
    extension_valid: bool | None  # None: no extension notified
    reply_due: date | None
    fee_payment_due: date | None
    trace: tuple[CountedDay, ...] = ()

    def explain(self) -> list[str]:
        """The trace as lines a person can check against a paper calendar."""
        lines = [f"{self.number}: 起算日 {self.reply_start} (当日不计入)"]
        for day in self.trace:
            mark = f"第{day.counted}日" if day.counted is not None else "不计"
            lines.append(f"  {day.day.isoformat()} {mark} {day.reason}")
        if self.reply_due is not None:
            lines.append(f"  答复期限 {self.reply_due.isoformat()}")
        return lines


def paused_days(app: Application, policy: Policy, calendar: WorkCalendar) -> set[date]:
    """The days that do not count toward the reply deadline: consultations, and the fee window if set."""
    days: set[date] = set()
    for first, last in app.consultations:
        days.update(_span(first, last))
    if policy.fee_stops_clock and app.fee_notified is not None:
        end = app.fee_paid or calendar.add(app.fee_notified, FEE_PAYMENT_DAYS)
        days.update(_span(app.fee_notified + timedelta(days=1), end))
    return days


def deadlines(app: Application, calendar: WorkCalendar, policy: Policy = DEFAULT_POLICY) -> Deadlines:
    """The due dates of `app`; CalendarGapError when a period runs into a year with no calendar."""
    notice_due = calendar.add(app.received, CORRECTION_NOTICE_DAYS)
    fee_due = calendar.add(app.fee_notified, FEE_PAYMENT_DAYS) if app.fee_notified else None
    start: date | None = app.received
    if app.correction_notified is not None:
        start = app.correction_received
    if start is None:
        return Deadlines(app.number, notice_due, None, None, None, None, fee_due)
    skip = paused_days(app, policy, calendar)
    trace = calendar.count(start, REPLY_DAYS, skip=skip, skip_reason="征求意见/暂停计算")
    original = trace[-1].day
    valid: bool | None = None
    if app.extended is not None:
        valid = start <= app.extended <= original
        if valid:
            more = calendar.count(original, EXTENSION_DAYS, skip=skip, skip_reason="征求意见/暂停计算")
            trace = _renumber(trace + more)
    return Deadlines(app.number, notice_due, start, original, valid, trace[-1].day, fee_due, tuple(trace))


def _renumber(trace: list[CountedDay]) -> list[CountedDay]:
    """One running count across the original period and the extension."""
    n = 0
    out = []
    for d in trace:
        if d.counted is not None:
            n += 1
            out.append(CountedDay(d.day, n, d.reason))
        else:
            out.append(d)
    return out


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
