"""Table 3 printed as two tables, its columns split between them (issue 10, family
split-columns): a page too narrow for ten columns prints 自然人 and the first columns of
法人或其他组织 under the row labels, then the remaining columns and 总计 under the same labels
again (annual-report.md A.4: the seven columns of 申请人情况).

Given the letter stream and the anchors found (each row's first occurrence), ``second_block``
returns anchors for the labels printed again after table 3's last row and before table 4, when
most rows are; ``joined`` puts a row's two halves together when their cells add up to the row's
columns, and otherwise leaves the row without values, its numbers lost: ambiguous, never a
number in another column.
"""

from __future__ import annotations

from dataclasses import replace

from xxgk.readers.anchors import Anchor, LetterStream
from xxgk.readers.rows import RowInput, Tok, blank_tok


def second_block(stream: LetterStream, anchors: list[Anchor]) -> list[Anchor]:
    """The anchors of table 3's labels printed again, in order, between its last row and table 4;
    empty unless at least half of its rows are (a repeated row or two is damage, not a split)."""
    t3 = [a for a in anchors if a.key.startswith("table3.")]
    if len(t3) < 4:
        return []
    end = next((a.kstart for a in anchors if a.key == "table4"), len(stream.keys))
    cursor = max(a.kend for a in t3)
    out: list[Anchor] = []
    for a in t3:
        label = stream.keys[a.kstart : a.kend]
        k = stream.find(label, cursor, end)
        if k < 0:
            continue
        out.append(Anchor(a.key, a.row, k, k + len(label), *stream.text_span(k, k + len(label))))
        cursor = k + len(label)
    return out if 2 * len(out) >= len(t3) else []


def joined(first: RowInput, second: RowInput) -> RowInput:
    """A row from its two halves: the first's cells then the second's when they fill the row's
    columns exactly; else no values, every number of both halves lost (ambiguous)."""
    tokens = [*first.tokens, *second.tokens]
    seen = (*first.seen, *second.seen)
    if len(tokens) == len(first.cells):
        return replace(first, tokens=tokens, seen=seen, lost=())
    lost = tuple(t for t in tokens if not t.blank) + first.lost + second.lost
    return replace(first, tokens=[], seen=seen, lost=lost)


def empty_half(text: str, at: int) -> list[Tok]:
    """The empty cells a half's pipe row prints after its label (``at``: "… | | |"), as blank
    tokens; none unless the rest of the line is nothing but empty cells between pipes."""
    eol = text.find("\n", at)
    line = text[at : eol if eol >= 0 else len(text)]
    if "|" not in line or line.replace("|", "").strip():
        return []
    pipes = [at + i for i, ch in enumerate(line) if ch == "|"]
    return [blank_tok(a + 1) for a in pipes[:-1]]
