"""A ledger's outcome label → the table 3 disposal row of a template (register.md R.2).

The outcome is written as the template of the year the case is concluded prints the row: with or
without its numbering and its group (`属于国家秘密`, `1.属于国家秘密`, `不予公开-属于国家秘密`,
`（三）1.属于国家秘密`), 部分公开 with or without its bracketed note, `其他` alone for （六）3 (2021) or
（六）其他处理 (2019), or one of the short forms of R.2. Anything else is refused, never guessed:
`resolve` returns None and the import names the row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from xxgk.templates import Template, get_template
from xxgk.text import label_key

# R.2's short forms, per template (2019 has one 其他处理 row, 2021 three).
SHORT_FORMS: dict[str, dict[str, str]] = {
    "2019": {
        "国家秘密": "denied_state_secret",
        "不掌握": "unable_not_held",
        "重复申请": "not_processed_repeat",
        "逾期不补正": "other",
        "未缴费": "other",
        "撤回": "other",
        "其他": "other",
    },
    "2021": {
        "国家秘密": "denied_state_secret",
        "不掌握": "unable_not_held",
        "重复申请": "not_processed_repeat",
        "逾期不补正": "other_overdue_correction",
        "未缴费": "other_overdue_fee",
        "撤回": "other_other",
        "其他": "other_other",
    },
}
_BRACKETED = re.compile(r"[（(][^）)]*[）)]$")


@cache
def _keys(template_id: str) -> dict[str, str | None]:
    """Every accepted spelling's key → row key; None marks a spelling two rows share (refused)."""
    template = get_template(template_id)
    groups = {key: (number, label) for key, number, label in template.table3.groups}
    found: dict[str, str | None] = {}

    def add(text: str, row: str) -> None:
        key = label_key(text)
        if key:
            found[key] = row if found.get(key, row) == row else None

    for row in template.table3.rows_with_role("disposal"):
        labels = [row.label, *row.variants]
        labels += [_BRACKETED.sub("", lab) for lab in labels if _BRACKETED.search(lab)]
        for label in labels:
            add(label, row.key)
            add(f"{row.number}{label}", row.key)
            if row.group is not None:
                number, group_label = groups[row.group]
                for head in (group_label, f"{number}{group_label}", number):
                    add(f"{head}{label}", row.key)
                    add(f"{head}{row.number}{label}", row.key)
    for short, row_key in SHORT_FORMS[template_id].items():
        found[label_key(short)] = row_key
    return found


def resolve(label: str, template: Template, extra: Mapping[str, str] | None = None) -> str | None:
    """The row key `label` names in `template`, or None when it names none or is ambiguous.

    `extra` maps an office's own outcome words to a label of the template (a mapping file).
    """
    text = label.strip()
    if extra and text in extra:
        text = extra[text]
    return _keys(template.id).get(label_key(text))


@cache
def printed(row_key: str, template_id: str) -> str:
    """The row as the template prints it, group included (for exports and explanations)."""
    template = get_template(template_id)
    row = template.table3.row(row_key)
    if row.group is None:
        return row.printed
    number, label = {k: (n, lab) for k, n, lab in template.table3.groups}[row.group]
    return f"{number}{label}{row.printed}"
