"""PDF with a text layer → Document: text by pypdfium2, tables by pdfplumber, grids with spans.

Why two libraries (shared/spec/libraries.md B.5): pypdfium2 reads a page's text in about a
millisecond, pdfplumber (pdfminer) is forty times slower but finds ruled tables. So every page's
text comes from pypdfium2, and pdfplumber only runs on pages whose text names a template table
(or continues one).

Grids: pdfplumber gives one bounding box per drawn cell. The distinct cell edges make the grid
lines, so a box from x-edge 0 to x-edge 3 has colspan 3 — merged header cells of tables 3 and 4
come back with their true spans. Each character is put in the cell under its centre, lines inside
a cell are joined without a space (a number wrapped in a narrow column, "15"/"48", is 1548).
A table that runs over a page break is one Grid: the next page's first table continues the
previous page's last one when nothing but a page number lies between them and the column edges
match; a repeated header is dropped, and a spanned label cell split by the break is re-joined.

Tables drawn without rules are rebuilt from word positions (``borderless``): value columns are
where numbers line up, rows are the lines that carry a row label or numbers.

Failures are AdapterErrors with the messages documented in docs/pdfdocx.md: encrypted, damaged,
too many pages, and — never as empty tables — a scanned PDF without a text layer.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from xxgk.adapters import register
from xxgk.adapters.base import AdapterError, Document, Grid, GridCell, Position
from xxgk.adapters.cells import join_lines
from xxgk.adapters.pdfpage import chars_to_words, find_ruled_tables, page_chars, page_edges
from xxgk.adapters.pdfwords import LooseTable, chain_layout, find_tables, join_fragments
from xxgk.text import fold, label_key, to_simplified

MAX_PAGES = 2000
MIN_TEXT_CHARS = 20  # fewer printable characters than this on a page = no usable text layer
EDGE_TOLERANCE = 2.0  # points; cell edges closer than this are the same grid line
FOOTER_CHARS = re.compile(r"^[\s\d\-—–_/第页共Page.of]*$")

MSG_SCANNED = (
    "scanned PDF without a text layer: needs OCR, which is not installed: install the [ocr] extra "
    "(pip install 'xxgk[ocr]': rapidocr, onnxruntime, opencv-python-headless)"
)
MSG_ENCRYPTED = "encrypted PDF: it needs a password to open; save an unprotected copy"
MSG_DAMAGED = "damaged or not a PDF file ({reason})"
MSG_EMPTY = "PDF has no pages"
MSG_TOO_MANY = "refused: PDF has {n} pages (limit {limit})"
WARN_SCANNED_PAGES = "scanned pages without a text layer were not read (need OCR): {pages}"
WARN_TABLES_FAILED = "page {page}: tables could not be read ({reason}), only its text was used"

# Words that only occur on pages carrying a template table (labels of tables 2-4, folded).
TABLE_WORDS = tuple(
    label_key(w)
    for w in (
        "信息内容",
        "申请人情况",
        "自然人",
        "本年新收",
        "上年结转",
        "予以公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "结转下年度",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "处理决定",
        "第二十条",
    )
)


def normalise(text: str) -> str:
    """Folded widths, simplified script, and Kangxi radicals (common in CJK PDF fonts) as hanzi."""
    if any("\u2e80" <= ch <= "\u2fdf" for ch in text):
        text = "".join(unicodedata.normalize("NFKC", ch) if "\u2e80" <= ch <= "\u2fdf" else ch for ch in text)
    return to_simplified(fold(text))


# ---------------------------------------------------------------- characters → text
def chars_to_text(chars: Sequence[dict[str, Any]]) -> str:
    """Characters of one cell → its text: lines by vertical position, reading order within a line."""
    if not chars:
        return ""
    ordered = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict[str, Any]]] = []
    line_top = None
    for ch in ordered:
        size = ch.get("size") or (ch["bottom"] - ch["top"]) or 1.0
        if line_top is None or ch["top"] > line_top + size * 0.5:
            lines.append([])
            line_top = ch["top"]
        lines[-1].append(ch)
    texts = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        buf = ""
        prev = None
        for ch in line:
            if prev is not None:
                size = ch.get("size") or 1.0
                gap = ch["x0"] - prev["x1"]
                if (
                    gap > size * 0.5
                    and buf[-1:].isascii()
                    and buf[-1:].isalnum()
                    and ch["text"][:1].isascii()
                ):
                    buf += " "
            buf += ch["text"]
            prev = ch
        texts.append(buf)
    return join_lines(texts)


def _edges(values: Iterable[float]) -> list[float]:
    """Distinct grid lines: coordinates within EDGE_TOLERANCE of each other are one line."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: Sequence[float], value: float) -> int:
    """Index of the grid line nearest to `value`."""
    i = bisect_right(edges, value)
    if i > 0 and (i == len(edges) or value - edges[i - 1] <= edges[i] - value):
        return i - 1
    return min(i, len(edges) - 1)


