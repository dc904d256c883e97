"""The labelled dev corpus: every cell right (score.py 100 %), and the hard cells handled honestly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.paths import DEV_DOCS, DEV_TRUTH, SHARED, XXGK_SCRIPT, dev_documents

from xxgk.extract import extract_file
from xxgk.model import Report, load_report

SCORE = SHARED / "tools" / "score.py"


def _doc(prefix: str) -> Path:
    return next(p for p in DEV_DOCS.iterdir() if p.name.startswith(prefix))


def _same(want: object, got: object) -> bool:
    return float(want or 0) == float(got or 0)  # type: ignore[arg-type]


@pytest.mark.parametrize("doc", dev_documents(), ids=lambda p: p.stem)
def test_every_labelled_cell(doc: Path) -> None:
    truth = load_report(DEV_TRUTH / f"{doc.stem}.json")
    got = extract_file(doc)
    assert got.template == truth.template
    assert got.year == truth.year
    wrong = [
        (cell, want, got.value(cell))
        for cell, want in truth.iter_cells()
        if truth.status(cell) != "ambiguous" and not _same(want, got.value(cell))
    ]
    assert wrong == []
    # provenance for EVERY template cell, offsets pointing at the printed text
    assert set(got.cells) == {c for c, _ in truth.iter_cells()}
    text = doc.read_text(encoding="utf-8")
    for cell, src in got.cells.items():
        if src.status == "read" and isinstance(src.offset, int) and src.text:
            assert text[src.offset : src.offset + len(src.text)] == src.text, cell


def test_score_tool_reports_100_percent() -> None:
    xxgk = XXGK_SCRIPT
    run = subprocess.run(
        [
            sys.executable,
            str(SCORE),
            "--docs",
            str(DEV_DOCS),
            "--truth",
            str(DEV_TRUTH),
            "--cmd",
            f"{xxgk} extract {{path}} --format json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert run.stdout.strip().splitlines()[-1].startswith("cell accuracy: 100.00%"), run.stdout


def test_001_dropped_blank_legal_person_cells_are_ambiguous_not_guessed() -> None:
    r = extract_file(_doc("001_"))
    legal = ("commercial", "research", "social", "legal", "other")
    for row in ("new", "granted", "total"):
        for col in legal:
            src = r.cells[f"table3.{row}.{col}"]
            assert src.status == "ambiguous" and r.value(f"table3.{row}.{col}") is None
            assert src.candidates is not None
            assert {c.cell for c in src.candidates} == {f"table3.{row}.{c}" for c in legal}
            assert {c.value for c in src.candidates} == {1}
    # the documented convention: first value of a dropped-blank row → 自然人, inferred with a note
    nat = r.cells["table3.new.natural_person"]
    assert (r.value("table3.new.natural_person"), nat.status) == (9, "inferred")
    assert nat.note and "自然人" in nat.note and nat.candidates
    expected = {("new", 9, 10), ("granted", 7, 8), ("denied_internal_affairs", 2, 2), ("total", 9, 10)}
    for row, natural, total in expected:
        assert r.value(f"table3.{row}.natural_person") == natural
        assert r.value(f"table3.{row}.total") == total
        assert r.status(f"table3.{row}.total") == "inferred"
    assert all(
        r.status(f"table4.{g}.{c}") == "blank"
        for g in ("review", "litigation_direct")
        for c in ("upheld", "total")
    )


def test_102_glued_rule_row_is_ambiguous_with_every_split() -> None:
    r = extract_file(_doc("102_"))
    cells = [f"table2.regulations.{c}" for c in ("new_made", "new_published", "total_published")]
    assert all(r.status(c) == "ambiguous" and r.value(c) is None for c in cells)
    made = {c.value for c in r.cells[cells[0]].candidates or []}
    published = {c.value for c in r.cells[cells[1]].candidates or []}
    total = {c.value for c in r.cells[cells[2]].candidates or []}
    assert (made, published, total) == ({1, 14}, {4, 41, 1}, {11, 1})  # 1/4/11, 1/41/1, 14/1/1
    assert r.cells[cells[0]].text == "1411"
    assert [
        r.value(f"table2.normative_documents.{c}") for c in ("new_made", "new_published", "total_published")
    ] == [6, 6, 6]


def test_101_reads_what_is_printed_even_when_it_does_not_add_up() -> None:
    r = extract_file(_doc("101_"))
    row = [
        r.value(f"table3.unable_not_held.{c}")
        for c in ("natural_person", "commercial", "research", "social", "legal", "other", "total")
    ]
    assert row == [3, 0, 0, 0, 0, 2, 5]
    assert r.value("table3.total.total") == 0  # not "fixed"
    assert r.value("table2.normative_documents.in_force") == 11


def test_103_stray_value_is_not_placed_and_blank_total_stays_null() -> None:
    r = extract_file(_doc("103_"))
    assert r.value("table3.carried_forward.total") is None
    assert r.status("table3.carried_forward.total") == "blank"
    assert r.value("table3.other_overdue_fee.natural_person") == 0
    assert r.value("table2.normative_documents.made") == 13  # printed as 规范性文件
    assert [r.value(f"table4.review.{c}") for c in ("upheld", "total")] == [1, 1]


def test_sections_and_metadata() -> None:
    r = extract_file(_doc("003_"))
    assert [s.number for s in r.sections] == [1, 2, 3, 4, 5, 6]
    assert str(r.published) == "2023-01-30"
    assert r.agency == "乳山市乳山寨镇人民政府"
    trad = extract_file(_doc("004_"))
    assert trad.agency == "新荣区政务服务中心"  # traditional page, simplified output
    assert isinstance(trad, Report)
