"""The names the pages print for rules and cells.

One helper on purpose: the rule catalogue is getting Chinese/English display names (issue 12);
when it does, only `rule_title` changes.
"""

from __future__ import annotations

from xxgk.check import rule
from xxgk.templates import get_template


def rule_title(rule_id: str, lang: str = "zh") -> str:
    """The rule's human name in `lang` (the id when the catalogue does not know it)."""
    try:
        r = rule(rule_id)
    except KeyError:
        return rule_id
    return r.title_en if lang == "en" else r.title_zh


def cell_title(template: str | None, key: str) -> str:
    """ "三、本年度办理结果 (一)予以公开 · 自然人" style name of a cell key, or the key itself."""
    if template not in ("2019", "2021"):
        return key
    try:
        c = get_template(template).cell(key)
    except KeyError:
        return key
    row = f"{c.row.group_label}·" if c.row.group_label else ""
    table = {"table2": "表二", "table3": "表三", "table4": "表四"}[c.table]
    parent = f"{c.row.parent}·" if c.row.parent else ""
    return f"{table} {row}{parent}{c.row.printed} · {c.column.label}"
