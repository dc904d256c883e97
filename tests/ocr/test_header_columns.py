"""A rule that one row of a scanned table has and the rest do not (the 公章's star through a
caption or a header) cuts every cell across it into two grid columns. An empty such cell is as
many blanks as the columns its header prints (readers/grid_tables.py ``_spanned``); when the
header is cut too and the row then has more cells than the template's, the row is ambiguous
with its numbers as candidates, never read by dropping a blank to fit (issue 15).

Fixtures: page 2 of the benchmark's generated 2019 report (``bench_ocr.py --generated 1``, seed
8150) scanned at 150 dpi, whole (the stray rule in 第二十条第(六)项's caption), and its rows
270–560 pt alone (read so, the stray rule also cuts that section's header). Before the fix
行政处罚's −545 came back under 处理决定数量 with 本年增/减 blank, a silent wrong number.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from tests.paths import REPO

from xxgk.adapters.pdf import stitch
from xxgk.adapters.scan import ScannedPages
from xxgk.readers.candidates import candidates_for
from xxgk.readers.grid_tables import read_grid_tables
from xxgk.readers.rows import RowInput
from xxgk.templates import get_template

FIXTURES = REPO / "tests" / "fixtures" / "ocr"


def table2(path: Path) -> tuple[list[list[tuple[str, int]]], dict[str, RowInput]]:
    """The page's grid rows (text, colspan) and the row inputs read from them."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        grids = stitch(ScannedPages.of_pdf(pdf, [1]).tables)
    finally:
        pdf.close()
    cells = [[(c.text, c.colspan) for c in row if c is not None] for g in grids for row in g.rows]
    return cells, read_grid_tables(grids, get_template("2019"))


@pytest.fixture(scope="module")
def page() -> tuple[list[list[tuple[str, int]]], dict[str, RowInput]]:
    return table2(FIXTURES / "gen2019_p2_150dpi.pdf")


@pytest.fixture(scope="module")
def cut_header() -> tuple[list[list[tuple[str, int]]], dict[str, RowInput]]:
    return table2(FIXTURES / "gen2019_p2_table2_150dpi.pdf")


def texts(row: RowInput) -> list[str]:
    return [t.text for t in row.tokens]


def test_the_page_has_a_stray_rule(page: tuple[list[list[tuple[str, int]]], dict[str, RowInput]]) -> None:
    """The case is still there: 上一年项目数量's column is two grid columns under a caption cut in two."""
    grid, _ = page
    assert ("行政处罚", 1) in grid[10] and ("", 2) in grid[10] and ("-545", 1) in grid[10]
    assert len({text for text, _ in grid[8]}) == 2  # 第二十条第(六)项 cut by the star


def test_an_empty_cell_across_a_stray_rule_is_one_blank(
    page: tuple[list[list[tuple[str, int]]], dict[str, RowInput]],
) -> None:
    _, rows = page
    assert texts(rows["table2.penalty"]) == ["", "-545", ""]  # 上一年项目数量 blank, 本年增/减 −545
    assert texts(rows["table2.other_services"]) == ["", "3", "81"]
    assert texts(rows["table2.licensing"]) == ["7", "1660", "1"]
    assert texts(rows["table2.coercion"]) == ["9", "", "6"]
    assert texts(rows["table2.fees"]) == ["", "-20"]


def test_a_row_too_wide_by_its_spans_is_ambiguous(
    cut_header: tuple[list[list[tuple[str, int]]], dict[str, RowInput]],
) -> None:
    grid, rows = cut_header
    assert ("上一年项目", 1) in grid[9] and ("数量", 1) in grid[9]  # the header cut by the rule too
    penalty = rows["table2.penalty"]
    assert penalty.tokens == [] and [t.text for t in penalty.lost] == ["-545"]
    assert candidates_for(penalty).how == "lost"  # ambiguous, −545 its candidate
    assert texts(rows["table2.other_services"]) == ["", "3", "81"]
