"""A 2021 table 3 printing 2019's single （六）其他处理 row, cut by the page inside it (review item
5): its three sub-rows are ambiguous, and their note says what the page shows — the row printed
whole and cut short — where it said "more values than columns", which the page never showed (the
sub-rows were left out of the solver as `overfull`). The cut row's numbers stay unplaced."""

from __future__ import annotations

import random

import pytest

from xxgk.extract import extract_bytes
from xxgk.render import render
from xxgk.samples import random_report

SUB_ROWS = ("other_overdue_correction", "other_overdue_fee", "other_other")


def _mixed(seed: int) -> tuple[str, list[str], int]:
    """The page, its whole row's cells as printed, and where that row starts."""
    page = render(random_report(random.Random(seed), "2021"), "mixed-rows").decode()
    start = page.index("其他处理")
    line = page[start : page.index("\n", start)]
    assert "|" in line
    return page, line.split("|"), start


@pytest.mark.parametrize(("seed", "kept"), [(1, 2), (1, 4), (0, 3)])
def test_a_whole_row_cut_inside_says_it_was_cut(seed: int, kept: int) -> None:
    page, cells, start = _mixed(seed)
    cut = page[:start] + "|".join(cells[:kept]) + "|"  # the page ends after kept - 1 values
    got = extract_bytes(cut.encode(), "d.txt")
    printed = [c.strip() for c in cells[1:kept] if c.strip()]
    for row in SUB_ROWS[:2]:
        for cell in (f"table3.{row}.natural_person", f"table3.{row}.total"):
            src = got.cells[cell]
            assert src.status == "ambiguous" and got.value(cell) is None
            assert "more values than columns" not in (src.note or "")
            assert "（六）其他处理" in (src.note or "") and "cut inside the row" in (src.note or "")
            assert f"{len(printed)} value" in (src.note or "")
    # the cut row's numbers are reported, not taken as read
    assert [u.text for u in got.unplaced if u.row == "other_other"] == printed


def test_a_whole_row_printed_in_full_is_still_split() -> None:
    page, _, _ = _mixed(1)
    got = extract_bytes(page.encode(), "d.txt")
    assert got.unplaced == []
    assert got.cells["table3.other.natural_person"].status == "read"
    assert "kept as table3.other" in (got.cells["table3.other_overdue_correction.total"].note or "")
