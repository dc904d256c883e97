"""Tables 2–4 from running text: anchor labels, cut value tokens, hand rows to the placer.

Layout families this covers (issue 3): pipe rows, one cell per line, cell-then-pipe, rows
wrapped over lines, blank cells dropped, cells glued together (crawler innerText), spaces that
are not cell boundaries, PDF→markdown with detached labels (readers/detached.py), NBSP
spacer cells, chrome around the report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from xxgk.adapters.base import Position
from xxgk.readers.anchors import (
    CJK,
    Anchor,
    LetterStream,
    find_anchors,
    in_markdown_header,
    is_structural,
    strip_numbering,
)
from xxgk.readers.column_order import in_template_order
from xxgk.readers.rows import (
    ZERO_GLYPHS,
    RowInput,
    Tok,
    approx_number,
    blank_tok,
    parse_number,
    two_printings,
)
from xxgk.readers.split_columns import empty_half, joined, second_block, split_table
from xxgk.templates import Template

_FIRST_DIGIT = re.compile(r"\d")
_NUM = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
# a value as a space-separated row prints it: a number, or an approximation of one (约5, 5左右)
_VALUE = re.compile(
    r"(?:(?:大约|约|将近|近)\s*)?[+-]?\d[\d,]*(?:\.\d+)?(?:\s*(?:件|个|项|万元|元)?\s*(?:左右|上下))?"
)
_APPROX_BEFORE = frozenset(("大约", "约", "将近", "近"))
_APPROX_AFTER = frozenset(("左右", "上下"))
_NEXT_DIGIT = re.compile(r"\s*\d")
_DATE = re.compile(r"\d+[年月日号时]")


def _stop(text: str, start: int, end: int, header: bool = False) -> int:
    """Where the values of a row end: the first prose run, or a number used as a date (2024年).

    With ``header`` (table 4, whose column headers come between its label and its values), a
    short word standing alone in its cell before the first value is a header cell the template
    does not name ("合计"), not prose: it used to end table 4's gap before its values, which
    then read as 15 printed blanks. Elsewhere such a word is an unknown row label, and the
    row's values stop there.
    """
    first = CJK.search(text, start, end)
    if first is None:  # no letters at all (most rows): no prose, and no 年/月/日 for a date
        return end
    prose = end
    values_at = -1  # where the first digit is, looked up only for an unknown word
    for m in CJK.finditer(text, first.start(), end):
        if is_structural(m.group()) or _approximates(text, m) or _zero_cell(text, m):
            continue
        if not header:
            prose = m.start()
            break
        if values_at < 0:
            digit = _FIRST_DIGIT.search(text, start, end)
            values_at = digit.start() if digit else end
        if m.start() < values_at and _header_cell(text, m.start(), m.end()):
            continue
        prose = m.start()
        break
    # the date's 年/月/日 is prose itself, so look one letter past where the prose starts
    date = _DATE.search(text, start, min(prose + 1, end))
    return prose if date is None else date.start()


_CELL_EDGE = " \t|\n"


def _zero_glyph_cell(seg: str) -> bool:
    """Some cell of ``seg`` is a zero typed as a character (〇, 零): a value, not prose."""
    return ("〇" in seg or "零" in seg or "○" in seg) and any(
        c.strip().rstrip("件个项") in ZERO_GLYPHS for c in re.split(r"[|\t\n]", seg)
    )


def _zero_cell(text: str, m: re.Match[str]) -> bool:
    """A letter run that is a zero typed as a character (零, 零件) alone in its cell."""
    return m.group().rstrip("件个项") in ZERO_GLYPHS and _header_cell(text, m.start(), m.end())


def _approximate(seg: str) -> bool:
    """Some approximation mark is in ``seg`` (a cheap test before the slower regex _VALUE)."""
    return "约" in seg or "近" in seg or "左右" in seg or "上下" in seg


def _approximates(text: str, m: re.Match[str]) -> bool:
    """A letter run that only marks a number as approximate (约5, 5左右, 5件左右): part of the
    cell, not prose (issue 10: the number is the cell's candidate, never dropped)."""
    word = m.group()
    if word in _APPROX_BEFORE:
        return _NEXT_DIGIT.match(text, m.end()) is not None
    if word.lstrip("件个项万元") not in _APPROX_AFTER:
        return False
    i = m.start() - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i >= 0 and text[i].isdigit()


def _header_cell(text: str, start: int, end: int) -> bool:
    """A word of at most four letters with nothing but cell boundaries around it."""
    return (
        end - start <= 4
        and (start == 0 or text[start - 1] in _CELL_EDGE)
        and (end == len(text) or text[end] in _CELL_EDGE)
    )


_LABEL_TAIL = re.compile(r"\s*[)）\]】」』\"”’']+(?=\s*\d)")  # a label's closing bracket or quote
_BLANK_MARKS = {"-", "--", "/", "无", "—", "——"}
# a cell printed after its column's name: "自然人：12", "本年增/减：-3", "总计：—"
_NAMED = re.compile(r"([^：:|\t\d]*[\u4e00-\u9fff][^：:|\t\d]*)[：:]\s*(\S+)$")
_DELIMS = re.compile(r"([|\n])")
# a cell here: a Tok (a number), an int (the offset of a blank cell, made a Tok only if kept),
# or None (text: not a cell, but it stops the blank padding around the values)
_Cell = Tok | int | None


def gap_tokens(text: str, start: int, end: int, *, header: bool = False) -> list[Tok]:
    """Value cells between a label and the next one, stopping at prose.

    Numbers are always tokens. Explicit blank cells are tokens too where the layout shows them:
    an empty (or "-", "/") cell between pipes, or a line holding only spaces (an NBSP cell) or a
    dash in one-cell-per-line text. Blank lines and line breaks between bordered rows are not
    cells (001: blank cells dropped entirely). Blanks count only next to the row's values —
    header padding like "总计 | |||" before them or "| |" after is trimmed by the placer.

    A browser's innerText (or a table copied from Word or Excel) puts a tab between the cells of
    a row, an empty cell being two tabs in a row: without pipes, a tab is read as a pipe.
    ``header``: column headers stand between the label and the values (table 4), see _stop.
    """
    return gap_cells(text, start, _stop(text, start, end, header))


def gap_cells(text: str, start: int, stop: int) -> list[Tok]:
    """The value cells of a row's values stretch ``text[start:stop]`` (see gap_tokens)."""
    seg = text[start:stop]
    if not any(map(str.isdigit, seg)) and not _zero_glyph_cell(seg):
        return []  # no number: nothing to keep (most rows of a sparse table)
    pipes = "|" in seg
    tabs = not pipes and "\t" in seg
    if tabs:
        seg, pipes = seg.replace("\t", "|"), True  # same length: offsets still point into text
    if not pipes and "\n" not in seg:
        values = _VALUE if _approximate(seg) else _NUM
        return [Tok(m.group(), Position(m.start())) for m in values.finditer(text, start, stop)]
    if pipes and not tabs:
        simple = _plain_pipe_row(seg, start)
        if simple is not None:
            return simple
    return _cells(text, seg, start, pipes, tabs)


def _inert(seg: str, at: int) -> bool:
    """What follows the row's line in its stretch (``seg[at:]``) adds no cell to it in ``_cells``:
    nothing, or no number at all and a first field that is text (the next label, a heading,
    its numbering "二、"), which ends the row's blank padding; or only the next row's opening
    pipe."""
    rest = seg[at:]
    if not rest or (rest[0] == "|" and not rest[1:].strip()):  # no space before that pipe:
        return True  # " |" on a line of its own is a wrapped row's last cell (_cells)
    if "\t" in rest or _FIRST_DIGIT.search(rest) is not None:
        return False
    first = rest.split("|", 1)[0].split("\n", 1)[0].strip()
    return (
        bool(first)
        and first not in _BLANK_MARKS
        and ":" not in first
        and "：" not in first
        and (first.rstrip("件个项") not in ZERO_GLYPHS)
    )


def _plain_pipe_row(seg: str, start: int) -> list[Tok] | None:
    """The cells of the commonest row, as ``_cells`` reads them, without its field-by-field walk
    (the text reader's largest cost, issue 10 throughput): one pipe line after the label, every
    cell empty or one plain number, nothing before the first pipe, and nothing after the line
    that adds a cell (``_inert``). Else None (``_cells`` reads it). The field after the last pipe
    ends the line: not a cell when empty; zero-width fields ending the line are padding."""
    nl = seg.find("\n")
    if nl < 0 or not _inert(seg, nl + 1):
        return None
    fields = seg[:nl].split("|")
    if fields[0].strip():
        return None
    contents = [f.strip() for f in fields]
    if not all(c.isdecimal() for c in contents[1:] if c):
        return None
    last = len(fields) - 1 if contents[-1] else len(fields) - 2  # the last field that is a cell
    end = last
    if not contents[-1]:
        while end >= 1 and not fields[end]:  # zero-width fields ending the line: padding
            end -= 1
    out: list[Tok] = []
    off = start + len(fields[0]) + 1
    for i in range(1, end + 1):
        field = fields[i]
        content = contents[i]
        if content:
            out.append(Tok(content, Position(off + field.index(content[0]))))
        else:
            out.append(blank_tok(off))
        off += len(field) + 1
    return out if any(not t.blank for t in out) else None


def _cells(text: str, seg: str, start: int, pipes: bool, tabs: bool = False) -> list[Tok]:
    """The cells of a row's text (``seg``, at text offset ``start``), split once at every delimiter.
    A 序号 cell starting a line (the next row's number, ``_serial``) is not a value.

    A field is the text between two delimiters (pipe, line break). Which fields of spaces are
    blank cells depends on the delimiters around them:

    - pipe rows: a field between two pipes (or a last pipe and the end) is a cell, and so is a
      line of spaces that ends at a pipe once a pipe was seen (" | 1 |", not "|\\n|" padding).
      Fields before the first pipe (the label's own cell) and fields ending a line never are;
    - tabs (read as pipes): every field after a tab is a cell, and so is a line's first field
      when a tab ends it (a row is its cells joined by tabs: "\t\t1" is two blanks, then 1);
    - one cell per line: a line of spaces between two line breaks (an NBSP cell).
    """
    parts = _DELIMS.split(seg)  # fields at even indexes, the delimiter between them at odd ones
    last = len(parts) - 1
    head = start + seg.find("|")  # pipe rows: before the first pipe is the label's own cell
    cells: list[_Cell] = []
    # Zero-width fields ("||") that end a line pad it for its merged cells (dev 000 prints a
    # colspan as trailing pipes): no cell of the row. A row printing a run of blank cells as one
    # empty cell (`| 3 |  | 5 |||||`) then has fewer cells than columns, so the cells no reading
    # gives a value are not known to be blank (issue 10, family colspan-blanks): counted as
    # cells, the padding made the row look whole and shifted its total into a blank.
    pads: set[int] = set()
    run: list[int] = []  # the zero-width blank cells since the line's last other cell
    first_num = last_num = -1
    off = start  # text offset of the field
    before = ""  # the delimiter before the field ("" at the start)
    for i in range(0, last + 1, 2):
        field = parts[i]
        content = field.strip()
        if run and before == "\n":  # the line before ended in zero-width fields: its padding
            pads.update(run)
            run = []
        if not content:
            if field or pipes:  # an empty line is never a cell
                after = parts[i + 1] if i < last else ""
                if tabs:  # a tab starts a cell; a line's first cell ends at its first tab
                    if before == "|" or (before == "\n" and after == "|"):
                        cells.append(off)
                elif pipes:
                    if (
                        (before == "|" and after != "\n")
                        or (before == "\n" and after == "|" and field and off > head)
                    ) and not (i == last and _next_rows_pipe(seg, off - start)):
                        if not field and before == "|":
                            run.append(len(cells))
                        else:
                            run = []
                        cells.append(off)
                elif before == "\n" and after == "\n":
                    cells.append(off)
        else:
            run = []
            if (
                content.isdecimal()
                and before == "\n"
                and _serial(text, off + field.index(content[0]), off + len(field.rstrip()))
            ):
                cells.append(None)  # a 序号 cell: the next row's numbering
            elif content.isdecimal():  # the common case: one plain number
                if first_num < 0:
                    first_num = len(cells)
                last_num = len(cells)
                cells.append(Tok(content, Position(off + field.index(content[0]))))
            else:
                n = len(cells)
                _classify(field, content, off, cells, i == 0)
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
    pads.update(run)
    if pads:
        return [
            blank_tok(c) if isinstance(c, int) else c
            for i, c in enumerate(cells[: last_num + 1])
            if i >= first_num and c is not None and i not in pads
        ]
    return [
        blank_tok(c) if isinstance(c, int) else c for c in cells[first_num : last_num + 1] if c is not None
    ]


def _next_rows_pipe(seg: str, at: int) -> bool:
    """The field at ``seg[at:]`` (the stretch's last) follows the pipe that opens the next row's
    line ("| 规范性文件 | …" in markdown): the space before that row's label, not a blank cell of
    this row. Counted as one, a row that printed fewer cells than columns (`| 规章 | 2 | 5 |`)
    looked whole and read its 5 in the wrong column (issue 10, damage short-value-row)."""
    return seg[seg.rfind("\n", 0, at) + 1 : at].strip() == "|"


def _classify(field: str, content: str, offset: int, out: list[_Cell], first: bool) -> None:
    """A field that is not blank and not one plain number: numbers with units, a blank mark, text.

    A label's closing bracket or quote may lead the row's ``first`` field: "（二）部分公开（…情形）
    51 0 0 …" leaves ") 51 0 0 …" after the label, "3.危及“三安全一稳定” 0 1 …" leaves "” 0 1 …"
    (punctuation is no letter, so the label's anchor ends before it). Anywhere else a sign before
    a number (".5", "≈5", "<1") makes the field text, not a number."""
    if content in _BLANK_MARKS:
        out.append(offset + field.index(content[0]))
        return
    named = _NAMED.match(content)
    if named is not None and all(is_structural(w) for w in CJK.findall(named.group(1))):
        # "自然人：12", "总计：—": a cell named by its column (issue 10, family label-value)
        value = named.group(2)
        at = offset + field.index(value, len(named.group(1)))
        if value in _BLANK_MARKS:
            out.append(at)
        else:
            out.append(Tok(value, Position(at)) if parse_number(value) is not None else None)
        return
    if parse_number(content) == 0 and content.rstrip("件个项") in ZERO_GLYPHS:  # 〇, 零: a printed 0
        out.append(Tok(content, Position(offset + field.index(content[0]))))
        return
    if approx_number(content) is not None:  # 约5: the cell's candidate (issue 10)
        out.append(Tok(content, Position(offset + field.index(content[0]))))
        return
    if _FIRST_DIGIT.search(content) is None:  # no number at all: text
        out.append(None)
        return
    values = _VALUE if _approximate(field) else _NUM  # approximations (约5) are cells too: candidates
    nums = list(values.finditer(field))
    tail = _LABEL_TAIL.match(field) if first else None  # only right after the label
    rest = values.sub("", field[tail.end() :] if tail else field).strip()
    if all(ch in "件元个项万" or ch.isspace() for ch in rest):
        out.extend(Tok(m.group(), Position(offset + m.start())) for m in nums)
    else:
        out.append(None)


@dataclass
class TextTables:
    rows: dict[str, RowInput]  # "table3.new" / "table4" → input
    glued: bool
    anchors: list[Anchor] = field(default_factory=list)  # the labels found, in text order
    table3_span: tuple[int, int] | None = None  # from table 3's first label's line to table 4


def _not_cut(stream: LetterStream, anchor: Anchor, lost: tuple[Tok, ...]) -> bool:
    """The last label's values were not lost with the page's end (see _cut_off, _no_table4)."""
    if _cut_off(stream.text, anchor.end) or _label_cut(stream.text, anchor.end):
        return False
    return any(not t.blank for t in lost) or not _no_table4(stream, anchor)


def _cut_inside(text: str, toks: list[Tok], n_cells: int) -> bool:
    """The document ends inside the last row's values: nothing but cell separators after its
    last printed number, and fewer printed values than the row has cells. The cut took the rest,
    so the row is lost (its numbers candidates, issue 10), never read as blanks or as a whole row;
    the empty cell a trailing separator makes is an artefact of the cut, not a blank."""
    printed = [t for t in toks if not t.blank]
    if not printed or len(printed) >= n_cells or printed[-1].pos.offset is None:
        return False
    tail = text[printed[-1].pos.offset + len(printed[-1].text) :]
    return not tail.strip(" |\t\n\r\u00a0\u3000")


def _no_table4(stream: LetterStream, anchor: Anchor) -> bool:
    """Table 4 anchored on a heading or a sentence, and none of its column headers after it: the
    page was cut before the table (not found, never 15 blanks)."""
    return anchor.key == "table4" and all(stream.find(w, anchor.kend) < 0 for w in ("维持", "纠正", "审结"))


def _label_cut(text: str, end: int) -> bool:
    """The document ends a few letters after a label found by its prefix: the page was cut inside
    the label ("一、本年新收政府信息" and nothing more, a label broken over lines — issue 10,
    family cell-lines-wrapped): its values went with the page, the row is not found."""
    rest = text[end:].strip()
    return len(rest) <= 12 and "\n" not in rest and not any(ch.isdigit() for ch in rest)


def _cut_off(text: str, start: int) -> bool:
    """The document ends after ``start`` with nothing but table words (a header, a label): a
    page cut off there (a crawler's truncated copy). The last row's values were lost with it:
    that row is not found, not a row of blanks."""
    return _stop(text, start, len(text)) == len(text)


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
    plans = template.row_plans
    rows: dict[str, RowInput] = {}
    halves: dict[str, RowInput] = {}  # table 3's columns printed as a second table (split_columns.py)
    again = second_block(stream, anchors) if not glued else []
    every = sorted([*anchors, *again], key=lambda a: a.kstart) if again else anchors
    nexts: list[Anchor | None] = [*every[1:], None] if every else []
    for anchor, nxt in zip(every, nexts, strict=True):
        if nxt is None:
            end = len(text)
        else:
            end = max(strip_numbering(text, anchor.end, nxt.start, nxt.row), anchor.end)
        # a label wrapped around its values ("…行政机关不 0 0 0 0 0 0 0\n再处理其…", pdftotext):
        # the letter stream joins the label, so the values sit inside its span
        inside = _FIRST_DIGIT.search(text, anchor.start, anchor.end)
        start = inside.start() if inside else anchor.end
        stop = _stop(text, start, end, anchor.key == "table4")
        toks = gap_cells(text, start, stop)
        lost: tuple[Tok, ...] = ()
        if not toks and again and anchor.key.startswith("table3."):  # a half of empty cells: blank
            toks = empty_half(text, anchor.end)
        if not toks:
            toks = _repeated_label_tokens(stream, anchor, nxt, end)
            if not toks:
                lost = _value_lines(text, anchor.end, end if nxt is not None else anchor.end + _TAIL)
                lost = lost or _no_cells(stream, anchor, nxt, end)
        cells, groups, convention = plans[anchor.key]
        cut = nxt is None and bool(toks) and _cut_inside(text, toks, len(cells))
        if cut:
            toks, lost = [], tuple(t for t in toks if not t.blank)
        (halves if anchor in again else rows)[anchor.key] = RowInput(
            cells,
            toks,
            groups,
            glued or _glued_row(text, toks),
            convention=convention,
            anchored=bool(toks) or cut or nxt is not None or _not_cut(stream, anchor, lost),
            lost=lost,
            seen=region_values(text, start, stop, end, toks),
            twice=len(toks) > len(cells) and two_printings(text, toks, len(cells)),
        )
    rows = in_template_order(text, anchors, rows)
    if "序号" in text:
        rows = _serials_spilled(rows)
    split = bool(again) or (not glued and split_table(stream, anchors, template))
    if split:  # each row from its two halves, none from one half alone
        for anchor in t3:
            rows[anchor.key] = joined(rows[anchor.key], halves.get(anchor.key), anchor.end)
    if len(rows) < len(plans):
        for key, (cells, groups, _) in plans.items():
            if key not in rows:
                rows[key] = RowInput(cells, [], groups, anchored=False)
    span = None
    if t3 and not glued and not split:  # a split table's value rows are not in row order
        t4 = [a.start for a in anchors if a.key == "table4"]
        begin = text.rfind("\n", 0, min(a.start for a in t3)) + 1
        span = (begin, t4[0] if t4 else len(text))
    return TextTables(rows, glued, anchors, span)


# A 序号 cell: a small number starting a line, then a cell boundary, then on the same line a
# label (letters but the blank mark 无, or its numbering "1." — not a decimal "3.5"); a page cut right after a
# value ("1 |" and nothing more) is no serial
_SERIAL_TAIL = re.compile(r"[ \t]*[|\t][ \t|]*(?:[（(]|(?!无)[\u4e00-\u9fff]|\d{1,2}[.、．](?!\d))")


def _serial(s: str, start: int, end: int) -> bool:
    """``s[start:end]`` is a 序号 cell numbering the row on its line ("3 | 三、本年度办理结果 |
    (一)予以公开 | …"), not a value: it starts the line and a label follows it (issue 10,
    family extra-columns). A value spilled onto a line of its own ("12 |", a line break) is not."""
    return (
        end - start <= 3
        and (start == 0 or s[start - 1] == "\n" or s[s.rfind("\n", 0, start) + 1 : start].isspace())
        and _SERIAL_TAIL.match(s, end) is not None
    )


def _serials_spilled(rows: dict[str, RowInput]) -> dict[str, RowInput]:
    """Tables with a 序号 column: a row with more cells than columns, not counting trailing
    blanks (an empty 备注), holds a serial number the line breaks moved off the next row's
    line ("12 |" above "8.属于行政查询事项 | …"). Dropping blank cells until the row fits would
    shift its numbers: the row is lost, its numbers candidates (ambiguous)."""
    out = rows
    for key, row in rows.items():
        toks = row.tokens
        n = len(toks)
        while n > len(row.cells) and toks[n - 1].blank:
            n -= 1
        if n > len(row.cells):
            if out is rows:
                out = dict(rows)
            out[key] = replace(row, tokens=[], lost=tuple(t for t in toks if not t.blank))
    return out


def region_values(text: str, start: int, stop: int, end: int, taken: Sequence[Tok] = ()) -> tuple[Tok, ...]:
    """The value tokens of a row's stretch of the table region: from the end of its label (or
    the first digit inside a label wrapped around its values, ``start``) to where the reader's
    own boundary ends its values (``stop``) — the next label (its numbering "2." excluded,
    ``end``), the first prose word, or a date; where the row's line separates cells (pipes,
    tabs), the words that stopped it are a cell of the row and the stretch runs on to the end of
    that line ("| 5（注） | 2 | 263 |"). A value token is a number or an approximation of one
    (约5); the label's own numbering (（一）, 1.) lies outside the stretch, and the number of a
    word ("数据1") or of a date counts as text, not a value (number conservation, issue 10).

    Only the tokens beyond the cells ``taken`` from the stretch are needed (the ledger counts
    those anyway): when the taken cells hold every digit of it, nothing else is there — the
    common case, told by counting digits without building a token for each number.
    """
    if stop < end:
        line_end = text.find("\n", stop, end)
        line_end = end if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, stop) + 1
        if "|" in text[line_start:line_end] or "\t" in text[line_start:line_end]:
            stop = line_end
    digits = 0
    for t in taken:
        if t.text and not t.text.isdigit():
            break  # not plain digits: count the tokens one by one below
        digits += len(t.text)
    else:
        if digits == len(_FIRST_DIGIT.findall(text, start, stop)):
            return ()  # plain numbers holding every digit there
    return tuple(
        Tok(m.group(), Position(m.start()))
        for m in (_VALUE if _approximate(text[start:stop]) else _NUM).finditer(text, start, stop)
        if (m.start() == start or CJK.match(text, m.start() - 1) is None)  # 数据1: a word's number
        and not (text[m.start() - 1 : m.start()] in ("\n", " ") and _serial(text, m.start(), m.end()))
        and not _numbering(text, m.start(), m.end())
    )


