"""xxgk.text.fold: one character for one character, exactly the width table, at any position."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xxgk.text import _WIDTH, fold

FOLDABLE = [chr(cp) for cp in _WIDTH]
# the characters reports are made of, plus every one fold must change
TEXTS = st.text(
    alphabet=st.one_of(
        st.sampled_from(FOLDABLE), st.sampled_from("年度报告（）|\n 0123456789"), st.characters()
    ),
    max_size=60,
)


@given(TEXTS)
def test_fold_is_the_width_table_char_by_char(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)  # offsets into the folded text are offsets into the input
    assert folded == "".join(chr(_WIDTH.get(ord(ch), ord(ch))) for ch in text)


def test_fold_examples() -> None:
    assert fold("１２３，（一）\u3000总计\u00a0５") == "123,(一) 总计 5"
    assert fold("−５") == "-5"
