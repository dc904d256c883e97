"""The DOCX adapter: body order, merged cells, offsets, registry, and refusing bad archives."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document as new_document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from tests.pdfdocx.helpers import BAD, DOCX_DIR

from xxgk.adapters import AdapterError, read_document
from xxgk.adapters.cells import join_lines
from xxgk.adapters.docx import MAX_TOTAL_BYTES, read_docx


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_paragraphs_and_tables_come_in_body_order_with_offsets_into_the_text():
    doc = new_document()
    doc.add_paragraph("一、總體情況")  # traditional: the adapter simplifies
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "行政許可", "１２"  # full-width digits fold
    table.cell(1, 0).text = "行政处罚"
    doc.add_paragraph("二、结尾")
    result = read_docx(_save(doc), "t.docx")
    assert result.kind == "docx"
    assert result.text.index("一、总体情况") < result.text.index("行政许可") < result.text.index("二、结尾")
    [grid] = result.grids
    for row in grid.rows:
        for cell in row:
            assert cell is not None
            assert result.text[cell.position.offset : cell.position.offset + len(cell.text)] == cell.text
    assert [c.text for c in grid.rows[0]] == ["行政许可", "12"]
    assert grid.rows[1][1] is not None and grid.rows[1][1].text == ""  # a real, empty cell


def test_vertical_and_horizontal_merges_and_grid_before():
    doc = new_document()
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "三、本年度办理结果"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "(一)予以公开"
    table.cell(1, 1).text, table.cell(1, 2).text = "a", "b"
    # Row 3 starts one grid column late (w:gridBefore), as Word writes ragged rows.
    tr = table.rows[2]._tr
    trpr = tr.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    trpr.append(before)
    tr.remove(tr.tc_lst[0])
    [grid] = read_docx(_save(doc), "m.docx").grids
    outcome = grid.rows[0][0]
    assert outcome is not None and (outcome.rowspan, outcome.colspan) == (2, 1)
    assert grid.rows[1][0] is outcome and grid.rows[2][0] is None
    granted = grid.rows[0][1]
    assert granted is not None and granted.colspan == 2 and grid.rows[0][2] is granted
    assert [c.text for c in grid.rows[2][1:] if c] == ["", ""]


def test_registered_for_docx_suffix_and_sniffed_from_zip_magic():
    data = (DOCX_DIR / "000_a362a86d6de7df23.docx").read_bytes()
    assert read_document(data, "report.docx").kind == "docx"
    assert read_document(data, "-").kind == "docx"  # stdin: no suffix, PK magic


def test_join_lines_glues_cjk_and_wrapped_numbers():
    assert join_lines(["15", "48"]) == "1548"
    assert join_lines(["三、", "本年度办", "理结果"]) == "三、本年度办理结果"
    assert join_lines(["Open", "data"]) == "Open data"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bomb.docx", "looks like a zip bomb"),
        ("not_a_zip.docx", "not a DOCX file (not a zip archive)"),
    ],
)
def test_bad_docx_fixtures_give_the_documented_message(name, message):
    with pytest.raises(AdapterError, match=re.escape(message)):
        read_docx((BAD / name).read_bytes(), name)


def test_a_huge_but_honest_archive_is_refused_by_declared_size():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
    data = bytearray(buf.getvalue())
    # Forge the central directory's uncompressed size: the check must not trust the data to be small.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (MAX_TOTAL_BYTES + 1).to_bytes(4, "little")
    with pytest.raises(AdapterError, match="refused"):
        read_docx(bytes(data), "big.docx")


def test_legacy_doc_and_archives_without_a_document_are_explained():
    with pytest.raises(AdapterError, match=r"legacy Word \.doc"):
        read_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old.doc")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(AdapterError, match="not a Word document"):
        read_docx(buf.getvalue(), "x.docx")
    with pytest.raises(AdapterError, match="not a DOCX file"):
        read_docx(b"", "empty.docx")
