"""Table 3 when its labels are detached from its value rows (PDF→markdown, dev 103).

A PDF table extractor keeps table 3's value rows in template order but lets labels drift: some
ride with their values (``| 1.属于国家秘密 | 0 | … |``, a *pinned* row), the others come out as
loose text lines somewhere near, while their values stand alone (``| 0 | 0 | … |``, a
*floating* row). Reading by label then gives a row the next row's numbers, read "exact". So,
when reading by label left a table 3 row inexact and the table has floating rows
(readers/__init__.py decides), the rows between two pinned rows take the floating rows between
them:

* as many floating rows as template rows: in order (a PDF table keeps its row order);
* otherwise, when every floating row directly follows its own label (values merely printed
  under their labels), by label: a row whose label is absent is missing, not shifted;
* otherwise a value row was lost, split or repeated, and which row is which cannot be told:
  those rows are left ambiguous with the values the nearby value rows give them — never a
  guess (issue 3: a wrong number is worse than an ambiguous one).

Pins are doubted too: two labelled lines out of template order (swapped lines, or a label
matched amiss) are both ambiguous, and so are two adjacent pins with a floating row between
them. Only the part of table 3 where something is off is left open; the rest holds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from xxgk.adapters.base import Position
from xxgk.readers.anchors import CJK, Anchor
from xxgk.readers.rows import Tok, blank_tok, parse_number
from xxgk.templates import Template

_MD_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")
_WORD = re.compile(r"\S+")


@dataclass
class Unsure:
    """Template rows between two pinned rows whose floating rows do not match them one to one."""

    keys: list[str]  # the template rows, in order
    value_rows: list[list[Tok]]  # the floating rows found between the pins, in order
    any_order: bool = False  # rows whose labelled lines came out of order: any row, any value row

    def choices(self, position: int) -> list[list[Tok]]:
        """The value rows the row at ``position`` may hold, keeping the order: with rows lost,
        one of the same or an earlier value row; with rows repeated, the same or a later one."""
        if self.any_order:
            return self.value_rows
        g, m = len(self.keys), len(self.value_rows)
        lost, extra = max(0, g - m), max(0, m - g)
        return self.value_rows[max(0, position - lost) : min(m, position + extra + 1)]


@dataclass
class Detached:
    """How table 3's rows take the value rows of a page whose labels are detached."""

    rows: dict[str, list[Tok]] = field(default_factory=dict)  # row key → its value cells
    unsure: list[Unsure] = field(default_factory=list)
    floating: frozenset[int] = frozenset()  # text offsets of the floating rows' cells

    def own_numbers(self, label_tokens: list[Tok]) -> list[str]:
        """The numbers a row's label had on its own lines: not in a floating row. A drifted
        label took its numbers from floating rows, or none."""
        return [t.text for t in label_tokens if not t.blank and t.pos.offset not in self.floating]


def read_detached(
    text: str, span: tuple[int, int], anchors: list[Anchor], template: Template
) -> Detached | None:
    """Table 3 read as pinned and floating rows, or None when it has no floating row (the
    labels are where the values are: the usual layouts, read by label).

    A floating row holds values only — no text cell: a sub-row ("其中：…") or a row whose label
    the template does not know is not a value row that lost its label. A line is a pinned row
    when a label starts or ends on it (a label wrapped around its values, pdftotext); a value
    row printed between the lines of a wrapped label is floating.
    """
    width = len(template.table3.columns)
    keys = [f"table3.{r.key}" for r in template.table3.rows]
    index = {k: i for i, k in enumerate(keys)}
    t3 = sorted((a for a in anchors if a.key in index), key=lambda a: a.start)
    floating: list[tuple[int, list[Tok]]] = []  # (text offset, cells)
    labelled: list[tuple[int, str, int]] = []  # (line offset, row key, line end): maybe pinned
    j = 0
    pos = span[0]
    for line in text[span[0] : span[1]].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while j < len(t3) and t3[j].end <= start:
            j += 1
        k = j
        label = None
        while k < len(t3) and t3[k].start < end:
            if t3[k].start >= start or t3[k].end <= end:  # the label starts or ends here
                label = t3[k].key
            k += 1
        if label is not None:
            labelled.append((start, label, end))
        elif _may_be_row(line, width):
            cells = _value_row(line, start, width, labels=False)
            if cells is not None:
                floating.append((start, cells))
    if not floating:
        return None
    pins, crossed = _pins(text, labelled, index, width)
    floating.sort(key=lambda f: f[0])
    out = Detached()
    for pair in crossed:  # labelled lines out of order: swapped lines, or a label matched amiss
        pair.sort(key=lambda p: p[0])
        out.unsure.append(Unsure([keys[i] for i, _ in pair], [c for _, c in pair], any_order=True))
    skip = {keys[i] for pair in crossed for i, _ in pair}
    label_at = [a.start for a in t3]
    bounds = [(-1, span[0] - 1, []), *pins, (len(keys), span[1], [])]
    doubtful: set[int] = set()  # pins next to a stray value row
    for (lo, lo_at, lo_cells), (hi, hi_at, hi_cells) in pairwise(bounds):
        expected = [k for k in keys[lo + 1 : hi] if k not in skip]
        rows = [(at, cells) for at, cells in floating if lo_at < at < hi_at]
        if not expected:
            if rows and lo >= 0 and hi < len(keys):
                # a value row between two adjacent pinned rows: one of the pins is not what it
                # seems (a label matched inside a sub-row), so neither is trusted
                doubtful.update((lo, hi))
                out.unsure.append(Unsure([keys[lo], keys[hi]], [lo_cells, *(c for _, c in rows), hi_cells]))
            continue
        if len(rows) == len(expected):
            out.rows.update(zip(expected, (cells for _, cells in rows), strict=True))
            continue
        by_label = _by_label(text, rows, expected, t3, label_at)
        if by_label is not None:
            out.rows.update(by_label)
        else:
            out.unsure.append(Unsure(expected, [cells for _, cells in rows]))
    for i, _, cells in pins:
        if i not in doubtful:
            out.rows[keys[i]] = cells
    out.floating = frozenset(t.pos.offset for _, cells in floating for t in cells if t.pos.offset is not None)
    return out


