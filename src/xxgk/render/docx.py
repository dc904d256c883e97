"""Render a report as a Word document in the official layout (python-docx).

The layout follows the template skeleton in shared/spec/annual-report.md: the title, the six
sections (A.2), and tables 2–4 with the template's merged header cells:

- table 2 (A.3): a stack of captioned blocks (第二十条第（一）项 …), each with a 信息内容 header row;
  a block with one value column spans the three value columns (colspan 3);
- table 3 (A.4): three header rows under the top-left 勾稽关系 note cell, 申请人情况 over the seven
  applicant columns, 自然人 / 总计 spanning two header rows, 法人或其他组织 over five; the
  三、本年度办理结果 cell spans its disposal rows (22 in 2021, 20 in 2019) and the group cells
  （三）（四）（五）（六） span their numbered sub-rows;
- table 4 (A.5): 行政复议 over five result columns, 行政诉讼 over 未经复议直接起诉 / 复议后起诉.

Blank (null) cells are rendered empty, never as 0. CJK text gets its font through ``w:eastAsia``
on ``w:rFonts`` (Word ignores ``w:ascii`` for Han characters).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell

from xxgk.model import Report, Value
from xxgk.render import grid
from xxgk.templates import Row, Template, get_template, template_for_year

LATIN_FONT = "Times New Roman"


@dataclass(frozen=True)
class PageSize:
    width_mm: float
    height_mm: float
    margin_mm: float
    body_pt: float  # body text size
    table_pt: float  # table text size


PAGES: dict[str, PageSize] = {
    "A4": PageSize(210, 297, 25, 12, 9),
    "A5": PageSize(148, 210, 14, 10.5, 7),
    "LETTER": PageSize(215.9, 279.4, 25, 12, 9),
}


# One error type for every renderer, so `xxgk render` catches them all (issue 11: a report with no
# template printed a traceback under --to docx because this module had a class of its own).
RenderError = grid.RenderError


def render_docx(
    report: Report,
    *,
    font: str = "宋体",
    page: str = "A4",
    borders: bool = True,
    repeat_header: bool = True,
    title_font: str | None = None,
    narrow_labels: bool = False,
) -> bytes:
    """The report as .docx bytes in the official layout.

    ``font`` is the East Asian font (e.g. 宋体, 仿宋_GB2312, "Noto Serif CJK SC"); Latin digits use
    Times New Roman. ``page`` is A4, A5 or Letter. ``borders=False`` draws the tables without
    rules (as some agencies publish them). ``repeat_header`` marks the header rows of tables 3
    and 4 to repeat on each page the table continues on. ``narrow_labels`` draws table 3's label
    columns narrow, so the sub-row labels of （六）其他处理 wrap over three or four lines (issue 10:
    PDFs printed so lost the value row of 3.其他).
    """
    size = PAGES.get(page.upper())
    if size is None:
        raise RenderError(f"unknown page size {page!r}; known: A4, A5, Letter")
    template = _template_of(report)
    doc = new_document()
    _setup_page(doc, size)
    _setup_fonts(doc, font, size.body_pt)
    writer = _Writer(doc, size, borders, repeat_header, title_font or font, narrow_labels)
    writer.title(report)
    sections = {s.number: s for s in report.sections}
    for spec in template.sections:
        given = sections.get(spec.number)
        writer.heading(given.heading if given else spec.heading)
        if given and given.text:
            writer.body(given.text)
        if spec.number == 2:
            writer.table2(template, report)
        elif spec.number == 3:
            writer.table3(template, report)
        elif spec.number == 4:
            writer.table4(template, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _template_of(report: Report) -> Template:
    if report.template:
        return get_template(report.template)
    by_year = template_for_year(report.year) if report.year else None
    if by_year is None:
        raise RenderError("the report names no template and its year has none (before 2019)")
    return by_year


def _setup_page(doc: object, size: PageSize) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(size.width_mm)
    section.page_height = Mm(size.height_mm)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(size.margin_mm))


def _set_run_fonts(rpr: object, east_asian: str) -> None:
    """ascii/hAnsi Latin, eastAsia CJK; the eastAsia hint makes Word pick the CJK font for 、。 too."""
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # type: ignore[attr-defined]
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT)):
        rfonts.set(qn(attr), value)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")


def _setup_fonts(doc: object, font: str, body_pt: float) -> None:
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.size = Pt(body_pt)
    _set_run_fonts(normal.element.get_or_add_rPr(), font)
    # The docDefaults fonts too, so table styles that reset the run properties keep the CJK font.
    defaults = doc.styles.element.find(qn("w:docDefaults"))  # type: ignore[attr-defined]
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts = rpr.find(qn("w:rFonts"))
                if rfonts is not None and rfonts.get(qn(theme)) is not None:
                    del rfonts.attrib[qn(theme)]
            _set_run_fonts(rpr, font)


def format_value(value: Value) -> str:
    """A cell as printed: integers plainly, decimals without exponent; null → empty cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