# a label's numbering mark: "2." or "2、" right before the label's first letter or bracket
_NUMBERING_TAIL = re.compile(r"[.、．][ \t]*[\u4e00-\u9fff（(“\"]")


def _numbering(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` numbers a label ("2.其他法律行政法规禁止公开") at the start of a line or
    a cell: the label's, not a value. A row the page prints twice, label and all, has its second
    label inside the first printing's stretch; its numbering is no unplaced number (issue 10)."""
    return (start == 0 or text[start - 1] in "\n|\t \u00a0\u3000") and _NUMBERING_TAIL.match(
        text, end
    ) is not None


def _repeated_label_tokens(stream: LetterStream, anchor: Anchor, nxt: Anchor | None, end: int) -> list[Tok]:
    """The values after a later occurrence of the same label before the next row (issue 10).

    A label may be printed twice: as a heading and again as the row that holds the numbers
    (markdown conversions: `### 一、本年新收…` over a one-row pipe table `| 一、本年新收… | 3 | … |`
    under generic headers `类别 | 数据1 …`; table 4's `行政复议` in a section heading or a
    sentence, then in the table's header). The first occurrence's gap ends at the words after
    it: the occurrence with values wins, never a row of blanks.
    """
    label = stream.keys[anchor.kstart : anchor.kend]
    stop = nxt.kstart if nxt is not None else min(len(stream.keys), anchor.kend + _TAIL)
    k = stream.find(label, anchor.kend, stop)
    while k >= 0:
        _, label_end = stream.text_span(k, k + len(label))
        toks = gap_tokens(stream.text, label_end, end, header=anchor.key == "table4")
        if toks:
            return toks
        k = stream.find(label, k + len(label), stop)
    return []


_TAIL = 1500  # how far after the last label (table 4's) its values are looked for
_VALUE_LINE = re.compile(r"[ \t|\u00a0\u3000]*(?:[+-]?\d[\d,]*(?:\.\d+)?[ \t|\u00a0\u3000-]*)+\n?")


_LABEL_TEXT = re.compile(r"^.*[\u3400-\u9fff）)”\"」』】]")  # the label's own text on its line
_EMPTY_CELLS = " \t|\u00a0\u3000-—/"


def _empty_cells(line: str) -> bool:
    """A printed row of empty cells (not a markdown `|---|` rule)."""
    return ("|" in line or "\t" in line) and "---" not in line and not line.strip(_EMPTY_CELLS)


def _no_cells(stream: LetterStream, anchor: Anchor, nxt: Anchor | None, end: int) -> tuple[Tok, ...]:
    """A layout that separates cells (pipes, tabs) prints a blank row as empty cells: where the
    row's text holds separators but no line of empty cells — after the label on its own line, or
    on a line of its own — (a header, or a markdown table begun under it, then the next section),
    its value row was lost. One blank token there marks the row as lost (ambiguous)."""
    text = stream.text
    header = anchor.key == "table4"
    label = stream.keys[anchor.kstart : anchor.kend]
    last = nxt.kstart if nxt is not None else min(len(stream.keys), anchor.kend + _TAIL)
    separated = False
    k = anchor.kstart
    while k >= 0:  # every occurrence of the label before the next row's (a heading, a header …)
        label_start, label_end = stream.text_span(k, k + len(label))
        stop = _stop(text, label_end, end, header)
        seg = text[label_end:stop]
        if "|" in seg or "\t" in seg:
            separated = True
            whole_lines = seg.split("\n")[1:]  # the lines after the label's, ended before prose
            if not seg.endswith("\n") and stop < end:
                whole_lines = whole_lines[:-1]
            if any(_empty_cells(line) for line in whole_lines):
                return ()
        # table 4's label is a header cell, and so is a label in a markdown table's header row
        if anchor.row is not None and not in_markdown_header(text, label_end):
            line_start = text.rfind("\n", 0, label_start) + 1
            eol = text.find("\n", line_start)
            before = text[line_start:label_start].split("|")  # a group's label, or header words
            own_row = all(is_structural(w) for cell in before for w in CJK.findall(cell))
            if own_row and _empty_cells(
                _LABEL_TEXT.sub("", text[line_start : eol if eol >= 0 else len(text)])
            ):
                return ()  # the label's line prints its cells empty: a blank row, shown as such
        k = stream.find(label, k + len(label), last)
    return (blank_tok(anchor.end),) if separated else ()


def _value_lines(text: str, start: int, end: int) -> tuple[Tok, ...]:
    """The numbers of the lines between ``start`` and ``end`` that hold nothing but numbers and
    cell separators: value rows a label's gap did not reach (it stopped at a header's words)."""
    out: list[Tok] = []
    line_start = text.find("\n", start, end) + 1
    while 0 < line_start < end:
        m = _VALUE_LINE.match(text, line_start, end)
        if m is not None and m.end() > line_start and (m.end() == end or text[m.end() - 1] == "\n"):
            out.extend(
                Tok(n.group(), Position(n.start()))
                for n in _NUM.finditer(text, line_start, m.end())
                if not _serial(text, n.start(), n.end())  # the next row's 序号 ("6 | 2.其他…")
            )
        line_start = text.find("\n", line_start, end) + 1
    return tuple(out)


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
