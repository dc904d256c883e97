"""HTML layout families real sites publish that the clean `<table>` of `layouts.html` does not
show (issue 10, task 10x):

- ``html_word``: Word's "save as web page" (filtered or not): unquoted attributes, MSO styles,
  every cell a `<p class=MsoNormal>` of `<span>` runs — a label or a number may be cut over
  several runs — `<o:p>&nbsp;</o:p>` in blank cells, `<![if !supportMisalignedColumns]>` and
  Word's trailing row of zero-height empty cells under each table, document properties with
  numbers in the head;
- ``html_split_header``: tables 3 and 4 with their header block printed as a table of its own
  above the table of value rows (a CMS that pages long tables, or two tables pasted one under
  the other);
- ``html_images``: table 3 published as a picture (`<img>`), tables 2 and 4 as tables — its
  cells cannot be read from the page, and must never come back blank.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from xxgk.model import Report
from xxgk.render.grid import Block, Cell, TableGrid, blocks, title

_CELL_STYLE = (
    "width:{w}pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;"
    "padding:0cm 5.4pt 0cm 5.4pt"
)


def _runs(text: str) -> str:
    """Text as Word's runs: a numbered label's number in a run of its own, long text cut after
    its sixth character (a change of font or language), numbers of 3+ digits cut in two."""
    if not text:
        return "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    parts: list[str]
    if text[0] in "（(" and "）" in text[:5]:
        cut = text.index("）") + 1
        parts = [text[:cut], text[cut:]]
    elif text.isdigit() and len(text) >= 3:
        parts = [text[:1], text[1:]]
    elif len(text) > 8:
        parts = [text[:6], text[6:]]
    else:
        parts = [text]
    spans = [
        f"<span lang={'EN-US' if p[:1].isdigit() else 'ZH-CN'} "
        f"style='font-size:10.5pt;font-family:仿宋_GB2312'>{escape(p)}</span>"
        for p in parts
        if p
    ]
    return "".join(spans) + "<span lang=EN-US><o:p></o:p></span>"


def _td(cell: Cell) -> str:
    attrs = f"width={48 * cell.colspan}"
    if cell.colspan > 1:
        attrs += f" colspan={cell.colspan}"
    if cell.rowspan > 1:
        attrs += f" rowspan={cell.rowspan}"
    style = _CELL_STYLE.format(w=36 * cell.colspan)
    return (
        f"<td {attrs} valign=middle style='{style}'>"
        f"<p class=MsoNormal align=center style='text-align:center'>{_runs(cell.text)}</p></td>"
    )


def _word_table(rows: list[list[Cell]], width: int) -> str:
    out = [
        "<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
        "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
        "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"
    ]
    for i, row in enumerate(rows):
        first = ";mso-yfti-firstrow:yes" if i == 0 else ""
        out.append(
            f"<tr style='mso-yfti-irow:{i}{first};height:20.0pt'>" + "".join(_td(c) for c in row) + "</tr>"
        )
    # Word's row that fixes the column widths: zero height, one empty borderless cell per column
    out.append("<![if !supportMisalignedColumns]><tr height=0>")
    out.append("".join("<td width=48 style='border:none'></td>" for _ in range(width)))
    out.append("</tr><![endif]></table></div>")
    return "\n".join(out)


def _word_block(block: Block) -> str:
    if block.table is not None:
        return _word_table(block.table.rows, block.table.width)
    text = escape(block.text)
    if block.kind == "title":
        return (
            "<p class=MsoNormal align=center style='text-align:center'><b><span "
            f"style='font-size:22.0pt;font-family:方正小标宋简体'>{text}<o:p></o:p></span></b></p>"
        )
    if block.kind == "heading":
        return (
            "<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;"
            f"font-family:黑体'>{text}<o:p></o:p></span></b></p>"
        )
    return (
        "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span "
        f"style='font-size:16.0pt;font-family:仿宋_GB2312'>{text}<o:p></o:p></span></p>"
    )


def html_word(report: Report) -> str:
    """The report as Word saves it as a web page (MSO markup, runs, `<o:p>`, width rows)."""
    head = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n'
        '<head>\n<meta http-equiv=Content-Type content="text/html; charset=utf-8">\n'
        '<meta name=Generator content="Microsoft Word 15 (filtered)">\n'
        f"<title>{escape(title(report))}</title>\n"
        "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>admin</o:Author>"
        "<o:Pages>3</o:Pages><o:Words>2024</o:Words><o:Characters>11541</o:Characters>"
        "<o:Version>16.00</o:Version></o:DocumentProperties></xml><![endif]-->\n"
        "<style>\n<!--\n p.MsoNormal {margin:0cm;text-align:justify;font-size:10.5pt;}\n"
        "@page WordSection1 {size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}\n-->\n</style>\n"
        "</head>\n<body lang=ZH-CN style='text-justify-trim:punctuation'>\n<div class=WordSection1>\n"
    )
    body = "\n".join(_word_block(b) for b in blocks(report))
    return head + body + "\n</div>\n</body>\n</html>\n"


# --------------------------------------------------------------------------- header apart
def _plain_table(rows: list[list[Cell]]) -> str:
    trs = []
    for row in rows:
        tds = []
        for c in row:
            attrs = (f" rowspan={c.rowspan}" if c.rowspan > 1 else "") + (
                f" colspan={c.colspan}" if c.colspan > 1 else ""
            )
            tds.append(f"<td{attrs}>{escape(c.text)}</td>")
        trs.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(trs) + "\n</table>"


def _header_rows(grid: TableGrid) -> int:
    return next(i for i, row in enumerate(grid.rows) if any(c.role in ("label", "value") for c in row))


def _page(report: Report, table_html: Callable[[TableGrid], str]) -> str:
    parts = []
    for block in blocks(report):
        if block.table is not None:
            parts.append(table_html(block.table))
        elif block.kind == "title":
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            parts.append(f"<h2>{escape(block.text)}</h2>")
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f'<title>{escape(title(report))}</title></head>\n<body><div class="article">\n'
        + "\n".join(parts)
        + "\n</div></body></html>\n"
    )


def _apart(grid: TableGrid) -> str:
    if grid.key == "table2":
        return _plain_table(grid.rows)
    n = _header_rows(grid)
    return _plain_table(grid.rows[:n]) + "\n" + _plain_table(grid.rows[n:])


def html_split_header(report: Report) -> str:
    """HTML whose tables 3 and 4 print their header block as a table of its own above the values."""
    return _page(report, _apart)


# --------------------------------------------------------------------------- table as picture
def _pictured(grid: TableGrid) -> str:
    if grid.key != "table3":
        return _plain_table(grid.rows)
    return (
        '<p style="text-align:center"><img src="/uploads/2024/01/table3_20240115.png" '
        'width="600" height="820" alt="" border="0"></p>'
    )


def html_images(report: Report) -> str:
    """HTML whose table 3 is a picture (`<img>`); tables 2 and 4 are tables."""
    return _page(report, _pictured)
