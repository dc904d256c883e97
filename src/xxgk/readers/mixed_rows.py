"""A row the template splits but the report prints whole (issue 10): given the rows read for a
2021 table 3 that prints the 2019 template's single （六）其他处理 row, return the whole row and
the cells of the three 2021 sub-rows it stands for.

The 2021 template splits （六）其他处理 into 1. 逾期不补正, 2. 逾期未缴费, 3. 其他 (annual-report.md
A.4). A report still on the 2019 form prints one row `（六）其他处理 | … |`. Its values are kept
as the 2019 row (`table3.other.*`, which the checker names as cells the 2021 template lacks:
V-UNKNOWN-CELL — the finding that names the mixture); each sub-row cell is 0 where the whole
row's column is 0 (the parts of a zero total, counts being non-negative), and `ambiguous`
otherwise, with the column's total as its candidate. The short label 其他 of 3.其他 used to
anchor on 其他处理 and read the whole row as 3.其他: a silent wrong number.
"""

from __future__ import annotations

import re

from xxgk.model import Candidate, CellSource, Number
from xxgk.readers.anchors import Anchor, LetterStream
from xxgk.readers.candidates import candidates_for
from xxgk.readers.rows import RowInput, RowResult, Tok, blank_tok
from xxgk.templates import Template, get_template

# the 2019 template's key of the row, and the 2021 rows it stands for (template data: whole_rows)
((WHOLE, PARTS),) = get_template("2021").table3.whole_rows
_TAIL = "处理"  # 其他 + 处理: the 2019 label, not 2021's 3.其他


def whole_row_anchor(stream: LetterStream, anchors: list[Anchor], rows: dict[str, RowInput]) -> Anchor | None:
    """The anchor 3.其他 took on a printed 其他处理 when 1. and 2. are not in the table, else None."""
    if any(rows[f"table3.{k}"].anchored for k in PARTS[:2]):
        return None
    at = next((a for a in anchors if a.key == "table3." + PARTS[2]), None)
    if at is None or not stream.keys.startswith(_TAIL, at.kend):
        return None
    return at


_EMPTY = " \t|\u00a0\u3000-—/"  # what a line of empty cells holds: separators, spaces, dashes
_NUMBERING = re.compile(r"\s*[(（]?[一二三四五六七八九十\d]{0,3}[)）、.．]?\s*")  # the next row's （七）


def printed_blank(text: str, at: Anchor, anchors: list[Anchor], n: int) -> list[Tok] | None:
    """The whole row's ``n`` empty cells, where the page shows them; None where it may be cut.

    A whole row printed all blank (`| （六）其他处理 | | | … ||`) reads no number, and neither
    does a page cut inside that row: reading both as blanks gave a silent 0 on the cut. Positive
    evidence tells them apart (issue 10): the label's line holds nothing but empty cells, with
    a separator for every one of the row's cells, and the next row's label starts the next line.
    """
    eol = text.find("\n", at.end)
    nxt = next((a for a in anchors if a.start > at.end), None)
    if eol < 0 or nxt is None or nxt.start < eol:
        return None  # the page ends on the row's line, or no label follows it: maybe a cut
    line = text[at.end : eol]
    sep = "|" if "|" in line else "\t"
    first = line.find(sep)
    if first < 0 or line.count(sep) < n or line[first:].strip(_EMPTY):
        return None  # a separator short, or something else printed: not the row's full structure
    if _NUMBERING.fullmatch(text, eol, nxt.start) is None:
        return None  # words or numbers between the row and the next label
    cells = [at.end + first + i for i, ch in enumerate(line[first:]) if ch == sep]
    return [blank_tok(offset + 1) for offset in cells[:n]]


_WHOLE_NOTE = "the report prints the 2019 template's single row （六）其他处理 in a 2021 table"


def unsplit_note(whole: RowInput, columns: int) -> str:
    """What the page shows of a whole row that has no single reading, for its sub-rows' cells:
    a cut (no values, or fewer than its cells) is said as a cut, not as "more values than
    columns" (review item 5: the sub-rows were left out of the solver as `overfull`)."""
    values = sum(1 for t in whole.tokens if not t.blank)
    near = len({t.pos for t in (*whole.lost, *whole.seen) if not t.blank})  # a row's values cut short
    if not whole.tokens and not near:
        seen = "no values after its label: the page may end or be cut there"
    elif not whole.tokens or len(whole.tokens) < columns:
        k = values or near
        seen = f"{k} value{'s' * (k != 1)} for its {columns} cells: the page may be cut inside the row"
    elif values > columns:
        seen = f"{values} values for its {columns} columns"
    else:
        seen = "values that cannot be read cell for cell"
    return f"{_WHOLE_NOTE}, with {seen}; how its values divide among the three 2021 sub-rows is not known"


def split_whole_row(
    whole: RowInput, template: Template
) -> tuple[dict[str, tuple[Number | None, CellSource]], dict[str, tuple[Number | None, CellSource]]] | None:
    """(the whole row's cells as read, the three sub-rows' cells) — None when the whole row has
    no single reading (it then stays with the sub-rows, ambiguous: `unsplit_note`)."""
    columns = [c.key for c in template.table3.columns]
    read: RowResult = candidates_for(
        RowInput(tuple(f"table3.{WHOLE}.{c}" for c in columns), whole.tokens, whole.groups)
    )
    if read.how != "exact":
        return None
    kept: dict[str, tuple[Number | None, CellSource]] = {}
    parts: dict[str, tuple[Number | None, CellSource]] = {}
    note = f"{_WHOLE_NOTE}; its values are kept as table3.other"
    for col, (value, tid) in zip(columns, read.options[0], strict=True):
        tok = whole.tokens[tid] if tid is not None else None
        offset = tok.pos.offset if tok is not None else None
        kept[f"table3.{WHOLE}.{col}"] = (
            value,
            CellSource(
                status="read" if value is not None else "blank", text=tok.text if tok else None, offset=offset
            ),
        )
        for part in PARTS:
            cell = f"table3.{part}.{col}"
            if not value:
                parts[cell] = (
                    0,
                    CellSource(
                        status="inferred",
                        basis="arithmetic",
                        offset=offset,
                        note=note + ": its total here is 0, so is every part",
                    ),
                )
            else:
                parts[cell] = (
                    None,
                    CellSource(
                        status="ambiguous",
                        text=tok.text if tok else None,
                        offset=offset,
                        candidates=[Candidate(cell=cell, value=value)],
                        note=note + f": the three 2021 sub-rows share its {value}, how is not printed",
                    ),
                )
    return kept, parts
