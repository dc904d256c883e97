"""Test helper: a report (a dev label) written in the text layouts scraped pages use.

Each layout is one way real pages come out of crawlers and converters (issue 3):
pipe rows, one cell per line, cell-then-pipe, space-separated rows, blank cells dropped, cells
glued together (innerText), traditional characters. Only numbers and labels matter here; the
narrative is a short stand-in.
"""

from __future__ import annotations

from collections.abc import Callable

from xxgk.model import Report
from xxgk.templates import get_template

Row = tuple[str, list[str]]  # printed label, value cells ("" = blank)


def _rows(report: Report) -> tuple[list[Row], list[Row], list[str]]:
    t = get_template(report.template or "2021")

    def v(cell: str) -> str:
        value = report.value(cell)
        return "" if value is None else (format(value, "f") if not isinstance(value, int) else str(value))

    t2 = [(r.label, [v(f"table2.{r.key}.{c.key}") for c in r.columns]) for r in t.table2.rows]
    t3 = [(r.number + r.label, [v(f"table3.{r.key}.{c.key}") for c in r.columns]) for r in t.table3.rows]
    t4 = [v(f"table4.{r.key}.{c.key}") for r in t.table4.rows for c in r.columns]
    return t2, t3, t4


_T3_HEAD = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n申请人情况\n自然人\n法人或其他组织\n总计\n商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他"
_T4_HEAD = (
    "行政复议\n行政诉讼\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n未经复议直接起诉\n复议后起诉\n"
    + "结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n" * 2
)


def _doc(report: Report, table: Callable[[str, list[Row] | list[str], str], str], sep: str = "\n") -> str:
    t2, t3, t4 = _rows(report)
    head = f"首页 > 政务公开 > 年报\n{report.agency}{report.year}年政府信息公开工作年度报告\n发布日期:2023-01-30\n"
    parts = [
        head,
        "一、总体情况",
        f"{report.year}年,本机关认真落实条例要求。",
        "二、主动公开政府信息情况",
        table("t2", t2, sep),
        "三、收到和处理政府信息公开申请情况",
        table("t3", t3, sep),
        "四、政府信息公开行政复议、行政诉讼情况",
        table("t4", t4, sep),
        "五、存在的主要问题及改进情况",
        "一是公开质量有待提高。",
        "六、其他需要报告的事项",
        "无。",
        "版权所有 网站标识码 1234",
    ]
    return sep.join(p for p in parts if p)


def _header(kind: str) -> str:
    return {"t2": "第二十条第(一)项\n信息内容\n本年制发件数", "t3": _T3_HEAD, "t4": _T4_HEAD}[kind]


def pipe_rows(report: Report) -> str:
    def table(kind: str, rows: list[Row] | list[str], sep: str) -> str:
        if kind == "t4":
            return _header(kind).replace("\n", " | ") + "\n" + " | ".join(rows) + " |"  # type: ignore[arg-type]
        lines = [_header(kind).replace("\n", " | ")]
        lines += [f"{label} | " + " | ".join(vals) + " |" for label, vals in rows]  # type: ignore[misc]
        return "\n".join(lines)

    return _doc(report, table)


def tab_rows(report: Report) -> str:
    """A browser's innerText: the cells of a row joined by tabs, an empty cell between two tabs."""

    def table(kind: str, rows: list[Row] | list[str], sep: str) -> str:
        if kind == "t4":
            return _header(kind).replace("\n", "\t") + "\n" + "\t".join(rows)  # type: ignore[arg-type]
        lines = [_header(kind).replace("\n", "\t")]
        lines += [f"{label}\t" + "\t".join(vals) for label, vals in rows]  # type: ignore[misc]
        return "\n".join(lines)

    return _doc(report, table)


def cell_per_line(report: Report, suffix: str = "", blank: str = "") -> str:
    def table(kind: str, rows: list[Row] | list[str], sep: str) -> str:
        lines = [_header(kind)]
        if kind == "t4":
            lines += [(x or blank) + suffix for x in rows]  # type: ignore[operator]
        else:
            for label, vals in rows:  # type: ignore[misc]
                lines.append(label + suffix)
                lines += [(x or blank) + suffix for x in vals]
        return "\n".join(lines)

    return _doc(report, table)


def cell_then_pipe(report: Report) -> str:
    return cell_per_line(report, suffix=" |")


def dash_blanks(report: Report) -> str:
    """One cell per line, blank cells printed as "—" (and as a no-break space in table 4)."""
    return cell_per_line(report, blank="—")


def space_rows(report: Report) -> str:
    def table(kind: str, rows: list[Row] | list[str], sep: str) -> str:
        if kind == "t4":
            return _header(kind) + "\n" + " ".join(x or "0" for x in rows)  # type: ignore[union-attr]
        return (
            _header(kind)
            + "\n"
            + "\n".join(f"{label} " + " ".join(x or "0" for x in vals) for label, vals in rows)
        )  # type: ignore[misc]

    return _doc(report, table)


def wrapped_labels(report: Report) -> str:
    """Space-separated rows where a long label wraps around its values (pdftotext -layout)."""
    out = []
    for line in space_rows(report).split("\n"):
        label, _, values = line.partition(" ")
        if (
            len(label) >= 14
            and values
            and all(v.lstrip("-").replace(".", "").isdigit() for v in values.split())
        ):
            half = len(label) // 2
            line = f"{label[:half]} {values}\n{label[half:]}"
        out.append(line)
    return "\n".join(out)


def dropped_blanks(report: Report) -> str:
    def table(kind: str, rows: list[Row] | list[str], sep: str) -> str:
        lines = [_header(kind)]
        if kind == "t4":
            lines += [x for x in rows if x]  # type: ignore[misc]
        else:
            for label, vals in rows:  # type: ignore[misc]
                lines.append(label)
                lines += [x for x in vals if x]
        return "\n\n".join(lines)

    return _doc(report, table, sep="\n\n")


def glued(report: Report) -> str:
    def table(kind: str, rows: list[Row] | list[str], sep: str) -> str:
        head = _header(kind).replace("\n", "")
        if kind == "t4":
            return head + "".join(x or "0" for x in rows)  # type: ignore[union-attr]
        return head + "".join(label + "".join(x or "0" for x in vals) for label, vals in rows)  # type: ignore[misc]

    return _doc(report, table, sep=" ")


LAYOUTS: dict[str, Callable[[Report], str]] = {
    "pipe_rows": pipe_rows,
    "tab_rows": tab_rows,
    "cell_per_line": cell_per_line,
    "cell_then_pipe": cell_then_pipe,
    "dash_blanks": dash_blanks,
    "space_rows": space_rows,
    "wrapped_labels": wrapped_labels,
    "dropped_blanks": dropped_blanks,
    "glued": glued,
}
