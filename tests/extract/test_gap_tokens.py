"""The value cells cut out of a row's text, with their offsets (provenance points at them)."""

from __future__ import annotations

import pytest

from xxgk.readers.text_tables import gap_tokens


def _cut(text: str) -> list[tuple[str, int | None, bool]]:
    return [(t.text, t.pos.offset, t.blank) for t in gap_tokens(text, 0, len(text))]


def test_each_number_points_at_itself_even_when_the_same_text_repeats() -> None:
    # regression: before the first pipe, a line's offset was where its text FIRST occurred
    text = "5 \n5| 1 | 2 |"
    cut = _cut(text)
    assert [(v, off) for v, off, blank in cut if not blank] == [("5", 0), ("5", 3), ("1", 6), ("2", 10)]
    assert all(text[off : off + len(v)] == v for v, off, blank in cut if not blank)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("| 3 |  | 7 |\n", ["3", "", "7"]),  # an empty pipe cell is a blank cell
        ("3\n \n7", ["3", "", "7"]),  # one cell per line: a line of spaces is a blank cell
        ("3\n\n7", ["3", "7"]),  # an empty line is not a cell
        (" 12 件 ", ["12"]),  # units after a number
    ],
)
def test_cells_by_layout(text: str, values: list[str]) -> None:
    assert [v for v, _, _ in _cut(text)] == values


@pytest.mark.parametrize("after", ["| 2024年 |", "\n2024年1月", "\n2020年，本机关深入贯彻条例", "\n12月31日"])
def test_a_date_after_the_values_is_not_a_value(after: str) -> None:
    # regression: the date rule looked only before the prose, where 年/月/日 never is, so the
    # year's first digits ("202") were taken for one more cell
    cut = _cut(f"| 3 | 5 |{after}")
    assert [v for v, _, blank in cut if not blank] == ["3", "5"]


@pytest.mark.parametrize("tail", ["）", ")", "”", "」", "】"])
def test_a_labels_closing_punctuation_does_not_hide_the_values_after_it(tail: str) -> None:
    # regression: "（二）部分公开（…不计其他情形） 51 0 0 0 0 0 51" — the anchor ends at the last
    # letter, so the field began with "）" and the whole line was taken for text (the row read
    # blank; a row-order fallback used to hide it in this layout)
    cut = _cut(f"{tail} 51 0 0 0 0 0 51\n")
    assert [v for v, _, _ in cut] == ["51", "0", "0", "0", "0", "0", "51"]


def test_a_line_of_text_with_numbers_is_still_text() -> None:
    assert _cut("（注：本年度共 3 件）\n") == []


@pytest.mark.parametrize("cell", [".5", "．5", "≈5", "<1", "~5"])
def test_a_sign_before_a_number_is_not_a_labels_punctuation(cell: str) -> None:
    # regression: the label-punctuation rule stripped any leading sign, so ".5" read as 5
    cut = _cut(f"| 3 | {cell} |\n")
    assert [v for v, _, blank in cut if not blank] == ["3"]
