"""Hostile ledgers (issue 11's promises on `xxgk register import`, added since): a tiny .xlsx that
makes calamine ask for 512 GB, a sheet of millions of cells behind a zip directory that says 1 KB,
a CSV of millions of cells — each is one line naming the file, exit 2, nothing imported."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.hostile.corpus import understated
from tests.paths import XXGK_SCRIPT
from tests.register.ledgers import clean_rows, write_ledger

from xxgk.register.errors import RegisterError
from xxgk.register.spreadsheet import MAX_CELLS, read_sheets


def _import(ledger: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    return subprocess.run(
        [str(XXGK_SCRIPT), "register", "import", str(ledger), "--agency", "某局", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _with_sheet(tmp_path: Path, chunks: Iterator[bytes] | list[bytes], fake: int | None = None) -> Path:
    """A real ledger (xlsxwriter) whose first sheet's XML is replaced by `chunks`; with `fake`, the
    zip directory says the sheet is that many bytes."""
    good = write_ledger(tmp_path / "good.xlsx", clean_rows()).read_bytes()
    path = tmp_path / "hostile.xlsx"
    member = "xl/worksheets/sheet1.xml"
    if fake is not None:
        path.write_bytes(understated(good, member, chunks, fake))
        return path
    with (
        zipfile.ZipFile(tmp_path / "good.xlsx") as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, b"".join(chunks) if info.filename == member else src.read(info))
    return path


_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_TAIL = b"</sheetData></worksheet>"


def _one_line_refusal(run: subprocess.CompletedProcess[str], ledger: Path, why: str) -> None:
    assert run.returncode == 2, run.stderr[-2000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr[-2000:]
    assert str(ledger) in lines[0] and why in lines[0], lines[0]
    assert "nothing" not in run.stdout and "applications" not in run.stdout


def test_two_far_apart_cells_are_one_line_not_an_abort(tmp_path: Path) -> None:
    """Regression: cells at A1 and XFD1048576 (1.5 KB) made calamine allocate 512 GB; Rust aborted
    the whole process (exit 134, a Rust backtrace)."""
    cells = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    ledger = _with_sheet(tmp_path, [_HEAD, cells, _TAIL])
    assert ledger.stat().st_size < 10_000
    _one_line_refusal(_import(ledger, tmp_path), ledger, "memory limit")


def test_a_sheet_spanning_millions_of_cells_is_refused(tmp_path: Path) -> None:
    cells = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="100000"><c r="Z100000"><v>1</v></c></row>'
    ledger = _with_sheet(tmp_path, [_HEAD, cells, _TAIL])
    _one_line_refusal(_import(ledger, tmp_path), ledger, f"over the {MAX_CELLS:,} cells limit")


@pytest.mark.slow
def test_an_understated_zip_bomb_of_cells_is_refused_within_the_limits(tmp_path: Path) -> None:
    """2.1 million cells (≈ 50 MB of XML) in a sheet the zip directory says is 1 KB: refused, in
    one line, by whichever limit meets it first."""
    row = b"<row><c><v>1</v></c></row>"
    per_chunk = 10_000
    chunks = [_HEAD, *[row * per_chunk] * (MAX_CELLS // per_chunk + 10), _TAIL]
    ledger = _with_sheet(tmp_path, chunks, fake=1024)
    assert ledger.stat().st_size < 2_000_000
    run = _import(ledger, tmp_path)
    _one_line_refusal(run, ledger, "")
    # calamine's zip reader stops at the declared size; were it to read on, the cell cap would
    reasons = ("larger than its declared uncompressed size", "cells limit", "memory limit")
    assert any(why in run.stderr for why in reasons), run.stderr


def test_a_reader_over_its_memory_cap_is_a_register_error(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "good.xlsx", clean_rows())
    assert read_sheets(ledger)[0][1][0][0] == "编号"
    with pytest.raises(RegisterError, match="memory limit"):
        read_sheets(ledger, memory_mb=16)  # too small even to start the reader


def test_a_csv_of_millions_of_cells_is_refused(tmp_path: Path) -> None:
    ledger = tmp_path / "wide.csv"
    ledger.write_text("编号,收到日期,申请人类型\n" + "," * MAX_CELLS + "\n", "utf-8")
    _one_line_refusal(_import(ledger, tmp_path), ledger, "cells")
