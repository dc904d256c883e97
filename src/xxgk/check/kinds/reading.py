"""Kinds of check that report what reading found, not what the table says: the reader leaves it
in the report (Report.unplaced) and the rule turns it into a finding with its message."""

from __future__ import annotations

from collections.abc import Iterator

from xxgk.check.catalogue import Rule
from xxgk.check.kinds import TABLE_NAMES, Context, finding, kind
from xxgk.model import Finding, PagePosition, Unplaced

MAX_LISTED = 10  # tokens named in one message; the report's unplaced list has them all


def _where(token: Unplaced, zh: bool) -> str:
    offset = token.offset
    if isinstance(offset, PagePosition):
        return f"{token.text}（第 {offset.page} 页）" if zh else f"{token.text} (page {offset.page})"
    if offset is None:
        return token.text
    return f"{token.text}（位置 {offset}）" if zh else f"{token.text} (offset {offset})"


def _named(tokens: list[Unplaced], zh: bool) -> str:
    named = ("、" if zh else ", ").join(_where(t, zh) for t in tokens[:MAX_LISTED])
    more = len(tokens) - MAX_LISTED
    if more <= 0:
        return named
    return named + (f" 等共 {len(tokens)} 个" if zh else f" and {more} more")


@kind("unplaced_numbers")
def unplaced_numbers(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """One finding per table whose region printed numbers no cell took (readers/ledger.py), naming
    each as printed with its offset in the text (or its page, for a PDF)."""
    by_table: dict[str, list[Unplaced]] = {}
    for token in ctx.report.unplaced:
        by_table.setdefault(token.table, []).append(token)
    for table_key, tokens in by_table.items():
        yield finding(
            rule,
            [],
            actual=len(tokens),
            table=TABLE_NAMES[table_key],
            numbers=_named(tokens, zh=True),
            detail=_named(tokens, zh=False),
        )
