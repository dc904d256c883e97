"""Synthetic annual reports: valid-by-construction random reports and a sample corpus with planted errors.

The round-trip tests (tests/render) feed `random_report` through every layout family and back
through the extractor; `write_corpus` builds the corpus `make run` and the audit read, together
with a manifest naming the rule ids the checker must raise for each planted error
(src/xxgk/check/rules.toml). Every identity of shared/spec/annual-report.md A.4/A.5 holds in a
`random_report`; blanks (None) only ever stand for zero, as real reports print them.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk.files import write_atomic
from xxgk.model import Report, Section
from xxgk.templates import Template, get_template, template_for_year

# --------------------------------------------------------------------------- agencies
# Fictional but realistic bodies (district government, city bureau, township, county department),
# each with alias spellings real sites use across years (annual-report.md: agencies rename and
# sites re-typeset): a region prefix, a stray space, traditional characters.


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("青山区人民政府", ("江南省青山区人民政府", "青山区 人民政府")),
    Agency("临江市市场监督管理局", ("临江市市场监管局", "臨江市市場監督管理局")),
    Agency("石桥镇人民政府", ("云溪县石桥镇人民政府", "石橋鎮人民政府")),
    Agency("云溪县教育局", ("云溪县 教育局", "江南省云溪县教育局")),
    Agency("东港市自然资源和规划局", ("東港市自然資源和規劃局", "东港市 自然资源和规划局")),
    Agency("北湖区生态环境分局", ("临江市北湖区生态环境分局", "北湖区 生态环境分局")),
    Agency("南川街道办事处", ("青山区南川街道办事处", "南川街道 办事处")),
    Agency("临江市人力资源和社会保障局", ("临江市人社局", "臨江市人力資源和社會保障局")),
)

MANIFEST_FORMAT = "xxgk-samples/1"

# Generated bodies: place × level × department, e.g. 白沙县财政局, 金山区人民政府 (3,600 names).
_PLACES = (
    "白沙",
    "金山",
    "柳江",
    "长宁",
    "清河",
    "安平",
    "梅林",
    "龙泉",
    "河西",
    "新桥",
    "丰源",
    "松溪",
    "桃源",
    "青溪",
    "石门",
    "平川",
    "永安",
    "东湖",
    "西岭",
    "南屏",
    "北塘",
    "双河",
    "凤阳",
    "玉泉",
    "鹤山",
    "云台",
    "兴隆",
    "长乐",
    "宁远",
    "广丰",
    "泰和",
    "临泉",
    "大田",
    "高平",
    "华亭",
    "灵山",
    "宝丰",
    "德安",
    "崇仁",
    "汉阴",
    "合江",
    "洪湖",
    "嘉禾",
    "江华",
    "乐平",
    "茂林",
    "南丰",
    "普安",
    "庆元",
    "瑞金",
    "沙溪",
    "天柱",
    "通山",
    "文安",
    "武宁",
    "新田",
    "阳新",
    "宜丰",
    "永丰",
    "漳平",
)
_LEVELS = ("县", "区", "市")
_DEPARTMENTS = (
    "人民政府",
    "财政局",
    "教育局",
    "卫生健康局",
    "住房和城乡建设局",
    "交通运输局",
    "市场监督管理局",
    "自然资源局",
    "生态环境局",
    "民政局",
    "司法局",
    "农业农村局",
    "水利局",
    "商务局",
    "文化和旅游局",
    "应急管理局",
    "统计局",
    "医疗保障局",
    "退役军人事务局",
    "人力资源和社会保障局",
)


def _places(needed: int) -> list[str]:
    """The sample place names, and past the 3,600 agencies they make (a national corpus: the
    100,000-report benchmark, issue 16) two-character names made of one place's first and
    another's second character — whole blocks of 60, none already a place."""
    places = list(_PLACES)
    if needed <= len(_PLACES) * len(_LEVELS) * len(_DEPARTMENTS):
        return places
    known = set(places)
    made = [a[0] + b[1] for a in _PLACES for b in _PLACES if a != b and a[0] + b[1] not in known]
    return places + list(dict.fromkeys(made))


