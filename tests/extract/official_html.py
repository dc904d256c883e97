"""Test helper: a report (a dev label) written as an official-layout HTML page (A.3–A.5).

Table 3 has the 3-row header with the merged note cell, 三、本年度办理结果 spanning the disposal
rows and the （三）（四）（五）（六） group cells spanning their sub-rows; table 2 is the stacked
captioned blocks with colspan for single-value blocks; table 4 has its two-level header. Blank and
"?" cells are written as empty cells, as offices do. Chrome (navigation, footer) surrounds it.
"""

from __future__ import annotations

from html import escape

from xxgk.model import Report
from xxgk.templates import get_template


def _v(report: Report, cell: str) -> str:
    value = report.value(cell)
    return "" if value is None else (format(value, "f") if not isinstance(value, int) else str(value))


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{attrs}>{escape(text)}</td>"


def official_html(report: Report, charset: str = "utf-8", title: str = "") -> str:
    t = get_template(report.template or "2021")
    out = [
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{escape(title)}</title><script>var x = '<table>';</script></head><body>",
        '<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a></div>',
        f"<h1>{escape(title)}</h1><p>发布日期：2023-01-30</p>",
        "<h2>一、总体情况</h2><p>本年度工作情况如下。</p><h2>二、主动公开政府信息情况</h2>",
        '<table border="1">',
    ]
    caption = None
    for row in t.table2.rows:
        if row.caption != caption:
            caption = row.caption
            out.append(f"<tr>{_td(caption or '', colspan=4)}</tr>")
            labels = [c.label + (f"（单位：{c.unit}）" if c.unit else "") for c in row.columns]
            if len(labels) == 1:
                out.append(f"<tr>{_td('信息内容')}{_td(labels[0], colspan=3)}</tr>")
            else:
                out.append("<tr>" + _td("信息内容") + "".join(_td(x) for x in labels) + "</tr>")
        cells = [_v(report, f"table2.{row.key}.{c.key}") for c in row.columns]
        if len(cells) == 1:
            out.append(f"<tr>{_td(row.label)}{_td(cells[0], colspan=3)}</tr>")
        else:
            span = 4 - len(cells)
            out.append(
                "<tr>"
                + _td(row.label)
                + "".join(_td(x) for x in cells[:-1])
                + _td(cells[-1], colspan=span)
                + "</tr>"
            )
    out.append('</table><h2>三、收到和处理政府信息公开申请情况</h2><table border="1">')
    out.append(
        "<tr>"
        + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3)
        + _td("申请人情况", colspan=7)
        + "</tr>"
    )
    out.append(
        "<tr>"
        + _td("自然人", rowspan=2)
        + _td("法人或其他组织", colspan=5)
        + _td("总计", rowspan=2)
        + "</tr>"
    )
    out.append(
        "<tr>"
        + "".join(_td(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
        + "</tr>"
    )
    rows = t.table3.rows
    disposal = [r for r in rows if r.role in ("disposal", "disposal_total")]
    seen_groups: set[str] = set()
    for row in rows:
        vals = "".join(_td(_v(report, f"table3.{row.key}.{c.key}")) for c in row.columns)
        head = ""
        if row.role in ("intake", "carry_forward"):
            head = _td(row.number + row.label, colspan=3)
        else:
            if row is disposal[0]:
                head += _td("三、本年度办理结果", rowspan=len(disposal))
            if row.group:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    members = [r for r in rows if r.group == row.group]
                    num, label = next((n, lab) for k, n, lab in t.table3.groups if k == row.group)
                    head += _td(num + label, rowspan=len(members))
                head += _td(row.number + row.label)
            else:
                head += _td(row.number + row.label, colspan=2)
        out.append(f"<tr>{head}{vals}</tr>")
    out.append('</table><h2>四、政府信息公开行政复议、行政诉讼情况</h2><table border="1">')
    out.append("<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    out.append(
        "<tr>"
        + "".join(_td(h, rowspan=2) for h in heads)
        + _td("未经复议直接起诉", colspan=5)
        + _td("复议后起诉", colspan=5)
        + "</tr>"
    )
    out.append("<tr>" + "".join(_td(h) for h in heads * 2) + "</tr>")
    out.append(
        "<tr>"
        + "".join(_td(_v(report, f"table4.{r.key}.{c.key}")) for r in t.table4.rows for c in r.columns)
        + "</tr>"
    )
    out.append(
        "</table><h2>五、存在的主要问题及改进情况</h2><p>无。</p><h2>六、其他需要报告的事项</h2><p>无。</p>"
    )
    out.append('<div class="footer">版权所有 2023 网站标识码 1234</div></body></html>')
    return "\n".join(out)
