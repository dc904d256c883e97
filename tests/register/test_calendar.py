"""The working-day calendar (register.md R.5, libraries.md B.3) against the package it is seeded from."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.register.calendar import SpecialDay, WorkCalendar, package_years, seed
from xxgk.register.errors import CalendarGapError

YEARS = package_years()


def test_worked_example_2025_02_21() -> None:
    """R.5: received Mon 2025-01-20 → due 2025-02-21 (weekdays only would give 02-17)."""
    cal = seed()
    trace = cal.count(date(2025, 1, 20), 20)
    assert trace[-1].day == date(2025, 2, 21)
    counted = [d.day for d in trace if d.counted is not None]
    assert counted[4] == date(2025, 1, 26)  # Sun make-up day is the 5th
    assert counted[9] == date(2025, 2, 8)  # Sat make-up day is the 10th
    assert all(not (date(2025, 1, 28) <= d <= date(2025, 2, 4)) for d in counted)
    weekdays_only = WorkCalendar({}, frozenset({2025}))
    assert weekdays_only.add(date(2025, 1, 20), 20) == date(2025, 2, 17)


def test_every_day_of_every_covered_year_agrees_with_chinese_calendar() -> None:
    cal = seed()
    assert cal.years == frozenset(YEARS)
    for year in YEARS:
        for day, workday, _why in cal.days_of_year(year):
            assert workday == chinese_calendar.is_workday(day), day


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(YEARS.start, 1, 1), max_value=date(YEARS.stop - 1, 10, 31)),
    n=st.integers(min_value=0, max_value=40),
)
def test_nth_working_day_equals_find_workday(start: date, n: int) -> None:
    """find_workday(k, d) first moves to the first working day on or after d, then k more; ours
    counts from the day after receipt whatever it is (R.5), so on a day off it is find_workday(n-1)."""
    if n == 0:
        expected = start
    else:
        expected = chinese_calendar.find_workday(n if chinese_calendar.is_workday(start) else n - 1, start)
    assert seed().add(start, n) == expected


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(YEARS.start, 1, 1), max_value=date(YEARS.stop - 1, 10, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_trace_counts_exactly_n_working_days_and_skips_the_rest(start: date, n: int) -> None:
    trace = seed().count(start, n)
    assert [d.counted for d in trace if d.counted is not None] == list(range(1, n + 1))
    assert [d.day for d in trace] == [start + timedelta(days=i + 1) for i in range(len(trace))]
    for d in trace:
        assert (d.counted is not None) == chinese_calendar.is_workday(d.day)


def test_a_year_with_no_calendar_is_an_error_never_a_weekday_guess() -> None:
    cal = seed()
    last = max(cal.years)
    with pytest.raises(CalendarGapError, match=f"no working-day calendar for {last + 1}"):
        cal.add(date(last, 12, 10), 20)
    with pytest.raises(CalendarGapError):
        cal.is_workday(date(last + 1, 3, 3))  # an ordinary Tuesday, still not guessed


def test_an_entered_year_is_usable_and_edits_win() -> None:
    cal = seed()
    year = max(cal.years) + 1
    edited = cal.with_changes(
        [
            SpecialDay(date(year, 1, 1), "holiday", "元旦", "manual"),
            SpecialDay(date(year, 1, 2), "holiday", "元旦", "manual"),
        ],
        years=[year],
    )
    assert not edited.is_workday(date(year, 1, 1)) or date(year, 1, 1).weekday() >= 5
    assert edited.add(date(year - 1, 12, 31), 1) == next(
        d for d in (date(year, 1, i) for i in range(3, 10)) if d.weekday() < 5
    )


@settings(max_examples=150, deadline=None)
@given(
    first=st.dates(min_value=date(YEARS.start, 1, 1), max_value=date(YEARS.stop - 1, 12, 31)),
    days=st.integers(min_value=-5, max_value=2500),
    gap_year=st.booleans(),
)
def test_count_workdays_equals_walking_the_days(first: date, days: int, gap_year: bool) -> None:
    """The due list's count (a prefix sum) against walking every day with chinese-calendar, also
    on a calendar with a hand-entered year after a gap, which must still refuse the gap."""
    cal = seed()
    if gap_year:
        extra = YEARS.stop + 2  # YEARS.stop + 1 stays uncovered
        cal = cal.with_changes([SpecialDay(date(extra, 1, 2), "holiday", "元旦", "manual")], years=[extra])
        with pytest.raises(CalendarGapError):
            cal.count_workdays(date(YEARS.stop - 1, 12, 1), date(extra, 1, 5))
        assert cal.count_workdays(date(extra, 1, 1), date(extra, 1, 9)) == len(
            cal.workdays_between(date(extra, 1, 1), date(extra, 1, 9))
        )
    last = min(first + timedelta(days=days), date(YEARS.stop - 1, 12, 31))
    expected = sum(
        1 for i in range((last - first).days + 1) if chinese_calendar.is_workday(first + timedelta(days=i))
    )
    assert cal.count_workdays(first, last) == expected
