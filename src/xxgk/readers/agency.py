"""The reporting body (机关) of an annual report, read from the families of text real pages use.

The audit links an agency's years by this name (xxgk.audit.agencies), so a cut name ("区人民政府")
or a site name is worse than none: every candidate must look like a whole body name. Sources, most
specific first (the official title is `<机关>20XX年政府信息公开工作年度报告`, annual-report.md A.1):

1. the title, with the agency before the year; spaces inside the name ("白沙县 商务局"), spaces
   around the year and a line break inside 政府信息公开 are allowed;
2. the title with the year first ("2024 年上海市科委政府信息公开工作年度报告");
3. the text's statement of who compiled it ("本报告由…办公室根据各有关单位…汇总编制");
4. a `来源/发布机构/文章来源/信息来源/发文机关:` line — the site's chrome, so after the report's
   own title and statements (issue 10: a chrome line had won over the title);
5. the signature at the end (机关名 followed by the date);
6. the first sentence of 一、总体情况 ("2021年,沿海工业城发展服务中心政务信息公开工作…").

A title name that is only a place ("乳山市乳山寨镇") yields to a longer name from another source
that starts with it ("乳山市乳山寨镇人民政府").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xxgk.text import CJK_RANGES

_WORD = rf"[{CJK_RANGES}（）()]"
# What a body's name ends with. Bare 会/社/部 are left out: 社会/内部 end prose words.
_ORG_SUFFIX = (
    "人民政府|政府|办公室|办公厅|办事处|委员会|管委会|联合会|工作委员会|局|委|厅|中心|院|研究所|"
    "事务所|站|署|馆|队|公司|集团|银行|学校|大学|医院|法院|检察院|街道|管理处"
)
# A place can stand for its own government ("乳山市乳山寨镇" for the town's 人民政府).
_PLACE_SUFFIX = "特别行政区|自治区|自治州|自治县|地区|街道|省|市|州|盟|县|区|旗|镇|乡"
_ORG_END = re.compile(rf"(?:{_ORG_SUFFIX})$")
_PLACE_END = re.compile(rf"(?:{_PLACE_SUFFIX})$")
# The name starts with a place of its own; 乡 after 城 is 城乡 (住房和城乡建设局), not a township.
_OWN_PLACE = re.compile(rf"^[{CJK_RANGES}]{{2,8}}?(?:{_PLACE_SUFFIX.replace('|乡', '|(?<!城)乡')})")
# Words that start a fragment or a reference, not a name: 区人民政府, 本机关, 我局, 全区 …
# A preposition or a sentence's verb starts a phrase from the body ("在省政府", "现向社会公布…局",
# issue 10), never a name; places that start with such a character (将乐县, 于都县, 从化区,
# 向阳区, 经开区) are left alone.
_BAD_START = re.compile(
    r"^(?:[区县市镇乡省州我该各其贵此在由对据]|本(?:机关|单位|局|委|部门|中心|级|办|院|站|所|厅)"
    r"|全(?:区|县|市|省|镇|乡|局|委|中心)|上级|下级|按照|根据|关于|现[向将予就对把])"
)
_GENERIC = frozenset({"人民政府", "政府", "机关", "单位", "部门", "中心", "本机关", "本单位"})
# Site navigation glued in front of a title ("当前位置：首页政务公开最新文件部门文件…").
_NAV_WORDS = (
    "当前位置",
    "您所在的位置",
    "首页",
    "部门文件",
    "最新文件",
    "政务公开",
    "信息公开",
    "政府信息公开年报",
    "年报",
    "年度报告",
    "正文",
    "关于印发",
)

_YEAR = r"20\d\d[ \t]*\n?[ \t]*年[ \t]*(?:度[ \t]*)?"  # PDF text may break after the year
_DISCLOSE = r"政\s*府\s*信\s*息\s*公\s*开"
_CHUNKS = rf"{_WORD}+(?:[ \t\u3000]{_WORD}+)*"
# Names are matched backwards from a year + 政府信息公开 (or a date), in a short window: a
# pattern that scans forward for the name would retry at every letter of a long paragraph.
_TITLE_MARK = re.compile(rf"{_YEAR}{_DISCLOSE}")
_DATE_MARK = re.compile(r"20\d\d[ \t]*年[ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*日")
_NAME_BEFORE = re.compile(rf"({_CHUNKS})[ \t\u3000]*\n?[ \t]*$")
_WINDOW = 60
_WORD_RE = re.compile(_WORD)
_SHORT_FORM = re.compile(r"[(（][^()（）]*[)）]$")
_TITLE_AFTER = re.compile(rf"{_YEAR}({_WORD}{{2,40}}?)\s*(?:关于)?{_DISCLOSE}")
_SOURCE = re.compile(
    rf"(?:文章来源|信息来源|来源|发布机构|发文机关|发布单位)[ \t]*[:：][ \t]*({_WORD}+(?:[ \t\u3000]{_WORD}+)*)"
)
_OVERVIEW = re.compile(r"一\s*[、,.]\s*总体情况")
# the text's own statement of who compiled the report: "本报告由临江市人民政府办公室根据各有关单位
# …汇总编制", "由…汇总…各有关单位" (a crawl that cut the title, issue 10)
_COMPILED_BY = re.compile(rf"由\s*({_WORD}{{3,40}}?)\s*(?:根据|依据|汇总|编制|负责|牵头|综合|组织)")
_INTRO = re.compile(
    rf"^\s*(?:20\d\d\s*年\s*(?:度)?|过去一年|本年度|今年以来|今年|一年来|[{CJK_RANGES}]{{0,4}}年来)?\s*[,，、]?\s*"
)
_SENTENCE_NAME = re.compile(rf"[{CJK_RANGES}]{{2,30}}?(?:{_ORG_SUFFIX})")
_INNER_SPACE = re.compile(rf"(?<=[{CJK_RANGES}])[ \t\u3000](?=[{CJK_RANGES}])")
_CONTINUATIONS = ("员会", "办公室", "办事处")


def _clean(name: str) -> str:
    """Drop nav words glued in front and 关于/的 behind; spaces inside a name go."""
    for word in _NAV_WORDS:
        if word in name:
            name = name.rsplit(word, 1)[-1]
    name = re.sub(r"\s+", "", re.sub(r"(?:关于|的)$", "", name))
    if name.count("(") + name.count("（") != name.count(")") + name.count("）"):
        name = name.strip("（）()")  # a bracket cut off at the start or end
    elif re.fullmatch(r"[(（][^()（）]+[)）]", name):
        name = name[1:-1]  # the whole name in brackets: （上海市科委）
    return name


def is_name(name: str, *, place_ok: bool = False) -> bool:
    """A whole body name: an organisation ending (or a place, when allowed), a specific part before it."""
    if not 3 <= len(name) <= 40 or name in _GENERIC or _BAD_START.match(name):
        return False
    name = _SHORT_FORM.sub("", name)  # 上海市科学技术委员会（市科委）: judge the name itself
    end = _ORG_END.search(name) or (_PLACE_END.search(name) if place_ok else None)
    if end is None:
        return False
    return len(re.sub(r"[（）()]", "", name[: end.start()])) >= 2


def _join_backwards(chunks: list[str]) -> str:
    """Space-separated chunks before the year: the last one, plus each place just before it
    ("白沙县 商务局" → 白沙县商务局), but not a nav word ("部门文件 平潭…管理局")."""
    name = chunks[-1]
    for prev in reversed(chunks[:-1]):
        if _OWN_PLACE.match(name) or not _PLACE_END.search(prev) or len(prev) > 12:
            break
        name = prev + name
    return name


def _join_forwards(chunks: list[str]) -> str:
    """Space-separated chunks after 来源: extend while the name is only a place ("金山县 财政局")."""
    name = chunks[0]
    for nxt in chunks[1:]:
        if _ORG_END.search(name) or not _PLACE_END.search(name):
            break
        name += nxt
    return name


def _name_before(text: str, end: int, *, whole: bool = False) -> list[str]:
    """The space-separated chunks of letters that end right before `end` (same or previous line).

    `whole`: only when they start after a separator, not cut out of a longer run of prose."""
    start = max(0, end - _WINDOW)
    m = _NAME_BEFORE.search(text, start, end)
    if m is None or (whole and m.start(1) > 0 and _WORD_RE.match(text, m.start(1) - 1)):
        return []
    return m.group(1).split()


def _title_before(head: str) -> str | None:
    for m in _TITLE_MARK.finditer(head):
        chunks = _name_before(head, m.start())
        name = _clean(_join_backwards(chunks)) if chunks else ""
        if is_name(name, place_ok=True):
            return name
    return None


def _title_after(head: str) -> str | None:
    for m in _TITLE_AFTER.finditer(head):
        name = _clean(m.group(1))
        if is_name(name, place_ok=True):
            return name
    return None


def _source(head: str) -> str | None:
    for m in _SOURCE.finditer(head):
        name = _clean(_join_forwards(m.group(1).split()))
        if is_name(name):
            return name
    return None


def _signature(tail: str) -> str | None:
    for m in _DATE_MARK.finditer(tail):
        chunks = _name_before(tail, m.start(), whole=True)
        name = _clean(chunks[-1]) if chunks else ""
        if is_name(name):
            return name
    return None


def _compiled_by(text: str) -> str | None:
    for m in _COMPILED_BY.finditer(text):
        name = _clean(m.group(1))
        if is_name(name):
            return name
    return None


def _overview(text: str) -> str | None:
    """The body named at the start of 一、总体情况 ("过去一年,东丽区人民政府坚持…")."""
    m = _OVERVIEW.search(text)
    if m is None:
        return None
    body = text[m.end() : m.end() + 200]
    intro = _INTRO.match(body)
    rest = _INNER_SPACE.sub("", body[intro.end() if intro else 0 :])  # 长宁县 人力资源和社会保障局
    found = _SENTENCE_NAME.match(rest)
    if found is None:
        return None
    name = found.group(0)
    following = rest[found.end() :]
    for cont in _CONTINUATIONS:  # the shortest match stops early: 科学技术委|员会, 南川街道|办事处
        if following.startswith(cont):
            name += cont
            break
    return name if is_name(name) else None


def read_agency(text: str) -> str | None:
    """The reporting body (see the module docstring for the sources and their order).

    Sources are tried lazily: the first name found that ends like an organisation wins outright,
    so the later sources are only read when it is missing or only a place.
    """
    head = text[:4000]
    sources: tuple[Callable[[], str | None], ...] = (
        lambda: _title_before(head),
        lambda: _title_after(head),
        lambda: _compiled_by(text[:20000]),
        lambda: _source(head),
        lambda: _signature(text[-2000:]),
        lambda: _overview(text[:20000]),
    )
    names = (name for source in sources if (name := source()))
    best = next(names, None)
    if best is None or _ORG_END.search(best):
        return best
    found = list(names)  # a place only: a longer name for the same place wins
    longer = [n for n in found if n.startswith(best) and _ORG_END.search(n)]
    if longer:
        return longer[0]
    orgs = [n for n in found if _ORG_END.search(n)]
    if orgs and not best.endswith(("镇", "乡", "街道")):
        return orgs[0]
    return best
