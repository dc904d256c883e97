"""The official-layout DOCX renderer: structure, spans, fonts, page sizes, blank cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as open_docx
from tests.paths import dev_labels
from tests.pdfdocx.helpers import DOCX_DIR, expected_cells, grid_cells

from xxgk.adapters.docx import read_docx
from xxgk.model import load_report
from xxgk.render.docx import RenderError, format_value, render_docx
from xxgk.templates import get_template

LABELS = dev_labels()


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_every_cell_round_trips_through_the_docx_grid(label):
    report = load_report(label)
    doc = read_docx(render_docx(report), f"{label.stem}.docx")
    template = get_template(report.template)
    assert grid_cells(doc, template) == expected_cells(report, template)


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_committed_fixture_matches_a_fresh_render(label):
    """tests/fixtures/pdfdocx/docx is what scripts/make_fixtures.py makes from the labels today."""
    fresh = read_docx(render_docx(load_report(label)), "fresh.docx")
    committed = read_docx((DOCX_DIR / f"{label.stem}.docx").read_bytes(), "committed.docx")
    as_text = [[[c.text if c else None for c in row] for row in g.rows] for g in fresh.grids]
    assert as_text == [[[c.text if c else None for c in row] for row in g.rows] for g in committed.grids]


def _table3(label_stem: str):
    report = load_report(next(p for p in LABELS if p.stem == label_stem))
    doc = read_docx(render_docx(report), "x.docx")
    return report, doc.grids[1]


def test_table3_header_and_row_spans_follow_the_template():
    """annual-report.md A.4: note cell 3×3, 申请人情况 over 7, 三 spanning 22 rows (2021)."""
    _, grid = _table3("000_a362a86d6de7df23")
    note = grid.rows[0][0]
    assert (
        note is not None
        and note.text.startswith("(本列数据的勾稽关系")
        and (note.rowspan, note.colspan) == (3, 3)
    )
    applicants = grid.rows[0][3]
    assert applicants is not None and applicants.text == "申请人情况" and applicants.colspan == 7
    natural, legal, total = grid.rows[1][3], grid.rows[1][4], grid.rows[1][9]
    assert natural is not None and (natural.text, natural.rowspan) == ("自然人", 2)
    assert legal is not None and (legal.text, legal.colspan) == ("法人或其他组织", 5)
    assert total is not None and (total.text, total.rowspan) == ("总计", 2)
    outcome = grid.rows[5][0]
    assert outcome is not None and outcome.text == "三、本年度办理结果" and outcome.rowspan == 22
    groups = {c.text: c.rowspan for row in grid.rows[3:] for c in row[1:2] if c is not None and c.rowspan > 1}
    assert groups == {"(三)不予公开": 8, "(四)无法提供": 3, "(五)不予处理": 5, "(六)其他处理": 3}


def test_2019_table3_has_one_other_row_and_a_20_row_outcome_block():
    _, grid = _table3("102_pingtan-guozi-2019")
    outcome = grid.rows[5][0]
    assert outcome is not None and outcome.rowspan == 20
    other = [row for row in grid.rows if row[1] is not None and row[1].text == "(六)其他处理"]
    assert len(other) == 1 and other[0][1].colspan == 2  # type: ignore[union-attr]


def test_table2_single_value_blocks_span_three_columns_and_table4_has_two_header_levels():
    report = load_report(LABELS[0])
    doc = read_docx(render_docx(report), "x.docx")
    t2, t4 = doc.grids[0], doc.grids[2]
    licensing = next(row for row in t2.rows if row[0] is not None and row[0].text == "行政许可")
    assert licensing[1] is licensing[2] is licensing[3] and licensing[1].colspan == 3  # type: ignore[union-attr]
    review, litigation = t4.rows[0][0], t4.rows[0][5]
    assert review is not None and (review.text, review.colspan) == ("行政复议", 5)
    assert litigation is not None and (litigation.text, litigation.colspan) == ("行政诉讼", 10)
    assert [c.text for c in t4.rows[1][5:15:5] if c] == ["未经复议直接起诉", "复议后起诉"]


def test_unknown_cells_are_rendered_blank_not_zero():
    """001's label has "?" in the legal-person columns: those cells must be empty in the document."""
    report = load_report(next(p for p in LABELS if p.stem.startswith("001")))
    doc = read_docx(render_docx(report), "x.docx")
    cells = grid_cells(doc, get_template("2019"))
    assert report.value("table3.new.commercial") is None
    assert cells["table3.new.commercial"] == ""
    assert cells["table3.new.natural_person"] == "9"


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(part).decode("utf-8")


def test_east_asian_font_is_set_on_rfonts():
    data = render_docx(load_report(LABELS[0]), font="仿宋_GB2312")
    styles = _xml(data, "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in styles
    assert 'w:ascii="Times New Roman"' in styles


@pytest.mark.parametrize(("page", "width_mm"), [("A4", 210), ("A5", 148), ("Letter", 215.9)])
def test_page_size(page, width_mm):
    section = open_docx(io.BytesIO(render_docx(load_report(LABELS[0]), page=page))).sections[0]
    assert abs(section.page_width.mm - width_mm) < 0.5


def test_borderless_tables_have_no_grid_style():
    report = load_report(LABELS[0])
    ruled = open_docx(io.BytesIO(render_docx(report)))
    bare = open_docx(io.BytesIO(render_docx(report, borders=False)))
    assert all(t.style.name == "Table Grid" for t in ruled.tables)
    assert all(t.style.name != "Table Grid" for t in bare.tables)


def test_unknown_page_size_is_a_clear_error():
    with pytest.raises(RenderError, match="unknown page size"):
        render_docx(load_report(LABELS[0]), page="B5")


def test_format_value_prints_decimals_plainly():
    from decimal import Decimal

    assert format_value(None) == ""
    assert format_value(0) == "0"
    assert format_value(Decimal("3027.6557")) == "3027.6557"
    assert format_value(Decimal("1E+1")) == "10"
    assert format_value(-5) == "-5"
