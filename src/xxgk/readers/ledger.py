"""Number-token accounting (issue 10, build item 1: "within a table's region every number token
ends up in exactly one cell or is reported as unplaced"): given the rows a reader took from the
tables' regions and the readings worked out for them, return per table the value tokens the
reader saw and those no reading placed.

A row's stretch of its table's region is the reader's own: for text, from its label to the next
label or the first prose (text_tables.region_values); for a grid, its value cells. Its value
tokens are what it ``saw`` there, the cells it took and the numbers near a lost row. A token is
placed when the row's readings give it a cell: every reading of a row places every number of it
(candidates.py: placements are order-preserving and complete, a glued run's splits use every
digit), so a row with readings places its numbers — an approximation (约5) lands in its own cell,
ambiguous. A row without readings (lost, overfull, a cut) places none. What is left over is
reported (Report.unplaced → finding V-UNPLACED) and makes the cells it could belong to ambiguous,
with it among their candidates (``unplaced_cells``).

A row the page prints twice with the same numbers (a repeated value row: a crawl or a paste that
doubled a line) is evidence, not loss: the second printing's tokens are accounted ``repeated``,
each standing for the token of the first printing with the same text, and are not reported; the
first printing is placed or unplaced on its own. Twice with different numbers, it is no repeat
and every token stays unplaced (``_second_printing``; review item 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from xxgk.adapters.base import Position
from xxgk.model import Candidate, CellSource, Number, PagePosition, Unplaced
from xxgk.readers.rows import RowInput, RowResult, Tok, approx_number, parse_number
from xxgk.readers.sources import make_source, unchecked_candidate


@dataclass(frozen=True)
class Ledger:
    """Per table ("table2" …): (row key, token) for each value token of its region no cell
    took, in the order printed; ``seen``, every value token of the region, is worked out on use
    (the tests look at it, reading does not need it)."""

    rows: Mapping[str, RowInput]
    unplaced: Mapping[str, tuple[tuple[str, Tok], ...]]
    # per table, (row key, token) of a row's second printing with the same numbers as its first
    repeated: Mapping[str, tuple[tuple[str, Tok], ...]] = field(default_factory=dict)

    @cached_property
    def seen(self) -> dict[str, tuple[Tok, ...]]:
        out: dict[str, dict[Position, Tok]] = {}
        for key, row in self.rows.items():
            mine = out.setdefault(key.split(".", 1)[0], {})
            for tok in _row_seen(row):
                mine.setdefault(tok.pos, tok)
        return {t: tuple(sorted(toks.values(), key=_order)) for t, toks in out.items()}

    def report(self) -> list[Unplaced]:
        """The leftover tokens as the report JSON lists them."""
        return [
            Unplaced(table=table, row=row.split(".", 1)[-1], text=tok.text, offset=_offset(tok.pos))
            for table, left in self.unplaced.items()
            for row, tok in left
        ]


def _offset(pos: Position) -> int | PagePosition | None:
    return PagePosition(page=pos.page, bbox=pos.bbox) if pos.page is not None else pos.offset


def _value(tok: Tok) -> Number | None:
    return parse_number(tok.text) if (n := approx_number(tok.text)) is None else n


def _has_value(tok: Tok) -> bool:
    return not tok.blank and any(ch.isdigit() for ch in tok.text)


def _placed(res: RowResult) -> set[Position]:
    """Where the tokens a row's readings place were printed."""
    if not res.readings or res.how in ("missing", "lost", "overfull"):
        return set()
    if res.how == "split":  # a glued run: every split uses every digit of every token
        return {t.pos for t in res.row.tokens if not t.blank}
    return {t.pos for t in res.row.tokens if not t.blank and _value(t) is not None}


def _row_seen(row: RowInput) -> Iterable[Tok]:
    yield from row.seen
    yield from (t for t in row.tokens if _has_value(t))
    yield from (t for t in row.lost if _has_value(t))


def account(
    rows: Mapping[str, RowInput], results: Mapping[str, RowResult], kept: Iterable[Position] = ()
) -> Ledger:
    """Given each row's input and readings (keys "table3.new", "table4"), and where tokens were
    printed that a stage took whole (``kept``: the 2019 其他处理 row of a 2021 table), return the
    ledger of every table's value tokens."""
    placed = set(kept)  # where every token some reading places was printed
    others: list[str] = []  # rows that may leave some token unplaced
    for key, row in rows.items():
        res = results.get(key)
        if res is not None and not row.seen and not row.lost and _places_all(res):
            placed.update(t.pos for t in row.tokens)  # the common case: every token placed
        else:
            others.append(key)
            if res is not None:
                placed |= _placed(res)
    left: dict[str, list[tuple[str, Tok]]] = {}
    again: dict[str, list[tuple[str, Tok]]] = {}
    for key in others:  # a token two rows saw is unplaced only if neither placed it
        repeat = _second_printing(rows[key])
        for tok in _row_seen(rows[key]):
            if tok.pos not in placed:
                placed.add(tok.pos)  # reported once
                (again if tok.pos in repeat else left).setdefault(key.split(".", 1)[0], []).append((key, tok))
    return Ledger(rows=rows, unplaced=_in_order(left), repeated=_in_order(again))


