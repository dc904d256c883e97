"""Scanned pages → the PDF adapter's own inputs: characters with boxes, rules, then grids.

Given page images (a PNG/JPEG/TIFF, or the text-less pages of a PDF), return what a PDF page
with a text layer gives: per page its characters (text, box in PDF points) and its ruling lines,
so the same table rebuilders read them — pdfplumber's lattice on the rules detected in the image
(``raster.ruling_edges``), else the borderless rebuilder on word positions
(``adapters/pdfwords.py``) — and tables continued over a page break are joined the same way.

OCR gives one box per text line, not per character: the box is shared out over its characters
in proportion to their width (a hanzi is two digits wide), which is all the cell assignment
needs, since cells are found by each character's centre. A space inside a box becomes a gap,
so "0 0 0" in a borderless row stays three words.

Every table cell keeps the recogniser's confidence (the lowest of its characters) in
``Document.readings`` under its (page, box); ``readers/ocr_doubts.py`` turns doubtful digit
strings into ``ambiguous`` cells with candidates once the table's arithmetic is known.
Letters that OCR confuses with digits inside a number ("l0" → "10", "O" → "0") are read as the
digits, with the cell's confidence lowered below the doubt threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from xxgk.adapters import register
from xxgk.adapters.base import AdapterError, Document, Grid, GridCell
from xxgk.adapters.cell_ink import (
    cell_lines,
    ink_blocks,
    ink_mask,
    join_across_rules,
    line_crop,
    line_height,
    without_glyph_strokes,
)
from xxgk.adapters.ocr import Box, recognise, recognise_crops, recognise_line
from xxgk.adapters.ocr_labels import read_labels
from xxgk.adapters.ocr_strips import number_like, read_strips
from xxgk.adapters.pdf import PageTable, normalise, region_text, ruled_tables, stitch
from xxgk.adapters.pdfpage import chars_to_words, find_ruled_tables
from xxgk.adapters.pdfwords import find_tables
from xxgk.adapters.raster import (
    POINTS_PER_INCH,
    WORK_DPI,
    PageImage,
    decode_images,
    prepare,
    rule_masks,
    ruling_edges,
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
MAX_OCR_PAGES = 60  # scanned pages read from one file (an annual report has 5-20)
DOUBTED = 0.5  # confidence given to a number that had a look-alike letter in it
LETTER_DIGITS = str.maketrans(
    {"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "D": "0", "B": "8", "S": "5"}
)
_NUMBERISH = re.compile(r"^[+\-]?[\dlI|OoDBS][\dlI|OoDBS,.]*$")
# A number with one stray glyph glued to it ("日7615": stamp residue or noise the detector put in
# the number's box). Read as a label, the value cell would count as blank: a silent wrong number.
_GLUED = re.compile(r"^(?:(?P<before>\w)(?P<n1>[+\-]?\d[\d,.]*)|(?P<n2>[+\-]?\d[\d,.]*)(?P<after>\w))$")
# Ruled tables' cells read from their ink, detection only outside them (see ``read_page``): the
# default since the rule finder drops glyph strokes (``without_glyph_strokes``). With the int8
# recogniser, 200 dpi: 0.47 pages/s/core against 0.26 for whole-page detection (fp32) in the same
# run, every cell of the benchmark set right, where whole-page detection read one generated
# report's rows a column off (benchmarks/README.md § OCR). Pages without a ruled report table
# still go to the text detector whole. False: the text detector on the whole page (the baseline).
CELLS_FROM_RULES = True
# Value cells' numbers read many to one recogniser input (``adapters/ocr_strips.py``), each
# accepted reading confident digits at its own place in the strip, every other cell read alone.
# False: every cell's line read alone (the benchmark's baseline).
NUMBER_STRIPS = True
# Label cells read narrowed first, a cell's reading kept only where it names a template label
# (``adapters/ocr_labels.py``), every other cell read alone. False: every label line read alone.
LABELS_NARROW = True
MIN_TABLE_CELLS = 4
BLOCK_RATIO = 6  # a block of text outside the tables is given to the detector at most this wide:high
NOT_STRAY = frozenset("件元个项万年")  # a unit or 年 printed with a number is not a stray glyph
Char = dict[str, Any]
Readings = dict[tuple[int, tuple[float, float, float, float]], tuple[str, float]]


@dataclass
class ScannedPage:
    """One OCR'd page: its number, characters (points), ruled or loose tables, and its text."""

    number: int
    chars: list[Char]
    tables: list[PageTable]
    text: str
    height: float
    unreadable: list[tuple[float, float, float, float]] = field(default_factory=list)  # inked, unread


