"""Place the values read for one template row into its cells, then settle leftovers per table.

A row arrives as tokens (numbers as printed, with where they were). Three situations:

* exact — as many cells as columns (explicit blanks included): read as laid out;
* dropped blanks — fewer values than columns, boundaries known: every order-preserving
  placement is a candidate;
* glued — digits of several cells concatenated (a crawler's innerText): every split of the
  digit run into one number per column without leading zeros is a candidate (enumerated
  group by group, the group total being implied by its items, so this is a pruned search,
  not brute force).

Candidates are filtered by the row's own arithmetic (annual-report.md A.4/A.5: 总计 = the six
applicant columns; table 4 group 总计 = its four parts), then table 3 rows that are still open
are solved jointly against the column identities (一+二 = （七）+四, （七） = Σ disposal rows).
Whatever is still undecided becomes ``ambiguous`` with candidates — never a silent guess.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from xxgk.adapters.base import Position
from xxgk.model import Basis, Candidate, CellSource, Number, PagePosition, Status

Value = Number | None
Option = tuple[tuple[Value, int | None], ...]  # per cell: (value, token id) — token id None = blank
Groups = tuple[tuple[tuple[int, ...], int], ...]  # (item columns, total column) per group
# Per-cell summaries of a pool of readings; tuples, because memoised ones are shared by every row
# (and document) printing the same values
Columns = tuple[tuple[tuple[Value, int | None], ...], ...]  # per cell: distinct (value, token)
Landings = tuple[tuple[int, Number, int], ...]  # every (cell, value, token) placed

CONVENTION_NOTE = (
    "convention: blank cells were dropped from this row, so its first value is placed in 自然人 "
    "(natural person); the layout cannot show the column and the table arithmetic allows it. "
    "candidates lists every column the value could belong to"
)
CONVENTION_BLANK_NOTE = (
    "left blank by the 自然人 convention of this row (blank cells were dropped); without the "
    "convention a value of the row could be here — see candidates"
)
DETACHED_NOTE = (
    "labels detached from the values, and this part of table 3 has more or fewer value rows than "
    "template rows (one lost, split or repeated): which values are this row's cannot be told; "
    "candidates lists what the value rows near it give this cell"
)
_MAX_OPTIONS = 5000
_MAX_JOINT = 5000
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


class Tok(NamedTuple):
    """One value cell as printed (``blank`` = an explicit empty cell of a grid / pipe table).

    Immutable like the frozen dataclass it was, at half the cost to build (a report has ~300).
    """

    text: str
    pos: Position
    blank: bool = False


def blank_tok(offset: int) -> Tok:
    """An explicit blank cell at text offset ``offset``."""
    return Tok("", Position(offset), True)


@dataclass
class RowInput:
    """What the layout gave us for one template row (or table 4's single 15-cell row)."""

    cells: tuple[str, ...]
    tokens: list[Tok]
    groups: tuple[tuple[tuple[int, ...], int], ...] = ()  # (item columns, total column)
    glued: bool = False  # digits of neighbouring cells may be concatenated
    blanks_dropped: bool = False  # glued AND empty cells left no trace: any cell may be missing
    convention: bool = False  # table 3: first value of a dropped-blank row → 自然人
    anchored: bool = True  # False: the row's label was not found at all
    # no values taken, but value-only lines near the label hold these numbers (number
    # conservation, issue 10): the row is ambiguous, "values not found", never blank
    lost: tuple[Tok, ...] = ()


@dataclass
class RowResult:
    row: RowInput
    options: list[Option]
    how: Literal["exact", "split", "placed", "missing", "overfull", "detached", "lost"]
    lexical_unique: bool = False  # a glued split that needed no arithmetic
    restricted: list[Option] | None = None  # options under the 自然人 convention
    convention_used: bool = False
    # where every digit of a glued run was printed: its offset, or its token's position when the
    # token has no offset (PDF) — Position objects only where a cell needs one (see _offset_of)
    glued_where: list[int | Position] | None = None
    glued_digits: str | None = None
    fits: bool = True  # a glued run has a full split satisfying the row's arithmetic
    # filled by the solver:
    chosen: list[Option] = field(default_factory=list)
    landings: dict[int, Landings] = field(default_factory=dict, repr=False)
    columns: dict[int, Columns] = field(default_factory=dict, repr=False)
    # the memoised readings this row's options were copied from (glued run or placed values)
    shared: _Shared | None = field(default=None, repr=False)


@lru_cache(maxsize=8192)
def parse_number(text: str) -> Number | None:
    """The number a cell prints ("1,234", "3027.6557", "+1036", "-5"), or None."""
    t = text.strip().replace(" ", "")
    for unit in ("万元", "件", "元", "个", "项"):
        t = t.removesuffix(unit)
    if not t or _NUMBER.fullmatch(t) is None:
        return None
    t = t.replace(",", "").removeprefix("+")
    if "." in t:
        try:
            return Decimal(t)
        except InvalidOperation:
            return None
    return int(t)


# ------------------------------------------------------------------ per-row candidates
def _placements(row: RowInput, values: list[tuple[Number, int]]) -> list[Option]:
    n, k = len(row.cells), len(values)
    out: list[Option] = []
    for combo in itertools.combinations(range(n), k):
        cells: list[tuple[Value, int | None]] = [(None, None)] * n
        for (v, tid), c in zip(values, combo, strict=True):
            cells[c] = (v, tid)
        out.append(tuple(cells))
        if len(out) > _MAX_OPTIONS * 4:
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
            got = list(itertools.islice(walk(si, ti), _MAX_OPTIONS + 1))
            suffixes[key] = got if len(got) <= _MAX_OPTIONS else None
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
    return _segments_of(len(row.cells), row.groups)


@lru_cache(maxsize=256)
def _segments_of(
    n: int, groups: tuple[tuple[tuple[int, ...], int], ...]
) -> tuple[tuple[str, tuple[int, ...], int], ...]:
    by_start = {min((*items, total)): (items, total) for items, total in groups}
    segs: list[tuple[str, tuple[int, ...], int]] = []
    c = 0
    while c < n:
        g = by_start.get(c)
        if g is not None and list(g[0]) == list(range(c, c + len(g[0]))) and g[1] == c + len(g[0]):
            segs.append(("group", g[0], g[1]))
            c = g[1] + 1
        else:
            segs.append(("free", (c,), -1))
            c += 1
    return tuple(segs)


def _splits(digits: str, n: int, groups: Groups) -> Iterator[list[tuple[int, int]]]:
    """Every split of ``digits`` into one number per column (each contiguous group adding up to
    its total; ``groups=()`` for the plain splits): lists of (start, end) spans."""
    segs = _segments_of(n, groups)
    n_left = [0] * (len(segs) + 1)
    for i in range(len(segs) - 1, -1, -1):
        kind, items, _ = segs[i]
        n_left[i] = n_left[i + 1] + (len(items) + 1 if kind == "group" else 1)
    length = len(digits)

    def parts(pos: int, count: int, reserve: int) -> Iterator[list[tuple[int, int]]]:
        if count == 0:
            yield []
            return
        max_end = length - reserve - (count - 1)
        for end in range(pos + 1, max_end + 1):
            piece = digits[pos:end]
            core = piece[1:] if piece[0] in "+-" else piece
            if not core:
                continue
            if core[0] in ".+-" or (core[0] == "0" and len(core) > 1 and core[1] != "."):
                break  # no longer piece can be a number either
            if _PART.fullmatch(piece) is None:
                continue
            if end < length and digits[end] == ".":
                continue  # a part never ends right before a decimal point
            for rest in parts(end, count - 1, reserve):
                yield [(pos, end), *rest]

    def walk(si: int, pos: int) -> Iterator[list[tuple[int, int]]]:
        if si == len(segs):
            if pos == length:
                yield []
            return
        kind, items, _ = segs[si]
        if kind == "free":
            for first in parts(pos, 1, n_left[si + 1]):
                for rest in walk(si + 1, first[0][1]):
                    yield first + rest
            return
        k = len(items)
        # choose where the group's 总计 sits, then split the digits before it into k counts that
        # add up to it — pruned by the sum, so long runs stay cheap
        first_end = length if si == len(segs) - 1 else pos + k + 1
        for end in range(first_end, length - n_left[si + 1] + 1):
            for t in range(pos + k, end):
                if end - t > t - pos:
                    continue  # the total has more digits than all the items together: too large
                piece = digits[t:end]
                if not piece.isdecimal() or (len(piece) > 1 and piece[0] == "0"):
                    continue
                total = int(piece)
                if _cannot_sum(t - pos, k, total):
                    continue
                for item_spans in _sum_splits(digits, pos, t, total, k, least=k):
                    for rest in walk(si + 1, end):
                        yield [*item_spans, (t, end), *rest]

    yield from walk(0, 0)


def _digit_run(tokens: list[Tok]) -> tuple[str, list[int | Position]]:
    """The digits (and . + -) of a glued row, with where each was printed (see glued_where)."""
    digits: list[str] = []
    where: list[int | Position] = []
    for tok in tokens:
        text, off = tok.text, tok.pos.offset
        if text.isdigit() and text.isascii():  # the usual run: every character is a digit
            digits.append(text)
            where.extend(range(off, off + len(text)) if off is not None else [tok.pos] * len(text))
            continue
        for i, ch in enumerate(text):
            if ch.isdecimal() or ch in ".+-":
                digits.append(ch)
                where.append(off + i if off is not None else tok.pos)
    return "".join(digits), where


_STANDALONE = re.compile(r"[+-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?")
_POW10 = tuple(10**i for i in range(40))
_PART = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")  # one cell cut out of a glued run


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
    if len(ids) >= 2 * n and sum(not t.blank for t in row.tokens) > 1:
        # twice the row's cells (a value row repeated by the page): dropping blank cells until
        # it fits would shift its numbers into other columns (issue 10)
        return RowResult(row, [], "overfull")
    while len(ids) > n and row.tokens[ids[-1]].blank:
        ids.pop()  # trailing empty cells beyond the table's width
    while len(ids) > n and any(row.tokens[i].blank for i in ids):
        ids.remove(next(i for i in ids if row.tokens[i].blank))  # spacer cells (003's NBSP)
    tokens = row.tokens
    values = [None if tokens[i].blank else parse_number(tokens[i].text) for i in ids]
    numbers = [(v, i) for v, i in zip(values, ids, strict=True) if v is not None]
    filled = sum(1 for i in ids if not tokens[i].blank)
    if len(ids) == n and len(numbers) == filled and (not row.glued or _all_standalone(tokens, numbers)):
        return RowResult(row, [tuple(zip(values, ids, strict=True))], "exact")
    if row.glued and not (len(numbers) == n and _all_standalone(tokens, numbers)):
        return _glued(row)
    if len(numbers) > n:
        return RowResult(row, [], "overfull")
    printed = tuple((tokens[i].text, i) for _, i in numbers)  # the values are read from these
    placed = _placed.get((printed, n, row.groups), lambda: _search_placed(row, numbers))
    assert placed is not None  # there is always some placement
    result = RowResult(row, list(placed.options), "placed", shared=placed)  # a copy: the memo's is shared
    if row.convention and numbers and placed.fitting:  # only "when arithmetic allows"
        first_tok = numbers[0][1]
        restricted = [o for o in result.options if o[0][1] == first_tok]
        if restricted and len(restricted) < len(result.options):
            result.restricted = restricted
    return result


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


class _Shared:
    """Readings memoised in token-id / digit-index terms, shared read-only by every row printing
    the same values, with their per-cell summaries (a pass over every reading each) worked out
    once too instead of once per row: the rows of a blanks-dropped or glued page have hundreds."""

    __slots__ = ("_columns", "_landings", "options")

    def __init__(self, options: tuple[Option, ...]) -> None:
        self.options = options
        self._columns: Columns | None = None
        self._landings: Landings | None = None

    def holds(self, pool: list[Option]) -> bool:
        """``pool`` is exactly these readings (the solver left the row's copy untouched)."""
        return len(pool) == len(self.options) and tuple(pool) == self.options

    def columns(self, n: int) -> Columns:
        """_distinct_columns of all the readings, computed on first use."""
        if self._columns is None:
            self._columns = _distinct_columns(self.options, n)
        return self._columns

    def landings(self) -> Landings:
        """_placed_values of all the readings, computed on first use."""
        if self._landings is None:
            self._landings = _placed_values(self.options)
        return self._landings


class _Placed(_Shared):
    """A row's placements in token-id terms (the same wherever the row was printed)."""

    __slots__ = ("fitting",)

    def __init__(self, options: tuple[Option, ...], fitting: bool) -> None:
        super().__init__(options)
        self.fitting = fitting  # they satisfy the row's arithmetic (else: every order-preserving placement)


def _search_placed(row: RowInput, numbers: list[tuple[Number, int]]) -> _Placed:
    if row.groups:
        fitting = list(itertools.islice(_fitting_placements(row, numbers), _MAX_OPTIONS + 1))
        options = fitting if fitting else _placements(row, numbers)
    else:
        options = fitting = _placements(row, numbers)
    return _Placed(tuple(options), bool(fitting))


def _sum_splits(
    digits: str, start: int, end: int, total: int, most: int, least: int = 1
) -> Iterator[list[tuple[int, int]]]:
    """Splits of digits[start:end] into least..most counts (no leading zeros) adding up to total.

    However the digits are cut, the parts add up to at least the digits' own sum and to the same
    value modulo 9 (10 ≡ 1 mod 9), so most stretches are rejected before any cut is tried.
    """
    span = end - start
    if span == 0 or span < least:
        return
    if _cannot_sum(span, most, total):
        return
    sums = _digit_sums(digits)
    if sums is not None:
        floor = sums[end] - sums[start]
        if floor > total or (total - floor) % 9:
            return
    if most == 1:  # one part left: the rest of the run must be the total itself
        if least <= 1 and _count_at(digits, start, end) == total:
            yield [(start, end)]
        return
    for cut in range(start + 1, end + 1):
        if end - cut < least - 1:
            break  # too few digits left for the parts still to come
        piece = digits[start:cut]
        if not piece.isdecimal() or (len(piece) > 1 and piece[0] == "0"):
            break
        value = int(piece)
        if value > total:
            break
        if cut == end:
            if value == total and least <= 1:
                yield [(start, cut)]
        elif most == 2:  # the last part is what remains (the recursion's one-part case, inline)
            if least <= 2 and _count_at(digits, cut, end) == total - value:
                yield [(start, cut), (cut, end)]
        else:
            for rest in _sum_splits(digits, cut, end, total - value, most - 1, max(1, least - 1)):
                yield [(start, cut), *rest]


@lru_cache(maxsize=256)
def _digit_sums(digits: str) -> tuple[int, ...] | None:
    """Prefix sums of the digits of a run; None when the run holds anything but ASCII digits (a
    decimal point, a sign), which turns the pruning off for it.

    A run is searched many times (once per position of a total), hence the small cache.
    """
    if not (digits.isdigit() and digits.isascii()):
        return None
    return (0, *itertools.accumulate(map(int, digits)))


def _cannot_sum(span: int, most: int, total: int) -> bool:
    """True if ``span`` digits cut into at most ``most`` counts must exceed ``total``: some part has
    at least ceil(span / most) digits and, with no leading zero, is at least 10^(that - 1)."""
    longest = -(-span // most)
    return longest > 1 and (_POW10[longest - 1] if longest <= len(_POW10) else 10 ** (longest - 1)) > total


def _count_at(digits: str, start: int, end: int) -> int:
    """digits[start:end] as a count (digits only, no leading zero), else -1."""
    piece = digits[start:end]
    if not piece.isdecimal() or (len(piece) > 1 and piece[0] == "0"):
        return -1
    return int(piece)


def _blank_splits(digits: str, n: int, groups: Groups) -> tuple[Option, ...] | None:
    """Readings of a glued run where empty cells left no trace: each column takes a number or
    nothing, or None when there is none or more than _MAX_OPTIONS.

    A group (items then 总计) takes a stretch of digits whose items add up to its total, so the
    search is pruned by the arithmetic instead of enumerating placements blindly. The readings
    are counted first (cheap: a sum over stretch boundaries), then built by a dynamic programme
    over (segment, digit position) whose shared suffixes are built once as tuples. The order is
    the depth-first one: stretch end outermost, then the rest of the row, then the segment's own
    reading.
    """
    segs = _segments_of(n, groups)
    length = len(digits)
    last = len(segs) - 1
    blank: tuple[Value, int | None] = (None, None)

    def group(start: int, end: int, k: int) -> Iterator[Option]:
        if start == end:
            yield (blank,) * (k + 1)
            return
        for t in range(end - 1, start - 1, -1):  # the total is the last number of the stretch
            if start < t and end - t > t - start:
                continue  # the total has more digits than all the items together: too large
            piece = digits[t:end]
            if not piece.isdecimal() or (len(piece) > 1 and piece[0] == "0"):
                continue
            total = int(piece)
            if t == start:
                if total == 0:
                    yield (*([blank] * k), (0, t))
                continue
            if _cannot_sum(t - start, k, total):
                continue
            for parts in _sum_splits(digits, start, t, total, k):
                values = [(int(digits[a:b]), a) for a, b in parts]
                for combo in itertools.combinations(range(k), len(parts)):
                    cells = [blank] * k
                    for value, c in zip(values, combo, strict=True):
                        cells[c] = value
                    yield (*cells, (total, t))
        stretch = digits[start:end]
        if set(stretch) == {"0"} and len(stretch) <= k:  # total left blank: every item is 0
            for combo in itertools.combinations(range(k), len(stretch)):
                cells = [blank] * k
                for j, c in enumerate(combo):
                    cells[c] = (0, start + j)
                yield (*cells, blank)

    def free(start: int, end: int) -> tuple[Option, ...]:
        if start == end:
            return ((blank,),)
        if _PART.fullmatch(digits[start:end]) is not None:
            return (((parse_number(digits[start:end]), start),),)
        return ()

    heads_memo: dict[tuple[int, int, int], tuple[Option, ...]] = {}

    def heads(si: int, start: int, end: int) -> tuple[Option, ...]:
        """Readings of segment si alone over digits[start:end]."""
        key = (si, start, end)
        found = heads_memo.get(key)
        if found is None:
            kind, items, _ = segs[si]
            found = free(start, end) if kind == "free" else tuple(group(start, end, len(items)))
            heads_memo[key] = found
        return found

    counts: dict[tuple[int, int], int] = {}

    def count(si: int, pos: int) -> int:
        """How many readings segments si.. have for digits[pos:]."""
        if si > last:
            return 1 if pos == length else 0
        found = counts.get((si, pos))
        if found is None:
            found = 0
            for end in range(length if si == last else pos, length + 1):
                options = heads(si, pos, end)
                if options:
                    found += len(options) * count(si + 1, end)
            counts[(si, pos)] = found
        return found

    if not 0 < count(0, 0) <= _MAX_OPTIONS:
        return None
    built: dict[tuple[int, int], list[Option]] = {}

    def build(si: int, pos: int) -> list[Option]:
        """The readings count(si, pos) counted (called only where that is not 0)."""
        if si > last:
            return [()]
        found = built.get((si, pos))
        if found is None:
            found = []
            for end in range(length if si == last else pos, length + 1):
                options = heads(si, pos, end)
                if options and count(si + 1, end):
                    found.extend([head + rest for rest in build(si + 1, end) for head in options])
            built[(si, pos)] = found
        return found

    return tuple(build(0, 0))


class _Split(_Shared):
    """A glued run's readings, digits counted from the start of the run (token id = digit index).

    They depend only on the digits and the row's shape, never on where the run was printed, so
    they are worked out once per distinct run (see _Memo) and shared by every row printing it.
    """

    __slots__ = ("lexical_unique",)

    def __init__(self, options: tuple[Option, ...], lexical_unique: bool) -> None:
        super().__init__(options)
        self.lexical_unique = lexical_unique  # a single plain split: no arithmetic was needed


def _glued(row: RowInput) -> RowResult:
    digits, where = _digit_run(row.tokens)
    n, groups, blanks_dropped = len(row.cells), row.groups, row.blanks_dropped
    split = _runs.get(
        (digits, n, groups, blanks_dropped), lambda: _search_run(digits, n, groups, blanks_dropped)
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


R = TypeVar("R", bound=_Shared)
_UNSEEN: Any = object()


class _Memo(Generic[R]):
    """Readings already worked out for a row's printed values, keyed by what they depend on
    (never by where they were printed).

    Zero rows ("0000000", or table 4's "0000000000" with its 3003 readings when blanks were
    dropped) recur in every report. Bounded by the number of readings kept, not of keys: when
    full it is emptied (the recurring rows come straight back), so memory never grows.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: dict[Hashable, R | None] = {}
        self.size = 0

    def get(self, key: Hashable, search: Callable[[], R | None]) -> R | None:
        """The readings for ``key``, from ``search()`` the first time."""
        kept = self.kept.get(key, _UNSEEN)
        if kept is not _UNSEEN:
            return kept
        found = search()
        size = 1 + (len(found.options) if found is not None else 0)
        if size > self.limit // 4:
            return found  # too big to keep
        if self.size + size > self.limit:
            self.clear()
        self.kept[key] = found
        self.size += size
        return found

    def clear(self) -> None:
        self.kept.clear()
        self.size = 0


# 20k readings (their cells mostly shared): a few MB in all, tens at the very worst
_runs: _Memo[_Split] = _Memo(limit=20_000)
_placed: _Memo[_Placed] = _Memo(limit=20_000)


def _search_run(digits: str, n: int, groups: Groups, blanks_dropped: bool) -> _Split | None:
    """Every reading of a glued run in a row of ``n`` cells, or None when none fits (or the
    search is too large to finish: reported as not placed, never cut short)."""
    if blanks_dropped:
        # empty cells vanished too: any column may be empty. Only the row's arithmetic narrows
        # this down, so many such rows end ambiguous — which is the truth of such a page.
        options = _blank_splits(digits, n, groups)
        return None if options is None else _Split(options, lexical_unique=False)
    segs = _segments_of(n, groups)
    chosen: list[list[tuple[int, int]]]
    if len(digits) == n and digits.isdigit() and digits.isascii():
        # one digit per cell (the common glued row, "3000025"): the only split there is, without
        # the search — kept if every contiguous group adds up, exactly as _splits would decide
        adds_up = all(
            sum(int(digits[i]) for i in items) == int(digits[total])
            for kind, items, total in segs
            if kind == "group"
        )
        if not adds_up:  # only possible with groups: see below
            return None
        chosen = [[(i, i + 1) for i in range(n)]]
        lexical_unique = True
    else:
        chosen = list(itertools.islice(_splits(digits, n, groups), _MAX_OPTIONS + 1))
        if not chosen or len(chosen) > _MAX_OPTIONS:
            # with groups, no full split adds up: the page dropped empty cells too, and the reader
            # re-reads every glued row with blanks allowed (readers._candidates)
            return None
        # unique only if no other plain split exists; the sums' splits are plain splits too, so
        # with two of them the plain ones cannot be unique either
        lexical_unique = len(chosen) == 1 and (
            not groups or len(list(itertools.islice(_splits(digits, n, ()), 2))) == 1
        )
    options = tuple(tuple((parse_number(digits[a:b]), a) for a, b in spans) for spans in chosen)
    return _Split(options, lexical_unique)


# ------------------------------------------------------------------ joint solving (table 3)
def _column_identities(shape: Table3Shape) -> list[tuple[list[str], list[str]]]:
    """Per column (A.4): 一+二 = （七）+四, and （七） = Σ disposal rows; as (left, right) cell lists."""
    out: list[tuple[list[str], list[str]]] = []
    for col in shape.columns:
        out.append(
            ([f"{r}.{col}" for r in shape.intake], [f"{shape.total_row}.{col}", f"{shape.carry}.{col}"])
        )
        out.append(([f"{r}.{col}" for r in shape.disposal], [f"{shape.total_row}.{col}"]))
    return out


@dataclass
class Table3Shape:
    intake: tuple[str, ...]
    disposal: tuple[str, ...]
    total_row: str
    carry: str
    columns: tuple[str, ...]


def _product(pools: dict[str, list[Option]], rows: list[str]) -> int:
    size = 1
    for k in rows:
        size *= max(1, len(pools[k]))
    return size


def solve_table(results: dict[str, RowResult], shape: Table3Shape | None) -> None:
    """Fill ``chosen`` for every row: the options consistent with the table as a whole."""
    for res in results.values():
        res.chosen = list(res.options)
    if shape is None:
        return
    # rows whose values are unknown: an identity naming them cannot decide anything
    # (a row not found is unknown too, not a row of zeros: it must not settle another row)
    unknown = {k for k, r in results.items() if r.how in ("overfull", "detached", "lost", "missing")}
    open_rows = [k for k, r in results.items() if len(r.options) > 1 and k not in unknown]
    if not open_rows:
        return
    full = {k: results[k].options for k in open_rows}
    restricted = {k: (results[k].restricted or results[k].options) for k in open_rows}
    use_convention = any(results[k].restricted for k in open_rows)
    if _product(restricted if use_convention else full, open_rows) > _MAX_JOINT:
        return  # too many combinations: leave each row to its own readings (ambiguous, not guessed)
    col_index = {c: i for i, c in enumerate(shape.columns)}
    open_set = set(open_rows)
    # Each identity as Σ sign·cell = 0. Fixed rows fold into a constant; every option of an open
    # row becomes a vector of its contributions, so checking a combination is a few additions.
    consts: list[int] = []
    terms: list[dict[str, list[tuple[int, int]]]] = []  # per identity: open row → [(sign, column)]
    for left, right in _column_identities(shape):
        if unknown and any(cell.split(".")[0] in unknown for cell in (*left, *right)):
            continue
        const = 0
        by_row: dict[str, list[tuple[int, int]]] = {}
        for sign, cells in ((1, left), (-1, right)):
            for cell in cells:
                row, col = cell.split(".")
                fixed = results.get(row)
                if fixed is None:
                    continue
                if row in open_set:
                    by_row.setdefault(row, []).append((sign, col_index[col]))
                elif fixed.options:
                    const += sign * int(fixed.options[0][col_index[col]][0] or 0)
        if by_row:
            consts.append(const)
            terms.append(by_row)
    contrib: dict[str, dict[Option, list[int]]] = {}
    for k in open_rows:
        contrib[k] = {
            opt: [sum(sign * int(opt[ci][0] or 0) for sign, ci in t.get(k, ())) for t in terms]
            for opt in results[k].options
        }

    def consistent(pools: dict[str, list[Option]]) -> list[dict[str, Option]]:
        if _product(pools, open_rows) > _MAX_JOINT:
            return []
        good: list[dict[str, Option]] = []
        vectors = [[contrib[k][opt] for opt in pools[k]] for k in open_rows]
        for combo, vecs in zip(
            itertools.product(*(pools[k] for k in open_rows)), itertools.product(*vectors), strict=True
        ):
            if not any(map(sum, zip(consts, *vecs, strict=True))):  # every identity balances
                good.append(dict(zip(open_rows, combo, strict=True)))
        return good

    good: list[dict[str, Option]] = []
    if use_convention:
        good = consistent(restricted)
        if good:
            for k in open_rows:
                if results[k].restricted:
                    results[k].convention_used = True
    if not good:
        good = consistent(full)
    if not good:
        return
    for k in open_rows:
        results[k].chosen = list(dict.fromkeys(assign[k] for assign in good))


# ------------------------------------------------------------------ cells out
_new = object.__new__
_set = object.__setattr__
_EXACT_FIELDS = ("status", "text", "offset")
_ALL_FIELDS = (*_EXACT_FIELDS, "candidates", "note", "basis")


def _unchecked_source(
    status: Status,
    text: str | None,
    offset: int | PagePosition | None,
    candidates: list[Candidate] | None,
    note: str | None,
    basis: Basis | None,
    given: tuple[str, ...],
) -> CellSource:
    """CellSource(**given fields) without re-validating what this module built itself.

    A report holds ~200 of these; pydantic validation was ~a tenth of the reading time. This is
    what ``model_construct`` does (which is slower than validating for so small a model), and
    ``_FAST`` is only on if the result is indistinguishable from a validated instance.
    """
    if _FAST is None:
        _decide_fast()
    if not _FAST:
        values = dict(zip(_ALL_FIELDS, (status, text, offset, candidates, note, basis), strict=True))
        return CellSource(**{k: values[k] for k in given})
    obj = _new(CellSource)
    _set(
        obj,
        "__dict__",
        {
            "status": status,
            "text": text,
            "offset": offset,
            "candidates": candidates,
            "note": note,
            "basis": basis,
        },
    )
    _set(obj, "__pydantic_fields_set__", set(given))
    _set(obj, "__pydantic_extra__", {})
    _set(obj, "__pydantic_private__", None)
    return obj


def _unchecked_candidate(cell: str, value: Number) -> Candidate:
    """Candidate(cell=…, value=…) without validation (values come from parse_number / int())."""
    if _FAST is None:
        _decide_fast()
    if not _FAST or (isinstance(value, Decimal) and value.as_tuple().exponent == 0):
        return Candidate(cell=cell, value=value)  # let the model normalise an integral Decimal
    obj = _new(Candidate)
    _set(obj, "__dict__", {"cell": cell, "value": value})
    _set(obj, "__pydantic_fields_set__", {"cell", "value"})
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _same_model(a: Any, b: Any) -> bool:
    return bool(
        type(a) is type(b)
        and a.__dict__ == b.__dict__
        and a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and a.__pydantic_private__ == b.__pydantic_private__
        and a.model_dump_json() == b.model_dump_json()
    )


def _fast_is_safe() -> bool:
    """The shortcut builds exactly what validation builds (guards against a pydantic upgrade)."""
    global _FAST
    _FAST = True
    try:
        cand = _unchecked_candidate("table3.new.total", Decimal("1.5"))
        pairs = [
            (cand, Candidate(cell="table3.new.total", value=Decimal("1.5"))),
            (
                _unchecked_source("read", "3", 7, None, None, None, _EXACT_FIELDS),
                CellSource(status="read", text="3", offset=7),
            ),
            (
                _unchecked_source(
                    "ambiguous", None, PagePosition(page=1), [cand], "n", "arithmetic", _ALL_FIELDS
                ),
                CellSource(
                    status="ambiguous",
                    text=None,
                    offset=PagePosition(page=1),
                    candidates=[Candidate(cell="table3.new.total", value=Decimal("1.5"))],
                    note="n",
                    basis="arithmetic",
                ),
            ),
        ]
        return not CellSource.__pydantic_post_init__ and all(_same_model(a, b) for a, b in pairs)
    except Exception:  # any surprise in pydantic's internals: validate as usual
        return False
    finally:
        _FAST = False


_FAST: bool | None = None  # decided on first use (the check costs ~10 ms of import time)


def _decide_fast() -> None:
    global _FAST
    _FAST = _fast_is_safe()


def _source(
    status: Status,
    text: str | None = None,
    offset: int | PagePosition | None = None,
    candidates: list[Candidate] | None = None,
    note: str | None = None,
    basis: Basis | None = None,
) -> CellSource:
    return _unchecked_source(status, text, offset, candidates, note, basis, _ALL_FIELDS)


def _position(pos: Position) -> int | PagePosition | None:
    if pos.page is not None:
        return PagePosition(page=pos.page, bbox=pos.bbox)
    return pos.offset


def cell_sources(res: RowResult) -> dict[str, tuple[Value, CellSource]]:
    """Final value and provenance of each cell of a solved row."""
    row = res.row
    out: dict[str, tuple[Value, CellSource]] = {}
    where = res.glued_where
    chosen = res.chosen or res.options
    if res.how == "exact":  # fast path: one reading, as laid out
        tokens = row.tokens
        for cell, (value, tid) in zip(row.cells, chosen[0], strict=True):
            if tid is None:
                text, off = None, None
            else:
                tok = tokens[tid]
                off = tok.pos.offset if tok.pos.page is None else _position(tok.pos)
                text = (tok.text or None) if value is None else tok.text.strip()
            kind: Status = "blank" if value is None else "read"
            out[cell] = (value, _unchecked_source(kind, text, off, None, None, None, _EXACT_FIELDS))
        return out
    if res.how == "missing":
        for cell in row.cells:
            out[cell] = (None, _source(status="blank", note="row not found in the document"))
        return out
    if res.how == "detached":
        return _detached_sources(res)
    if not chosen:
        lost = [_unchecked_candidate(c, v) for c in row.cells for v in _lost_values(res)]
        near = row.lost[0] if row.lost and res.how == "lost" else None
        for cell in row.cells:
            out[cell] = (
                None,
                _source(
                    status="ambiguous",
                    note=_overfull_note(res),
                    text=near.text if near else None,
                    offset=_position(near.pos) if near else None,
                    candidates=[c for c in lost if c.cell == cell] or None,
                ),
            )
        return out
    status, basis = _placed_status(res)
    if len(chosen) == 1 and not res.convention_used:  # most glued rows: no per-cell summaries
        for cell, pair in zip(row.cells, chosen[0], strict=True):
            out[cell] = _pair_source(res, pair, status, basis)
        return out
    columns = _columns(res, chosen)
    for ci, cell in enumerate(row.cells):
        vals = columns[ci]  # the cell's distinct (value, token) pairs, first-seen order
        if len(vals) == 1:
            (value, tid) = vals[0]
            if (
                value is None
                and res.convention_used
                and ci > 0
                and any(v is not None for v, _ in _columns(res, res.options)[ci])
            ):
                out[cell] = (
                    None,
                    _source(
                        status="inferred",
                        note=CONVENTION_BLANK_NOTE,
                        basis="convention",
                        candidates=_alternatives(res, ci, res.options),
                    ),
                )
                continue
            if (
                ci == 0
                and res.convention_used
                and res.how == "placed"
                and value is not None
                and tid is not None
            ):
                text, off = _token_text(res, vals[0], where)
                out[cell] = (
                    value,
                    _source(
                        status="inferred",
                        text=text,
                        offset=off,
                        note=CONVENTION_NOTE,
                        basis="convention",
                        candidates=_alternatives(res, ci, res.options),
                    ),
                )
                continue
            out[cell] = _pair_source(res, vals[0], status, basis)
            continue
        # same number, from different places — unless no reading fits the row's own arithmetic
        # (some value is missing, a page cut inside the row: "every reading" is not all the row
        # could say), or the row prints its blank cells yet lacks some and a reading leaves this
        # cell without a token (blank only on evidence). Issue 10, tests/extract/test_cut_rows.py.
        if (
            len({0 if v is None else v for v, _ in vals}) == 1
            and _fits(res)
            and not (any(tid is None for _, tid in vals) and _cells_missing(res))
        ):
            # the first reading giving the cell a number gives it the first such pair seen
            pick = next((pair for pair in vals if pair[0] is not None), None)
            text, off = _token_text(res, pick, where) if pick is not None else (None, None)
            out[cell] = (
                pick[0] if pick is not None else None,
                _source(
                    status="inferred",
                    text=text,
                    offset=off,
                    note="every reading the layout allows gives this cell the same value (blank counted as 0)",
                    basis="arithmetic",
                ),
            )
            continue
        cands = _alternatives(res, ci, chosen)
        tids = {tid for _, tid in vals if tid is not None}
        first = min(tids) if tids and res.how != "split" else None
        text = row.tokens[first].text if first is not None else None
        off = _position(row.tokens[first].pos) if first is not None else None
        if res.how == "split" and res.glued_where:
            text, off = res.glued_digits, _offset_of(res.glued_where[0])
        out[cell] = (
            None,
            _source(
                status="ambiguous",
                text=text,
                offset=off,
                candidates=cands,
                note="the layout and the table arithmetic allow several readings",
            ),
        )
    return out


def _detached_sources(res: RowResult) -> dict[str, tuple[Value, CellSource]]:
    """Every cell ambiguous: its candidates are what each value row the row may hold gives it;
    text and offset point at the first such value row, where a person would start looking."""
    row = res.row
    columns = _distinct_columns(res.options, len(row.cells))
    out: dict[str, tuple[Value, CellSource]] = {}
    for ci, cell in enumerate(row.cells):
        tok = row.tokens[ci] if row.tokens else None  # the first value row's cell
        values = dict.fromkeys(v for v, _ in columns[ci] if v is not None)
        out[cell] = (
            None,
            _source(
                status="ambiguous",
                text=(tok.text or None) if tok is not None else None,
                offset=_position(tok.pos) if tok is not None else None,
                candidates=[_unchecked_candidate(cell, v) for v in values],
                note=DETACHED_NOTE,
            ),
        )
    return out


MISSING_NOTE = (
    "value not found: the row prints its blank cells, but fewer cells than the template has (a page "
    "cut inside the row?), so a cell without a printed value is not known to be blank"
)


def _cells_missing(res: RowResult) -> bool:
    """The layout prints blank cells (the row has an empty one), yet the row has fewer cells than
    the template: a cell no reading gives a token is missing, not blank (issue 10 conservation)."""
    tokens = res.row.tokens
    return len(tokens) < len(res.row.cells) and any(t.blank for t in tokens)


def _fits(res: RowResult) -> bool:
    """The row's readings satisfy its own arithmetic (not the fallback of every placement)."""
    return not isinstance(res.shared, _Placed) or res.shared.fitting


def _placed_status(res: RowResult) -> tuple[Status, Basis | None]:
    """Status of a cell a placed / split row gives one value: ``read`` only for a glued run that
    has a single split needing no arithmetic; otherwise placed by the arithmetic (``inferred``)."""
    if res.how == "split" and res.lexical_unique and len(res.options) == 1:
        return "read", None
    return "inferred", "arithmetic"


def _pair_source(
    res: RowResult, pair: tuple[Value, int | None], status: Status, basis: Basis | None
) -> tuple[Value, CellSource]:
    """A cell with one (value, token) in every reading: the token's number, or a blank cell."""
    value, tid = pair
    if tid is None and _cells_missing(res):
        return None, _source(status="ambiguous", note=MISSING_NOTE)
    if tid is None or value is None:
        tok = None if tid is None else res.row.tokens[tid]
        text = None if tok is None else tok.text
        off = None if tok is None else _position(tok.pos)
        return None, _source(status="blank", text=text or None, offset=off)
    text, off = _token_text(res, pair, res.glued_where)
    return value, _source(status=status, text=text, offset=off, basis=basis)


def _lost_values(res: RowResult) -> list[Number]:
    """The distinct numbers printed near a row whose values were not found (its candidates)."""
    if res.how != "lost":
        return []
    values = (parse_number(t.text) for t in res.row.lost)
    return list(dict.fromkeys(v for v in values if v is not None))[:15]


def _overfull_note(res: RowResult) -> str:
    if res.how == "lost" and _lost_values(res):
        return (
            "label found but its values were not: numbers printed near it were not placed "
            "(candidates lists them); a cell is blank only where the document shows it"
        )
    if res.how == "lost":
        return "label found but its value row was lost (a table begun under it has none): not blank"
    if res.how == "overfull":
        return "more values than columns, or too many ways to split them: not placed"
    return "no reading fits this row"


def _token_text(
    res: RowResult, pair: tuple[Value, int | None], where: list[int | Position] | None
) -> tuple[str | None, int | PagePosition | None]:
    """Text and provenance offset of a cell's (value, token) in a reading."""
    value, tid = pair
    if tid is None:
        return None, None
    if res.how == "split" and where is not None:
        text = str(value)
        return text, _offset_of(where[tid]) if tid < len(where) else None
    tok = res.row.tokens[tid]
    return tok.text.strip(), _position(tok.pos)


def _offset_of(where: int | Position) -> int | PagePosition | None:
    """A glued digit's provenance: its offset, else its token's position (see glued_where)."""
    return where if isinstance(where, int) else _position(where)


def _alternatives(res: RowResult, ci: int, pool: list[Option]) -> list[Candidate]:
    """Where the value(s) of cell ci may be: its own possible values and, for placed tokens,
    every cell the same token can land in."""
    row = res.row
    own: dict[tuple[str, Number], None] = {}
    tids: set[int] = set()
    for v, tid in _columns(res, pool)[ci]:  # distinct readings, first-seen order
        if v is not None:
            own[(row.cells[ci], v)] = None
            if tid is not None:
                tids.add(tid)
    if res.how != "split" and tids:
        for cj, v, tid in _landings(res, pool):
            if tid in tids:
                own[(row.cells[cj], v)] = None
    return [_unchecked_candidate(c, v) for c, v in own]


def _columns(res: RowResult, pool: list[Option]) -> Columns:
    """The pool cell by cell, once per pool: column ci = the distinct (value, token) pairs the
    readings give cell ci, in first-seen order. A glued run's full pool is summarised once per run."""
    key = id(pool)
    found = res.columns.get(key)
    if found is None:
        shared = res.shared
        n = len(res.row.cells)
        found = shared.columns(n) if shared is not None and shared.holds(pool) else _distinct_columns(pool, n)
        res.columns[key] = found
    return found


def _distinct_columns(pool: Sequence[Option], n: int) -> Columns:
    return tuple(tuple(dict.fromkeys(col)) for col in zip(*pool, strict=True)) if pool else ((),) * n


def _landings(res: RowResult, pool: list[Option]) -> Landings:
    """Every (cell, value, token) a pool places, in first-seen order (options, then cells).

    Computed once per pool instead of once per cell: filtering this list by token gives the
    same order as scanning the whole pool again.
    """
    key = id(pool)
    found = res.landings.get(key)
    if found is None:
        shared = res.shared
        found = shared.landings() if shared is not None and shared.holds(pool) else _placed_values(pool)
        res.landings[key] = found
    return found


def _placed_values(pool: Sequence[Option]) -> Landings:
    seen: dict[tuple[int, Number, int], None] = {}
    for opt in pool:
        for cj, (v, tid) in enumerate(opt):
            if v is not None and tid is not None:
                seen[(cj, v, tid)] = None
    return tuple(seen)
