"""Tables printed without rules, rebuilt from word positions (the PDF adapter's fallback).

With no drawn cells the only evidence is where words sit:

- value columns are where numbers line up; consecutive number lines whose numbers fall in the
  same columns are one table (table 2's three columns do not fit table 3's seven, so they split);
- the label zone left of the values is split into sub-columns where words often start
  (三、 | （三） | 1.…), mirroring the ruled layout's label cells;
- a table's rows are its number lines; a line with words only in the label zone (a wrapped
  label) joins the nearest number line, ties going to the line above — right for top-aligned and
  for centred cells alike; other lines (headers, captions) are rows of their own;
- the header is the tightly spaced lines above the first number line.

Pure functions over pdfplumber word dicts (x0, x1, top, bottom, text), so they are tested
without any PDF.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from xxgk.adapters.base import Grid, GridCell, Position

Word = dict[str, Any]
NUMBER = re.compile(r"^[+\-]?\d[\d,]*(\.\d+)?$")
COLUMN_TOLERANCE = 6.0  # points: numbers whose centres are this close share a column
START_TOLERANCE = 3.0  # points: label words starting this close share a label sub-column


@dataclass(frozen=True)
class Layout:
    """Column geometry of one loose table; a continuation page is laid out on its first page's."""

    starts: tuple[float, ...]  # left edges of the label sub-columns
    value_edges: tuple[float, ...]  # boundaries of the value columns (n + 1 of them)

    @property
    def value_left(self) -> float:
        return self.value_edges[0]

    @property
    def width(self) -> int:
        return len(self.starts) + len(self.value_edges) - 1

    def column(self, word: Word) -> int:
        if word["x1"] <= self.value_left + 2:
            return max(0, bisect_right(self.starts, word["x0"] + START_TOLERANCE) - 1)
        centre = (word["x0"] + word["x1"]) / 2
        n_values = len(self.value_edges) - 1
        return len(self.starts) + min(max(bisect_right(self.value_edges, centre) - 1, 0), n_values - 1)


@dataclass
class LooseTable:
    page: int
    lines: list[list[Word]]
    layout: Layout
    bbox: tuple[float, float, float, float]

    def grid(self, layout: Layout | None = None, normalise: Any = str, join: bool = True) -> Grid:
        return build_grid(self.lines, layout or self.layout, self.page, normalise, join)