def _in_order(tokens: Mapping[str, list[tuple[str, Tok]]]) -> dict[str, tuple[tuple[str, Tok], ...]]:
    return {t: tuple(sorted(v, key=lambda kt: _order(kt[1]))) for t, v in tokens.items()}


def _second_printing(row: RowInput) -> set[Position]:
    """Where the row's second printing was, when the page printed the row twice with the same
    texts; else nothing. Only where the printings' bounds are known: the row's cells hold two
    printings cell for cell (twice its cells, blanks printed, halves alike; or a short row printed twice, line after line:
    RowInput.twice), or the row's cells
    hold one printing and the values after it in its stretch of the page are that printing's
    values again, in order. Equal values alone are no evidence: "5 5" in a row that dropped its
    blanks is 5 in two cells, and "0 0 0 0" may be two printings of two values or of other rows.
    """
    n = len(row.cells)
    cells = list(row.tokens)
    if len(cells) > n:  # two printings, cell for cell: 2n cells, or a short printing twice
        half = len(cells) // 2
        alike = len(cells) == 2 * n and any(not t.blank for t in cells) and _alike(cells[:half], cells[half:])
        return {t.pos for t in cells[half:] if not t.blank} if alike or row.twice else set()
    mine = [t for t in cells if _has_value(t)]
    taken = {t.pos for t in cells}
    after = sorted({t.pos: t for t in _row_seen(row) if t.pos not in taken}.values(), key=_order)
    last = max((_order(t) for t in cells), default=(0, 0))
    if not mine or not after or _order(after[0]) < last:
        return set()
    if [t.text.strip() for t in after] != [t.text.strip() for t in mine]:
        return set()
    return {t.pos for t in after}


def _alike(first: list[Tok], second: list[Tok]) -> bool:
    return [(t.text.strip(), t.blank) for t in first] == [(t.text.strip(), t.blank) for t in second]


def _places_all(res: RowResult) -> bool:
    """Every token of the row is in its readings: read cell for cell (exact: each parsed; approx
    with a reading: each a number, an approximation or blank), or a glued run's splits."""
    return (res.how in ("exact", "split") and bool(res.readings)) or (
        res.how == "approx" and bool(res.options)
    )


def _order(tok: Tok) -> tuple[int, int]:
    return (tok.pos.page or 0, tok.pos.offset or 0)


def unplaced_cells(
    ledger: Ledger,
    rows: Mapping[str, RowInput],
    results: Mapping[str, RowResult],
    cells: Mapping[str, CellSource],
) -> dict[str, CellSource]:
    """The cells a leftover token could belong to, made ambiguous with it as a candidate: the
    cells of its row that no printed token fixed (blank without a printed empty cell, placed by
    the arithmetic, or already ambiguous). A row laid out cell for cell prints its blanks: a
    leftover there (a number in a note) belongs to none of them, and is only reported."""
    by_row: dict[str, list[Number]] = {}
    for left in ledger.unplaced.values():
        for key, tok in left:
            value = _value(tok)
            if value is not None:
                by_row.setdefault(key, []).append(value)
    out: dict[str, CellSource] = {}
    for key, values in by_row.items():
        res = results.get(key)
        if res is None or res.how == "exact" or (res.how == "approx" and res.options):
            continue
        for cell in rows[key].cells:
            src = cells.get(cell)
            if src is None or src.status == "read" or (src.status == "blank" and src.text):
                continue
            have: dict[tuple[str, Number], Candidate] = {(c.cell, c.value): c for c in src.candidates or []}
            for v in values:
                have.setdefault((cell, v), unchecked_candidate(cell, v))
            out[cell] = make_source(
                status="ambiguous",
                text=src.text,
                offset=src.offset,
                candidates=list(have.values()),
                note=src.note if src.status == "ambiguous" and src.candidates else UNPLACED_NOTE,
            )
    return out


UNPLACED_NOTE = (
    "numbers printed in this row's part of the table were not placed in any cell (see the report's "
    "unplaced list): this cell may hold one of them (candidates), so it is not known to be blank"
)
