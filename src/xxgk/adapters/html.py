"""HTML pages → Document: visible text with offsets, and every <table> as a span-expanded Grid.

Tables are also written into Document.text as one line per row, cells joined by " | ", so the
text path can still read them and every GridCell.position.offset points at the cell's text.
Scripts, styles and other invisible elements are dropped; block elements end lines.
"""

from __future__ import annotations

import re
from itertools import accumulate

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
_BREAKS = {"br", "p", "div"}  # inside a cell: a line break, read as a space
_SPACES = re.compile(r"\s+")
_MAX_SPAN = 200
# All tables of one page together may lay out at most this many grid positions: rowspan/colspan
# let 40 KB of HTML ask for billions (issue 11). A 年报 page needs a few thousand.
MAX_GRID_CELLS = 1_000_000
MSG_GRID = f"refused: the tables expand to more than {MAX_GRID_CELLS:,} grid cells (rowspan/colspan)"
_DECL = re.compile(r"^\s*<\?xml[^>]*>")
# lxml.html.document_fromstring with a plain etree.HTMLParser (same options as lxml.html's):
# plain elements need no Python-level class lookup per node, which was a tenth of the page time.
_PARSER = etree.HTMLParser()
_UNPLACED = Position()  # placeholder until _Builder.finish knows the cell's offset


class _Builder:
    """Collects raw visible text; normalises it once at the end (one OpenCC call per page)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.grids: list[Grid] = []
        self.cells: list[GridCell] = []
        self.cell_pieces: list[int] = []  # per cell: the index of the piece holding its text
        self.grid_cells = 0  # grid positions laid out so far, against MAX_GRID_CELLS

    def spend(self, positions: int) -> None:
        """Account for `positions` more grid positions; AdapterError past the page's budget."""
        self.grid_cells += positions
        if self.grid_cells > MAX_GRID_CELLS:
            raise AdapterError(MSG_GRID)

    def add(self, s: str) -> None:
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        self.parts.append(s)

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
        pieces = self.parts
        if len(text) != len(raw):  # a conversion changed a length: normalise piece by piece
            pieces = [normalise(p) for p in self.parts]
            text = "".join(pieces)
        # piece offsets in the text, counted after the title line if one was put in front
        starts = list(accumulate(map(len, pieces[shift:]), initial=len(pieces[0]) if shift else 0))
        for cell, i in zip(self.cells, self.cell_pieces, strict=True):
            start = starts[i]
            cell.text = text[start : starts[i + 1]]
            cell.position = Position(start)
        return text


def _cell_text(el: etree._Element) -> str:
    """A cell's visible text; <br>/<p> inside a cell become a space (labels wrap inside cells).

    Word-exported pages wrap every cell in <p><span>: a chain of only children with nothing but
    whitespace around them is followed down first (whitespace and the break's space at the ends
    vanish when spaces are collapsed). Below that, depth-first without a Python call per node:
    text of each element, a space before <br>/<p>/<div>, each child's tail after its subtree;
    invisible elements (scripts, …) contribute only their tail.
    """
    node = el
    while len(node) == 1:
        text = node.text
        if text and not text.isspace():
            break
        child = node[0]
        tag, tail = child.tag, child.tail
        if not isinstance(tag, str) or tag in _SKIP or (tail and not tail.isspace()):
            break
        node = child
    if len(node) == 0:  # the common case: plain text only
        return " ".join((node.text or "").split())  # = _SPACES.sub(" ", …).strip(), same whitespace set
    pieces: list[str] = [node.text] if node.text else []
    append = pieces.append
    stack = [iter(node)]
    tails: list[str | None] = [None]
    while stack:
        for child in stack[-1]:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SKIP:
                if child.tail:
                    append(child.tail)
                continue
            if tag in _BREAKS:
                append(" ")
            if child.text and tag:
                append(child.text)
            if len(child):
                stack.append(iter(child))
                tails.append(child.tail)
                break
            if child.tail:
                append(child.tail)
        else:
            stack.pop()
            tail = tails.pop()
            if tail:
                append(tail)
    return " ".join("".join(pieces).split())


def _span(el: etree._Element, name: str) -> int:
    """A rowspan/colspan the cell has, clamped to 1.._MAX_SPAN; junk reads as 1."""
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or "1"), _MAX_SPAN))
    except ValueError:
        return 1


