"""Given the label lines of a scanned page's ruled cells (crops, and the cell each lies in),
return each line's text from a cheaper reading where that reading names a template label — or
``None`` for each line to read alone as before (``ocr.recognise_crops``).

The readers only need a label cell to tell which template row it is (``readers/grid_tables``
matches its letters, numbering stripped, after t2s). So every label line is first recognised
narrowed to ``SQUEEZE`` of its width (``ocr_strips.read_narrow``: the recogniser's cost is
linear in its input columns). A cell keeps its narrow reading only when all of these hold,
otherwise every line of the cell is read alone:

- every line of the cell was read, each with a mean probability ≥ ``CONFIDENT``;
- each line's ink lies within ``REACH`` glyph widths of a decoded character (a glyph the narrow
  reading dropped — a digit printed after the label in the same cell — leaves ink further off);
- the cell's text has no digit once its numbering ("1.", "（二）") is stripped: a number in a
  label cell is a value glued to it, and it is read at full width;
- the cell's letter key (``label_key``) is exactly one of a template's row labels or column
  headers. A narrow misreading turns a label into letters no template has, so it is re-read; a
  template label printed differently (a report's own wording) is re-read too.

Measured on the dev corpus scanned at 200 dpi (717 label cells, 1,025 lines; benchmarks/
README.md § OCR "Labels read narrow"): at half width, 494 cells accepted, none with a key
different from its full-width reading; recognition of the label lines 7.75 s instead of 10.83 s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from xxgk.adapters.ocr_strips import Reading, read_narrow
from xxgk.adapters.pdf import normalise
from xxgk.adapters.raster import Array
from xxgk.templates import all_templates
from xxgk.text import letters, strip_numbering

SQUEEZE = 0.5  # width kept: 0.6 accepted more cells but cost more, 0.4 accepted fewer
CONFIDENT = 0.9  # = readers/ocr_doubts.THRESHOLD
# Ink of a read line lies within ~0.6 glyph of a decoded symbol's centre (dev scans, 200 dpi:
# 0.3–0.7 on the accepted lines); a dropped trailing digit leaves its ink ≥ ~1 glyph off.
REACH = 0.8


@cache
def template_keys() -> frozenset[str]:
    """Letter keys of the texts every template prints in its tables' cells: row labels (table
    4's too) and their parents, column headers and theirs, table 3's group headers ("（三）不予公开") and notes. Not table 2's
    captions: "第二十条第（六）项" and "第二十条第（八）项" differ by one numeral, and a narrow
    misreading of it would name another caption."""
    keys: set[str] = set()
    for template in all_templates():
        keys.update(k for _, _, ks in template.label_letters for k in ks)
        keys.update(template.header_letters)
        for table in template.tables:
            texts = [table.note or "", *(label for _, _, label in table.groups)]
            texts += [text for row in table.rows for text in (row.label, row.parent or "")]
            texts += [col.parent or "" for row in table.rows for col in row.columns]
            keys.update(letters(text) for text in texts)
    return frozenset(k for k in keys if k)


def label_key(text: str) -> str:
    """The letters a label cell is matched on: t2s, numbering stripped, CJK letters only."""
    return letters(strip_numbering(normalise(text)))


def names_template_label(texts: Sequence[str]) -> bool:
    """Whether a cell's lines, joined, are a template label with no number in it."""
    text = normalise("".join(texts))
    if any(ch.isdigit() for ch in strip_numbering(text)):
        return False
    return label_key(text) in template_keys()


def read_labels(crops: Sequence[Array], cells: Sequence[int]) -> list[Reading | None]:
    """Each label line's narrow reading where its cell's reading is accepted (module doc), else
    ``None``. ``cells[i]`` identifies the cell of line ``i`` (lines of one cell share it)."""
    narrow = read_narrow(crops, SQUEEZE)
    by_cell: dict[int, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        by_cell[cell].append(i)
    out: list[Reading | None] = [None] * len(crops)
    for lines in by_cell.values():
        got = [narrow[i] for i in lines]
        if any(g is None or g.score < CONFIDENT or g.reach > REACH for g in got):
            continue
        texts = [g.text for g in got if g is not None]
        if names_template_label(texts):
            for i, g in zip(lines, got, strict=True):
                assert g is not None
                out[i] = (g.text, g.score)
    return out
