"""Borderless tables from word boxes, without any PDF: wrapped labels, blank rows, split tables."""

from __future__ import annotations

from xxgk.adapters.pdfwords import chain_layout, find_tables, is_data_line

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


def test_a_sentence_citing_figures_above_a_table_invents_no_column():
    # issue 10 (seed 131, 2019, A4): the paragraph above table 2 cites figures ("…培训 30 场次，
    # 培训工作人员 422 人次。"); cut at its numbers, each piece was short, so the sentence joined the
    # header and its pieces made value columns: 行政处罚's 262 read under 处理决定数量
    def w(text, x0, x1, top):
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 12}

    rows = [
        [
            w("效考核，组织业务培训", 71.0, 191.0, 203.3),
            w("30", 193.4, 208.6, 204.6),
            w("场次，培训工作人员", 211.0, 319.8, 203.3),
            w("422", 321.4, 344.2, 204.6),
            w("人次。", 346.7, 382.7, 203.4),
        ],
        [w("第二十条第（六）项", 257.3, 338.7, 220.0)],
        [
            w("信息内容", 130.1, 166.1, 235.0),
            w("上一年项目数量", 243.6, 306.6, 235.0),
            w("本年增/减", 355.2, 394.5, 235.0),
            w("处理决定数量", 447.7, 501.7, 235.0),
        ],
        [w("行政处罚", 130.1, 166.1, 250.0), w("1", 272.2, 277.9, 250.0), w("262", 366.5, 383.6, 250.0)],
        [w("行政强制", 130.1, 166.1, 265.0), w("39", 369.2, 380.6, 265.0), w("58", 469.0, 480.4, 265.0)],
    ]
    grid = table(rows)
    assert [row[-4:] for row in grid if row[-4] in ("行政处罚", "行政强制")] == [
        ["行政处罚", "1", "262", ""],
        ["行政强制", "", "39", "58"],
    ]


def test_a_header_word_over_a_column_without_numbers_keeps_its_column():
    # issue 10 (seed 122, 2021, A4): no row on table 3's first page printed a number under
    # 自然人 or 科研机构; those header words were too long to count as leaf headers, the table was
    # laid out on five columns, and 上年结转's 1 under 其他 read as 社会公益 (continuation pages
    # are laid out on the first page's columns)
    def w(text, x0, x1, top):
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 7.5}

    rows = [
        [w("申请人情况", 334.9, 379.9, 412.0)],
        [w("法人或其他组织", 325.9, 389.1, 427.0)],
        [
            w("自然人", 200.7, 227.7, 441.9),
            w("社会公益", 339.4, 375.4, 442.0),
            w("法律服务", 387.2, 423.2, 442.0),
            w("总计", 491.7, 509.7, 441.9),
        ],
        [
            w("商业企业", 244.0, 280.0, 449.4),
            w("科研机构", 291.7, 327.7, 449.4),
            w("其他", 443.9, 461.9, 449.5),
        ],
        [w("组织", 348.4, 366.6, 456.9), w("机构", 396.2, 414.2, 456.8)],
        [
            w("一、本年新收", 76.4, 184.4, 471.7),
            w("1", 259.1, 264.8, 471.7),
            w("1", 402.3, 408.0, 471.7),
            w("2", 497.8, 503.5, 471.7),
        ],
        [w("二、上年结转", 76.4, 184.4, 486.7), w("1", 450.1, 455.8, 486.7), w("1", 497.8, 503.5, 486.7)],
    ]
    [found] = find_tables([x for row in rows for x in row], page=1)
    assert len(found.layout.value_edges) - 1 == 7
    grid = [[c.text if c else None for c in row] for row in found.grid().rows]
    assert [row[-8:] for row in grid if row[-8].startswith(("一", "二"))] == [
        ["一、本年新收", "", "1", "", "", "1", "", "2"],
        ["二、上年结转", "", "", "", "", "", "1", "1"],
    ]


COLUMNS = {0: (199.8, 13.35), 1: (231.0, 4.45), 2: (360.0, 13.35)}  # x0 of a 3-digit number, its width


