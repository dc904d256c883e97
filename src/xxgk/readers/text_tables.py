"""Tables 2–4 from running text: anchor labels, cut value tokens, hand rows to the placer.

Layout families this covers (issue 3): pipe rows, one cell per line, cell-then-pipe, rows
wrapped over lines, blank cells dropped, cells glued together (crawler innerText), spaces that
are not cell boundaries, PDF→markdown with detached labels (row-sequence fallback), NBSP
spacer cells, chrome around the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from xxgk.adapters.base import Position
from xxgk.readers.anchors import CJK, Anchor, LetterStream, find_anchors, is_structural, strip_numbering
from xxgk.readers.place import RowInput, Tok, parse_number
from xxgk.templates import Row, Table, Template, get_template

_FIRST_DIGIT = re.compile(r"\d")
_NUM = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_DATE = re.compile(r"\d[年月日号时]")
_MD_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")


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


def row_shape(table: Table, row: Row) -> tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...]]:
    # templates are loaded once and live for the process, so a row's identity is a safe key
    key = (table.key, id(row))
    shape = _SHAPES.get(key)
    if shape is None:
        shape = _SHAPES[key] = _row_shape(table.key, row)
    return shape


_SHAPES: dict[tuple[str, int], tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...]]] = {}


def _row_shape(table_key: str, row: Row) -> tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int], ...]]:
    """Cell keys of a row, and table 3's row identity 总计 = the six applicant columns (A.4)."""
    cells = tuple(f"{table_key}.{row.key}.{c.key}" for c in row.columns)
    keys = [c.key for c in row.columns]
    if table_key == "table3" and "total" in keys:
        t = keys.index("total")
        return cells, ((tuple(i for i in range(len(keys)) if i != t), t),)
    return cells, ()


def _stop(text: str, start: int, end: int) -> int:
    """Where the values of a row end: the first prose run, or a number used as a date (2024年)."""
    for m in CJK.finditer(text, start, end):
        if not is_structural(m.group()):
            end = m.start()
            break
    date = _DATE.search(text, start, end)
    return end if date is None else date.start()


_BLANK_MARKS = {"-", "--", "/", "无", "—", "——"}


def gap_tokens(text: str, start: int, end: int) -> list[Tok]:
    """Value cells between a label and the next one, stopping at prose.

    Numbers are always tokens. Explicit blank cells are tokens too where the layout shows them:
    an empty (or "-", "/") cell between pipes, or a line holding only spaces (an NBSP cell) or a
    dash in one-cell-per-line text. Blank lines and line breaks between bordered rows are not
    cells (001: blank cells dropped entirely). Blanks count only next to the row's values —
    header padding like "总计 | |||" before them or "| |" after is trimmed by the placer.
    """
    stop = _stop(text, start, end)
    if text.find("|", start, stop) >= 0:
        cells = _pipe_cells(text, start, stop)
    elif text.find("\n", start, stop) >= 0:
        cells = _line_cells(text, start, stop)
    else:
        return [Tok(m.group(), Position(offset=m.start())) for m in _NUM.finditer(text, start, stop)]
    return _around_values(cells)


# A cell here: ("num", text, offset) | ("blank", "", offset) | ("text", "", offset)
_Cell = tuple[str, str, int]


def _classify(piece: str, offset: int, out: list[_Cell], blank_if_empty: bool) -> None:
    content = piece.strip()
    if not content:
        if blank_if_empty:
            out.append(("blank", "", offset))
        return
    if content.isdigit():  # the common case: one plain number
        out.append(("num", content, offset + piece.index(content[0])))
        return
    if content in _BLANK_MARKS:
        out.append(("blank", "", offset + piece.index(content[0])))
        return
    nums = list(_NUM.finditer(piece))
    rest = _NUM.sub("", piece).strip()
    if (nums and not rest) or (nums and all(ch in "件元个项万" or ch.isspace() for ch in rest)):
        out.extend(("num", m.group(), offset + m.start()) for m in nums)
    else:
        out.append(("text", "", offset))


