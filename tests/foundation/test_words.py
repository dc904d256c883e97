"""Words for people: one message catalogue complete in Chinese and English, rules by name, cells
as the template prints them, and 未填 (not 0) for a blank cell in the check messages (issue 12)."""

from __future__ import annotations

import re
import string

from tests.paths import DEV_TRUTH, REPO

from xxgk.check import check
from xxgk.check.catalogue import SCOPES, rules
from xxgk.check.describe import describe_cell, rule_label
from xxgk.i18n import LANGS, catalogue, say
from xxgk.model import load_report

HAN = re.compile(r"[\u4e00-\u9fff]")
SAY = re.compile(r"""say\(\s*["']([a-z_.-]+)["']""")
# Ids the code builds from a value: "severity." + severity, and so on.
DYNAMIC = {
    "severity": ("error", "warning", "info"),
    "decision": ("confirmed", "dismissed", "open"),
    "status": ("read", "inferred", "ambiguous", "blank"),
    "scope": SCOPES,
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_chinese_and_english_with_the_same_placeholders() -> None:
    for msg_id, texts in catalogue().items():
        assert set(texts) == set(LANGS), msg_id
        assert all(texts[lang].strip() for lang in LANGS), msg_id
        assert _fields(texts["zh"]) == _fields(texts["en"]), msg_id
        assert not HAN.search(texts["en"]), f"{msg_id}: the English text is untranslated"
        assert HAN.search(texts["zh"]), f"{msg_id}: the Chinese text is not Chinese"


def test_every_message_the_code_asks_for_exists() -> None:
    used = set()
    for path in [*REPO.joinpath("src/xxgk").rglob("*.py"), *REPO.joinpath("src/xxgk").rglob("*.j2")]:
        # "severity." ~ f.severity in a template: a prefix, covered by DYNAMIC below
        used |= {m for m in SAY.findall(path.read_text("utf-8")) if not m.endswith(".")}
    used |= {f"{prefix}.{value}" for prefix, values in DYNAMIC.items() for value in values}
    assert used, "the outputs use the catalogue"
    missing = sorted(used - set(catalogue()))
    assert missing == []


def test_every_rule_has_a_chinese_and_an_english_name() -> None:
    titles = set()
    for r in rules():
        assert HAN.search(r.title_zh) and r.title_en.strip(), r.id
        assert r.title_zh not in titles, f"{r.id}: two rules with one name"
        titles.add(r.title_zh)
        assert rule_label(r.id) == f"{r.title_zh}（{r.id}）"
        assert rule_label(r.id, "en") == f"{r.title_en} ({r.id})"


def test_cells_are_named_as_the_template_prints_them() -> None:
    assert describe_cell("2021", "table3.denied_state_secret.commercial") == (
        "表三 · （三）不予公开 1.属于国家秘密 · 商业企业"
    )
    # A report whose template is unknown still names a cell both templates define.
    assert describe_cell(None, "table3.new.total") == "表三 · 一、本年新收政府信息公开申请数量 · 总计"
    assert say("value.blank") == "未填" and say("value.blank", "en") == "blank"


def test_a_blank_total_is_reported_as_blank_not_zero() -> None:
    """103 prints 四、结转下年度 总计 blank: the message said "报告填 0"."""
    findings = check(load_report(DEV_TRUTH / "103_shanghai-kewei-2024.json"))
    row = next(f for f in findings if f.rule == "T3-ROW-TOTAL")
    assert row.cells[0] == "table3.carried_forward.total"
    assert row.message.endswith("报告中为 未填") and row.message_en is not None
    assert row.message_en.endswith("the report has blank")
    assert row.actual == 0  # the arithmetic still counts the blank as 0 (annual-report.md A.4)
    # A printed 0 stays 0: 101's （七）总计 is printed as 0.
    printed = check(load_report(DEV_TRUTH / "101_pingtan-junshan-2022.json"))
    assert any(f.message.endswith("（七）总计为 0") for f in printed if f.rule == "T3-DISPOSAL-SUM")


def test_messages_list_cells_by_name_never_by_key() -> None:
    findings = check(load_report(DEV_TRUTH / "001_d822c2f35621c521.json"))
    listed = next(f for f in findings if f.rule == "V-AMBIGUOUS")
    assert len(listed.cells) == 15
    assert "table3." not in listed.message and "table3." not in (listed.message_en or "")
    assert "一、本年新收政府信息公开申请数量 · 商业企业" in listed.message
    assert listed.message.endswith("等共 15 个") and listed.message_en.endswith("and 5 more")
