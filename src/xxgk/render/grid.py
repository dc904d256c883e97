"""A report laid out as the official template prints it: title, sections, and the three tables as
grids of cells with rowspan/colspan (shared/spec/annual-report.md A.3–A.5).

Every layout family in `layouts.py` serialises this one structure differently, so all of them
agree on labels, order and values; only the way a browser, crawler or PDF converter would
flatten it differs.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.templates import Column, Row, Table, Template, get_template, template_for_year

CellRole = Literal["caption", "header", "label", "value"]


@dataclass(frozen=True)
class Cell:
    text: str
    role: CellRole = "label"
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # "table.row.column" for value cells


@dataclass
class TableGrid:
    """One table: `rows` lists, per printed row, the cells that START in it (as in HTML <tr>)."""

    key: str
    width: int
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass(frozen=True)
class Block:
    """A piece of the document in reading order."""

    kind: Literal["title", "meta", "heading", "para", "table"]
    text: str = ""
    table: TableGrid | None = None


class RenderError(XxgkError, ValueError):
    """A report that cannot be laid out (e.g. no template and no year); str() is the reason."""


def report_template(report: Report) -> Template:
    """The template the report's tables are printed in: its own, else the one for its year."""
    if report.template:
        return get_template(report.template)
    template = template_for_year(report.year) if report.year else None
    if template is None:
        raise RenderError(
            "the report names no template and no year from 2019 on, so its tables have no layout"
        )
    return template


def format_value(value: int | Decimal | None, column: Column) -> str:
    """A cell as printed: blank for null, plain digits, decimals as written, sign only when negative."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def column_label(column: Column, style: int = 0) -> str:
    """Header text; an amount column whose label omits its unit gets it appended (2019 采购总金额)."""
    if column.kind == "amount" and column.unit and column.unit not in column.label:
        return f"{column.label}（{column.unit}）"
    if style & SHORT_FEE_HEADER and column.label == "本年收费金额（单位：万元）":
        return "本年收费金额（万元）"
    return column.label


# Spellings real reports use for the same label (annual-report.md A.4 "Punctuation variants";
# A.3 行政规范性文件/规范性文件). Each report gets a fixed mix, picked from its agency and year,
# so a corpus exercises all of them while one document stays self-consistent.
HALF_WIDTH_NUMBERS = 1  # （一） → (一)
COMMA_CLAUSE = 2  # 逾期不补正、行政机关 → 逾期不补正，行政机关
PLAIN_QUOTES = 4  # “三安全一稳定” → "三安全一稳定"
SHORT_NORMATIVE = 8  # 行政规范性文件 → 规范性文件 (2021 table 2)
SHORT_FEE_HEADER = 16  # 本年收费金额（单位：万元） → 本年收费金额（万元）


def spelling(report: Report) -> int:
    """The report's label spelling bits: stable for one agency/year, spread across a corpus."""
    return zlib.crc32(f"{report.agency}|{report.year}".encode()) & 31


def row_label(row: Row, style: int, *, numbered: bool = True) -> str:
    """A row label as this report spells it."""
    text = row.printed if numbered else row.label
    if style & HALF_WIDTH_NUMBERS:
        text = text.replace("（", "(").replace("）", ")")
    if style & COMMA_CLAUSE:
        text = text.replace("、行政机关", "，行政机关")
    if style & PLAIN_QUOTES:
        text = text.replace("“", '"').replace("”", '"')
    if style & SHORT_NORMATIVE and text == "行政规范性文件":
        text = "规范性文件"
    return text


def _values(report: Report, table: str, row: Row) -> list[Cell]:
    cells = []
    for col in row.columns:
        key = f"{table}.{row.key}.{col.key}"
        cells.append(Cell(format_value(report.value(key), col), "value", key=key))
    return cells


def table2_grid(report: Report, template: Template) -> TableGrid:
    """Table 2: a caption row per 条例 item block, its header row, then the rows (A.3); width 4."""
    grid = TableGrid("table2", 4)
    style = spelling(report)
    caption: str | None = None
    for row in template.table2.rows:
        if row.caption != caption:
            caption = row.caption
            grid.rows.append([Cell(caption or "", "caption", colspan=4)])
            header = [Cell("信息内容", "header")]
            header += [Cell(column_label(c, style), "header") for c in row.columns]
            grid.rows.append(_stretch(header, 4))
        label = row_label(row, style, numbered=False)
        grid.rows.append(_stretch([Cell(label, "label"), *_values(report, "table2", row)], 4))
    return grid


