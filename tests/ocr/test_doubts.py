"""Doubtful OCR digits (readers/ocr_doubts.py) on a real labelled report, no OCR needed:
confidence goes into provenance; a doubtful cell the identities constrain is settled by the
arithmetic (inferred) or left ambiguous; a confident reading is never overridden."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st
from tests.ocr.helpers import truth

from xxgk.model import CellSource, PagePosition, Report
from xxgk.readers.ocr_doubts import confusable, settle_doubts

STEM = "002_594938079f36f576"  # adds up: every identity holds


def scanned(report: Report, cells: dict[str, float]) -> tuple[Report, dict]:
    """The report as an OCR'd document would give it: every value read, at a page position."""
    out = copy.deepcopy(report)
    readings = {}
    for n, (cell, _value) in enumerate(out.iter_cells()):
        bbox = (float(n), 10.0, float(n) + 5, 20.0)
        out.cells[cell] = CellSource(status="read", text=str(_value), offset=PagePosition(page=1, bbox=bbox))
        readings[(1, bbox)] = (str(_value), cells.get(cell, 0.99))
    return out, readings


def test_confusable_readings():
    assert confusable(17) == [77, 11]
    assert confusable(80) == [88]  # "00" is no number
    assert confusable(8) == [0]  # a single 0 is a number; "08" would not be
    assert confusable(234) == []


@given(st.integers(min_value=0, max_value=10**7))
def test_confusable_changes_one_digit_and_never_adds_a_leading_zero(value):
    for alt in confusable(value):
        a, b = str(value), str(alt)
        assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
        assert {a[i] + b[i] for i in range(len(a)) if a[i] != b[i]} <= {"17", "71", "08", "80", "56", "65"}


def test_confident_consistent_cells_stay_read_with_their_confidence():
    report, readings = scanned(truth(STEM), {})
    settle_doubts(report, readings)
    src = report.cells["table3.new.total"]
    assert src.status == "read" and src.confidence == 0.99  # type: ignore[attr-defined]
    assert report.value("table3.new.total") == truth(STEM).value("table3.new.total")


def test_low_confidence_misread_in_a_constrained_cell_is_settled_by_the_arithmetic():
    want = truth(STEM)
    assert want.value("table3.new.natural_person") == 1548
    report, readings = scanned(want, {"table3.new.natural_person": 0.6})
    report.set("table3.new.natural_person", 1648)  # OCR read 5 as 6, and was unsure
    settle_doubts(report, readings)
    src = report.cells["table3.new.natural_person"]
    assert src.status == "inferred" and src.basis == "arithmetic"
    assert report.value("table3.new.natural_person") == 1548
    assert {c.value for c in src.candidates or []} >= {1548, 1648}


def test_confident_misread_is_not_overridden_but_never_silent():
    report, readings = scanned(truth(STEM), {})
    report.set("table3.new.natural_person", 1648)  # a confident misread breaks the row and column sums
    settle_doubts(report, readings)
    src = report.cells["table3.new.natural_person"]
    assert src.status == "ambiguous" and report.value("table3.new.natural_person") is None
    assert [c.value for c in src.candidates or []] == [1648, 1548]


def test_low_confidence_cell_no_identity_covers_is_ambiguous():
    cell = "table2.licensing.decisions"  # one number, in no identity
    report, readings = scanned(truth(STEM), {cell: 0.5})
    settle_doubts(report, readings)
    assert report.cells[cell].status == "ambiguous"
    assert truth(STEM).value(cell) in {c.value for c in report.cells[cell].candidates or []}


def test_without_the_ocr_extra_a_scanned_pdf_says_what_to_install(monkeypatch):
    import sys

    import pytest
    from tests.paths import REPO

    import xxgk.adapters as adapters
    from xxgk.adapters import AdapterError, read_document

    adapters._reader(".pdf")  # registered before the registry is swapped for a copy
    monkeypatch.setitem(sys.modules, "xxgk.adapters.scan", None)  # as if the extra were absent
    monkeypatch.setattr(adapters, "_REGISTRY", {k: v for k, v in adapters._REGISTRY.items() if k != ".png"})
    monkeypatch.setattr(adapters, "_LAZY", {**adapters._LAZY, ".png": "xxgk.adapters.scan"})
    data = (REPO / "tests" / "fixtures" / "pdfdocx" / "bad" / "scanned.pdf").read_bytes()
    with pytest.raises(AdapterError, match=r"needs OCR, which is not installed: install the \[ocr\] extra"):
        read_document(data, "scan.pdf")
    with pytest.raises(AdapterError, match=r"install the \[ocr\] extra"):
        read_document(b"\x89PNG\r\n\x1a\n" + bytes(100), "scan.png")


def test_pages_with_a_large_picture_are_found_for_ocr():
    """A table pasted as a picture into a text page: the page is OCR'd when the text has no table."""
    import pypdfium2 as pdfium
    from tests.paths import REPO

    from xxgk.adapters.pdf import _picture_pages

    fixtures = REPO / "tests" / "fixtures" / "pdfdocx"
    pdf = pdfium.PdfDocument((fixtures / "pdf" / "000_a362a86d6de7df23.pdf").read_bytes())
    assert _picture_pages(pdf) == []
    pdf.import_pages(pdfium.PdfDocument((fixtures / "bad" / "scanned.pdf").read_bytes()))
    assert _picture_pages(pdf) == [len(pdf)]


def test_a_confidently_dropped_digit_that_breaks_the_sums_is_ambiguous():
    """Regression: a smudged 1548 came back as "148" at confidence 0.999 and stayed read."""
    report, readings = scanned(truth(STEM), {})
    report.set("table3.new.natural_person", 148)
    settle_doubts(report, readings)
    src = report.cells["table3.new.natural_person"]
    assert src.status == "ambiguous" and 1548 in {c.value for c in src.candidates or []}


def test_a_report_that_does_not_add_up_is_not_hidden_by_far_readings():
    """101's （七）总计 is 0 while its rows add up to 3: no look-alike of 0 gives 3, so it stays read."""
    stem = "101_pingtan-junshan-2022"
    report, readings = scanned(truth(stem), {})
    settle_doubts(report, readings)
    assert report.cells["table3.total.natural_person"].status == "read"


def test_too_many_scanned_pages_are_refused_before_any_ocr(monkeypatch):
    import pytest
    from tests.paths import REPO

    import xxgk.adapters.scan as scan
    from xxgk.adapters import AdapterError, read_document

    monkeypatch.setattr(scan, "MAX_OCR_PAGES", 0)
    data = (REPO / "tests" / "fixtures" / "pdfdocx" / "bad" / "scanned.pdf").read_bytes()
    with pytest.raises(AdapterError, match=r"^refused: 1 scanned pages to OCR \(limit 0\)$"):
        read_document(data, "scan.pdf")


def test_the_registry_still_reads_images_and_pdfs_after_the_tests_above():
    from xxgk.adapters import adapter_for

    assert adapter_for(b"II*\x00", "scan.tif")[1].__name__ == "read_image"
    assert adapter_for(b"\x89PNG\r\n\x1a\n", "scan.png")[1].__name__ == "read_image"
    assert adapter_for(b"%PDF-1.7", "r.pdf")[1].__name__ == "read_pdf"
