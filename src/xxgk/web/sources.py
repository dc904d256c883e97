"""A cell's spot in its source document (issue 13 item 3: "click a cell → the source").

- text and HTML: the document's readable text around the cell's offset, the read characters
  marked; when the adapter laid the table out (HTML, DOCX), the table row holding the cell too;
- PDF: the page rendered by pypdfium2 with the cell's box, as fractions of the page;
- DOCX: the table cell, in its table, from the adapter's grid.

Offsets are into the adapter's text (shared/spec/report-json.md, "Cell provenance"), so the
document is re-read by the same adapter; the last few are cached.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from xxgk.adapters import AdapterError, Document, Grid, read_document
from xxgk.storage.db import Database
from xxgk.storage.models import Document as DocumentRow
from xxgk.storage.models import ReportRow
from xxgk.web.models import Upload

CONTEXT = 240  # characters shown on each side of the cell's text


@dataclass
class Original:
    name: str
    data: bytes

    @property
    def is_pdf(self) -> bool:
        return self.data[:5] == b"%PDF-"


@dataclass
class SourceView:
    """What the source pane shows for one cell."""

    cell: str
    status: str | None = None
    text: str | None = None
    note: str | None = None
    before: str = ""  # text snippet: before, the marked characters, after
    marked: str = ""
    after: str = ""
    page: int | None = None  # PDF: page number and box as fractions (left, top, width, height)
    box: tuple[float, float, float, float] | None = None
    table: list[list[tuple[str, bool]]] = field(default_factory=list)  # (text, is the cell)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    problem: str | None = None  # why the spot cannot be shown


def original(db: Database, report_id: int) -> Original | None:
    """The bytes a report was read from: the upload, or the audited file when it is still there."""
    with db.session() as s:
        up = s.execute(
            select(Upload.filename, Upload.content).where(Upload.report_id == report_id).limit(1)
        ).first()
        if up is not None:
            return Original(up[0], up[1])
        path = s.scalar(
            select(DocumentRow.path)
            .join(ReportRow, ReportRow.document_id == DocumentRow.id)
            .where(ReportRow.id == report_id)
        )
    if path is None:
        return None
    try:
        return Original(Path(path).name, Path(path).read_bytes())
    except OSError:
        return None


class _Recent(OrderedDict[tuple[str, ...], Any]):
    """A small cache keyed by digests (never by the bytes, so it holds no document alive)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._lock = threading.Lock()  # pages are served from several threads

    def keep(self, key: tuple[str, ...], value: Any) -> Any:
        with self._lock:
            self[key] = value
            while len(self) > self.size:
                self.popitem(last=False)
        return value


_documents = _Recent(4)
_pages = _Recent(32)


def adapter_document(orig: Original) -> Document:
    key = (hashlib.sha256(orig.data).hexdigest(), orig.name)
    found = _documents.get(key)
    return found if found is not None else _documents.keep(key, read_document(orig.data, orig.name))


def _grid_context(grids: list[Grid], offset: int) -> list[list[tuple[str, bool]]]:
    for grid in grids:
        for r, row in enumerate(grid.rows):
            for cell in row:
                if cell is not None and cell.position.offset == offset:
                    lo = max(0, r - 3)
                    rows = grid.rows[lo : r + 2]
                    out = []
                    for line in rows:
                        seen: set[int] = set()
                        shown = []
                        for c in line:
                            if c is None or id(c) in seen:
                                continue
                            seen.add(id(c))
                            shown.append((c.text, c is cell))
                        out.append(shown)
                    return out
    return []


def source_view(data: dict[str, Any], cell: str, orig: Original | None) -> SourceView:
    src = (data.get("cells") or {}).get(cell) or {}
    view = SourceView(
        cell=cell,
        status=src.get("status"),
        text=src.get("text"),
        note=src.get("note"),
        candidates=list(src.get("candidates") or []),
    )
    offset = src.get("offset")
    if offset is None:
        view.problem = "no position recorded for this cell"
        return view
    if orig is None:
        view.problem = "the source document is not available on this server"
        return view
    if isinstance(offset, dict):
        view.page = int(offset.get("page") or 1)
        bbox = offset.get("bbox")
        if bbox and orig.is_pdf:
            size = pdf_page_size(orig.data, view.page)
            if size:
                w, h = size
                x0, top, x1, bottom = (float(v) for v in bbox)
                view.box = (x0 / w, top / h, (x1 - x0) / w, (bottom - top) / h)
        return view
    try:
        doc = adapter_document(orig)
    except (AdapterError, RecursionError, ValueError) as exc:
        view.problem = f"the source cannot be re-read: {exc}"
        return view
    text = doc.text
    length = len(src.get("text") or "") or 1
    start = max(0, min(int(offset), len(text)))
    view.before = text[max(0, start - CONTEXT) : start]
    view.marked = text[start : start + length]
    view.after = text[start + length : start + length + CONTEXT]
    view.table = _grid_context(doc.grids, start)
    return view


@contextmanager
def _pdf_page(data: bytes, page: int) -> Iterator[Any]:
    """Page `page` (1-based) of the PDF `data` while open, or None when it is no PDF or has no such page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        yield None
        return
    try:
        yield pdf[page - 1] if 1 <= page <= len(pdf) else None
    finally:
        pdf.close()


def pdf_page_size(data: bytes, page: int) -> tuple[float, float] | None:
    with _pdf_page(data, page) as found:
        if found is None:
            return None
        w, h = found.get_size()
        return float(w), float(h)


def _render(data: bytes, page: int) -> bytes | None:
    with _pdf_page(data, page) as found:
        if found is None:
            return None
        out = io.BytesIO()
        found.render(scale=1.5).to_pil().save(out, format="PNG")
        return out.getvalue()


def render_pdf_page(orig: Original, page: int) -> bytes | None:
    """The page as PNG, or None when the document is not a PDF or has no such page."""
    if not orig.is_pdf:
        return None
    key = (hashlib.sha256(orig.data).hexdigest(), str(page))
    if key not in _pages:
        _pages.keep(key, _render(orig.data, page))
    png: bytes | None = _pages[key]
    return png
