"""The layout families real annual reports reach us in, one small function each.

Each takes a report and returns the document as a scraper, a browser or a PDF/Word converter
would hand it over (the dev corpus shows one of each: shared/corpus/dev/docs 000–004, 101–103).
`LAYOUTS` maps the public name (`xxgk render --layout NAME`) to the renderer, its file suffix
and a one-line description. All of them flatten the same official grid (`grid.py`).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import opencc
from lxml import html as lxml_html
from lxml.html import builder as E

from xxgk.model import Report
from xxgk.render import reshaped, short_rows, word_html
from xxgk.render.grid import Block, Cell, TableGrid, blocks, document_lines, title

NBSP = "\u00a0"
Rendered = str | bytes


@dataclass(frozen=True)
class Layout:
    name: str
    render: Callable[[Report], Rendered]
    suffix: str
    description: str
    # in the sample corpora (xxgk samples, the audit's planted errors): the families of issue 10's
    # adversarial round (task 10x) are not, so that those corpora and their figures stay as they
    # were; the round-trip and bulk property tests read every family
    sample: bool = True

    def __call__(self, report: Report) -> Rendered:
        return self.render(report)


# --------------------------------------------------------------------------- site chrome
def _nav(report: Report) -> list[str]:
    agency = report.agency or "本机关"
    return [
        "首页 | 机构概况 | 政务公开 | 政策文件 | 互动交流 | 办事服务",
        f"当前位置：首页 > 政务公开 > 政府信息公开年报 > {agency}",
        f"来源：{agency}  浏览次数：1{(report.year or 0) % 100:02d}7  字号：[ 大 中 小 ]",
    ]


def _footer(report: Report) -> list[str]:
    agency = report.agency or "本机关"
    return [
        "【打印本页】【关闭窗口】",
        "相关链接：中国政府网 | 省政府门户网站 | 市政府门户网站",
        f"主办单位：{agency}  承办单位：{agency}办公室  联系电话：0571-87654321",
        "网站标识码：3301000001  浙ICP备12345678号-1  浙公网安备 33010202000123号",
    ]


# --------------------------------------------------------------------------- text families
def _extra(row: list[Cell]) -> int:
    return sum(c.colspan - 1 for c in row)


def _pipe_rows(grid: TableGrid) -> Iterator[str]:
    """`a | b | c |` per printed row, colspan padding as trailing pipes (dev 000)."""
    for row in grid.rows:
        yield " | ".join(c.text for c in row) + " |" + "|" * _extra(row)


def pipe(report: Report) -> str:
    """Cells separated by `|`, one printed row per line; blank cells stay as empty cells."""
    return "\n".join(document_lines(report, _pipe_rows)) + "\n"


def _tab_rows(grid: TableGrid) -> Iterator[str]:
    """A tab between the cells of a printed row, none for spans (HTMLElement.innerText)."""
    for row in grid.rows:
        yield "\t".join(c.text for c in row)


def tabbed(report: Report) -> str:
    """A browser's innerText of the page: cells separated by tabs, empty cells as two tabs."""
    return "\n".join(document_lines(report, _tab_rows)) + "\n"


def _cell_lines(grid: TableGrid) -> Iterator[str]:
    for row in grid.rows:
        for cell in row:
            yield cell.text or NBSP


def cell_per_line(report: Report) -> str:
    """One cell per line; a blank cell is a line holding a no-break space (dev 003)."""
    return "\n".join(document_lines(report, _cell_lines)) + "\n"


def _cell_pipe_lines(grid: TableGrid) -> Iterator[str]:
    for row in grid.rows:
        for i, cell in enumerate(row):
            yield f"{cell.text} |" + ("|" * _extra(row) if i == len(row) - 1 else "")


def cell_pipe(report: Report) -> str:
    """Each cell on its own line followed by ` |`, colspan pipes after a row's last cell (dev 002)."""
    return "\n".join(document_lines(report, _cell_pipe_lines)) + "\n"


