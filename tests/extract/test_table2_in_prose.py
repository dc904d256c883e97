"""Table 2 not printed, its labels named in section 二's prose: a figure of the prose is never
read as a table 2 cell (readers/unheaded.py; issue 10, found by task 10s's cut-page damage).

Before the fix, "本年度主动公开行政许可信息120条" read table2.licensing.decisions = 120 as `read`
when the page printed no table 2 (cut off, a picture): a silent wrong number whenever the prose's
figure is not the table's.
"""

from __future__ import annotations

import random

import pytest

from xxgk.extract import extract_bytes
from xxgk.render import render
from xxgk.samples import random_report

PROSE = "本年度主动公开行政许可信息{a}条，行政处罚信息{b}条，行政规范性文件{c}件。"


def _without_table2(text: str, prose: str) -> str:
    """The pipe rendering with table 2 (captions, headers, rows) replaced by one line of prose."""
    start = text.index("二、主动公开政府信息情况")
    start = text.index("\n", start) + 1
    end = text.index("三、收到和处理政府信息公开申请情况")
    return text[:start] + prose + "\n" + text[end:]


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_figures_of_prose_are_candidates_not_cells(seed: int) -> None:
    template = "2021" if seed % 2 else "2019"
    report = random_report(random.Random(seed), template)
    rendered = render(report, "pipe")
    text = rendered.decode() if isinstance(rendered, bytes) else rendered
    figures = {"a": 120 + seed, "b": 45 + seed, "c": 3}
    got = extract_bytes(_without_table2(text, PROSE.format(**figures)).encode(), "r.txt")
    for cell in ("table2.licensing.decisions", "table2.penalty.decisions"):
        src = got.cells[cell]
        assert src.status == "ambiguous", (cell, src)
        assert got.value(cell) is None
        assert src.note and "prose" in src.note
    if template == "2021":  # one column: the prose's figure is that cell's candidate
        values = {c.value for c in got.cells["table2.licensing.decisions"].candidates or []}
        assert figures["a"] in values
    assert "found only in prose" in (got.notes or "")


@pytest.mark.parametrize("seed", [11, 12])
def test_a_printed_table2_is_still_read_after_prose_naming_its_rows(seed: int) -> None:
    """The same prose before a printed table 2: its rows are the table's, read as printed."""
    template = "2021" if seed % 2 else "2019"
    report = random_report(random.Random(seed), template)
    rendered = render(report, "pipe")
    text = rendered.decode() if isinstance(rendered, bytes) else rendered
    at = text.index("\n", text.index("二、主动公开政府信息情况")) + 1
    text = text[:at] + PROSE.format(a=999, b=998, c=3) + "\n" + text[at:]
    got = extract_bytes(text.encode(), "r.txt")
    for cell in ("table2.licensing.decisions", "table2.penalty.decisions"):
        assert got.status(cell) in ("read", "blank"), (cell, got.cells[cell])
        assert got.value(cell) == report.value(cell)
