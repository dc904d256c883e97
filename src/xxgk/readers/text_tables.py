"""Tables 2–4 from running text: anchor labels, cut value tokens, hand rows to the placer.

Layout families this covers (issue 3): pipe rows, one cell per line, cell-then-pipe, rows
wrapped over lines, blank cells dropped, cells glued together (crawler innerText), spaces that
are not cell boundaries, PDF→markdown with detached labels (row-sequence fallback), NBSP
spacer cells, chrome around the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from xxgk.adapters.base import Position
from xxgk.readers.anchors import CJK, Anchor, LetterStream, find_anchors, is_structural, strip_numbering
from xxgk.readers.place import RowInput, Tok, parse_number
from xxgk.templates import Row, Template, get_template

_FIRST_DIGIT = re.compile(r"\d")
_NUM = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_DATE = re.compile(r"\d+[年月日号时]")
_MD_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")


def _blank(offset: int) -> Tok:
    """A blank cell's token."""
    return Tok("", Position(offset), True)


def table4_cells(template: Template) -> tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...]]:
    """Table 4 as one printed row of 15 cells, with each group's 总计 = its four parts (A.5)."""
    return _table4_cells(template.id)


@cache
def _table4_cells(template_id: str) -> tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...]]:
    cells: list[str] = []
    groups: list[tuple[tuple[int, ...], int]] = []
    for row in get_template(template_id).table4.rows:
        base = len(cells)
        keys = [c.key for c in row.columns]
        cells.extend(f"table4.{row.key}.{k}" for k in keys)
        if "total" in keys:
            t = keys.index("total")
            groups.append((tuple(base + i for i in range(len(keys)) if i != t), base + t))
    return tuple(cells), tuple(groups)


def row_shape(table_key: str, row: Row) -> tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...]]:
    """Cell keys of a row, and table 3's row identity 总计 = the six applicant columns (A.4).

    Worked out once per template, in row_plans."""
    cells = tuple(f"{table_key}.{row.key}.{c.key}" for c in row.columns)
    keys = [c.key for c in row.columns]
    if table_key == "table3" and "total" in keys:
        t = keys.index("total")
        return cells, ((tuple(i for i in range(len(keys)) if i != t), t),)
    return cells, ()


def _stop(text: str, start: int, end: int) -> int:
    """Where the values of a row end: the first prose run, or a number used as a date (2024年)."""
    first = CJK.search(text, start, end)
    if first is None:  # no letters at all (most rows): no prose, and no 年/月/日 for a date
        return end
    prose = end
    for m in CJK.finditer(text, first.start(), end):
        if not is_structural(m.group()):
            prose = m.start()
            break
    # the date's 年/月/日 is prose itself, so look one letter past where the prose starts
    date = _DATE.search(text, start, min(prose + 1, end))
    return prose if date is None else date.start()


_BLANK_MARKS = {"-", "--", "/", "无", "—", "——"}
_DELIMS = re.compile(r"([|\n])")
# a cell here: a Tok (a number), an int (the offset of a blank cell, made a Tok only if kept),
# or None (text: not a cell, but it stops the blank padding around the values)
_Cell = Tok | int | None


def gap_tokens(text: str, start: int, end: int) -> list[Tok]:
    """Value cells between a label and the next one, stopping at prose.

    Numbers are always tokens. Explicit blank cells are tokens too where the layout shows them:
    an empty (or "-", "/") cell between pipes, or a line holding only spaces (an NBSP cell) or a
    dash in one-cell-per-line text. Blank lines and line breaks between bordered rows are not
    cells (001: blank cells dropped entirely). Blanks count only next to the row's values —
    header padding like "总计 | |||" before them or "| |" after is trimmed by the placer.
    """
    stop = _stop(text, start, end)
    seg = text[start:stop]
    if not any(map(str.isdigit, seg)):  # no number: nothing to keep (most rows of a sparse table)
        return []
    pipes = "|" in seg
    if not pipes and "\n" not in seg:
        return [Tok(m.group(), Position(m.start())) for m in _NUM.finditer(text, start, stop)]
    return _cells(seg, start, pipes)