def _pins(
    text: str, labelled: list[tuple[int, str, int]], index: dict[str, int], width: int
) -> tuple[list[tuple[int, int, list[Tok]]], list[list[tuple[int, list[Tok]]]]]:
    """(row index, text offset, cells) of the lines holding a label and a full value row, in
    template order; and the pairs of such lines that came out of order (lines swapped, or a
    label matched amiss): neither of a pair is trusted."""
    pins: list[tuple[int, int, list[Tok]]] = []
    crossed: list[list[tuple[int, list[Tok]]]] = []
    for start, key, end in labelled:
        line = text[start:end]
        cells = _value_row(line, start, width, labels=True) if _may_be_row(line, width) else None
        if cells is None:
            continue
        if pins and index[key] <= pins[-1][0]:
            i, _, previous = pins.pop()
            crossed.append([(i, previous), (index[key], cells)])
        else:
            pins.append((index[key], start, cells))
    return pins, crossed


def _by_label(
    text: str,
    rows: list[tuple[int, list[Tok]]],
    expected: list[str],
    t3: list[Anchor],
    label_at: list[int],
) -> dict[str, list[Tok]] | None:
    """Each floating row given to the label printed right before it (nothing but spaces and
    pipes between), when that pairs the floating rows one to one with the rows whose labels
    are printed, in template order; else None."""
    printed = {a.key for a in t3}
    owners: list[str] = []
    for at, _ in rows:
        i = bisect_left(label_at, at) - 1
        if i < 0 or text[t3[i].end : at].strip(" \t|\n"):
            return None  # no label right before this value row
        owners.append(t3[i].key)
    if owners != [k for k in expected if k in printed]:
        return None
    return dict(zip(owners, (cells for _, cells in rows), strict=True))


@lru_cache(maxsize=8)
def _enough_words(width: int) -> re.Pattern[str]:
    """A line (without pipes) of ``width`` words or more: possessive, so linear on a long line."""
    return re.compile(rf"[^\S\n]*+(?:\S++[^\S\n]++){{{max(width - 1, 0)}}}\S")


def _may_be_row(line: str, width: int) -> bool:
    """Enough pipes or words to hold ``width`` cells: most lines (prose, labels, one cell per
    line) are dropped before any cell is cut out."""
    pipes = line.count("|")
    return pipes >= width - 1 if pipes else _enough_words(width).match(line) is not None


def _is_number(cell: str) -> bool:
    """A cell (stripped) that prints a number; plain digits, most cells, without parsing them."""
    return (cell.isdigit() and cell.isascii()) or parse_number(cell) is not None


def _value_row(line: str, base: int, width: int, *, labels: bool) -> list[Tok] | None:
    """The line's ``width`` value cells (``base``: the line's text offset), or None.

    With ``labels``, leading label cells are skipped (without, a text cell means no value row).
    Surplus trailing blanks are dropped; every other cell must be a number or blank. Offsets
    are worked out only for the few lines that are value rows.
    """
    cells = _split_line(line)
    if not cells:
        return None
    contents = [c.strip() for c in cells]
    first, last = 0, len(cells)
    while labels and first < last and contents[first] and not _is_number(contents[first]):
        first += 1
    while last - first > width and not contents[last - 1]:
        last -= 1
    if last - first != width:
        return None
    if any(c and not _is_number(c) for c in contents[first:last]):
        return None
    pipes = "|" in line
    if not pipes and not any(contents[first:last]):
        return None  # an all-blank row counts only as an explicit pipe row (a real blank row)
    offsets = _cell_offsets(line, cells, pipes)
    return [
        Tok(c, Position(base + o)) if c else blank_tok(base + o)
        for c, o in zip(contents[first:last], offsets[first:last], strict=True)
    ]


def _split_line(line: str) -> list[str]:
    """The cells of a line: between pipes (outer empty cells and markdown rules dropped), else
    the words of a line of numbers (a line of prose has none)."""
    if "|" in line:
        parts = line.split("|")
        del parts[: not parts[0].strip()]
        if parts and not parts[-1].strip():
            parts.pop()
        while parts and not parts[-1]:  # "||" padding after the row (a colspan), not blank cells
            parts.pop()
        if parts and all(_MD_RULE.match(p) for p in parts):
            return []
        return parts
    if CJK.search(line) and not line.strip().split()[-1].replace(",", "").replace(".", "").isdigit():
        return []
    return line.split()


def _cell_offsets(line: str, cells: list[str], pipes: bool) -> list[int]:
    """Offset in the line of each cell's text (a blank pipe cell: the end of its spaces)."""
    if not pipes:
        return [m.start() for m in _WORD.finditer(line)]
    offsets = []
    off = 0 if line.split("|", 1)[0].strip() else line.index("|") + 1  # the first cell kept
    for piece in cells:
        offsets.append(off + len(piece) - len(piece.lstrip()))
        off += len(piece) + 1
    return offsets
