"""The grid reader on the DOCX/PDF fixtures: page breaks, borderless tables, other page sizes.

Those files are rendered from the dev labels (tests/fixtures/pdfdocx/variants/variants.json says
which); the reader must give back every labelled number, with no ambiguity (blanks are explicit).
"""

from __future__ import annotations

import json

import pytest
from tests.paths import DEV_TRUTH, REPO

from xxgk.extract import extract_file
from xxgk.model import load_report

VARIANTS = REPO / "tests" / "fixtures" / "pdfdocx" / "variants"
_META = (
    json.loads((VARIANTS / "variants.json").read_text("utf-8"))
    if (VARIANTS / "variants.json").exists()
    else {}
)
CASES = [
    (name, ext) for name in sorted(_META) for ext in ("docx", "pdf") if (VARIANTS / f"{name}.{ext}").exists()
]


@pytest.mark.skipif(not CASES, reason="the rendered fixtures are not present")
@pytest.mark.parametrize(("name", "ext"), CASES, ids=[f"{n}.{e}" for n, e in CASES])
def test_variant_reads_back(name: str, ext: str) -> None:
    truth = load_report(DEV_TRUTH / f"{_META[name]['label']}.json")
    got = extract_file(VARIANTS / f"{name}.{ext}")
    wrong = [
        cell
        for cell, want in truth.iter_cells()
        if truth.status(cell) != "ambiguous" and float(want or 0) != float(got.value(cell) or 0)
    ]
    assert wrong == []
    assert [c for c, s in got.cells.items() if s.status == "ambiguous"] == []