def lines_of(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into visual lines (each top within 3 pt of the line's lowest so far), each
    sorted left to right. Measured from the lowest top, not the first: a group label's fragment
    ("开" at 709.3) starting a line must not push the row's own numbers (712.3, beside its label at
    712.0) onto a line of their own, which then read as the row above's values (issue 10)."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and w["top"] - lines[-1][-1]["top"] <= 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [_glue_numbering(sorted(line, key=lambda w: w["x0"])) for line in lines]


_NUMBERING_PIECE = re.compile(r"^\d+[.、．]?$")


def _glue_numbering(line: list[Word]) -> list[Word]:
    """A numbered label's digit, point and text touching each other are one word ("3" "." "补正后…"
    → "3.补正后…"). The digit comes in the Latin font, whose box sits lower than the CJK glyphs',
    so the word finder split it off: a bare "3" then read as a number, the line as no label
    (issue 10). Numbers in value cells never touch a word."""
    out: list[Word] = []
    for w in line:
        last = out[-1] if out else None
        if (
            last is not None
            and _NUMBERING_PIECE.match(last["text"])
            and w["x0"] - last["x1"] <= 1.0
            and (last["text"][-1] in ".、．" or w["text"][:1] in ".、．")
            and not NUMBER.match(w["text"])
        ):
            out[-1] = {
                "text": last["text"] + w["text"],
                "x0": last["x0"],
                "x1": w["x1"],
                "top": min(last["top"], w["top"]),
                "bottom": max(last["bottom"], w["bottom"]),
            }
        else:
            out.append(w)
    return out


def is_data_line(line: Sequence[Word]) -> bool:
    """Numbers to the right of any text: a table row, not a sentence that mentions a number."""
    flags = [bool(NUMBER.match(w["text"])) for w in line]
    if not any(flags):
        return False
    return all(flags[flags.index(True) :])


def _groups(values: Iterable[float], tolerance: float) -> list[list[float]]:
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tolerance:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _centre(w: Word) -> float:
    return (w["x0"] + w["x1"]) / 2


def _mid(line: Sequence[Word]) -> float:
    return sum((w["top"] + w["bottom"]) / 2 for w in line) / len(line)


def find_tables(words: Sequence[Word], page: int) -> list[LooseTable]:
    """Every loose table on a page (see the module docstring)."""
    lines = lines_of(words)
    data = [i for i, line in enumerate(lines) if is_data_line(line)]
    if not data:  # one number line may be a table's only one on its page (kept under a header, below)
        return []
    tops = [lines[i][0]["top"] for i in data]
    steps = sorted(b - a for a, b in itertools.pairwise(tops) if b > a)
    step = steps[len(steps) // 2] if steps else 14.0
    segments: list[list[int]] = []
    columns: list[float] = []
    for i in data:
        centres = [_centre(w) for w in lines[i] if NUMBER.match(w["text"])]
        near = COLUMN_TOLERANCE
        fits = bool(segments) and (
            all(any(abs(c - k) <= near for k in columns) for c in centres)
            or all(any(abs(c - k) <= near for c in centres) for k in columns)
            or _same_table(lines, segments[-1], i)
        )
        if fits:
            segments[-1].append(i)
            columns = sorted({*columns, *centres})
        else:
            segments.append([i])
            columns = centres
    tables = []
    previous_end = -1
    for n, segment in enumerate(segments):
        first, last = segment[0], segment[-1]
        limit = segments[n + 1][0] if n + 1 < len(segments) else len(lines)
        numbers = [w for i in segment for w in lines[i] if NUMBER.match(w["text"])]
        value_left = min(w["x0"] for w in numbers) - 4
        end = last
        # Label lines below the last number line belong to the table however many there are: the
        # blank rows at a page's foot (1.属于国家秘密 … printing no number) were left out, the page's
        # table then did not reach its foot and was not joined to the next page's, which was laid
        # out on its own few label words (issue 10).
        while (
            end + 1 < limit
            and lines[end + 1][0]["top"] - lines[end][0]["top"] <= step * 1.2
            and all(w["x1"] <= value_left for w in lines[end + 1])
        ):
            end += 1
        value_right = max(w["x1"] for w in numbers)
        start = first
        while (
            start - 1 > previous_end
            and lines[start][0]["top"] - lines[start - 1][0]["top"] <= step * 1.6
            and not _is_prose(lines[start - 1], value_left, value_right)
        ):
            start -= 1
        previous_end = end
        # One line of one or two numbers is a table only under a header of its own (column
        # words over the numbers): a sparse table 3 whose only row with values is 一、本年新收
        # was dropped, and the text reader placed its numbers by the 自然人 convention (issue 10).
        header = [w for line in lines[start:first] for w in line if w["x0"] >= value_left]
        if len(segment) < 2 and len(numbers) < 3 and len(header) < 2:
            continue
        chosen = lines[start : end + 1]
        layout = _layout(chosen, numbers)
        all_words = [w for line in chosen for w in line]
        bbox = (
            min(w["x0"] for w in all_words),
            min(w["top"] for w in all_words),
            max(w["x1"] for w in all_words),
            max(w["bottom"] for w in all_words),
        )
        tables.append(LooseTable(page=page, lines=chosen, layout=layout, bbox=bbox))
    return tables


def _same_table(lines: Sequence[Sequence[Word]], segment: Sequence[int], i: int) -> bool:
    """Number line ``i`` continues the table of ``segment`` though its numbers use other columns.

    A sparse row (two numbers, one in a column no line above used: 上年结转 with 科研机构 and
    总计 only) fits neither column set; left alone it started a loose table too small to keep,
    and the text reader placed its numbers by the 自然人 convention, one column off (issue 10).
    It continues the table when the words of its lines, of its own and of every line between sit
    in one label zone left of all their numbers (wrapped labels, no header or prose), and those
    lines follow each other at text-line spacing.
    """
    numbers = [w for k in [*segment, i] for w in lines[k] if NUMBER.match(w["text"])]
    value_left = min(w["x0"] for w in numbers) - 4
    words = [w for k in [*segment, i] for w in lines[k] if not NUMBER.match(w["text"])]
    if any(w["x1"] > value_left for w in words):
        return False
    between = lines[segment[-1] + 1 : i]
    if any(w["x1"] > value_left for line in between for w in line):
        return False
    chain = [lines[segment[-1]], *between, lines[i]]
    height = max(w["bottom"] - w["top"] for line in chain for w in line)
    return all(b[0]["top"] - a[0]["top"] <= 3 * height for a, b in itertools.pairwise(chain))


def _is_prose(line: Sequence[Word], value_left: float, value_right: float) -> bool:
    """A line of body text: one run of words from the label zone across most of the value zone.

    On a narrow page (A5) the body's line spacing is close to a borderless table's row step, so
    the paragraph above a table would join its header; its left margin then makes a label
    sub-column of its own, and a centred row label starting left of the others (规范性文件 under
    规章) falls into it, joined to the paragraph: the row loses its label and reads blank (issue 10).
    Headers and captions are separate short words, or sit in one zone.
    """
    half = value_left + (value_right - value_left) / 2
    return any(run[0] < value_left - 2 and run[1] > half for run in _runs(line))


def _runs(line: Sequence[Word]) -> list[tuple[float, float]]:
    """The line's words joined where they touch (a gap under half a letter's height): the spans of
    a sentence. A sentence citing figures ("…培训 30 场次，培训工作人员 1396 人次。") comes as
    words cut at its numbers; each piece is short, the run is not. Taken as a table's header, its
    numbers and short words invented value columns and table 2's numbers read one column off
    (issue 10)."""
    out: list[tuple[float, float]] = []
    for w in sorted(line, key=lambda w: w["x0"]):
        gap = 0.5 * max(w["bottom"] - w["top"], 1.0)
        if out and w["x0"] - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], w["x1"]))
        else:
            out.append((w["x0"], w["x1"]))
    return out


