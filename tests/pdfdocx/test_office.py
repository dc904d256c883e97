"""A rendered DOCX opens in real LibreOffice, converts to PDF, draws visible pages, and reads back."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image
from scripts.make_fixtures import soffice_to_pdf
from tests.paths import dev_labels
from tests.pdfdocx.helpers import expected_cells, grid_cells

from xxgk.adapters.pdf import read_pdf
from xxgk.model import load_report
from xxgk.render.docx import render_docx
from xxgk.templates import get_template

pytestmark = pytest.mark.office


def test_rendered_docx_converts_to_a_non_blank_pdf_that_reads_back(soffice, tmp_path):
    label = next(p for p in dev_labels() if p.stem.startswith("002"))
    report = load_report(label)
    docx = tmp_path / "report.docx"
    docx.write_bytes(render_docx(report, font="Noto Serif CJK SC", page="A5"))
    soffice_to_pdf([docx], tmp_path)  # the same conversion the committed fixtures come from
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    [png] = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        gray = image.convert("L")
        dark = sum(gray.histogram()[:128])
        assert dark / (gray.width * gray.height) > 0.005, "page 1 rendered blank"

    template = get_template(report.template)  # type: ignore[arg-type]
    assert grid_cells(read_pdf(pdf.read_bytes(), str(pdf)), template) == expected_cells(report, template)
