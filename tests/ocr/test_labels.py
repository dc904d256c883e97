"""Label cells read narrow first (adapters/ocr_labels.py): a cell keeps its narrow reading only
where it names a template label, every other cell is read alone at full width.

On a real scanned page (dev report 002 at 200 dpi): every accepted cell has the letter key its
full-width reading has; a label with a glyph wiped out (a near miss of a template label) and a
label with a number glued after it are never accepted, so they are read alone as before.
"""

from __future__ import annotations

from collections import defaultdict

import cv2
import numpy as np
import pytest
from tests.ocr.helpers import scanned_table_lines

from xxgk.adapters import ocr_labels, ocr_strips, scan
from xxgk.adapters.ocr import recognise_crops
from xxgk.adapters.ocr_labels import label_key, names_template_label, read_labels
from xxgk.adapters.ocr_strips import HEIGHT, STEP, number_like, reach, read_strips


def test_a_cell_names_a_template_label_only_by_its_exact_letters():
    assert names_template_label(["（一）本年新收政府信息", "公开申请数量"])  # wrapped over two lines
    assert names_template_label(["本年新收政府信息公開申請數量"])  # compared after t2s
    assert names_template_label(["1.属于国家秘密"])  # numbering stripped, its digit no number
    assert not names_template_label(["（一）本年新收政府信息公开申请数"])  # one glyph short
    assert not names_template_label(["（一）本年新收政府信息公开申请数目"])  # one glyph wrong
    assert not names_template_label(["其他5"])  # a number glued to a label: read at full width
    assert not names_template_label(["其他 1"])
    assert label_key("（七）总计") == "总计"


def test_ink_far_from_every_decoded_symbol_is_out_of_reach():
    image = np.ones((HEIGHT, 160), dtype=np.float32)  # white, normalised
    image[10:38, 4:100] = -1.0  # ink over columns 4-99
    steps = np.zeros(160 // STEP, dtype=np.int64)
    steps[[1, 4, 7, 10]] = 5  # symbols decoded at columns 12, 36, 60, 84
    assert reach(image, steps, 24) <= ocr_labels.REACH
    image[10:38, 120:140] = -1.0  # a digit further right that nothing was decoded for
    assert reach(image, steps, 24) > ocr_labels.REACH
    assert reach(image, np.zeros_like(steps), 24) == float("inf")


def test_each_line_is_given_the_cell_holding_its_first_glyph():
    cells = [(0, 0, 100, 50), (100, 0, 300, 50)]
    assert scan.cell_of((10, 5, 90, 20), cells) == 0
    assert scan.cell_of((80, 5, 200, 20), cells) == 0  # joined across a false rule: its left cell
    assert scan.cell_of((110, 5, 200, 20), cells) == 1
    assert scan.cell_of((10, 60, 90, 70), cells) < 0  # none: a cell of its own
    assert scan.cell_of((10, 60, 90, 70), cells) != scan.cell_of((10, 80, 90, 90), cells)


@pytest.fixture(scope="module")
def label_lines() -> tuple[list[np.ndarray], list[int]]:
    """The label lines (not read as numbers) of a dev report's table page scanned at 200 dpi,
    and the cell of each."""
    page = scanned_table_lines()
    numbers = [i for i, b in enumerate(page.boxes) if number_like(b, page.line)]
    read = dict(zip(numbers, read_strips([page.crops[i] for i in numbers]), strict=True))
    labels = [i for i in range(len(page.boxes)) if read.get(i) is None]
    return [page.crops[i] for i in labels], [scan.cell_of(page.boxes[i], page.cells) for i in labels]


@pytest.mark.slow
def test_on_a_scanned_page_every_accepted_label_has_its_full_width_key(label_lines):
    crops, cells = label_lines
    narrow = read_labels(crops, cells)
    alone = recognise_crops(crops)
    by_cell: dict[int, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        by_cell[cell].append(i)
    accepted = [lines for lines in by_cell.values() if narrow[lines[0]] is not None]
    assert len(accepted) >= 0.5 * len(by_cell)  # the point of it: most labels read narrow
    for lines in accepted:
        assert all(narrow[i] is not None for i in lines)  # a cell is accepted whole or not at all
        got = label_key("".join(narrow[i][0] for i in lines))  # type: ignore[index]
        assert got == label_key("".join(alone[i][0] for i in lines))
        assert names_template_label([alone[i][0] for i in lines])


def _one_line_labels(label_lines, chars: int) -> list[np.ndarray]:
    """Crops of one-line label cells the narrow reading accepts, at least ``chars`` glyphs wide."""
    crops, cells = label_lines
    single = [i for i, c in enumerate(cells) if cells.count(c) == 1]
    narrow = read_labels([crops[i] for i in single], single)
    return [
        crops[i]
        for i, r in zip(single, narrow, strict=True)
        if r is not None and ocr_strips.trimmed(crops[i]).shape[1] >= chars * 0.8 * crops[i].shape[0]
    ]


@pytest.mark.slow
def test_a_label_with_a_glyph_wiped_out_is_never_taken_for_a_template_label(label_lines):
    """A near miss of a template label (one glyph missing) is read alone: the readers' own
    matching decides about it, as before, never a narrow reading's guess."""
    chosen = _one_line_labels(label_lines, 5)[:6]
    assert chosen
    wiped = []
    for crop in chosen:
        crop = ocr_strips.trimmed(crop).copy()
        inked = np.flatnonzero((crop < ocr_strips.INK).any(axis=0))
        mid = (int(inked[0]) + int(inked[-1])) // 2
        glyph = int(crop.shape[0] * 0.7)
        crop[:, mid - glyph // 2 : mid + glyph // 2] = 255
        wiped.append(crop)
    assert read_labels(wiped, list(range(len(wiped)))) == [None] * len(wiped)


@pytest.mark.slow
def test_a_label_with_a_number_after_it_is_read_alone(label_lines):
    """A value glued to its label in one cell (a missing rule): the narrow reading could drop a
    digit and the value would go silently blank; such a cell is read at full width."""
    labels = _one_line_labels(label_lines, 2)[:6]
    assert labels
    glued = []
    for label in labels:
        digit = np.full((label.shape[0], label.shape[0] // 2 + 6), 255, dtype=np.uint8)
        cv2.putText(digit, "1", (3, label.shape[0] - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
        glued.append(np.hstack([ocr_strips.trimmed(label), digit]))
    assert read_labels(glued, list(range(len(glued)))) == [None] * len(glued)