def stacked(top, *texts):
    """Numbers of one line in the three columns of a narrow table (digits 6.43 pt high, 9.4 pt
    pitch as LibreOffice sets Noto Serif at 9 pt): a 3-digit number fills its column."""
    out = []
    for c, text in enumerate(texts):
        if text:
            x0, full = COLUMNS[c]
            width = full * len(text) / 3 if c != 1 else 4.45 * len(text)
            x0 = x0 + (full - width) / 2
            out.append({"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 6.43})
    return out


def label(text, top, x0=98.5):
    return {"text": text, "x0": x0, "x1": x0 + 7 * len(text), "top": top, "bottom": top + 12}


def test_numbers_wrapped_in_a_narrow_column_are_joined_on_their_row():
    # issue 10 (seeds 103, 104, 108, 130, A5 without rules): 4331 too wide for its column printed
    # "433" on the row's line and "1" on the label's second line; it read 433. 4328 centred on its
    # row ("432" / row line / "8") and 2039 under a label starting above its row line read whole.
    rows = [
        [label("3.要求提供公开出版物", 478.6), *stacked(478.7, "4", "0", "4")],
        stacked(489.6, "432", "", "433"),
        [label("4.无正当理由大量反复申请", 494.2), *stacked(494.3, "", "2", "")],
        stacked(499.0, "8", "", "0"),
        [label("5.要求行政机关确认或重新", 509.8), *stacked(508.9, "433", "0", "433")],
        [label("出具已获取信息", 521.3), *stacked(518.3, "1", "", "1")],
        [label("6.没有现成信息需要另行制", 536.0), *stacked(537.2, "203", "", "204")],
        stacked(541.8, "", "3", ""),
        [label("作", 547.5), *stacked(546.5, "9", "", "2")],
        [label("7.其他", 560.0), *stacked(560.1, "1", "0", "1")],
    ]
    assert labels_and_values(table(rows)) == [
        ("3.要求提供公开出版物", ["4", "0", "4"]),
        ("4.无正当理由大量反复申请", ["4328", "2", "4330"]),
        ("5.要求行政机关确认或重新出具已获取信息", ["4331", "0", "4331"]),
        ("6.没有现成信息需要另行制作", ["2039", "3", "2042"]),
        ("7.其他", ["1", "0", "1"]),
    ]


def test_a_wrapped_number_around_a_row_line_without_other_values_is_joined():
    # issue 10 (seed 108, 2019, A5): blanks print empty, so the row line holds only the label;
    # "462" above it and "2" below were a row of their own and a stray value: 4622 read 2
    rows = [
        [label("3.补正后申请内容仍不明确", 125.0), *stacked(125.1, "125", "", "125")],
        stacked(137.1, "462", "", "462"),
        [label("1.信访举报投诉类申请", 141.7)],
        stacked(146.5, "2", "", "2"),
        [label("2.重复申请", 158.4), *stacked(158.5, "1", "1", "2")],
    ]
    assert labels_and_values(table(rows)) == [
        ("3.补正后申请内容仍不明确", ["125", "", "125"]),
        ("1.信访举报投诉类申请", ["4622", "", "4622"]),
        ("2.重复申请", ["1", "1", "2"]),
    ]


def test_full_numbers_of_two_rows_are_not_joined():
    # a 3-digit number on each of two rows close together: two rows, never one number
    rows = [
        [label("1.甲", 100.0), *stacked(100.1, "433", "0", "433")],
        [label("2.乙", 109.6), *stacked(109.5, "125", "1", "126")],
        [label("3.丙", 119.0), *stacked(119.1, "", "", "")],
    ]
    rows[-1] = [label("3.丙", 119.0), *stacked(119.1, "1", "", "1")]
    assert labels_and_values(table(rows)) == [
        ("1.甲", ["433", "0", "433"]),
        ("2.乙", ["125", "1", "126"]),
        ("3.丙", ["1", "", "1"]),
    ]


def test_a_wrapped_label_line_never_joins_a_row_across_a_numbered_label():
    # issue 10 (seed 107, 2021, A4, narrow labels): sparse sub-rows, each label wrapped over
    # several lines; the blank row 2.其他法… was read first and joined 4.保护第…'s numbers, three
    # rows down (rows this far apart are "near" where the rows with numbers are sparse)
    def sub(text, top):
        return word(text, 142, top)

    rows = [
        [sub("2.其他法", 133.5)],
        [sub("律行政法", 148.3)],
        [sub("规禁止公", 163.2)],
        [sub("开", 178.0)],
        [sub("3.危", 193.0)],
        [sub("及三安", 207.8)],
        [sub("全一稳", 222.7)],
        [sub("定", 237.5)],
        [sub("4.保护第", 252.6)],
        [sub("三方合法", 267.4), *numbers(267.4, "13", "", "13")],
        [sub("权益", 282.3)],
        [sub("5.属于三", 297.3)],
        [sub("类内部事", 312.1)],
        [sub("6.属于四", 342.0)],
        [sub("7.属于行", 387.0)],
        [sub("政执法案", 400.0), *numbers(400.0, "9", "", "9")],
        [sub("卷", 415.0)],
        [sub("8.属于行", 430.0)],
        [sub("1.本机关", 460.0)],
        [sub("2.没有现", 480.0), *numbers(480.0, "1", "0", "1")],
    ]
    assert labels_and_values(table(rows)) == [
        ("2.其他法律行政法规禁止公开", ["", "", ""]),
        ("3.危及三安全一稳定", ["", "", ""]),
        ("4.保护第三方合法权益", ["13", "", "13"]),
        ("5.属于三类内部事", ["", "", ""]),
        ("6.属于四", ["", "", ""]),
        ("7.属于行政执法案卷", ["9", "", "9"]),
        ("8.属于行", ["", "", ""]),
        ("1.本机关", ["", "", ""]),
        ("2.没有现", ["1", "0", "1"]),
    ]


def test_a_table_whose_only_number_line_wraps_its_label_keeps_every_column():
    # issue 10 (seed 115, 2019, A4 and A5, narrow labels): table 3's first page prints one number
    # line (一、本年新收 1 1 2, its label wrapped round it) under the column headers. Alone, the
    # line was no table (A5); kept, the headers counted only from the first number (A4), the
    # table had four columns. The text reader then placed the numbers by the 自然人 convention.
    def w(text, x0, x1, top):
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 7.5}

    rows = [
        [w("申请人情况", 334.9, 379.9, 497.0)],
        [w("法人或其他组织", 325.9, 389.1, 505.0)],
        [
            w("自然人", 200.7, 227.7, 513.0),
            w("社会公益", 339.4, 375.4, 513.0),
            w("法律服务", 387.2, 423.2, 513.0),
            w("总计", 491.7, 509.7, 513.0),
        ],
        [
            w("商业企业", 244.0, 280.0, 520.0),
            w("科研机构", 291.7, 327.7, 520.0),
            w("其他", 443.9, 461.9, 520.0),
        ],
        [w("组织", 348.4, 366.6, 527.0), w("机构", 396.2, 414.2, 527.0)],
        [w("一、本年新收政府信息公开", 76.4, 184.4, 535.9)],
        [w("1", 354.6, 360.3, 543.6), w("1", 450.1, 455.8, 543.6), w("2", 497.8, 503.5, 543.6)],
        [w("申请数量", 76.4, 112.4, 550.9)],
        [w("二、上年结转政府信息公开", 76.4, 184.4, 565.8)],
        [w("申请数量", 76.4, 112.4, 580.7)],
    ]
    [found] = find_tables([x for row in rows for x in row], page=1)
    grid = [[c.text if c else None for c in row] for row in found.grid().rows]
    assert [row[-8:] for row in grid if row[-8].startswith(("一", "二"))] == [
        ["一、本年新收政府信息公开申请数量", "", "", "", "1", "", "1", "2"],
        ["二、上年结转政府信息公开申请数量", "", "", "", "", "", "", ""],
    ]


def test_blank_rows_at_a_page_foot_belong_to_the_table():
    # issue 10 (seed 107, 2021, A4): label lines of blank rows under the page's last number line
    # were left out past two; the table then did not reach the page's foot and was not joined to
    # its continuation on the next page
    rows = [
        [word("一、甲", 45, 0), *numbers(0, "1", "2", "3")],
        [word("二、乙", 45, 12), *numbers(12, "4", "5", "9")],
        *([word(f"{n}.丙丁戊", 70, 12 + 12 * n)] for n in range(1, 6)),
    ]
    [found] = find_tables([w for row in rows for w in row], page=1)
    assert [line[0]["text"] for line in found.lines][-1] == "5.丙丁戊"


def test_a_continued_table_takes_label_columns_from_every_page():
    # issue 10 (seed 107, 2021, A4): the first page held too few sub-row labels to make their
    # column; the next pages' sub-row labels then shared the group label's column and joined it
    first = [
        [word("一、甲甲甲", 45, 0), *numbers(0, "1", "2", "3")],
        [word("（三）丙丙", 70, 12), *numbers(12, "4", "5", "9")],
    ]
    second = [
        [word("（三", 70, 0), word("1.子子子", 100, 0), *numbers(0, "1", "0", "1")],
        [word("予公", 70, 12), word("2.子子子", 100, 12), *numbers(12, "1", "0", "1")],
        [word("3.子子子", 100, 24), *numbers(24, "1", "0", "1")],
    ]
    [a] = find_tables([w for row in first for w in row], page=1)
    [b] = find_tables([w for row in second for w in row], page=2)
    assert 100 not in a.layout.starts
    layout = chain_layout([a, b])
    assert 100 in layout.starts
    assert layout.value_edges == a.layout.value_edges


def test_a_numbered_label_does_not_take_the_numbers_of_the_row_above():
    # issue 10 (seed 130, 2019, A4, narrow labels): （二）部分公开's numbers sit between its wrapped
    # label lines; the blank row 1.属于国家秘密 two lines below took them
    rows = [
        [word("一、本年新收", 45, 140), *numbers(141, "126", "90", "216")],
        [word("三、", 45, 163.3), word("（一）予以公开", 70, 163.8), *numbers(164, "208", "", "208")],
        [word("本年", 45, 178.1), word("（二）部分公开", 70, 179.4)],
        [word("度办", 45, 192.9), word("（区分处理的只", 70, 194.2)],
        numbers(201.8, "", "1", "1"),
        [word("理结", 45, 207.9), word("计这一情形不计", 70, 209.1)],
        [word("果", 45, 222.7), word("其他情形）", 70, 223.9)],
        [word("1.属于国", 100, 238.9)],
        [word("家秘密", 100, 253.8)],
        [word("2.其他法", 100, 268.8)],
        [word("律行政法", 100, 283.6)],
        numbers(291.2, "1", "2", "3"),
        [word("规禁止公", 100, 298.5)],
        [word("开", 100, 313.3)],
        [word("3.危及", 100, 328.3), *numbers(328.3, "0", "0", "0")],
    ]
    grid = table(rows)
    by_label = {next(t for t in reversed(row[:-3]) if t): row[-3:] for row in grid}
    assert by_label["（二）部分公开（区分处理的只计这一情形不计其他情形）"] == ["", "1", "1"]
    assert by_label["1.属于国家秘密"] == ["", "", ""]
    assert by_label["2.其他法律行政法规禁止公开"] == ["1", "2", "3"]


def test_full_numbers_of_two_unnumbered_rows_under_a_numbered_heading_are_not_joined():
    # table 2's rows carry no numbers in their labels, so each label line starts a row, whatever
    # heading (一、总体情况) the page's table region holds (tests/fixtures/pdfdocx/variants/
    # borderless_blanks_001.pdf: 行政处罚 2591 and 行政强制 147, 12.6 pt apart, read as 2591147)
    def w(text, x0, x1, top):
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 8.26}

    rows = [
        [w("一、总体情况", 71.0, 143.0, 250.0)],
        [
            w("行政许可", 130.1, 166.1, 271.4),
            w("164", 266.5, 283.6, 272.0),
            w("18", 369.2, 380.6, 272.0),
            w("561", 466.2, 483.3, 272.0),
        ],
        [
            w("行政处罚", 130.1, 166.1, 284.1),
            w("2591", 263.6, 286.5, 284.7),
            w("-57", 366.3, 383.4, 284.7),
            w("2661", 463.3, 486.2, 284.7),
        ],
        [
            w("行政强制", 130.1, 166.1, 296.7),
            w("147", 266.5, 283.6, 297.3),
            w("-5", 369.2, 380.6, 297.3),
            w("143", 466.2, 483.3, 297.3),
        ],
    ]
    grid = table(rows)
    assert [row[-4:] for row in grid if row[-4].startswith("行政")] == [
        ["行政许可", "164", "18", "561"],
        ["行政处罚", "2591", "-57", "2661"],
        ["行政强制", "147", "-5", "143"],
    ]


