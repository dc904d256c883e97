"""Provenance out: given a solved row, return each cell's final value and its CellSource
(status read / inferred / blank / ambiguous, the text and offset printed, candidates, note).
"""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.adapters.base import Position
from xxgk.model import Basis, Candidate, CellSource, Number, PagePosition, Status
from xxgk.readers.rows import (
    Columns,
    Landings,
    Option,
    RowResult,
    Value,
    approx_number,
    distinct_columns,
    parse_number,
    placed_values,
)
from xxgk.readers.sources import exact_source, make_source, unchecked_candidate

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


def _position(pos: Position) -> int | PagePosition | None:
    if pos.page is not None:
        return PagePosition(page=pos.page, bbox=pos.bbox)
    return pos.offset


def cell_sources(res: RowResult) -> dict[str, tuple[Value, CellSource]]:
    """Final value and provenance of each cell of a solved row."""
    row = res.row
    out: dict[str, tuple[Value, CellSource]] = {}
    where = res.glued_where
    chosen = res.readings
    if res.how == "exact" or (res.how == "approx" and chosen):  # one reading, as laid out
        tokens = row.tokens
        for cell, (value, tid) in zip(row.cells, chosen[0], strict=True):
            if tid is None:
                out[cell] = (value, exact_source("blank" if value is None else "read", None, None))
                continue
            tok = tokens[tid]
            if value is None and not tok.blank:
                approx = approx_number(tok.text)
                if approx is not None:
                    out[cell] = (None, _approx_source(cell, tok.text, _position(tok.pos), approx))
                    continue
            pos = tok.pos
            off = pos.offset if pos.page is None else _position(pos)
            if value is None:
                out[cell] = (None, exact_source("blank", tok.text or None, off))
            else:
                out[cell] = (value, exact_source("read", tok.text.strip(), off))
        return out
    if res.how == "missing":
        for cell in row.cells:
            out[cell] = (None, make_source(status="blank", note="row not found in the document"))
        return out
    if res.how == "detached":
        return _detached_sources(res)
    if not chosen:
        lost = [unchecked_candidate(c, v) for c in row.cells for v in _lost_values(res)]
        near = row.lost[0] if row.lost and res.how == "lost" else None
        for cell in row.cells:
            out[cell] = (
                None,
                make_source(
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
                    make_source(
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
                    make_source(
                        status="inferred",
                        text=text,
                        offset=off,
                        note=CONVENTION_NOTE,
                        basis="convention",
                        candidates=_alternatives(res, ci, res.options),
                    ),
                )
                continue
            if _by_convention(res, ci, vals):
                out[cell] = _convention_source(res, ci, vals)
                continue
            out[cell] = _pair_source(res, vals[0], status, basis)
            continue
        if _by_convention(res, ci, vals):
            out[cell] = _convention_source(res, ci, vals)
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
                make_source(
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
            make_source(
                status="ambiguous",
                text=text,
                offset=off,
                candidates=cands,
                note="the layout and the table arithmetic allow several readings",
            ),
        )
    return out


CONVENTION_VALUE_NOTE = (
    "placed by the 自然人 convention of this row (blank cells were dropped): the readings under "
    "the convention give this cell one value, those without it others — see candidates"
)


def _by_convention(res: RowResult, ci: int, vals: Sequence[tuple[Value, int | None]]) -> bool:
    """Cell ci (not 自然人) has its value only because the 自然人 convention narrowed the row's
    readings: the readings without it give the cell another value. Such a cell is the
    convention's (basis convention, flagged by V-CONVENTION), not settled by the arithmetic
    (issue 10: a pipe row whose empty cells vanished, `| 7 | 0 | 7 |`, read its 科研机构 as 0
    "by arithmetic" while it printed 7)."""
    if not res.convention_used or ci == 0 or res.restricted is None:
        return False
    mine = {0 if v is None else v for v, _ in vals}
    return len(mine) == 1 and mine != {0 if v is None else v for v, _ in _columns(res, res.options)[ci]}


def _convention_source(
    res: RowResult, ci: int, vals: Sequence[tuple[Value, int | None]]
) -> tuple[Value, CellSource]:
    pick = next((pair for pair in vals if pair[0] is not None), None)
    text, off = _token_text(res, pick, res.glued_where) if pick is not None else (None, None)
    return (
        pick[0] if pick is not None else None,
        make_source(
            status="inferred",
            text=text,
            offset=off,
            note=CONVENTION_BLANK_NOTE if pick is None else CONVENTION_VALUE_NOTE,
            basis="convention",
            candidates=_alternatives(res, ci, res.options),
        ),
    )


APPROX_NOTE = "printed as an approximation ({text}), not a count: {value} is only its candidate"


def _approx_source(cell: str, text: str, offset: int | PagePosition | None, value: Number) -> CellSource:
    return make_source(
        status="ambiguous",
        text=text,
        offset=offset,
        candidates=[unchecked_candidate(cell, value)],
        note=APPROX_NOTE.format(text=text, value=value),
    )


def _detached_sources(res: RowResult) -> dict[str, tuple[Value, CellSource]]:
    """Every cell ambiguous: its candidates are what each value row the row may hold gives it;
    text and offset point at the first such value row, where a person would start looking."""
    row = res.row
    columns = distinct_columns(res.options, len(row.cells))
    out: dict[str, tuple[Value, CellSource]] = {}
    for ci, cell in enumerate(row.cells):
        tok = row.tokens[ci] if row.tokens else None  # the first value row's cell
        values = dict.fromkeys(v for v, _ in columns[ci] if v is not None)
        out[cell] = (
            None,
            make_source(
                status="ambiguous",
                text=(tok.text or None) if tok is not None else None,
                offset=_position(tok.pos) if tok is not None else None,
                candidates=[unchecked_candidate(cell, v) for v in values],
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
    return res.shared is None or res.shared.fitting


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
        return None, make_source(status="ambiguous", note=MISSING_NOTE)
    if tid is None or value is None:
        tok = None if tid is None else res.row.tokens[tid]
        text = None if tok is None else tok.text
        off = None if tok is None else _position(tok.pos)
        return None, make_source(status="blank", text=text or None, offset=off)
    text, off = _token_text(res, pair, res.glued_where)
    return value, make_source(status=status, text=text, offset=off, basis=basis)


def _lost_values(res: RowResult) -> list[Number]:
    """The distinct numbers printed near a row whose values were not found (its candidates)."""
    if res.how == "approx":  # every number of the row, approximations included
        values = (parse_number(t.text) or approx_number(t.text) for t in res.row.tokens if not t.blank)
        return list(dict.fromkeys(v for v in values if v is not None))[:15]
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
    if res.how == "approx":
        return (
            "a cell of this row is printed as an approximation (约5, 5左右) and its cells cannot be "
            "told apart: not placed (candidates lists the row's numbers)"
        )
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
    return [unchecked_candidate(c, v) for c, v in own]


def _columns(res: RowResult, pool: list[Option]) -> Columns:
    """The pool cell by cell, once per pool: column ci = the distinct (value, token) pairs the
    readings give cell ci, in first-seen order. A glued run's full pool is summarised once per run."""
    key = id(pool)
    found = res.columns.get(key)
    if found is None:
        shared = res.shared
        n = len(res.row.cells)
        found = shared.columns(n) if shared is not None and shared.holds(pool) else distinct_columns(pool, n)
        res.columns[key] = found
    return found


def _landings(res: RowResult, pool: list[Option]) -> Landings:
    """Every (cell, value, token) a pool places, in first-seen order (options, then cells).

    Computed once per pool instead of once per cell: filtering this list by token gives the
    same order as scanning the whole pool again.
    """
    key = id(pool)
    found = res.landings.get(key)
    if found is None:
        shared = res.shared
        found = shared.landings() if shared is not None and shared.holds(pool) else placed_values(pool)
        res.landings[key] = found
    return found
