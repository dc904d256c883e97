"""Page clean-up and rule detection on drawn pages (no OCR): stamp away, deskew, ruled cells."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from xxgk.adapters.base import AdapterError
from xxgk.adapters.pdfpage import find_ruled_tables
from xxgk.adapters.raster import (
    PageImage,
    decode_images,
    drop_colour,
    prepare,
    rotate,
    ruling_edges,
    skew_angle,
)
from xxgk.render.scan import png_bytes


def grid_page(rows: int = 6, cols: int = 4) -> np.ndarray:
    """A white A4 page at 150 dpi with a ruled table and some text-like marks."""
    page = np.full((1754, 1240, 3), 255, dtype=np.uint8)
    x0, y0, w, h = 150, 300, 900, 40
    for r in range(rows + 1):
        cv2.line(page, (x0, y0 + r * h), (x0 + w, y0 + r * h), (0, 0, 0), 1)
    for c in range(cols + 1):
        cv2.line(page, (x0 + c * w // cols, y0), (x0 + c * w // cols, y0 + rows * h), (0, 0, 0), 1)
    for r in range(rows):
        for c in range(cols):
            cv2.putText(page, str(r * c), (x0 + c * w // cols + 20, y0 + r * h + 30), 0, 0.8, (0, 0, 0), 2)
    return page


def test_red_stamp_turns_white_and_black_print_stays():
    page = grid_page()
    stamped = page.copy()
    cv2.circle(stamped, (500, 400), 120, (220, 30, 30), 8)
    gray = drop_colour(stamped)
    assert gray[400 - 120, 500] > 200  # on the ring
    assert gray[300, 600] < 100  # a rule under it


@pytest.mark.parametrize("angle", [-2.0, -0.7, 1.3, 2.0])
def test_deskew_recovers_a_small_rotation(angle):
    gray = drop_colour(grid_page())
    assert abs(skew_angle(rotate(gray, angle)) + angle) <= 0.15


def test_rules_become_the_cells_of_one_table_after_a_rotated_scan():
    page = grid_page(rows=6, cols=4)
    tilted = cv2.warpAffine(
        page, cv2.getRotationMatrix2D((620, 877), 1.5, 1.0), (1240, 1754), borderValue=(255, 255, 255)
    )
    prepared = prepare(tilted, 150)
    [table] = find_ruled_tables(ruling_edges(prepared))
    assert len(table) == 24


def test_dpi_is_normalised_and_read_from_the_file():
    page = grid_page()
    [(_rgb, dpi)] = decode_images(png_bytes(page, 150))
    assert dpi == pytest.approx(150, abs=1)
    big = cv2.resize(page, (2480, 3508))
    prepared = prepare(big, 300)
    assert isinstance(prepared, PageImage) and prepared.gray.shape == (1754, 1240) and prepared.dpi == 150


def test_undecodable_image_is_a_one_line_error():
    with pytest.raises(AdapterError, match=r"^damaged or unsupported image"):
        decode_images(b"\x89PNG\r\n\x1a\n not really")


def test_a_number_with_a_stray_glyph_glued_to_it_is_read_as_the_number_and_doubted():
    """Regression: detection on a downscaled page put a stamp's residue in a number's box and OCR
    read "日7615"; the value cell then held a "label" and table2.fees.amount_wan came out blank —
    a silent wrong number. Now the cell reads 7615 with a confidence ocr_doubts will not trust."""
    from xxgk.adapters.base import GridCell, Position
    from xxgk.adapters.scan import DOUBTED, unglue_stray_glyph

    def cell(text: str) -> tuple[GridCell, list[dict]]:
        bbox = (100.0, 200.0, 160.0, 212.0)
        chars = [
            {
                "text": t,
                "x0": 101.0 + 5 * i,
                "x1": 105.0 + 5 * i,
                "top": 201.0,
                "bottom": 211.0,
                "score": 0.97,
            }
            for i, t in enumerate(text)
        ]
        outside = {"text": "9", "x0": 300.0, "x1": 305.0, "top": 201.0, "bottom": 211.0, "score": 0.97}
        return GridCell(text, Position(page=1, bbox=bbox), 0, 0), [*chars, outside]

    for text, number in (("日7615", "7615"), ("7615口", "7615"), ("a12", "12")):
        c, chars = cell(text)
        unglue_stray_glyph(c, chars)
        assert c.text == number
        assert [ch["score"] for ch in chars] == [DOUBTED] * len(text) + [0.97]  # only the cell's
    for text in ("7615件", "2021年", "1.属于国家秘密", "7615", "第二十条", "12.5万"):
        c, chars = cell(text)
        unglue_stray_glyph(c, chars)
        assert c.text == text and all(ch["score"] == 0.97 for ch in chars)


def test_digits_that_make_no_number_and_no_label_are_garbled():
    """Regression: a blot over the second 5 of 50154 was read "501⁻4"; the cell held a "label",
    so table2.licensing.decisions came out blank — a silent wrong number (scripts/scan_example.py)."""
    from xxgk.adapters.scan import garbled_number

    for text in ("501⁻4", "50:54", "5 0'1", "1/2"):
        assert garbled_number(text), text
    for text in (
        "50154",
        "1 48",
        "-5",
        "+1036",
        "3,027.6557",
        "",
        "第二十条第（一）项",
        "1.属于国家秘密",
        "12.5万元",
    ):
        assert not garbled_number(text), text
