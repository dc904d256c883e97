"""Given the one-line crops of a table's value cells, return their numbers from few recogniser
runs — or ``None`` for each cell that must be read alone.

A value cell's number ("0", "12") is a short crop; recognised alone it is padded to the
recogniser's minimum of 96 input columns to stay confident (``ocr.ENGINE_PARAMS``), and the
recogniser's cost is linear in its input columns (≈55 µs each with int8; benchmarks/README.md
§ "OCR of scanned reports"). Here the crops are trimmed to their ink, given some white above and
below (``PAPER``), scaled to the recogniser's 48 px height and pasted side by side into strips
of ``STRIP_WIDTH`` columns, ``GAP`` columns of the recogniser's own padding value (gray, 0.0
once normalised) between them; a strip is one recogniser input.

Splitting back does not trust the recogniser to emit a separator: CTC decodes one symbol per
``STEP`` input columns, so each decoded character has a position, and it belongs to the crop
whose columns hold that position. A cell's reading is accepted only when all of these hold,
otherwise the cell is returned as ``None`` and read alone as before (``ocr.recognise_crops``):

- no character of its strip fell in a gap (the split would be unsure: the whole strip is
  refused);
- the cell got at least one character (its ink was printed: an inked cell read as nothing could
  be two cells' digits merged by CTC);
- its ink has no blank run inside it as wide as a digit (``holed``: a digit's place left empty
  is closed up by CTC in a strip, and the number read confidently one digit short);
- its text is ASCII digits only (a label, a sign, a space or a look-alike letter goes the old
  way, where ``scan.digits_of`` and the doubts handle it);
- every one of its characters has a probability ≥ ``CONFIDENT`` (the doubt threshold of
  ``readers/ocr_doubts.py``): a doubtful reading gets the solo reading's second opinion.

An accepted cell's confidence is its lowest character's probability (a solo reading carries
rapidocr's mean over its characters). A strip can be surer of a digit than the solo reading
was: on the dev scans 4 lone "0"s read < 0.9 alone and ≥ 0.9 in a strip, the same "0" each.

Measured on the dev corpus scanned at 200 dpi (1,494 number-like lines): gray gaps of 16
columns accept 95 % of them, none differing from its solo reading; white gaps, or gaps of 4, 8
or 12 columns, turned a lone "0" into a doubtful "0" or "O" (accepted 18–65 %). On the numbers
the strips are 1.6× cheaper than solo recognition (benchmarks/README.md § "Numbers in strips").

``read_narrow`` is the label cells' first reading (``ocr_labels``): each crop alone, at a
fraction of its width. Labels are not put in strips: a label line is already ~180 input columns,
so the gaps cost more than the padding they save, and a wide input costs more per column.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import cv2
import numpy as np

from xxgk.adapters import ocr
from xxgk.adapters.raster import Array

HEIGHT = 48  # the recogniser's fixed input height
STEP = 8  # input columns per CTC time step of the PP-OCR recogniser (T = W / 8)
GAP = 16  # columns of padding value between two crops (see module doc: 8 and 24 read worse)
STRIP_WIDTH = 1024  # columns of one strip; strips of one width batch without padding waste
BATCH = 8  # strips per recogniser run
NARROW_BATCH = 6  # crops per recogniser run in ``read_narrow`` (rapidocr's own batch size)
CONFIDENT = 0.9  # = readers/ocr_doubts.THRESHOLD: below it a digit is doubtful
PAD = 0.0  # the recogniser's padding value (normalised gray), what a solo crop is padded with
# A crop is worth a place in a strip when it could be a number: at most this many text-line
# heights wide (an 8-digit number is ~4) and at most this tall (digits are shorter than hanzi;
# measured on the dev scans: every number line ≤ 1.05 lines, most labels taller).
NUMBER_WIDTH = 4.0
# A crop's white columns left and right are cut to SIDE pixels (the gaps part the crops): with 3,
# 1,407 of the 1,497 number-like crops of the dev scans were accepted, 1,354 untrimmed, 1,254
# with 1, and the strips were ~10 % narrower.
SIDE = 3
INK = 160  # gray below this is print (= cell_ink.INK)
# The crop's height is made PAPER times taller with white above and below before it is scaled
# to 48 px: the digits come out smaller, so fewer input columns. Dev scans at 200 dpi, 1,494
# number-like lines: 1.0 → 80,491 columns, 1,411 accepted; 1.3 → 68,795 columns (strips 25 %
# faster), 1,412 accepted; 1.5 → 1,213 accepted; 2.0 → 910. None accepted differed from solo.
PAPER = 1.3
NUMBER_HEIGHT = 1.06
# A blank run inside a number's ink at least this many ink heights wide is a digit's place left
# empty (a blot of correction fluid, a dropout of the scan): a wiped digit leaves its advance
# (~0.8 of the digits' height) and more; printed digits are at most 0.4 apart, between two "1"s
# (the dev scans at 200 dpi: 184 number lines, widest inner blank 6 px for digits 15 px high).
# Such a crop is read alone, where the gap splits it and the cell is doubted; in a strip CTC
# closes the gap and read "50154" less its second 5 as a confident "5014" (README's example).
HOLE = 0.6

Reading = tuple[str, float]
Decoded = dict[int, list[tuple[str, float]]]  # crop index → its characters and probabilities


class Narrow(NamedTuple):
    """A crop read narrowed (``read_narrow``): text, mean probability, ink reach (glyphs)."""

    text: str
    score: float
    reach: float


@dataclass(frozen=True)
class Placed:
    """One crop in a strip: its index in the input and its columns [x0, x1)."""

    index: int
    x0: int
    x1: int


def number_like(box: tuple[int, int, int, int], line: float) -> bool:
    """Whether a cell's line box (pixels) is shaped like a number of the page's text height."""
    x0, top, x1, bottom = box
    return (x1 - x0) <= NUMBER_WIDTH * line and (bottom - top) <= NUMBER_HEIGHT * line


def trimmed(crop: Array) -> Array:
    """The crop less its white columns left and right but ``SIDE`` (the gaps part the crops)."""
    inked = np.flatnonzero((crop < INK).any(axis=0))
    if not len(inked):
        return crop
    out: Array = crop[:, max(0, int(inked[0]) - SIDE) : int(inked[-1]) + 1 + SIDE]
    return out


def holed(crop: Array) -> bool:
    """Whether the crop's ink has a blank run inside it as wide as a missing digit (``HOLE``)."""
    ink = crop < INK
    cols = np.flatnonzero(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    if len(cols) < 2:
        return False
    height = int(rows[-1]) - int(rows[0]) + 1
    return bool((np.diff(cols) - 1).max() >= HOLE * height)


def scaled(crop: Array, paper: float = PAPER) -> Array:
    """A grayscale crop at the recogniser's height, normalised as rapidocr does (−1 … 1)."""
    crop = trimmed(crop)
    extra = round(crop.shape[0] * (paper - 1) / 2)
    crop = cv2.copyMakeBorder(crop, extra, extra, 0, 0, cv2.BORDER_CONSTANT, value=255)
    width = max(1, math.ceil(HEIGHT * crop.shape[1] / crop.shape[0]))
    out: Array = cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_AREA).astype(np.float32)
    return out / 127.5 - 1.0


