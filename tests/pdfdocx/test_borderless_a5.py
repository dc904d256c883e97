"""Borderless A5 PDFs (issue 10): random reports rendered to DOCX without rules on A5 and
converted by LibreOffice. Before the fix they read cells wrong without marking them ambiguous:

- table 2's 规范性文件 / 其他对外管理服务事项 / 行政事业性收费 rows: on a narrow page the body
  paragraph above the table joined its header (same line spacing), its margin became a label
  sub-column, and a centred row label starting left of the others was glued to the paragraph,
  so the row read blank (adapters/pdfwords._is_prose);
- table 3's 四、结转下年度继续办理, printed on its own value line below （六）'s sub-rows, was taken
  for a centred group label and moved up, so the row read （七）总计's zeros as `read`
  (adapters/pdfwords._join_column).

- table 3's 二、上年结转 printing only two numbers, one in a column no line above used (科研机构),
  started a loose table too small to keep; the text reader then placed them by the 自然人
  convention, `inferred` one column off (seed 3, 2021: adapters/pdfwords._same_table), and once
  kept, the blank （一）予以公开 line below it was joined to it as a wrapped label
  (adapters/pdfwords.build_grid);
- table 2's blank 行政处罚 row printed empty: its label line joined the next row (行政强制 5), and
  行政处罚 read 5 as `read` (seed 11, 2021). Whether the line is a row of its own or the head of
  a wrapped label the words cannot tell; the cell holding two row labels makes both rows
  ambiguous, the number their candidate (readers/grid_tables._Rows.joined).
"""

from __future__ import annotations

import random

import pytest
from scripts.make_fixtures import soffice_to_pdf

from xxgk.extract import extract_bytes
from xxgk.render.docx import render_docx
from xxgk.samples import random_report
from xxgk.templates import get_template

pytestmark = pytest.mark.office

# seeds whose PDFs read table 2 / table 3 cells silently wrong before the fix
CASES = [(1, "2019"), (2, "2019"), (0, "2021"), (3, "2021")]


def test_borderless_a5_pdf_cells_right_or_ambiguous(soffice, tmp_path):
    reports = {}
    for seed, template_id in CASES:
        report = random_report(random.Random(seed), template_id)
        path = tmp_path / f"a5_{seed}_{template_id}.docx"
        path.write_bytes(render_docx(report, font="Noto Serif CJK SC", page="A5", borders=False))
        reports[(seed, template_id)] = (path, report)
    soffice_to_pdf([path for path, _ in reports.values()], tmp_path)
    wrong = {}
    for path, report in reports.values():
        pdf = path.with_suffix(".pdf")
        got = extract_bytes(pdf.read_bytes(), pdf.name)
        wrong[pdf.name] = [
            f"{c.key}: printed {report.value(c.key)}, read {got.value(c.key)} ({got.status(c.key)})"
            for c in get_template(report.template or "2021").cells()
            if got.status(c.key) != "ambiguous" and (got.value(c.key) or 0) != (report.value(c.key) or 0)
        ]
    assert wrong == {name: [] for name in wrong}
    # the lost rows are read, not merely made ambiguous
    path, report = reports[(1, "2019")]
    got = extract_bytes(path.with_suffix(".pdf").read_bytes(), "a.pdf")
    assert got.status("table2.normative_documents.new_published") == "read"
    assert got.value("table2.normative_documents.new_published") == report.value(
        "table2.normative_documents.new_published"
    )
    path, report = reports[(0, "2021")]
    got = extract_bytes(path.with_suffix(".pdf").read_bytes(), "b.pdf")
    assert got.value("table3.carried_forward.total") == report.value("table3.carried_forward.total")
    # the sparse 上年结转 row is read in its own columns, not placed by the convention
    path, report = reports[(3, "2021")]
    got = extract_bytes(path.with_suffix(".pdf").read_bytes(), "c.pdf")
    for key in ("table3.carried_over.research", "table3.carried_over.total", "table3.granted.research"):
        assert (got.value(key), got.status(key)) == (
            report.value(key),
            "read" if report.value(key) else "blank",
        )


def test_borderless_a5_empty_row_is_not_joined_to_the_next(soffice, tmp_path):
    """Where blanks print as empty cells, a value-less row line (行政处罚) was taken for a wrapped
    label and joined to the next row (行政强制 5), so 行政处罚 read 5 as `read`. Both rows are now
    ambiguous with 5 as their candidate: the words cannot tell whose the 5 is."""
    report = random_report(random.Random(11), "2021")
    path = tmp_path / "a5_11_2021.docx"
    path.write_bytes(render_docx(report, font="Noto Serif CJK SC", page="A5", borders=False))
    soffice_to_pdf([path], tmp_path)
    got = extract_bytes(path.with_suffix(".pdf").read_bytes(), "c.pdf")
    assert report.value("table2.penalty.decisions") is None
    printed = report.value("table2.coercion.decisions")
    for key in ("table2.penalty.decisions", "table2.coercion.decisions"):
        source = got.cells[key]
        assert source.status == "ambiguous"
        assert [c.value for c in source.candidates or []] == [printed]


# One document of each family the office sweep found on main (benchmarks/sweep_pdfdocx.py,
# issue 10 second pass): (seed, template, page, narrow labels), all without rules.
SWEEP_CASES = [
    (103, "2021", "A5", False),  # 4331 wrapped "433" / "1": read 433
    (108, "2019", "A5", False),  # 4622 wrapped round a label-only row line: read 2
    (131, "2019", "A4", False),  # a sentence citing figures above table 2 invented columns
    (122, "2021", "A4", True),  # 科研机构 over a column without numbers: table 3 one column off
    (107, "2021", "A4", True),  # a blank row's wrapped label took the numbers three rows down
    (130, "2019", "A4", True),  # 1.属于国家秘密 took （二）部分公开's numbers
    (115, "2019", "A5", True),  # one number line on table 3's page: 自然人 convention, inferred
    (121, "2019", "A5", False),  # （三）不予公开's fragments: rows one off
]


def test_sweep_families_read_right_or_ambiguous(soffice, tmp_path):
    reports = {}
    for seed, template_id, page, narrow in SWEEP_CASES:
        report = random_report(random.Random(seed), template_id)
        path = tmp_path / f"s{seed}_{template_id}_{page}_{'narrow' if narrow else 'wide'}.docx"
        data = render_docx(report, font="Noto Serif CJK SC", page=page, borders=False, narrow_labels=narrow)
        path.write_bytes(data)
        reports[path] = report
    soffice_to_pdf(list(reports), tmp_path)
    wrong = {}
    ambiguous = 0
    for path, report in reports.items():
        pdf = path.with_suffix(".pdf")
        got = extract_bytes(pdf.read_bytes(), pdf.name)
        cells = get_template(report.template or "2021").cells()
        ambiguous += sum(1 for c in cells if got.status(c.key) == "ambiguous")
        wrong[pdf.name] = [
            f"{c.key}: printed {report.value(c.key)}, read {got.value(c.key)} ({got.status(c.key)})"
            for c in cells
            if got.status(c.key) != "ambiguous" and (got.value(c.key) or 0) != (report.value(c.key) or 0)
        ]
    assert wrong == {name: [] for name in wrong}
    assert ambiguous < 0.05 * 199 * len(reports)  # read, not made ambiguous wholesale