def _layout(lines: Sequence[Sequence[Word]], numbers: Sequence[Word]) -> Layout:
    """Value columns from the numbers, plus header words over columns that hold few numbers.

    A header word counts when a number sits under it or it is short (a leaf header such as
    自然/人 or 商业/企业); wide captions (第二十条第（一）项, 申请人情况) span columns and would
    invent one.
    """
    number_centres = [_centre(w) for w in numbers]
    value_start = min(w["x0"] for w in numbers) - 4
    # Header words count from where the row labels end, not from the first number: a sparse table
    # whose rows print nothing in the first columns would lose them (一、本年新收 with 科研机构 and
    # 总计 only was laid out on five columns, its numbers read one column off; issue 10).
    # Row labels are the words of number lines, and those of numbered lines below the column
    # headers: a label wrapped round its centred numbers leaves the number line without one
    # (一、本年新收… / 1 1 2 / 申请数量), and table 3 was laid out on four columns (issue 10).
    first = next((i for i, line in enumerate(lines) if is_data_line(line)), len(lines))
    header_end = max((i for i in range(first) if any(w["x0"] >= value_start for w in lines[i])), default=-1)
    label_ends = [
        w["x1"]
        for i, line in enumerate(lines)
        if is_data_line(line) or (i > header_end and MARKER.match(line[0]["text"]))
        for w in line
        if not NUMBER.match(w["text"]) and w["x1"] < value_start
    ]
    if label_ends:
        value_start = min(value_start, max(label_ends) + 2)
    elif not any(_numbered(line, value_start) for line in lines):
        # No row labels at all (table 4: one row of numbers under its header): every header word
        # may head a column. Counted from the first number, the leaf headers over empty first
        # columns (结果/维持 …) became label columns and the row read ambiguous (issue 10).
        value_start = min(w["x0"] for line in lines[:first] for w in line) if first else value_start
    headers = [
        _centre(w)
        for line in lines
        if not is_data_line(line)
        for w in line
        if w["x0"] >= value_start and _heads_a_column(w, line, number_centres, value_start)
    ]
    centres = [sum(g) / len(g) for g in _groups([*number_centres, *headers], COLUMN_TOLERANCE)]
    gaps = [b - a for a, b in itertools.pairwise(centres)]
    half = [g / 2 for g in gaps] + [min(max(gaps, default=20.0), 20.0) / 2]
    first_half = half[0] if gaps else 10.0
    value_edges = (centres[0] - first_half, *(c + h for c, h in zip(centres, half, strict=True)))
    value_left = value_edges[0]
    return Layout(starts=_label_starts(lines, value_left), value_edges=value_edges)


