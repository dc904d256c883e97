"""Word (.docx) → Document: paragraphs and tables in body order, merged cells resolved into Grids.

python-docx opens the package (content types, relationships, the main document part); the grid
is built here from the ``w:tc`` elements themselves, because python-docx's own ``Table._cells``
assumes a rectangular grid and breaks on ``w:gridBefore`` and ragged rows, which real reports
have. Horizontal spans come from ``w:gridSpan``, vertical ones from ``w:vMerge`` (a cell without
``w:val="restart"`` continues the cell above it in the same grid column).

Before anything is decompressed the zip directory is checked (sizes and compression ratios), so a
plain zip bomb is refused at once. The directory can lie, though: zipfile's ``read()`` inflates up
to 2 GB before it cuts a member to its declared size (issue 11: a 1 MB file whose directory
understated its parts drove a worker to 2.15 GB). So every part is then inflated here in 1 MB
steps, counting the bytes actually produced against the caps, and python-docx is handed a
re-packed, uncompressed copy of exactly those bytes: it never inflates anything itself.
Messages: docs/pdfdocx.md.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from xxgk.adapters import register
from xxgk.adapters.base import AdapterError, Document, Grid, GridCell, Position
from xxgk.adapters.cells import join_lines
from xxgk.text import fold, to_simplified

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one inflated part (document.xml of a 年报 is < 2 MB)
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts together, images included
MAX_RATIO = 100  # compression ratio above which a large member is treated as a bomb
RATIO_MIN_BYTES = 1024 * 1024  # small members may compress very well (runs of spaces), ignore them
MAX_MEMBERS = 10_000
CELL_SEPARATOR = " | "

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MSG_NOT_ZIP = "not a DOCX file (not a zip archive)"
MSG_OLE2 = "a legacy Word .doc or a password-protected Word file: save it as .docx without a password"
MSG_BOMB = "refused: DOCX expands to {size} MB (compression ratio {ratio}:1), looks like a zip bomb"
MSG_TOO_BIG = "refused: DOCX expands to more than {limit} MB"
MSG_NOT_WORD = "not a Word document (no word/document.xml in the archive)"
MSG_BROKEN = "damaged DOCX: {reason}"


def check_zip(data: bytes) -> None:
    """Refuse archives whose directory promises more than we are willing to inflate."""
    if data.startswith(OLE2_MAGIC):
        raise AdapterError(MSG_OLE2)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):  # a damaged directory raises any of them
        raise AdapterError(MSG_NOT_ZIP) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise AdapterError(f"refused: DOCX has {len(infos)} parts (limit {MAX_MEMBERS})")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
                raise AdapterError(MSG_BOMB.format(size=info.file_size // 2**20, ratio=int(ratio)))
            if info.file_size > MAX_MEMBER_BYTES:
                raise AdapterError(MSG_TOO_BIG.format(limit=MAX_MEMBER_BYTES // 2**20))
        if total > MAX_TOTAL_BYTES:
            raise AdapterError(MSG_TOO_BIG.format(limit=MAX_TOTAL_BYTES // 2**20))
        if "word/document.xml" not in archive.namelist() and not any(
            n.endswith("document.xml") for n in archive.namelist()
        ):
            raise AdapterError(MSG_NOT_WORD)


def inflate_bounded(data: bytes) -> bytes:
    """The package re-packed uncompressed, after inflating every part under the caps.

    Counts the bytes really inflated (not the sizes the directory declares); only stored and
    deflated parts are accepted (Word writes nothing else; bzip2/LZMA cannot be inflated in
    bounded steps by zipfile).
    """
    out = io.BytesIO()
    total = 0
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as packed,
        ):
            for info in archive.infolist():
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise AdapterError(
                        MSG_BROKEN.format(reason=f"unsupported compression in {info.filename!r}")
                    )
                if info.is_dir():
                    continue
                chunks = []
                size = 0
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):  # read(n) inflates at most ~n bytes
                        size += len(chunk)
                        total += len(chunk)
                        if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                            limit = MAX_MEMBER_BYTES if size > MAX_MEMBER_BYTES else MAX_TOTAL_BYTES
                            raise AdapterError(MSG_TOO_BIG.format(limit=limit // 2**20))
                        chunks.append(chunk)
                packed.writestr(info.filename, b"".join(chunks))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        zlib.error,
        NotImplementedError,
        ValueError,
        OSError,
    ) as exc:
        raise AdapterError(
            MSG_BROKEN.format(reason=str(exc).splitlines()[0][:120] or type(exc).__name__)
        ) from None
    except RuntimeError as exc:  # encrypted member
        raise AdapterError(MSG_BROKEN.format(reason=str(exc)[:120])) from None
    return out.getvalue()


def normalise(text: str) -> str:
    """What readers match on: folded widths and simplified script (same length as the input)."""
    return to_simplified(fold(text))


class _Builder:
    """Accumulates the document text and remembers where each cell's text starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _int_property(props: Any, tag: str, default: int) -> int:
    """The integer ``w:val`` of a cell/row property (``w:gridSpan``, ``w:gridBefore``); the
    default when it is absent or not a number."""
    element = props.find(qn(tag)) if props is not None else None
    try:
        return int(element.get(qn("w:val"))) if element is not None else default
    except (TypeError, ValueError):
        return default


