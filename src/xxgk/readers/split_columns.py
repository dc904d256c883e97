"""Table 3 printed as two tables, its columns split between them (issue 10, family
split-columns): a page too narrow for ten columns prints 自然人 and the first columns of
法人或其他组织 under the row labels, then the remaining columns and 总计 under the same labels
again (annual-report.md A.4: the seven columns of 申请人情况).

Given the letter stream and the anchors found (each row's first occurrence), ``second_block``
returns anchors for the labels printed again after table 3's last row and before table 4, when
most rows are; ``joined`` puts a row's two halves together when their cells add up to the row's
columns, and otherwise leaves the row without values, its numbers lost: ambiguous, never a
number in another column. ``split_table`` tells a split table even where a lost line made
the two blocks unreadable as such: then no row of it is read from one half alone.
"""

from __future__ import annotations

from dataclasses import replace

from xxgk.readers.anchors import Anchor, LetterStream, row_keys
from xxgk.readers.rows import RowInput, Tok, blank_tok
from xxgk.templates import Template


def second_block(stream: LetterStream, anchors: list[Anchor]) -> list[Anchor]:
    """The anchors of table 3's labels printed again, in order, between its last row and table 4;
    empty unless the labels start again from table 3's first row."""
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
    # the second block starts with table 3's first row (a page cut keeps a block's beginning); a
    # row or two repeated after the last one is damage, not a split
    return out if len(out) >= 3 and out[0].key == t3[0].key else []


def joined(first: RowInput, second: RowInput | None, at: int) -> RowInput:
    """A row from its two halves (``second`` None: not found): the first's cells then the
    second's when they fill the row's columns exactly; else no values, every number of both
    halves lost — or, with no number at all, a blank token at ``at`` (its label's end) that
    marks the row lost: ambiguous, never a row of blanks the page did not show."""
    second_tokens = second.tokens if second is not None else []
    tokens = [*first.tokens, *second_tokens]
    seen = (*first.seen, *(second.seen if second is not None else ()))
    if len(tokens) == len(first.cells):
        return replace(first, tokens=tokens, seen=seen, lost=())
    lost = tuple(t for t in tokens if not t.blank) + first.lost + (second.lost if second is not None else ())
    return replace(first, tokens=[], seen=seen, lost=lost or (blank_tok(at),))


def empty_half(text: str, at: int) -> list[Tok]:
    """The empty cells a half's pipe row prints after its label (``at``: "… | | |"), as blank
    tokens; none unless the rest of the line is nothing but empty cells between pipes."""
    eol = text.find("\n", at)
    line = text[at : eol if eol >= 0 else len(text)]
    if "|" not in line or line.replace("|", "").strip():
        return []
    pipes = [at + i for i, ch in enumerate(line) if ch == "|"]
    return [blank_tok(a + 1) for a in pipes[:-1]]


_HEADER_BEFORE = 400  # characters above table 3's first label searched for its header lines
_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def _half_header(text: str, start: int, end: int) -> bool:
    """A header line (cells separated by pipes or tabs) names 自然人 without 总计 or 总计 without
    自然人 among two or more of table 3's columns: it heads only some of them (a split table, or
    what a page cut left of one). The official header puts 自然人 and 总计 on one line and the
    five columns of 法人或其他组织 on the next."""
    for line in text[start:end].split("\n"):
        if "|" not in line and "\t" not in line:
            continue
        named = [c for c in _COLUMNS if c in line]
        if len(named) >= 2 and ("自然人" in named) != ("总计" in named):
            return True
    return False


def split_table(stream: LetterStream, anchors: list[Anchor], template: Template) -> bool:
    """Table 3's labels printed as two blocks (every first occurrence before every second one)
    for three or more of its long labels, between table 3's first label and table 4 — a split
    table, whatever a damaged page left of it; or table 3's first label printed again after its
    last row (a page cut early in the second block). A label repeated as a heading right above its
    row (markdown conversions) interleaves the occurrences, and is not one."""
    t3 = [a for a in anchors if a.key.startswith("table3.")]
    if len(t3) < 4:
        return False
    start = min(a.kstart for a in t3)
    end = next((a.kstart for a in anchors if a.key == "table4"), len(stream.keys))
    firsts: list[int] = []
    seconds: list[int] = []
    labels = [row_keys(row)[0] for row in template.table3.rows]
    for label in (x for x in labels if len(x) >= 6):
        first = stream.find(label, start, end)
        second = stream.find(label, first + len(label), end) if first >= 0 else -1
        if second >= 0:
            firsts.append(first)
            seconds.append(second)
    if len(seconds) >= 3 and max(firsts) < min(seconds):
        return True
    text = stream.text
    if _half_header(
        text,
        max(0, t3[0].start - _HEADER_BEFORE),
        stream.text_span(0, end)[0] if end < len(stream.keys) else len(text),
    ):
        return True
    # a page cut early in the second block: table 3's first label again after its last row
    head = stream.keys[t3[0].kstart : t3[0].kend]
    return len(head) >= 6 and stream.find(head, max(a.kend for a in t3), end) >= 0
