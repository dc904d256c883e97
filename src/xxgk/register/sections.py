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


PLACEHOLDERS = (
    "agency", "year", "new", "carried_over", "concluded", "carried_forward", "review", "litigation",
    "fee_wan", "fee_sentence",
)  # fmt: skip  # the keys of `placeholders`


def load_texts(path: Path) -> dict[int, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_texts(data, str(path))


def parse_texts(data: bytes, origin: str) -> dict[int, str]:
    """Given a sections file's bytes (TOML, a [sections] table), the texts by section number;
    RegisterError naming `origin` when it is not one (the CLI's --sections and the web upload)."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegisterError(f"{origin}: not a TOML file: {exc}") from None
    return section_texts(raw.get("sections"), origin)


def section_texts(table: Any, origin: str) -> dict[int, str]:
    """Given a decoded [sections] table ({"1": "…", … "6": "…"}), the texts, each checked for
    placeholders this module can fill — a typo is found when the file is given, not at compile."""
    if not isinstance(table, dict):
        raise RegisterError(f'{origin}: needs a [sections] table (1 = "…" … 6 = "…")')
    texts: dict[int, str] = {}
    for key, text in table.items():
        if str(key) not in {str(n) for n in range(1, 7)} or not isinstance(text, str):
            raise RegisterError(f"{origin}: [sections] {key!r}: the keys are 1–6 and the values text")
        _check_placeholders(text, f"{origin}: section {key}")
        texts[int(key)] = text
    return texts


def _check_placeholders(text: str, where: str) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:  # a lone "{" or "}": write "{{" / "}}" for a brace
        raise RegisterError(f"{where}: {exc} (write {{{{ or }}}} for a brace)") from None
    for name in names:
        if name not in PLACEHOLDERS:
            raise RegisterError(f"{where}: unknown placeholder {{{name}}}; known: {', '.join(PLACEHOLDERS)}")


def fill(report: Report, texts: dict[int, str] | None = None, origin: str = "default texts") -> list[Section]:
    """The six sections with the office's texts (or the defaults) filled in."""
    template = get_template(report.template or "2021")
    values = placeholders(report)
    chosen = {**DEFAULTS, **(texts or {})}
    sections = []
    for spec in template.sections:
        text = chosen[spec.number]
        _check_placeholders(text, f"{origin}: section {spec.number}")
        sections.append(Section(number=spec.number, heading=spec.heading, text=text.format_map(values)))
    return sections