def digits_of(text: str) -> tuple[str, bool]:
    """A box's text with look-alike letters in a number read as digits, and whether any were."""
    t = unicodedata.normalize("NFKC", text).strip()
    if (_NUMBERISH.match(t) and any(ch.isdigit() for ch in t)) or t in ("O", "o", "l", "I"):
        fixed = t.translate(LETTER_DIGITS)
        return fixed, fixed != t
    return text, False


def box_chars(box: Box, scale: float) -> list[Char]:
    """One OCR box as characters in PDF points, its width shared out by character width."""
    text, doubted = digits_of(box.text)
    score = min(box.score, DOUBTED) if doubted else box.score
    weights = [2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text]
    total = sum(weights) or 1.0
    x = box.x0
    unit = (box.x1 - box.x0) / total
    top, bottom = box.top * scale, box.bottom * scale
    size = bottom - top
    out: list[Char] = []
    for ch, w in zip(text, weights, strict=True):
        x1 = x + unit * w
        if not ch.isspace():
            out.append(
                {
                    "text": ch,
                    "x0": x * scale,
                    "x1": x1 * scale,
                    "top": top,
                    "bottom": bottom,
                    "size": size,
                    "score": score,
                }
            )
        x = x1
    return out


def page_text(boxes: Sequence[Box]) -> str:
    """The page's text, line by line: boxes whose vertical centres are close share a line."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        mid = (box.top + box.bottom) / 2
        if lines:
            last = lines[-1][0]
            if abs(mid - (last.top + last.bottom) / 2) <= (last.bottom - last.top) * 0.5:
                lines[-1].append(box)
                continue
        lines.append([box])
    return "\n".join(" ".join(b.text for b in sorted(line, key=lambda b: b.x0)) for line in lines)


def table_line_boxes(
    image: PageImage, rules: tuple[Any, Any], ink: Any, tables: list[list[Any]]
) -> list[Box]:
    """The text lines of every ruled cell, found from the cell's ink and recognised as crops."""
    px = [[tuple(round(v / image.scale) for v in cell) for cell in table] for table in tables]
    ruled = rules[0] | rules[1]
    line = line_height(ink, ruled, [cell for table in px for cell in table])
    lines = [
        box
        for table in px
        for box in join_across_rules(
            [box for cell in table for box in cell_lines(ink, ruled, cell, line)], line, rules[1]
        )
    ]
    crops = [line_crop(image.gray, box) for box in lines]
    read: list[tuple[str, float] | None] = [None] * len(lines)
    if NUMBER_STRIPS:
        numbers = [i for i, box in enumerate(lines) if number_like(box, line)]
        for i, reading in zip(numbers, read_strips([crops[i] for i in numbers]), strict=True):
            read[i] = reading
    if LABELS_NARROW:
        rest = [i for i, r in enumerate(read) if r is None]
        cells = [cell for table in px for cell in table]
        for i, reading in zip(
            rest, read_labels([crops[i] for i in rest], [cell_of(lines[i], cells) for i in rest]), strict=True
        ):
            read[i] = reading
    alone = [i for i, r in enumerate(read) if r is None]
    for i, reading in zip(alone, recognise_crops([crops[i] for i in alone]), strict=True):
        read[i] = reading
    return [
        Box(text, x0, top, x1, bottom, score)
        for (x0, top, x1, bottom), (text, score) in zip(lines, (r or ("", 0.0) for r in read), strict=True)
        if text
    ]


def cell_of(box: tuple[int, int, int, int], cells: Sequence[tuple[int, ...]]) -> int:
    """The index of the cell holding a line's left end (its first glyph), or a number of its own
    (−1 − its left edge's position) when none does."""
    x, y = box[0] + 1, (box[1] + box[3]) // 2
    return next(
        (k for k, c in enumerate(cells) if c[0] <= x < c[2] and c[1] <= y < c[3]),
        -1 - box[0] - 100_000 * box[1],
    )


def report_table(cells: list[Any], image: PageImage) -> bool:
    """Whether rules found on the page frame a report's table, whose cells may be read from their
    ink: a few cells across a third of the page at least. A bold title's glyphs (国 is a box)
    also leave "rules"; such a speck of a table is left to the text detector."""
    width = (max(c[2] for c in cells) - min(c[0] for c in cells)) / image.scale
    return len(cells) >= MIN_TABLE_CELLS and width >= image.gray.shape[1] / 3


