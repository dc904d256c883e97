"""Ledgers as offices keep them (R.1), written as real .xlsx files, and a CLI runner."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from typer.testing import CliRunner, Result

from xxgk.cli import app

HEADER = [
    "编号", "收到日期", "申请方式", "申请人类型", "申请人", "证件号码", "联系方式", "申请内容", "承办人",
    "补正告知日期", "补正收到日期", "征求意见开始", "征求意见结束", "延期告知日期", "收费方式", "页数", "收费通知日期",
    "缴费日期", "答复日期", "办理结果",
]  # fmt: skip
CASE_HEADER = ["案件编号", "类型", "收到日期", "结案日期", "结果", "关联申请"]

# Personal data planted in the ledger; a test searches every output for these strings.
PERSONAL = ("王小明", "350102199001011234", "13812345678", "赵六六", "110101198502023456", "zhao@example.com")


def row(number: str, received: str, kind: str = "自然人", **cells: str) -> list[str]:
    values = {"编号": number, "收到日期": received, "申请人类型": kind, "申请方式": "网络", **cells}
    return [values.get(h, "") for h in HEADER]


def clean_rows() -> list[list[str]]:
    return [
        row("2024-0101", "2024-12-20", 申请人="赵六六", 证件号码="110101198502023456", 联系方式="zhao@example.com",
            答复日期="2025-01-10", 办理结果="（三）1.属于国家秘密", 承办人="李四"),
        row("2025-0001", "2025-01-20", 申请人="王小明", 证件号码="350102199001011234", 联系方式="13812345678",
            申请内容="某某文件", 答复日期="2025-02-10", 办理结果="予以公开", 承办人="张三"),
        row("2025-0002", "2025-03-03", "商业企业", 收费方式="按量", 页数="250", 缴费日期="2025-03-20",
            答复日期="2025-03-25", 办理结果="部分公开"),
        row("2025-0003", "2025-11-20", "法律服务机构", 承办人="李四"),
        row("2025-0004", "2025-12-01", "自然人", 补正告知日期="2025-12-03", 补正收到日期="2025-12-10", 承办人="张三",
            申请人="王小明", 证件号码="350102199001011234"),
        row("2025-0005", "2025-06-02", "科研机构", 征求意见开始="2025-06-10", 征求意见结束="2025-06-20",
            答复日期="2025-07-15", 办理结果="撤回"),
    ]  # fmt: skip


def clean_cases() -> list[list[str]]:
    return [
        ["FY-2025-1", "行政复议", "2025-03-01", "2025-05-01", "维持", "2025-0001"],
        ["SS-2025-1", "未经复议直接起诉", "2025-09-01", "", "", ""],
    ]


def write_ledger(
    path: Path,
    rows: Sequence[Sequence[str]],
    cases: Sequence[Sequence[str]] = (),
    header: Sequence[str] = HEADER,
) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    for r, values in enumerate([list(header), *rows]):
        for c, value in enumerate(values):
            if value != "":
                sheet.write_string(r, c, value)
    if cases:
        sheet2 = book.add_worksheet("复议诉讼")
        for r, values in enumerate([CASE_HEADER, *cases]):
            for c, value in enumerate(values):
                if value != "":
                    sheet2.write_string(r, c, value)
    book.close()
    return path


def xxgk(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)