def _stretch(cells: list[Cell], width: int) -> list[Cell]:
    """Widen the last cell so the row fills `width` columns (single-value blocks span 3, A.3)."""
    used = sum(c.colspan for c in cells)
    if used >= width:
        return cells
    last = cells[-1]
    return [*cells[:-1], Cell(last.text, last.role, last.rowspan, last.colspan + width - used, last.key)]


def table3_grid(report: Report, template: Template) -> TableGrid:
    """Table 3 with the official 3-row header block and the 三/(三)–(六) row spans (A.4); width 10."""
    table = template.table3
    cols = table.columns
    grid = TableGrid("table3", 10)
    style = spelling(report)
    grid.rows.append(
        [Cell(table.note or "", "header", rowspan=3, colspan=3), Cell("申请人情况", "header", colspan=7)]
    )
    grid.rows.append(
        [
            Cell(cols[0].label, "header", rowspan=2),
            Cell("法人或其他组织", "header", colspan=5),
            Cell(cols[-1].label, "header", rowspan=2),
        ]
    )
    grid.rows.append([Cell(c.label, "header") for c in cols[1:-1]])
    in_results = [r for r in table.rows if r.role in ("disposal", "disposal_total")]
    group_sizes = _group_sizes(table)
    seen_groups: set[str] = set()
    for row in table.rows:
        cells: list[Cell] = []
        if row.role in ("intake", "carry_forward"):
            cells.append(Cell(row_label(row, style), "label", colspan=3))
        else:
            if row is in_results[0]:
                cells.append(Cell("三、本年度办理结果", "label", rowspan=len(in_results)))
            if row.group:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    number, label = next((n, lab) for k, n, lab in table.groups if k == row.group)
                    if style & HALF_WIDTH_NUMBERS:
                        number = number.replace("（", "(").replace("）", ")")
                    cells.append(Cell(f"{number}{label}", "label", rowspan=group_sizes[row.group]))
                cells.append(Cell(row_label(row, style), "label"))
            else:
                cells.append(Cell(row_label(row, style), "label", colspan=2))
        grid.rows.append(cells + _values(report, "table3", row))
    return grid


def _group_sizes(table: Table) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for row in table.rows:
        if row.group:
            sizes[row.group] = sizes.get(row.group, 0) + 1
    return sizes


def table4_grid(report: Report, template: Template) -> TableGrid:
    """Table 4: 行政复议 (5) | 行政诉讼 (10 = 直接起诉 5 + 复议后起诉 5), one data row (A.5); width 15."""
    rows = template.table4.rows
    cols = template.table4.columns
    grid = TableGrid("table4", 15)
    grid.rows.append(
        [Cell(rows[0].label, "header", colspan=5), Cell(rows[1].parent or "行政诉讼", "header", colspan=10)]
    )
    second = [Cell(c.label, "header", rowspan=2) for c in cols]
    second += [Cell(r.label, "header", colspan=5) for r in rows[1:]]
    grid.rows.append(second)
    grid.rows.append([Cell(c.label, "header") for _ in rows[1:] for c in cols])
    grid.rows.append([v for r in rows for v in _values(report, "table4", r)])
    return grid


def title(report: Report) -> str:
    return f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告"


def blocks(report: Report) -> list[Block]:
    """The document in reading order: title, date line, preamble, six sections with tables 2–4."""
    template = report_template(report)
    out = [Block("title", title(report))]
    if report.published:
        out.append(Block("meta", f"发布日期：{report.published.isoformat()}"))
    if report.year:
        out.append(
            Block(
                "para",
                "根据《中华人民共和国政府信息公开条例》要求，编制本报告。"
                f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。",
            )
        )
    sections = {s.number: s for s in report.sections}
    tables = {2: table2_grid, 3: table3_grid, 4: table4_grid}
    for spec in template.sections:
        section = sections.get(spec.number)
        if section is None and report.sections:
            continue  # a report that lacks a section is printed without it
        heading = section.heading if section else spec.heading
        text = section.text if section else "本部分内容从略。"
        out.append(Block("heading", heading))
        out.extend(Block("para", p) for p in text.split("\n") if p.strip())
        if spec.number in tables:
            out.append(Block("table", table=tables[spec.number](report, template)))
    return out


def document_lines(report: Report, table_lines: Callable[[TableGrid], Iterator[str]]) -> list[str]:
    """Given a report and how a family prints a table, return the document's lines in order."""
    out: list[str] = []
    for block in blocks(report):
        if block.table is not None:
            out.extend(table_lines(block.table))
        else:
            out.append(block.text)
    return out
