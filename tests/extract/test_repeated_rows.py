"""A value row the page prints twice (review item 4): with the same numbers, its second printing
is evidence, not loss — the ledger accounts it as repeated and V-UNPLACED no longer names it;
with different numbers it is no repeat, and every number stays unplaced (its cells ambiguous)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.adapters.base import Position
from xxgk.extract import extract_bytes
from xxgk.readers.candidates import candidates_for
from xxgk.readers.ledger import account
from xxgk.readers.rows import RowInput, Tok
from xxgk.render import render
from xxgk.samples import random_report

CELLS = ("table2.regulations.made", "table2.regulations.repealed", "table2.regulations.in_force")
KEY = "table2.regulations"


def _toks(texts: list[str], at: int) -> list[Tok]:
    return [Tok(text, Position(offset=at + 5 * i), blank=text == "") for i, text in enumerate(texts)]


def _ledger(tokens: list[Tok], seen: list[Tok] = []) -> tuple[list[str], list[str]]:  # noqa: B006
    """(texts unplaced, texts repeated) of one table 2 row read from `tokens`."""
    row = RowInput(CELLS, tokens, seen=tuple(seen))
    ledger = account({KEY: row}, {KEY: candidates_for(row)})
    return (
        [tok.text for _, tok in ledger.unplaced.get("table2", ())],
        [tok.text for _, tok in ledger.repeated.get("table2", ())],
    )


def test_a_row_read_once_and_printed_again_with_the_same_numbers_is_accounted() -> None:
    first = _toks(["5", "2", "263"], 100)
    assert _ledger(first, seen=[*first, *_toks(["5", "2", "263"], 200)]) == ([], ["5", "2", "263"])


def test_printed_again_with_other_numbers_it_stays_unplaced() -> None:
    first = _toks(["5", "2", "263"], 100)
    assert _ledger(first, seen=[*first, *_toks(["5", "2", "264"], 200)]) == (["5", "2", "264"], [])


def test_a_row_printed_twice_in_one_run_repeats_only_its_second_half() -> None:
    """Both printings in the row's cells (the reading is overfull: nothing placed): the first
    printing stays unplaced — its cells ambiguous, those numbers their candidates — and the
    second is repeated; with one number changed, all six are unplaced."""
    assert _ledger(_toks(["5", "", "263", "5", "", "263"], 100)) == (["5", "263"], ["5", "263"])
    assert _ledger(_toks(["5", "", "263", "5", "", "26"], 100)) == (["5", "263", "5", "26"], [])


def test_equal_numbers_in_one_printing_are_no_repeat() -> None:
    """Two equal values are two cells, not one printed twice: a single printing holds up to a
    value per cell, so only more values than cells (or twice the cells, blanks printed) repeat."""
    row = RowInput(CELLS, _toks(["4", "4"], 100), blanks_dropped=True, glued=True)
    ledger = account({KEY: row}, {KEY: candidates_for(row)})
    assert not ledger.repeated


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(["0", "1", "2", "7", "12", ""]), min_size=3, max_size=3),
    st.lists(st.sampled_from(["0", "1", "2", "7", "12", ""]), min_size=3, max_size=3),
)
def test_only_a_second_printing_alike_is_repeated(a: list[str], b: list[str]) -> None:
    """Two printings of a row in its cells: repeated exactly when they are alike, and then just
    the second; a token is never both unplaced and repeated."""
    tokens = _toks(a + b, 100)
    row = RowInput(CELLS, tokens)
    ledger = account({KEY: row}, {KEY: candidates_for(row)})
    unplaced = {tok.pos for _, tok in ledger.unplaced.get("table2", ())}
    repeated = {tok.pos for _, tok in ledger.repeated.get("table2", ())}
    assert not unplaced & repeated
    alike = a == b and any(a)
    assert repeated == ({t.pos for t in tokens[3:] if not t.blank} if alike else set())


def _pipe_page(second: str | None) -> tuple[str, str]:
    """A table 3 page printing a row of two or more numbers again (as is, or as `second`): the
    page and the row's line."""
    page = render(random_report(random.Random(5), "2021"), "pipe").decode()
    table3 = page[page.index("予以公开") :].split("\n")
    line = next(
        x
        for x in table3
        if x[:2] in ("2.", "3.", "4.") and sum(c.strip().isdigit() for c in x.split("|")[1:]) >= 2
    )
    return page.replace(line, line + "\n" + (second if second is not None else line), 1), line


def _label_numbering(page: str, line: str) -> range:
    """Where the second printing's label (its numbering 2. is a number to the reader) stands."""
    second = page.index(line) + len(line) + 1
    return range(second, second + line.index("|"))


def test_a_page_repeating_a_row_reports_only_its_first_printing() -> None:
    page, line = _pipe_page(None)
    got = extract_bytes(page.encode(), "d.txt", check=True)
    printed = [c.strip() for c in line.split("|")[1:] if c.strip()]
    first = page.index(line)
    label = _label_numbering(page, line)
    cells = [u for u in got.unplaced if u.offset not in label]
    # before: the second printing's numbers were reported too (printed twice over)
    assert [u.text for u in cells] == printed
    assert all(isinstance(u.offset, int) and u.offset < first + len(line) for u in cells)
    (row,) = {u.row for u in got.unplaced}
    (finding,) = [f for f in got.findings if f.rule == "V-UNPLACED"]
    assert finding.actual == len(got.unplaced) <= len(printed) + 1
    for cell, src in got.cells.items():  # not a silent number: the row's cells are ambiguous
        if cell.startswith(f"table3.{row}."):
            assert src.status == "ambiguous", cell


def test_a_page_printing_a_row_twice_with_other_numbers_reports_both() -> None:
    page, line = _pipe_page(None)
    cells = line.split("|")
    changed = "|".join([*cells[:-2], f" {int(cells[-2].strip() or 0) + 1} ", cells[-1]])
    page, _ = _pipe_page(changed)
    got = extract_bytes(page.encode(), "d.txt", check=True)
    printed = [c.strip() for c in cells[1:] if c.strip()]
    label = _label_numbering(page, line)
    assert len([u for u in got.unplaced if u.offset not in label]) == 2 * len(printed)
