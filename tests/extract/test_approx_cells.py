"""A value cell printed as an approximation (约5, 5左右, 近5) is no count: it stays `ambiguous`,
its number the candidate, and the row's other cells read (issue 10). Before, the text readers
took 约 for prose and lost the whole row (every cell ambiguous, 5 nowhere), and a
space-separated row read 约5 as a plain 5."""

from __future__ import annotations

import random

import pytest

from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render import render
from xxgk.samples import random_report


def _report() -> Report:
    report = random_report(random.Random(3), "2021")
    report.set("table2.regulations.made", 5)
    report.set("table2.regulations.repealed", 2)
    report.set("table2.regulations.in_force", 263)
    return report


def _cells(got: Report, row: str) -> dict[str, tuple[object, str]]:
    return {
        col: (got.value(f"{row}.{col}"), got.cells[f"{row}.{col}"].status)
        for col in ("made", "repealed", "in_force")
    }


@pytest.mark.parametrize("printed", ["约5", "5左右", "近5", "大约5件", "5件左右"])
@pytest.mark.parametrize(
    ("family", "old", "new"),
    [
        ("pipe", "规章 | 5 |", "规章 | {} |"),
        ("html", "<td>5</td>", "<td>{}</td>"),
        ("pipe", "规章 | 5 | 2 | 263 |", "规章 {} 2 263"),  # space-separated
    ],
)
def test_an_approximate_cell_is_ambiguous_with_its_number_as_candidate(
    printed: str, family: str, old: str, new: str
) -> None:
    data = render(_report(), family).decode()
    assert old in data
    got = extract_bytes(data.replace(old, new.format(printed), 1).encode(), f"d.{family[:4]}")
    assert _cells(got, "table2.regulations") == {
        "made": (None, "ambiguous"),
        "repealed": (2, "read"),
        "in_force": (263, "read"),
    }
    src = got.cells["table2.regulations.made"]
    assert [(c.cell, c.value) for c in src.candidates or []] == [("table2.regulations.made", 5)]
    assert src.text in (printed, printed.removesuffix("件"))  # the unit is the number's, not needed


def test_an_approximation_in_table_3_settles_no_other_row() -> None:
    """约5 is not 5: the solver must not use it to decide the rest of table 3."""
    report = random_report(random.Random(11), "2021")
    data = render(report, "pipe").decode()
    row = next(line for line in data.splitlines() if line.startswith("一、本年新收"))
    cells = row.split("|")
    total = cells[7].strip()
    assert total.isdigit()
    cells[7] = f" 约{total} "
    got = extract_bytes(data.replace(row, "|".join(cells), 1).encode(), "d.txt")
    src = got.cells["table3.new.total"]
    assert [c.value for c in src.candidates or []] == [int(total)]
    # ambiguous, unless the report's own text states the figure (共收到申请29件: basis text)
    assert src.status == "ambiguous" or (src.basis == "text" and got.value("table3.new.total") == int(total))
    for col in ("natural_person", "commercial", "research", "social", "legal", "other"):
        assert (got.value(f"table3.new.{col}") or 0) == (report.value(f"table3.new.{col}") or 0)
    # the other rows are read as printed: none was decided from the approximate total
    assert all(s.basis != "arithmetic" for k, s in got.cells.items() if k.startswith("table3."))


def test_prose_near_numbers_is_still_prose() -> None:
    """近3年 after a row is a sentence (a date-like count), not an approximated cell."""
    data = (
        render(_report(), "pipe")
        .decode()
        .replace("规章 | 5 | 2 | 263 |", "规章 | 5 | 2 | 263 |\n近3年来制度逐步完善。")
    )
    got = extract_bytes(data.encode(), "d.txt")
    assert _cells(got, "table2.regulations") == {
        "made": (5, "read"),
        "repealed": (2, "read"),
        "in_force": (263, "read"),
    }