def band_boxes(image: PageImage, ink: Any, tables: list[list[Any]]) -> list[Box]:
    """Text boxes of the page outside its ruled tables: detection runs on the inked blocks of
    the rows no table covers (title, prose, notes), never on the tables or the blank paper
    (its cost grows with the area it is given)."""
    covered = np.zeros(image.gray.shape[0], dtype=bool)
    for t in tables:
        covered[
            max(0, int(min(c[1] for c in t) / image.scale) - 1) : int(max(c[3] for c in t) / image.scale) + 2
        ] = True
    out: list[Box] = []
    for x0, top, x1, bottom in ink_blocks(ink, covered):
        block = image.gray[top:bottom, x0:x1]
        # white paper below a wide block: rapidocr pads a line wider than 8:1 itself, and boxes it
        # found on such a page came back displaced (a title read twice, once garbled)
        short = (x1 - x0) // BLOCK_RATIO - (bottom - top)
        if short > 0:
            block = cv2.copyMakeBorder(block, 0, short, 0, 0, cv2.BORDER_CONSTANT, value=255)
        found = recognise(block)
        out += [Box(b.text, b.x0 + x0, b.top + top, b.x1 + x0, b.bottom + top, b.score) for b in found]
    return out


def read_page(image: PageImage, number: int) -> ScannedPage:
    """OCR one prepared page and lay out its tables (ruled first, else borderless).

    Ruled tables are found from the page's rules before any OCR: their cells' lines are read as
    crops (``table_line_boxes``) and detection runs only on the rest of the page."""
    rules = rule_masks(image.gray)
    if CELLS_FROM_RULES:
        ink = ink_mask(image.gray)
        rules = (rules[0], without_glyph_strokes(rules[1], rules[0], ink))
    edges = ruling_edges(image, rules)
    found = [t for t in find_ruled_tables(edges) if report_table(t, image)] if CELLS_FROM_RULES else []
    if found:
        boxes = table_line_boxes(image, rules, ink, found) + band_boxes(image, ink, found)
    else:
        boxes = recognise(image.gray)
    scale = image.scale
    chars = [ch for box in boxes for ch in box_chars(box, scale)]
    tables = ruled_tables(edges, chars, number)
    unreadable: list[tuple[float, float, float, float]] = []
    for table in tables:
        for cell in {id(c): c for row in table.grid.rows for c in row if c is not None}.values():
            if not cell.text and cell.position.bbox is not None:
                _read_missed_cell(image, cell, chars, unreadable)
            elif cell.position.bbox is not None:
                unglue_stray_glyph(cell, chars)
                if garbled_number(cell.text):
                    cell.text = ""  # not a number, not a label: ambiguous, never a blank
                    unreadable.append(cell.position.bbox)
    if not tables:
        for loose in find_tables(chars_to_words(chars), number):
            grid = loose.grid(normalise=normalise)
            tables.append(PageTable(number, loose.bbox, list(loose.layout.value_edges), grid, loose=loose))
    height = image.gray.shape[0] * scale
    return ScannedPage(number, chars, tables, page_text(boxes), height, unreadable)


INK_LEVEL = 110  # gray below this is print (a faded stamp's residue is lighter)
MIN_INK = 0.012  # share of a cell's inner area that is ink before it may hold a number


def _read_missed_cell(image: PageImage, cell: GridCell, chars: list[Char], unreadable: list[Any]) -> None:
    """An empty ruled cell is blank only if it is blank on the page: a cell with ink where the
    detector found no text (a number under a stamp, a faint digit) is recognised on its own;
    if that gives nothing, the cell is recorded as unreadable (its reading becomes ambiguous)."""
    assert cell.position.bbox is not None
    x0, top, x1, bottom = (v / image.scale for v in cell.position.bbox)
    pad = 3  # keep the rules out
    crop = image.gray[int(top) + pad : int(bottom) - pad, int(x0) + pad : int(x1) - pad]
    if crop.size == 0 or (crop < INK_LEVEL).mean() < MIN_INK:
        return
    text, score = recognise_line(crop)
    text, doubted = digits_of(text)
    if not text or not text[0].isalnum():
        unreadable.append(cell.position.bbox)
        return
    box = Box(text, x0 + pad, top + pad, x1 - pad, bottom - pad, min(score, DOUBTED) if doubted else score)
    chars.extend(box_chars(box, image.scale))
    cell.text = normalise(text)


_CLEAN_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(\.\d+)?$")


def garbled_number(text: str) -> bool:
    """Digits mixed with marks that make no number and no label ("501⁻4": a blot read as a
    superscript minus). The readers would take it for a label and the value cell for blank."""
    t = unicodedata.normalize("NFKC", text).replace(" ", "")
    if not any(ch.isdigit() for ch in t) or _CLEAN_NUMBER.match(t):
        return False
    return not any(unicodedata.category(ch) == "Lo" for ch in t)  # a label has hanzi


