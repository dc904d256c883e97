"""Property tests: change one cell of a valid report at a time, over every cell, and exactly the
expected rules fire, naming exactly the right cells."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.foundation.strategies import TABLE2, all_cells, expected_arithmetic, valid_reports

from xxgk.check import check
from xxgk.model import Report

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _found(report: Report, previous: Report | None = None) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, tuple(f.cells)) for f in check(report, previous)}


def _kind(template: str, cell: str) -> str:
    table, row, col = cell.split(".")
    return TABLE2[template][row][col] if table == "table2" else "count"


@PROPERTY
@given(valid_reports())
def test_valid_reports_raise_nothing(report: Report) -> None:
    assert _found(report) == set()


@PROPERTY
@given(valid_reports(), st.integers(1, 50), st.booleans())
def test_changing_any_one_cell_fires_exactly_the_identities_it_belongs_to(
    report: Report, delta: int, down: bool
) -> None:
    template = report.template
    assert template is not None
    for cell in all_cells(template):
        old = report.value(cell)
        base = 0 if old is None else old
        new = base - delta if down and _kind(template, cell) == "signed" else base + delta
        mutated = report.model_copy(deep=True)
        mutated.set(cell, new)
        assert _found(mutated) == expected_arithmetic(template, cell), cell


@PROPERTY
@given(valid_reports())
def test_blanking_a_nonzero_cell_is_a_change_to_zero(report: Report) -> None:
    template = report.template
    assert template is not None
    for cell in all_cells(template):
        if report.value(cell) in (None, 0):
            continue
        mutated = report.model_copy(deep=True)
        mutated.set(cell, None)
        assert _found(mutated) == expected_arithmetic(template, cell), cell
        assert mutated.value(cell) is None  # the checker never rewrites a blank


@PROPERTY
@given(valid_reports(), st.integers(1, 30))
def test_negative_counts_are_named(report: Report, k: int) -> None:
    template = report.template
    assert template is not None
    for cell in all_cells(template):
        if _kind(template, cell) == "signed":
            continue
        mutated = report.model_copy(deep=True)
        mutated.set(cell, -k)
        value = report.value(cell) or 0
        expected = expected_arithmetic(template, cell) if value != -k else set()
        assert _found(mutated) == expected | {("V-NEGATIVE", (cell,))}, cell


@PROPERTY
@given(valid_reports(), st.integers(1, 99))
def test_fractions_only_in_amount_cells(report: Report, hundredths: int) -> None:
    template = report.template
    assert template is not None
    for cell in all_cells(template):
        mutated = report.model_copy(deep=True)
        old = report.value(cell) or 0
        mutated.set(cell, Decimal(old) + Decimal(hundredths) / 100)
        found = _found(mutated)
        if _kind(template, cell) == "amount":
            assert found == set(), cell
        else:
            assert found == expected_arithmetic(template, cell) | {("V-NOT-INTEGER", (cell,))}, cell


@PROPERTY
@given(valid_reports())
def test_amounts_that_look_like_yuan_warn(report: Report) -> None:
    template = report.template
    assert template is not None
    for cell in all_cells(template):
        if _kind(template, cell) != "amount":
            continue
        mutated = report.model_copy(deep=True)
        mutated.set(cell, 30276557)  # 3027.6557 万元 typed in 元
        findings = [f for f in check(mutated) if f.cells == [cell]]
        assert [(f.rule, f.severity) for f in findings] == [("V-AMOUNT-IMPLAUSIBLE", "warning")]


@PROPERTY
@given(
    valid_reports(template="2021"),
    st.sampled_from(["natural_person", "commercial", "research", "social", "legal", "other", "total"]),
    st.integers(1, 9),
)
def test_carried_over_must_equal_last_years_carried_forward(
    previous: Report, column: str, delta: int
) -> None:
    report = previous.model_copy(deep=True)
    report.year = (previous.year or 2021) + 1
    report.table3["new"] = {c: 0 for c in report.table3["new"]}
    report.table3["carried_over"] = dict(previous.table3["carried_forward"])
    report.table3["carried_forward"] = {c: 0 for c in report.table3["carried_forward"]}
    report.table3["new"] = {
        c: (report.value(f"table3.total.{c}") or 0) - (report.value(f"table3.carried_over.{c}") or 0)
        for c in report.table3["new"]
    }
    if any(v < 0 for v in report.table3["new"].values()):
        return  # this draw cannot be made consistent with last year's carry-over
    report.table2["regulations"]["in_force"] = (
        (previous.value("table2.regulations.in_force") or 0)
        + (report.value("table2.regulations.made") or 0)
        - (report.value("table2.regulations.repealed") or 0)
    )
    report.table2["normative_documents"]["in_force"] = (
        (previous.value("table2.normative_documents.in_force") or 0)
        + (report.value("table2.normative_documents.made") or 0)
        - (report.value("table2.normative_documents.repealed") or 0)
    )
    if any((report.value(f"table2.{r}.in_force") or 0) < 0 for r in ("regulations", "normative_documents")):
        return
    assert _found(report, previous) == set()
    # break continuity in one column: this year's carried_over no longer matches (its own
    # arithmetic breaks too, by construction)
    broken = report.model_copy(deep=True)
    broken.set(f"table3.carried_over.{column}", (report.value(f"table3.carried_over.{column}") or 0) + delta)
    cross = {x for x in _found(broken, previous) if x[0].startswith("X-")}
    assert cross == {("X-CARRIED-OVER", (f"table3.carried_over.{column}",))}
    # the stock equation of table 2 is a warning
    stock = report.model_copy(deep=True)
    stock.set("table2.regulations.in_force", (report.value("table2.regulations.in_force") or 0) + delta)
    warnings = [f for f in check(stock, previous) if f.rule == "X-STOCK"]
    assert [(f.severity, f.cells) for f in warnings] == [
        ("warning", ["table2.regulations.in_force", "table2.regulations.made", "table2.regulations.repealed"])
    ]
