"""The checker on the labelled dev reports and on hand-made cases, rule by rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.paths import DEV_TRUTH, dev_labels

from xxgk.check import check, has_errors, rules
from xxgk.model import CellSource, Report, Section, load_report
from xxgk.templates import get_template

# Documents that do not add up, and where (from the labels' own notes).
DOES_NOT_ADD_UP = {
    "101_pingtan-junshan-2022": {
        # （四）1 leftover row 3,0,0,0,0,2,5 while （七）总计 is all 0
        ("T3-DISPOSAL-SUM", "table3.total.natural_person", 3, 0),
        ("T3-DISPOSAL-SUM", "table3.total.other", 2, 0),
        ("T3-DISPOSAL-SUM", "table3.total.total", 5, 0),
    },
    "103_shanghai-kewei-2024": {
        # 四、结转下年度 总计 printed blank (should be 1)
        ("T3-ROW-TOTAL", "table3.carried_forward.total", 1, 0),
        ("T3-BALANCE", "table3.new.total", 36, 35),
    },
}


@pytest.mark.parametrize("label", dev_labels(), ids=lambda p: p.stem)
def test_dev_labels_pass_unless_the_document_does_not_add_up(label: Path) -> None:
    findings = check(load_report(label))
    errors = {(f.rule, f.cells[0], f.expected, f.actual) for f in findings if f.severity == "error"}
    assert errors == DOES_NOT_ADD_UP.get(label.stem, set())


def test_the_blank_total_of_103_is_named_among_the_balance_cells() -> None:
    findings = check(load_report(DEV_TRUTH / "103_shanghai-kewei-2024.json"))
    balance = next(f for f in findings if f.rule == "T3-BALANCE")
    assert "table3.carried_forward.total" in balance.cells
    assert "36" in balance.message and "35" in balance.message


def test_ambiguous_cells_skip_their_identities_and_are_listed() -> None:
    report = load_report(DEV_TRUTH / "001_d822c2f35621c521.json")
    findings = check(report)
    assert not has_errors(findings)
    info = [f for f in findings if f.rule == "V-AMBIGUOUS"]
    assert len(info) == 1 and info[0].actual == 15 and "table3.new.commercial" in info[0].cells


def _report(template: str = "2021", year: int = 2022) -> Report:
    base = load_report(
        DEV_TRUTH / ("002_594938079f36f576.json" if template == "2021" else "001_d822c2f35621c521.json")
    )
    report = base.model_copy(deep=True)
    report.year = year
    report.cells = {}  # the 2019 label's undecidable cells become plain blanks
    return report


def test_outdated_template_is_an_error() -> None:
    report = _report("2019", 2019)
    report.year = 2022
    found = [(f.rule, f.severity, f.expected, f.actual) for f in check(report) if f.rule.startswith("TPL")]
    assert found == [("TPL-OUTDATED", "error", "2021", 2022)]


def test_2021_tables_for_2020_is_a_warning_and_pre2019_a_note() -> None:
    report = _report("2021", 2020)
    assert [(f.rule, f.severity) for f in check(report) if f.rule.startswith("TPL")] == [
        ("TPL-ANACHRONISM", "warning")
    ]
    report.year = 2017
    assert [(f.rule, f.severity) for f in check(report) if f.rule.startswith("TPL")] == [
        ("TPL-ANACHRONISM", "warning"),
        ("TPL-PRE2019", "info"),
    ]


def test_unknown_template_is_an_error_and_table_rules_do_not_run() -> None:
    report = _report()
    report.template = None
    report.table3["new"]["total"] = 999999
    assert {f.rule for f in check(report)} == {"TPL-MISSING", "C-SECTIONS"}  # the label has no sections


def test_sections_missing_or_out_of_order() -> None:
    report = _report()
    report.sections = [
        Section(number=n, heading=h)
        for n, h in (
            (1, "一、总体情况"),
            (3, "三、收到和处理政府信息公开申请情况"),
            (2, "二、主动公开政府信息情况"),
        )
    ]
    (finding,) = [f for f in check(report) if f.rule == "C-SECTIONS"]
    assert finding.severity == "warning"
    assert "缺少第四、五、六部分" in finding.message and "顺序为 一、三、二" in finding.message


def test_missing_template_row_is_named_cell_by_cell() -> None:
    report = _report()
    del report.table3["denied_inquiry"]
    del report.table4["review"]["pending"]
    found = {(f.rule, tuple(f.cells)) for f in check(report) if f.rule == "C-TEMPLATE-CELLS"}
    columns = [c.key for c in get_template("2021").table3.columns]
    assert found == {
        ("C-TEMPLATE-CELLS", tuple(f"table3.denied_inquiry.{c}" for c in columns)),
        ("C-TEMPLATE-CELLS", ("table4.review.pending",)),
    }


def test_cells_the_template_does_not_have() -> None:
    report = _report()  # a 2021 report with the 2019-only （六）其他处理 row
    report.table3["other"] = {"total": 0}
    found = [f for f in check(report) if f.rule == "V-UNKNOWN-CELL"]
    assert [(f.severity, f.cells) for f in found] == [("error", ["table3.other.total"])]


def test_previous_report_of_the_wrong_year_skips_cross_year_rules() -> None:
    this, last = _report(year=2022), _report(year=2020)
    this.table3["carried_over"]["total"] = 12345
    found = [f.rule for f in check(this, last) if f.rule.startswith("X")]
    assert found == ["X-PREVIOUS-YEAR"]


def test_ambiguous_carry_forward_last_year_is_not_compared() -> None:
    this, last = _report(year=2022), _report(year=2021)
    this.table3["carried_over"]["natural_person"] = 1
    last.cells["table3.carried_forward.natural_person"] = CellSource(status="ambiguous")
    assert not [
        f
        for f in check(this, last)
        if f.rule == "X-CARRIED-OVER" and f.cells == ["table3.carried_over.natural_person"]
    ]


def test_findings_carry_both_languages_and_every_rule_has_them() -> None:
    report = _report()
    report.table3["granted"]["natural_person"] = 1
    finding = next(f for f in check(report) if f.rule == "T3-ROW-TOTAL")
    assert finding.message.startswith("表三「（一）予以公开」行")
    assert finding.message_en is not None and finding.message_en.startswith("Table 3, row")
    for r in rules():
        assert r.zh and r.en and r.title_zh and r.title_en and r.source


def test_check_does_not_modify_the_report() -> None:
    report = _report()
    report.table3["new"]["total"] = None
    before = report.model_dump()
    check(report)
    assert report.model_dump() == before


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("区政府及全区各部门全年共收到政府信息公开申请1600件，结转上年政府信息公开申请28件", None),
        ("2019年,共收到政府信息公开申请1601件,同比下降33.33%", 1601),
        ("全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件", 34),
        ("本年度受理政府信息公开申请１５件。", 15),  # full-width digits
        ("2022年未收到依申请公开事宜。", None),
    ],
)
def test_narrative_count_of_applications_must_match_table_3(text: str, stated: int | None) -> None:
    report = _report()  # table3.new.total == 1600
    report.sections = [Section(number=1, heading="一、总体情况", text=text)]
    found = [
        (f.rule, f.cells, f.expected, f.actual) for f in check(report) if f.rule == "TXT-NEW-APPLICATIONS"
    ]
    if stated is None or stated == 1600:
        assert found == []
    else:
        assert found == [("TXT-NEW-APPLICATIONS", ["table3.new.total"], 1600, stated)]


@pytest.mark.parametrize(
    ("agency", "published", "late"),
    [
        ("东丽区商务局", date(2023, 1, 31), False),
        ("东丽区商务局", date(2023, 2, 1), True),
        ("东丽区人民政府", date(2023, 3, 31), False),
        ("东丽区人民政府", date(2023, 4, 1), True),
    ],
)
def test_publication_deadline(agency: str, published: date, late: bool) -> None:
    report = _report(year=2022)
    report.agency, report.published = agency, published
    found = [f for f in check(report) if f.rule == "TIME-LATE"]
    assert bool(found) is late
    if late:
        assert found[0].actual == published.isoformat() and found[0].severity == "warning"


def test_every_rule_kind_is_registered_once_and_the_public_names_stay_importable() -> None:
    """The kinds package registers each rule's kind; a second function under a taken name is a
    mistake (two modules defining one kind), not a silent replacement."""
    from xxgk.check.kinds import KINDS, cell_labels, finding, fmt, kind, row_title

    assert {r.kind for r in rules()} <= set(KINDS)
    assert callable(cell_labels) and callable(finding) and callable(fmt) and callable(row_title)
    with pytest.raises(ValueError, match="row_sum"):
        kind("row_sum")(lambda rule, ctx: iter(()))
    assert KINDS["row_sum"].__name__ == "row_sum"
