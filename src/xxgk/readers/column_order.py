"""Table 2 printed with its columns in another order than the template's (issue 10, family
reordered-columns): given the text and the rows read by label, return the rows whose value
cells follow their header line's order put back in template column order.

The header line above a block of table 2 names its columns (annual-report.md A.3: 本年制发件数 |
本年废止件数 | 现行有效件数; 2019: 本年新制作数量 | 本年新公开数量 | 对外公开总数量). Where it
names them in another order, the values under it are in that order too. A row whose cells
cannot be matched one for one (blanks dropped: fewer tokens than columns) is left without
values and with its numbers as ``lost``: ambiguous, never a number in the wrong column.
"""

from __future__ import annotations

from dataclasses import replace

from xxgk.readers.anchors import Anchor
from xxgk.readers.rows import RowInput
from xxgk.templates import Row

_LOOK_BACK = 600  # characters searched above a row for its block's header line


def _letters(label: str) -> str:
    """The first letters of a column label, as a header line prints them (本年增/减 → 本年增)."""
    out = ""
    for ch in label:
        if not ("\u4e00" <= ch <= "\u9fff"):
            break
        out += ch
    return out[:5]


_KEYS: dict[int, tuple[str, ...]] = {}  # per template row (templates live for the process)


def _column_keys(row: Row) -> tuple[str, ...]:
    keys = _KEYS.get(id(row))
    if keys is None:
        keys = _KEYS[id(row)] = tuple(_letters(c.label) for c in row.columns)
    return keys


def printed_order(text: str, at: int, row: Row) -> tuple[int, ...] | None:
    """Given the text and where a table 2 row's label starts, return the printed position of
    each template column of ``row`` when the header line above (the last place each column's
    name is printed before the row, all on one line) names them in another order; None when
    in template order or not all named on one line."""
    keys = _column_keys(row)
    if len(keys) < 2 or not all(keys):
        return None
    lo = max(0, at - _LOOK_BACK)
    found = [text.rfind(k, lo, at) for k in keys]
    if min(found) < 0 or "\n" in text[min(found) : max(found)]:
        return None
    ranks = tuple(sorted(found).index(f) for f in found)
    return None if ranks == tuple(range(len(keys))) else ranks


def in_template_order(text: str, anchors: list[Anchor], rows: dict[str, RowInput]) -> dict[str, RowInput]:
    """Given the rows read by label, return them with table 2's values put in template column
    order wherever their header line prints the columns in another order."""
    out = rows
    for anchor in anchors:
        if not anchor.key.startswith("table2.") or anchor.row is None:
            continue
        order = printed_order(text, anchor.start, anchor.row)
        if order is None:
            continue
        row = out[anchor.key]
        if out is rows:
            out = dict(rows)
        if len(row.tokens) != len(order):
            lost = tuple(t for t in row.tokens if not t.blank)
            out[anchor.key] = replace(row, tokens=[], lost=lost or row.lost)
            continue
        out[anchor.key] = replace(row, tokens=[row.tokens[i] for i in order])
    return out
