"""The placer's shortcuts (issue 3 speed targets) give exactly what the plain search gives.

Each shortcut is checked against an independent brute-force enumeration or against the
general path of the same module, on random digit runs and random rows.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.adapters.base import Position
from xxgk.model import Candidate, CellSource, PagePosition
from xxgk.readers import candidates, glued, rows, sources
from xxgk.readers.candidates import candidates_for
from xxgk.readers.provenance import cell_sources
from xxgk.readers.rows import RowInput, Tok

COLS7 = tuple(f"table3.r.c{i}" for i in range(7))
SUM7 = (((0, 1, 2, 3, 4, 5), 6),)
COLS15 = tuple(f"table4.r.c{i}" for i in range(15))
SUM15 = tuple(((b, b + 1, b + 2, b + 3), b + 4) for b in (0, 5, 10))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _brute_sum_splits(digits: str, total: int, most: int, least: int) -> list[list[tuple[int, int]]]:
    """Every split of digits into least..most counts adding up to total, in depth-first order."""
    out: list[list[tuple[int, int]]] = []
    n = len(digits)
    for parts in range(max(least, 1), most + 1):
        for cuts in itertools.combinations(range(1, n), parts - 1):
            bounds = [0, *cuts, n]
            spans = list(itertools.pairwise(bounds))
            pieces = [digits[a:b] for a, b in spans]
            valid = all(p.isdigit() and (len(p) == 1 or p[0] != "0") for p in pieces)
            if valid and sum(int(p) for p in pieces) == total:
                out.append(spans)
    # depth-first order = lexicographic order of the part ends
    return sorted(out, key=lambda spans: [b for _, b in spans])


@FAST
@given(
    digits=st.text(alphabet="0000123459.", min_size=1, max_size=9),
    total=st.integers(0, 60),
    most=st.integers(1, 6),
    least=st.integers(1, 6),
)
def test_sum_splits_match_brute_force(digits: str, total: int, most: int, least: int) -> None:
    got = list(glued._sum_splits(digits, 0, len(digits), total, most, least))
    assert got == _brute_sum_splits(digits, total, most, least)


def _glued_row(
    cells: tuple[str, ...], groups: tuple[tuple[tuple[int, ...], int], ...], digits: str
) -> RowInput:
    return RowInput(cells, [Tok(digits, Position(offset=10))], groups, glued=True)


def _search_result(row: RowInput) -> list[list[tuple[int, int]]]:
    digits = glued.digit_run(row.tokens)[0]
    return list(itertools.islice(glued._splits(digits, len(row.cells), row.groups), 5001))


@FAST
@given(digits=st.text(alphabet="0001239", min_size=7, max_size=7))
def test_one_digit_per_cell_shortcut_table3(digits: str) -> None:
    row = _glued_row(COLS7, SUM7, digits)
    res = candidates_for(row)
    expected = _search_result(row)
    assert [[(a, a + 1) for _, a in opt] for opt in res.options] == expected
    assert res.fits == bool(expected)


@FAST
@given(digits=st.text(alphabet="0000123", min_size=15, max_size=15))
def test_one_digit_per_cell_shortcut_table4(digits: str) -> None:
    row = _glued_row(COLS15, SUM15, digits)
    res = candidates_for(row)
    expected = _search_result(row)
    assert [[(a, a + 1) for _, a in opt] for opt in res.options] == expected


def _plain_fitting(row: RowInput, values: list[tuple[int, int]]) -> list[rows.Option]:
    """Reference: the placement search written plainly (no memo, no pruning)."""
    segs = candidates._segments(row)
    blank: tuple[int | None, int | None] = (None, None)

    def fill(chunk: list[tuple[int, int]], k: int) -> list[list[tuple[int | None, int | None]]]:
        if not chunk:
            return [[blank] * (k + 1)]
        out = []
        *items, total = chunk
        if len(items) <= k and sum(v for v, _ in items) == total[0]:
            for combo in itertools.combinations(range(k), len(items)):
                cells = [blank] * k
                for item, c in zip(items, combo, strict=True):
                    cells[c] = item
                out.append([*cells, total])
        if len(chunk) <= k and all(v == 0 for v, _ in chunk):
            for combo in itertools.combinations(range(k), len(chunk)):
                cells = [blank] * k
                for item, c in zip(chunk, combo, strict=True):
                    cells[c] = item
                out.append([*cells, blank])
        return out

    def walk(si: int, ti: int) -> list[list[tuple[int | None, int | None]]]:
        if si == len(segs):
            return [[]] if ti == len(values) else []
        kind, items, _ = segs[si]
        if kind == "free":
            out = [[blank, *rest] for rest in walk(si + 1, ti)]
            if ti < len(values):
                out += [[values[ti], *rest] for rest in walk(si + 1, ti + 1)]
            return out
        out = []
        for take in range(min(len(items) + 1, len(values) - ti) + 1):
            for head in fill(values[ti : ti + take], len(items)):
                out += [head + rest for rest in walk(si + 1, ti + take)]
        return out

    return [tuple(cells) for cells in walk(0, 0)]


@FAST
@given(values=st.lists(st.integers(0, 4), min_size=1, max_size=15), table4=st.booleans())
def test_dropped_blank_placements_match_plain_search(values: list[int], table4: bool) -> None:
    row = RowInput(COLS15, [], SUM15) if table4 else RowInput(COLS7, [], SUM7)
    numbered = [(v, i) for i, v in enumerate(values[: len(row.cells)])]
    assert list(candidates._fitting_placements(row, numbered)) == _plain_fitting(row, numbered)


def test_unvalidated_sources_equal_validated_ones() -> None:
    sources._decide_fast()
    assert sources._FAST is True  # the shortcut is on for the pinned pydantic
    cand = sources.unchecked_candidate("table3.new.total", 3)
    assert cand == Candidate(cell="table3.new.total", value=3)
    src = sources.unchecked_source("read", "3", 7, None, None, None, sources.EXACT_FIELDS)
    same = CellSource(status="read", text="3", offset=7)
    assert src == same and src.model_dump_json() == same.model_dump_json()
    assert src.model_fields_set == same.model_fields_set
    full = sources.make_source(status="ambiguous", offset=PagePosition(page=2), candidates=[cand], note="n")
    again = CellSource(
        status="ambiguous", offset=PagePosition(page=2), candidates=[cand], note="n", text=None, basis=None
    )
    assert full == again and full.model_dump_json() == again.model_dump_json()
    src.note = "changed"  # still a normal, mutable model
    assert src.model_fields_set == {"status", "text", "offset", "note"} and same.note is None
    # an integral Decimal is normalised the way validation does
    assert sources.unchecked_candidate("c", Decimal("3")).value == 3


def test_shortcut_row_reads_like_the_documented_example() -> None:
    # 101: "3000025" = 3,0,0,0,0,2,5 — the only split where 总计 = the six columns
    res = candidates_for(_glued_row(COLS7, SUM7, "3000025"))
    got = {c: v for c, (v, _) in cell_sources(res).items()}
    assert list(got.values()) == [3, 0, 0, 0, 0, 2, 5]


def test_memo_is_bounded_and_rows_do_not_share_their_options() -> None:
    memo: rows.Memo[candidates._Placed] = rows.Memo(limit=8)
    for i in range(20):
        memo.get(i, lambda i=i: candidates._Placed((((i, 0),),), True))
        assert memo.size <= 8
    for digits in ("3000025", "0000000000"):
        row = _glued_row(COLS7, SUM7, digits) if len(digits) == 7 else _glued_row(COLS15, SUM15, digits)
        row = replace(row, blanks_dropped=len(digits) > 7)
        first = candidates_for(row)
        expected = list(first.options)
        first.options.clear()  # a caller changing its row's options leaves the memo alone
        assert candidates_for(row).options == expected
