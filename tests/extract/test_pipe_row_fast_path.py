"""The text reader's fast path for a plain pipe row (readers/text_tables._plain_pipe_row, issue
10 throughput) reads every row it takes exactly as the general field walk (_cells) does: same
cells, same texts, same offsets. Hypothesis builds rows from the pieces real pipe rows are made
of — empty cells of any width, plain numbers, padding pipes, a last cell with or without its
closing pipe."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.readers.text_tables import _cells, _plain_pipe_row, gap_cells

_CELL = st.one_of(
    st.sampled_from(["", " ", "  ", "\u00a0"]),
    st.integers(0, 99999).map(str).flatmap(lambda n: st.sampled_from([n, f" {n} ", f"{n} ", f"  {n}"])),
)


@st.composite
def pipe_rows(draw: st.DrawFn) -> str:
    cells = draw(st.lists(_CELL, min_size=1, max_size=16))
    lead = draw(st.sampled_from(["", " ", "  "]))
    close = draw(st.sampled_from(["|", " |", "", "|||", " |||", "|| "]))
    # what the stretch may hold after the row's line: the next label or heading, its numbering,
    # the next markdown row's opening pipe, a header line, a blank mark, a named cell, a zero
    after = draw(
        st.sampled_from(
            [
                "",
                "二、",
                "| ",
                "|",
                "### ",
                "信息内容 | 上一年项目数量 ||\n",
                "— | 5 |",
                "  | 3 |",
                "无 |",
                "总计：— |",
                "〇 |",
                "\t2",
                "(一)",
                "  \n| 1 |",
                " |",  # a wrapped row's last cell on a line of its own
                " |\n",
                "|\n",
                "| \n",
            ]
        )
    )
    return lead + "|" + "|".join(cells) + close + "\n" + after


@settings(max_examples=400, deadline=None)
@given(pipe_rows(), st.integers(0, 50))
def test_the_fast_path_reads_a_plain_pipe_row_as_the_field_walk_does(row: str, pad: int) -> None:
    text = "x" * pad + row + "下一行"  # the stretch ends where a label starts
    start = pad
    fast = _plain_pipe_row(row, start)
    if fast is not None:
        assert fast == _cells(text, row, start, True)


def test_the_fast_path_takes_the_commonest_rows() -> None:
    text = "一、本年新收 | 3 | 1 |  |  |  | 1 | 5 |||\n二、"
    start = text.index(" |")
    row = text[start : text.index("二")]
    fast = _plain_pipe_row(row, start)
    assert fast is not None and [t.text for t in fast] == ["3", "1", "", "", "", "1", "5"]
    assert gap_cells(text, start, text.index("二")) == fast
    # not plain: a unit, a label's tail, two lines — the field walk reads those
    assert _plain_pipe_row(" | 3件 | 1 |\n", 0) is None
    assert _plain_pipe_row(") | 3 | 1 |\n", 0) is None
    assert _plain_pipe_row(" | 3 |\n| 1 |\n", 0) is None
    assert _plain_pipe_row(" | 3 |\n  | 1 |\n", 0) is None
