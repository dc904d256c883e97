"""Given a report JSON, return its compact stored form; given the stored form, rebuild the JSON.

The report JSON (`xxgk-report/1`, report-json.md) spells every cell's provenance as an object
keyed by the full cell name, with every field, mostly `null`:
`"table3.new.natural_person": {"status": "read", "text": "12", "offset": 1355, "candidates":
null, "note": null, "basis": null}`, and stored reports carried `"findings": []` (findings have
their own table). Stored as is, that was 88 % of an audit database (issue 16). The stored form:

- provenance nested like the tables (`"_cells": {"table3": {"new": {"natural_person": [...]}}}`)
  as a short array `[status letter, text, offset, {other fields}]`, trailing empties dropped;
- `text` written as `true` when it is exactly the cell's value printed (`"12"` for 12), the
  common case of a cell read as printed;
- `findings` dropped when empty, `notes` when null.

`rebuild(compact(d)) == d` for every dict `Report.to_dict` makes (tests/scale hold it on real
and generated reports). Table values keep their `null`s: a blank cell is information
(report-json.md, "Blank ≠ 0"). The cross-year work never rebuilds a report: it reads the facts
table (facts.py).
"""

from __future__ import annotations

from typing import Any

FORM = "_cells"  # the key of the nested provenance; its presence marks the compact form
_STATUS = {"read": "r", "blank": "b", "inferred": "i", "ambiguous": "a"}
_STATUS_BACK = {v: k for k, v in _STATUS.items()}
_FIELDS = ("status", "text", "offset", "candidates", "note", "basis")  # CellSource, in order
_TOP_DEFAULTS: dict[str, Any] = {"findings": [], "notes": None}


def _value(report: dict[str, Any], cell: str) -> Any:
    table, row, col = cell.split(".")
    return ((report.get(table) or {}).get(row) or {}).get(col)


_PLAIN = frozenset(_FIELDS)


def _entry(src: dict[str, Any], value: Any) -> list[Any] | dict[str, Any]:
    code = _STATUS.get(src.get("status"))  # type: ignore[arg-type]
    if code is None:
        return src  # not a provenance object this codec knows: kept as is
    text = src.get("text")
    if (
        text is not None
        and value is not None
        and value is not True
        and value is not False
        and text == str(value)
    ):
        text = True
    rest: dict[str, Any] | None = None
    if not (
        src.keys() <= _PLAIN
        and src.get("candidates") is None
        and src.get("note") is None
        and src.get("basis") is None
    ):  # the rare case: more than status, text and offset
        rest = {k: v for k, v in src.items() if k not in ("status", "text", "offset") and v is not None}
        rest.update({k: None for k, v in src.items() if v is None and k not in _PLAIN})  # unknown nulls kept
    entry: list[Any] = [code, text, src.get("offset"), rest or None]
    while entry and entry[-1] is None:
        entry.pop()
    return entry


def compact(report: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a report dict (see the module docstring)."""
    out = {
        k: v for k, v in report.items() if k != "cells" and (k not in _TOP_DEFAULTS or v != _TOP_DEFAULTS[k])
    }
    nested: dict[str, dict[str, dict[str, Any]]] = {}
    for cell, src in (report.get("cells") or {}).items():
        parts = cell.split(".")
        if len(parts) != 3 or not isinstance(src, dict):
            out.setdefault("cells", {})[cell] = src  # odd keys stay in the plain form
            continue
        table, row, col = parts
        nested.setdefault(table, {}).setdefault(row, {})[col] = _entry(src, _value(report, cell))
    if nested:
        out[FORM] = nested
    return out


def _source(entry: list[Any] | dict[str, Any], value: Any) -> dict[str, Any]:
    if isinstance(entry, dict):
        return entry
    n = len(entry)
    text = entry[1] if n > 1 else None
    if text is True:
        text = str(value)
    src: dict[str, Any] = {
        "status": _STATUS_BACK[entry[0]],
        "text": text,
        "offset": entry[2] if n > 2 else None,
        "candidates": None,
        "note": None,
        "basis": None,
    }
    if n > 3 and entry[3]:
        src.update(entry[3])
    return src


def expand(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored form back to a plain report dict (no validation): cells keyed "table.row.col".

    Every output pays this once per report (issue 16), so the values are looked up row by row,
    not by splitting each cell's name again."""
    if FORM not in stored:
        return stored
    out = {k: v for k, v in stored.items() if k != FORM}
    cells: dict[str, Any] = dict(stored.get("cells") or {})
    for table, rows in stored[FORM].items():
        values = stored.get(table) or {}
        for row, cols in rows.items():
            row_values = values.get(row) or {}
            prefix = f"{table}.{row}."
            for col, entry in cols.items():
                cells[prefix + col] = _source(entry, row_values.get(col))
    out["cells"] = cells
    return out


def rebuild(stored: dict[str, Any]) -> dict[str, Any]:
    """The full report JSON of a stored report, as `xxgk extract --format json` prints it."""
    from xxgk.model import Report

    return Report.model_validate(expand(stored)).to_dict()


def source(stored: dict[str, Any], cell: str) -> dict[str, Any] | None:
    """One cell's provenance, equal to `expand(stored)["cells"].get(cell)`, without expanding the
    others: the outputs need a few cells' of each report (those its findings name, and the
    ambiguous ones), and expanding all ~250 was most of their cost of reading it (issue 16)."""
    nested = stored.get(FORM)
    if nested is not None:
        parts = cell.split(".")
        if len(parts) == 3:
            table, row, col = parts
            entry = ((nested.get(table) or {}).get(row) or {}).get(col)
            if entry is not None:
                return _source(entry, ((stored.get(table) or {}).get(row) or {}).get(col))
    plain = stored.get("cells")
    return plain.get(cell) if plain else None


def ambiguous(stored: dict[str, Any]) -> set[str]:
    """The cells whose provenance is `ambiguous`, as `expand(stored)["cells"]` would say."""
    plain = stored.get("cells") or {}
    out = {c for c, src in plain.items() if isinstance(src, dict) and src.get("status") == "ambiguous"}
    for table, rows in (stored.get(FORM) or {}).items():
        for row, cols in rows.items():
            for col, entry in cols.items():
                if (entry.get("status") == "ambiguous") if isinstance(entry, dict) else entry[0] == "a":
                    out.add(f"{table}.{row}.{col}")
                elif plain:
                    out.discard(f"{table}.{row}.{col}")  # the nested entry wins, as in `expand`
    return out