def _nonblank_lines(grid: TableGrid) -> Iterator[str]:
    for row in grid.rows:
        for cell in row:
            if cell.text:
                yield cell.text


def blanks_dropped(report: Report) -> str:
    """One cell per line with an empty line between, blank cells dropped entirely (dev 001)."""
    return "\n\n".join(document_lines(report, _nonblank_lines)) + "\n"


def glued(report: Report) -> str:
    """A crawler's innerText: no separators at all, blank cells vanish, the page on one line (dev 101)."""
    parts: list[str] = []
    nav = _nav(report)
    parts.append(nav[1].replace(" > ", "") + " " + title(report) + " ")
    for block in blocks(report):
        if block.table is not None:
            parts.append(" " + "".join(c.text for row in block.table.rows for c in row) + " ")
        elif block.kind == "meta":
            parts.append(" " + block.text.replace("发布日期：", "时间：") + " ")
        elif block.kind != "title":
            parts.append(block.text)
    parts.append(f" 来源：{report.agency or ''} 附件下载")
    return "".join(parts) + "\n"


def glued_spaced(report: Report) -> str:
    """innerText whose cell padding left a space before some cells only (dev 102, ` 00 00000`).

    Spaces fall only on true cell boundaries, but most boundaries have none, so a reader can
    never trust them as separators. Blank cells vanish, sometimes leaving their space behind.
    """
    parts: list[str] = []
    for block in blocks(report):
        if block.table is None:
            parts.append(block.text if block.kind != "meta" else " " + block.text + " ")
            continue
        parts.append(" ")
        for r, row in enumerate(block.table.rows):
            for c, cell in enumerate(row):
                spaced = cell.role == "value" and zlib.crc32(f"{r}.{c}".encode()) % 3 == 0
                parts.append((" " if spaced else "") + cell.text)
        parts.append(" ")
    return "".join(parts) + "\n"


def _wrap_label(text: str, width: int = 14) -> str:
    return text if len(text) <= width + 4 else text[:width] + "\n" + text[width:]


def _wrapped_rows(grid: TableGrid) -> Iterator[str]:
    """Pipe rows where long labels break inside and push the row's last value to the next line (dev 000)."""
    for row in grid.rows:
        long_label = any(c.role == "label" and len(c.text) > 18 for c in row)
        cells = [_wrap_label(c.text) if c.role != "value" else c.text for c in row]
        if long_label and len(row) > 2 and row[-1].role == "value":
            yield " | ".join(cells[:-1]) + " |"
            yield cells[-1] + " |" + "|" * _extra(row)
        else:
            yield " | ".join(cells) + " |" + "|" * _extra(row)


def wrapped(report: Report) -> str:
    """Pipe text as a narrow viewer wraps it: labels cut in the middle, values spilled to the next line."""
    return "\n".join(document_lines(report, _wrapped_rows)) + "\n"


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(report: Report) -> str:
    """A 繁體 repost: the cell-then-pipe text converted with OpenCC s2t (dev 004)."""
    text: str = _s2t().convert(cell_pipe(report))
    return text


def text_gbk(report: Report) -> bytes:
    """Pipe text saved by a GBK-era system: gb18030 bytes, no declaration."""
    return pipe(report).encode("gb18030", errors="replace")


def chrome(report: Report) -> str:
    """Pipe text with the site around it: navigation, breadcrumbs, article info, footer."""
    return "\n".join([*_nav(report), *document_lines(report, _pipe_rows), *_footer(report)]) + "\n"


# --------------------------------------------------------------------------- PDF → markdown
def _spaced_digits(text: str) -> str:
    """PDF text puts spaces around Latin runs inside CJK text ("2024 年")."""
    out = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        if ch.isdigit() != prev.isdigit() and prev and not (ch in ".,，。" or prev in ".,，。"):
            out.append(" ")
        out.append(ch)
    return "".join(out)


