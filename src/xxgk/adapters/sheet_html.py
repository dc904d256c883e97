"""Given LibreOffice Calc's HTML of a sheet, return it with its tables and its text told apart.

Calc exports a whole sheet as one ``<table>``. An office that sends its annual report as a sheet
writes the title and section text one paragraph per row and draws tables 2–4 as boxed blocks
below them, so the export is one grid holding every table and every paragraph, padded with
empty cells to the widest table — and the readers would look for table 2 inside table 3.

A sheet's drawn borders are what tells them apart (Calc writes each cell's borders as its
``style``): consecutive rows with bordered cells become one ``<table>`` of their bordered cells
(the unbordered padding at either end of a row dropped), and every other row becomes a ``<p>`` of
its cells' text. A sheet without any border is left as it is.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from xxgk.adapters.decode import decode

_BORDER = re.compile(r"border(-(top|bottom|left|right))?\s*:\s*(?!none)[^;]*\d", re.I)


def _bordered(td: etree._Element) -> bool:
    return bool(_BORDER.search(td.get("style") or ""))


def _text(td: etree._Element) -> str:
    return "".join(str(t) for t in td.itertext()).strip()


def split_sheet_tables(data: bytes) -> str:
    """The HTML of a Calc sheet (bytes, any charset) with each bordered block its own table."""
    raw, _encoding = decode(data)
    root = lxml_html.document_fromstring(raw)
    for table in list(root.iter("table")):
        rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
        if not any(_bordered(td) for tr in rows for td in tr if td.tag in ("td", "th")):
            continue
        blocks: list[etree._Element] = []
        current: etree._Element | None = None
        for tr in rows:
            cells = [td for td in tr if td.tag in ("td", "th")]
            if any(_bordered(td) for td in cells):
                if current is None:
                    current = etree.Element("table", border="1")
                    blocks.append(current)
                while cells and not _bordered(cells[-1]) and not _text(cells[-1]):
                    tr.remove(cells.pop())
                while cells and not _bordered(cells[0]) and not _text(cells[0]):
                    tr.remove(cells.pop(0))
                current.append(tr)
            else:
                current = None
                text = " ".join(t for t in (_text(td) for td in cells) if t)
                if text:
                    p = etree.Element("p")
                    p.text = text
                    blocks.append(p)
        parent = table.getparent()
        if parent is None:
            continue
        index = parent.index(table)
        parent.remove(table)
        for offset, block in enumerate(blocks):
            parent.insert(index + offset, block)
    out: str = lxml_html.tostring(root, encoding="unicode")
    return out