def _label_starts(lines: Iterable[Sequence[Word]], value_left: float) -> tuple[float, ...]:
    """Left edges of the label sub-columns: where several words start, at least one of them a
    real label (3+ letters); the one- and two-letter tails of a centred group label ("开", "理")
    do not make a column."""
    label_words = [w for line in lines for w in line if w["x1"] <= value_left + 2]
    label_x = [w["x0"] for w in label_words]
    longest: dict[float, int] = {}
    for w in label_words:
        longest[w["x0"]] = max(longest.get(w["x0"], 0), len(w["text"]))
    starts = tuple(
        min(g) for g in _groups(label_x, START_TOLERANCE) if len(g) >= 3 and max(longest[x] for x in g) >= 3
    )
    return starts or (min(label_x, default=value_left - 1),)


def chain_layout(tables: Sequence[LooseTable]) -> Layout:
    """One layout for a table continued over pages: the first page's value columns, label
    sub-columns from its words and the numbered labels of every page. A page holding only a few rows of a sub-column (the
    sub-rows of （三） at its foot) did not make it one, and the next pages' sub-row labels then
    shared a column with the group label's fragments, joined to them (issue 10)."""
    first = tables[0].layout
    # the next pages add their numbered labels only: a repeated header's lines, once per page,
    # would make columns of their own
    numbered = [[w for w in line if MARKER.match(w["text"])] for t in tables[1:] for line in t.lines]
    lines = [*tables[0].lines, *numbered]
    return Layout(starts=_label_starts(lines, first.value_left), value_edges=first.value_edges)


def _heads_a_column(
    w: Word, line: Sequence[Word], number_centres: Sequence[float], value_start: float
) -> bool:
    """A header word over a value column: a number sits under it, or it is short (a leaf header
    such as 自然/人), or it sits among other header words of its line and spans no number column
    (科研机构 over a column this page prints no number in: left out, table 3 was laid out on six
    columns and its numbers read one column off, issue 10). Figures and sentence ends are no
    header. Wide captions alone on their line (申请人情况, 第二十条第（一）项) span columns."""
    if NUMBER.match(w["text"]) or w["text"].endswith("。"):
        return False
    if any(abs(_centre(w) - c) <= COLUMN_TOLERANCE for c in number_centres):
        return True
    if (w["x1"] - w["x0"]) <= 3.2 * max(w["bottom"] - w["top"], 1.0):
        return True
    mates = [o for o in line if o is not w and o["x0"] >= value_start]
    return len(mates) >= 2 and not any(w["x0"] < c < w["x1"] for c in number_centres)


def _numbered(line: Sequence[Word], where: Layout | float) -> bool:
    """The line holds a numbered row label (三、 （一） 1.) left of the layout's value columns (or
    of an x)."""
    left = where.value_left if isinstance(where, Layout) else where
    return any(MARKER.match(w["text"]) for w in line if w["x1"] <= left + 2)


