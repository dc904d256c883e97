"""The int8 recogniser built at install time (adapters/ocr_int8.py) against the wheel's fp32 one.

It is calibrated on the dev-corpus PDFs; the check here is on a generated report it never saw:
scanned at 200 dpi, every template cell reads the same with either model.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from scripts.make_fixtures import soffice_to_pdf
from tests.ocr.helpers import score

from xxgk.adapters import ocr, ocr_int8
from xxgk.extract import extract_bytes
from xxgk.render.docx import render_docx
from xxgk.render.scan import image_pdf, scan_pages
from xxgk.samples import random_report
from xxgk.templates import get_template

pytestmark = pytest.mark.slow


def rec_path(engine: object) -> str:
    return str(engine.cfg.Rec.model_path)  # type: ignore[attr-defined]


def test_int8_recogniser_reads_the_same_value_cells_as_fp32(soffice: str, tmp_path: Path) -> None:
    assert ocr_int8.INT8_MODEL.is_file(), "the int8 recogniser is built by `make venv`"
    report = random_report(random.Random(15), "2021")
    docx = tmp_path / "gen.docx"
    docx.write_bytes(render_docx(report, font="Noto Serif CJK SC"))
    soffice_to_pdf([docx], tmp_path)
    data = image_pdf(scan_pages((tmp_path / "gen.pdf").read_bytes(), 200, seed=15), 200)

    assert rec_path(ocr.engine()) == str(ocr_int8.INT8_MODEL)  # the default engine uses it
    int8 = extract_bytes(data, "gen.pdf")
    with ocr.engine_with(ocr.ENGINE_PARAMS):
        assert rec_path(ocr.engine()) != str(ocr_int8.INT8_MODEL)
        fp32 = extract_bytes(data, "gen.pdf")

    keys = [c.key for c in get_template("2021").cells()]
    differ = [k for k in keys if (int8.value(k), int8.status(k)) != (fp32.value(k), fp32.status(k))]
    assert differ == []
    # Regression: with whole-page detection this scan read the lower half of table 3 one column
    # off — 6 silent wrong numbers; with cells read from the rules (the default) none.
    assert score(int8, report).silent == []


def test_without_the_int8_model_the_wheels_fp32_recogniser_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = Path("/nonexistent/int8.onnx")
    monkeypatch.setattr(ocr_int8, "INT8_MODEL", missing)
    assert ocr.rec_model() == {}
    monkeypatch.setattr(ocr, "_ENGINE", None)
    assert rec_path(ocr.engine()) == "None"  # rapidocr takes its own model from the wheel
    import numpy as np

    blank = np.full((48, 96), 255, dtype=np.uint8)
    assert ocr.recognise_crops([blank]) == [("", 0.0)]
