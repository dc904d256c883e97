"""Value cells' numbers read many to one recogniser input (adapters/ocr_strips.py).

The split back into cells is checked on made-up CTC outputs (every way a strip's reading must be
refused), the packing by a property test, and the whole on a real scanned page: every reading
accepted from a strip is the one the cell gets alone, and labels put in a strip are refused.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.ocr.helpers import scanned_table_lines

from xxgk.adapters import ocr_strips
from xxgk.adapters.ocr import recognise_crops
from xxgk.adapters.ocr_strips import GAP, STEP, STRIP_WIDTH, Placed, layout, number_like, read_strips, split

CHARS = ["blank", *"0123456789O-", "中", " "]


def ctc(width: int, at: dict[int, tuple[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    """A strip's CTC output: blank everywhere but the given columns' symbols."""
    steps = np.zeros(width // STEP, dtype=np.int64)
    probs = np.full(width // STEP, 0.99)
    for column, (ch, p) in at.items():
        steps[column // STEP] = CHARS.index(ch)
        probs[column // STEP] = p
    return steps, probs


STRIP = [Placed(0, 0, 32), Placed(1, 48, 96), Placed(2, 112, 144)]  # 16-column gaps


def test_characters_go_to_the_crop_under_them_and_confident_digits_are_accepted():
    steps, probs = ctc(160, {8: ("1", 0.99), 16: ("2", 0.95), 56: ("0", 0.98), 120: ("7", 0.97)})
    assert split(STRIP, steps, probs, CHARS) == {0: ("12", 0.95), 1: ("0", 0.98), 2: ("7", 0.97)}


def test_a_repeated_digit_parted_by_a_blank_stays_two_and_one_run_is_one():
    steps, probs = ctc(
        160, {0: ("1", 0.99), 16: ("1", 0.99), 56: ("3", 0.99), 64: ("3", 0.99), 120: ("0", 0.99)}
    )
    assert split(STRIP, steps, probs, CHARS)[0] == ("11", 0.99)
    assert split(STRIP, steps, probs, CHARS)[1] == ("3", 0.99)  # one run of "3": CTC says one


def test_ink_decoded_in_a_gap_refuses_the_whole_strip():
    steps, probs = ctc(160, {8: ("1", 0.99), 40: ("5", 0.99), 56: ("0", 0.99), 120: ("7", 0.99)})
    assert split(STRIP, steps, probs, CHARS) == {0: None, 1: None, 2: None}
    # a space decoded in a gap is what a separator should be: no reason to refuse
    steps, probs = ctc(160, {8: ("1", 0.99), 40: (" ", 0.99), 56: ("0", 0.99), 120: ("7", 0.99)})
    assert split(STRIP, steps, probs, CHARS) == {0: ("1", 0.99), 1: ("0", 0.99), 2: ("7", 0.99)}


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ({}, "an inked cell that read as nothing (its digits may have gone to a neighbour)"),
        ({56: ("O", 0.99)}, "a look-alike letter"),
        ({56: ("-", 0.99), 64: ("5", 0.99)}, "a sign"),
        ({56: ("中", 0.99)}, "a label"),
        ({56: ("1", 0.99), 64: (" ", 0.99), 80: ("2", 0.99)}, "two numbers in one cell"),
        ({56: ("8", 0.99), 72: ("8", 0.2)}, "one digit of two with no confidence"),
        ({56: ("4", 0.89)}, "one doubtful digit"),
    ],
)
def test_a_cell_is_left_to_be_read_alone_unless_it_is_confident_digits(cell, why):
    steps, probs = ctc(160, {8: ("1", 0.99), 120: ("7", 0.99), **cell})
    got = split(STRIP, steps, probs, CHARS)
    assert got[1] is None, why
    assert got[0] == ("1", 0.99) and got[2] == ("7", 0.99)  # the neighbours are unaffected


@given(st.lists(st.integers(min_value=1, max_value=1500), max_size=60))
def test_layout_places_every_crop_once_in_order_apart_and_within_a_strip(widths):
    strips = layout(widths)
    placed = [p for s in strips for p in s]
    assert [p.index for p in placed] == list(range(len(widths)))
    for strip in strips:
        assert strip and strip[0].x0 == 0
        for a, b in itertools.pairwise(strip):
            assert b.x0 - a.x1 == GAP
        assert strip[-1].x1 <= STRIP_WIDTH or len(strip) == 1  # a crop wider than a strip: alone
    for p in placed:
        assert p.x1 - p.x0 == widths[p.index]


def test_a_number_is_short_and_low_a_label_is_wide_or_tall():
    line = 20.0
    assert number_like((0, 0, 30, 20), line)  # "120"
    assert not number_like((0, 0, 200, 20), line)  # a label's line
    assert not number_like((0, 0, 40, 24), line)  # two hanzi: taller than the page's digits


@pytest.fixture(scope="module")
def scanned_cells() -> tuple[list[np.ndarray], list[bool]]:
    """The line crops of the ruled cells of a dev report's table page scanned at 200 dpi, and
    whether each is number-like."""
    page = scanned_table_lines()
    return page.crops, [number_like(b, page.line) for b in page.boxes]


@pytest.mark.slow
def test_on_a_scanned_page_every_accepted_number_is_what_the_cell_reads_alone(scanned_cells):
    crops, numbers = scanned_cells
    chosen = [c for c, n in zip(crops, numbers, strict=True) if n]
    alone = recognise_crops(chosen)
    strips = read_strips(chosen)
    accepted = [(s, a) for s, a in zip(strips, alone, strict=True) if s is not None]
    assert len(chosen) >= 100 and len(accepted) >= 0.9 * len(chosen)
    assert [s[0] for s, _ in accepted] == [a[0] for _, a in accepted]
    assert min(s[1] for s, _ in accepted) >= ocr_strips.CONFIDENT


@pytest.mark.slow
def test_labels_in_a_strip_are_refused_and_their_neighbours_still_read(scanned_cells):
    crops, numbers = scanned_cells
    labels = [c for c, n in zip(crops, numbers, strict=True) if not n][:4]
    digits = [c for c, n in zip(crops, numbers, strict=True) if n][:8]
    mixed = [x for pair in zip(digits[::2], labels, digits[1::2], strict=True) for x in pair]
    got = read_strips(mixed)
    assert all(got[i] is None for i in range(1, len(mixed), 3))  # every label goes the old way
    alone = recognise_crops(mixed)
    assert all(g[0] == a[0] for g, a in zip(got, alone, strict=True) if g is not None)


@pytest.mark.slow
def test_a_digit_wiped_out_leaves_a_hole_and_the_cell_is_read_alone(scanned_cells):
    """README's scan example before the fix: the second 5 of 50154 wiped out, the strip closed
    the gap and read a confident "5014" (`read`); read alone, the gap splits the number and the
    cell is doubted (`ambiguous`)."""
    crops, numbers = scanned_cells
    chosen = [c for c, n in zip(crops, numbers, strict=True) if n]
    assert not any(ocr_strips.holed(c) for c in chosen)  # no printed number looks wiped
    wide = [c for c in chosen if ocr_strips.trimmed(c).shape[1] > 2.2 * c.shape[0]]  # 4+ digits
    assert wide
    blotted = []
    for crop in wide:
        crop = ocr_strips.trimmed(crop).copy()
        inked = np.flatnonzero((crop < ocr_strips.INK).any(axis=0))
        mid = (int(inked[0]) + int(inked[-1])) // 2
        digit = crop.shape[0] // 2  # a digit's width is about half the line's height
        crop[:, mid - digit // 2 : mid + digit // 2 + 1] = 255
        blotted.append(crop)
    assert all(ocr_strips.holed(c) for c in blotted)
    assert read_strips(blotted + chosen[:3])[: len(blotted)] == [None] * len(blotted)
