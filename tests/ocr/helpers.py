"""Shared by the OCR tests: the scanned test set made from the committed dev-corpus PDFs."""

from __future__ import annotations

from tests.paths import DEV_TRUTH, REPO

from xxgk.model import Report, load_report

PDF_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf"
DOCX_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "docx"


def truth(stem: str) -> Report:
    return load_report(DEV_TRUTH / f"{stem}.json")


def score(got: Report, want: Report) -> tuple[int, int, list[str], list[str]]:
    """(cells scored, right, wrong cells, silent wrong cells) as shared/tools/score.py counts them:
    a "?" label is not scored, blank equals 0, a wrong cell is silent unless marked ambiguous."""
    total = right = 0
    wrong: list[str] = []
    silent: list[str] = []
    for cell, value in want.iter_cells():
        if want.status(cell) == "ambiguous":
            continue
        total += 1
        if (got.value(cell) or 0) == (value or 0):
            right += 1
            continue
        wrong.append(cell)
        if got.status(cell) != "ambiguous":
            silent.append(cell)
    return total, right, wrong, silent
