"""HTML: official layout with rowspan/colspan, chrome around it, GBK/GB18030/Big5 pages."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from tests.extract.official_html import official_html
from tests.paths import dev_labels

from xxgk.adapters import read_document
from xxgk.extract import ExtractError, extract_bytes, extract_text
from xxgk.model import load_report

_S2TW = opencc.OpenCC("s2tw")


@pytest.mark.parametrize("charset", ["utf-8", "gbk", "gb18030", "big5"])
@pytest.mark.parametrize("label", dev_labels(), ids=lambda p: p.stem[:3])
def test_official_html_reads_exactly(label: Path, charset: str) -> None:
    truth = load_report(label)
    page = official_html(truth, charset, title=f"{truth.agency}{truth.year}年政府信息公开工作年度报告")
    if charset == "big5":
        page = _S2TW.convert(page)
    data = page.encode(charset, errors="xmlcharrefreplace")
    got = extract_bytes(data, f"{label.stem}.html")
    assert got.template == truth.template and got.year == truth.year
    for cell, want in truth.iter_cells():
        if truth.status(cell) == "ambiguous":
            assert got.value(cell) is None and got.status(cell) == "blank"  # written as an empty cell
        else:
            assert float(want or 0) == float(got.value(cell) or 0), cell
            assert got.status(cell) in ("read", "blank"), cell
    assert str(got.published) == "2023-01-30"


def test_spans_are_expanded_and_offsets_point_at_cells() -> None:
    truth = load_report(next(p for p in dev_labels() if p.stem.startswith("002_")))
    doc = read_document(official_html(truth).encode("utf-8"), "x.html")
    assert doc.kind == "html" and len(doc.grids) == 3
    t3 = doc.grids[1]
    assert all(len(r) == 10 for r in t3.rows)  # 3 label columns + 7 values, every row
    note = t3.rows[0][0]
    assert note is not None and note.rowspan == 3 and note.colspan == 3
    assert t3.rows[2][2] is note  # the merged cell covers its whole block
    result = t3.rows[5][0]
    assert result is not None and result.text == "三、本年度办理结果"
    assert t3.rows[-2][0] is result  # rowspan down to （七）总计
    for row in t3.rows:
        for cell in row:
            if cell is not None and cell.text:
                off = cell.position.offset
                assert off is not None and doc.text[off : off + len(cell.text)] == cell.text
    assert "var x" not in doc.text  # scripts are not visible text


def test_blank_html_cells_are_blank_not_placed() -> None:
    truth = load_report(next(p for p in dev_labels() if p.stem.startswith("001_")))
    got = extract_bytes(official_html(truth).encode("utf-8"), "k.html")
    assert got.value("table3.new.natural_person") == 9 and got.status("table3.new.natural_person") == "read"
    assert got.status("table3.new.commercial") == "blank"
    assert all(s.status != "inferred" for s in got.cells.values())


def test_extract_text_accepts_html_strings_whatever_they_declare() -> None:
    truth = load_report(next(p for p in dev_labels() if p.stem.startswith("000_")))
    page = official_html(truth, "gbk")  # declares gbk, but it is already a str
    got = extract_text(page, "pasted.html")
    assert got.value("table3.new.total") == 2 and got.source == "pasted.html"


def test_malformed_and_hostile_html_gives_a_message_not_a_traceback() -> None:
    deep = "<div>" * 5000 + "一、总体情况" + "</div>" * 5000
    for page in ("<html><body><table><tr><td>1<td>2</table>", deep, "<html></html>", "<<<>>>"):
        with pytest.raises(ExtractError) as err:
            extract_bytes(page.encode(), "bad.html")
        assert str(err.value).startswith("bad.html: ")


def test_layout_table_around_the_report_is_walked_not_gridded() -> None:
    truth = load_report(next(p for p in dev_labels() if p.stem.startswith("002_")))
    body = official_html(truth).split("<body>", 1)[1].rsplit("</body>", 1)[0]
    page = f'<html><body><table width="100%"><tr><td>站点导航</td></tr><tr><td>{body}</td></tr></table></body></html>'
    got = extract_bytes(page.encode("utf-8"), "nested.html")
    assert [c for c, v in truth.iter_cells() if float(v or 0) != float(got.value(c) or 0)] == []
    assert all(s.status in ("read", "blank") for s in got.cells.values())
