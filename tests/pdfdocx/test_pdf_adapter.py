"""The PDF adapter on the committed fixtures: grids equal to the labels, page breaks, borderless
tables, provenance, and the documented refusals (scanned, encrypted, damaged)."""

from __future__ import annotations

import re
import sys

import pytest
from tests.paths import DEV_TRUTH, dev_labels
from tests.pdfdocx.helpers import BAD, PDF_DIR, VARIANTS, expected_cells, grid_cells, variants

from xxgk.adapters import AdapterError, read_document
from xxgk.adapters.base import Grid, GridCell, Position
from xxgk.adapters.pdf import MSG_ENCRYPTED, chars_to_text, merge_grids, read_pdf
from xxgk.model import load_report
from xxgk.templates import get_template

LABELS = dev_labels()
# Borderless and blank: table 3's second page and table 4 hold no number at all, so no column
# can be found there (docs/pdfdocx.md, "Limits"); the reader falls back to the text for them.
PARTIAL_GRIDS = {"borderless_blanks_001"}


def _check_against_label(pdf_path, label_stem):
    report = load_report(DEV_TRUTH / f"{label_stem}.json")
    doc = read_pdf(pdf_path.read_bytes(), str(pdf_path))
    template = get_template(report.template)
    assert grid_cells(doc, template) == expected_cells(report, template)
    return doc


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_every_cell_of_every_dev_report_is_in_the_pdf_grids(label):
    doc = _check_against_label(PDF_DIR / f"{label.stem}.pdf", label.stem)
    assert doc.kind == "pdf" and int(doc.meta["pages"]) >= 1
    assert len(doc.grids) == 3  # tables 2, 3, 4 — table 3 is one grid even across a page break


@pytest.mark.parametrize("stem", sorted(set(variants()) - PARTIAL_GRIDS))
def test_variants_page_breaks_borderless_other_fonts_and_pages(stem):
    _check_against_label(VARIANTS / f"{stem}.pdf", str(variants()[stem]["label"]))


def test_table3_across_pages_is_one_grid_with_the_repeated_header_dropped():
    doc = read_pdf((VARIANTS / "break_repeat_002.pdf").read_bytes(), "x.pdf")
    t3 = doc.grids[1]
    assert len(t3.rows) == 3 + len(get_template("2021").table3.rows)  # header rows once
    pages = {c.position.page for row in t3.rows for c in row if c is not None}
    assert pages == {1, 2}
    outcome = next(c for row in t3.rows for c in row if c is not None and c.text == "三、本年度办理结果")
    assert outcome.rowspan == 22  # the spanned label split by the page break is one cell again
    natural = {id(c) for row in t3.rows for c in row if c is not None and c.text == "自然人"}
    assert len(natural) == 1


def test_cells_carry_page_and_bbox():
    doc = read_pdf((PDF_DIR / "002_594938079f36f576.pdf").read_bytes(), "x.pdf")
    cell = next(c for row in doc.grids[1].rows for c in row if c is not None and c.text == "1548")
    assert cell.position.page == 1
    x0, top, x1, bottom = cell.position.bbox  # type: ignore[misc]
    assert 0 <= x0 < x1 <= 600 and 0 <= top < bottom <= 850


def test_text_layer_keeps_title_and_sections_for_the_reader():
    doc = read_document((PDF_DIR / "003_333e33f0e39a8a89.pdf").read_bytes(), "r.pdf")
    assert "2022年政府信息公开工作年度报告" in doc.text.replace("\n", "").replace(" ", "")
    assert "六、其他需要报告的事项" in doc.text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("encrypted.pdf", MSG_ENCRYPTED),
        ("corrupt.pdf", "damaged or not a PDF file"),
    ],
)
def test_bad_pdfs_give_the_documented_message(name, message):
    with pytest.raises(AdapterError, match=re.escape(message)):
        read_document((BAD / name).read_bytes(), name)


def test_not_a_pdf_and_empty_input():
    with pytest.raises(AdapterError, match="damaged or not a PDF file"):
        read_pdf(b"%PDF-1.7\nnot really", "x.pdf")
    with pytest.raises(AdapterError, match="damaged or not a PDF file"):
        read_pdf(b"", "empty.pdf")


def test_numbers_wrapped_inside_a_cell_are_joined():
    def ch(text, x0, top):
        return {"text": text, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + 9, "size": 9}

    # "1548" printed as "15" over "48" in a narrow column; CJK label over two lines.
    assert chars_to_text([ch("1", 0, 0), ch("5", 5, 0), ch("4", 0, 10), ch("8", 5, 10)]) == "1548"
    assert chars_to_text([ch("本", 0, 0), ch("年", 5, 0), ch("度", 0, 10)]) == "本年度"


def _row(texts, r, page=1):
    return [GridCell(t, Position(page=page), r, c) for c, t in enumerate(texts)]


def test_merge_grids_drops_only_a_repeated_header():
    header = ["", "自然人", "总计"]
    first = Grid([_row(header, 0), _row(["一、本年新收", "1", "1"], 1)])
    repeated = Grid([_row(header, 0, 2), _row(["四、结转", "0", "0"], 1, 2)])
    merged = merge_grids(first, repeated)
    assert [[c.text for c in row if c] for row in merged.rows] == [
        header,
        ["一、本年新收", "1", "1"],
        ["四、结转", "0", "0"],
    ]
    assert [row[0].row for row in merged.rows if row[0]] == [0, 1, 2]
    plain = Grid([_row(["四、结转", "0", "0"], 0, 2)])
    assert len(merge_grids(Grid([_row(header, 0), _row(["一", "1", "1"], 1)]), plain).rows) == 3


def _save(pdf) -> bytes:
    import io

    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_too_many_pages_is_refused_before_reading():
    import pypdfium2 as pdfium

    from xxgk.adapters.pdf import MAX_PAGES

    pdf = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        pdf.new_page(100, 100)
    with pytest.raises(AdapterError, match=rf"refused: PDF has {MAX_PAGES + 1} pages"):
        read_pdf(_save(pdf), "many.pdf")


def test_a_scanned_page_inside_a_text_pdf_is_a_warning_not_a_failure(monkeypatch):
    """Without the [ocr] extra (tests/ocr reads such pages with it)."""
    import pypdfium2 as pdfium

    monkeypatch.setitem(sys.modules, "xxgk.adapters.scan", None)

    pdf = pdfium.PdfDocument((PDF_DIR / "000_a362a86d6de7df23.pdf").read_bytes())
    pdf.import_pages(pdfium.PdfDocument((BAD / "scanned.pdf").read_bytes()))
    doc = read_pdf(_save(pdf), "mixed.pdf")
    assert doc.warnings == ["scanned pages without a text layer were not read (need OCR): 3"]
    assert len(doc.grids) == 3


def test_the_report_says_which_pages_were_not_read(monkeypatch) -> None:
    import pypdfium2 as pdfium

    monkeypatch.setitem(sys.modules, "xxgk.adapters.scan", None)  # without the [ocr] extra

    from xxgk.extract import extract_bytes

    pdf = pdfium.PdfDocument((PDF_DIR / "000_a362a86d6de7df23.pdf").read_bytes())
    pdf.import_pages(pdfium.PdfDocument((BAD / "scanned.pdf").read_bytes()))
    report = extract_bytes(_save(pdf), "mixed.pdf")
    assert report.notes is not None
    assert "scanned pages without a text layer were not read (need OCR): 3" in report.notes
    assert "scanned pages" in report.to_json()