def layout(widths: Sequence[int]) -> list[list[Placed]]:
    """The crops (by width) packed in order into strips of at most ``STRIP_WIDTH`` columns."""
    strips: list[list[Placed]] = []
    x = 0
    for i, w in enumerate(widths):
        if not strips or (strips[-1] and x + w > STRIP_WIDTH):
            strips.append([])
            x = 0
        strips[-1].append(Placed(i, x, x + w))
        x += w + GAP
    return strips


def decode(strip: list[Placed], steps: Array, probs: Array, characters: Sequence[str]) -> Decoded | None:
    """One strip's CTC output (argmax symbol and its probability per time step) → each crop's
    characters with their probabilities, or ``None`` when ink was decoded in a gap (the split
    would be unsure: the whole strip is refused)."""
    keep = np.ones(len(steps), dtype=bool)
    keep[1:] = steps[1:] != steps[:-1]
    keep &= steps != 0  # CTC blank
    got: Decoded = {p.index: [] for p in strip}
    for t in np.flatnonzero(keep):
        ch = characters[int(steps[t])]
        centre = STEP * int(t) + STEP // 2
        owner = next((p.index for p in strip if p.x0 <= centre < p.x1), None)
        if owner is None:
            if ch.strip():
                return None  # ink decoded between two crops
            continue
        got[owner].append((ch, float(probs[t])))
    return got


def split(
    strip: list[Placed], steps: Array, probs: Array, characters: Sequence[str]
) -> dict[int, Reading | None]:
    """One strip's CTC output → the number of each of its crops, or ``None`` where it is not
    accepted (module doc)."""
    got = decode(strip, steps, probs, characters)
    if got is None:
        return {p.index: None for p in strip}
    return {index: number_reading(chars) for index, chars in got.items()}