def build_grid(
    lines: Sequence[Sequence[Word]], layout: Layout, page: int, normalise: Any = str, join: bool = True
) -> Grid:
    """Rows as in the module docstring, words placed in the layout's columns."""
    rows: list[tuple[float, list[Word]]] = []
    loose: list[list[Word]] = []
    anchors: list[int] = []
    for line in join_wrapped_numbers(lines, layout):
        if is_data_line(line) or any(w["x1"] > layout.value_left + 2 for w in line):
            if is_data_line(line):
                anchors.append(len(rows))
            rows.append((_mid(line), list(line)))
        else:
            loose.append(line)
    step = _typical_step([y for y, _ in rows])
    # Lines starting a numbered row (三、 （一） 1.): a wrapped label's line never joins a row across
    # one. Nearest-row alone let "2.其他法…" (a blank row at 133) join 4.保护第's values (267)
    # three rows down, as its label lines were read first (issue 10).
    heads = sorted(_mid(line) for line in [*(words for _, words in rows), *loose] if _numbered(line, layout))

    def crosses_a_head(a: float, b: float) -> bool:
        low, high = min(a, b) + 0.5, max(a, b) - 0.5
        i = bisect_right(heads, low)
        return i < len(heads) and heads[i] < high

    for line in sorted(loose, key=_mid):
        y = _mid(line)
        best = None
        # nor a numbered row below it: that row's label starts on its own line, under this one
        reachable = [
            a
            for a in anchors
            if not crosses_a_head(rows[a][0], y)
            and not (rows[a][0] > y + 0.5 and _numbered(rows[a][1], layout))
        ]
        if reachable:
            k = min(reachable, key=lambda a: abs(rows[a][0] - y) - 0.01 * (rows[a][0] <= y))
            if abs(rows[k][0] - y) <= step * 1.2:
                best = k
        # A new numbered label ("（二）…") where the nearest row already has a numbered label in
        # that column, or one to its left (a higher level: "（一）予以公开" under "二、上年结转…"),
        # is a row of its own (all its cells blank), not a wrapped continuation. A group label to
        # the left of the row's own ("（三）" beside "3.危及…") is the group cell's fragment.
        starts = {layout.column(w) for w in line if MARKER.match(w["text"])}
        own = [layout.column(w) for w in rows[best][1] if MARKER.match(w["text"])] if best is not None else []
        if own and any(c >= min(own) for c in starts):
            best = None
        # A row's label starts at or above its numbers (on their line, or over them when they are
        # centred in a taller row), never a row's height below: "1.属于国…" (a blank row) took
        # the numbers of （二）部分公开 two wrapped lines above it (issue 10). (A group label left
        # of a labelled row's own, "（六）" beside its wrapped tail, stays that row's fragment.)
        if best is not None and starts and not own and y - rows[best][0] > 0.6 * step:
            best = None
        if best is None:
            if starts:
                anchors.append(len(rows))
            rows.append((y, list(line)))
        else:
            rows[best][1].extend(line)
    rows.sort(key=lambda item: min(w["top"] for w in item[1]))
    rows = _join_wrapped_heads(rows, layout)
    out: list[list[GridCell | None]] = []
    for r, (_, words) in enumerate(rows):
        by_col: dict[int, list[Word]] = {}
        for w in words:
            by_col.setdefault(layout.column(w), []).append(w)
        out.append([_cell(by_col.get(c, []), r, c, page, normalise) for c in range(layout.width)])
    if join:
        join_fragments(out, len(layout.starts), normalise)
    return Grid(rows=out)


