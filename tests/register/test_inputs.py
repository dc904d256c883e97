"""The section texts' placeholders are checked when a file is given (CLI and web alike), and the
names the check knows are exactly those `placeholders` fills."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.register.ledgers import clean_cases, clean_rows, write_ledger, xxgk

from xxgk.register.compile import compile_year
from xxgk.register.errors import RegisterError
from xxgk.register.ledger import read_ledger
from xxgk.register.sections import PLACEHOLDERS, parse_texts, placeholders

AGENCY = "福州市某某区人民政府办公室"


def test_the_checked_placeholder_names_are_the_filled_ones(tmp_path: Path) -> None:
    register = read_ledger(write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases()), AGENCY)
    assert set(PLACEHOLDERS) == set(placeholders(compile_year(register, 2025).report))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("一个{括号", "s.toml: section 1: expected '}' before end of string"),
        ("一个}括号", "s.toml: section 1: Single '}' encountered"),
        ("{new.real}件", "s.toml: section 1: unknown placeholder {new.real}"),
        ("{0}件", "s.toml: section 1: unknown placeholder {0}"),
    ],
)
def test_a_bad_text_is_refused_when_given(text: str, reason: str) -> None:
    with pytest.raises(RegisterError, match=None) as info:
        parse_texts(f'[sections]\n1 = "{text}"\n'.encode(), "s.toml")
    assert str(info.value).startswith(reason)


def test_a_lone_brace_in_sections_is_a_one_line_cli_error(tmp_path: Path) -> None:
    # Before: string.Formatter's ValueError escaped fill() as a traceback.
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases())
    sections = tmp_path / "s.toml"
    sections.write_text('[sections]\n2 = "一个{括号"\n', "utf-8")
    result = xxgk(
        "compile", "--agency", AGENCY, "--year", "2025", "--ledger", str(ledger), "--sections", str(sections)
    )
    assert result.exit_code == 2 and f"{sections}: section 2:" in result.stderr
    assert result.stderr.count("\n") == 1
