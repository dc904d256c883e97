"""Placement and splitting of one row's values (pure functions, no documents)."""

from __future__ import annotations

from decimal import Decimal

from xxgk.adapters.base import Position
from xxgk.readers.candidates import candidates_for
from xxgk.readers.provenance import cell_sources
from xxgk.readers.rows import RowInput, RowResult, Tok, parse_number
from xxgk.readers.solve import solve_table
from xxgk.templates import Table3Shape

COLS7 = tuple(
    f"table3.r.{c}" for c in ("natural_person", "commercial", "research", "social", "legal", "other", "total")
)
SUM7 = (((0, 1, 2, 3, 4, 5), 6),)


def _toks(*texts: str) -> list[Tok]:
    out, off = [], 0
    for t in texts:
        out.append(Tok(t, Position(offset=off)))
        off += len(t) + 1
    return out


def _solved(row: RowInput) -> dict[str, object]:
    res = candidates_for(row)
    return {c: v for c, (v, _) in cell_sources(res).items()}


def test_parse_number_forms() -> None:
    assert parse_number("1,234") == 1234
    assert parse_number("3027.6557") == Decimal("3027.6557")
    assert parse_number("+1036") == 1036 and parse_number("-5") == -5
    assert parse_number("97件") == 97
    assert parse_number("abc") is None and parse_number("") is None


def test_glued_row_split_by_row_sum() -> None:
    # 101: "3000025" = 3,0,0,0,0,2,5 — the only split where 总计 = the six columns
    got = _solved(RowInput(COLS7, _toks("3000025"), SUM7, glued=True))
    assert list(got.values()) == [3, 0, 0, 0, 0, 2, 5]


def test_glued_without_arithmetic_is_ambiguous() -> None:
    res = candidates_for(RowInput(("a.r.x", "a.r.y", "a.r.z"), _toks("1411"), (), glued=True))
    assert sorted(tuple(v for v, _ in o) for o in res.options) == [(1, 4, 11), (1, 41, 1), (14, 1, 1)]
    srcs = cell_sources(res)
    assert all(src.status == "ambiguous" and value is None for value, src in srcs.values())


def test_spaces_are_not_trusted_when_they_break_numbers() -> None:
    # 102: " 00 00000" — a leading zero shows the spaces are not cell boundaries
    got = _solved(RowInput(COLS7, _toks("00", "00000"), SUM7, glued=True))
    assert list(got.values()) == [0] * 7


def test_exact_row_is_read_even_if_it_does_not_add_up() -> None:
    res = candidates_for(RowInput(COLS7, _toks("1", "0", "0", "0", "0", "0", "5"), SUM7))
    assert res.how == "exact"
    assert [v for v, _ in cell_sources(res).values()] == [1, 0, 0, 0, 0, 0, 5]


def test_spacer_and_trailing_blank_cells_are_dropped() -> None:
    toks = [
        *_toks("0", "0", "0", "0", "0", "0"),
        Tok("", Position(offset=50), blank=True),
        Tok("7", Position(offset=52)),
    ]
    toks += [Tok("", Position(offset=60), blank=True)]
    res = candidates_for(RowInput(COLS7, toks, SUM7))
    assert res.how == "exact" and [v for v, _ in res.options[0]] == [0, 0, 0, 0, 0, 0, 7]


def test_dropped_blanks_force_total_by_row_sum() -> None:
    res = candidates_for(RowInput(COLS7, _toks("9", "1", "10"), SUM7, convention=True))
    assert res.how == "placed"
    assert all(o[6][0] == 10 for o in res.options)  # 10 can only be 总计
    assert res.restricted and all(o[0][0] == 9 for o in res.restricted)


def test_too_many_values_are_not_placed() -> None:
    res = candidates_for(RowInput(("t.r.a", "t.r.b"), _toks("1", "2", "3")))
    assert all(src.status == "ambiguous" for _, src in cell_sources(res).values())


def test_a_row_that_could_not_be_read_is_not_taken_for_zeros_by_the_solver() -> None:
    """Regression: an overfull row (values unknown) counted as 0 in the column identities, so
    （七）总计 = Σ disposal rows "settled" an open row on the number that makes the sum work
    without it — a wrong number read as certain when the unread row is not zero."""

    def row(key: str) -> RowInput:
        return RowInput((f"table3.{key}.x",), [])

    def exact(key: str, value: int) -> RowResult:
        return RowResult(row(key), [((value, None),)], "exact")

    unread = RowResult(row("a"), [], "overfull")
    open_row = RowResult(row("b"), [((2, None),), ((5, None),)], "placed")
    results = {
        "new": exact("new", 5),
        "carried_over": exact("carried_over", 0),
        "a": unread,
        "b": open_row,
        "total": exact("total", 5),
        "carry": exact("carry", 0),
    }
    shape = Table3Shape(("new", "carried_over"), ("a", "b"), "total", "carry", ("x",))
    solved = solve_table(results, shape)
    assert len(solved["b"].readings) == 2  # a = 3, b = 2 is as possible as a = 0, b = 5
    assert not open_row.chosen  # the row given is never changed: the solved one is a new value