def _grid_span(tc: Any) -> int:
    return max(1, _int_property(tc.tcPr, "w:gridSpan", 1))


def _vmerge(tc: Any) -> str | None:
    """None (no vertical merge), "restart" or "continue"."""
    tcpr = tc.tcPr
    if tcpr is None:
        return None
    vm = tcpr.find(qn("w:vMerge"))
    if vm is None:
        return None
    return "restart" if vm.get(qn("w:val")) == "restart" else "continue"


def _grid_before(tr: Any) -> int:
    return _int_property(tr.trPr, "w:gridBefore", 0)


def _row_tcs(tr: Any) -> Iterator[Any]:
    """The cells of a row, including those wrapped in content controls (w:sdt)."""
    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from (c for c in content.iterchildren() if c.tag == qn("w:tc"))


def _cell_text(tc: Any, table: DocxTable) -> str:
    cell = _Cell(tc, table)
    lines = [p.text for p in cell.paragraphs]
    for inner in cell.tables:  # nested tables: keep their words in reading order
        lines.extend(c.text for row in inner.rows for c in row.cells)
    return join_lines(lines)


def _read_table(table: DocxTable, out: _Builder) -> Grid:
    """Lay one table out on its grid; vMerge continuations extend the cell above."""
    rows: list[list[GridCell | None]] = []
    for r, tr in enumerate(table._tbl.tr_lst):
        row: list[GridCell | None] = []
        col = _grid_before(tr)
        row.extend([None] * col)
        pieces: list[str] = []
        new_cells: list[tuple[GridCell, str]] = []
        for tc in _row_tcs(tr):
            span = _grid_span(tc)
            above = rows[r - 1][col] if r > 0 and col < len(rows[r - 1]) else None
            if _vmerge(tc) == "continue" and above is not None:
                above.rowspan = r - above.row + 1
                cell = above
            else:
                text = normalise(_cell_text(tc, table))
                cell = GridCell(text=text, position=Position(), row=r, col=col, colspan=span)
                new_cells.append((cell, text))
            row.extend([cell] * span)
            col += span
        # The row as one line of text: cells separated so the text path still sees columns.
        line_start = out.length
        offsets = []
        for cell, text in new_cells:
            if pieces:
                pieces.append(CELL_SEPARATOR)
            offsets.append((cell, line_start + sum(len(p) for p in pieces)))
            pieces.append(text)
        out.add("".join(pieces) + "\n")
        for cell, offset in offsets:
            cell.position = Position(offset=offset)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    return Grid(rows=rows)


def _body_items(element: Any, doc: Any) -> Iterator[Paragraph | DocxTable]:
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, doc)
        elif child.tag == qn("w:tbl"):
            yield DocxTable(child, doc)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_items(content, doc)


def read_docx(data: bytes, source: str) -> Document:
    """A .docx file as a Document; AdapterError (docs/pdfdocx.md) when it cannot be read safely."""
    check_zip(data)
    data = inflate_bounded(data)
    try:
        doc = open_docx(io.BytesIO(data))
    except KeyError:
        raise AdapterError(MSG_NOT_WORD) from None
    except Exception as exc:  # python-docx/lxml raise many types for a damaged package
        raise AdapterError(
            MSG_BROKEN.format(reason=str(exc).splitlines()[0][:120] or type(exc).__name__)
        ) from None
    out = _Builder()
    grids: list[Grid] = []
    try:
        for item in _body_items(doc.element.body, doc):
            if isinstance(item, Paragraph):
                out.add(normalise(item.text) + "\n")
            else:
                grids.append(_read_table(item, out))
    except (ValueError, AttributeError) as exc:
        raise AdapterError(MSG_BROKEN.format(reason=str(exc)[:120])) from None
    meta = {"tables": str(len(grids))}
    title = (doc.core_properties.title or "").strip()
    if title:
        meta["title"] = normalise(title)
    return Document(source=source, kind="docx", text=out.text(), grids=grids, meta=meta)


register((".docx", ".docm"), read_docx)
