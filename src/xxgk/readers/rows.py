"""The row types every reader shares: what the layout gave for one template row (``RowInput``,
its value cells ``Tok``) and the readings worked out for it (``RowResult``).

A reading (``Option``) gives each cell of the row a (value, token id) pair — token id None for a
blank cell. The stages of the pipeline (readers/__init__.py) turn one into the next:
RowInput → candidates.candidates_for → RowResult → solve.solve_table → RowResult with the
readings the table allows → provenance.cell_sources → (value, CellSource) per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from xxgk.adapters.base import Position
from xxgk.model import Number
from xxgk.templates import Groups

Value = Number | None
Option = tuple[tuple[Value, int | None], ...]  # per cell: (value, token id) — token id None = blank
# Per-cell summaries of a pool of readings; tuples, because memoised ones are shared by every row
# (and document) printing the same values
Columns = tuple[tuple[tuple[Value, int | None], ...], ...]  # per cell: distinct (value, token)
Landings = tuple[tuple[int, Number, int], ...]  # every (cell, value, token) placed

MAX_OPTIONS = 5000  # readings of one row beyond which it is reported as not placed
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


def two_printings(text: str, tokens: Sequence[Tok], n: int) -> bool:
    """``tokens`` (read from ``text``) are one printing of a row of ``n`` cells and the same
    printing again on a line of its own: more cells than the row has, two halves alike cell for
    cell (blanks included), some number, a line break between the halves (spaced alike or not).

    A doubled row that printed fewer cells than it has (trailing blanks not printed, a run of
    blanks as one merged cell) gives fewer than 2n cells, and dropping its blank cells until it
    fitted read the second printing's numbers into the first's blanks (issue 10, families
    colspan-blanks and trailing-dropped with a repeated value row). Equal halves within one line
    are one row (`|  | 0 |  |  |  | 0 |  |  |`: seven cells and an empty 备注)."""
    half, odd = divmod(len(tokens), 2)
    if odd or len(tokens) <= n or not any(not t.blank for t in tokens):
        return False
    first, second = tokens[:half], tokens[half:]
    if not all(
        a.blank == b.blank and a.text.strip() == b.text.strip() for a, b in zip(first, second, strict=True)
    ):
        return False
    end, start = tokens[half - 1].pos.offset, tokens[half].pos.offset
    if end is None or start is None:
        return False
    # The spacing need not match: a copy pasted by hand or re-typed (`| 8 |  | 1 |` then
    # `|8| |1|`) is a copy all the same, and read as one row its blanks were dropped to fit it.
    return "\n" in text[end:start]


@dataclass(frozen=True)
class RowInput:
    """What the layout gave us for one template row (or table 4's single 15-cell row); a stage
    that learns more about the row returns a new one (dataclasses.replace)."""

    cells: tuple[str, ...]
    tokens: list[Tok]
    groups: Groups = ()  # (item columns, total column) per group
    glued: bool = False  # digits of neighbouring cells may be concatenated
    blanks_dropped: bool = False  # glued AND empty cells left no trace: any cell may be missing
    convention: bool = False  # table 3: first value of a dropped-blank row → 自然人
    anchored: bool = True  # False: the row's label was not found at all
    # no values taken, but value-only lines near the label hold these numbers (number
    # conservation, issue 10): the row is ambiguous, "values not found", never blank
    lost: tuple[Tok, ...] = ()
    # every value token the reader saw in the row's stretch of the table region, placed or not
    # (readers/ledger.py); the text reader fills it, a grid's tokens are its cells
    seen: tuple[Tok, ...] = ()
    # the tokens are the row printed twice, line after line (two_printings): its second half is
    # a repeat, and no reading of the whole is the row's
    twice: bool = False


@dataclass
class RowResult:
    row: RowInput
    options: list[Option]
    # approx: a cell printed as an approximation (约5, 5左右): that cell ambiguous, 5 its candidate
    how: Literal["exact", "split", "placed", "missing", "overfull", "detached", "lost", "approx"]
    lexical_unique: bool = False  # a glued split that needed no arithmetic
    restricted: list[Option] | None = None  # options under the 自然人 convention
    convention_used: bool = False
    # where every digit of a glued run was printed: its offset, or its token's position when the
    # token has no offset (PDF) — Position objects only where a cell needs one (see provenance._offset_of)
    glued_where: list[int | Position] | None = None
    glued_digits: str | None = None
    fits: bool = True  # a glued run has a full split satisfying the row's arithmetic
    # filled by the solver:
    chosen: list[Option] = field(default_factory=list)
    landings: dict[int, Landings] = field(default_factory=dict, repr=False)
    columns: dict[int, Columns] = field(default_factory=dict, repr=False)
    # the memoised readings this row's options were copied from (glued run or placed values)
    shared: Shared | None = field(default=None, repr=False)

    @property
    def readings(self) -> list[Option]:
        """The readings left: those the solver chose (readers/solve.py), else all of them."""
        return self.chosen or self.options


# A zero some offices type as a character, alone in its cell (issue 10, family zero-glyphs)
ZERO_GLYPHS = frozenset(("〇", "零", "○"))


@lru_cache(maxsize=8192)
def parse_number(text: str) -> Number | None:
    """The number a cell prints ("1,234", "3027.6557", "+1036", "-5", "〇", "零件"), or None."""
    t = text.strip().replace(" ", "")
    for unit in ("万元", "件", "元", "个", "项"):
        t = t.removesuffix(unit)
    if t in ZERO_GLYPHS:
        return 0
    if not t or _NUMBER.fullmatch(t) is None:
        return None
    t = t.replace(",", "").removeprefix("+")
    if "." in t:
        try:
            return Decimal(t)
        except InvalidOperation:
            return None
    return int(t)


# a number printed as an approximation: 约5, 大约5, 近5, 将近5, 5左右, 5上下 (issue 10): not a count
# the cell can hold, only a candidate for it
_APPROX = re.compile(
    r"(?:大约|约|将近|近)\s*(?P<a>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?:件|个|项|万元|元)?"
    r"|(?P<b>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?:件|个|项|万元|元)?\s*(?:左右|上下)"
)
APPROX_MARKS = ("大约", "约", "将近", "近", "左右", "上下")


@lru_cache(maxsize=1024)
def approx_number(text: str) -> Number | None:
    """The number an approximation prints ("约5", "5左右", "近5" → 5), or None for any other text."""
    m = _APPROX.fullmatch(text.strip())
    if m is None:
        return None
    return parse_number(m.group("a") or m.group("b"))


@lru_cache(maxsize=256)
def segments_of(
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


class Shared:
    """Readings memoised in token-id / digit-index terms, shared read-only by every row printing
    the same values, with their per-cell summaries (a pass over every reading each) worked out
    once too instead of once per row: the rows of a blanks-dropped or glued page have hundreds."""

    __slots__ = ("_columns", "_landings", "fitting", "options")

    def __init__(self, options: tuple[Option, ...], fitting: bool = True) -> None:
        self.options = options
        # the readings satisfy the row's own arithmetic (else: every order-preserving placement)
        self.fitting = fitting
        self._columns: Columns | None = None
        self._landings: Landings | None = None

    def holds(self, pool: list[Option]) -> bool:
        """``pool`` is exactly these readings (the solver left the row's copy untouched)."""
        return len(pool) == len(self.options) and tuple(pool) == self.options

    def columns(self, n: int) -> Columns:
        """distinct_columns of all the readings, computed on first use."""
        if self._columns is None:
            self._columns = distinct_columns(self.options, n)
        return self._columns

    def landings(self) -> Landings:
        """placed_values of all the readings, computed on first use."""
        if self._landings is None:
            self._landings = placed_values(self.options)
        return self._landings


R = TypeVar("R", bound=Shared)
_UNSEEN: Any = object()


class Memo(Generic[R]):
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


def distinct_columns(pool: Sequence[Option], n: int) -> Columns:
    return tuple(tuple(dict.fromkeys(col)) for col in zip(*pool, strict=True)) if pool else ((),) * n


def placed_values(pool: Sequence[Option]) -> Landings:
    seen: dict[tuple[int, Number, int], None] = {}
    for opt in pool:
        for cj, (v, tid) in enumerate(opt):
            if v is not None and tid is not None:
                seen[(cj, v, tid)] = None
    return tuple(seen)
