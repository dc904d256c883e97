"""The audit keeps OCR and LibreOffice documents from starving the others: they come last, one
per task, after the fast documents' batches (audit/pipeline.py _work_batches)."""

from __future__ import annotations

from tests.ocr.helpers import PDF_DIR

from xxgk.audit.pipeline import _work_batches
from xxgk.render.scan import image_pdf, scan_pages


def test_scans_and_legacy_files_queue_behind_the_fast_batches(tmp_path):
    text_pdf = str(PDF_DIR / "002_594938079f36f576.pdf")
    scanned = tmp_path / "scan.pdf"
    [page, *_] = scan_pages((PDF_DIR / "002_594938079f36f576.pdf").read_bytes(), 50, seed=1)
    scanned.write_bytes(image_pdf([page], 50))
    items = ["a.png", "b.txt", str(scanned), "c.html", "d.doc", text_pdf, "e.txt"]
    batches = list(_work_batches(items, 2))
    assert batches == [["b.txt", "c.html"], [text_pdf, "e.txt"], ["a.png"], [str(scanned)], ["d.doc"]]


def test_a_scanned_pdf_is_read_by_an_audit_under_the_default_limits(tmp_path):
    """Regression: the sandbox's default address-space cap (1 GB) made onnxruntime fail, so every
    scan in an audit came back "internal error: ONNXRuntimeError"."""
    from xxgk.audit.pipeline import audit
    from xxgk.storage.db import open_db

    pages = scan_pages((PDF_DIR / "002_594938079f36f576.pdf").read_bytes(), 200, seed=1)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "scan.pdf").write_bytes(image_pdf(pages, 200))
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    summary = audit([tmp_path / "docs"], db)
    assert summary.failures == []
    assert (summary.processed, summary.failed) == (1, 0)


def test_a_message_holding_a_traceback_is_told_by_its_last_line():
    from xxgk.audit.pipeline import _last_word

    embedded = RuntimeError("Traceback (most recent call last):\n  File 'x', line 1\nFail: bad page\n")
    assert _last_word(embedded) == "Fail: bad page"
    assert _last_word(ValueError("one\ntwo")) == "one"
