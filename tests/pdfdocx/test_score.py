"""Acceptance (issue 4): score.py gives 100.00 % on the DOCX and PDF versions of every dev report,
through the real `xxgk extract` command; the layout variants read exactly too."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.paths import DEV_TRUTH, SHARED, XXGK_SCRIPT
from tests.pdfdocx.helpers import DOCX_DIR, PDF_DIR, VARIANTS, variants

from xxgk.extract import extract_file
from xxgk.model import load_report

SCORE = SHARED / "tools" / "score.py"
XXGK = XXGK_SCRIPT


@pytest.mark.slow
@pytest.mark.parametrize("docs", [DOCX_DIR, PDF_DIR], ids=["docx", "pdf"])
def test_score_is_100_percent(docs):
    if not XXGK.exists():
        pytest.skip(f"{XXGK} not installed (make venv)")
    run = subprocess.run(
        [
            sys.executable,
            str(SCORE),
            "--docs",
            str(docs),
            "--truth",
            str(DEV_TRUTH),
            "--cmd",
            f"{XXGK} extract {{path}} --format json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("cell accuracy: 100.00%"), run.stdout


def _cells(report):
    for table in ("table2", "table3", "table4"):
        for row, cols in getattr(report, table).items():
            for col, value in cols.items():
                yield f"{table}.{row}.{col}", value


CASES = [
    pytest.param(stem, kind, id=f"{kind}-{stem}") for stem in sorted(variants()) for kind in ("pdf", "docx")
]


@pytest.mark.parametrize(("stem", "kind"), CASES)
def test_variants_extract_exactly(stem, kind):
    label = load_report(DEV_TRUTH / f"{variants()[stem]['label']}.json")
    got = dict(_cells(extract_file(VARIANTS / f"{stem}.{kind}")))
    wrong = {
        key: (want, got.get(key))
        for key, want in _cells(label)
        if label.cells.get(key) is None and (want or 0) != (got.get(key) or 0)
    }
    assert not wrong
