"""Narrow label columns (issue 10, "PDF with a narrow label column"): table 3 drawn with label
columns so narrow that （五）/（六）'s sub-row labels wrap over three to nine lines, as Word and
as the PDF LibreOffice makes of it, with and without rules. Every table 3 cell is the printed
number or ambiguous; before the fix a borderless PDF read 5.要求行政机关确认或重新出具已获取信息
(2019) and 2.申请人逾期未按收费通知要求缴纳费用… (2021) as rows of blanks.

The borderless A5 case also held a sparse 上年结转 row (科研机构 and 总计 only) that started a loose
table too small to keep, read one column off; tests/pdfdocx/test_borderless_a5.py tells the fix.
"""

from __future__ import annotations

import random

import pytest
from scripts.make_fixtures import soffice_to_pdf

from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.samples import random_report
from xxgk.templates import get_template

pytestmark = pytest.mark.office

# (seed, template, borders, page): the first two are the reports whose rows read as blanks
CASES = [
    (1, "2019", False, "A4"),
    (3, "2021", False, "A5"),
    (1, "2021", False, "A4"),
    (2, "2021", True, "A4"),
]


def _silently_wrong(report: Report, got: Report, table: str) -> list[str]:
    return [
        f"{c.key}: printed {report.value(c.key)}, read {got.value(c.key)} ({got.status(c.key)})"
        for c in get_template(report.template or "2021").cells()
        if c.table == table
        and got.status(c.key) != "ambiguous"
        and (got.value(c.key) or 0) != (report.value(c.key) or 0)
    ]


def test_narrow_label_columns_read_right_or_ambiguous(soffice, tmp_path):
    reports = {}
    for seed, template_id, borders, page in CASES:
        report = random_report(random.Random(seed), template_id)
        path = tmp_path / f"narrow_{seed}_{template_id}_{page}_{borders}.docx"
        path.write_bytes(
            render_docx(report, font="Noto Serif CJK SC", page=page, borders=borders, narrow_labels=True)
        )
        reports[path] = report
    soffice_to_pdf(list(reports), tmp_path)
    wrong = {}
    for path, report in reports.items():
        for doc in (path, path.with_suffix(".pdf")):
            got = extract_bytes(doc.read_bytes(), doc.name)
            wrong[doc.name] = _silently_wrong(report, got, "table3")
    assert wrong == {name: [] for name in wrong}
    # the rows that were lost are read, not merely made ambiguous
    got = extract_bytes((tmp_path / "narrow_1_2019_A4_False.pdf").read_bytes(), "n.pdf")
    assert got.status("table3.not_processed_confirm.total") == "read"
    assert got.value("table3.not_processed_confirm.total") == reports[next(iter(reports))].value(
        "table3.not_processed_confirm.total"
    )