def join_wrapped_numbers(lines: Sequence[Sequence[Word]], layout: Layout) -> list[list[Word]]:
    """A number too wide for its column wraps over two lines or more ("433" / "1" for 4331), its
    pieces stacked at one text line's pitch, centred on the row or starting on its line; the
    pieces are joined, top to bottom, into one word on the row's line (issue 10). Left apart, a
    piece read as the row's number (433), or as a row of its own that shifted the rows below.

    A piece continues on the next line of its column when it is *full* (as wide as the column's
    widest number: a number only wraps where it fills its cell), the next piece is within a text
    line's pitch below it, and the lines it spans hold one table row at most. A row line is one
    with a numbered label (三、 （一） 1.), a value that is no such piece, or — in a table without
    numbered labels (table 2) — any label: two rows' numbers are never joined.
    """
    out: list[list[Word]] = [list(line) for line in lines]
    values = [
        [w for w in line if w["x1"] > layout.value_left + 2 and NUMBER.match(w["text"])] for line in out
    ]
    widest: dict[int, float] = {}
    for line in values:
        for w in line:
            c = layout.column(w)
            widest[c] = max(widest.get(c, 0.0), w["x1"] - w["x0"])
    below: dict[int, tuple[int, Word]] = {}  # id(piece) → (line, piece) it continues on
    for c in widest:
        column = [(i, w) for i, line in enumerate(values) for w in line if layout.column(w) == c]
        for (i, w), (j, v) in itertools.pairwise(column):
            width = w["x1"] - w["x0"]
            full = width >= widest[c] - 0.6 * width / max(len(w["text"]), 1)
            pitch = v["top"] - w["top"]
            if full and j > i and 0 < pitch <= 1.6 * max(w["bottom"] - w["top"], 1.0):
                below[id(w)] = (j, v)
    if not below:
        return out
    pieces = {id(v) for _, v in below.values()} | set(below)
    # Table 3 numbers its row labels, so an unnumbered label line there continues a wrapped label;
    # table 2 does not, so every label line there starts a row. Told by the number lines' labels:
    # a heading above the table (一、总体情况) says nothing about its rows.
    numbered_table = any(_numbered(line, layout) for line in out if is_data_line(line))

    def starts_row(i: int) -> bool:
        labels = [w for w in out[i] if w["x1"] <= layout.value_left + 2]
        if numbered_table:
            return any(MARKER.match(w["text"]) for w in labels)
        return bool(labels)

    def holds_values(i: int) -> bool:
        return any(id(w) not in pieces for w in values[i])

    def one_row(span: range) -> int | None:
        """The line of the one row these lines hold (values' line, else label's, else the first);
        None when they hold two rows."""
        heads = [k for k in span if starts_row(k)]
        rows = [k for k in span if holds_values(k)]
        if len(heads) > 1 or len(rows) > 1 or (heads and rows and heads[0] > rows[0]):
            return None
        return (rows or heads or [span[0]])[0]

    tops = {id(v) for _, v in below.values()}
    joins: list[tuple[int, list[tuple[int, Word]]]] = []  # (target line, pieces top to bottom)
    for i, line in enumerate(values):
        for w in line:
            if id(w) not in below or id(w) in tops:
                continue
            chain = [(i, w)]
            target = i
            while id(chain[-1][1]) in below:
                j, v = below[id(chain[-1][1])]
                found = one_row(range(i, j + 1))
                if found is None:
                    break
                target = found
                chain.append((j, v))
            if len(chain) > 1:
                joins.append((target, chain))
    for target, chain in joins:
        moved = {id(v) for _, v in chain}
        for k in {k for k, _ in chain}:
            out[k] = [x for x in out[k] if id(x) not in moved]
        anchor = next((x for x in out[target] if x["x1"] > layout.value_left + 2), None) or chain[0][1]
        out[target].append(
            {
                "text": "".join(v["text"] for _, v in chain),
                "x0": min(v["x0"] for _, v in chain),
                "x1": max(v["x1"] for _, v in chain),
                "top": anchor["top"],
                "bottom": anchor["bottom"],
            }
        )
        out[target].sort(key=lambda x: x["x0"])
    return [line for line in out if line]


MARKER = re.compile(r"^\s*([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])")


def _join_wrapped_heads(
    rows: list[tuple[float, list[Word]]], layout: Layout
) -> list[tuple[float, list[Word]]]:
    """A numbered label whose cell wraps over several lines in a narrow label column, its values
    centred lower down ("5.要求行" / "政机关确" / "认或重新…  9 0 0 …" / "取信息", issue 10), comes
    out as label-only rows around one value row: they are one cell, so one row. Every template
    row label starts with its number (三、 （一） 1.), so lines up to the next number continue it.
    Left apart, the head read as a row of blanks and the values went to an unlabelled row.
    """
    out: list[tuple[float, list[Word]]] = []
    open_block = False  # the last output row started with a numbered label and may grow
    has_values = False
    for y, words in rows:
        labels = [w for w in words if w["x1"] <= layout.value_left + 2]
        values = len(labels) < len(words)
        numbered = any(MARKER.match(w["text"]) for w in labels)
        if open_block and labels and not numbered and not (values and has_values):
            out[-1] = (out[-1][0] if has_values or not values else y, out[-1][1] + words)
            has_values = has_values or values
            continue
        out.append((y, words))
        open_block = numbered and all(
            NUMBER.match(w["text"]) for w in words if w["x1"] > layout.value_left + 2
        )
        has_values = values
    return out


