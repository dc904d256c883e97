"""Find the template's row labels in running text and cut out the value tokens of each row.

Matching runs on a *letter stream*: only the CJK characters of the text, each remembering its
offset. Brackets, 、 vs ，, quotes, spaces, line breaks and pipes all vanish, so a label that is
wrapped over lines, split across cells or printed with other punctuation still matches
(annual-report.md A.4 "Punctuation variants"). Traditional characters were already simplified
by the adapter. Labels are searched in template order (a window keeps a missing label from
jumping into later prose); labels not found in order get a second, order-free chance inside
their table's span (PDF→markdown puts rows out of order).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import accumulate

from xxgk.templates import Row, Table, Template, all_templates
from xxgk.text import CJK_RANGES, key_variants, letters

CJK = re.compile(f"[{CJK_RANGES}]+")
_ORDER_WINDOW = 700  # letters allowed between one row label and the next
_FIRST_WINDOW = 4000  # letters allowed before the first label of a table
_DISTINCT = 4  # a key this long names one row; shorter ones (总计, 其他) recur in other tables


_NOT_CJK = re.compile(f"([^{CJK_RANGES}]+)")


@dataclass
class LetterStream:
    """The CJK letters of a text (``keys``) and a way back from a letter to its text offset.

    Only the ~40 anchor hits need an offset, so instead of a list with one offset per letter
    (a Python int per character) the stream keeps the text split into alternating letter runs
    and other text; ``offset`` finds a letter's run by bisection in run lengths summed once,
    on the first lookup.
    """

    text: str
    keys: str
    parts: list[str]  # letter runs at even indexes, the non-letter text between them at odd ones

    @classmethod
    def of(cls, text: str) -> LetterStream:
        parts = _NOT_CJK.split(text)  # one C-level pass gives the runs and the text between them
        return cls(text, key_variants("".join(parts[::2])), parts)

    @cached_property
    def _runs(self) -> tuple[list[int], list[int]]:
        """Per letter run: its first letter index and its text offset."""
        lengths = list(map(len, self.parts))
        starts = list(accumulate(lengths, initial=0))[::2]  # text offset of each letter run
        kstarts = list(accumulate(lengths[::2], initial=0))  # letters before each run
        return kstarts[:-1], starts

    def offset(self, k: int) -> int:
        """Text offset of letter ``k`` (0 <= k < len(keys))."""
        kstarts, starts = self._runs
        j = bisect_right(kstarts, k) - 1  # an empty run shares its kstart with the next one: skipped
        return starts[j] + k - kstarts[j]

    def text_span(self, kstart: int, kend: int) -> tuple[int, int]:
        """Text span of the letters kstart..kend (kend exclusive, kend > kstart)."""
        return self.offset(kstart), self.offset(kend - 1) + 1

    def find(self, key: str, start: int, end: int | None = None) -> int:
        return self.keys.find(key, start, len(self.keys) if end is None else end)


@dataclass
class Anchor:
    key: str  # "table3.new" or "table4"
    row: Row | None
    kstart: int  # letter-stream span of the label
    kend: int
    start: int  # text span of the label
    end: int


_ROW_KEYS: dict[int, tuple[str, ...]] = {}


def row_keys(row: Row) -> tuple[str, ...]:
    """Letter keys to try for a row (memoised by identity: templates live for the process)."""
    keys = _ROW_KEYS.get(id(row))
    if keys is None:
        keys = _ROW_KEYS[id(row)] = _row_keys(row)
    return keys


def _row_keys(row: Row) -> tuple[str, ...]:
    """The label, its variants, then a cut prefix (long labels), then the label before a bracket."""
    keys = [letters(lab) for lab in row.labels]
    main = keys[0]
    if len(main) >= 8:
        keys.append(main[: max(6, len(main) // 2)])
    head = letters(re.split(r"[(（]", row.label, maxsplit=1)[0])
    if 4 <= len(head) < len(main):  # "部分公开" printed without its parenthetical
        keys.append(head)
    return tuple(k for k in keys if k)


@cache
def structural_text() -> str:
    """Every word a table may print that is not a value: lets the reader skip headers."""
    words: set[str] = {
        "信息内容",
        "申请人情况",
        "法人或其他组织",
        "本年度办理结果",
        "本列数据的勾稽关系为第一项加第二项之和等于第三项加第四项之和",
        "行政复议",
        "行政诉讼",
        "单位",
        "万元",
        "第二十条第",
        "表一表二表三表四",
        "情况",
        "项",
        "件",
        "元",
        "条",
    }
    for t in all_templates():
        for table in t.tables:
            words.add(letters(table.title))
            for _, _, label in table.groups:
                words.add(letters(label))
            for row in table.rows:
                words.update(letters(x) for x in row.labels)
                if row.caption:
                    words.add(letters(row.caption))
                if row.group_label:
                    words.add(letters(row.group_label))
                for col in row.columns:
                    words.update(letters(x) for x in col.labels)
    return "#".join(sorted(w for w in words if w))


_SINGLES = set("件元项表条第一二三四五六七八九十增减")  # 增减: 2019 本年增/减 cut at its slash


@lru_cache(maxsize=16384)
def is_structural(run: str) -> bool:
    """True if a letter run is made of table words (headers, labels), False for prose."""
    known = structural_text()
    run = key_variants(run)
    i = 0
    while i < len(run):
        for size in range(min(len(run) - i, 40), 1, -1):
            if run[i : i + size] in known:
                i += size
                break
        else:
            if run[i] in _SINGLES:
                i += 1
                continue
            return False
    return True


def find_anchors(stream: LetterStream, template: Template) -> list[Anchor]:
    """Anchors for every template row found (tables 2 and 3) plus one for table 4's block."""
    anchors: list[Anchor] = []
    cap = stream.keys.find("第二十条第")
    if cap < 0:  # no captions: start at the last 主动公开 heading before table 3, not in the narrative
        t3 = stream.keys.find("本年新收政府信息公开申请数量")
        cap = stream.keys.rfind("主动公开政府信息情况", 0, t3 if t3 >= 0 else len(stream.keys))
    cursor = max(cap, 0)
    for table in (template.table2, template.table3):
        found: list[Anchor] = []
        table_start = cursor
        window = _FIRST_WINDOW
        short_end = len(stream.keys)  # where a short key may match: not past table 3
        for row in table.rows:
            hit = _search(stream, row, cursor, cursor + window, short_end)
            if hit is not None and not found and table is template.table3 and hit[1] - hit[0] < _DISTINCT:
                # a short label first: past table 4's header it is that header's 总计, not
                # table 3's (a table 3 printed as a picture leaves no other label, issue 10)
                t4 = _table4_header(stream, cursor)
                hit = None if 0 <= t4 < hit[0] else hit
            if hit is not None:
                if not found and table is template.table3:
                    # table 3 ends at table 4's header: a short label not printed in table 3
                    # ("（七）合计" for 总计) must not match the 总计 over table 4's values
                    t4 = _table4_header(stream, hit[1])
                    short_end = t4 if t4 >= 0 else short_end
                found.append(Anchor(f"{table.key}.{row.key}", row, *hit))
                cursor = hit[1]
                window = _ORDER_WINDOW
        if len(found) == len(table.rows):  # every row in order: no second chance needed
            anchors.extend(found)
            continue
        _second_chance(stream, table, found, table_start, cursor + _ORDER_WINDOW, short_end)
        anchors.extend(found)
    last = max((a.kend for a in anchors), default=max(cap, 0))
    i = _table4_header(stream, last)
    if i >= 0:
        anchors.append(Anchor("table4", None, i, i + 4, *stream.text_span(i, i + 4)))
    anchors.sort(key=lambda a: a.kstart)
    return anchors


