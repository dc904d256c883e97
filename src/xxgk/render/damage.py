"""Given a report and a layout family, return its document damaged as real pages are (issue 10):
a value row lost, repeated or split in two, the page cut off inside tables 3–4.
``damage_docx`` does the same to a Word document's table rows (lost or repeated ``<w:tr>``).

Damage falls at row boundaries only — row lines for the text families (`|` or tab separated),
`<tr>` elements for HTML (lost or repeated; a page never splits a `<tr>`); the one-cell-per-line
and glued families have no row lines and get only the cut. Damage that changes what the document
says (two labels swapped, a cut inside a number or a label) is out of scope for the reader: the
table's identities flag it. Used by tests/extract/test_conservation_bulk.py and
benchmarks/bench_ambiguous.py.
"""

from __future__ import annotations

import io
import random
import re
import zipfile

from lxml import etree

from xxgk.model import Report
from xxgk.render.layouts import LAYOUTS

DAMAGES = ("none", "lose-value-row", "repeat-value-row", "split-value-row", "cut-page", "short-value-row")
# short-value-row (issue 10, task 10s): a value row prints fewer cells than it has — its empty
# cells vanish (a table copied as text drops empty <td>s), or only the trailing ones do


_TR = re.compile(r"<tr[ >].*?</tr>", re.S)  # Word's rows carry attributes (<tr style=…>)
_TD = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
_TAG = re.compile(r"<[^>]+>")
_EMPTY_TD = re.compile(r"<td[^>]*>(?:\s|&nbsp;|\u00a0|<[^>]+>)*</td>")


def _numbers(tr: str) -> int:
    """How many cells of a row hold a number, whatever markup wraps it (Word: <p><span> runs)."""
    return sum(_TAG.sub("", td).strip().replace(".", "", 1).isdigit() for td in _TD.findall(tr))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"[|\t]", line.strip().strip("|"))]


def _is_value_row(line: str) -> bool:
    cells = _cells(line)
    return len(cells) > 2 and sum(c.replace(".", "", 1).isdigit() for c in cells) >= 2  # not 数据1


_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])")


def _continues(previous: str, line: str) -> bool:
    """``line`` goes on with a label the line before broke off (the wrapped family)."""
    first = _cells(line)[0]
    return (
        bool(previous.strip())
        and not previous.rstrip().endswith("|")
        and bool(first)
        and not first.replace(".", "", 1).isdigit()
        and not _MARKER.match(first)
    )


def _table3_start(text: str) -> int:
    """Where table 3's section starts, in simplified or traditional characters (the traditional
    family printed 收到和處理…: the cut fell anywhere, before table 2 too)."""
    at = text.find("收到和处理政府信息公开申请情况")
    return max(at if at >= 0 else text.find("收到和處理政府信息公開申請情況"), 0)


def damage_lines(text: str, rng: random.Random, how: str) -> str:
    lines = text.split("\n")
    # a line that continues a label wrapped on the line before is no row of its own: losing or
    # splitting it would cut inside the label
    rows = [
        i
        for i, line in enumerate(lines)
        if _is_value_row(line) and not (i and _continues(lines[i - 1], line))
    ]
    if how == "lose-value-row" and rows:
        del lines[rng.choice(rows)]
    elif how == "repeat-value-row" and rows:
        i = rng.choice(rows)
        lines.insert(i + 1, lines[i])
    elif how == "split-value-row" and rows:
        i = rng.choice(rows)
        sep = "\t" if "\t" in lines[i] else "|"
        cells = lines[i].split(sep)
        cut = rng.randint(1, len(cells) - 1)
        close = sep if sep == "|" else ""  # a trailing tab would add an empty cell
        lines[i : i + 1] = [sep.join(cells[:cut]) + close, sep.join(cells[cut:])]
    elif how == "short-value-row" and rows:
        i = rng.choice(rows)
        sep = "\t" if "\t" in lines[i] else "|"
        cells = lines[i].rstrip("|" if sep == "|" else "\n").split(sep)
        empty = [j for j, c in enumerate(cells) if j and not c.strip()]
        if rng.random() < 0.5:  # every empty cell vanishes
            cells = [c for j, c in enumerate(cells) if j not in empty]
        else:  # only the trailing ones are not printed
            while len(cells) > 1 and not cells[-1].strip():
                cells.pop()
        lines[i] = sep.join(cells) + (" |" if sep == "|" else "")
    elif how == "cut-page":  # somewhere in tables 3 and 4, at a line boundary
        start = text[: _table3_start(text)].count("\n")
        return "\n".join(lines[: rng.randint(start + 1, len(lines))])
    return "\n".join(lines)


def damage_html(page: str, rng: random.Random, how: str) -> str:
    rows = [m for m in _TR.finditer(page) if _numbers(m.group(0)) >= 2]
    if how == "cut-page":
        ends = [m.end() for m in _TR.finditer(page) if m.start() > _table3_start(page)]
        return page[: rng.choice(ends)] if ends else page
    if how in ("none", "split-value-row") or not rows:
        return page  # a page never splits a <tr>: its cells would move to other columns
    row = rng.choice(rows)
    tr = row.group(0)
    if how == "short-value-row":  # the row's empty cells vanished (no <td> left for them)
        return page[: row.start()] + _EMPTY_TD.sub("", tr) + page[row.end() :]
    new = "" if how == "lose-value-row" else tr + tr
    return page[: row.start()] + new + page[row.end() :]


def damaged(report: Report, family: str, rng: random.Random, how: str) -> bytes:
    data = LAYOUTS[family](report)
    encoding = "gb18030" if family.endswith("-gbk") else "utf-8"
    text = data.decode(encoding) if isinstance(data, bytes) else data
    out = damage_html(text, rng, how) if LAYOUTS[family].suffix == ".html" else damage_lines(text, rng, how)
    return out.encode(encoding, errors="replace")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def damage_docx(data: bytes, rng: random.Random, how: str) -> bytes:
    """A .docx whose table rows were damaged: a value row lost or repeated.

    A Word table row is never split, nor is a .docx cut (a cut zip does not open): those damages
    leave the document as it is. Rows that start a vertically merged cell (三、本年度办理结果,
    （三）不予公开) are not touched: losing one would take a label the rows below print under.
    """
    if how not in ("lose-value-row", "repeat-value-row"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    rows = [
        tr
        for tr in root.iter(f"{_W}tr")
        if sum(1 for t in tr.iter(f"{_W}t") if (t.text or "").replace(".", "", 1).isdigit()) >= 2
        and not any(m.get(f"{_W}val") == "restart" for m in tr.iter(f"{_W}vMerge"))
    ]
    if not rows:
        return data
    row = rng.choice(rows)
    table = row.getparent()
    assert table is not None  # a <w:tr> found by iterating the tree has a parent
    if how == "lose-value-row":
        table.remove(row)
    else:
        row.addnext(etree.fromstring(etree.tostring(row)))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()
