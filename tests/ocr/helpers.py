"""Shared by the OCR tests: the scanned test set made from the committed dev-corpus PDFs."""

from __future__ import annotations

from tests.paths import DEV_TRUTH, REPO

from xxgk.model import Report, load_report
from xxgk.scoring import score

__all__ = ["DOCX_DIR", "PDF_DIR", "score", "truth"]

PDF_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf"
DOCX_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "docx"


def truth(stem: str) -> Report:
    return load_report(DEV_TRUTH / f"{stem}.json")
