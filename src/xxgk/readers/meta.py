"""Report metadata and the six sections, read from the document's text (best effort, not scored)."""

from __future__ import annotations

import re
from datetime import date

from xxgk.model import Section
from xxgk.readers.agency import read_agency
from xxgk.templates import Template

__all__ = ["read_agency", "read_published", "read_sections", "read_year"]

_TITLE_YEAR = re.compile(
    r"(20\d\d)\s*年\s*(?:度\s*)?[^\n。]{0,30}?政府信息公开\s*(?:工作)?\s*(?:年度)?\s*(?:报告|年报)"
)
_PERIOD_YEAR = re.compile(r"统计(?:期限|周期|时限|时间)[^\n。]{0,12}?(20\d\d)\s*年")
_ANY_YEAR = re.compile(r"(20\d\d)\s*年")
_PUBLISHED = re.compile(
    r"(?:发布日期|发布时间|成文日期|发文日期|时间|日期)\s*[:：]?\s*(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_NUMERALS = "一二三四五六"


def read_year(text: str) -> int | None:
    for rx in (_TITLE_YEAR, _PERIOD_YEAR, _ANY_YEAR):
        m = rx.search(text[:20000])
        if m:
            return int(m.group(1))
    return None


# The date under the signature: on a line of its own, or right after the signing body's name.
_SIGNED = re.compile(
    r"(?m)^[^\S\n]*(?:[^\W\d_]{3,40}[^\S\n]*)?(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^\S\n]*$"
)


def _date(m: re.Match[str] | None) -> date | None:
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_published(text: str) -> date | None:
    """The publication date: a 发布日期/发布时间 line in the page's head or foot (some sites print
    it after the article), else the date of the signature block (issue 10)."""
    found = _date(_PUBLISHED.search(text[:5000]))
    if found is None and len(text) > 5000:
        found = _date(_PUBLISHED.search(text, len(text) - 3000))
    if found is None:
        found = _date(next(reversed(list(_SIGNED.finditer(text, max(0, len(text) - 3000)))), None))
    return found


def _heading_at(text: str, numeral: str, keyword: str, cursor: int) -> tuple[int, int] | None:
    """First "<numeral>、…<keyword>" at or after cursor (numeral ≤ 18 chars before the keyword)."""
    variants = {keyword, keyword.replace("、", ","), keyword.replace("、", "")}
    best: tuple[int, int] | None = None
    for kw in variants:
        i = text.find(kw, cursor)
        while i >= 0:
            window = text[max(cursor, i - 18) : i]
            j = max(window.rfind(numeral + "、"), window.rfind(numeral + ","), window.rfind(numeral + "."))
            if j < 0 and window.rstrip().endswith(numeral):  # "一总体情况": no mark after the numeral
                j = len(window.rstrip()) - 1
            if j >= 0 and "\n" not in window[j:] and "。" not in window[j:]:
                start = max(cursor, i - 18) + j
                if best is None or start < best[0]:
                    best = (start, i + len(kw))
                break
            i = text.find(kw, i + 1)
    return best


def read_sections(text: str, template: Template) -> list[Section]:
    """The six numbered sections, found by numeral + keyword (heading variants from A.2)."""
    found: list[tuple[int, int, int]] = []  # number, start, body start
    cursor = 0
    for sec in template.sections:
        numeral = _NUMERALS[sec.number - 1]
        hits = [h for kw in sec.keywords if (h := _heading_at(text, numeral, kw, cursor)) is not None]
        if not hits:
            continue
        start, end = min(hits)
        found.append((sec.number, start, end))
        cursor = end
    out: list[Section] = []
    for i, (number, start, body) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        out.append(Section(number=number, heading=text[start:body].strip(), text=text[body:end].strip()))
    return out
