"""Given a report JSON, return its compact stored form; given the stored form, rebuild the JSON.

The report JSON (`xxgk-report/1`, report-json.md) writes every provenance field of every cell,
mostly as `null` ("offset": null, "candidates": null, "note": null, "basis": null …), and
`"findings": []` on every stored report (findings live in their own table). Stored as is, that
was 88 % of an audit database (issue 16). The stored form drops exactly the fields whose value
is their model default, so `rebuild(compact(d)) == d` for every report dict `Report.to_dict`
makes; table values keep their `null`s, because a blank cell is information (report-json.md,
"Blank ≠ 0"). Cross-year work never rebuilds a report: it reads the facts table (facts.py).
"""

from __future__ import annotations

from typing import Any

from xxgk.model import CellSource, Report

# Provenance fields whose default is None: absent in the stored form means null.
_CELL_NULLS = frozenset(name for name, f in CellSource.model_fields.items() if f.default is None)
# Top-level fields dropped when they hold their default ([] findings: stored in their own table).
_TOP_DEFAULTS: dict[str, Any] = {"findings": [], "notes": None}


def compact(report: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a report dict: provenance without null fields, no default top-level keys."""
    out = {k: v for k, v in report.items() if k not in _TOP_DEFAULTS or v != _TOP_DEFAULTS[k]}
    cells = report.get("cells")
    if isinstance(cells, dict):
        out["cells"] = {
            key: (
                {f: v for f, v in src.items() if not (v is None and f in _CELL_NULLS)}
                if isinstance(src, dict)
                else src
            )
            for key, src in cells.items()
        }
    return out


def rebuild(stored: dict[str, Any]) -> dict[str, Any]:
    """The full report JSON of a stored report, as `xxgk extract --format json` prints it."""
    return Report.model_validate(stored).to_dict()
