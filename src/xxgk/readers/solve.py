"""Joint solving: given the readings of table 3's rows and the table's shape, return the rows
with only the readings the table as a whole allows (annual-report.md A.4, per column:
一+二 = （七）+四, （七） = Σ disposal rows).

Whatever is still undecided stays several readings — the cells become ``ambiguous`` with
candidates (readers/provenance.py), never a silent guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace

from xxgk.readers.rows import Option, RowResult
from xxgk.templates import Table3Shape

_MAX_JOINT = 5000


def _column_identities(shape: Table3Shape) -> list[tuple[list[str], list[str]]]:
    """Per column (A.4): 一+二 = （七）+四, and （七） = Σ disposal rows; as (left, right) cell lists."""
    out: list[tuple[list[str], list[str]]] = []
    for col in shape.columns:
        out.append(
            ([f"{r}.{col}" for r in shape.intake], [f"{shape.total_row}.{col}", f"{shape.carry}.{col}"])
        )
        out.append(([f"{r}.{col}" for r in shape.disposal], [f"{shape.total_row}.{col}"]))
    return out


def _product(pools: dict[str, list[Option]], rows: list[str]) -> int:
    size = 1
    for k in rows:
        size *= max(1, len(pools[k]))
    return size


def solve_table(results: Mapping[str, RowResult], shape: Table3Shape) -> dict[str, RowResult]:
    """Given table 3's rows (key → readings), return them with ``chosen``: the readings consistent
    with the table as a whole. A row the identities cannot narrow down comes back as it was (its
    own readings stand); the rows given are never changed."""
    solved = dict(results)
    # rows whose values are unknown: an identity naming them cannot decide anything
    # (a row not found is unknown too, not a row of zeros: it must not settle another row)
    unknown = {
        k for k, r in results.items() if r.how in ("overfull", "detached", "lost", "missing", "approx")
    }
    open_rows = [k for k, r in results.items() if len(r.options) > 1 and k not in unknown]
    if not open_rows:
        return solved
    full = {k: results[k].options for k in open_rows}
    restricted = {k: (results[k].restricted or results[k].options) for k in open_rows}
    use_convention = any(results[k].restricted for k in open_rows)
    if _product(restricted if use_convention else full, open_rows) > _MAX_JOINT:
        return solved  # too many combinations: each row keeps its own readings (ambiguous, not guessed)
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

    good = consistent(restricted) if use_convention else []
    convention_used = bool(good)  # the 自然人 convention decided, where the arithmetic allows it
    if not good:
        good = consistent(full)
    if not good:
        return solved
    for k in open_rows:
        res = results[k]
        solved[k] = replace(
            res,
            chosen=list(dict.fromkeys(assign[k] for assign in good)),
            convention_used=convention_used and bool(res.restricted),
            landings={},  # summaries of the new result's own pools, worked out on use
            columns={},
        )
    return solved