def _hard_wrap(text: str, width: int = 30) -> list[str]:
    """Cut every `width` characters, but never inside a number (PDF lines break between words)."""
    lines: list[str] = []
    while len(text) > width:
        cut = width
        while 0 < cut < len(text) and text[cut - 1].isdigit() and text[cut].isdigit():
            cut -= 1
        cut = cut or width
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*lines, text]


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_sep(n: int) -> str:
    return "|" + "---|" * n


def _pdf_table2(grid: TableGrid) -> Iterator[str]:
    """Multi-value blocks become markdown tables; single-value rows stay `label value` text lines."""
    i = 0
    rows = grid.rows
    while i < len(rows):
        caption = rows[i][0].text
        header = rows[i + 1]
        i += 2
        yield caption
        body = []
        while i < len(rows) and rows[i][0].role == "label":
            body.append(rows[i])
            i += 1
        if len(header) > 2:
            yield _md_row([c.text for c in header])
            yield _md_sep(len(header))
            for row in body:
                yield _md_row([c.text for c in row])
        else:
            yield "".join(c.text for c in header)
            for row in body:
                yield " ".join(c.text for c in row if c.text)


def _pdf_table3(grid: TableGrid) -> Iterator[str]:
    """Header broken into fragments, a wrong header row, labels detached from their values.

    Value rows stay in template order (what a PDF table extractor keeps); some labels ride with
    their values, the others come out as loose text lines one row later, cut in two (dev 103).
    """
    header_cells = [c.text for row in grid.rows[:3] for c in row]
    yield "申请人情况"
    yield from _hard_wrap(header_cells[0], 18)
    yield "".join(t[:3] for t in header_cells[2:])
    data_rows = grid.rows[3:]
    yield _md_row([t[3:] or "" for t in header_cells[5:10]] + [""] * 4)
    yield _md_sep(9)
    pending: list[str] = []
    for n, row in enumerate(data_rows):
        labels = [c.text for c in row if c.role == "label"]
        values = [c.text for c in row if c.role == "value"]
        if n % 3 == 0:
            yield _md_row([labels[-1], *values])
        else:
            yield _md_row(values)
            pending.extend(labels)
        if n % 3 == 2 and pending:
            yield _md_sep(7)
            yield ""
            for label in pending:
                yield from _hard_wrap(label, 11)
            pending = []
    for label in pending:
        yield from _hard_wrap(label, 11)


def _pdf_table4(grid: TableGrid) -> Iterator[str]:
    """Group headers as text, a 10-cell header row over the 15-value data row (dev 103)."""
    yield "".join(c.text for c in grid.rows[0])
    yield "".join(c.text for c in grid.rows[1])
    yield _md_row([c.text for c in grid.rows[2]])
    yield _md_sep(len(grid.rows[2]))
    yield _md_row([c.text for c in grid.rows[3]])


def pdf_markdown(report: Report) -> str:
    """Text converted from PDF to markdown: wrapped paragraphs, spaced digits, broken tables."""
    out: list[str] = ["正文"]
    tables = {"table2": _pdf_table2, "table3": _pdf_table3, "table4": _pdf_table4}
    for block in blocks(report):
        if block.table is not None:
            out.extend(tables[block.table.key](block.table))
        elif block.kind == "title":
            out.extend(_hard_wrap(_spaced_digits(block.text), 20))
        elif block.kind == "para":
            out.extend(_hard_wrap(_spaced_digits(block.text)))
            out.append("")
        else:
            out.append(block.text)
    return "\n".join(out) + "\n"