def _table(el: etree._Element, out: _Builder) -> None:
    """A table without nested tables: every <tr> below it is one of its rows."""
    grid: list[list[GridCell | None]] = []
    pending: dict[int, dict[int, GridCell]] = {}  # row → column → the cell spanning down into it
    parts, cells, cell_pieces = out.parts, out.cells, out.cell_pieces
    out.newline()
    for r, tr in enumerate(el.iter("tr")):
        if tr.get("height") == "0" and not any(t.strip() for t in tr.itertext()):
            continue  # Word's row fixing the column widths (<tr height=0>, empty): no row of blanks
        line: list[GridCell | None] = []
        c = 0
        first = True
        above = pending.pop(r, None)
        for td in tr:
            tag = td.tag
            if tag != "td" and tag != "th":  # also comments / processing instructions
                continue
            while above and c in above:
                line.append(above.pop(c))
                c += 1
            if len(td):
                text = _cell_text(td)
            else:  # the common case, inlined: plain text only (= _SPACES.sub(" ", …).strip())
                own = td.text
                text = " ".join(own.split()) if own else ""
            if not first:
                parts.append(" | ")
            first = False
            # one call for all attribute names instead of two get()s: most cells have no span
            names = td.keys()
            rowspan = _span(td, "rowspan") if "rowspan" in names else 1
            colspan = _span(td, "colspan") if "colspan" in names else 1
            cell = GridCell(text, _UNPLACED, r, c, rowspan, colspan)  # position set by finish()
            cell_pieces.append(len(parts))
            parts.append(text)  # whitespace-collapsed: no \r to unify
            cells.append(cell)
            if colspan == 1 and rowspan == 1:
                line.append(cell)
            else:
                out.spend(colspan * rowspan)
                for dc in range(colspan):
                    line.append(cell)
                    for dr in range(1, rowspan):
                        pending.setdefault(r + dr, {})[c + dc] = cell
            c += colspan
        while above and c in above:
            line.append(above.pop(c))
            c += 1
        grid.append(line)
        out.newline()
    width = max((len(x) for x in grid), default=0)
    out.spend(width * len(grid))  # the padded rectangle (one wide row widens every row)
    for line in grid:
        line.extend([None] * (width - len(line)))
    if grid:
        out.grids.append(Grid(rows=grid))


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


# `<meta>` tags government CMSes print about the article and the site (readers/site.py)
_SITE_META = {
    "articletitle": "article_title",
    "contentsource": "content_source",
    "sitename": "site_name",
    "og:site_name": "site_name",
}


def _own_url(root: etree._Element) -> str | None:
    """The page's own URL as it states it: `<link rel="canonical">`, else `<meta property="og:url">`
    (absolute http(s) URLs only: a relative one names no site)."""
    found = [
        str(el.get("href") or "") for el in root.iter("link") if (el.get("rel") or "").lower() == "canonical"
    ]
    found += [
        str(el.get("content") or "")
        for el in root.iter("meta")
        if (el.get("property") or "").lower() == "og:url"
    ]
    return next((u.strip() for u in found if u.strip().lower().startswith(("http://", "https://"))), None)


def read_html(data: bytes, source: str) -> Document:
    """HTML bytes (any declared or detected charset) → Document."""
    raw, encoding = decode(data)
    return html_document(raw, source, encoding=encoding)


def html_document(raw: str, source: str, *, encoding: str = "utf-8") -> Document:
    """Already-decoded HTML → Document (the charset declaration inside is ignored)."""
    raw = _DECL.sub("", raw[:200], count=1) + raw[200:]  # lxml refuses str with an XML encoding decl
    try:
        root = etree.fromstring(raw, _PARSER)
        if root is None:
            raise etree.ParserError("Document is empty")
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
        elif name in _SITE_META and (m.get("content") or "").strip():
            meta.setdefault(_SITE_META[name], normalise(str(m.get("content"))))
    if (url := _own_url(root)) is not None:
        meta["url"] = url
    pictures = sum(1 for img in (body if body is not None else root).iter("img") if img.get("src"))
    if pictures:  # a table published as a picture is not in the text (readers: said, never blank)
        meta["pictures"] = str(pictures)
    return Document(source=source, kind="html", text=text, grids=out.grids, meta=meta)
