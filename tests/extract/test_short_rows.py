"""Issue 10, task 10s: rows that print fewer cells than the table has columns, and a row printed
twice, label and all. A cell is `blank` only on positive evidence in the document (spec
report-json.md); where the layout cannot tell which cells are missing, the cells no reading
gives a value are `ambiguous`.

The families (xxgk.render.short_rows): trailing empty cells not printed (`trailing-dropped`),
empty `<td>`s vanished from a copied table (`cells-vanish`), a run of blank cells as one merged
cell in pipe text (`colspan-blanks`) and in HTML (`html-colspan-blanks`: the colspan is the
evidence), OCR-like text whose blanks are only wider gaps (`ocr-gaps`); and the damage
`short-value-row` (xxgk.render.damage) that does the same to one value row of any family. All
run in the bulk property test (tests/extract/test_conservation_bulk.py); one regression test per
fix below, each failing on the code before it.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from xxgk.adapters import read_document
from xxgk.adapters.base import Position
from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.readers import read_with_ledger
from xxgk.readers.candidates import candidates_for
from xxgk.readers.ledger import account
from xxgk.readers.provenance import cell_sources
from xxgk.readers.rows import RowInput, Tok, two_printings
from xxgk.readers.text_tables import gap_cells
from xxgk.render import LAYOUTS, render
from xxgk.render.damage import damaged
from xxgk.samples import random_report
from xxgk.templates import get_template


def _report(seed: int, template: str) -> Report:
    return random_report(random.Random(seed), template)


def _silent(report: Report, got: Report) -> list[str]:
    """Cells read as another number than printed, not ambiguous nor placed by the 自然人
    convention (flagged V-CONVENTION)."""
    return [
        c.key
        for c in get_template(report.template or "2021").cells()
        if got.status(c.key) != "ambiguous"
        and (got.cells.get(c.key) is None or got.cells[c.key].basis != "convention")
        and (got.value(c.key) or 0) != (report.value(c.key) or 0)
    ]


@pytest.mark.parametrize("family", ["trailing-dropped", "cells-vanish", "colspan-blanks", "ocr-gaps"])
def test_short_row_families_read_true_or_ambiguous(family: str) -> None:
    """colspan-blanks before the fix: the merged cell's padding pipes (`| 21 |  | 0 |  | 21 |||||`)
    counted as cells made the row look whole, its total read into a blank (silent wrong)."""
    for seed, template in ((555, "2019"), (556, "2021"), (557, "2019"), (558, "2021")):
        report = _report(seed, template)
        got = extract_bytes(render(report, family), "r" + LAYOUTS[family].suffix)
        assert _silent(report, got) == [], (family, seed)


def test_a_colspan_over_blank_cells_is_evidence_of_blanks() -> None:
    """HTML's `<td colspan=k>` over a run of blank cells: every cell it covers is blank, read as
    such. Before, the merged cell counted once: the row had fewer cells than columns and about a
    fifth of the cells came back ambiguous."""
    for seed, template in ((555, "2019"), (556, "2021")):
        report = _report(seed, template)
        got = extract_bytes(render(report, "html-colspan-blanks"), "r.html")
        assert _silent(report, got) == []
        assert [k for k, s in got.cells.items() if s.status == "ambiguous"] == []


def test_padding_pipes_after_a_merged_blank_cell_are_no_cells() -> None:
    text = render(_report(555, "2019"), "pipe").decode()
    row = next(line for line in text.splitlines() if line.startswith("一、本年新收"))
    merged = "一、本年新收政府信息公开申请数量 | 21 |  | 0 |  | 21 |||||"
    got = extract_bytes(text.replace(row, merged).encode(), "r.txt")
    assert got.status("table3.new.total") != "blank"  # before: blank, and 法律服务机构 read 21
    assert (got.status("table3.new.legal"), got.value("table3.new.legal")) != ("read", 21)
    # the cells no reading gives a printed value are not known to be blank
    assert any(s.status == "ambiguous" for k, s in got.cells.items() if k.startswith("table3.new."))


def _toks(texts: list[str]) -> list[Tok]:
    return [Tok(t, Position(offset=100 + 5 * i), blank=not t) for i, t in enumerate(texts)]


CELLS = tuple(f"table3.new.c{i}" for i in range(7))


def test_a_short_row_printed_twice_is_no_row_of_its_own() -> None:
    """`| 8 |  | 1 |  | 9 ||||` printed twice: ten cells for seven columns. Before, its blank cells
    were dropped until it fitted, reading the second printing's 8 and 1 into the first's blanks
    (bulk seed 582 of colspan-blanks with a repeated value row; table 4 likewise)."""
    line = "一、本年新收政府信息公开申请数量 | 8 |  | 1 |  | 9 |||||\n"
    text = line + line + "二、"
    start = len("一、本年新收政府信息公开申请数量")
    toks = gap_cells(text, start, len(text) - 2)
    assert [t.text for t in toks] == ["8", "", "1", "", "9"] * 2
    assert two_printings(text, toks, 7)
    row = RowInput(CELLS, toks, ((tuple(range(6)), 6),), twice=True)
    res = candidates_for(row)
    assert res.how == "overfull"
    ledger = account({"table3.new": row}, {"table3.new": res})
    assert [t.text for _, t in ledger.repeated["table3"]] == ["8", "1", "9"]
    assert [t.text for _, t in ledger.unplaced["table3"]] == ["8", "1", "9"]


def test_equal_halves_on_one_line_are_one_printing() -> None:
    """`|  | 0 |  |  |  | 0 |  | 无 |`: seven cells and a 备注, halves alike — one row."""
    for line in ("|  | 0 |  |  |  | 0 |  |  |\n", "|  | 0 |  |  |  | 0 |  | 无 |\n", "| 1 |  | 1 |  |\n"):
        toks = gap_cells(line + "下", 0, len(line))
        assert not two_printings(line, toks, 7 if len(toks) > 4 else 3), line
    twice = "| 5 | 2 |\n| 5 | 3 |\n"  # two lines, other numbers: no repeat
    assert not two_printings(twice, gap_cells(twice + "下", 0, len(twice)), 3)


def test_a_cell_only_the_convention_decides_is_the_conventions() -> None:
    """A pipe row whose empty cells vanished (`| 7 | 0 | 7 |`, bulk seed: extra-columns with
    short-value-row): under the 自然人 convention the 7 is 自然人's and the 0 goes to one of
    five cells, so every cell after 自然人 came back `inferred` by arithmetic — 科研机构 read 0
    where the page meant 7. Such a cell is the convention's (basis convention, flagged by
    V-CONVENTION, its candidates listed), like 自然人 itself."""
    row = RowInput(CELLS, _toks(["7", "0", "7"]), ((tuple(range(6)), 6),), convention=True)
    res = candidates_for(row)
    assert res.restricted
    solved = replace(res, chosen=list(res.restricted), convention_used=True)
    sources = cell_sources(solved)
    for cell in CELLS[1:5]:  # the 7 could be any of these without the convention
        _, src = sources[cell]
        assert src.status == "ambiguous" or src.basis == "convention", (cell, src)
        if src.status != "ambiguous":
            assert src.candidates and any(c.value == 7 for c in src.candidates)
    # 其他 is 0 or blank in every reading (the 0 always follows the 7): the arithmetic's
    assert sources[CELLS[5]][1].basis == "arithmetic"


def test_the_numbering_of_a_repeated_label_is_no_unplaced_number() -> None:
    """A row the page prints twice, label and all (`2.其他法律行政法规禁止公开 | …` again): the
    second label's numbering `2` was reported as an unplaced value (V-UNPLACED)."""
    report = _report(1, "2021")
    text = render(report, "pipe").decode()
    at = text.index("2.其他法律行政法规禁止公开")
    a, b = text.rfind("\n", 0, at) + 1, text.index("\n", at) + 1
    doubled = text[:b] + text[a:b] + text[b:]
    doc = read_document(doubled.encode(), "r.txt")
    got, _ = read_with_ledger(doc)
    second = b + 0  # where the second printing's label starts
    assert [u for u in got.unplaced if u.offset == second] == []