def _headed_rows(grid: TableGrid) -> Iterator[str]:
    """Each table 2/3 row as a markdown heading repeating its label over a one-row pipe table
    under generic headers (`类别 | 数据1 … | 总计`); table 4 as one 15-value row under a short
    header (a PDF→markdown conversion seen on real reports, issue 10)."""
    if grid.key == "table4":
        yield from (_md_row([c.text for c in grid.rows[0]]), _md_sep(2))
        yield _md_row([c.text for c in grid.rows[3]])
        return
    for row in grid.rows:
        labels = [c.text for c in row if c.role == "label"]
        values = [c.text for c in row if c.role == "value"]
        if not values:
            yield " ".join(c.text for c in row if c.text)
            continue
        if len(labels) > 1:  # a group's label (三、本年度办理结果, （三）不予公开) as its own heading
            yield from (f"## {label}" for label in labels[:-1])
        yield f"### {labels[-1]}"
        heads = ["类别", *(f"数据{i + 1}" for i in range(len(values) - 1)), "总计"]
        yield _md_row(heads[: len(values) + 1])
        yield _md_sep(len(values) + 1)
        yield _md_row([labels[-1], *values])


def md_headings(report: Report) -> str:
    """Markdown with a heading per row repeating its label over a one-row pipe table; table 4 as
    one 15-value row under a 2-cell header."""
    return "\n".join(document_lines(report, _headed_rows)) + "\n"


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _printed_form(cell: Cell, r: int, c: int) -> str:
    """A value cell in one of the number forms real reports print (issue 10): an amount in 元 with
    its unit (`251000元`) or with `万元`, thousands separators (`1,234`), full-width digits."""
    text = cell.text
    if cell.role != "value" or not text:
        return text
    pick = zlib.crc32(f"{r}.{c}.{text}".encode()) % 4
    if cell.key is not None and cell.key.endswith(".amount_wan"):
        yuan = Decimal(text) * 10000
        if pick % 2 == 0 and yuan == yuan.to_integral_value():
            return f"{yuan.quantize(Decimal(1))}元"
        return f"{text}万元"
    if pick == 1 and text.lstrip("-").isdigit() and abs(int(text)) >= 1000:
        return f"{int(text):,}"
    if pick == 2:
        return text.translate(_FULL_WIDTH)
    return text


def _unit_rows(grid: TableGrid) -> Iterator[str]:
    for r, row in enumerate(grid.rows):
        yield " | ".join(_printed_form(cell, r, c) for c, cell in enumerate(row)) + " |" + "|" * _extra(row)


def number_forms(report: Report) -> str:
    """Pipe text whose cells print units and number forms: `251000元` in a 万元 cell, `12.5万元`,
    `1,234`, full-width digits."""
    return "\n".join(document_lines(report, _unit_rows)) + "\n"


def _whole_other_row(grid: TableGrid) -> TableGrid:
    """Table 3 with the 2021 template's three （六）其他处理 sub-rows printed as the 2019 template's
    single row (their column sums): a report mixing the templates (issue 10)."""
    if grid.key != "table3":
        return grid
    parts = [r for r in grid.rows if any(c.key and c.key.startswith("table3.other_") for c in r)]
    if len(parts) != 3:
        return grid
    sums = []
    for cells in zip(*([c for c in r if c.role == "value"] for r in parts), strict=True):
        values = [Decimal(c.text) if c.text else None for c in cells]
        sums.append("" if all(v is None for v in values) else str(sum(v or 0 for v in values)))
    whole = [Cell("（六）其他处理", "label", colspan=2), *(Cell(t, "value") for t in sums)]
    at = grid.rows.index(parts[0])
    rows = [r for r in grid.rows if r not in parts]
    rows.insert(at, whole)
    return TableGrid(grid.key, grid.width, rows)


def mixed_rows(report: Report) -> str:
    """Pipe text of a 2021 table 3 that prints the 2019 template's single （六）其他处理 row."""
    return "\n".join(document_lines(report, lambda grid: _pipe_rows(_whole_other_row(grid)))) + "\n"


