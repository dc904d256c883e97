"""Compile by construction (R.3/R.4): every compiled year passes `xxgk check` with no error, next
year's 上年结转 equals this year's 结转下年度 in every column, and the compiled DOCX read back by
`xxgk extract` gives exactly the compiled numbers (through LibreOffice to PDF as well)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tests.register.strategies import FIRST, LAST, registers

from xxgk.check import check, has_errors
from xxgk.extract import extract_bytes, extract_file
from xxgk.model import Report
from xxgk.register.cases import Application, Case, Register
from xxgk.register.compile import compile_year, render_docx, render_html
from xxgk.register.errors import RegisterError

TABLE2_2021 = {"regulations": {"made": 1, "repealed": 0, "in_force": 7}, "licensing": {"decisions": 1234}}


def _numbers(report: Report) -> dict[str, object]:
    return {
        cell: value
        for cell, value in report.iter_cells()
        if cell.startswith(("table3.", "table4.")) or cell == "table2.fees.amount_wan"
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(register=registers())
def test_every_compiled_year_checks_clean_and_carries_over(register: Register) -> None:
    previous = None
    for year in range(FIRST, LAST + 1):
        report = compile_year(register, year).report
        findings = check(report, previous)
        assert not has_errors(findings), [f.message for f in findings if f.severity == "error"]
        t3 = report.table3
        for col in t3["new"]:
            assert t3["new"][col] + t3["carried_over"][col] == t3["total"][col] + t3["carried_forward"][col]
            if previous is not None:
                assert t3["carried_over"][col] == previous.table3["carried_forward"][col], (year, col)
        # each cell opens to exactly the cases counted in it
        compiled = compile_year(register, year).construction
        for cell, value in report.iter_cells():
            if cell.startswith(("table3.", "table4.")):
                assert len(compiled.explain(cell)) == value
        previous = report


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(register=registers(max_applications=40))
def test_compiled_docx_reads_back_to_the_compiled_numbers(register: Register) -> None:
    for year in (2020, 2023):
        report = compile_year(register, year, table2=TABLE2_2021 if year >= 2021 else None).report
        back = extract_bytes(render_docx(report), f"compiled-{year}.docx")
        assert _numbers(back) == _numbers(report)
        assert back.year == year and back.template == report.template
        html = extract_bytes(render_html(report), f"compiled-{year}.html")
        assert _numbers(html) == _numbers(report)


def _sample_register() -> Register:
    apps = [
        Application("2023-0001", date(2023, 12, 20), "natural_person", replied=date(2024, 1, 5), outcome="granted"),
        Application("2024-0001", date(2024, 2, 1), "commercial", replied=date(2024, 2, 20), outcome="partial",
                    fee_method="按量", pages=250, fee_paid=date(2024, 2, 15)),
        Application("2024-0002", date(2024, 3, 1), "legal", replied=date(2024, 3, 9), outcome="other_other"),
        Application("2024-0003", date(2024, 12, 30), "natural_person"),
    ]  # fmt: skip
    cases = [
        Case("F-1", "review", date(2023, 11, 1), date(2024, 3, 1), "corrected"),
        Case("F-2", "litigation_direct", date(2024, 6, 1)),
    ]
    return Register("福州市某某区人民政府办公室", apps, cases)


@pytest.mark.slow
def test_compiled_docx_through_libreoffice_pdf_reads_back(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: run scripts/system-deps.sh")
    report = compile_year(_sample_register(), 2024, table2=TABLE2_2021).report
    docx = tmp_path / "report.docx"
    docx.write_bytes(render_docx(report))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    back = extract_file(tmp_path / "report.pdf")
    assert _numbers(back) == _numbers(report)
    assert report.value("table2.fees.amount_wan") == Decimal("0.47")


def test_worked_register_by_hand() -> None:
    compiled = compile_year(_sample_register(), 2024, table2=TABLE2_2021)
    r = compiled.report
    assert r.table3["new"] == {
        "natural_person": 1,
        "commercial": 1,
        "research": 0,
        "social": 0,
        "legal": 1,
        "other": 0,
        "total": 3,
    }
    assert r.table3["carried_over"]["natural_person"] == 1 and r.table3["carried_over"]["total"] == 1
    assert r.table3["granted"]["total"] == 1 and r.table3["partial"]["commercial"] == 1
    assert r.table3["total"]["total"] == 3 and r.table3["carried_forward"]["total"] == 1
    assert r.table4["review"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert r.table4["litigation_direct"]["pending"] == 1
    assert compiled.construction.explain("table3.granted.natural_person") == ["2023-0001"]
    assert compiled.construction.explain("table2.fees.amount_wan") == ["2024-0001"]
    assert "新收政府信息公开申请3件" in r.sections[2].text


def test_a_replied_case_without_outcome_is_refused_naming_it() -> None:
    register = Register("某局", [Application("A-9", date(2024, 1, 2), "other", replied=date(2024, 1, 3))])
    with pytest.raises(RegisterError, match="A-9"):
        compile_year(register, 2024)