class _Writer:
    """Appends paragraphs and tables to one document; keeps the sizing decisions in one place."""

    def __init__(
        self,
        doc: object,
        size: PageSize,
        borders: bool,
        repeat_header: bool,
        title_font: str,
        narrow_labels: bool = False,
    ):
        self.doc = doc
        self.size = size
        self.borders = borders
        self.repeat_header = repeat_header
        self.title_font = title_font
        self.narrow_labels = narrow_labels
        self.text_width = size.width_mm - 2 * size.margin_mm
        self._grid: dict[int, tuple[DocxTable, list[_Cell]]] = {}

    def _cells(self, table: DocxTable) -> list[_Cell]:
        """The table's grid cells, row by row, kept until the next merge.

        python-docx's ``Table.cell`` walks every ``<w:tc>`` of the table on each call, which made
        a report cost seconds to render; the walk is done once per merge instead.
        """
        known = self._grid.get(id(table))
        if known is None or known[0] is not table:
            known = (table, table._cells)
            self._grid[id(table)] = known
        return known[1]

    # ---------------------------------------------------------------- paragraphs
    def title(self, report: Report) -> None:
        agency = report.agency or ""
        year = f"{report.year}年" if report.year else ""
        para = self.doc.add_paragraph()  # type: ignore[attr-defined]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(f"{agency}{year}政府信息公开工作年度报告")
        run.bold = True
        run.font.size = Pt(self.size.body_pt + 6)
        _set_run_fonts(run._r.get_or_add_rPr(), self.title_font)
        if report.published:
            date = report.published
            line = self.doc.add_paragraph(f"发布日期：{date.year}年{date.month}月{date.day}日")  # type: ignore[attr-defined]
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(self, text: str) -> None:
        para = self.doc.add_paragraph()  # type: ignore[attr-defined]
        para.paragraph_format.space_before = Pt(6)
        para.paragraph_format.keep_with_next = True
        para.add_run(text).bold = True

    def body(self, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                para = self.doc.add_paragraph(line.strip())  # type: ignore[attr-defined]
                para.paragraph_format.first_line_indent = Pt(self.size.body_pt * 2)

    # ---------------------------------------------------------------- tables
    def _table(self, n_rows: int, widths: Sequence[float], header_rows: int) -> DocxTable:
        table: DocxTable = self.doc.add_table(rows=n_rows, cols=len(widths))  # type: ignore[attr-defined]
        if self.borders:
            table.style = self.doc.styles["Table Grid"]  # type: ignore[attr-defined]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        scale = self.text_width / sum(widths)
        for i, width in enumerate(widths):
            table.columns[i].width = Mm(width * scale)
        # No cell is merged yet, so the grid is one <w:tc> per row and column.
        for r, cell in enumerate(table._cells):
            cell.width = Mm(widths[r % len(widths)] * scale)
        for r, row in enumerate(table.rows):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            if r < header_rows and self.repeat_header:
                trpr.append(OxmlElement("w:tblHeader"))
        return table

    def _put(
        self,
        table: DocxTable,
        r0: int,
        c0: int,
        text: str,
        *,
        rows: int = 1,
        cols: int = 1,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
        bold: bool = False,
    ) -> None:
        cells = self._cells(table)
        width = len(table.columns)
        cell: _Cell = cells[r0 * width + c0]
        if rows > 1 or cols > 1:
            cell = cell.merge(cells[(r0 + rows - 1) * width + c0 + cols - 1])
            self._grid.pop(id(table), None)  # a merge changes which <w:tc> covers which grid cell
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para.alignment = align
        para.paragraph_format.space_after = Pt(0)
        if text:
            run = para.add_run(text)
            run.font.size = Pt(self.size.table_pt)
            run.bold = bold

    def _values(
        self, table: DocxTable, r: int, c0: int, values: Sequence[Value], spans: Sequence[int]
    ) -> None:
        col = c0
        for value, span in zip(values, spans, strict=True):
            self._put(table, r, col, format_value(value), cols=span)
            col += span

    def table2(self, template: Template, report: Report) -> None:
        """Stacked captioned blocks (A.3); single-value blocks span the three value columns."""
        blocks: list[tuple[str, list[Row]]] = []
        for row in template.table2.rows:
            caption = row.caption or ""
            if blocks and blocks[-1][0] == caption:
                blocks[-1][1].append(row)
            else:
                blocks.append((caption, [row]))
        n_rows = sum(2 + len(rows) for _, rows in blocks)
        table = self._table(n_rows, [34, 22, 22, 22], header_rows=0)
        r = 0
        for caption, rows in blocks:
            self._put(table, r, 0, caption, cols=4, bold=True)
            columns = rows[0].columns
            spans = _spread(len(columns), 3)
            self._put(table, r + 1, 0, "信息内容", bold=True)
            col = 1
            for column, span in zip(columns, spans, strict=True):
                self._put(table, r + 1, col, column.label, cols=span, bold=True)
                col += span
            for i, row in enumerate(rows):
                self._put(table, r + 2 + i, 0, row.label)
                data = report.table2.get(row.key, {})
                self._values(table, r + 2 + i, 1, [data.get(c.key) for c in columns], spans)
            r += 2 + len(rows)

    def table3(self, template: Template, report: Report) -> None:
        """Three header rows, the 勾稽 note cell, and the spanned 三、本年度办理结果 block (A.4)."""
        t3 = template.table3
        columns = t3.columns
        widths = ([5, 6, 9] if self.narrow_labels else [7, 9, 30]) + [8] * len(columns)
        table = self._table(3 + len(t3.rows), widths, header_rows=3)
        self._put(table, 0, 0, t3.note or "", rows=3, cols=3)
        self._put(table, 0, 3, "申请人情况", cols=len(columns), bold=True)
        legal = [i for i, c in enumerate(columns) if c.parent]
        for i, column in enumerate(columns):
            if column.parent:
                self._put(table, 2, 3 + i, column.label)
            else:
                self._put(table, 1, 3 + i, column.label, rows=2)
        if legal:
            self._put(table, 1, 3 + legal[0], columns[legal[0]].parent or "", cols=len(legal))
        disposals = [row for row in t3.rows if row.role in ("disposal", "disposal_total")]
        groups = {key: (number, label) for key, number, label in t3.groups}
        r = 3
        for row in t3.rows:
            if row is disposals[0]:
                self._put(table, r, 0, "三、本年度办理结果", rows=len(disposals))
            if row.role in ("disposal", "disposal_total"):
                if row.group is None:
                    self._put(table, r, 1, row.printed, cols=2, align=WD_ALIGN_PARAGRAPH.LEFT)
                else:
                    members = [d for d in disposals if d.group == row.group]
                    if row is members[0]:
                        number, label = groups[row.group]
                        self._put(table, r, 1, f"{number}{label}", rows=len(members))
                    self._put(table, r, 2, row.printed, align=WD_ALIGN_PARAGRAPH.LEFT)
            else:
                self._put(table, r, 0, row.printed, cols=3, align=WD_ALIGN_PARAGRAPH.LEFT)
            data = report.table3.get(row.key, {})
            self._values(table, r, 3, [data.get(c.key) for c in columns], [1] * len(columns))
            r += 1

    def table4(self, template: Template, report: Report) -> None:
        """Two-level header: 行政复议 | 行政诉讼 → 未经复议直接起诉 / 复议后起诉 (A.5)."""
        t4 = template.table4
        columns = t4.columns
        n = len(columns)
        table = self._table(4, [1] * (n * len(t4.rows)), header_rows=3)
        col = 0
        parents_done: set[str] = set()
        for row in t4.rows:
            if row.parent is None:
                self._put(table, 0, col, row.label, cols=n, bold=True)
                for i, column in enumerate(columns):
                    self._put(table, 1, col + i, column.label, rows=2)
            else:
                if row.parent not in parents_done:
                    siblings = [r for r in t4.rows if r.parent == row.parent]
                    self._put(table, 0, col, row.parent, cols=n * len(siblings), bold=True)
                    parents_done.add(row.parent)
                self._put(table, 1, col, row.label, cols=n)
                for i, column in enumerate(columns):
                    self._put(table, 2, col + i, column.label)
            data = report.table4.get(row.key, {})
            self._values(table, 3, col, [data.get(c.key) for c in columns], [1] * n)
            col += n


def _spread(n_values: int, n_cols: int) -> list[int]:
    """Column spans for a block with fewer value columns than the grid: the last one takes the rest."""
    if n_values >= n_cols:
        return [1] * n_values
    return [1] * (n_values - 1) + [n_cols - n_values + 1]
