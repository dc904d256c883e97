"""Cross-year help (issue 10 item 4): given this year's report and the same agency's previous
report, return the ambiguous cells that last year's figures decide.

The template guarantees one identity across years (annual-report.md Q7): this year's
二、上年结转政府信息公开申请数量 is last year's 四、结转下年度继续办理, column by column. Where this
year's cell is `ambiguous` and last year's is a number the reader was sure of (read, inferred, or
blank = 0), the cell takes that number — `inferred`, basis `previous` — provided the layout
allowed it (it is one of the cell's candidates, when it has any). A read cell is never changed:
two read cells that disagree stay a finding (X-CARRIED-OVER).

Pure: it returns the decisions and changes neither report; `apply_decisions` writes them into a
report.
"""

from __future__ import annotations

from collections.abc import Mapping

from xxgk.model import CellSource, Number, Report
from xxgk.templates import get_template

_SURE = ("read", "inferred", "blank")


def carried_pairs(template_id: str) -> tuple[tuple[str, str], ...]:
    """(this year's 上年结转 cell, last year's 结转下年度 cell) per column of table 3."""
    table = get_template(template_id).table3
    return tuple((f"table3.carried_over.{c.key}", f"table3.carried_forward.{c.key}") for c in table.columns)


def decide_from_previous(report: Report, previous: Report) -> dict[str, tuple[Number, CellSource]]:
    """The cells of ``report`` that ``previous`` (the same agency's report of the year before)
    decides: cell key → (value, provenance). Empty when the years do not follow each other."""
    if report.year is None or previous.year != report.year - 1 or report.template is None:
        return {}
    if previous.template is None:
        return {}
    out: dict[str, tuple[Number, CellSource]] = {}
    last_cells = dict(carried_pairs(previous.template))
    for this, _ in carried_pairs(report.template):
        key = last_cells.get(this)
        if key is None:
            continue
        source = report.cells.get(this)
        before = previous.cells.get(key)
        if source is None or source.status != "ambiguous":
            continue
        if before is not None and before.status not in _SURE:
            continue
        value = previous.value(key)
        if value is None:
            if before is None or before.status != "blank":
                continue
            value = 0
        allowed = {c.value for c in source.candidates or [] if c.cell == this}
        if source.candidates and value not in allowed:
            continue  # the layout does not allow last year's figure here: leave it to the findings
        out[this] = (
            value,
            CellSource(
                status="inferred",
                basis="previous",
                text=source.text,
                offset=source.offset,
                candidates=source.candidates,
                note=(
                    f"decided by last year's report ({previous.year}): 上年结转 = last year's "
                    f"结转下年度 ({key} = {value})"
                ),
            ),
        )
    return out


def apply_decisions(report: Report, decided: Mapping[str, tuple[Number, CellSource]]) -> None:
    """Write decisions (decide_from_previous) into ``report``."""
    for cell, (value, source) in decided.items():
        report.set(cell, value)
        report.cells[cell] = source