def _pipe_cells(text: str, start: int, stop: int) -> list[_Cell]:
    out: list[_Cell] = []
    pos = start
    for i, piece in enumerate(text[start:stop].split("|")):
        if i == 0:  # the rest of the label's own cell, or the line before the first pipe
            for line in piece.split("\n"):
                if line.strip():  # an empty line adds nothing (not a blank cell here)
                    _classify(line, pos + piece.index(line), out, blank_if_empty=False)
        elif "\n" not in piece:
            content = piece.strip()
            if not content:  # the common cases inline: an empty cell, one plain number
                out.append(("blank", "", pos))
            elif content.isdigit() and content.isascii():
                out.append(("num", content, pos + piece.index(content[0])))
            else:
                _classify(piece, pos, out, blank_if_empty=True)
        else:
            # a line break inside: earlier lines close the previous row; the last line opens a
            # cell of its own (" | 1 | …" starts with an empty cell; "|\n|" is padding)
            lines = piece.split("\n")
            off = pos
            for line in lines[:-1]:
                content = line.strip()
                if content.isdigit() and content.isascii():  # inline: one plain number
                    out.append(("num", content, off + line.index(content[0])))
                elif content:
                    _classify(line, off, out, blank_if_empty=False)
                off += len(line) + 1
            # "" before the pipe is a markdown row border; " " is an empty first cell (" | 1 |")
            followed = pos + len(piece) < stop and lines[-1] != ""
            last = lines[-1]
            content = last.strip()
            if not content:
                if followed:
                    out.append(("blank", "", off))
            elif content.isdigit() and content.isascii():
                out.append(("num", content, off + last.index(content[0])))
            else:
                _classify(last, off, out, blank_if_empty=followed)
        pos += len(piece) + 1
    return out


def _line_cells(text: str, start: int, stop: int) -> list[_Cell]:
    out: list[_Cell] = []
    pos = start
    for i, line in enumerate(text[start:stop].split("\n")):
        # the label's own line: numbers after the label ("行政许可 97"); a later line of only
        # spaces is a cell holding a no-break space (003), an empty line is not a cell (001)
        if line:
            content = line.strip()
            if content.isdigit() and content.isascii():  # inline: one plain number
                out.append(("num", content, pos + line.index(content[0])))
            else:
                _classify(line, pos, out, blank_if_empty=i > 0 and pos + len(line) < stop)
        pos += len(line) + 1
    return out


def _around_values(cells: list[_Cell]) -> list[Tok]:
    nums = [i for i, c in enumerate(cells) if c[0] == "num"]
    if not nums:
        return []
    first, last = nums[0], nums[-1]
    while first > 0 and cells[first - 1][0] == "blank":
        first -= 1
    while last + 1 < len(cells) and cells[last + 1][0] == "blank":
        last += 1
    return [
        Tok(value, Position(offset)) if kind == "num" else Tok("", Position(offset), True)
        for kind, value, offset in cells[first : last + 1]
        if kind != "text"
    ]


@dataclass
class TextTables:
    rows: dict[str, RowInput]  # "table3.new" / "table4" → input
    glued: bool
    table3_span: tuple[int, int] | None = None  # text span from table 3's first label to table 4


def _is_glued(text: str, anchors: list[Anchor]) -> bool:
    t3 = [a for a in anchors if a.key.startswith("table3.")]
    if len(t3) < 3:
        return False
    region = text[t3[0].start : t3[-1].end]
    return "\n" not in region and "|" not in region and "\t" not in region