@dataclass
class PageTable:
    """One table found on one page, with what continuation merging needs."""

    page: int
    bbox: tuple[float, float, float, float]
    xs: list[float]
    grid: Grid
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # ruled: cell boxes
    chars: Sequence[dict[str, Any]] = ()
    loose: LooseTable | None = None  # borderless: the words and their layout


def grid_from_boxes(
    boxes: Sequence[tuple[float, float, float, float]],
    chars: Sequence[dict[str, Any]],
    page: int,
    xs: list[float] | None = None,
) -> tuple[Grid, list[float]]:
    """Cell boxes + page characters → a Grid with spans; also the x grid lines.

    `xs` imposes the column lines (those of a table this one continues, which may have more).
    """
    if xs is None:
        xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    n_rows, n_cols = max(len(ys) - 1, 0), max(len(xs) - 1, 0)
    rows: list[list[GridCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    members: dict[int, list[dict[str, Any]]] = {}
    cells: list[GridCell] = []
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        cell = GridCell(
            text="",
            position=Position(
                page=page, bbox=(round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))
            ),
            row=r0,
            col=c0,
            rowspan=r1 - r0,
            colspan=c1 - c0,
        )
        cells.append(cell)
        for r in range(r0, r1):
            for c in range(c0, c1):
                rows[r][c] = cell
    index_of = {id(cell): i for i, cell in enumerate(cells)}
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        c, r = bisect_right(xs, cx) - 1, bisect_right(ys, cy) - 1
        if 0 <= r < n_rows and 0 <= c < n_cols and rows[r][c] is not None:
            members.setdefault(index_of[id(rows[r][c])], []).append(ch)
    for i, cell in enumerate(cells):
        cell.text = normalise(chars_to_text(members.get(i, [])))
    return Grid(rows=rows), xs


# ---------------------------------------------------------------- continuation across pages
def _row_texts(row: list[GridCell | None]) -> list[str]:
    return [c.text if c is not None else "" for c in row]


def continues(prev: PageTable, nxt: PageTable, below_prev: str, above_next: str) -> bool:
    """Does `nxt` (first table of the next page) continue `prev` (last table of its page)?"""
    if nxt.page != prev.page + 1 or not prev.xs or not nxt.xs:
        return False
    near = 3 * EDGE_TOLERANCE
    if abs(prev.xs[0] - nxt.xs[0]) > near or abs(prev.xs[-1] - nxt.xs[-1]) > near:
        return False
    # A column line may be missing on one side (no row there splits that column): one set of
    # lines must lie within the other.
    a_in_b = all(any(abs(a - b) <= near for b in nxt.xs) for a in prev.xs)
    b_in_a = all(any(abs(b - a) <= near for a in prev.xs) for b in nxt.xs)
    if not (a_in_b or b_in_a):
        return False
    return bool(FOOTER_CHARS.match(below_prev)) and bool(FOOTER_CHARS.match(above_next))


def merge_grids(first: Grid, second: Grid, rejoin: bool = True) -> Grid:
    """Append `second` to `first`: drop a repeated header, re-join label cells split by the break."""
    repeat = 0
    limit = min(len(first.rows), len(second.rows) - 1)
    while repeat < limit and _row_texts(second.rows[repeat]) == _row_texts(first.rows[repeat]):
        repeat += 1
    if repeat and any(t for t in _row_texts(second.rows[repeat - 1])):
        body = second.rows[repeat:]
    else:
        body = second.rows
    offset = len(first.rows) - (len(second.rows) - len(body))
    seen: set[int] = set()
    for row in body:
        for cell in row:
            if cell is not None and id(cell) not in seen:
                seen.add(id(cell))
                cell.row += offset
    rows = first.rows + body
    if rejoin and body and first.rows:
        _rejoin_split_cells(first.rows[-1], body, len(first.rows))
    return Grid(rows=rows)


def _rejoin_split_cells(last: list[GridCell | None], body: list[list[GridCell | None]], start: int) -> None:
    """A cell spanning rows on both sides of the break, empty on the new page, is one cell."""
    head = body[0]
    for c, (above, below) in enumerate(zip(last, head, strict=False)):
        if above is None or below is None or above is below or below.text or not above.text:
            continue
        if above.rowspan < 2 or below.col != above.col or below.colspan != above.colspan:
            continue
        for r, row in enumerate(body):
            if c < len(row) and row[c] is below:
                for cc in range(below.col, below.col + below.colspan):
                    row[cc] = above
                above.rowspan = start + r + 1 - above.row


# ---------------------------------------------------------------- the adapter
def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise AdapterError(MSG_ENCRYPTED) from None
        reason = message.split("(PDFium: ")[-1].rstrip(").") if "PDFium" in message else message
        raise AdapterError(MSG_DAMAGED.format(reason=reason.lower())) from None
    n = len(pdf)
    if n == 0:
        raise AdapterError(MSG_EMPTY)
    if n > MAX_PAGES:
        raise AdapterError(MSG_TOO_MANY.format(n=n, limit=MAX_PAGES))
    return pdf


def _usable(text: str) -> bool:
    """Enough real characters: not empty, not private-use glyph codes from a font without ToUnicode."""
    printable = [ch for ch in text if not ch.isspace()]
    if len(printable) < MIN_TEXT_CHARS:
        return False
    junk = sum(1 for ch in printable if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or ord(ch) < 32)
    return junk < len(printable) / 3


def _page_texts(pdf: pdfium.PdfDocument) -> tuple[list[str], list[int]]:
    """Text of every page (pypdfium2), and the 1-based pages that carry no usable text."""
    texts: list[str] = []
    blind: list[int] = []
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
        finally:
            page.close()
        if not _usable(text):
            blind.append(i + 1)
        texts.append(text)
    return texts, blind


def _wants_tables(text: str) -> bool:
    key = label_key(text)
    return sum(1 for w in TABLE_WORDS if w in key) >= 2


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop glyphs printed twice at (almost) the same place — the fake-bold trick of many PDFs."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for ch in chars:
        key = (ch["text"], round(ch["x0"]), round(ch["top"]))
        if key not in seen:
            seen.add(key)
            out.append(ch)
    return out


def ruled_tables(edges: list[dict[str, Any]], chars: list[dict[str, Any]], number: int) -> list[PageTable]:
    """Given a page's ruling lines and characters, return its ruled tables (those with rows)."""
    tables = []
    for boxes in find_ruled_tables(edges):
        grid, xs = grid_from_boxes(boxes, chars, number)
        if grid.rows:
            bbox = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            tables.append(PageTable(number, bbox, xs, grid, list(boxes), chars))
    return tables


def _page_tables(page: pdfium.PdfPage, number: int) -> tuple[list[PageTable], list[dict[str, Any]]]:
    """Ruled tables of one page (else its borderless ones), and the page's characters."""
    chars = _dedupe(page_chars(page))
    tables = ruled_tables(page_edges(page), chars, number)
    if not tables:
        for loose in find_tables(chars_to_words(chars), number):
            grid = loose.grid(normalise=normalise)
            tables.append(PageTable(number, loose.bbox, list(loose.layout.value_edges), grid, loose=loose))
    return tables, chars


def region_text(chars: Sequence[dict[str, Any]], top: float, bottom: float) -> str:
    return "".join(ch["text"] for ch in chars if top <= (ch["top"] + ch["bottom"]) / 2 <= bottom).strip()


def read_pdf(data: bytes, source: str) -> Document:
    """A PDF as a Document; AdapterError (docs/pdfdocx.md) for scanned, encrypted or damaged files."""
    pdf = _open(data)
    try:
        texts, blind = _page_texts(pdf)
        warnings = []
        scanned = _ocr_pages(pdf, blind, len(texts))  # text-less pages read by OCR (adapters/scan.py)
        if scanned is None and blind:
            if len(blind) == len(texts):
                raise AdapterError(MSG_SCANNED)
            warnings.append(WARN_SCANNED_PAGES.format(pages=", ".join(map(str, blind))))
        wanted = [i for i, t in enumerate(texts) if _wants_tables(t)]
        # A table reaching the bottom of a wanted page may continue on the next one.
        wanted = sorted(set(wanted) | {i + 1 for i in wanted if i + 1 < len(texts)})
        page_tables: list[tuple[PageTable, str, str]] = []  # table, text below it, text above it
        for i in wanted:
            page = pdf[i]
            try:
                tables, chars = _page_tables(page, i + 1)
                height = page.get_height()
            except Exception as exc:  # one odd page must not lose the others
                warnings.append(WARN_TABLES_FAILED.format(page=i + 1, reason=type(exc).__name__))
                continue
            finally:
                page.close()
            for t in tables:
                below = region_text(chars, t.bbox[3] + 1, height)
                above = region_text(chars, 0, t.bbox[1] - 1)
                page_tables.append((t, below, above))
        if scanned is None and not page_tables and not _wants_tables("".join(texts)):
            # no table in the text layer: are the tables pictures pasted into text pages?
            scanned = _ocr_pages(pdf, _picture_pages(pdf), len(texts), required=False)
    finally:
        pdf.close()
    readings: dict[tuple[int, tuple[float, float, float, float]], tuple[str, float]] = {}
    if scanned is not None:
        page_tables = sorted(page_tables + scanned.tables, key=lambda item: item[0].page)
        for number, page_text in scanned.texts.items():
            texts[number - 1] = page_text
        warnings.extend(scanned.warnings)
    grids = stitch(page_tables)
    if scanned is not None:
        readings = scanned.readings(grids)
    text = "\n".join(normalise(t) for t in texts)
    meta = {"pages": str(len(texts)), "tables": str(len(grids))}
    return Document(
        source=source, kind="pdf", text=text, grids=grids, meta=meta, warnings=warnings, readings=readings
    )


PICTURE_SHARE = 0.2  # an image covering this share of a page may be a pasted table


def _picture_pages(pdf: pdfium.PdfDocument) -> list[int]:
    """1-based pages carrying a large image (a table pasted as a picture, a photo of a page)."""
    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            area = page.get_width() * page.get_height()
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                left, bottom, right, top = obj.get_bounds()
                if (right - left) * (top - bottom) >= PICTURE_SHARE * area:
                    out.append(i + 1)
                    break
        finally:
            page.close()
    return out


def _ocr_pages(pdf: pdfium.PdfDocument, blind: list[int], n_pages: int, required: bool = True) -> Any:
    """The text-less pages read by OCR (a ``scan.ScannedPages``); None when there are none or the
    [ocr] extra is missing and some pages have text (those are still read; the rest is warned)."""
    if not blind:
        return None
    try:
        from xxgk.adapters.scan import ScannedPages
    except ImportError:
        if required and len(blind) == n_pages:
            raise AdapterError(MSG_SCANNED) from None
        return None
    return ScannedPages.of_pdf(pdf, blind)


def stitch(page_tables: list[tuple[PageTable, str, str]]) -> list[Grid]:
    """Join tables continued across page breaks (on the union of their column lines)."""
    chains: list[list[PageTable]] = []
    previous: tuple[PageTable, str, str] | None = None
    for item in page_tables:
        table, _below, above = item
        if previous is not None and continues(previous[0], table, previous[1], above):
            chains[-1].append(table)
        else:
            chains.append([table])
        previous = item
    grids = []
    for chain in chains:
        if len(chain) > 1 and all(t.boxes for t in chain):
            xs = _edges(x for t in chain for x in t.xs)
            parts = [grid_from_boxes(t.boxes, t.chars, t.page, xs)[0] for t in chain]
        elif len(chain) > 1 and all(t.loose for t in chain):
            # Borderless: lay every page out on one layout (the first page's value columns), join, then stack the
            # label fragments over the whole table (a group label may straddle the break).
            layout = chain_layout([t.loose for t in chain if t.loose is not None])
            parts = [t.loose.grid(layout, normalise, join=False) for t in chain]  # type: ignore[union-attr]
            grid = parts[0]
            for part in parts[1:]:
                grid = merge_grids(grid, part, rejoin=False)
            join_fragments(grid.rows, len(layout.starts), normalise)
            grids.append(grid)
            continue
        else:
            parts = [t.grid for t in chain]
        grid = parts[0]
        for part in parts[1:]:
            grid = merge_grids(grid, part)
        grids.append(grid)
    return grids


register((".pdf",), read_pdf)
