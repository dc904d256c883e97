"""The audit keeps OCR and LibreOffice documents from starving the others: they come last, one
per task, after the fast documents' batches (audit/pipeline.py _batches)."""

from __future__ import annotations

from tests.ocr.helpers import PDF_DIR

from xxgk.audit.pipeline import _batches
from xxgk.render.scan import image_pdf, scan_pages


def test_scans_and_legacy_files_queue_behind_the_fast_batches(tmp_path):
    text_pdf = str(PDF_DIR / "002_594938079f36f576.pdf")
    scanned = tmp_path / "scan.pdf"
    [page, *_] = scan_pages((PDF_DIR / "002_594938079f36f576.pdf").read_bytes(), 50, seed=1)
    scanned.write_bytes(image_pdf([page], 50))
    items = ["a.png", "b.txt", str(scanned), "c.html", "d.doc", text_pdf, "e.txt"]
    batches = list(_batches(items, 2))
    assert batches == [["b.txt", "c.html"], [text_pdf, "e.txt"], ["a.png"], [str(scanned)], ["d.doc"]]