def read_text_tables(stream: LetterStream, template: Template) -> TextTables:
    text = stream.text
    anchors = find_anchors(stream, template)
    glued = _is_glued(text, anchors)
    rows: dict[str, RowInput] = {}
    for i, anchor in enumerate(anchors):
        nxt = anchors[i + 1] if i + 1 < len(anchors) else None
        end = len(text) if nxt is None else strip_numbering(text, anchor.end, nxt.start, nxt.row)
        if nxt is not None and end < anchor.end:
            end = anchor.end
        # a label wrapped around its values ("…行政机关不 0 0 0 0 0 0 0\n再处理其…", pdftotext):
        # the letter stream joins the label, so the values sit inside its span
        inside = _FIRST_DIGIT.search(text, anchor.start, anchor.end)
        toks = gap_tokens(text, inside.start() if inside else anchor.end, end)
        if anchor.key == "table4":
            cells, groups = table4_cells(template)
            rows["table4"] = RowInput(cells, toks, groups, glued=glued or _glued_row(text, toks))
            continue
        assert anchor.row is not None
        table = template.table(anchor.key.split(".")[0])
        cells, groups = row_shape(table, anchor.row)
        rows[anchor.key] = RowInput(
            cells, toks, groups, glued=glued or _glued_row(text, toks), convention=table.key == "table3"
        )
    for table in (template.table2, template.table3):
        for row in table.rows:
            key = f"{table.key}.{row.key}"
            if key not in rows:
                cells, groups = row_shape(table, row)
                rows[key] = RowInput(cells, [], groups, anchored=False)
    if "table4" not in rows:
        cells, groups = table4_cells(template)
        rows["table4"] = RowInput(cells, [], groups, anchored=False)
    t3 = [a for a in anchors if a.key.startswith("table3.")]
    span = None
    if t3:
        t4 = [a.start for a in anchors if a.key == "table4"]
        begin = text.rfind("\n", 0, min(a.start for a in t3)) + 1
        span = (begin, t4[0] if t4 else len(text))
    return TextTables(rows, glued, span)


def _glued_row(text: str, toks: list[Tok]) -> bool:
    """Signs that cells were concatenated: a number with a leading zero ("0000000"), or digits
    stuck to the preceding word with no separator at all ("…政府信息3000025")."""
    if any(len(t.text) > 1 and t.text[0] == "0" and t.text[1].isdigit() for t in toks):
        return True
    first = next((t for t in toks if not t.blank), None)
    off = first.pos.offset if first is not None else None
    return off is not None and off > 0 and CJK.match(text, off - 1) is not None


def sequence_rows(text: str, start: int, end: int, width: int, limit: int | None = None) -> list[list[Tok]]:
    """Rows of exactly ``width`` value cells, line by line (PDF→markdown, one row per line).

    With ``limit``, the scan stops once more than ``limit`` rows were found (the caller only
    wants to know that the count is not ``limit``).
    """
    out: list[list[Tok]] = []
    pos = start
    for line in text[start:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        cells = _split_line(line, line_start)
        if not cells:
            continue
        while cells and cells[0][0].strip() and parse_number(cells[0][0]) is None:
            cells.pop(0)
        while len(cells) > width and not cells[-1][0].strip():
            cells.pop()
        if len(cells) != width:
            continue
        if any(c.strip() and parse_number(c) is None for c, _ in cells):
            continue
        if not any(c.strip() for c, _ in cells) and "|" not in line:
            continue  # an all-blank row counts only as an explicit pipe row (a real blank row)
        out.append([Tok(c.strip(), Position(offset=o), blank=not c.strip()) for c, o in cells])
        if limit is not None and len(out) > limit:
            break
    return out


def _split_line(line: str, base: int) -> list[tuple[str, int]]:
    if "|" in line:
        parts: list[tuple[str, int]] = []
        off = 0
        for piece in line.split("|"):
            lead = len(piece) - len(piece.lstrip())
            parts.append((piece, base + off + lead))
            off += len(piece) + 1
        if parts and not parts[0][0].strip():
            parts.pop(0)
        if parts and not parts[-1][0].strip():
            parts.pop()
        if parts and all(_MD_RULE.match(p) for p, _ in parts):
            return []
        return parts
    if CJK.search(line) and not line.strip().split()[-1].replace(",", "").replace(".", "").isdigit():
        return []
    return [(m.group(), base + m.start()) for m in re.finditer(r"\S+", line)]
