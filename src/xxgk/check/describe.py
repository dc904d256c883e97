"""Keys in words, for every output a person reads.

- a cell: "table3.denied_state_secret.commercial" → "表三 · （三）不予公开 1.属于国家秘密 · 商业企业";
- a rule: "T3-ROW-TOTAL" → "表三各行总计等于六类申请人之和（T3-ROW-TOTAL）": the catalogue's name
  first, the code after it for those who look it up (`xxgk rules`).
"""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.check.catalogue import rule as catalogue_rule
from xxgk.check.kinds import cell_labels
from xxgk.i18n import Lang
from xxgk.templates import get_template

TEMPLATE_IDS = ("2021", "2019")


def describe_cell(template_id: str | None, cell: str) -> str:
    """The cell as the template prints it (table · row · column). A report with no known template
    is named by whichever template defines the key; the raw key only when none does."""
    for tid in (template_id, *TEMPLATE_IDS) if template_id in TEMPLATE_IDS else TEMPLATE_IDS:
        try:
            return " · ".join(cell_labels(get_template(tid), cell).values())
        except (KeyError, ValueError):
            continue
    return cell


def describe_cells(template_id: str | None, cells: Sequence[str]) -> str:
    return "；".join(describe_cell(template_id, c) for c in cells)


def rule_title(rule_id: str, lang: Lang = "zh") -> str:
    """The rule's name in the catalogue; the id itself for a rule the catalogue does not know."""
    try:
        r = catalogue_rule(rule_id)
    except KeyError:
        return rule_id
    return r.title_zh if lang == "zh" else r.title_en


def rule_label(rule_id: str, lang: Lang = "zh") -> str:
    """Name and code: "表三各行总计等于六类申请人之和（T3-ROW-TOTAL）"."""
    title = rule_title(rule_id, lang)
    if title == rule_id:
        return rule_id
    return f"{title}（{rule_id}）" if lang == "zh" else f"{title} ({rule_id})"