def _cells(seg: str, start: int, pipes: bool) -> list[Tok]:
    """The cells of a row's text (``seg``, at text offset ``start``), split once at every delimiter.

    A field is the text between two delimiters (pipe, line break). Which fields of spaces are
    blank cells depends on the delimiters around them:

    - pipe rows: a field between two pipes (or a last pipe and the end) is a cell, and so is a
      line of spaces that ends at a pipe once a pipe was seen (" | 1 |", not "|\\n|" padding).
      Fields before the first pipe (the label's own cell) and fields ending a line never are;
    - one cell per line: a line of spaces between two line breaks (an NBSP cell).
    """
    parts = _DELIMS.split(seg)  # fields at even indexes, the delimiter between them at odd ones
    last = len(parts) - 1
    head = start + seg.find("|")  # pipe rows: before the first pipe is the label's own cell
    cells: list[_Cell] = []
    first_num = last_num = -1
    off = start  # text offset of the field
    before = ""  # the delimiter before the field ("" at the start)
    for i in range(0, last + 1, 2):
        field = parts[i]
        content = field.strip()
        if not content:
            if field or pipes:  # an empty line is never a cell
                after = parts[i + 1] if i < last else ""
                if pipes:
                    if (before == "|" and after != "\n") or (
                        before == "\n" and after == "|" and field and off > head
                    ):
                        cells.append(off)
                elif before == "\n" and after == "\n":
                    cells.append(off)
        else:
            if content.isdecimal():  # the common case: one plain number
                if first_num < 0:
                    first_num = len(cells)
                last_num = len(cells)
                cells.append(Tok(content, Position(off + field.index(content[0]))))
            else:
                n = len(cells)
                _classify(field, content, off, cells)
                if isinstance(cells[-1], Tok):  # numbers were added
                    if first_num < 0:
                        first_num = n
                    last_num = len(cells) - 1
        off += len(field) + 1
        if i < last:
            before = parts[i + 1]
    if first_num < 0:
        return []
    # blanks count only next to the values: header padding before them, "| |" after is dropped
    while first_num > 0 and cells[first_num - 1] is not None:
        first_num -= 1
    while last_num + 1 < len(cells) and cells[last_num + 1] is not None:
        last_num += 1
    return [_blank(c) if isinstance(c, int) else c for c in cells[first_num : last_num + 1] if c is not None]


def _classify(field: str, content: str, offset: int, out: list[_Cell]) -> None:
    """A field that is not blank and not one plain number: numbers with units, a blank mark, text."""
    if content in _BLANK_MARKS:
        out.append(offset + field.index(content[0]))
        return
    if _FIRST_DIGIT.search(content) is None:  # no number at all: text
        out.append(None)
        return
    nums = list(_NUM.finditer(field))
    rest = _NUM.sub("", field).strip()
    if all(ch in "件元个项万" or ch.isspace() for ch in rest):
        out.extend(Tok(m.group(), Position(offset + m.start())) for m in nums)
    else:
        out.append(None)


@dataclass
class TextTables:
    rows: dict[str, RowInput]  # "table3.new" / "table4" → input
    glued: bool
    table3_span: tuple[int, int] | None = None  # text span from table 3's first label to table 4


def _is_glued(text: str, t3: list[Anchor]) -> bool:
    """Table 3's labels run on without a line break, pipe or tab between them (innerText)."""
    if len(t3) < 3:
        return False
    region = text[t3[0].start : t3[-1].end]
    return "\n" not in region and "|" not in region and "\t" not in region


