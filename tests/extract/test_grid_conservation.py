"""Number conservation in grids (issue 10): HTML/DOCX/PDF tables whose label cell is wrapped over
two grid rows — the head with blank cells, the tail with the values. The occurrence with values
wins; numbers under a row of blanks that no label claims make that row ambiguous. Before, the
row read as blanks and its numbers were dropped (tables 2–4 from grids, readers/grid_tables.py).
"""

from __future__ import annotations

import random
import re

from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render import render
from xxgk.samples import random_report

LABEL = "<td>规范性文件</td>"
ROW = "table2.normative_documents"


def _split_row(tail_label: str) -> tuple[Report, bytes]:
    """The row's <tr> as two: the label's head over blank cells, then ``tail_label`` with the values."""
    report = random_report(random.Random(1), "2021")
    assert report.value(f"{ROW}.in_force")
    page = render(report, "html").decode("utf-8")
    tr = next(m for m in re.finditer(r"<tr>.*?</tr>", page, re.S) if LABEL in m.group(0))
    cells = re.findall(r"<td[^>]*>.*?</td>", tr.group(0), re.S)
    head = "<tr><td>规范性文</td>" + "<td></td>" * (len(cells) - 1) + "</tr>"
    tail = f"<tr><td>{tail_label}</td>" + "".join(cells[1:]) + "</tr>"
    return report, (page[: tr.start()] + head + tail + page[tr.end() :]).encode("utf-8")


def test_the_occurrence_with_values_wins() -> None:
    report, page = _split_row("范性文件")
    got = extract_bytes(page, "split.html")
    for col in ("repealed", "in_force"):
        key = f"{ROW}.{col}"
        assert (got.status(key), got.value(key)) == ("read", report.value(key))


def test_numbers_no_label_claims_make_the_blank_row_above_ambiguous() -> None:
    report, page = _split_row("件")  # too short a fragment to match any label
    got = extract_bytes(page, "split.html")
    cell = got.cells[f"{ROW}.in_force"]
    assert cell.status == "ambiguous"
    assert report.value(f"{ROW}.in_force") in [c.value for c in cell.candidates or []]


def test_a_cell_holding_two_row_labels_makes_both_rows_ambiguous() -> None:
    """A blank row printed empty whose label line joined the next row's (a borderless PDF's
    行政处罚 over 行政强制 5): whose numbers these are the cell cannot tell. Before, the first label
    took them, 行政处罚 reading 行政强制's value as `read` (issue 10)."""
    report = random_report(random.Random(1), "2021")
    page = render(report, "html").decode("utf-8")
    rows = {m.group(0): m for m in re.finditer(r"<tr>.*?</tr>", page, re.S)}
    penalty = next(m for tr, m in rows.items() if "<td>行政处罚</td>" in tr)
    coercion = next(m for tr, m in rows.items() if "<td>行政强制</td>" in tr)
    joined = coercion.group(0).replace("<td>行政强制</td>", "<td>行政处罚行政强制</td>")
    page = page[: penalty.start()] + page[penalty.end() : coercion.start()] + joined + page[coercion.end() :]
    got = extract_bytes(page.encode("utf-8"), "joined.html")
    printed = report.value("table2.coercion.decisions")
    assert printed is not None and printed != report.value("table2.penalty.decisions")
    for key in ("table2.penalty.decisions", "table2.coercion.decisions"):
        cell = got.cells[key]
        assert cell.status == "ambiguous", key
        assert [c.value for c in cell.candidates or []] == [printed]
