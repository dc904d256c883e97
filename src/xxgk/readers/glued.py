"""Glued digits: given the digit run of a row whose cells were concatenated (a crawler's
innerText, "3000025") and the row's shape, return every reading of it.

Every split of the run into one number per column without leading zeros is a reading
(enumerated group by group, the group's total being implied by its items, so this is a pruned
search, not brute force); where empty cells left no trace either, each column takes a number or
nothing and only the row's arithmetic (annual-report.md A.4/A.5) narrows the readings down.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from xxgk.adapters.base import Position
from xxgk.readers.rows import MAX_OPTIONS, Option, Shared, Tok, Value, parse_number, segments_of
from xxgk.templates import Groups

_POW10 = tuple(10**i for i in range(40))
_PART = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")  # one cell cut out of a glued run


def _splits(digits: str, n: int, groups: Groups) -> Iterator[list[tuple[int, int]]]:
    """Every split of ``digits`` into one number per column (each contiguous group adding up to
    its total; ``groups=()`` for the plain splits): lists of (start, end) spans."""
    segs = segments_of(n, groups)
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


def digit_run(tokens: list[Tok]) -> tuple[str, list[int | Position]]:
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
    nothing, or None when there is none or more than MAX_OPTIONS.

    A group (items then 总计) takes a stretch of digits whose items add up to its total, so the
    search is pruned by the arithmetic instead of enumerating placements blindly. The readings
    are counted first (cheap: a sum over stretch boundaries), then built by a dynamic programme
    over (segment, digit position) whose shared suffixes are built once as tuples. The order is
    the depth-first one: stretch end outermost, then the rest of the row, then the segment's own
    reading.
    """
    segs = segments_of(n, groups)
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

    if not 0 < count(0, 0) <= MAX_OPTIONS:
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


class Split(Shared):
    """A glued run's readings, digits counted from the start of the run (token id = digit index).

    They depend only on the digits and the row's shape, never on where the run was printed, so
    they are worked out once per distinct run (see Memo) and shared by every row printing it.
    """

    __slots__ = ("lexical_unique",)

    def __init__(self, options: tuple[Option, ...], lexical_unique: bool) -> None:
        super().__init__(options)
        self.lexical_unique = lexical_unique  # a single plain split: no arithmetic was needed


def search_run(digits: str, n: int, groups: Groups, blanks_dropped: bool) -> Split | None:
    """Every reading of a glued run in a row of ``n`` cells, or None when none fits (or the
    search is too large to finish: reported as not placed, never cut short)."""
    if blanks_dropped:
        # empty cells vanished too: any column may be empty. Only the row's arithmetic narrows
        # this down, so many such rows end ambiguous — which is the truth of such a page.
        options = _blank_splits(digits, n, groups)
        return None if options is None else Split(options, lexical_unique=False)
    segs = segments_of(n, groups)
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
        chosen = list(itertools.islice(_splits(digits, n, groups), MAX_OPTIONS + 1))
        if not chosen or len(chosen) > MAX_OPTIONS:
            # with groups, no full split adds up: the page dropped empty cells too, and the reader
            # re-reads every glued row with blanks allowed (readers._candidates)
            return None
        # unique only if no other plain split exists; the sums' splits are plain splits too, so
        # with two of them the plain ones cannot be unique either
        lexical_unique = len(chosen) == 1 and (
            not groups or len(list(itertools.islice(_splits(digits, n, ()), 2))) == 1
        )
    options = tuple(tuple((parse_number(digits[a:b]), a) for a, b in spans) for spans in chosen)
    return Split(options, lexical_unique)
