"""Shared helpers for the PDF/DOCX tests: fixture paths and an independent grid oracle.

The oracle reads template values straight off adapter grids with the simplest rule that works
on the official layout (a row's label is its rightmost text cell, the cells after it are the
values), so grid faithfulness is tested without depending on the product's reader.
"""

from __future__ import annotations

import json
import re

from tests.paths import REPO

from xxgk.adapters.base import Document, GridCell
from xxgk.model import Report
from xxgk.render.docx import format_value
from xxgk.templates import Template
from xxgk.text import label_key

FIXTURES = REPO / "tests" / "fixtures" / "pdfdocx"
DOCX_DIR = FIXTURES / "docx"
PDF_DIR = FIXTURES / "pdf"
VARIANTS = FIXTURES / "variants"
BAD = FIXTURES / "bad"
NUMBER = re.compile(r"^[+\-]?\d[\d,]*(\.\d+)?$")


def variants() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads((VARIANTS / "variants.json").read_text("utf-8"))
    return data


def _unique(row: list[GridCell | None]) -> list[GridCell]:
    out: list[GridCell] = []
    for cell in row:
        if cell is not None and all(cell is not seen for seen in out):
            out.append(cell)
    return out


def expected_cells(report: Report, template: Template) -> dict[str, str]:
    """Every template cell as the renderer prints it ("?" and null → empty)."""
    return {c.key: format_value(report.value(c.key)) for c in template.cells()}


def grid_cells(doc: Document, template: Template) -> dict[str, str]:
    """Template cells read off the grids: rows of tables 2 and 3 in template order, then table 4."""
    rows = [(t.key, r) for t in (template.table2, template.table3) for r in t.rows]
    flat = [(g, _unique(raw)) for g, grid in enumerate(doc.grids) for raw in grid.rows]
    out: dict[str, str] = {}
    pos = 0
    for table, row in rows:
        keys = [label_key(lab) for lab in row.labels]
        for i in range(pos, len(flat)):
            cells = flat[i][1]
            texts = [c for c in cells if c.text and not NUMBER.match(c.text)]
            if not texts:
                continue
            label = texts[-1]
            if not any(label_key(label.text).endswith(k) for k in keys):
                continue
            values = cells[cells.index(label) + 1 :]
            while len(values) > len(row.columns) and not values[0].text:  # borderless label columns
                values = values[1:]
            if len(values) > len(row.columns) == 1:  # borderless: one value under a 3-column header
                filled = [v for v in values if v.text]
                values = filled if len(filled) == 1 else values[:1]
            if len(values) != len(row.columns):
                continue
            for col, cell in zip(row.columns, values, strict=True):
                out[f"{table}.{row.key}.{col.key}"] = cell.text
            pos = i + 1
            break
    t4 = [c for c in template.cells() if c.table == "table4"]
    for _, cells in reversed(flat):
        if len(cells) >= len(t4) and all(not c.text or NUMBER.match(c.text) for c in cells[-len(t4) :]):
            for cell_def, cell in zip(t4, cells[-len(t4) :], strict=True):
                out[cell_def.key] = cell.text
            break
    return out