def agency_pool(count: int) -> list[Agency]:
    """`count` distinct agencies: the hand-written ones first, then place × level × department.

    Aliases are spellings of the same name (a province prefix, a stray space), never renames, so an
    audit can link every agency's years without an alias file.
    """
    pool = list(AGENCIES)
    places = _places(count - len(pool))
    combos = len(places) * len(_LEVELS) * len(_DEPARTMENTS)
    if count - len(pool) > combos:
        raise ValueError(f"at most {combos + len(pool)} distinct sample agencies")
    for i in range(max(0, count - len(pool))):
        department = _DEPARTMENTS[i % len(_DEPARTMENTS)]
        # Place by place within a level, so the first 3,600 names are those of the smaller pool.
        block = len(_DEPARTMENTS) * len(_PLACES)
        j = i % block + (i // (block * len(_LEVELS))) * block
        place = places[(j // len(_DEPARTMENTS)) % len(places)]
        level = _LEVELS[(i // block) % len(_LEVELS)]
        name = f"{place}{level}{department}"
        pool.append(Agency(name, (f"江南省{name}", f"{place}{level} {department}")))
    return pool


_T3_APPLICANTS = ("natural_person", "commercial", "research", "social", "legal", "other")
_T4_PARTS = ("upheld", "corrected", "other", "pending")


# --------------------------------------------------------------------------- random reports
def _count(rng: random.Random, scale: int, p_zero: float) -> int:
    """A count that is zero with probability p_zero, else spread over 1..scale (small ones common)."""
    if scale <= 0 or rng.random() < p_zero:
        return 0
    return min(scale, int(rng.paretovariate(1.2))) if rng.random() < 0.6 else rng.randint(1, scale)


def _amount(rng: random.Random) -> Decimal:
    """A 万元 amount: integral or with 1–4 decimals, as reports print fees (e.g. 3027.6557)."""
    places = rng.choice((0, 0, 1, 2, 4))
    raw = rng.choice((0, rng.randint(1, 99), rng.randint(100, 999_999)))
    return Decimal(raw).scaleb(-places)


def _blank_zeros(rng: random.Random, table: dict[str, dict[str, Any]], style: str) -> None:
    """Print zeros as blanks per the report's style: 'explicit' keeps 0, 'blank' drops all, 'mixed' some."""
    if style == "explicit":
        return
    for cols in table.values():
        for col, value in cols.items():
            if value == 0 and (style == "blank" or rng.random() < 0.5):
                cols[col] = None


def _table3(rng: random.Random, template: Template, scale: int) -> dict[str, dict[str, Any]]:
    """Table 3 with every printed identity true (annual-report.md A.4 Q3–Q5)."""
    rows = template.table3.rows
    leaves = [r.key for r in rows if r.role == "disposal"]
    data: dict[str, dict[str, Any]] = {r.key: {} for r in rows}
    for i, col in enumerate(_T3_APPLICANTS):
        col_scale = scale if i == 0 else (scale // 20 if rng.random() < 0.5 else 0)
        p_zero = rng.choice((0.5, 0.8, 0.95))
        disposals = {leaf: _count(rng, col_scale, p_zero) for leaf in leaves}
        total = sum(disposals.values())
        carried_forward = _count(rng, max(1, col_scale // 10), 0.7)
        carried_over = rng.randint(0, total + carried_forward) if rng.random() < 0.3 else 0
        for leaf, value in disposals.items():
            data[leaf][col] = value
        data["total"][col] = total
        data["carried_forward"][col] = carried_forward
        data["carried_over"][col] = carried_over
        data["new"][col] = total + carried_forward - carried_over
    for cols in data.values():
        cols["total"] = sum(cols[c] for c in _T3_APPLICANTS)
    return data


def _table4(rng: random.Random, template: Template, scale: int) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for row in template.table4.rows:
        parts = {p: _count(rng, max(1, scale // 50), 0.8) for p in _T4_PARTS}
        data[row.key] = {**parts, "total": sum(parts.values())}
    return data


def _table2(rng: random.Random, template: Template, scale: int) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for row in template.table2.rows:
        cols: dict[str, Any] = {}
        for col in row.columns:
            if col.kind == "amount":
                cols[col.key] = _amount(rng)
            elif col.kind == "signed":
                cols[col.key] = rng.choice((0, rng.randint(-60, 60), rng.randint(-2000, 2000)))
            elif row.key in ("regulations", "normative_documents"):
                cols[col.key] = _count(rng, 5 if row.key == "regulations" else 150, 0.5)
            else:
                cols[col.key] = _count(rng, rng.choice((10, 200, 80_000)), 0.4)
        data[row.key] = cols
    # 2021 (一): 现行有效 is a stock of at least what was made this year.
    for key in ("regulations", "normative_documents"):
        cols = data.get(key, {})
        if "in_force" in cols:
            cols["in_force"] = cols["made"] + rng.randint(0, 300)
    return data


def _overview(agency: str, year: int, new: int) -> str:
    return (
        f"{year}年，{agency}深入贯彻《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        f"全面推进政务公开工作。全年共收到政府信息公开申请{new}件，均在法定期限内答复。"
    )


_OVERVIEW_SENTENCE = re.compile(r"^\d{4}年，.*?全年共收到政府信息公开申请\d+件，均在法定期限内答复。")


def _restate(report: Report) -> None:
    """Keep 一、总体情况's count of applications equal to table 3 after the tables were edited."""
    for section in report.sections:
        if section.number == 1:
            overview = _overview(report.agency or "", report.year or 0, _num(report, "table3.new.total"))
            rest = _OVERVIEW_SENTENCE.sub("", section.text, count=1)
            section.text = overview + rest


# Narrative as real reports write it (annual-report.md A.2: 一 has five customary parts). Real
# sections run to thousands of characters with numbers of their own (posts, hotline calls,
# trainings), and the reader must look past them to the tables; sample reports carry the same.
_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "主动公开",
        (
            "全年通过门户网站主动公开政府信息{a}条，其中政策文件{b}件、政策解读{c}篇。",
            "围绕重点领域信息公开，发布财政预决算、重大建设项目、公共资源配置等信息{a}条。",
            "坚持“谁起草、谁解读”原则，以图解、视频、问答等形式解读政策{c}次，回应社会关切{b}次。",
            "通过政务新媒体发布各类信息{a}条，召开新闻发布会{d}场，及时准确传递权威信息。",
            "聚焦优化营商环境，集中公开涉企政策、行政许可、行政处罚等信息，方便市场主体查询办理。",
            "做好人大代表建议和政协委员提案办理结果公开，全文公开办理复文{d}件。",
        ),
    ),
    (
        "依申请公开",
        (
            "严格落实依申请公开受理、登记、审核、答复等环节要求，规范答复文书格式，做到依法依规答复。",
            "完善依申请公开工作机制，加强与法律顾问的会商研判，对疑难复杂申请逐件研究，提升答复质量。",
            "畅通信函、网络、现场等申请渠道，为申请人提供便利，全年接待现场咨询{d}人次。",
            "加强答复前的沟通协调，对需要补正的申请一次性告知补正内容，减少申请人往返。",
            "建立依申请公开转主动公开机制，对公众关注度高的信息及时转为主动公开。",
        ),
    ),
    (
        "政府信息管理",
        (
            "严格执行公文类信息公开属性源头认定制度，对拟公开信息落实保密审查，全年审查文件{b}件。",
            "动态调整政府信息公开目录和主动公开基本目录，清理规范性文件{d}件，确保信息准确、完整、及时。",
            "加强政策文件库建设，集中公开现行有效的规范性文件，方便公众查询使用。",
            "规范政府信息发布流程，严格落实“三审三校”制度，杜绝错漏信息发布。",
        ),
    ),
    (
        "政府信息公开平台建设",
        (
            "持续优化政府门户网站栏目设置，新增专题专栏{d}个，全年网站访问量达{e}人次。",
            "加强政务新媒体规范化管理，开展常态化巡查，确保内容安全、更新及时。",
            "推进政务公开专区建设，在政务服务大厅设置查阅点，提供政府信息查阅服务{d}人次。",
            "完善网站智能搜索和无障碍浏览功能，提升平台的易用性和友好度，方便老年人和残疾人获取信息。",
        ),
    ),
    (
        "监督保障",
        (
            "将政务公开工作纳入年度绩效考核，组织业务培训{d}场次，培训工作人员{c}人次。",
            "建立健全政务公开工作责任制，明确分管领导和具体经办人员，定期研究部署公开工作。",
            "开展政务公开工作自查，对发现的问题建立台账、限期整改，整改完成率100%。",
            "主动接受社会监督，认真处理公众对政务公开工作的意见建议，本年度未发生因政务公开工作不到位被追责的情况。",
        ),
    ),
)
_PROBLEMS = (
    "一是信息公开的及时性有待提高，部分栏目更新不够及时；二是政策解读形式较为单一，解读的深度和针对性不足；"
    "三是工作人员业务水平有待提升。",
    "主动公开的深度和广度仍需拓展，公众参与的渠道和方式还不够丰富，依申请公开答复的规范性有待加强。",
    "一是个别单位对政务公开工作重视程度不够；二是公开内容与群众需求的契合度还需提高。",
)
_IMPROVEMENTS = (
    "下一步，将进一步梳理公开目录，加强业务培训，提升公开质量和实效，更好地满足人民群众的信息需求。",
    "下一步，我们将完善工作机制，丰富解读形式，加强监督检查，推动政务公开工作再上新台阶。",
    "针对上述问题，将强化工作统筹，健全常态化督查机制，持续提升政务公开标准化规范化水平。",
)


def _narrative(rng: random.Random, scale: int) -> str:
    """The five customary parts of 一、总体情况, longer for busier agencies."""
    size = max(1, scale)
    parts: list[str] = []
    for number, (title, sentences) in zip("一二三四五", _PARTS, strict=True):
        chosen = rng.sample(sentences, len(sentences) if scale >= 400 else rng.randint(2, len(sentences)))
        text = "".join(chosen).format(
            a=rng.randint(size, size * 20 + 50),
            b=rng.randint(1, size * 2 + 20),
            c=rng.randint(1, size + 30),
            d=rng.randint(1, 40),
            e=rng.randint(1000, 900000),
        )
        parts.append(f"（{number}）{title}。{text}")
    return rng.choice(_LEADS) + "\n" + "\n".join(parts)


_LEADS = (
    "坚持以习近平新时代中国特色社会主义思想为指导，认真落实党中央、国务院关于全面推进政务公开的决策部署，"
    "围绕中心工作，聚焦社会公众关切，不断拓展公开的广度和深度，持续提升公开的质量和实效。",
    "按照上级关于政务公开工作的部署要求，健全工作机制，强化责任落实，推进决策、执行、管理、服务、结果公开，"
    "以公开促落实、促规范、促服务，切实保障人民群众的知情权、参与权、表达权和监督权。",
    "把政务公开作为建设法治政府、服务型政府的重要抓手，紧扣年度政务公开工作要点，逐项细化任务、压实责任，"
    "政务公开工作取得新的成效。",
)


def _sections(
    rng: random.Random, template: Template, agency: str, year: int, t3: dict[str, Any], scale: int = 0
) -> list[Section]:
    """Six sections as real reports write them: 一 states the applications received (C.3 Q10)
    and runs through its five customary parts; 五 names problems and next steps; 六 the fees."""
    fees = rng.choice(
        (
            f"{year}年度，本机关未收取政府信息公开信息处理费。",
            "本年度无其他需要报告的事项。",
            f"本机关{year}年度未收取信息处理费，无其他需要报告的事项。",
        )
    )
    texts = [
        _overview(agency, year, t3["new"]["total"] or 0) + "\n" + _narrative(rng, scale),
        "本年度主动公开政府信息情况如下。",
        "本年度收到和处理政府信息公开申请情况如下。",
        "本年度政府信息公开行政复议、行政诉讼情况如下。",
        rng.choice(_PROBLEMS) + "\n" + rng.choice(_IMPROVEMENTS),
        fees,
    ]
    return [
        Section(number=s.number, heading=s.heading, text=t)
        for s, t in zip(template.sections, texts, strict=True)
    ]


def _on_time(rng: random.Random, agency: str, year: int) -> date:
    """A publication date within the statutory deadline (条例 第四十九条, annual-report.md A.7):
    departments by 1月31日, people's governments by 3月31日."""
    if agency.endswith("人民政府") and rng.random() < 0.5:
        return date(year + 1, rng.randint(2, 3), rng.randint(1, 28))
    return date(year + 1, 1, rng.randint(5, 31))


def random_report(
    rng: random.Random,
    template_id: str = "2021",
    agency: str | None = None,
    year: int | None = None,
    *,
    zero_style: str | None = None,
) -> Report:
    """A report valid by construction: every table identity holds, blanks only where the value is 0.

    Mixes empty agencies (all zero), small and large ones; 2019 reports get signed 本年增/减 and a
    procurement amount, 2021 reports a 万元 fee amount with decimals.
    """
    template = get_template(template_id)
    if year is None:
        year = rng.randint(2019, 2020) if template_id == "2019" else rng.randint(2021, 2024)
    if agency is None:
        agency = rng.choice(AGENCIES).name
    scale = rng.choice((0, 3, 10, 60, 400, 5000))
    t3 = _table3(rng, template, scale)
    report = Report(
        agency=agency,
        year=year,
        template=template.id,
        published=_on_time(rng, agency, year),
        table2=_table2(rng, template, scale),
        table3=t3,
        table4=_table4(rng, template, scale),
        sections=[],
    )
    report.sections = _sections(rng, template, agency, year, t3, scale)
    style = zero_style or rng.choice(("explicit", "explicit", "blank", "mixed"))
    for table in (report.table2, report.table3, report.table4):
        _blank_zeros(rng, table, style)
    return report


# --------------------------------------------------------------------------- planted errors
@dataclass
class Planted:
    """One error planted in a sample: what was done, the cells touched, the rule ids expected.

    `decidable` is False when the file's layout cannot carry the error (see `decidable`): the
    audit is then not required to find it, and the manifest says so.
    """

    kind: str
    rules: list[str]
    cells: list[str] = field(default_factory=list)
    detail: str = ""
    decidable: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rules": self.rules,
            "cells": self.cells,
            "detail": self.detail,
            "decidable": self.decidable,
        }


# Layouts that drop cell boundaries (blank cells vanish, cells glued together): values can only
# be put back in their columns through the table arithmetic (docs/extract.md "Placing values").
BOUNDARY_LOST = frozenset({"blanks-dropped", "glued", "glued-spaced"})
# Errors in the numbers themselves. An arithmetic error breaks the very identities a
# boundary-less layout needs to place its values, and a misplaced value cannot be blamed on
# anyone, so such a file can only come back ambiguous for the broken row (never wrong).
VALUE_KINDS = frozenset({"row-total", "balance", "negative", "group-total", "carried-over"})


def decidable(kind: str, layout: str, previous_layout: str | None = None) -> bool:
    """Whether a planted error of `kind` can be decided from a file in `layout`.

    Value errors need every cell boundary printed; X-CARRIED-OVER also needs last year's
    结转下年度, i.e. last year's file in such a layout too. Section, date and template errors do
    not depend on cell placement and are decidable in every layout.
    """
    if kind not in VALUE_KINDS:
        return True
    if layout in BOUNDARY_LOST:
        return False
    return kind != "carried-over" or previous_layout not in BOUNDARY_LOST


def _num(report: Report, cell: str) -> int:
    value = report.value(cell)
    return int(value) if value is not None else 0


def _busiest_leaf(report: Report, template: Template) -> str:
    leaves = [r.key for r in template.table3.rows if r.role == "disposal"]
    return max(leaves, key=lambda k: _num(report, f"table3.{k}.total"))


def plant_row_total(report: Report, rng: random.Random) -> Planted:
    """A leaf row's 总计 off by d: breaks the row sum (Q5) and the 总计 column's disposal sum (Q4)."""
    template = get_template(report.template or "2021")
    row = _busiest_leaf(report, template)
    cell = f"table3.{row}.total"
    d = rng.choice((1, 2, 10))
    report.set(cell, _num(report, cell) + d)
    return Planted("row-total", ["T3-ROW-TOTAL", "T3-DISPOSAL-SUM"], [cell], f"总计 +{d}")


def plant_balance(report: Report, rng: random.Random) -> Planted:
    """一、本年新收 raised by d in 自然人 and 总计 alike: rows still add up, the 勾稽 note (Q3) does not."""
    d = rng.choice((1, 3, 7))
    cells = ["table3.new.natural_person", "table3.new.total"]
    for cell in cells:
        report.set(cell, _num(report, cell) + d)
    return Planted("balance", ["T3-BALANCE"], cells, f"本年新收 +{d}")


def plant_negative(report: Report, rng: random.Random) -> Planted:
    cell = "table2.licensing.decisions"
    value = -rng.randint(1, 30)
    report.set(cell, value)
    return Planted("negative", ["V-NEGATIVE"], [cell], f"{value}")


def plant_group_total(report: Report, rng: random.Random) -> Planted:
    cell = "table4.review.total"
    report.set(cell, _num(report, cell) + rng.randint(1, 3))
    return Planted("group-total", ["T4-GROUP-TOTAL"], [cell])


def plant_missing_section(report: Report, rng: random.Random) -> Planted:
    number = rng.choice((5, 6))
    report.sections = [s for s in report.sections if s.number != number]
    return Planted("missing-section", ["C-SECTIONS"], [], f"section {number} removed")


def plant_carried_over(report: Report, rng: random.Random) -> Planted:
    """二、上年结转 no longer equals last year's 四 (Q7), while this year's own 勾稽 (Q3) still holds.

    Moves d between 一 and 二 in one applicant column (and 总计); a report with nothing to move
    gets d added to both 二 and 四, which also keeps the balance.
    """
    col = next((c for c in _T3_APPLICANTS if _num(report, f"table3.new.{c}") > 0), None)
    if col is not None:
        d = rng.randint(1, min(5, _num(report, f"table3.new.{col}")))
        moves = {"carried_over": d, "new": -d}
    else:
        col = next(
            (c for c in _T3_APPLICANTS if _num(report, f"table3.carried_over.{c}") > 0), "natural_person"
        )
        d = min(rng.randint(1, 5), _num(report, f"table3.carried_over.{col}")) or rng.randint(1, 5)
        moves = (
            {"carried_over": -d, "new": d}
            if _num(report, f"table3.carried_over.{col}")
            else {"carried_over": d, "carried_forward": d}
        )
    for row, delta in moves.items():
        for c in (col, "total"):
            report.set(f"table3.{row}.{c}", _num(report, f"table3.{row}.{c}") + delta)
    return Planted(
        "carried-over",
        ["X-CARRIED-OVER"],
        [f"table3.carried_over.{col}", "table3.carried_over.total"],
        f"上年结转 {moves['carried_over']:+d}",
    )


def plant_late(report: Report, rng: random.Random) -> Planted:
    """Published after the deadline: 2 May of the following year is late for every kind of agency."""
    report.published = date((report.year or 2000) + 1, 5, rng.randint(2, 28))
    return Planted("late", ["TIME-LATE"], [], f"published {report.published.isoformat()}")


PLANTERS: dict[str, Callable[[Report, random.Random], Planted]] = {
    "row-total": plant_row_total,
    "balance": plant_balance,
    "negative": plant_negative,
    "group-total": plant_group_total,
    "missing-section": plant_missing_section,
    "carried-over": plant_carried_over,
    "late": plant_late,
}


# --------------------------------------------------------------------------- corpus
@dataclass
class Sample:
    report: Report
    layout: str
    agency: str  # canonical name
    printed_agency: str
    errors: list[Planted]


def _chain(prev: Report, report: Report) -> None:
    """Make `report` continue `prev`: carried over = last year's carried forward (Q7), stock (Q8).

    一 is recomputed so this year's 勾稽 (Q3) still holds; where that would go negative the
    carried-forward figure absorbs the difference (it is free in the identities).
    """
    for col in _T3_APPLICANTS:
        carried = _num(prev, f"table3.carried_forward.{col}")
        total = _num(report, f"table3.total.{col}")
        forward = _num(report, f"table3.carried_forward.{col}")
        new = total + forward - carried
        if new < 0:
            forward, new = forward - new, 0
        report.set(f"table3.carried_over.{col}", carried)
        report.set(f"table3.carried_forward.{col}", forward)
        report.set(f"table3.new.{col}", new)
    for row in ("carried_over", "carried_forward", "new"):
        report.set(f"table3.{row}.total", sum(_num(report, f"table3.{row}.{c}") for c in _T3_APPLICANTS))
    if prev.template == report.template == "2021":
        for row in ("regulations", "normative_documents"):
            stock = _num(prev, f"table2.{row}.in_force")
            made = _num(report, f"table2.{row}.made")
            repealed = min(_num(report, f"table2.{row}.repealed"), stock)
            report.set(f"table2.{row}.repealed", repealed)
            report.set(f"table2.{row}.in_force", stock + made - repealed)


def generate_corpus(
    count: int = 24, seed: int = 2024, layouts: tuple[str, ...] | None = None
) -> Iterator[Sample]:
    """`count` samples: per agency a run of consecutive years (2019–2024), layouts cycling, errors planted.

    About a third of the files carry one planted error; one report on a 2021+ year deliberately
    uses the 2019 tables (TPL-OUTDATED). Each error says whether its file's layout keeps it
    decidable (`decidable`).
    """
    from xxgk.render.layouts import SAMPLE_LAYOUTS

    names = layouts or SAMPLE_LAYOUTS
    rng = random.Random(seed)
    per_agency = 4
    agencies = agency_pool(-(-count // per_agency))
    rng.shuffle(agencies)
    planters = ["row-total", "carried-over", "balance", "negative", "missing-section", "group-total", "late"]
    made = 0
    index = 0
    wrong_done = False
    while made < count:
        agency = agencies[index % len(agencies)]
        index += 1
        start = rng.randint(2019, 2024 - per_agency + 1)
        prev: Report | None = None
        prev_layout: str | None = None
        for year in range(start, start + per_agency):
            if made >= count:
                return
            template = template_for_year(year)
            template_id = template.id if template else "2021"
            errors: list[Planted] = []
            wrong_template = not wrong_done and made >= 3 and year >= 2021
            if wrong_template:
                template_id, wrong_done = "2019", True
            printed = agency.name if rng.random() < 0.6 or not agency.aliases else rng.choice(agency.aliases)
            report = random_report(rng, template_id, agency=printed, year=year)
            if prev is not None:
                _chain(prev, report)
            if wrong_template:
                errors.append(
                    Planted("wrong-template", ["TPL-OUTDATED"], [], f"{year} report on the 2019 tables")
                )
            elif made % 3 == 1:
                if prev is None and planters[0] == "carried-over":  # needs last year's report
                    planters.append(planters.pop(0))
                kind = planters.pop(0)
                planters.append(kind)
                errors.append(PLANTERS[kind](report, rng))
            _restate(report)
            layout = names[made % len(names)]
            for error in errors:
                error.decidable = decidable(error.kind, layout, prev_layout)
            yield Sample(report, layout, agency.name, printed, errors)
            prev, prev_layout = report, layout
            made += 1


def _remove_previous(out: Path) -> None:
    """Delete the files an earlier `write_corpus` listed in out/manifest.json (and nothing else),
    so a smaller rerun leaves no stale samples for the audit to pick up."""
    try:
        old = json.loads((out / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(old, dict) or old.get("format") != MANIFEST_FORMAT:
        return
    for entry in old.get("files", []):
        name = entry.get("file") if isinstance(entry, dict) else None
        if isinstance(name, str) and "/" not in name and "\\" not in name and not name.startswith("."):
            (out / name).unlink(missing_ok=True)


def write_corpus(out_dir: str | Path, count: int = 24, seed: int = 2024) -> dict[str, Any]:
    """Render `count` samples into `out_dir` plus `manifest.json`; returns the manifest."""
    from xxgk.render import render
    from xxgk.render.layouts import LAYOUTS

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous(out)
    files = []
    for i, sample in enumerate(generate_corpus(count, seed)):
        layout = LAYOUTS[sample.layout]
        name = f"{i:03d}_{sample.report.year}_{sample.layout}{layout.suffix}"
        sample.report.source = name
        write_atomic(out / name, render(sample.report, sample.layout))
        files.append(
            {
                "file": name,
                "agency": sample.agency,
                "printed_agency": sample.printed_agency,
                "year": sample.report.year,
                "template": sample.report.template,
                "layout": sample.layout,
                "errors": [e.as_dict() for e in sample.errors],
                "report": sample.report.to_dict(),
            }
        )
    manifest = {"format": MANIFEST_FORMAT, "seed": seed, "count": len(files), "files": files}
    write_atomic(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return manifest
