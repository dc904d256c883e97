"""Deadlines of R.5 for every combination of 补正, extension, consultation and fee, checked
against an independent day-by-day count on chinese-calendar itself; and hand-checked examples."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.register.calendar import seed
from xxgk.register.cases import Application
from xxgk.register.deadlines import Policy, deadlines
from xxgk.register.errors import CalendarGapError


def _nth(start: date, n: int, paused: set[date]) -> date:
    """The oracle: walk day by day, count chinese-calendar working days not paused."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day) and day not in paused:
            counted += 1
    return day


def _span(a: date, b: date) -> set[date]:
    return {a + timedelta(days=i) for i in range((b - a).days + 1)}


CORRECTION = ("none", "received", "awaited")
EXTENSION = ("none", "in_time", "late")
CONSULTATION = (0, 1, 2)
FEE = ("none", "paid", "unpaid")
POLICY = (False, True)


@settings(max_examples=12, deadline=None)
@given(received=st.dates(min_value=date(2019, 1, 1), max_value=date(2025, 10, 1)), data=st.data())
def test_every_combination_of_correction_extension_consultation_and_fee(
    received: date, data: st.DataObject
) -> None:
    cal = seed()
    for corr, ext, consult, fee, stops in itertools.product(CORRECTION, EXTENSION, CONSULTATION, FEE, POLICY):
        kw: dict[str, object] = {}
        start: date | None = received
        if corr != "none":
            kw["correction_notified"] = received + timedelta(days=data.draw(st.integers(1, 9)))
            if corr == "received":
                start = kw["correction_received"] = kw["correction_notified"] + timedelta(
                    days=data.draw(st.integers(1, 20))
                )  # type: ignore[operator]
            else:
                start = None
        base = start or received
        periods = []
        for _ in range(consult):
            a = base + timedelta(days=data.draw(st.integers(0, 25)))
            periods.append((a, a + timedelta(days=data.draw(st.integers(0, 15)))))
        kw["consultations"] = tuple(periods)
        if fee != "none":
            kw["fee_notified"] = base + timedelta(days=data.draw(st.integers(1, 10)))
            if fee == "paid":
                kw["fee_paid"] = kw["fee_notified"] + timedelta(days=data.draw(st.integers(0, 25)))  # type: ignore[operator]
        paused: set[date] = set()
        for a, b in periods:
            paused |= _span(a, b)
        if stops and fee != "none":
            notified: date = kw["fee_notified"]  # type: ignore[assignment]
            end = kw.get("fee_paid") or _nth(notified, 20, set())
            paused |= _span(notified + timedelta(days=1), end)  # type: ignore[arg-type]
        original = _nth(start, 20, paused) if start else None
        if ext != "none":
            if original is None:
                kw["extended"] = base + timedelta(days=5)
            elif ext == "in_time":
                kw["extended"] = original - timedelta(days=data.draw(st.integers(0, 10)))
                kw["extended"] = max(kw["extended"], start)  # type: ignore[type-var]
            else:
                kw["extended"] = original + timedelta(days=data.draw(st.integers(1, 10)))
        app = Application(number="T", received=received, applicant_type="natural_person", **kw)  # type: ignore[arg-type]
        got = deadlines(app, cal, Policy(fee_stops_clock=stops))
        combo = (corr, ext, consult, fee, stops)
        assert got.correction_notice_due == _nth(received, 7, set()), combo
        assert got.reply_start == start, combo
        if start is None:
            assert got.reply_due is None, combo
            continue
        assert got.original_due == original, combo
        if ext == "in_time":
            assert got.extension_valid is True, combo
            assert got.reply_due == _nth(start, 40, paused), combo
        else:
            assert got.extension_valid is (None if ext == "none" else False), combo
            assert got.reply_due == original, combo
        if fee != "none":
            assert got.fee_payment_due == _nth(kw["fee_notified"], 20, set()), combo  # type: ignore[arg-type]
        assert [d.counted for d in got.trace if d.counted is not None] == list(
            range(1, 41 if ext == "in_time" else 21)
        ), combo


def _app(**kw: object) -> Application:
    return Application(number="2025-0001", received=date(2025, 1, 20), applicant_type="natural_person", **kw)  # type: ignore[arg-type]


def test_worked_example_and_its_variants_by_hand() -> None:
    cal = seed()
    assert deadlines(_app(), cal).reply_due == date(2025, 2, 21)  # R.5
    # three consultation working days (Mon–Wed 02-10…02-12) move it three working days later
    consulted = _app(consultations=((date(2025, 2, 10), date(2025, 2, 12)),))
    assert deadlines(consulted, cal).reply_due == date(2025, 2, 26)
    # consultation over the holiday only: no working day inside, nothing moves
    holiday = _app(consultations=((date(2025, 1, 28), date(2025, 2, 4)),))
    assert deadlines(holiday, cal).reply_due == date(2025, 2, 21)
    # 补正 restarts the period from the day the correction arrives (Fri 02-21 → 20 working days)
    corrected = _app(correction_notified=date(2025, 1, 22), correction_received=date(2025, 2, 21))
    assert deadlines(corrected, cal).reply_due == date(2025, 3, 21)
    # extension notified on the last day still counts; one day later does not
    ok = deadlines(_app(extended=date(2025, 2, 21)), cal)
    late = deadlines(_app(extended=date(2025, 2, 24)), cal)
    assert ok.extension_valid and ok.reply_due == date(2025, 3, 21)
    assert late.extension_valid is False and late.reply_due == date(2025, 2, 21)
    # 补正 notice due: 7 working days after 01-20: 01-21…24 (4), 01-26 (5), 01-27 (6), 02-05 (7)
    assert deadlines(_app(), cal).correction_notice_due == date(2025, 2, 5)


def test_fee_window_does_not_stop_the_clock_by_default() -> None:
    cal = seed()
    app = _app(fee_notified=date(2025, 2, 10), fee_paid=date(2025, 2, 14))
    assert deadlines(app, cal).reply_due == date(2025, 2, 21)
    # stopped: Tue 02-11 … Fri 02-14 (the notice day itself counts) → four working days later
    assert deadlines(app, cal, Policy(fee_stops_clock=True)).reply_due == date(2025, 2, 27)


def test_a_deadline_running_into_an_unknown_year_is_an_error() -> None:
    cal = seed()
    last = max(cal.years)
    app = Application(number="X", received=date(last, 12, 20), applicant_type="natural_person")
    with pytest.raises(CalendarGapError, match=str(last + 1)):
        deadlines(app, cal)


def test_the_trace_explains_each_day() -> None:
    lines = deadlines(_app(), seed()).explain()
    assert any("2025-01-26 第5日 调休上班" in line for line in lines)
    assert any("2025-01-29" in line and "春节" in line and "不计" in line for line in lines)
    assert lines[-1].endswith("2025-02-21")
