"""The six sections' text of a compiled report: the office's own texts (a TOML file), or a plain
default, with placeholders filled from the year's numbers (`{new}`, `{concluded}`, `{fee_wan}` …).

    [sections]
    1 = "{year}年，本机关共收到政府信息公开申请{new}件……"
    5 = "……"
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any

from xxgk.model import Report, Section
from xxgk.register.errors import RegisterError
from xxgk.templates import get_template

DEFAULTS: dict[int, str] = {
    1: "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。",
    2: "{year}年主动公开政府信息情况见下表。",
    3: (
        "{year}年，本机关新收政府信息公开申请{new}件，上年结转{carried_over}件，"
        "办结{concluded}件，结转下年度继续办理{carried_forward}件。"
    ),
    4: "{year}年，因政府信息公开工作引起行政复议{review}件、行政诉讼{litigation}件。",
    5: "（由本机关填写存在的主要问题及改进情况。）",
    6: "（由本机关填写其他需要报告的事项。）{fee_sentence}",
}


def placeholders(report: Report) -> dict[str, Any]:
    """The values a section text may name, from the report's own tables (so text and tables agree)."""

    def v(cell: str) -> Any:
        value = report.value(cell)
        return 0 if value is None else value

    fee = report.value("table2.fees.amount_wan") if report.has("table2.fees.amount_wan") else None
    return {
        "agency": report.agency or "",
        "year": report.year,
        "new": v("table3.new.total"),
        "carried_over": v("table3.carried_over.total"),
        "concluded": v("table3.total.total"),
        "carried_forward": v("table3.carried_forward.total"),
        "review": v("table4.review.total"),
        "litigation": v("table4.litigation_direct.total") + v("table4.litigation_after_review.total"),
        "fee_wan": fee if fee is not None else 0,
        "fee_sentence": f"本年度收取信息处理费{fee}万元。" if fee else "本年度未收取信息处理费。",
    }


def load_texts(path: Path) -> dict[int, str]:
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise RegisterError(f"{path}: cannot read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegisterError(f"{path}: not a TOML file: {exc}") from None
    table = raw.get("sections")
    if not isinstance(table, dict):
        raise RegisterError(f'{path}: needs a [sections] table (1 = "…" … 6 = "…")')
    texts: dict[int, str] = {}
    for key, text in table.items():
        if key not in {str(n) for n in range(1, 7)} or not isinstance(text, str):
            raise RegisterError(f"{path}: [sections] {key!r}: the keys are 1–6 and the values text")
        texts[int(key)] = text
    return texts


def fill(report: Report, texts: dict[int, str] | None = None, origin: str = "default texts") -> list[Section]:
    """The six sections with the office's texts (or the defaults) filled in."""
    template = get_template(report.template or "2021")
    values = placeholders(report)
    chosen = {**DEFAULTS, **(texts or {})}
    sections = []
    for spec in template.sections:
        text = chosen[spec.number]
        for _, name, _, _ in string.Formatter().parse(text):
            if name is not None and name not in values:
                raise RegisterError(
                    f"{origin}: section {spec.number}: unknown placeholder {{{name}}}; known: {', '.join(values)}"
                )
        sections.append(Section(number=spec.number, heading=spec.heading, text=text.format_map(values)))
    return sections