def _table4_header(stream: LetterStream, start: int) -> int:
    """Table 4's "行政复议" header cell, not the section heading or a sentence before the table.

    The header is the last "行政复议" before the first result column (维持); without one, the
    first "行政复议" after table 3.
    """
    end = start + _FIRST_WINDOW
    first = stream.find("行政复议", start, end)
    if first < 0:
        return -1
    upheld = stream.find("维持", first, end)
    if upheld < 0:
        return first
    return stream.keys.rfind("行政复议", first, upheld)


def _second_chance(
    stream: LetterStream, table: Table, found: list[Anchor], table_start: int, span_end: int, short_end: int
) -> None:
    """Rows not found in order get a second chance (PDF→markdown puts rows out of order; a label
    moved far down pulls the in-order search past the rows after it): a key of 4 letters or more
    anywhere in the table's span, a shorter one only between the rows found before and after
    it in the template (added to ``found``)."""
    keys = [f"{table.key}.{r.key}" for r in table.rows]
    at = {a.key: a for a in found}
    taken = [(a.kstart, a.kend) for a in found]
    for n, row in enumerate(table.rows):
        if keys[n] in at:
            continue
        for k in row_keys(row):
            hit = None
            if len(k) >= _DISTINCT:
                i = stream.find(k, table_start, span_end)
                while i >= 0 and any(a < i + len(k) and i < b for a, b in taken):
                    i = stream.find(k, i + 1, span_end)
                if i >= 0:
                    hit = (i, i + len(k), *stream.text_span(i, i + len(k)))
            else:
                before = [at[x].kend for x in keys[:n] if x in at]
                after = [at[x].kstart for x in keys[n + 1 :] if x in at]
                if not before and not after:
                    continue  # no row of the table found to place it by: 总计 of another table
                lo = before[-1] if before else table_start
                hi = min(after[0] if after else span_end, short_end)
                hit = _short_hit(stream, k, lo, hi) if lo < hi else None
            if hit is not None:
                anchor = Anchor(keys[n], row, *hit)
                found.append(anchor)
                at[keys[n]] = anchor
                taken.append((hit[0], hit[1]))
                break


