"""HTML pages → Document: visible text with offsets, and every <table> as a span-expanded Grid.

Tables are also written into Document.text as one line per row, cells joined by " | ", so the
text path can still read them and every GridCell.position.offset points at the cell's text.
Scripts, styles and other invisible elements are dropped; block elements end lines.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from xxgk.adapters.base import AdapterError, Document, Grid, GridCell, Position
from xxgk.adapters.decode import decode
from xxgk.adapters.text import normalise

_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button"}
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "tr",
    "table",
    "title",
    "dd",
    "dt",
    "dl",
    "blockquote",
    "pre",
    "hr",
}
_SPACES = re.compile(r"\s+")
_MAX_SPAN = 200
_DECL = re.compile(r"^\s*<\?xml[^>]*>")


class _Builder:
    """Collects raw visible text; normalises it once at the end (one OpenCC call per page)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.grids: list[Grid] = []
        self.cells: list[tuple[GridCell, int]] = []  # cell, index of the piece holding its text

    def add(self, s: str) -> int:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start

    def add_cell(self, cell: GridCell, text: str) -> None:
        self.add(text)
        self.cells.append((cell, len(self.parts) - 1))

    def newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.add("\n")

    def finish(self, title: str) -> str:
        """The page's text, folded and simplified; cell texts and offsets point into it."""
        raw = "".join(self.parts)
        shift = 0
        if title and title not in raw[:2000]:
            self.parts.insert(0, title + "\n")
            shift = 1
            raw = self.parts[0] + raw
        text = normalise(raw)
        if len(text) == len(raw):  # the usual case: normalising keeps every length
            starts, pieces = [0], self.parts
            for piece in pieces:
                starts.append(starts[-1] + len(piece))
        else:  # a conversion changed a length: normalise piece by piece to keep offsets exact
            pieces = [normalise(p) for p in self.parts]
            text = "".join(pieces)
            starts = [0]
            for piece in pieces:
                starts.append(starts[-1] + len(piece))
        for cell, index in self.cells:
            i = index + shift
            cell.text = text[starts[i] : starts[i + 1]]
            cell.position = Position(offset=starts[i])
        return text


def _cell_text(el: etree._Element) -> str:
    """A cell's visible text; <br>/<p> inside a cell become a space (labels wrap inside cells)."""
    if len(el) == 0:  # the common case: plain text only
        return _SPACES.sub(" ", el.text or "").strip()
    pieces: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP:
            return
        if node is not el and tag in ("br", "p", "div"):
            pieces.append(" ")
        if node.text and tag:
            pieces.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(el)
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _span(el: etree._Element, name: str) -> int:
    if el.get(name) is None:
        return 1
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or "1"), _MAX_SPAN))
    except ValueError:
        return 1


def _table(el: etree._Element, out: _Builder) -> None:
    rows = [tr for tr in el.iter("tr") if _owner(tr) is el]
    grid: list[list[GridCell | None]] = []
    pending: dict[tuple[int, int], GridCell] = {}
    out.newline()
    for r, tr in enumerate(rows):
        line: list[GridCell | None] = []
        c = 0
        first = True
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
            text = _cell_text(td)
            if not first:
                out.add(" | ")
            first = False
            cell = GridCell(text, Position(), r, c, _span(td, "rowspan"), _span(td, "colspan"))
            out.add_cell(cell, text)
            for dc in range(cell.colspan):
                line.append(cell)
                for dr in range(1, cell.rowspan):
                    pending[(r + dr, c + dc)] = cell
            c += cell.colspan
        while (r, c) in pending:
            line.append(pending.pop((r, c)))
            c += 1
        grid.append(line)
        out.newline()
    width = max((len(x) for x in grid), default=0)
    for line in grid:
        line.extend([None] * (width - len(line)))
    if grid:
        out.grids.append(Grid(rows=grid))


def _owner(tr: etree._Element) -> etree._Element | None:
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _walk(el: etree._Element, out: _Builder) -> None:
    """Visible text in document order; a table holding other tables is layout, walked like a div."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP or not tag:
        if el.tail:
            out.add(el.tail)
        return
    if tag == "table" and not any(True for _ in el.iterdescendants("table")):
        _table(el, out)
    else:
        if tag in _BLOCK:
            out.newline()
        if el.text:
            out.add(el.text)
        for child in el:
            _walk(child, out)
        if tag in _BLOCK:
            out.newline()
    if el.tail:
        out.add(el.tail)


def read_html(data: bytes, source: str) -> Document:
    """HTML bytes (any declared or detected charset) → Document."""
    raw, encoding = decode(data)
    return html_document(raw, source, encoding=encoding)


def html_document(raw: str, source: str, *, encoding: str = "utf-8") -> Document:
    """Already-decoded HTML → Document (the charset declaration inside is ignored)."""
    raw = _DECL.sub("", raw[:200], count=1) + raw[200:]  # lxml refuses str with an XML encoding decl
    try:
        root = lxml.html.document_fromstring(raw)
    except (etree.ParserError, ValueError) as exc:
        raise AdapterError(f"cannot parse HTML: {exc}") from None
    out = _Builder()
    title_el = root.find(".//title")
    title = (
        _SPACES.sub(" ", "".join(str(t) for t in title_el.itertext())).strip() if title_el is not None else ""
    )
    body = root.find("body")
    _walk(body if body is not None else root, out)
    text = out.finish(title)
    meta = {"encoding": encoding, "title": normalise(title)}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").lower()
        if name in ("pubdate", "publishdate", "article:published_time", "firstpublishedtime") and m.get(
            "content"
        ):
            meta["published"] = str(m.get("content"))
    return Document(source=source, kind="html", text=text, grids=out.grids, meta=meta)
