"""Table 3 when its labels are detached from its value rows (PDF→markdown, dev 103).

A PDF table extractor keeps table 3's value rows in template order but lets labels drift: some
ride with their values (``| 1.属于国家秘密 | 0 | … |``, a *pinned* row), the others come out as
loose text lines somewhere near, while their values stand alone (``| 0 | 0 | … |``, a
*floating* row). Reading by label then gives a row the next row's numbers, read "exact". So,
when table 3 has floating rows, the rows between two pinned rows take the floating rows between
them:

* as many floating rows as template rows: in order (a PDF table keeps its row order);
* otherwise, when every floating row directly follows its own label (values merely printed
  under their labels), by label: a row whose label is absent is missing, not shifted;
* otherwise a value row was lost, split or repeated, and which row is which cannot be told:
  those rows are left ambiguous with the values the nearby value rows give them — never a
  guess (issue 3: a wrong number is worse than an ambiguous one).

Only the part of table 3 where the count is off is left open; the pinned rows around it hold.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from xxgk.adapters.base import Position
from xxgk.readers.anchors import CJK, Anchor
from xxgk.readers.place import Tok, blank_tok, parse_number
from xxgk.templates import Template

_MD_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")
_WORD = re.compile(r"\S+")


@dataclass
class Unsure:
    """Template rows between two pinned rows whose floating rows do not match them one to one."""

    keys: list[str]  # the template rows, in order
    value_rows: list[list[Tok]]  # the floating rows found between the pins, in order

    def choices(self, position: int) -> list[list[Tok]]:
        """The value rows the row at ``position`` may hold, keeping the order: with rows lost,
        one of the same or an earlier value row; with rows repeated, the same or a later one."""
        g, m = len(self.keys), len(self.value_rows)
        lost, extra = max(0, g - m), max(0, m - g)
        return self.value_rows[max(0, position - lost) : min(m, position + extra + 1)]


@dataclass
class Detached:
    """How table 3's rows take the value rows of a page whose labels are detached."""

    rows: dict[str, list[Tok]] = field(default_factory=dict)  # row key → its value cells
    by_order: set[str] = field(default_factory=set)  # rows given their values by order alone
    unsure: list[Unsure] = field(default_factory=list)


def read_detached(
    text: str, span: tuple[int, int], anchors: list[Anchor], template: Template
) -> Detached | None:
    """Table 3 read as pinned and floating rows, or None when it has no floating row (the
    labels are where the values are: the usual layouts, read by label)."""
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
        while k < len(t3) and t3[k].start < end:
            k += 1
        if k > j:  # a label is (partly) on this line: a pinned row if values follow it
            labelled.append((start, t3[k - 1].key, end))
        elif _may_be_row(line, width):
            cells = _value_row(line, start, width)
            if cells is not None:
                floating.append((start, cells))
    if not floating:
        return None
    pins: list[tuple[int, int, list[Tok]]] = []  # (row index, text offset, cells)
    for start, key, end in labelled:
        cells = _value_row(text[start:end], start, width) if _may_be_row(text[start:end], width) else None
        if cells is None:
            continue
        if pins and index[key] <= pins[-1][0]:  # out of order: its label cannot be trusted
            floating.append((start, cells))
        else:
            pins.append((index[key], start, cells))
    floating.sort(key=lambda f: f[0])
    out = Detached()
    label_at = [a.start for a in t3]
    bounds = [(-1, span[0] - 1, []), *pins, (len(keys), span[1], [])]
    for (lo, lo_at, lo_cells), (hi, hi_at, _) in pairwise(bounds):
        if lo >= 0:
            out.rows[keys[lo]] = lo_cells
        expected = keys[lo + 1 : hi]
        rows = [(at, cells) for at, cells in floating if lo_at < at < hi_at]
        if not expected:
            continue  # a stray value row between two adjacent pinned rows: nothing to give it
        if len(rows) == len(expected):
            out.rows.update(zip(expected, (cells for _, cells in rows), strict=True))
            out.by_order.update(expected)
            continue
        by_label = _by_label(rows, expected, t3, label_at)
        if by_label is not None:
            out.rows.update(by_label)
        else:
            out.unsure.append(Unsure(expected, [cells for _, cells in rows]))
    return out


def _by_label(
    rows: list[tuple[int, list[Tok]]], expected: list[str], t3: list[Anchor], label_at: list[int]
) -> dict[str, list[Tok]] | None:
    """Each floating row given to the label right before it, when that pairs the floating rows
    one to one with the rows whose labels are printed, in template order; else None."""
    printed = {a.key for a in t3}
    owners: list[str] = []
    for at, _ in rows:
        i = bisect_left(label_at, at) - 1
        if i < 0:
            return None  # a value row before any label
        owners.append(t3[i].key)
    if owners != [k for k in expected if k in printed]:
        return None
    return {key: cells for key, (_, cells) in zip(owners, rows, strict=True)}


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


def _value_row(line: str, base: int, width: int) -> list[Tok] | None:
    """The line's ``width`` value cells (``base``: the line's text offset), or None.

    Leading label cells are skipped and surplus trailing blanks dropped; every other cell must
    be a number or blank. Offsets are worked out only for the few lines that are value rows.
    """
    cells = _split_line(line)
    if not cells:
        return None
    contents = [c.strip() for c in cells]
    first, last = 0, len(cells)
    while first < last and contents[first] and not _is_number(contents[first]):
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
