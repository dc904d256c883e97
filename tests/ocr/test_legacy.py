"""Legacy office files through LibreOffice: .doc and .wps made from the dev corpus read exactly;
no LibreOffice → one line naming the package; a corrupt .doc → one line, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.ocr.helpers import DOCX_DIR, score, truth

from xxgk.adapters import AdapterError, read_document
from xxgk.extract import extract_file

pytestmark = pytest.mark.office
STEMS = ["101_pingtan-junshan-2022", "102_pingtan-guozi-2019"]


@pytest.fixture(scope="module")
def word97(soffice, tmp_path_factory) -> Path:
    """The dev reports' DOCX renderings saved as Word 97 .doc by LibreOffice (one batch)."""
    out = tmp_path_factory.mktemp("doc")
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "doc"]
        cmd += ["--outdir", str(out), *(str(DOCX_DIR / f"{s}.docx") for s in STEMS)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    return out


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
