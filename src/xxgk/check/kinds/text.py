"""The narrative against the tables: a number the text states equals the cell it describes (Q10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Context
from xxgk.check.kinds.findings import finding
from xxgk.check.kinds.registry import kind
from xxgk.model import Finding
from xxgk.text import fold


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


@kind("text_number")
def text_number(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A number the narrative states must equal the table cell it describes (Q10)."""
    cell = rule.params["cell"]
    if ctx.report.template is None or not ctx.decidable([cell]) or not ctx.report.has(cell):
        return
    wanted = set(rule.params["sections"])
    text = "\n".join(fold(s.text) for s in ctx.report.sections if s.number in wanted)
    for pattern in _compiled(tuple(rule.params["patterns"])):
        match = pattern.search(text)
        if match:
            stated = int(match.group(1))
            if stated != ctx.num(cell):
                yield finding(rule, [cell], expected=ctx.num(cell), actual=stated)
            return