def unglue_stray_glyph(cell: GridCell, chars: list[Char]) -> None:
    """A cell reading "日7615" is the number with a stray glyph: read as 7615, doubted, so that
    ``ocr_doubts`` makes it ``ambiguous`` (or settles it by the table's arithmetic)."""
    m = _GLUED.match(cell.text.strip())
    if m is None:
        return
    stray, number = (m["before"], m["n1"]) if m["before"] else (m["after"], m["n2"])
    if stray.isdigit() or stray in NOT_STRAY:
        return
    assert cell.position.bbox is not None
    x0, top, x1, bottom = cell.position.bbox
    for ch in chars:
        if (
            x0 - 1 <= (ch["x0"] + ch["x1"]) / 2 <= x1 + 1
            and top - 1 <= (ch["top"] + ch["bottom"]) / 2 <= bottom + 1
        ):
            ch["score"] = min(ch["score"], DOUBTED)
    cell.text = number


def page_tables(pages: Sequence[ScannedPage]) -> list[tuple[PageTable, str, str]]:
    """Each page's tables with the text below and above them (what continuation needs)."""
    out = []
    for page in pages:
        for t in page.tables:
            below = region_text(page.chars, t.bbox[3] + 1, page.height)
            above = region_text(page.chars, 0, t.bbox[1] - 1)
            out.append((t, below, above))
    return out


def cell_readings(grids: Sequence[Grid], pages: Sequence[ScannedPage]) -> Readings:
    """Confidence of every non-empty table cell: the lowest of the characters inside its box."""
    by_page = {p.number: p.chars for p in pages}
    out: Readings = {}
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                if cell is None or not cell.text or cell.position.bbox is None or cell.position.page is None:
                    continue
                key = (cell.position.page, cell.position.bbox)
                if key in out:
                    continue
                x0, top, x1, bottom = cell.position.bbox
                scores = [
                    ch["score"]
                    for ch in by_page.get(cell.position.page, ())
                    if x0 - 1 <= (ch["x0"] + ch["x1"]) / 2 <= x1 + 1
                    and top - 1 <= (ch["top"] + ch["bottom"]) / 2 <= bottom + 1
                ]
                if scores:
                    out[key] = (cell.text, round(min(scores), 4))
    for page in pages:
        for bbox in page.unreadable:
            out[(page.number, bbox)] = ("", 0.0)
    return out


@dataclass
class ScannedPages:
    """The OCR'd pages of one document, in the shapes the PDF adapter merges with its own."""

    pages: list[ScannedPage]

    @classmethod
    def of_pdf(cls, pdf: Any, numbers: Sequence[int]) -> ScannedPages:
        """Render the 1-based ``numbers`` pages of an open pypdfium2 document and OCR them."""
        if len(numbers) > MAX_OCR_PAGES:  # seconds of CPU each: a 2,000-page scan is no report
            raise AdapterError(f"refused: {len(numbers)} scanned pages to OCR (limit {MAX_OCR_PAGES})")
        pages = []
        for number in numbers:
            page = pdf[number - 1]
            try:
                bitmap = page.render(scale=WORK_DPI / POINTS_PER_INCH)
                rgb = bitmap.to_numpy()
            finally:
                page.close()
            pages.append(read_page(prepare(rgb, WORK_DPI), number))
        return cls(pages)

    @property
    def tables(self) -> list[tuple[PageTable, str, str]]:
        return page_tables(self.pages)

    @property
    def texts(self) -> dict[int, str]:
        return {p.number: p.text for p in self.pages}

    @property
    def warnings(self) -> list[str]:
        numbers = ", ".join(str(p.number) for p in self.pages)
        return [f"pages {numbers} read by OCR (rapidocr): each cell's provenance has its confidence"]

    def readings(self, grids: Sequence[Grid]) -> Readings:
        return cell_readings(grids, self.pages)


def scanned_document(pages: Sequence[ScannedPage], source: str, kind: str) -> Document:
    """OCR'd pages → a Document (text, grids stitched across pages, per-cell confidence)."""
    scanned = ScannedPages(list(pages))
    grids = stitch(scanned.tables)
    text = "\n".join(normalise(p.text) for p in pages)
    return Document(
        source=source,
        kind=kind,
        text=text,
        grids=grids,
        meta={"pages": str(len(pages)), "tables": str(len(grids))},
        warnings=scanned.warnings,
        readings=scanned.readings(grids),
    )


def read_image(data: bytes, source: str) -> Document:
    """A PNG/JPEG/TIFF (multi-page TIFF: one page per frame) as a Document, by OCR."""
    decoded = decode_images(data)
    if len(decoded) > MAX_OCR_PAGES:
        raise AdapterError(f"refused: {len(decoded)} scanned pages to OCR (limit {MAX_OCR_PAGES})")
    pages = [read_page(prepare(rgb, dpi), n) for n, (rgb, dpi) in enumerate(decoded, start=1)]
    if not any(p.chars for p in pages):
        raise AdapterError("no text found in the image (blank page, or not a scanned document)")
    return scanned_document(pages, source, "image")


register(IMAGE_SUFFIXES, read_image)
