"""The template data agrees with the spec documents, which are parsed here as the oracle."""

from __future__ import annotations

import re

import pytest
from tests.paths import DEV_TRUTH, SHARED, dev_documents

from xxgk.model import load_report
from xxgk.templates import TEMPLATE_IDS, detect_template, get_template, template_for_year
from xxgk.text import label_key

REPORT_JSON_MD = SHARED / "spec" / "report-json.md"


def _spec_section(title: str) -> str:
    text = REPORT_JSON_MD.read_text("utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start:end]


def _table3_spec_rows() -> list[tuple[str, str]]:
    """(key, printed-row text) pairs from report-json.md's table 3 key list."""
    return re.findall(r"^\| `(\w+)` \| (.+?) \|$", _spec_section("## Table 3"), re.M)


def test_table3_rows_match_report_json_spec() -> None:
    rows = _table3_spec_rows()
    keys_2021 = [k for k, text in rows if "2019 template only" not in text]
    keys_2019 = [k for k, text in rows if "2021 only" not in text]
    assert [r.key for r in get_template("2021").table3.rows] == keys_2021
    assert [r.key for r in get_template("2019").table3.rows] == keys_2019


def test_table3_rowspan_of_disposals_matches_printed_template() -> None:
    # annual-report.md A.4: 三 spans 22 rows in 2021 and 20 in 2019 — one per data row; group
    # cells such as （三）不予公开 sit beside their sub-rows, not on a row of their own.
    for template_id, printed_span, groups in (("2021", 22, 4), ("2019", 20, 3)):
        table = get_template(template_id).table3
        leaves = [r for r in table.rows if r.role in ("disposal", "disposal_total")]
        assert len(leaves) == printed_span
        assert len({r.group for r in leaves if r.group}) == len(table.groups) == groups


def test_table_columns_match_spec() -> None:
    t3 = _spec_section("## Table 3")
    spec_cols = re.findall(r"`(\w+)` [\u4e00-\u9fff]+", t3.split("| row key")[0])
    assert [c.key for c in get_template("2021").table3.columns] == spec_cols
    t4 = _spec_section("## Table 4")
    assert [c.key for c in get_template("2021").table4.columns] == re.findall(
        r"`(\w+)` [\u4e00-\u9fff]", t4.split("each with")[1]
    )
    assert [r.key for r in get_template("2021").table4.rows] == re.findall(r"`(\w+)` 行政", t4)


@pytest.mark.parametrize("template_id", ["2019", "2021"])
def test_table2_rows_and_columns_match_spec(template_id: str) -> None:
    section = _spec_section("## Table 2")
    part = section.split(f"{template_id} template:")[1].split("template:")[0]
    spec_rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (.+) \|$", part, re.M)
    template = get_template(template_id)
    assert [r.key for r in template.table2.rows] == [k for k, _, _ in spec_rows]
    previous: list[str] = []
    for (key, label, cols), row in zip(spec_rows, template.table2.rows, strict=True):
        assert row.label == label.strip(), key
        named = re.findall(r"`(\w+)`", cols)
        expected = previous if cols.strip() == "same" else named
        assert [c.key for c in row.columns] == expected, key
        previous = expected


def test_cell_kinds() -> None:
    t19, t21 = get_template("2019"), get_template("2021")
    assert t21.cell("table2.fees.amount_wan").column.kind == "amount"
    assert t19.cell("table2.procurement.amount_wan").column.kind == "amount"
    assert t19.cell("table2.licensing.change").column.kind == "signed"
    signed_21 = [c.key for c in t21.cells() if c.column.kind == "signed"]
    assert signed_21 == []  # 2021 dropped 本年增/减 (A.6)
    assert len(list(t21.cells())) == 10 + 25 * 7 + 15
    assert len(list(t19.cells())) == 22 + 23 * 7 + 15


def test_template_for_year() -> None:
    assert template_for_year(2018) is None
    assert template_for_year(2019).id == "2019"  # type: ignore[union-attr]
    assert template_for_year(2020).id == "2019"  # type: ignore[union-attr]
    assert template_for_year(2021).id == "2021"  # type: ignore[union-attr]
    assert template_for_year(2030).id == "2021"  # type: ignore[union-attr]


@pytest.mark.parametrize("doc", dev_documents(), ids=lambda p: p.stem)
def test_detect_template_on_dev_documents(doc) -> None:  # type: ignore[no-untyped-def]
    label = load_report(DEV_TRUTH / f"{doc.stem}.json")
    assert detect_template(doc.read_text("utf-8")) == label.template


def test_detect_template_none_for_unrelated_text() -> None:
    assert detect_template("政府工作报告：今年经济平稳增长。") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
        ),
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理", "1.申请人无正当理由逾期不补正，行政机关不再处理"),
        ("（三）不予公開 1.屬於國家秘密", "（三）不予公开 1.属于国家秘密"),
        ("行政覆議", "行政复议"),
        ("本 年 新 收", "本年新收"),
    ],
)
def test_label_key_folds_real_variants(a: str, b: str) -> None:
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_views_are_worked_out_once_and_cover_every_cell(template_id: str) -> None:
    """The readers' views of a template (cached properties): computed once per template, and
    the printed rows' plans place every cell of the template exactly once."""
    template = get_template(template_id)
    assert template.row_plans is template.row_plans and template.table3_shape is template.table3_shape
    planned = [cell for cells, _, _ in template.row_plans.values() for cell in cells]
    assert sorted(planned) == sorted(template.cell_keys) == sorted(c.key for c in template.cells())
    assert set(template.row_plans) == template.printed_rows
    for cells, groups, _ in template.row_plans.values():  # each group: items, then their 总计
        for items, total in groups:
            assert cells[total].endswith(".total") and not any(cells[i].endswith(".total") for i in items)
    shape = template.table3_shape
    roles = {r.key: r.role for r in template.table3.rows}
    assert {roles[k] for k in shape.intake} == {"intake"} and {roles[k] for k in shape.disposal} == {
        "disposal"
    }
    assert template.money_cells == {c.key for c in template.cells() if c.column.unit == "万元"}
    assert template.money_cells and template.money_cells <= set(template.cell_keys)
