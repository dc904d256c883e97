"""Round trips: a register exported unmasked (Excel and CSV) reads back as the same register."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from tests.register.strategies import registers

from xxgk.register.cases import Register
from xxgk.register.export import CASES_SHEET, to_csv, to_xlsx
from xxgk.register.ledger import read_ledger
from xxgk.register.personal import masked


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(register=registers(max_applications=30, max_cases=6))
def test_export_then_import_gives_the_same_register(register: Register) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "ledger.xlsx"
        xlsx.write_bytes(to_xlsx(register, reveal_personal=True))
        back = read_ledger(xlsx, register.agency)
        assert back.applications == register.applications
        assert back.cases == register.cases
        files = to_csv(register, reveal_personal=True)
        (Path(tmp) / "a.csv").write_bytes(next(v for k, v in files.items() if k != CASES_SHEET))
        (Path(tmp) / "c.csv").write_bytes(files[CASES_SHEET])
        assert read_ledger(Path(tmp) / "a.csv", register.agency).applications == register.applications
        if register.cases:
            assert read_ledger(Path(tmp) / "c.csv", register.agency).cases == register.cases


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(register=registers(max_applications=20, max_cases=0))
def test_masked_export_reads_back_with_masked_personal_data_only(register: Register) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "ledger.xlsx"
        xlsx.write_bytes(to_xlsx(register))
        back = read_ledger(xlsx, register.agency)
    for original, read in zip(register.applications, back.applications, strict=True):
        assert read.to_data() == masked(original.to_data())


def test_a_csv_cell_with_a_line_break_stays_one_cell(tmp_path: Path) -> None:
    """Regression: the CSV reader split the text into lines first, cutting quoted cells in two."""
    path = tmp_path / "ledger.csv"
    path.write_text(
        '编号,收到日期,申请人类型,申请内容\nA-1,2025-01-20,自然人,"第一行\n第二行"\nA-2,2025-01-21,其他,\n',
        "utf-8",
    )
    apps = read_ledger(path, "某局").applications
    assert [(a.number, a.request) for a in apps] == [("A-1", "第一行\n第二行"), ("A-2", None)]


def test_formula_like_text_is_neutralised_in_both_exports_and_reads_back(tmp_path: Path) -> None:
    """Regression (issue 11 on the register): the CSV export wrote `=HYPERLINK(...)` as it was, a
    live formula for whoever opens the file in a spreadsheet."""
    import csv
    import io
    import zipfile
    from datetime import date

    from xxgk.register.cases import Application

    texts = ['=HYPERLINK("http://x","点此")', "+1+2", "-3+A1", "@SUM(A1)", "'=1+2", "'普通", "正常"]
    register = Register("某局")
    for i, text in enumerate(texts):
        register.applications.append(
            Application(
                number=f"A-{i}", received=date(2025, 1, 2), applicant_type="natural_person", request=text
            )
        )
    csv_bytes = next(v for k, v in to_csv(register, reveal_personal=True).items() if k != CASES_SHEET)
    cells = [row[7] for row in csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))][1:]
    assert cells == ["'" + t if t[0] in "=+-@'" else t for t in texts]
    (tmp_path / "a.csv").write_bytes(csv_bytes)
    assert [a.request for a in read_ledger(tmp_path / "a.csv", "某局").applications] == texts
    xlsx = tmp_path / "a.xlsx"
    xlsx.write_bytes(to_xlsx(register, reveal_personal=True))
    with zipfile.ZipFile(xlsx) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()  # text, never a formula
    assert [a.request for a in read_ledger(xlsx, "某局").applications] == texts
