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
