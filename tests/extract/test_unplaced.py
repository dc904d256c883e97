"""Number conservation made explicit (issue 10, build item 1): a number printed in a table's
region that no cell took is reported — the report's `unplaced` list and finding V-UNPLACED
naming it with its offset — and the cells it could belong to are `ambiguous` with it as a
candidate. Before, a cell holding a note ("5（含2件）") dropped the row's numbers and its cells
came back ambiguous (HTML, pipes) or blank (space-separated) with no number said anywhere."""

from __future__ import annotations

import json
import random

import pytest

from xxgk.extract import extract_bytes
from xxgk.model import Report
from xxgk.render import render
from xxgk.samples import random_report

ROW = "table2.regulations"


def _page(family: str, old: str, new: str) -> bytes:
    report = random_report(random.Random(3), "2021")
    for col, value in (("made", 5), ("repealed", 2), ("in_force", 263)):
        report.set(f"{ROW}.{col}", value)
    data = render(report, family).decode()
    assert old in data
    return data.replace(old, new, 1).encode()


CASES = [
    ("pipe", "规章 | 5 | 2 | 263 |", "规章 | 5（含2件） | 2 | 263 |"),
    ("html", "<td>5</td>", "<td>5（注）</td>"),
    ("tabbed", "规章\t5\t2\t263", "规章\t5（含2件）\t2\t263"),
]


@pytest.mark.parametrize(("family", "old", "new"), CASES)
def test_numbers_no_cell_took_are_reported_and_their_cells_ambiguous(family: str, old: str, new: str) -> None:
    data = _page(family, old, new)
    got = extract_bytes(data, f"d.{family[:4]}", check=True)
    text = data.decode()
    listed = [(u.table, u.row, u.text) for u in got.unplaced]
    assert listed == [
        ("table2", "regulations", "5"),
        ("table2", "regulations", "2"),
        ("table2", "regulations", "263"),
    ]
    for u in got.unplaced:  # the offsets point at the printed numbers (HTML: into the page's text)
        assert isinstance(u.offset, int)
    if family != "html":
        assert [
            text[u.offset : u.offset + len(u.text)] for u in got.unplaced if isinstance(u.offset, int)
        ] == [
            "5",
            "2",
            "263",
        ]
    for col in ("made", "repealed", "in_force"):
        src = got.cells[f"{ROW}.{col}"]
        assert src.status == "ambiguous"
        assert {c.value for c in src.candidates or []} == {5, 2, 263}
    (finding,) = [f for f in got.findings if f.rule == "V-UNPLACED"]
    assert finding.message.startswith("表二区域内有 3 个数字未能对应到任何单元格：5（位置 ")
    assert "263 (offset " in (finding.message_en or "")
    # the list survives the report JSON round trip
    again = Report.model_validate(json.loads(got.to_json()))
    assert again.unplaced == got.unplaced


@pytest.mark.parametrize("family", ["pipe", "html", "tabbed", "glued", "md-headings", "mixed-rows"])
def test_a_clean_page_leaves_nothing_unplaced_and_no_unplaced_key(family: str) -> None:
    got = extract_bytes(render(random_report(random.Random(8), "2021"), family), "d.txt", check=True)
    assert got.unplaced == []
    assert "unplaced" not in json.loads(got.to_json())
    assert not [f for f in got.findings if f.rule == "V-UNPLACED"]


def test_a_page_cut_inside_a_row_reports_the_numbers_it_left() -> None:
    """The cut row's printed numbers are no cell's: reported, and candidates of its cells."""
    data = render(random_report(random.Random(5), "2021"), "pipe").decode()
    start = data.index("（七）总计")
    head = data[start : data.index("\n", start)].split("|")
    numbers = [c.strip() for c in head[1:3]]
    cut = data[:start] + "|".join(head[:3]) + "|"  # the page ends after the row's second cell
    got = extract_bytes(cut.encode(), "d.txt")
    printed = [u.text for u in got.unplaced if u.row == "total"]
    assert any(numbers)  # the seed prints numbers there
    assert printed == [n for n in numbers if n]
