"""Borderless tables from word boxes, without any PDF: wrapped labels, blank rows, split tables."""

from __future__ import annotations

from xxgk.adapters.pdfwords import find_tables, is_data_line

VALUE_X = (300, 340, 380)


def word(text, x0, top, width=None):
    width = width if width is not None else 9 * len(text)
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 9}


def numbers(top, *values):
    return [word(v, x - 3, top, 6 * len(v)) for x, v in zip(VALUE_X, values, strict=True) if v]


def table(rows):
    [found] = find_tables([w for row in rows for w in row], page=1)
    return [[c.text if c else None for c in row] for row in found.grid().rows]


def labels_and_values(grid):
    return [(row[0], row[1:]) for row in grid]


def test_a_sentence_with_a_number_is_not_a_table_row():
    assert not is_data_line([word("收到申请", 70, 0), word("12", 110, 0), word("件", 125, 0)])
    assert is_data_line([word("规章", 70, 0), word("12", 300, 0)])


def test_top_aligned_wrapped_label_joins_the_row_above():
    rows = [
        [word("甲", 70, 0), *numbers(0, "1", "2", "3")],
        [word("乙一", 70, 12), *numbers(12, "4", "5", "6")],
        [word("乙二", 70, 24)],  # second line of 乙's label, cell text top-aligned
        [word("丙", 70, 36), *numbers(36, "7", "8", "9")],
    ]
    assert labels_and_values(table(rows)) == [
        ("甲", ["1", "2", "3"]),
        ("乙一乙二", ["4", "5", "6"]),
        ("丙", ["7", "8", "9"]),
    ]


def test_centred_wrapped_label_lines_around_the_numbers_join_their_row():
    rows = [
        [word("甲", 70, 0), *numbers(0, "1", "2", "3")],
        [word("乙上", 70, 12)],
        numbers(18, "4", "5", "6"),  # numbers centred between the two label lines
        [word("乙下", 70, 24)],
        [word("丙", 70, 36), *numbers(36, "7", "8", "9")],
    ]
    assert labels_and_values(table(rows)) == [
        ("甲", ["1", "2", "3"]),
        ("乙上乙下", ["4", "5", "6"]),
        ("丙", ["7", "8", "9"]),
    ]


def test_a_numbered_row_with_every_cell_blank_stays_a_row():
    header = [word(h, x - 9, -12) for x, h in zip(VALUE_X, ("自然", "法人", "总计"), strict=True)]
    rows = [
        header,  # the middle column holds no number: its short header word still makes it a column
        [word("(一)予以公开", 70, 0), *numbers(0, "7", "", "7")],
        [word("(二)部分公开", 70, 12)],  # all blank: no number on the line
        [word("(三)不予公开", 70, 24), *numbers(24, "2", "", "2")],
    ]
    grid = table(rows)
    assert grid[0][1:] == ["自然", "法人", "总计"]
    assert [row[0] for row in grid[1:]] == ["(一)予以公开", "(二)部分公开", "(三)不予公开"]
    assert grid[2][1:] == ["", "", ""]
    assert grid[1][1:] == ["7", "", "7"]  # the blank middle column stays a real empty cell


def test_tables_with_different_value_columns_are_split():
    first = [
        [word("规章", 70, 0), word("1", 200, 0, 6), word("2", 400, 0, 6)],
        [word("文件", 70, 12), word("3", 200, 12, 6), word("4", 400, 12, 6)],
    ]
    second = [
        [word("一", 70, 40), *numbers(40, "5", "6", "7")],
        [word("二", 70, 52), *numbers(52, "8", "9", "0")],
    ]
    found = find_tables([w for row in first + second for w in row], page=3)
    assert len(found) == 2
    assert all(t.page == 3 for t in found)


def test_a_numbered_label_wrapped_over_lines_in_a_narrow_column_is_one_row():
    # issue 10, "PDF with a narrow label column": the label's first lines stand alone above the
    # value row (too far to join it as a loose line), the rest of it below; the head used to be
    # a row of blanks and the values an unlabelled row, so the row read as blanks
    rows = [
        [word("1.甲", 70, 0), *numbers(0, "1", "2", "3")],
        [word("2.乙上", 70, 12)],
        [word("乙中一", 70, 24)],
        [word("乙中二", 70, 36), *numbers(36, "4", "", "4")],
        [word("乙下", 70, 48)],
        [word("3.其他", 70, 60)],  # a numbered row with every cell blank stays a row of its own
        [word("4.丙", 70, 72), *numbers(72, "7", "8", "9")],
    ]
    assert labels_and_values(table(rows)) == [
        ("1.甲", ["1", "2", "3"]),
        ("2.乙上乙中一乙中二乙下", ["4", "", "4"]),
        ("3.其他", ["", "", ""]),
        ("4.丙", ["7", "8", "9"]),
    ]


def test_a_sparse_row_in_columns_no_line_above_used_continues_the_table():
    # issue 10: 上年结转 printing only 科研机构 and 总计 fit neither the line above's columns nor
    # was it a superset of them; it started a loose table too small to keep and was lost
    xs = (300, 340, 380, 420)

    def values(top, *texts):
        return [word(v, x - 3, top, 6) for x, v in zip(xs, texts, strict=True) if v]

    rows = [
        [word("一、甲", 70, 0), *values(0, "1", "2", "", "3")],
        [word("二、乙", 70, 12), *values(12, "", "", "1", "1")],
        [word("三、丙", 70, 24), *values(24, "4", "5", "", "9")],
    ]
    assert labels_and_values(table(rows)) == [
        ("一、甲", ["1", "2", "", "3"]),
        ("二、乙", ["", "", "1", "1"]),
        ("三、丙", ["4", "5", "", "9"]),
    ]


def test_a_sparse_row_after_a_sentence_is_not_the_table_above():
    xs = (300, 340, 380, 420)

    def values(top, *texts):
        return [word(v, x - 3, top, 6) for x, v in zip(xs, texts, strict=True) if v]

    rows = [
        [word("一、甲", 70, 0), *values(0, "1", "2", "", "3")],
        [word("二、乙", 70, 12), *values(12, "4", "5", "", "9")],
        [word("本年度收到和处理政府信息公开申请情况如下，共计收到申请", 70, 24)],  # prose over the values
        [word("三、丙", 70, 36), *values(36, "", "", "1", "1")],
    ]
    found = find_tables([w for row in rows for w in row], page=1)
    assert len(found) == 1
    assert [row[0].text if row[0] else None for row in found[0].grid().rows] == ["一、甲", "二、乙"]


def test_a_numbered_sub_row_below_a_spanning_row_is_a_row_of_its_own():
    # issue 10: （一）予以公开, all blank, right under 二、上年结转 (whose label spans the label
    # columns) was joined to it as a wrapped label, and the reader took 二's values for （一）
    rows = [
        [word("一、甲甲", 45, 0), *numbers(0, "1", "2", "3")],
        [word("二、乙乙", 45, 12), *numbers(12, "", "1", "1")],
        [word("三", 45, 24), word("（一）予以公开", 70, 24)],
        [word("、", 45, 36), word("（二）部分公开", 70, 36)],
        [word("本", 45, 48), word("（三）不予公开", 70, 48), *numbers(48, "4", "5", "9")],
    ]
    grid = table(rows)
    assert grid[1][0].startswith("二、乙乙")
    assert [(row[1], row[2:]) for row in grid[1:]] == [
        ("", ["", "1", "1"]),
        ("（一）予以公开", ["", "", ""]),
        ("（二）部分公开", ["", "", ""]),
        ("（三）不予公开", ["4", "5", "9"]),
    ]
