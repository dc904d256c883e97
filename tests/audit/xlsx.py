"""Read what python-calamine does not show from an .xlsx file: fills, comments, autofilter,
frozen panes, column widths and formulas, straight from the Office Open XML parts."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _cell_ref(ref: str) -> tuple[int, int]:
    """ "C12" → (11, 2): zero-based row and column."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert m, ref
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


@dataclass
class Sheet:
    name: str
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # cell → fill colour (RRGGBB)
    comments: dict[tuple[int, int], str] = field(default_factory=dict)
    autofilter: str | None = None
    frozen: bool = False
    widths: bool = False
    formulas: int = 0


def read_sheets(path: Path) -> dict[str, Sheet]:
    with zipfile.ZipFile(path) as z:

        def xml(name: str) -> etree._Element:
            return etree.fromstring(z.read(name))

        def rels(part: str) -> dict[str, str]:
            p = PurePosixPath(part)
            name = str(p.parent / "_rels" / f"{p.name}.rels")
            if name not in z.namelist():
                return {}
            return {
                r.get("Id"): posixpath.normpath(posixpath.join(str(p.parent), r.get("Target")))
                for r in xml(name).findall("pr:Relationship", NS)
            }

        styles = xml("xl/styles.xml")
        fills = []
        for f in styles.findall("m:fills/m:fill", NS):
            fg = f.find("m:patternFill/m:fgColor", NS)
            fills.append(fg.get("rgb")[-6:].upper() if fg is not None and fg.get("rgb") else "")
        xf_fill = [int(x.get("fillId", "0")) for x in styles.findall("m:cellXfs/m:xf", NS)]
        book = xml("xl/workbook.xml")
        book_rels = rels("xl/workbook.xml")
        out: dict[str, Sheet] = {}
        for s in book.findall("m:sheets/m:sheet", NS):
            part = book_rels[s.get(f"{{{NS['r']}}}id")]
            sheet = Sheet(s.get("name"))
            root = xml(part)
            for c in root.iter(f"{{{NS['m']}}}c"):
                style = int(c.get("s", "0"))
                colour = fills[xf_fill[style]] if style < len(xf_fill) else ""
                if colour:
                    sheet.fills[_cell_ref(c.get("r"))] = colour
                if c.find("m:f", NS) is not None:
                    sheet.formulas += 1
            af = root.find("m:autoFilter", NS)
            sheet.autofilter = af.get("ref") if af is not None else None
            pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
            sheet.frozen = pane is not None and pane.get("state") == "frozen"
            sheet.widths = root.find("m:cols/m:col", NS) is not None
            for target in rels(part).values():
                if "comments" in target:
                    for cm in xml(target).findall("m:commentList/m:comment", NS):
                        text = "".join(cm.itertext())
                        sheet.comments[_cell_ref(cm.get("ref"))] = text
            out[sheet.name] = sheet
        return out
