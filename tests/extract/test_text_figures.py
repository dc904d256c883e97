"""The report's own text decides what its table cannot (issue 10 item 3)."""

from __future__ import annotations

import random

from xxgk.extract import extract_text
from xxgk.render import render
from xxgk.samples import random_report

CELL = "table2.normative_documents.in_force"


def _glued(sentence: str) -> tuple[str, int]:
    """A crawler's glued page (in_force's digits run into the next cells: ambiguous), with a
    sentence of the overview stating a figure."""
    report = random_report(random.Random(1), "2021")
    text = render(report, "glued").decode()
    text = text.replace("编制本报告。", "编制本报告。" + sentence, 1)
    return text, int(report.value(CELL) or 0)


def test_a_stated_figure_decides_an_ambiguous_cell() -> None:
    text, truth = _glued("")
    assert extract_text(text).cells[CELL].status == "ambiguous"
    text, truth = _glued(f"截至年底，本机关现行有效规范性文件{truth}件。")
    got = extract_text(text)
    source = got.cells[CELL]
    assert got.value(CELL) == truth
    assert (source.status, source.basis) == ("inferred", "text")
    assert isinstance(source.offset, int) and text[source.offset :].startswith(f"现行有效规范性文件{truth}件")


def test_a_figure_no_candidate_agrees_with_decides_nothing() -> None:
    text, truth = _glued("")
    text, _ = _glued(f"本机关现行有效规范性文件{truth + 1000001}件。")
    got = extract_text(text)
    assert got.cells[CELL].status == "ambiguous" and got.value(CELL) is None


def test_a_figure_never_overrides_a_read_cell() -> None:
    report = random_report(random.Random(1), "2021")
    text = (
        render(report, "pipe")
        .decode()
        .replace("编制本报告。", "编制本报告。共收到政府信息公开申请99999件。", 1)
    )
    got = extract_text(text)
    assert got.value("table3.new.total") == report.value("table3.new.total")
    assert got.cells["table3.new.total"].basis is None
