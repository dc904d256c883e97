"""Shared by the OCR tests: the scanned test set made from the committed dev-corpus PDFs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from tests.paths import DEV_TRUTH, REPO

from xxgk.model import Report, load_report
from xxgk.scoring import score

__all__ = ["DOCX_DIR", "PDF_DIR", "ScannedLines", "scanned_table_lines", "score", "truth"]

PDF_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf"
DOCX_DIR = REPO / "tests" / "fixtures" / "pdfdocx" / "docx"


def truth(stem: str) -> Report:
    return load_report(DEV_TRUTH / f"{stem}.json")


@dataclass(frozen=True)
class ScannedLines:
    """The text lines of a scanned page's ruled report tables, as the scan adapter finds them."""

    crops: list[np.ndarray]  # each line's grayscale crop
    boxes: list[tuple[int, int, int, int]]  # each line's box on the page
    cells: list[tuple[int, ...]]  # the tables' cells
    line: float  # the page's text-line height


@cache
def scanned_table_lines() -> ScannedLines:
    """Dev report 002's table page scanned at 200 dpi (seed 2), cut into its cells' lines: made
    once for the OCR tests that read it (test_strips, test_labels)."""
    from xxgk.adapters import scan
    from xxgk.adapters.cell_ink import cell_lines, ink_mask, join_across_rules, line_crop, line_height
    from xxgk.adapters.pdfpage import find_ruled_tables
    from xxgk.adapters.raster import prepare, rule_masks, ruling_edges
    from xxgk.render.scan import scan_pages

    rgb = scan_pages((PDF_DIR / "002_594938079f36f576.pdf").read_bytes(), 200, seed=2)[0]
    image = prepare(rgb, 200)
    horizontal, vertical = rule_masks(image.gray)
    ink = ink_mask(image.gray)
    tables = [
        t
        for t in find_ruled_tables(ruling_edges(image, (horizontal, vertical)))
        if scan.report_table(t, image)
    ]
    px = [[tuple(round(v / image.scale) for v in cell) for cell in table] for table in tables]
    cells = [c for t in px for c in t]
    ruled = horizontal | vertical
    line = line_height(ink, ruled, cells)
    boxes = [
        b
        for t in px
        for b in join_across_rules([b for c in t for b in cell_lines(ink, ruled, c, line)], line, vertical)
    ]
    return ScannedLines([line_crop(image.gray, b) for b in boxes], boxes, cells, line)
