"""Given a scanned page and its ruled cells, return each cell's text lines as ink boxes (pixels).

Inside a ruled table the rules already say where the text is: each cell's ink, found with numpy
once the rules are masked out, is what the text detector (DBNet, ~1 s of a 150 dpi page) would
have boxed. Those line boxes go straight to the recogniser; detection then runs only on the
page outside the tables (title, prose). See benchmarks/README.md § "OCR of scanned reports".

A cell's ink is its print less the rules at its border (``EDGE`` pixels in from each side): what
the rule finder took for a rule deeper inside a cell is a glyph's stroke (a stamped 量, the
bar of 申) and stays ink, and the crops are cut from the page as scanned, rules and all.
A cell's lines come from its horizontal ink profile: runs of inked rows, joined while the joined
run stays within one text line's height (so the two strokes of "二" stay one line, and two
lines of a label cell stay two). Specks smaller than ``MIN_SPECK`` pixels (scan noise, JPEG
artefacts, a stamp's faint residue) are no ink; anything larger is, so a faint or stamped digit
is always sent to the recogniser — a cell is empty only when no ink is left in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

import cv2
import numpy as np

from xxgk.adapters.raster import Array

INK = 160  # gray below this is print (a removed red stamp stays above ~220)
MIN_SPECK = 6  # pixels: a smaller connected blob is noise ("、" and "." at 150 dpi are larger)
RULE_PAD = 2  # pixels kept clear of a cell's rules on each side
EDGE = 5  # pixels in from a cell's border where a rule's pixels are the rule, not a glyph
LINE_SPAN = 1.35  # a joined run may be this many text-line heights tall and still be one line
DEFAULT_LINE = 18  # pixels: a 10.5 pt line at 150 dpi, when the page gives no better figure
# Lines of side-by-side cells closer than this many line heights are one line cut by a false
# rule (a hanzi's long vertical stroke, as in 制 or 性, survives the rule finder's opening):
# text of two real cells is at least both cells' padding apart (Word's 0.19 cm each side).
JOIN_GAP = 0.6

BLOCK_GAP = 40  # blank rows (pixels) that part two blocks of text outside the tables
BLOCK_MARGIN = 10  # white kept around a block for the detector

PixelBox = tuple[int, int, int, int]  # x0, top, x1, bottom (exclusive), pixels


def ink_mask(gray: Array) -> Array:
    """Print on the page (bool array of the page's shape), rules included."""
    out: Array = gray < INK
    return out


def cell_ink(ink: Array, rules: Array, cell: PixelBox) -> Array:
    """The ink inside one cell (``RULE_PAD`` in from its border): print less the rules' pixels
    near the border (``rules``: both rule masks in one) and less specks."""
    x0, top, x1, bottom = cell
    inner = ink[top + RULE_PAD : bottom - RULE_PAD, x0 + RULE_PAD : x1 - RULE_PAD].copy()
    if inner.size == 0 or not inner.any():
        return inner
    ruled = rules[top + RULE_PAD : bottom - RULE_PAD, x0 + RULE_PAD : x1 - RULE_PAD] > 0
    ruled[EDGE : max(EDGE, ruled.shape[0] - EDGE), EDGE : max(EDGE, ruled.shape[1] - EDGE)] = False
    inner &= ~ruled
    _, labels, stats, _ = cv2.connectedComponentsWithStats(inner.astype(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= MIN_SPECK
    keep[0] = False
    out: Array = keep[labels]
    return out


def _runs(rows: Array) -> list[tuple[int, int]]:
    """Runs of True in a 1-D bool array as (start, end) with end exclusive."""
    padded = np.concatenate(([False], rows, [False])).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(change[::2], change[1::2], strict=True)]


def _join(runs: list[tuple[int, int]], line: float) -> list[tuple[int, int]]:
    """Adjacent ink runs joined while the joined run is at most one text line tall."""
    out: list[tuple[int, int]] = []
    for start, end in runs:
        if out and end - out[-1][0] <= LINE_SPAN * line:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def line_height(ink: Array, rules: Array, cells: Sequence[PixelBox]) -> float:
    """The page's typical text line height: the median height of the cells' single ink runs."""
    heights = []
    for cell in cells:
        inner = cell_ink(ink, rules, cell)
        if inner.size == 0:
            continue
        runs = _runs(inner.any(axis=1))
        if len(runs) == 1 and runs[0][1] - runs[0][0] >= 6:
            heights.append(runs[0][1] - runs[0][0])
    return float(median(heights)) if heights else float(DEFAULT_LINE)


def cell_lines(ink: Array, rules: Array, cell: PixelBox, line: float) -> list[PixelBox]:
    """The text lines inked inside one ruled cell, top to bottom, as tight pixel boxes."""
    x0, top, _, _ = cell
    inner = cell_ink(ink, rules, cell)
    if inner.size == 0 or not inner.any():
        return []
    out = []
    for start, end in _join(_runs(inner.any(axis=1)), line):
        cols = np.flatnonzero(inner[start:end].any(axis=0))
        out.append(
            (
                x0 + RULE_PAD + int(cols[0]),
                top + RULE_PAD + start,
                x0 + RULE_PAD + int(cols[-1]) + 1,
                top + RULE_PAD + end,
            )
        )
    return out


def join_across_rules(lines: list[PixelBox], line: float, vertical: Array) -> list[PixelBox]:
    """Line boxes of side-by-side cells joined where they are one text line cut by a false rule:
    they share most of their height and, not counting the rule's own columns (``vertical``, the
    vertical rules' mask), the gap between their ink is under ``JOIN_GAP`` lines."""
    out: list[PixelBox] = []
    for box in sorted(lines, key=lambda b: (b[0], b[1])):
        for i, prev in enumerate(out):
            top, bottom = max(prev[1], box[1]), min(prev[3], box[3])
            if bottom - top < 0.5 * min(prev[3] - prev[1], box[3] - box[1]):
                continue
            left, right = (prev[2], box[0]) if prev[0] <= box[0] else (box[2], prev[0])
            if right <= left:
                continue
            ruled = int(vertical[top:bottom, left:right].any(axis=0).sum())
            if right - left - ruled < JOIN_GAP * line:
                out[i] = (
                    min(prev[0], box[0]),
                    min(prev[1], box[1]),
                    max(prev[2], box[2]),
                    max(prev[3], box[3]),
                )
                break
        else:
            out.append(box)
    return sorted(out, key=lambda b: (b[1], b[0]))


def line_crop(gray: Array, box: PixelBox) -> Array:
    """A line's pixels as scanned with a white margin around the glyphs, as the recogniser was
    trained on (a detector's box is wider than the ink)."""
    x0, top, x1, bottom = box
    margin = max(3, (bottom - top) // 4)
    crop = gray[max(0, top - 1) : bottom + 1, max(0, x0 - 1) : x1 + 1]
    out: Array = cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    return out


def ink_blocks(ink: Array, covered: Array) -> list[PixelBox]:
    """The inked blocks of the rows not ``covered`` (bool per row): runs of inked rows closer than
    ``BLOCK_GAP``, each cropped to its inked columns, with ``BLOCK_MARGIN`` of paper around."""
    rows = ink.any(axis=1) & ~covered
    height, width = ink.shape
    blocks: list[tuple[int, int]] = []
    for start, end in _runs(rows):
        if blocks and start - blocks[-1][1] < BLOCK_GAP and not covered[blocks[-1][1] : start].any():
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    out = []
    for start, end in blocks:
        cols = np.flatnonzero(ink[start:end].any(axis=0))
        out.append(
            (
                max(0, int(cols[0]) - BLOCK_MARGIN),
                max(0, start - BLOCK_MARGIN),
                min(width, int(cols[-1]) + 1 + BLOCK_MARGIN),
                min(height, end + BLOCK_MARGIN),
            )
        )
    return out


GLYPH_SIDE = 3  # pixels beside a vertical "rule" looked at for glyph ink attached to it
GLYPH_ROWS = 0.25  # share of its rows with ink beside it that makes a "rule" a glyph's stroke
RULE_END = 4  # pixels beyond a vertical rule's end within which a horizontal rule meets it
LONG_RULE = 3  # text lines: a vertical rule this long may overshoot the rule it meets by 1/8


def without_glyph_strokes(vertical: Array, horizontal: Array, ink: Array) -> Array:
    """The vertical rules' mask less the "rules" that are glyph strokes. A real rule of a table
    runs from one horizontal rule to another and has paper on both sides (the cells' padding)
    except where other rules cross it. A stroke of 1, 制 or 性 that survives the rule finder's
    opening has the rest of its glyph beside it, or ends in a cell's padding, clear of any
    horizontal rule at one end at least (a "1" blurred into the rule below it meets one at the
    other). Such a false rule would cut a cell through the glyph."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    strokes = np.zeros(count, dtype=bool)  # by component; cleared in one pass (a page has 100s)
    height, width = vertical.shape
    across = horizontal > 0
    crossed = across.any(axis=1)
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        rows = ~crossed[y : y + h]
        left = ink[y : y + h, max(0, x - GLYPH_SIDE) : x].any(axis=1)
        right = ink[y : y + h, x + w : min(width, x + w + GLYPH_SIDE)].any(axis=1)
        beside = rows.sum() and ((left | right) & rows).sum() > GLYPH_ROWS * rows.sum()
        # a long rule may overshoot the one it meets (scans); a row's height of "rule" may not
        inside = RULE_END if h < LONG_RULE * DEFAULT_LINE else max(RULE_END, h // 8)
        top = across[max(0, y - RULE_END) : y + inside, x : x + w].any()
        bottom = across[max(0, y + h - inside) : min(height, y + h + RULE_END), x : x + w].any()
        strokes[i] = bool(beside or not (top and bottom))
    out: Array = np.where(strokes[labels], 0, vertical).astype(vertical.dtype)
    return out
