"""Table 2's rows found in prose: given the letter stream and the anchors, say whether table 2
is printed as a table.

A table 2 row is anchored by its label alone (行政许可, 行政处罚, 规范性文件), and section 二's
prose names the same things ("本年度主动公开行政许可信息120条"). When the page prints no table 2
(cut off, a picture, left out), the anchors land in that prose and its figures would be read as
cells. A printed table 2 shows its column headers or its 第二十条 captions (annual-report.md,
table 2 of both templates); with none of them near its rows, the rows are mentions, and their
cells are ambiguous with the figures as candidates, never read (issue 10: never a silent wrong
number).
"""

from __future__ import annotations

from xxgk.readers.anchors import Anchor, LetterStream

# Table 2's header words and captions in both templates, as letter keys, cut to what a report
# keeps when it shortens a header ("制发件数" for 本年制发件数) but not to words prose uses
# ("制发规范性文件", "现行有效的文件" are prose; "制发件数" is a header).
HEADER_STEMS = (
    "第二十条",
    "信息内容",
    "制发件数",
    "废止件数",
    "有效件数",
    "决定数量",
    "收费金额",
    "新制作数量",
    "新公开数量",
    "公开总数量",
    "项目数量",
    "采购总金额",
)
_BEFORE = 80  # letters before the first row: its caption and header (~30 letters) and a title
_AFTER = 60  # letters after the last row (a header printed under its rows, 2019's last caption)


def table2_in_prose(stream: LetterStream, anchors: list[Anchor]) -> bool:
    """Given the anchors of table 2's rows read from the text, True if no header or caption of
    table 2 is printed near them."""
    if not anchors:
        return False
    lo = max(min(a.kstart for a in anchors) - _BEFORE, 0)
    hi = max(a.kend for a in anchors) + _AFTER
    return all(stream.find(stem, lo, hi) < 0 for stem in HEADER_STEMS)
