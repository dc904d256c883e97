"""Given a rule and the cells it concerns, return the finding with its messages in both languages."""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.check.catalogue import Rule
from xxgk.check.kinds.context import Num
from xxgk.check.kinds.naming import fmt, named_cells
from xxgk.model import Finding
from xxgk.templates import Template


def finding(
    rule: Rule,
    cells: Sequence[str],
    *,
    expected: Num | str | None = None,
    actual: Num | str | None = None,
    actual_blank: bool = False,
    named_by: Template | None = None,
    **fields: object,
) -> Finding:
    """A finding of `rule`. Messages name cells as the template prints them (`named_by`), and
    say 未填/blank, not 0, when the cell compared is blank (`actual_blank`)."""
    raw: dict[str, object] = {"expected": expected, "actual": actual, **fields}
    values = {k: fmt(v) for k, v in raw.items()}
    zh, en = _Defaults(values), _Defaults(values)
    if "{cells}" in rule.zh or "{cells}" in rule.en:
        zh["cells"] = named_cells(named_by, cells, "zh")
        en["cells"] = named_cells(named_by, cells, "en")
    if actual_blank:
        zh["actual"], en["actual"] = "未填", "blank"
    # model_construct: every field is built here with its declared type, so skip re-validation
    # (findings are the hot path when a corpus is full of errors).
    return Finding.model_construct(
        rule=rule.id,
        severity=rule.severity,
        cells=list(cells),
        expected=expected,
        actual=actual,
        message=rule.zh.format_map(zh),
        message_en=rule.en.format_map(en),
    )


class _Defaults(dict[str, str]):
    """Message fields a rule's text names but this finding lacks print as nothing."""

    def __missing__(self, key: str) -> str:
        return ""
