"""Agency (机关) extraction: data rows of real page shapes, the dev labels, every render layout and
the sample corpus. The audit links an agency's years by this name (xxgk.audit.agencies), so a
fragment must never come back: a missing name only hides a cross-year check, a wrong one merges
two bodies."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.paths import DEV_TRUTH, dev_documents

from xxgk.audit.agencies import agency_key, resolve
from xxgk.extract import extract_bytes, extract_file
from xxgk.model import load_report
from xxgk.readers.agency import read_agency
from xxgk.render import layout_names, render
from xxgk.render.layouts import LAYOUTS
from xxgk.samples import random_report, write_corpus
from xxgk.text import fold, to_simplified

# (text as a page prints it, expected agency). The text goes through fold + t2s first, as every
# adapter does before the reader sees it.
CASES: list[tuple[str, str | None]] = [
    # title: <机关>20XX年(度)政府信息公开工作年度报告
    ("东丽区人民政府2022年政府信息公开工作年度报告", "东丽区人民政府"),
    ("开阳县人民政府2019年度政府信息公开工作年度报告", "开阳县人民政府"),
    ("东丽区人民政府 2022 年政府信息公开工作年度报告", "东丽区人民政府"),
    ("东丽区人民政府２０２２年政府信息公开工作年度报告", "东丽区人民政府"),
    ("新榮區政務服務中心2021年政府信息公開工作年度報告", "新荣区政务服务中心"),
    ("金山县卫生健康局 2020 年政府信息公\n开工作年度报告", "金山县卫生健康局"),
    ("临江市统计局关于2021年政府信息公开工作年度报告", "临江市统计局"),
    ("临江市统计局2021年政府信息公开工作年度报告的说明", "临江市统计局"),
    ("白沙县 商务局2021年政府信息公开工作年度报告", "白沙县商务局"),
    ("南川街道 办事处2021年政府信息公开工作年度报告", "南川街道办事处"),
    ("南屏县 住房和城乡建设局2022年政府信息公开工作年度报告", "南屏县住房和城乡建设局"),
    ("江南省青山区人民政府2023年政府信息公开工作年度报告", "江南省青山区人民政府"),
    ("上海市科学技术委员会（市科委）2024年政府信息公开工作年度报告", "上海市科学技术委员会(市科委)"),
    ("（上海市科委）2024年政府信息公开工作年度报告", "上海市科委"),
    ("正文\n长宁县 人力资源和社会保障局 2021\n年政府信息公开工作年度报告", "长宁县人力资源和社会保障局"),
    # title after site navigation
    (
        "当前位置： 首页政务公开最新文件部门文件 平潭综合实验区君山片区管理局 2022年政府信息公开工作年度报告",
        "平潭综合实验区君山片区管理局",
    ),
    (
        "当前位置：首页政务公开政府信息公开年报北湖区 生态环境分局 北湖区 生态环境分局2022年政府信息公开工作年度报告",
        "北湖区生态环境分局",
    ),
    # year before the agency
    ("正文\n2024 年上海市科委政府信息公开工作\n年度报告", "上海市科委"),
    ("2021年度石桥镇人民政府政府信息公开工作年度报告", "石桥镇人民政府"),
    # 来源 / 发布机构 lines
    (
        "发布日期：2023-01-30 14:26:56\n  • 文章来源：乳山市乳山寨镇人民政府\n  • 点击次数：",
        "乳山市乳山寨镇人民政府",
    ),
    ("来源：金山县 财政局  浏览次数：1227  字号：[ 大 中 小 ]", "金山县财政局"),
    ("发布机构：临江市市场监督管理局\n主题分类：综合政务", "临江市市场监督管理局"),
    ("信息来源：云溪县教育局", "云溪县教育局"),
    ("发文机关: 东港市自然资源和规划局", "东港市自然资源和规划局"),
    # a place-only title yields to the longer 来源 name of the same place
    (
        "乳山市乳山寨镇2022年政府信息公开工作年度报告\n发布日期：2023-01-30\n文章来源：乳山市乳山寨镇人民政府",
        "乳山市乳山寨镇人民政府",
    ),
    # signature: name + date at the end
    (
        "六、其他需要报告的事项\n无。\n平潭综合实验区国有资产管理局\n2020年1月7日",
        "平潭综合实验区国有资产管理局",
    ),
    (
        "六、其他需要报告的事项无。 平潭综合实验区国有资产管理局 2020年1月7日 来源：",
        "平潭综合实验区国有资产管理局",
    ),
    # a date after a long run of prose: what ends in 局 there is not a signature
    ("无。" + "进一步健全政府信息公开各项制度" * 5 + "平潭综合实验区国有资产管理局2020年1月7日", None),
    # first sentence of 一、总体情况
    (
        "一、总体情况\n2021年,沿海工业城发展服务中心政务信息公开工作在县委、县政府的指导下",
        "沿海工业城发展服务中心",
    ),
    ("一、总体情况\n过去一年,东丽区人民政府坚持以习近平新时代中国特色社会主义思想为指导", "东丽区人民政府"),
    ("一、总体情况\n东丽区人民政府坚持以人民为中心", "东丽区人民政府"),
    ("一、总体情况\n2021 年，长宁县 人力资源和社会保障局深入贯彻", "长宁县人力资源和社会保障局"),
    ("一、总体情况\n2023年，上海市科学技术委员会深入贯彻条例", "上海市科学技术委员会"),
    ("一、总体情况\n2022年，青山区南川街道办事处坚持依法公开", "青山区南川街道办事处"),
    # fragments and references are never a name
    ("一、总体情况\n2021年,区政务服务中心严格按照区委安排", None),
    ("一、总体情况\n2021年，我局坚持以公开为常态", None),
    ("一、总体情况\n本机关坚持以公开为常态", None),
    ("一、总体情况\n2021年，全局上下坚持以公开为常态", None),
    ("区人民政府2021年政府信息公开工作年度报告", None),
    ("人民政府2021年政府信息公开工作年度报告", None),
    ("来源：本网", None),
    ("来源：人民政府", None),
    ("本政府信息公开工作年度报告(以下简称年报)按照《条例》编制。", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_agency_data_rows(text: str, expected: str | None) -> None:
    assert read_agency(to_simplified(fold(text))) == expected


def test_dev_documents_name_their_labelled_agency() -> None:
    """000 (总体情况 sentence) and 002 (总体情况 after 过去一年) had no agency before."""
    for path in dev_documents():
        want = load_report(DEV_TRUTH / f"{path.stem}.json").agency or ""
        got = extract_file(path).agency
        if "（" in want:
            # 103's label adds the 简称 the page prints: 上海市科学技术委员会（市科委）→ 上海 + 市科委
            full, short = want.rstrip("）").split("（", 1)
            want = full[: full.index(short[0])] + short
        assert got is not None and agency_key(got) == agency_key(want), (path.name, got, want)


SPELLINGS = (
    "白沙县 商务局",
    "臨江市市場監督管理局",
    "江南省青山区人民政府",
    "南川街道 办事处",
    "石桥镇人民政府",
)


@pytest.mark.parametrize("layout", layout_names())
def test_every_render_layout_gives_the_agency_back(layout: str) -> None:
    rng = random.Random(layout)
    for printed in SPELLINGS:
        report = random_report(rng, rng.choice(["2019", "2021"]), agency=printed)
        got = extract_bytes(render(report, layout), "r" + LAYOUTS[layout].suffix).agency
        assert got is not None and agency_key(got) == agency_key(printed), (layout, printed, got)


def test_sample_corpus_agencies_link_to_the_manifest(tmp_path: Path) -> None:
    """Every file's extracted agency resolves (xxgk.audit.agencies) to its manifest agency."""
    manifest = write_corpus(tmp_path, count=84, seed=11)
    got = {f["file"]: extract_file(tmp_path / f["file"]).agency for f in manifest["files"]}
    assert any(f["printed_agency"] != f["agency"] for f in manifest["files"])
    names = [n for n in got.values() if n] + [f["agency"] for f in manifest["files"]]
    ids = resolve(names)
    wrong = [
        (f["file"], f["agency"], got[f["file"]])
        for f in manifest["files"]
        if not got[f["file"]] or ids[got[f["file"]]].key != ids[f["agency"]].key
    ]
    assert not wrong