def join_fragments(rows: list[list[GridCell | None]], label_columns: int, normalise: Any = str) -> None:
    """Stack group-cell fragments into spanning cells in every label sub-column but the last."""
    for c in range(label_columns - 1):
        _join_column(rows, c, label_columns - 1, normalise)


def _starts_group(row: list[GridCell | None], label_col: int) -> bool:
    """The row label is the first numbered item of a group ("1.…")."""
    cell = row[label_col] if label_col < len(row) else None
    return bool(cell is not None and cell.text and re.match(r"^\s*1[.、．]", cell.text))


def _join_column(rows: list[list[GridCell | None]], c: int, label_col: int, normalise: Any) -> None:
    """Without rules a spanned label like 三、本年度办理结果 or （三）不予公开 comes out one piece per
    line ("三、", "本年度办", "理结", "果"). Pieces that do not start a new numbered label continue
    the piece above. The joined cell spans from where its group starts (a row numbered "1." or its
    own first piece) down to just before the next label in this column or to its left, or the
    next group's "1." row.
    """
    n = len(rows)
    group_level = c == label_col - 1  # the column of （三）（四）…, whose groups are numbered 1., 2., …
    r = 0
    while r < n:
        cell = rows[r][c]
        if cell is None or not cell.text or cell.row != r:
            r += 1
            continue
        head = cell
        end = r
        k = r + 1
        while k < n:
            other = rows[k][c]
            if _new_cell_left(rows, k, c):
                break
            if other is not None and other.text:
                if MARKER.match(other.text):
                    break
                head.text = normalise(head.text + other.text)
                head.position = _union(head.position, other.position)
                end = k
            elif group_level and _starts_group(rows[k], label_col) and k > end:
                break
            k += 1
        stop = k  # exclusive: the span may grow over empty cells up to here
        if (
            group_level
            and MARKER.match(head.text)
            and _text_at(rows, r, label_col)
            and not _starts_group(rows[r], label_col)
        ):
            # A centred group label: its group starts at the nearest "1." row above, if empty between.
            # Only when its line has a sub-label of its own; otherwise it is that row's own label
            # (四、结转下年度继续办理 printed on its value line below （六）'s sub-rows), and moving it
            # up made the rows above carry it and read 四's values from (七)总计's (issue 10).
            up = r - 1
            while up >= 0 and not _text_at(rows, up, c) and not _new_cell_left(rows, up, c):
                if _starts_group(rows[up], label_col):
                    head.row = up
                    break
                up -= 1
        for k in range(head.row, stop):
            rows[k][c] = head
        head.rowspan = stop - head.row
        r = stop


def _text_at(rows: list[list[GridCell | None]], r: int, c: int) -> str:
    cell = rows[r][c]
    return cell.text if cell is not None else ""


def _new_cell_left(rows: list[list[GridCell | None]], r: int, c: int) -> bool:
    """A label starts in row r in a column left of c (so a span in column c must stop)."""
    return any(x is not None and x.text and x.row == r for x in rows[r][:c])


def _union(a: Position, b: Position) -> Position:
    if a.bbox is None or b.bbox is None:
        return a if a.bbox is not None else b
    return Position(
        page=a.page,
        bbox=(
            min(a.bbox[0], b.bbox[0]),
            min(a.bbox[1], b.bbox[1]),
            max(a.bbox[2], b.bbox[2]),
            max(a.bbox[3], b.bbox[3]),
        ),
    )


def _typical_step(ys: Sequence[float]) -> float:
    ordered = sorted(ys)
    steps = sorted(b - a for a, b in itertools.pairwise(ordered) if b - a > 1)
    return steps[len(steps) // 2] if steps else 14.0


def _cell(words: Sequence[Word], r: int, c: int, page: int, normalise: Any) -> GridCell:
    if not words:
        return GridCell(text="", position=Position(page=page), row=r, col=c)
    bbox = (
        round(min(w["x0"] for w in words), 2),
        round(min(w["top"] for w in words), 2),
        round(max(w["x1"] for w in words), 2),
        round(max(w["bottom"] for w in words), 2),
    )
    text = "".join(w["text"] for line in lines_of(words) for w in line)
    return GridCell(text=normalise(text), position=Position(page=page, bbox=bbox), row=r, col=c)
