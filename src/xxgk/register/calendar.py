"""Working days as data (register.md R.5; libraries.md B.3).

A working day is Monday–Friday, except statutory holidays, plus the make-up working days (调休上班)
of the State Council's yearly notice. `WorkCalendar` holds only the exceptions to the weekday
rule and the set of years whose notice is known; asking about a day of any other year raises
`CalendarGapError` — a deadline is never counted on weekdays alone (over the Spring Festival that
is four days early, R.5's worked example).

`seed()` builds the calendar from chinese-calendar for the years it covers (2004–2026 in 1.11.0);
the database keeps it editable (`store`), so a year the package does not know yet can be entered
by hand from the notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from typing import Literal

from xxgk.register.errors import CalendarGapError

DayKind = Literal["holiday", "workday"]
KINDS: tuple[DayKind, ...] = ("holiday", "workday")
SEED_SOURCE = "chinese-calendar"


@dataclass(frozen=True)
class SpecialDay:
    """A day that breaks the weekday rule: a holiday on a weekday or a make-up working day."""

    day: date
    kind: DayKind
    name: str = ""
    source: str = SEED_SOURCE


@dataclass(frozen=True)
class CountedDay:
    """One day of a deadline's trace: whether it counted, and why not when it did not."""

    day: date
    counted: int | None  # the running count when the day counts, None when it is skipped
    reason: str  # 工作日 / 调休上班 / 周末 / 节假日 name / 征求意见 …


@dataclass(frozen=True)
class WorkCalendar:
    """The exceptions to the weekday rule, and the years whose exceptions are known."""

    exceptions: Mapping[date, SpecialDay] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def check_year(self, day: date) -> None:
        if day.year not in self.years:
            known = f"{min(self.years)}–{max(self.years)}" if self.years else "none"
            raise CalendarGapError(
                f"no working-day calendar for {day.year} (needed for {day.isoformat()}; known years: "
                f"{known}); enter that year's holidays with `xxgk workdays set` and `xxgk workdays cover {day.year}`"
            )

    def is_workday(self, day: date) -> bool:
        self.check_year(day)
        exc = self.exceptions.get(day)
        if exc is not None:
            return exc.kind == "workday"
        return day.weekday() < 5

    def why(self, day: date) -> str:
        """The reason a day is or is not a working day, for traces (in Chinese, as offices read them)."""
        exc = self.exceptions.get(day)
        if exc is not None:
            return f"调休上班 {exc.name}".strip() if exc.kind == "workday" else (exc.name or "节假日")
        return "工作日" if day.weekday() < 5 else "周末"

    def add(self, start: date, n: int, *, skip: Iterable[date] = ()) -> date:
        """The n-th working day after `start` (the start day itself is not counted, R.5)."""
        return self.count(start, n, skip=skip)[-1].day if n > 0 else start

    def count(
        self, start: date, n: int, *, skip: Iterable[date] = (), skip_reason: str = "不计入"
    ) -> list[CountedDay]:
        """The trace of counting n working days after `start`: every day up to the n-th, and why.

        Working days in `skip` (consultation periods, B.4) do not count and push the end later.
        """
        if n < 0:
            raise ValueError("a number of working days is not negative")
        skipped = set(skip)
        trace: list[CountedDay] = []
        counted = 0
        day = start
        while counted < n:
            day += timedelta(days=1)
            if not self.is_workday(day):
                trace.append(CountedDay(day, None, self.why(day)))
            elif day in skipped:
                trace.append(CountedDay(day, None, skip_reason))
            else:
                counted += 1
                trace.append(CountedDay(day, counted, self.why(day)))
        return trace

    def workdays_between(self, first: date, last: date) -> list[date]:
        """The working days from `first` to `last`, both included."""
        return [d for d in _days(first, last) if self.is_workday(d)]

    def count_workdays(self, first: date, last: date) -> int:
        """How many working days from `first` to `last`, both included (0 when last < first):
        `len(workdays_between(...))` without walking the days — the due list asks it for every
        open application, some overdue by years. CalendarGapError for a year with no calendar."""
        if last < first:
            return 0
        for year in range(first.year, last.year + 1):
            self.check_year(date(year, 1, 1))
        before = self._workdays_before
        return before[last.toordinal() + 1] - before[first.toordinal()]

    @cached_property
    def _workdays_before(self) -> _Prefix:
        return _Prefix(self)

    def days_of_year(self, year: int) -> Iterator[tuple[date, bool, str]]:
        """Every day of `year`: (day, is a working day, why)."""
        for d in _days(date(year, 1, 1), date(year, 12, 31)):
            yield d, self.is_workday(d), self.why(d)

    def with_changes(
        self, changes: Iterable[SpecialDay] = (), *, cleared: Iterable[date] = (), years: Iterable[int] = ()
    ) -> WorkCalendar:
        exceptions = dict(self.exceptions)
        for d in cleared:
            exceptions.pop(d, None)
        exceptions.update({c.day: c for c in changes})
        return WorkCalendar(exceptions, self.years | frozenset(years))


class _Prefix:
    """Working days counted from the first covered year: `[n]` is the number of working days
    before the day whose ordinal is n (days outside the covered years count as none)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        years = sorted(calendar.years)
        self.start = date(years[0], 1, 1).toordinal() if years else 0
        end = date(years[-1], 12, 31).toordinal() + 1 if years else 0
        counts = [0]
        for n in range(self.start, end):
            d = date.fromordinal(n)
            covered = d.year in calendar.years
            counts.append(counts[-1] + (1 if covered and calendar.is_workday(d) else 0))
        self.counts = counts

    def __getitem__(self, ordinal: int) -> int:
        i = min(max(ordinal - self.start, 0), len(self.counts) - 1)
        return self.counts[i]


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def package_years() -> range:
    """The years chinese-calendar knows (its own bounds, not ours)."""
    import chinese_calendar

    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return range(years[0], years[-1] + 1)


@cache
def seed() -> WorkCalendar:
    """The calendar of every year chinese-calendar covers: its holidays on weekdays, its make-up days."""
    import chinese_calendar

    exceptions: dict[date, SpecialDay] = {}
    years = package_years()
    for year in years:
        for d in _days(date(year, 1, 1), date(year, 12, 31)):
            workday = chinese_calendar.is_workday(d)
            if workday == (d.weekday() < 5):
                continue
            detail = chinese_calendar.get_holiday_detail(d)[1]
            name = _HOLIDAY_NAMES.get(str(detail), "") if detail else ""
            exceptions[d] = SpecialDay(d, "workday" if workday else "holiday", name)
    return WorkCalendar(exceptions, frozenset(years))


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
