"""Row candidates: given what the layout gave for one template row, return every reading of it
that its layout and its own arithmetic allow.

A row arrives as tokens (numbers as printed, with where they were). Three situations:

* exact — as many cells as columns (explicit blanks included): read as laid out;
* dropped blanks — fewer values than columns, boundaries known: every order-preserving
  placement is a candidate;
* glued — digits of several cells concatenated: the digit run's splits (readers/glued.py).

Candidates are filtered by the row's own arithmetic (annual-report.md A.4/A.5: 总计 = the six
applicant columns; table 4 group 总计 = its four parts); readers/solve.py then solves table 3's
open rows jointly.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from xxgk.model import Number
from xxgk.readers.glued import Split, digit_run, search_run
from xxgk.readers.rows import (
    MAX_OPTIONS,
    Memo,
    Option,
    RowInput,
    RowResult,
    Shared,
    Tok,
    Value,
    approx_number,
    parse_number,
    segments_of,
)
from xxgk.templates import Groups

_STANDALONE = re.compile(r"[+-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?")


def _placements(row: RowInput, values: list[tuple[Number, int]]) -> list[Option]:
    n, k = len(row.cells), len(values)
    out: list[Option] = []
    for combo in itertools.combinations(range(n), k):
        cells: list[tuple[Value, int | None]] = [(None, None)] * n
        for (v, tid), c in zip(values, combo, strict=True):
            cells[c] = (v, tid)
        out.append(tuple(cells))
        if len(out) > MAX_OPTIONS * 4:
            break
    return out


def _fitting_placements(row: RowInput, values: list[tuple[Number, int]]) -> Iterator[Option]:
    """Order-preserving placements that satisfy the row's arithmetic, built group by group: a
    group's 总计 is the last value it takes (or blank, when all its values are 0).

    A segment's readings for a given stretch of values are computed once (memo), and a branch
    that leaves more values than the remaining columns can hold is cut at once; the order in
    which placements come out is the plain depth-first order.
    """
    segs = _segments(row)
    blank: tuple[Value, int | None] = (None, None)
    count = len(values)
    room = [0] * (len(segs) + 1)  # cells available from segment i to the end
    for i in range(len(segs) - 1, -1, -1):
        room[i] = room[i + 1] + (1 if segs[i][0] == "free" else len(segs[i][1]) + 1)

    def fill(chunk: list[tuple[Number, int]], k: int) -> list[list[tuple[Value, int | None]]]:
        if not chunk:
            return [[blank] * (k + 1)]
        out: list[list[tuple[Value, int | None]]] = []
        *items, total = chunk
        if len(items) <= k and sum(v for v, _ in items) == total[0]:
            for combo in itertools.combinations(range(k), len(items)):
                cells = [blank] * k
                for item, c in zip(items, combo, strict=True):
                    cells[c] = item
                out.append([*cells, total])
        if len(chunk) <= k and all(v == 0 for v, _ in chunk):
            for combo in itertools.combinations(range(k), len(chunk)):
                cells = [blank] * k
                for item, c in zip(chunk, combo, strict=True):
                    cells[c] = item
                out.append([*cells, blank])
        return out

    memo: dict[tuple[int, int, int], list[list[tuple[Value, int | None]]]] = {}

    def heads(si: int, ti: int, take: int) -> list[list[tuple[Value, int | None]]]:
        key = (si, ti, take)
        found = memo.get(key)
        if found is None:
            found = memo[key] = fill(values[ti : ti + take], len(segs[si][1]))
        return found

    suffixes: dict[tuple[int, int], list[list[tuple[Value, int | None]]] | None] = {}

    def rests(si: int, ti: int) -> Iterable[list[tuple[Value, int | None]]]:
        """walk(si, ti), kept as a list when it is small (it is replayed under every head)."""
        key = (si, ti)
        if key not in suffixes:
            got = list(itertools.islice(walk(si, ti), MAX_OPTIONS + 1))
            suffixes[key] = got if len(got) <= MAX_OPTIONS else None
        kept = suffixes[key]
        return walk(si, ti) if kept is None else kept

    def walk(si: int, ti: int) -> Iterator[list[tuple[Value, int | None]]]:
        if si == len(segs):
            if ti == count:
                yield []
            return
        if count - ti > room[si]:
            return  # more values left than cells: nothing below can place them all
        kind, items, _ = segs[si]
        if kind == "free":
            for rest in rests(si + 1, ti):
                yield [blank, *rest]
            if ti < count:
                for rest in rests(si + 1, ti + 1):
                    yield [values[ti], *rest]
            return
        for take in range(min(len(items) + 1, count - ti) + 1):
            for head in heads(si, ti, take):
                for rest in rests(si + 1, ti + take):
                    yield head + rest

    for cells in walk(0, 0):
        yield tuple(cells)


def _segments(row: RowInput) -> tuple[tuple[str, tuple[int, ...], int], ...]:
    """Columns in order as ('free', (col,), -1) or ('group', items, total) when a group is contiguous."""
    return segments_of(len(row.cells), row.groups)


@lru_cache(maxsize=8192)
def _standalone(text: str) -> bool:
    """A token that can be one cell by itself: no leading zero ("00", "0476.7") unless it is 0."""
    return _STANDALONE.fullmatch(text.strip()) is not None


def _all_standalone(tokens: list[Tok], numbers: list[tuple[Number, int]]) -> bool:
    return all(_standalone(tokens[i].text) for _, i in numbers)


def candidates_for(row: RowInput) -> RowResult:
    """All readings of one row that its layout and its own arithmetic allow."""
    n = len(row.cells)
    if not row.anchored:
        return RowResult(row, [tuple((None, None) for _ in range(n))], "missing")
    if row.lost and not row.tokens:
        return RowResult(row, [], "lost")
    ids = list(range(len(row.tokens)))
    if (len(ids) >= 2 * n and sum(not t.blank for t in row.tokens) > 1) or row.twice:
        # twice the row's cells, or a short row printed twice (a value row repeated by the
        # page): dropping blank cells until it fits would shift its numbers into other columns
        # (issue 10)
        return RowResult(row, [], "overfull")
    while len(ids) > n and row.tokens[ids[-1]].blank:
        ids.pop()  # trailing empty cells beyond the table's width
    while len(ids) > n and any(row.tokens[i].blank for i in ids):
        ids.remove(next(i for i in ids if row.tokens[i].blank))  # spacer cells (003's NBSP)
    tokens = row.tokens
    values = [None if tokens[i].blank else parse_number(tokens[i].text) for i in ids]
    numbers = [(v, i) for v, i in zip(values, ids, strict=True) if v is not None]
    filled = sum(1 for i in ids if not tokens[i].blank)
    if len(numbers) < filled and any(approx_number(tokens[i].text) is not None for i in ids):
        return _approximate(row, ids, values)
    if len(ids) == n and len(numbers) == filled and (not row.glued or _all_standalone(tokens, numbers)):
        return RowResult(row, [tuple(zip(values, ids, strict=True))], "exact")
    if row.glued and not (len(numbers) == n and _all_standalone(tokens, numbers)):
        return _glued(row)
    if len(numbers) > n:
        return RowResult(row, [], "overfull")
    printed = tuple((tokens[i].text, i) for _, i in numbers)  # the values are read from these
    placed = _placed.get((printed, n, row.groups), lambda: _search_placed(row, numbers))
    assert placed is not None  # there is always some placement
    options = list(placed.options)  # a copy: the memo's is shared
    restricted = None  # the readings under the 自然人 convention, only "when arithmetic allows"
    if row.convention and numbers and placed.fitting:
        first_tok = numbers[0][1]
        kept = [o for o in options if o[0][1] == first_tok]
        if kept and len(kept) < len(options):
            restricted = kept
    return RowResult(row, options, "placed", restricted=restricted, shared=placed)


def _approximate(row: RowInput, ids: list[int], values: list[Value]) -> RowResult:
    """A row printing an approximation (约5, 5左右) in some cell. Laid out cell for cell, the
    other cells are read and that one is left without a value (provenance.py makes it ambiguous,
    the number its candidate); otherwise no cell can be placed. Either way the row settles no
    other row (solve.py counts it unknown): 约5 is not 5."""
    n = len(row.cells)
    texts = [row.tokens[i].text for i in ids]
    if len(ids) == n and all(
        v is not None or row.tokens[i].blank or approx_number(t) is not None
        for v, i, t in zip(values, ids, texts, strict=True)
    ):
        return RowResult(row, [tuple(zip(values, ids, strict=True))], "approx")
    return RowResult(row, [], "approx")


def adds_up(option: Option, groups: Groups) -> bool:
    """Whether a reading satisfies its row's own arithmetic (each 总计 = its parts; blank = 0)."""
    return all(sum(option[i][0] or 0 for i in items) == (option[total][0] or 0) for items, total in groups)


