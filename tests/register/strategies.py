"""Hypothesis strategies: random registers spanning several years (applications and cases)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from xxgk.register.cases import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_RESULTS,
    CHANNELS,
    Application,
    Case,
    Register,
)
from xxgk.templates import template_for_year

FIRST, LAST = 2019, 2024


def _outcomes(year: int) -> list[str]:
    template = template_for_year(year)
    assert template is not None
    return [r.key for r in template.table3.rows_with_role("disposal")]


@st.composite
def applications(draw: st.DrawFn, number: str) -> Application:
    received = draw(st.dates(min_value=date(FIRST, 1, 1), max_value=date(LAST, 12, 31)))
    replied = None
    outcome = None
    if draw(st.booleans()) or received.year < LAST - 1:
        replied = received + timedelta(days=draw(st.integers(0, 500)))
        outcome = draw(st.sampled_from(_outcomes(replied.year)))
    fee_paid = None
    method = draw(st.sampled_from([None, None, "按件", "按量"]))
    if method and replied:
        fee_paid = replied - timedelta(days=draw(st.integers(0, 3)))
        fee_paid = max(fee_paid, received)
    maybe_day = st.one_of(st.none(), st.integers(1, 40).map(lambda n: received + timedelta(days=n)))
    free_text = st.one_of(
        st.none(), st.text(alphabet="某某,\"；\n申请 ab1=+-@'", min_size=1, max_size=12).map(str.strip)
    )
    consultations = tuple(
        (received + timedelta(days=a), received + timedelta(days=a + b))
        for a, b in draw(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 10)), max_size=2))
    )
    return Application(
        channel=draw(st.sampled_from([None, *CHANNELS])),
        handler=draw(st.sampled_from([None, "张三", "李四"])),
        request=draw(free_text) or None,
        note=draw(free_text) or None,
        correction_notified=draw(maybe_day),
        correction_received=draw(maybe_day),
        extended=draw(maybe_day),
        fee_notified=draw(maybe_day),
        fee_yuan=draw(st.one_of(st.none(), st.decimals(0, 100000, places=2))),
        consultations=consultations,
        number=number,
        received=received,
        applicant_type=draw(st.sampled_from(list(APPLICANT_TYPES.values()))),
        applicant=draw(st.sampled_from(["王小明", "李华", "某某科技有限公司"])),
        id_number=draw(st.sampled_from(["350102199001011234", "110101198502023456"])),
        contact="13812345678",
        fee_method=method,
        pages=draw(st.integers(0, 400)) if method == "按量" else None,
        fee_paid=fee_paid,
        replied=replied,
        outcome=outcome,
    )


@st.composite
def cases(draw: st.DrawFn, number: str) -> Case:
    filed = draw(st.dates(min_value=date(FIRST, 1, 1), max_value=date(LAST, 12, 31)))
    closed = filed + timedelta(days=draw(st.integers(0, 600))) if draw(st.booleans()) else None
    return Case(
        number=number,
        kind=draw(st.sampled_from(list(CASE_KINDS.values()))),
        filed=filed,
        closed=closed,
        result=draw(st.sampled_from(list(CASE_RESULTS.values()))) if closed else None,
    )


@st.composite
def registers(draw: st.DrawFn, max_applications: int = 60, max_cases: int = 8) -> Register:
    n = draw(st.integers(0, max_applications))
    m = draw(st.integers(0, max_cases))
    apps = [draw(applications(f"{i:05d}")) for i in range(n)]
    cs = [draw(cases(f"F{i:03d}")) for i in range(m)]
    return Register("福州市某某区人民政府办公室", apps, cs)
