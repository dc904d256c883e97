"""Every dev label written in each scraped-text layout reads back; never a wrong number.

Layouts with cell boundaries (pipes, lines, spaces) must read back exactly. Layouts that lose
information (blank cells dropped, cells glued) may leave cells ambiguous but never wrong.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from tests.extract.layouts import LAYOUTS
from tests.paths import dev_labels

from xxgk.extract import extract_text
from xxgk.model import load_report

LOSSY = {"dropped_blanks", "glued"}
_S2T = opencc.OpenCC("s2t")


@pytest.mark.parametrize("traditional", [False, True], ids=["simplified", "traditional"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("label", dev_labels(), ids=lambda p: p.stem[:3])
def test_layout_reads_back(label: Path, layout: str, traditional: bool) -> None:
    truth = load_report(label)
    text = LAYOUTS[layout](truth)
    if traditional:
        text = _S2T.convert(text)
    got = extract_text(text, f"{label.stem}.txt")
    assert got.year == truth.year and got.template == truth.template
    wrong = [
        (cell, want, got.value(cell))
        for cell, want in truth.iter_cells()
        if truth.status(cell) != "ambiguous"
        and got.status(cell) != "ambiguous"
        and float(want or 0) != float(got.value(cell) or 0)
    ]
    assert wrong == []
    blank_in_label = any(v is None for _, v in truth.iter_cells())
    if layout not in LOSSY and not (blank_in_label and layout in ("cell_per_line", "cell_then_pipe")):
        assert [c for c, s in got.cells.items() if s.status == "ambiguous"] == []
    for src in got.cells.values():
        if src.status == "ambiguous":
            assert src.note  # says why


def test_cut_labels_and_missing_captions() -> None:
    truth = load_report(next(p for p in dev_labels() if p.stem.startswith("002_")))
    text = LAYOUTS["pipe_rows"](truth)
    text = text.replace("部分公开(区分处理的,只计这一情形,不计其他情形)", "部分公开")
    text = text.replace("第二十条第(一)项", "")  # no table 2 caption at all
    text = text.replace("本机关认真落实条例要求。", "本机关全年办理行政许可 120件,制定规章 3项。")
    got = extract_text(text, "cut.txt")
    assert got.value("table3.partial.natural_person") == 51
    assert got.value("table2.licensing.decisions") == 50154  # not the 120 of the narrative
    assert got.value("table2.regulations.made") == 0


def test_a_missing_table_is_reported_not_filled_with_blanks() -> None:
    from xxgk.check import check

    truth = load_report(next(p for p in dev_labels() if p.stem.startswith("002_")))
    text = LAYOUTS["pipe_rows"](truth)
    text = text[: text.index("四、政府信息公开行政复议")] + "五、存在的主要问题及改进情况\n无。"
    got = extract_text(text, "no-table4.txt")
    assert got.table4 == {} and got.notes and "table4" in got.notes
    assert got.cells["table4.review.total"].note == "row not found in the document"
    assert got.value("table3.new.total") == 1600
    missing = {c for f in check(got) if f.rule == "C-TEMPLATE-CELLS" for c in f.cells}
    assert "table4.review.total" in missing and not any(c.startswith("table3.") for c in missing)