def detached_result(row: RowInput, value_rows: list[list[Tok]]) -> RowResult:
    """A table 3 row whose values are one of ``value_rows`` — or were lost —, which the layout
    cannot tell (readers/detached.py): every cell ambiguous, never settled by the arithmetic."""
    tokens = [tok for cells in value_rows for tok in cells]
    options: list[Option] = []
    for r, cells in enumerate(value_rows):
        base = r * len(row.cells)
        options.append(
            tuple((None if t.blank else parse_number(t.text), base + i) for i, t in enumerate(cells))
        )
    return RowResult(RowInput(row.cells, tokens, row.groups), options, "detached")


class _Placed(Shared):
    """A row's placements in token-id terms (the same wherever the row was printed)."""

    __slots__ = ()


def _search_placed(row: RowInput, numbers: list[tuple[Number, int]]) -> _Placed:
    if row.groups:
        fitting = list(itertools.islice(_fitting_placements(row, numbers), MAX_OPTIONS + 1))
        options = fitting if fitting else _placements(row, numbers)
    else:
        options = fitting = _placements(row, numbers)
    return _Placed(tuple(options), bool(fitting))


def _glued(row: RowInput) -> RowResult:
    digits, where = digit_run(row.tokens)
    n, groups, blanks_dropped = len(row.cells), row.groups, row.blanks_dropped
    split = _runs.get(
        (digits, n, groups, blanks_dropped), lambda: search_run(digits, n, groups, blanks_dropped)
    )
    if split is None:
        return RowResult(row, [], "overfull", fits=False)
    return RowResult(
        row,
        list(split.options),  # a copy: the memo's tuple is shared by every row printing this run
        "split",
        lexical_unique=split.lexical_unique,
        glued_where=where,
        glued_digits=digits,
        shared=split,
    )


_runs: Memo[Split] = Memo(limit=20_000)
_placed: Memo[_Placed] = Memo(limit=20_000)