def _search(
    stream: LetterStream, row: Row, start: int, end: int, short_end: int
) -> tuple[int, int, int, int] | None:
    """The first of the row's keys found in the window; a key under 4 letters only before
    ``short_end`` and only as a word of its own (_short_hit)."""
    for k in row_keys(row):
        if len(k) >= _DISTINCT:
            i = stream.find(k, start, end)
            if i >= 0:
                return i, i + len(k), *stream.text_span(i, i + len(k))
            continue
        hit = _short_hit(stream, k, start, min(end, short_end))
        if hit is not None:
            return hit
    return None


def _short_hit(stream: LetterStream, key: str, start: int, stop: int) -> tuple[int, int, int, int] | None:
    """A key under 4 letters (总计, 其他) also occurs inside other words ("其中：其他方式处理", a
    sub-row some reports add) and in later tables' headers: the letters right after it must be
    table words (the next label glued on: "总计四、结转…"), not more of a word the template does
    not know; letters before it may be a header glued on ("现行有效件数规章")."""
    i = stream.find(key, start, stop)
    while i >= 0:
        a, b = stream.text_span(i, i + len(key))
        after = CJK.match(stream.text, b)
        if (
            (after is None or is_structural(after.group()))
            and stream.text[b : b + 1] not in (":", "：")  # "总计：5" names a column (label-value)
            and not in_markdown_header(stream.text, b)
            and not _inside_header_word(stream.keys, key, i)
        ):
            return i, i + len(key), a, b
        i = stream.find(key, i + 1, stop)
    return None


@lru_cache(maxsize=64)
def _words_around(key: str) -> tuple[str, ...]:
    """The template's words (labels, headers) that contain a short key but are longer: 其他 in
    法人或其他组织 or in （二）部分公开（…不计其他情形）."""
    # (a word the key starts — 其他处理, 2019's row and 2021's group — is left to the row search)
    return tuple(w for w in structural_text().split("#") if key in w[1:])


def _inside_header_word(keys: str, key: str, i: int) -> bool:
    """Whether the key at letter ``i`` is part of a longer template word: 其他 inside 法人或其他组织
    is the header, not the row 3.其他 (a page cut in table 3 read that as the row, issue 10)."""
    for word in _words_around(key):
        at = word.find(key, 1)
        while at >= 0:
            if i - at >= 0 and keys.startswith(word, i - at):
                return True
            at = word.find(key, at + 1)
    return False


_MD_SEPARATOR = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}")


_NUMBER_CELL = re.compile(r"\|\s*[+-]?\d[\d,.]*\s*(?=\||$)")


def in_markdown_header(text: str, offset: int) -> bool:
    """Whether ``offset`` is on a markdown table's header row of words (the line over its `|---|`
    line, no cell a number): a column header (`类别 | 数据1 … | 总计`), not a row label (issue
    10). PDF conversions also put a data row there (`| 3.其他 | 4 | 0 …`, dev 103): that one is
    a row."""
    eol = text.find("\n", offset)
    if eol < 0 or "|" not in text[offset:eol] or _MD_SEPARATOR.match(text, eol + 1) is None:
        return False
    return _NUMBER_CELL.search(text, offset, eol) is None


_NUMBERING = re.compile(r"(\d+)\s*[.、]\s*$")
_NUMBER_DIGITS: dict[str, str] = {}  # a row's printed number ("（三）2.") → its digits ("2")


def strip_numbering(text: str, start: int, end: int, row: Row | None) -> int:
    """End of a gap once the next row's own numbering ("2." glued to the last value) is removed."""
    if row is None:
        return end
    digits = _NUMBER_DIGITS.get(row.number)
    if digits is None:
        digits = _NUMBER_DIGITS[row.number] = "".join(ch for ch in row.number if ch.isdigit())
    if not digits:
        return end
    m = _NUMBERING.search(text, max(start, end - 12), end)
    if m is None or not m.group(1).endswith(digits):
        return end
    return m.start(1) + len(m.group(1)) - len(digits)