def number_reading(chars: Sequence[tuple[str, float]]) -> Reading | None:
    """A crop's decoded characters as an accepted number: ASCII digits, each confident."""
    text = "".join(ch for ch, _ in chars)
    low = min((p for _, p in chars), default=0.0)
    ok = text.isascii() and text.isdigit() and low >= CONFIDENT
    return (text, round(low, 5)) if ok else None


def run_strips(images: dict[int, Array], count: int) -> list[list[tuple[str, float]] | None]:
    """Scaled crops (by index) packed into strips and recognised: per index below ``count``, its
    decoded characters, or ``None`` when it was not in ``images`` or its strip was refused."""
    order = list(images)
    strips = [
        [replace(p, index=order[p.index]) for p in s] for s in layout([images[i].shape[1] for i in order])
    ]
    out: list[list[tuple[str, float]] | None] = [None] * count
    if not strips:
        return out
    session, characters = ocr.rec_session()
    width = -(-max(p.x1 for s in strips for p in s) // STEP) * STEP
    for start in range(0, len(strips), BATCH):
        group = strips[start : start + BATCH]
        batch = np.full((len(group), 3, HEIGHT, width), PAD, dtype=np.float32)
        for k, strip in enumerate(group):
            for p in strip:
                batch[k, :, :, p.x0 : p.x1] = images[p.index]
        preds = session(batch)
        for k, strip in enumerate(group):
            got = decode(strip, preds[k].argmax(axis=1), preds[k].max(axis=1), characters)
            for p in strip:
                out[p.index] = None if got is None else got[p.index]
    return out


def read_strips(crops: Sequence[Array]) -> list[Reading | None]:
    """Each crop's number read from strips of crops, or ``None`` to read it alone."""
    images = {i: scaled(c) for i, c in enumerate(crops) if not holed(c)}
    return [None if chars is None else number_reading(chars) for chars in run_strips(images, len(crops))]


def read_narrow(crops: Sequence[Array], squeeze: float) -> list[Narrow | None]:
    """Each crop recognised with its width scaled by ``squeeze`` (a hanzi read narrower costs
    fewer input columns), crops of similar width batched without rapidocr's 96-column minimum:
    its text, the mean probability of its characters (rapidocr's score) and its ``reach``, or
    ``None`` when nothing was read or ink was decoded in the batch's padding. Whether a reading
    is good enough is the caller's to decide (``ocr_labels``)."""
    images = []
    for crop in crops:
        image = scaled(crop, paper=1.0)
        width = max(STEP, round(image.shape[1] * squeeze))
        images.append(cv2.resize(image, (width, HEIGHT), interpolation=cv2.INTER_AREA))
    out: list[Narrow | None] = [None] * len(crops)
    if not images:
        return out
    session, characters = ocr.rec_session()
    order = sorted(range(len(images)), key=lambda i: images[i].shape[1])
    for start in range(0, len(order), NARROW_BATCH):
        group = order[start : start + NARROW_BATCH]
        width = -(-images[group[-1]].shape[1] // STEP) * STEP
        batch = np.full((len(group), 3, HEIGHT, width), PAD, dtype=np.float32)
        for k, i in enumerate(group):
            batch[k, :, :, : images[i].shape[1]] = images[i]
        preds = session(batch)
        for k, i in enumerate(group):
            steps = preds[k].argmax(axis=1)
            got = decode([Placed(i, 0, images[i].shape[1])], steps, preds[k].max(axis=1), characters)
            chars = [] if got is None else got[i]
            text = "".join(ch for ch, _ in chars).strip()
            if text:
                score = sum(p for _, p in chars) / len(chars)
                out[i] = Narrow(text, round(score, 5), reach(images[i], steps, HEIGHT * squeeze))
    return out


def reach(image: Array, steps: Array, glyph: float) -> float:
    """How far the crop's ink reaches from the characters decoded: the largest distance from an
    inked column to the nearest decoded symbol's centre, in glyph widths (``glyph`` columns). A
    glyph the recogniser dropped (a digit after a label) leaves ink about a glyph from any
    symbol; ink that was read lies within about half a glyph."""
    inked = np.flatnonzero((image < INK / 127.5 - 1.0).any(axis=0))
    symbols = np.flatnonzero(steps != 0) * STEP + STEP // 2
    if not len(inked) or not len(symbols):
        return math.inf
    return float(np.abs(inked[:, None] - symbols[None, :]).min(axis=1).max() / glyph)
