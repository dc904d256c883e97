"""A 2021 table 3 printing the 2019 template's single （六）其他处理 row with every cell empty
(`| （六）其他处理 | | | … ||`) reads no number — and neither does a page cut inside that row.
Reading both as blank gave a silent 0 on the cut, so both came back ambiguous. Positive
evidence tells them apart (issue 10): every cell's separator on the row's line and the next
row's label on the next line → blank (its parts 0); anything less → ambiguous."""

from __future__ import annotations

import random

import pytest

from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render import render
from xxgk.samples import random_report

PARTS = ("other_overdue_correction", "other_overdue_fee", "other_other")
COLUMNS = ("natural_person", "commercial", "research", "social", "legal", "other", "total")
LINE = "（六）其他处理 |  |  |  |  |  |  |  ||"


def _page() -> str:
    report = random_report(random.Random(3), "2021")
    for part in PARTS:
        for col in COLUMNS:
            report.set(f"table3.{part}.{col}", None)
    text = render(report, "mixed-rows").decode()
    assert LINE + "\n" in text
    return text


def _parts(got: Report) -> set[tuple[object, str]]:
    return {
        (got.value(f"table3.{p}.{c}"), got.cells[f"table3.{p}.{c}"].status) for p in PARTS for c in COLUMNS
    }


def test_a_whole_row_printed_blank_is_blank_and_its_parts_zero() -> None:
    got = extract_bytes(_page().encode(), "d.txt")
    assert _parts(got) == {(0, "inferred")}
    assert {got.cells[f"table3.other.{c}"].status for c in COLUMNS} == {"blank"}


def test_a_tabbed_whole_row_printed_blank_is_blank() -> None:
    text = _page()
    start = text.index("一、本年新收")
    table = text[start : text.index("四、结转下年度", start)]
    tabbed = "\n".join("\t".join(c.strip() for c in line.split("|")) for line in table.split("\n"))
    got = extract_bytes(text.replace(table, tabbed, 1).encode(), "d.txt")
    assert _parts(got) == {(0, "inferred")}


@pytest.mark.parametrize(
    "cut",
    [
        "（六）其他处理 |  |  |",  # the page ends inside the row
        LINE,  # every separator, but the page ends there: no next row follows
        LINE + "\n",
    ],
)
def test_a_page_cut_inside_the_whole_row_leaves_its_parts_ambiguous(cut: str) -> None:
    text = _page()
    got = extract_bytes(text[: text.index(LINE) + len(cut)].encode(), "d.txt")
    assert _parts(got) == {(None, "ambiguous")}


def test_a_separator_short_is_no_evidence_of_blanks() -> None:
    """Cells lost in the middle of the page (a separator short) are not shown to be empty."""
    text = _page().replace(LINE, "（六）其他处理 |  |  |  |  |  |", 1)
    got = extract_bytes(text.encode(), "d.txt")
    assert _parts(got) == {(None, "ambiguous")}
