"""Metadata in the forms real reports print (issue 10): the agency from the report's own title and
statements before the site's chrome, never a body phrase; the publication date from the page's
foot or the signature block; section headings as printed."""

from __future__ import annotations

import pytest

from xxgk.readers.agency import read_agency
from xxgk.readers.meta import read_published, read_sections
from xxgk.templates import get_template
from xxgk.text import fold, to_simplified

AGENCY_CASES: list[tuple[str, str | None]] = [
    # the site's 来源 line does not win over the report's own title
    (
        "来源：临江市人民政府门户网站办公室\n临江市统计局2022年政府信息公开工作年度报告",
        "临江市统计局",
    ),
    (
        "来源：临江市人民政府办公室\n2022年临江市统计局政府信息公开工作年度报告",
        "临江市统计局",
    ),
    # a phrase from the body is never a name
    ("一、总体情况\n2022年，在省政府的坚强领导下，全面推进", None),
    ("现向社会公布临江市统计局2022年政府信息公开工作年度报告", None),
    ("一、总体情况\n在省政府办公厅指导下，本机关认真落实", None),
    # the title was cut by the crawl; the text says who compiled the report
    (
        "信息公开工作年度报告\n本报告由临江市人民政府办公室根据各有关单位年度报告汇总编制。",
        "临江市人民政府办公室",
    ),
    ("本年度报告由云溪县政务服务中心汇总各有关单位情况编制。", "云溪县政务服务中心"),
    # places whose first character is also a preposition stay names
    ("将乐县人民政府2022年政府信息公开工作年度报告", "将乐县人民政府"),
    ("向阳区人民政府2022年政府信息公开工作年度报告", "向阳区人民政府"),
]


@pytest.mark.parametrize(
    ("text", "expected"), AGENCY_CASES, ids=[f"case{i:02d}" for i in range(len(AGENCY_CASES))]
)
def test_agency_from_the_report_not_the_chrome_or_the_body(text: str, expected: str | None) -> None:
    assert read_agency(to_simplified(fold(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标题\n" + "正文。" * 2000 + "\n发布时间：2023年01月28日 浏览次数：12", "2023-01-28"),
        ("标题\n正文。\n六、其他需要报告的事项\n无。\n临江市统计局\n2023年1月30日\n", "2023-01-30"),
        ("标题\n正文。\n临江市统计局 2023年1月30日", "2023-01-30"),
        ("标题\n本办法自2023年1月30日起施行。", None),
    ],
)
def test_published_from_the_foot_or_the_signature(text: str, expected: str | None) -> None:
    got = read_published(text)
    assert (got.isoformat() if got else None) == expected


SECTIONS = (
    "一总体情况\n好。\n二、主动公开政府信息情况\n表\n三、收到和处理政府信息公开申请情况\n表\n"
    "四、{four}情况\n表\n五、存在的主要问题及{five}\n问题。\n六、其他需要报告的事项\n无。"
)


@pytest.mark.parametrize(
    ("four", "five"),
    [("行政复议与行政诉讼", "整改措施"), ("政府信息公开行政法复议、行政诉讼", "改进措施")],
)
def test_section_headings_real_reports_print(four: str, five: str) -> None:
    for template_id in ("2019", "2021"):
        found = read_sections(SECTIONS.format(four=four, five=five), get_template(template_id))
        assert [s.number for s in found] == [1, 2, 3, 4, 5, 6]
        assert found[0].heading == "一总体情况"