# --------------------------------------------------------------------------- HTML
def _html_table(grid: TableGrid, blank: str, word: bool = False) -> lxml_html.HtmlElement:
    trs = []
    for row in grid.rows:
        tds = []
        for cell in row:
            attrs = {}
            if cell.rowspan > 1:
                attrs["rowspan"] = str(cell.rowspan)
            if cell.colspan > 1:
                attrs["colspan"] = str(cell.colspan)
            text = _xml_safe(cell.text) or blank
            if word:  # Word's "save as web page": every cell is <p class=MsoNormal><span>…</span></p>
                attrs["valign"] = "middle"
                tds.append(
                    E.TD(
                        attrs, E.P({"class": "MsoNormal", "align": "center"}, E.SPAN({"lang": "EN-US"}, text))
                    )
                )
            else:
                tds.append(E.TD(attrs, text))
        trs.append(E.TR(*tds))
    return E.TABLE({"border": "1", "cellspacing": "0", "class": "MsoTableGrid"}, E.TBODY(*trs))


def _html_body(report: Report, blank: str) -> list[lxml_html.HtmlElement]:
    out = []
    for block in blocks(report):
        out.append(_html_block(block, blank, word=bool(blank)))
    return out


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(text: str) -> str:
    """Drop characters XML cannot hold (control codes, lone surrogates) from user-supplied text."""
    return _NOT_XML.sub("", text)


def _html_block(block: Block, blank: str, word: bool = False) -> lxml_html.HtmlElement:
    block = Block(block.kind, _xml_safe(block.text), block.table)
    if block.table is not None:
        return _html_table(block.table, blank, word)
    if block.kind == "title":
        return E.H1(block.text)
    if block.kind == "heading":
        return E.H2(block.text)
    if block.kind == "meta":
        return E.P({"class": "info"}, block.text)
    return E.P(block.text)


def _html(report: Report, charset: str = "utf-8", with_chrome: bool = False) -> str:
    blank = NBSP if with_chrome else ""
    article = E.DIV({"class": "article"}, *_html_body(report, blank))
    body: list[lxml_html.HtmlElement] = [article]
    if with_chrome:
        nav, crumbs, info = (_xml_safe(x) for x in _nav(report))
        links = E.UL({"class": "nav"}, *[E.LI(E.A({"href": "#"}, item.strip())) for item in nav.split("|")])
        footer_rows = [E.TR(E.TD(_xml_safe(line))) for line in _footer(report)]
        body = [
            links,
            E.DIV({"class": "crumbs"}, crumbs),
            E.DIV({"class": "info"}, info),
            article,
            E.DIV({"class": "footer"}, E.TABLE({"class": "foot"}, E.TBODY(*footer_rows))),
        ]
    doc = E.HTML(
        E.HEAD(E.META({"charset": charset}), E.TITLE(_xml_safe(title(report)))),
        E.BODY(*body),
    )
    text: str = lxml_html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
    return text + "\n"


def html(report: Report) -> str:
    """The official layout as a web page: <table> with rowspan/colspan, UTF-8."""
    return _html(report)


def html_gbk(report: Report) -> bytes:
    """The same page served as GBK: `<meta charset="gbk">`, gb18030 bytes."""
    return _html(report, charset="gbk").encode("gb18030", errors="replace")


