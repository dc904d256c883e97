"""Legacy office files through LibreOffice: .doc and .wps made from the dev corpus read exactly;
.xls and .et sheets made from generated reports read exactly; no LibreOffice → one line naming
the package; a corrupt .doc or .xls → one line, exit 1, no traceback."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.ocr.helpers import DOCX_DIR, score, truth

from xxgk.adapters import AdapterError, read_document
from xxgk.adapters.html import html_document
from xxgk.adapters.sheet_html import split_sheet_tables
from xxgk.extract import extract_file
from xxgk.model import Report
from xxgk.render.sheet import render_xlsx
from xxgk.samples import random_report

pytestmark = pytest.mark.office
STEMS = ["101_pingtan-junshan-2022", "102_pingtan-guozi-2019"]


def _convert(soffice: str, target: str, sources: list[Path], out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target]
        cmd += ["--outdir", str(out), *map(str, sources)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def word97(soffice, tmp_path_factory) -> Path:
    """The dev reports' DOCX renderings saved as Word 97 .doc by LibreOffice (one batch)."""
    out = tmp_path_factory.mktemp("doc")
    _convert(soffice, "doc", [DOCX_DIR / f"{s}.docx" for s in STEMS], out)
    return out


SHEET_TEMPLATES = ("2019", "2021")


@pytest.fixture(scope="module")
def sheets(soffice, tmp_path_factory) -> tuple[Path, dict[str, Report]]:
    """Generated reports of every template laid out as one sheet (render_xlsx), saved by LibreOffice
    as Excel 97 .xls and as WPS .et (LibreOffice writes .et with its Excel 97 filter, as WPS reads it)."""
    out = tmp_path_factory.mktemp("sheets")
    reports = {f"sheet{t}": random_report(random.Random(15), t) for t in SHEET_TEMPLATES}
    for name, report in reports.items():
        (out / f"{name}.xlsx").write_bytes(render_xlsx(report))
    for target in ("xls", "et"):
        _convert(soffice, target, [out / f"{name}.xlsx" for name in reports], out)
    return out, reports


@pytest.mark.parametrize("suffix", ["xls", "et"])
@pytest.mark.parametrize("template", SHEET_TEMPLATES)
def test_sheet_reads_exactly(sheets, template, suffix):
    out, reports = sheets
    path = out / f"sheet{template}.{suffix}"
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a binary (OLE2) workbook, not the XLSX renamed
    want = reports[f"sheet{template}"]
    got = extract_file(path)
    total, right, wrong, _ = score(got, want)
    assert total > 150 and right == total, wrong
    assert (got.year, got.template, got.agency) == (want.year, want.template, want.agency)
    assert f"converted from .{suffix} by LibreOffice" in (got.notes or "")


def test_corrupt_xls_is_a_one_line_error(tmp_path, sheets):
    out, _ = sheets
    good = (out / "sheet2021.xls").read_bytes()
    bad = tmp_path / "broken.xls"
    bad.write_bytes(good[:28] + b"garbage!" + good[36:])  # the compound-document header smashed
    run = subprocess.run(
        [sys.executable, "-m", "xxgk", "extract", str(bad)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "damaged .xls file" in lines[0], run.stderr
    assert "Traceback" not in run.stderr


def test_a_sheets_bordered_blocks_become_tables_and_its_other_rows_text():
    boxed = 'style="border-top: 1px solid #000000; border-left: 1px solid #000000"'
    sheet = (
        "<html><body><table>"
        "<tr><td>一、总体情况</td><td></td><td></td></tr>"
        f"<tr><td {boxed}>信息内容</td><td {boxed}>本年新制作数量</td><td></td></tr>"
        f"<tr><td {boxed}>规章</td><td {boxed}>5</td><td></td></tr>"
        "<tr><td>二、主动公开</td><td></td><td></td></tr>"
        f"<tr><td {boxed}>行政处罚</td><td {boxed}></td><td></td></tr>"
        "</table></body></html>"
    ).encode()
    doc = html_document(split_sheet_tables(sheet), "sheet.html")
    assert [[c.text for c in row if c] for g in doc.grids for row in g.rows] == [
        ["信息内容", "本年新制作数量"],
        ["规章", "5"],
        ["行政处罚", ""],
    ]
    assert [len(g.rows) for g in doc.grids] == [2, 1]
    assert "一、总体情况" in doc.text and "二、主动公开" in doc.text
    unboxed = sheet.replace(boxed.encode(), b"")
    assert [len(g.rows) for g in html_document(split_sheet_tables(unboxed), "s.html").grids] == [5]


@pytest.mark.parametrize("stem", STEMS)
def test_doc_reads_exactly(word97, stem):
    report = extract_file(word97 / f"{stem}.doc")
    total, right, wrong, _ = score(report, truth(stem))
    assert right == total, wrong
    assert "converted from .doc by LibreOffice" in (report.notes or "")


def test_wps_reads_exactly(word97, tmp_path):
    """A .wps attachment as WPS Office's "save as .wps" writes it: a Word 97 binary document."""
    stem = STEMS[0]
    wps = tmp_path / f"{stem}.wps"
    wps.write_bytes((word97 / f"{stem}.doc").read_bytes())
    doc = read_document(wps.read_bytes(), str(wps))
    assert doc.kind == "wps" and doc.meta["converted"] == "wps → docx by LibreOffice"
    total, right, wrong, _ = score(extract_file(wps), truth(stem))
    assert right == total, wrong


def test_without_libreoffice_the_message_names_the_debian_package(monkeypatch, word97):
    monkeypatch.setenv("XXGK_SOFFICE", "")
    with pytest.raises(AdapterError, match=r"install the Debian package libreoffice-writer"):
        read_document((word97 / f"{STEMS[0]}.doc").read_bytes(), "report.doc")
    with pytest.raises(AdapterError, match=r"libreoffice-writer libreoffice-calc"):
        read_document((word97 / f"{STEMS[0]}.doc").read_bytes(), "sheet.xls")


def test_corrupt_doc_is_a_one_line_error(tmp_path, soffice, word97):
    bad = tmp_path / "broken.doc"
    good = (word97 / f"{STEMS[0]}.doc").read_bytes()
    bad.write_bytes(good[:28] + b"garbage!" + good[36:2000])  # header smashed, then truncated
    run = subprocess.run(
        [sys.executable, "-m", "xxgk", "extract", str(bad)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "damaged .doc file" in lines[0]
    assert "Traceback" not in run.stderr
