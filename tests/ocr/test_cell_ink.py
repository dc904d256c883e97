"""A ruled cell's text lines found from its ink (no OCR, drawn pages): what detection is skipped for."""

from __future__ import annotations

import cv2
import numpy as np

from xxgk.adapters.cell_ink import (
    MIN_SPECK,
    cell_lines,
    ink_mask,
    join_across_rules,
    line_crop,
    line_height,
    without_glyph_strokes,
)
from xxgk.adapters.raster import rule_masks

LINE = 16.0  # a text line's height in these drawings (pixels)


def page(width: int = 600, height: int = 200) -> np.ndarray:
    return np.full((height, width), 255, dtype=np.uint8)


def no_rules(gray: np.ndarray) -> np.ndarray:
    return np.zeros_like(gray)


def test_a_number_is_one_tight_line_and_an_empty_cell_has_none():
    gray = page()
    cv2.putText(gray, "1520", (30, 60), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    ink, ruled = ink_mask(gray), no_rules(gray)
    [(x0, top, x1, bottom)] = cell_lines(ink, ruled, (10, 30, 200, 80), LINE)
    assert 28 <= x0 <= 32 and 40 <= top <= 48 and 60 <= bottom <= 64 and x1 > x0 + 40
    assert cell_lines(ink, ruled, (250, 30, 400, 80), LINE) == []


def test_two_printed_lines_are_two_and_the_strokes_of_one_glyph_stay_one():
    gray = page()
    cv2.putText(gray, "ABC", (30, 50), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 0, 1)
    cv2.putText(gray, "DEF", (30, 75), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 0, 1)
    # "二": two strokes 8 px apart, one line of text
    cv2.rectangle(gray, (330, 40), (350, 41), 0, -1)
    cv2.rectangle(gray, (326, 50), (354, 51), 0, -1)
    ink, ruled = ink_mask(gray), no_rules(gray)
    assert len(cell_lines(ink, ruled, (10, 20, 200, 100), LINE)) == 2
    [stroke_box] = cell_lines(ink, ruled, (300, 20, 400, 100), LINE)
    assert stroke_box[1] == 40 and stroke_box[3] == 52


def test_specks_are_not_ink_but_a_faint_digit_is():
    gray = page()
    for x in range(20, 180, 15):
        gray[50, x] = 0  # one-pixel noise and JPEG specks
    gray[60:62, 100:102] = 0
    assert MIN_SPECK > 4  # the 2×2 blot is a speck
    ink, ruled = ink_mask(gray), no_rules(gray)
    assert cell_lines(ink, ruled, (10, 20, 200, 100), LINE) == []
    cv2.putText(gray, "7", (300, 60), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 140, 2)  # faint print
    assert len(cell_lines(ink_mask(gray), ruled, (250, 20, 400, 100), LINE)) == 1


def test_the_rules_are_no_ink_of_the_cells():
    gray = page(1240, 400)
    for y in (100, 140):
        cv2.line(gray, (100, y), (1100, y), 0, 2)
    for x in (100, 600, 1100):
        cv2.line(gray, (x, 100), (x, 140), 0, 2)
    cv2.putText(gray, "42", (130, 130), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    horizontal, vertical = rule_masks(gray)
    ink, ruled = ink_mask(gray), horizontal | vertical
    assert cell_lines(ink, ruled, (600, 100, 1100, 141), LINE) == []  # rules only: blank
    [box] = cell_lines(ink, ruled, (100, 100, 600, 141), LINE)
    crop = line_crop(gray, box)
    assert (crop[:3] == 255).all() and (crop[:, :3] == 255).all()  # a white margin, no rule in it


def test_a_rule_found_inside_a_cell_is_a_glyph_stroke_and_stays_ink():
    """Regression: a stamp's ring over 量 and the bar of 申 were taken for rules; removed from the
    label's ink, 量 was lost and 申 read as 中 ("…公开中请数"), and the row's label no longer
    matched the template: the next row's numbers were read into it, silently."""
    gray = page()
    ruled = no_rules(gray)
    cv2.putText(gray, "ABC", (30, 60), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    cv2.rectangle(gray, (120, 45), (130, 62), 0, -1)  # the last glyph, all of it "rule"
    ruled[44:64, 119:132] = 255
    [(x0, _, x1, _)] = cell_lines(ink_mask(gray), ruled, (10, 30, 200, 80), LINE)
    assert x0 <= 32 and x1 >= 130
    ruled[30:80, 10:15] = 255  # a rule on the cell's border is no ink
    gray[30:80, 10:14] = 0
    [(x0, _, _, _)] = cell_lines(ink_mask(gray), ruled, (10, 30, 200, 80), LINE)
    assert x0 >= 28


def test_a_line_cut_by_a_false_rule_is_joined_but_two_cells_are_not():
    vertical = np.zeros((200, 600), dtype=np.uint8)
    vertical[40:60, 204:209] = 255  # a hanzi's stroke taken for a rule (dilated: 5 px)
    vertical[40:60, 400:405] = 255  # a real rule between two cells, with the cells' padding
    left, cut = (150, 42, 203, 58), (214, 42, 226, 58)  # "行政强" | "制": 11 px, 5 of them "rule"
    before, after = (380, 42, 390, 58), (415, 42, 430, 58)  # "3" | "121": ink 25 px apart
    joined = join_across_rules([cut, left, after, before], LINE, vertical)
    assert (150, 42, 226, 58) in joined  # (the bare gap, 11 px, is over JOIN_GAP lines)
    assert before in joined and after in joined and len(joined) == 3
    # lines that do not share their height are never joined, however close
    assert len(join_across_rules([(10, 10, 50, 26), (52, 40, 90, 56)], LINE, vertical)) == 2


def test_line_height_is_the_typical_single_line_of_the_cells():
    gray = page()
    cells = []
    for i, x in enumerate(range(10, 590, 60)):
        cv2.rectangle(gray, (x + 10, 40), (x + 30, 40 + 14 + (i % 2)), 0, -1)
        cells.append((x, 20, x + 60, 100))
    assert 15.0 <= line_height(ink_mask(gray), no_rules(gray), cells) <= 16.0
    assert line_height(ink_mask(page()), no_rules(gray), cells) > 0  # no text: a default


def test_a_digits_stroke_taken_for_a_rule_is_dropped_and_the_cell_keeps_the_digit():
    """Regression (dev 103 scanned at 200 dpi): a stamp's mark joined a "1" to the "0" above it
    into a vertical "rule"; the lattice split the cell on the digit, the digit's ink went with
    the rule, and the cell read blank — a silent wrong number."""
    gray = page(1240, 300)
    for y in (100, 140, 180):
        cv2.line(gray, (100, y), (1100, y), 0, 2)
    for x in (100, 300, 1100):
        cv2.line(gray, (x, 100), (x, 180), 0, 2)
    cv2.putText(gray, "0", (190, 130), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    cv2.putText(gray, "1", (190, 170), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    gray[112:172, 199:202] = 0  # the "1"'s stem, run on through the rule into the "0" above
    horizontal, vertical = rule_masks(gray)
    ink = ink_mask(gray)
    column = vertical[100:180, 195:206].any(axis=0)
    assert column.any()  # the stroke is found as a rule ...
    kept = without_glyph_strokes(vertical, horizontal, ink)
    assert not kept[100:180, 195:206].any()  # ... and dropped: glyph ink is beside it
    for x in (100, 300, 1100):  # the real rules, paper beside them, stay
        assert kept[110:170, x - 1 : x + 2].any()


def test_a_stroke_clear_of_every_horizontal_rule_is_no_rule():
    """A hanzi's or a "1"'s long stroke with paper beside it survives the rule finder's opening;
    a table's rule meets a horizontal rule at its ends, the stroke ends inside the cell."""
    gray = page(1240, 300)
    for y in (100, 160, 220):
        cv2.line(gray, (100, y), (1100, y), 0, 2)
    for x in (100, 600, 1100):
        cv2.line(gray, (x, 100), (x, 220), 0, 2)
    gray[110:150, 300:303] = 0  # a stroke 40 px tall (one line), 10 px clear of the rules
    horizontal, vertical = rule_masks(gray)
    assert vertical[110:150, 298:305].any()  # the opening keeps it ...
    kept = without_glyph_strokes(vertical, horizontal, ink_mask(gray))
    assert not kept[105:155, 295:308].any()  # ... and it is dropped
    for x in (100, 600, 1100):
        assert kept[105:215, x - 1 : x + 2].any(axis=1).all()  # the rules stay, whole


def test_a_digits_stroke_run_into_one_rule_is_no_rule():
    """Regression (dev 103 scanned at 150 dpi): a "1" blurred into the rule below it was kept as
    a vertical rule (it met a horizontal rule at one end); the lattice split its cell on the
    digit and the cell read blank — a silent wrong number. A table's rule meets one at both ends."""
    gray = page(1240, 300)
    for y in (100, 140, 180):
        cv2.line(gray, (100, y), (1100, y), 0, 2)
    for x in (100, 600, 1100):
        cv2.line(gray, (x, 100), (x, 180), 0, 2)
    gray[150:180, 300:303] = 0  # the "1"'s stem, run on into the rule below its cell
    horizontal, vertical = rule_masks(gray)
    assert vertical[150:178, 298:305].any()  # the opening keeps it ...
    kept = without_glyph_strokes(vertical, horizontal, ink_mask(gray))
    assert not kept[145:178, 295:308].any()  # ... and it is dropped
    for x in (100, 600, 1100):
        assert kept[105:175, x - 1 : x + 2].any(axis=1).all()  # the rules stay, whole


def test_a_rule_that_overshoots_the_one_it_meets_stays():
    gray = page(1240, 300)
    for y in (100, 180):
        cv2.line(gray, (100, y), (1100, y), 0, 2)
    for x in (100, 600, 1100):
        cv2.line(gray, (x, 92), (x, 188), 0, 2)  # 8 px past the horizontal rules, as scans do
    horizontal, vertical = rule_masks(gray)
    kept = without_glyph_strokes(vertical, horizontal, ink_mask(gray))
    for x in (100, 600, 1100):
        assert kept[105:175, x - 1 : x + 2].any(axis=1).all()
