"""Text of one table cell as laid out on several lines (DOCX paragraphs, PDF text lines)."""

from __future__ import annotations

from collections.abc import Iterable


def join_lines(lines: Iterable[str]) -> str:
    """CJK text and digits glue together, Latin words keep a space.

    A number wrapped inside a narrow cell ("15" / "48") must come back as "1548", and a label cut
    across lines ("本年新收政府信息公" / "开申请数量") as one label.
    """
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out
