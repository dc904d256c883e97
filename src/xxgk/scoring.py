"""Given a report read by xxgk and its hand-checked label, return how many cells are right.

Counted as shared/tools/score.py counts them, so the OCR tests (tests/ocr) and the scanned-set
benchmark (benchmarks/bench_ocr.py) give the figures the corpus tools give: a cell the label
marks ``ambiguous`` ("?") is not scored, a blank equals 0, and a wrong cell is *silent* unless
the reading marks it ``ambiguous`` — the one kind of error the project never accepts.
"""

from __future__ import annotations

from typing import NamedTuple

from xxgk.model import Report


class Score(NamedTuple):
    """Cells scored, cells right, the wrong cells, and those of them not marked ambiguous."""

    total: int
    right: int
    wrong: list[str]
    silent: list[str]


def score(got: Report, want: Report) -> Score:
    """The cells of ``got`` checked against the label ``want``."""
    total = right = 0
    wrong: list[str] = []
    silent: list[str] = []
    for cell, value in want.iter_cells():
        if want.status(cell) == "ambiguous":
            continue
        total += 1
        if (got.value(cell) or 0) == (value or 0):
            right += 1
            continue
        wrong.append(cell)
        if got.status(cell) != "ambiguous":
            silent.append(cell)
    return Score(total, right, wrong, silent)