def html_chrome(report: Report) -> str:
    """The page inside a site template (nav list, breadcrumbs, footer table), tables as Word exports
    them: cell text inside <p class=MsoNormal><span>, &nbsp; in blank cells."""
    return _html(report, with_chrome=True)


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("html", html, ".html", "HTML <table> with rowspan/colspan (official layout), UTF-8"),
        Layout("html-gbk", html_gbk, ".html", "the HTML page in GB18030 bytes with <meta charset=gbk>"),
        Layout("html-chrome", html_chrome, ".html", "the HTML page inside site navigation and footer"),
        Layout("pipe", pipe, ".txt", "pipe text: cells separated by |, a row per line"),
        Layout("tabbed", tabbed, ".txt", "browser innerText or a copied table: cells separated by tabs"),
        Layout("cell-per-line", cell_per_line, ".txt", "one cell per line, blank cells as no-break spaces"),
        Layout("cell-pipe", cell_pipe, ".txt", "one cell per line followed by ' |'"),
        Layout("blanks-dropped", blanks_dropped, ".txt", "one cell per line, blank cells dropped"),
        Layout("glued", glued, ".txt", "crawler innerText: cells glued, no separators, blanks gone"),
        Layout("glued-spaced", glued_spaced, ".txt", "innerText with stray spaces before some cells only"),
        Layout("pdf-markdown", pdf_markdown, ".md", "PDF→markdown: labels detached, wrong header rows"),
        Layout("wrapped", wrapped, ".txt", "pipe text with long labels and rows wrapped across lines"),
        Layout("traditional", traditional, ".txt", "traditional characters (OpenCC s2t), cell-then-pipe"),
        Layout("text-gbk", text_gbk, ".txt", "pipe text in GB18030 bytes"),
        Layout("md-headings", md_headings, ".md", "markdown: a heading per row over a one-row pipe table"),
        Layout(
            "number-forms", number_forms, ".txt", "pipe text with 元/万元 units, 1,234 and full-width digits"
        ),
        Layout(
            "mixed-rows", mixed_rows, ".txt", "pipe text: a 2021 table 3 printing 2019's single 其他处理 row"
        ),
        Layout("chrome", chrome, ".txt", "pipe text with site navigation, breadcrumbs and footer"),
        # issue 10 (task 10x): shapes real sites publish, in reshaped.py and word_html.py
        Layout(
            "html-word",
            word_html.html_word,
            ".html",
            "Word 'save as web page': MSO markup, runs, <o:p>",
            sample=False,
        ),
        Layout(
            "html-split-header",
            word_html.html_split_header,
            ".html",
            "HTML: tables 3–4 with a header table apart",
            sample=False,
        ),
        Layout(
            "html-images",
            word_html.html_images,
            ".html",
            "HTML whose table 3 is a picture (<img>)",
            sample=False,
        ),
        Layout(
            "split-columns",
            reshaped.split_columns,
            ".txt",
            "pipe text: table 3 as two tables, cols 1–4, 5–7",
            sample=False,
        ),
        Layout(
            "extra-columns",
            reshaped.extra_columns,
            ".txt",
            "pipe text with 序号 and 备注 columns",
            sample=False,
        ),
        Layout(
            "zero-glyphs",
            reshaped.zero_glyphs,
            ".txt",
            "pipe text: zeros as 〇/零/0件, counts with 件, blanks —",
            sample=False,
        ),
        Layout(
            "reordered-columns",
            reshaped.reordered_columns,
            ".txt",
            "pipe text: table 2's columns in another order",
            sample=False,
        ),
        Layout(
            "label-value",
            reshaped.label_value,
            ".txt",
            "every cell as a 'column：value' line under its label",
            sample=False,
        ),
        Layout(
            "cell-lines-wrapped",
            reshaped.cell_lines_wrapped,
            ".txt",
            "one cell per line, long labels broken",
            sample=False,
        ),
        # issue 10 (task 10s): rows printing fewer cells than the table has columns, short_rows.py
        Layout(
            "trailing-dropped",
            short_rows.trailing_dropped,
            ".txt",
            "pipe text: a row's trailing empty cells not printed",
            sample=False,
        ),
        Layout(
            "cells-vanish",
            short_rows.cells_vanish,
            ".txt",
            "a copied web table: tab-separated, empty cells vanished",
            sample=False,
        ),
        Layout(
            "colspan-blanks",
            short_rows.colspan_blanks,
            ".txt",
            "pipe text: a run of blank cells as one empty cell",
            sample=False,
        ),
        Layout(
            "html-colspan-blanks",
            short_rows.html_colspan_blanks,
            ".html",
            "HTML: a run of blank cells as one <td colspan>",
            sample=False,
        ),
        Layout(
            "ocr-gaps",
            short_rows.ocr_gaps,
            ".txt",
            "OCR-like text: cells apart by spaces, blanks as wider gaps",
            sample=False,
        ),
    )
}
# the families of the sample corpora (Layout.sample)
SAMPLE_LAYOUTS = tuple(name for name, layout in LAYOUTS.items() if layout.sample)