def test_the_next_rows_opening_pipe_is_no_blank_cell() -> None:
    """Markdown rows open with a pipe: in `| 规章 | 2 | 5 |` then `| 规范性文件 | …` (the row's
    empty first cell vanished), the space after the next row's opening pipe was read as the
    row's third cell, blank — the 5 of 对外公开总数 read as 本年新公开 (bulk seed 10000203,
    pdf-markdown with short-value-row)."""
    report = _report(3, "2021")
    text = render(report, "pdf-markdown").decode()
    row = next(line for line in text.splitlines() if line.startswith("| 规章 |"))
    got = extract_bytes(text.replace(row, "| 规章 | 2 | 5  |").encode(), "r.md")
    for col in ("made", "repealed", "in_force", "new_made", "new_published", "total_published"):
        key = f"table2.regulations.{col}"
        if key in got.cells:
            assert got.status(key) == "ambiguous", key


def test_a_cut_page_of_the_traditional_family_is_cut_inside_tables_3_and_4() -> None:
    """damage.cut-page looked for table 3's heading in simplified characters only: on the
    traditional family it cut anywhere, before table 2 too (bulk seed 12000202)."""
    for seed in range(12):
        rng = random.Random(seed)
        report = random_report(rng, "2021")
        text = damaged(report, "traditional", rng, "cut-page").decode()
        assert "收到和處理政府信息公開申請情況" in text, seed


def test_table4_printed_twice_short_reads_true_or_ambiguous() -> None:
    """bench_ambiguous's colspan-blanks document 8 with a repeated value row: table 4's value
    line printed twice, its merged blank cells' padding after each (11 cells a printing, 15
    columns). Its blanks were dropped until 22 cells fitted 15: four silent wrong cells."""
    rng = random.Random(8 * 7919 + 2)
    report = random_report(rng, "2019")
    got = extract_bytes(damaged(report, "colspan-blanks", rng, "repeat-value-row"), "d.txt")
    assert _silent(report, got) == []


@pytest.mark.parametrize(
    "copy",
    ["|8| |1| |9|||||", "一、本年新收政府信息公开申请数量 |8| |1| |9|||||", "| 8 | | 1 | | 9 |"],
)
def test_a_short_row_printed_twice_spaced_otherwise_is_no_row_of_its_own(copy: str) -> None:
    """The second printing re-spaced (typed again, pasted from another copy): before, only a copy
    spaced alike was told; this one's blanks were dropped to fit it and 8, 1, 9, 8, 1, 9 came
    back `read` across the row (silent wrong)."""
    report = _report(555, "2019")
    text = render(report, "pipe").decode()
    row = next(line for line in text.splitlines() if line.startswith("一、本年新收"))
    doubled = "一、本年新收政府信息公开申请数量 | 8 |  | 1 |  | 9 |||||\n" + copy
    got = extract_bytes(text.replace(row, doubled).encode(), "r.txt")
    truth = {"natural_person": 8, "commercial": None, "research": 1, "social": None, "legal": 9}
    for col, value in truth.items():
        cell = f"table3.new.{col}"
        assert got.status(cell) == "ambiguous" or got.value(cell) == value, (cell, got.cells[cell])
