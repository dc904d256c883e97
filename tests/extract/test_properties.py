"""Random valid reports (tests/foundation/strategies.py, written from the spec) in every layout.

Property: the reader never returns a wrong number. Layouts that keep cell boundaries read back
exactly; lossy layouts (blank cells dropped, cells glued) may leave cells ambiguous, with a reason.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.extract.layouts import LAYOUTS
from tests.extract.official_html import official_html
from tests.foundation.strategies import valid_reports

from xxgk.extract import extract_bytes, extract_text
from xxgk.model import Report

EXACT = {"pipe_rows", "tab_rows", "space_rows", "dash_blanks", "wrapped_labels"}


def _wrong(truth: Report, got: Report) -> list[str]:
    return [
        cell
        for cell, want in truth.iter_cells()
        if got.status(cell) != "ambiguous" and float(want or 0) != float(got.value(cell) or 0)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=valid_reports(), layout=st.sampled_from(sorted(LAYOUTS)))
def test_text_layouts_never_give_a_wrong_number(report: Report, layout: str) -> None:
    text = LAYOUTS[layout](report)
    got = extract_text(text, f"{layout}.txt")
    assert got.template == report.template
    assert _wrong(report, got) == []
    ambiguous = [c for c, s in got.cells.items() if s.status == "ambiguous"]
    if layout in EXACT:
        assert ambiguous == []
    assert all(got.cells[c].note for c in ambiguous)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=valid_reports(), charset=st.sampled_from(["utf-8", "gbk", "gb18030"]))
def test_official_html_reads_back_exactly(report: Report, charset: str) -> None:
    page = official_html(report, charset, title=f"{report.agency}{report.year}年政府信息公开工作年度报告")
    got = extract_bytes(page.encode(charset), "r.html")
    assert _wrong(report, got) == []
    assert all(s.status in ("read", "blank") for s in got.cells.values())