def test_table_4_without_numbers_in_its_first_columns_keeps_its_fifteen_columns():
    # issue 10 (seed 207, 2019, A4 without rules): table 4 has no row labels; counted from its
    # first number, the leaf headers over the empty first columns (结果/维持 …) were taken for
    # label columns and the row of numbers read ambiguous
    def w(text, x0, top):
        return {"text": text, "x0": x0, "x1": x0 + 18, "top": top, "bottom": top + 7.5}

    xs = [77.0 + 30.25 * k for k in range(15)]
    rows = [
        [w("结果", x, 410.8) for x in xs[:3]] + [w("尚未", xs[3], 410.8)],
        [
            w("维持", xs[0], 425.6),
            w("纠正", xs[1], 425.6),
            w("结果", xs[2], 425.6),
            w("审结", xs[3], 425.6),
            w("总计", xs[4], 425.6),
        ],
        [w("维持", x, 433.1) for x in xs[5:9]] + [w("总计", xs[9], 433.1)],
        [w("维持", x, 433.1) for x in xs[10:14]] + [w("总计", xs[14], 433.1)],
    ]
    rows[-2] += rows.pop()
    printed = {3: "1", 4: "1", 7: "1", 9: "1", 10: "1", 14: "1"}
    rows.append(
        [
            {"text": t, "x0": xs[k] + 6, "x1": xs[k] + 12, "top": 448.7, "bottom": 456.2}
            for k, t in printed.items()
        ]
    )
    [found] = find_tables([x for row in rows for x in row], page=1)
    assert len(found.layout.value_edges) - 1 == 15
    grid = [[c.text if c else None for c in row] for row in found.grid().rows]
    assert grid[-1][-15:] == [printed.get(k, "") for k in range(15)]
