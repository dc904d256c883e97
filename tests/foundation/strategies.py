"""Hypothesis strategies for valid reports, written from the spec (not from xxgk's own tables).

The identities below are annual-report.md A.4/A.5 restated by hand, so the tests that use them
check the rule engine against an independent oracle.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from xxgk.model import Report, Section

APPLICANTS = ["natural_person", "commercial", "research", "social", "legal", "other"]
T3_COLUMNS = [*APPLICANTS, "total"]
DENIED = [
    "denied_state_secret",
    "denied_law_forbidden",
    "denied_three_safety",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_inquiry",
]
UNABLE = ["unable_not_held", "unable_need_creation", "unable_unclear"]
NOT_PROCESSED = [
    "not_processed_complaint",
    "not_processed_repeat",
    "not_processed_publication",
    "not_processed_massive",
    "not_processed_confirm",
]
OTHER_2021 = ["other_overdue_correction", "other_overdue_fee", "other_other"]
DISPOSALS = {
    "2021": ["granted", "partial", *DENIED, *UNABLE, *NOT_PROCESSED, *OTHER_2021],
    "2019": ["granted", "partial", *DENIED, *UNABLE, *NOT_PROCESSED, "other"],
}
BALANCE_ROWS = ["new", "carried_over", "total", "carried_forward"]
T4_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
T4_PARTS = ["upheld", "corrected", "other", "pending"]
TABLE2 = {
    "2021": {
        "regulations": {"made": "count", "repealed": "count", "in_force": "count"},
        "normative_documents": {"made": "count", "repealed": "count", "in_force": "count"},
        "licensing": {"decisions": "count"},
        "penalty": {"decisions": "count"},
        "coercion": {"decisions": "count"},
        "fees": {"amount_wan": "amount"},
    },
    "2019": {
        "regulations": {"new_made": "count", "new_published": "count", "total_published": "count"},
        "normative_documents": {"new_made": "count", "new_published": "count", "total_published": "count"},
        **{
            row: {"last_year_items": "count", "change": "signed", "decisions": "count"}
            for row in ("licensing", "other_services", "penalty", "coercion")
        },
        "fees": {"last_year_items": "count", "change": "signed"},
        "procurement": {"items": "count", "amount_wan": "amount"},
    },
}

small = st.integers(min_value=0, max_value=60)


def _maybe_blank(draw: st.DrawFn, value: int) -> int | None:
    """Real reports often leave zero cells blank (A.4): a 0 is sometimes written as blank."""
    return None if value == 0 and draw(st.booleans()) else value


@st.composite
def valid_reports(draw: st.DrawFn, template: str | None = None) -> Report:
    tid = template or draw(st.sampled_from(["2019", "2021"]))
    year = draw(st.integers(2019, 2020) if tid == "2019" else st.integers(2021, 2025))
    t3: dict[str, dict[str, int | None]] = {}
    disposal_rows = DISPOSALS[tid]
    col_totals = dict.fromkeys(APPLICANTS, 0)
    for row in disposal_rows:
        values = {c: draw(small) if draw(st.integers(0, 3)) == 0 else 0 for c in APPLICANTS}
        for c, v in values.items():
            col_totals[c] += v
        t3[row] = {c: _maybe_blank(draw, v) for c, v in values.items()}
        t3[row]["total"] = _maybe_blank(draw, sum(values.values()))
    t3["total"] = {c: _maybe_blank(draw, col_totals[c]) for c in APPLICANTS}
    t3["total"]["total"] = _maybe_blank(draw, sum(col_totals.values()))
    new, over, forward = {}, {}, {}
    for c in APPLICANTS:
        forward[c] = draw(small)
        over[c] = draw(st.integers(0, col_totals[c] + forward[c]))
        new[c] = col_totals[c] + forward[c] - over[c]
    for name, values in (("new", new), ("carried_over", over), ("carried_forward", forward)):
        t3[name] = {c: _maybe_blank(draw, values[c]) for c in APPLICANTS}
        t3[name]["total"] = _maybe_blank(draw, sum(values.values()))
    t4: dict[str, dict[str, int | None]] = {}
    for group in T4_GROUPS:
        parts = {p: draw(st.integers(0, 9)) for p in T4_PARTS}
        t4[group] = {p: _maybe_blank(draw, v) for p, v in parts.items()}
        t4[group]["total"] = _maybe_blank(draw, sum(parts.values()))
    t2: dict[str, dict[str, int | Decimal | None]] = {}
    for row, cols in TABLE2[tid].items():
        t2[row] = {}
        for col, kind in cols.items():
            if kind == "amount":
                t2[row][col] = Decimal(draw(st.integers(0, 10**8))) / 10000
            elif kind == "signed":
                t2[row][col] = draw(st.integers(-500, 500))
            else:
                t2[row][col] = draw(st.integers(0, 10**5))
    ordered_t3 = {k: t3[k] for k in ["new", "carried_over", *disposal_rows, "total", "carried_forward"]}
    return Report(
        template=tid,
        year=year,
        agency="某某区人民政府",
        table2=t2,
        table3=ordered_t3,
        table4=t4,  # type: ignore[arg-type]
        sections=[Section(number=n, heading=f"{h}、……", text="……") for n, h in enumerate("一二三四五六", 1)],
    )


def expected_arithmetic(template: str, cell: str) -> set[tuple[str, tuple[str, ...]]]:
    """The (rule, cells) findings that changing only `cell` must raise, from the identities of A.4/A.5."""
    table, row, col = cell.split(".")
    out: set[tuple[str, tuple[str, ...]]] = set()
    if table == "table3":
        out.add(("T3-ROW-TOTAL", (f"table3.{row}.total", *(f"table3.{row}.{c}" for c in APPLICANTS))))
        if row in BALANCE_ROWS:
            out.add(("T3-BALANCE", tuple(f"table3.{r}.{col}" for r in BALANCE_ROWS)))
        if row in DISPOSALS[template] or row == "total":
            out.add(
                (
                    "T3-DISPOSAL-SUM",
                    (f"table3.total.{col}", *(f"table3.{r}.{col}" for r in DISPOSALS[template])),
                )
            )
    elif table == "table4":
        out.add(("T4-GROUP-TOTAL", (f"table4.{row}.total", *(f"table4.{row}.{p}" for p in T4_PARTS))))
    return out


def all_cells(template: str) -> list[str]:
    cells = [f"table2.{r}.{c}" for r, cols in TABLE2[template].items() for c in cols]
    rows = ["new", "carried_over", *DISPOSALS[template], "total", "carried_forward"]
    cells += [f"table3.{r}.{c}" for r in rows for c in T3_COLUMNS]
    cells += [f"table4.{g}.{c}" for g in T4_GROUPS for c in [*T4_PARTS, "total"]]
    return cells