def read_text_tables(stream: LetterStream, template: Template) -> TextTables:
    text = stream.text
    anchors = find_anchors(stream, template)
    t3 = [a for a in anchors if a.key.startswith("table3.")]
    glued = _is_glued(text, t3)
    plans = row_plans(template.id)
    rows: dict[str, RowInput] = {}
    nexts: list[Anchor | None] = [*anchors[1:], None] if anchors else []
    for anchor, nxt in zip(anchors, nexts, strict=True):
        if nxt is None:
            end = len(text)
        else:
            end = max(strip_numbering(text, anchor.end, nxt.start, nxt.row), anchor.end)
        # a label wrapped around its values ("…行政机关不 0 0 0 0 0 0 0\n再处理其…", pdftotext):
        # the letter stream joins the label, so the values sit inside its span
        inside = _FIRST_DIGIT.search(text, anchor.start, anchor.end)
        toks = gap_tokens(text, inside.start() if inside else anchor.end, end)
        cells, groups, convention = plans[anchor.key]
        rows[anchor.key] = RowInput(
            cells, toks, groups, glued or _glued_row(text, toks), convention=convention
        )
    if len(rows) < len(plans):
        for key, (cells, groups, _) in plans.items():
            if key not in rows:
                rows[key] = RowInput(cells, [], groups, anchored=False)
    span = None
    if t3:
        t4 = [a.start for a in anchors if a.key == "table4"]
        begin = text.rfind("\n", 0, min(a.start for a in t3)) + 1
        span = (begin, t4[0] if t4 else len(text))
    return TextTables(rows, glued, span)


_Plan = tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...], bool]


@cache
def row_plans(template_id: str) -> dict[str, _Plan]:
    """Per row key (tables 2 and 3 in template order, then "table4"): cells, groups, convention.

    Worked out once per template instead of once per row of every document; the grid reader
    (readers/grid_tables.py) uses the same plans.
    """
    template = get_template(template_id)
    plans: dict[str, _Plan] = {}
    for table in (template.table2, template.table3):
        for row in table.rows:
            cells, groups = row_shape(table.key, row)
            plans[f"{table.key}.{row.key}"] = (cells, groups, table.key == "table3")
    plans["table4"] = (*table4_cells(template), False)
    return plans


def _glued_row(text: str, toks: list[Tok]) -> bool:
    """Signs that cells were concatenated: a number with a leading zero ("0000000"), or digits
    stuck to the preceding word with no separator at all ("…政府信息3000025")."""
    first = None  # the first number
    for t in toks:
        value = t.text
        if len(value) > 1 and value[0] == "0" and value[1].isdecimal():
            return True
        if first is None and not t.blank:
            first = t
    off = first.pos.offset if first is not None else None
    return off is not None and off > 0 and CJK.match(text, off - 1) is not None


@lru_cache(maxsize=8)
def _enough_words(width: int) -> re.Pattern[str]:
    """A line (without pipes) of ``width`` words or more: possessive, so linear on a long line."""
    return re.compile(rf"[^\S\n]*+(?:\S++[^\S\n]++){{{max(width - 1, 0)}}}\S")


def sequence_rows(text: str, start: int, end: int, width: int, limit: int | None = None) -> list[list[Tok]]:
    """Rows of exactly ``width`` value cells, line by line (PDF→markdown, one row per line).

    With ``limit``, the scan stops once more than ``limit`` rows were found (the caller only
    wants to know that the count is not ``limit``). Lines with too few cells to be a row (prose,
    labels, one cell per line: most lines) are dropped by counting pipes or words, before any
    cell is cut out.
    """
    out: list[list[Tok]] = []
    words = _enough_words(width)
    pos = start
    for line in text[start:end].split("\n"):
        base = pos
        pos += len(line) + 1
        pipes = line.count("|")
        if (pipes < width - 1) if pipes else (words.match(line) is None):
            continue
        row = _value_row(line, base, width)
        if row is not None:
            out.append(row)
            if limit is not None and len(out) > limit:
                break
    return out


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
        Tok(c, Position(base + o)) if c else _blank(base + o)
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


_WORD = re.compile(r"\S+")
