"""Adapter data types shared by every input format (HTML, text, PDF, DOCX).

An adapter turns raw bytes into a :class:`Document`: one readable text (folded and
simplified, so offsets point at the text the reader actually matched) plus the
tables it could lay out exactly (:class:`Grid`, spans expanded). Readers
(``xxgk.readers``) then map a Document onto a template without caring about the
original format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from xxgk.errors import XxgkError


class Position(NamedTuple):
    """Provenance of a piece of text.

    Immutable and cheap to build (a NamedTuple costs a third of a frozen dataclass, and a page
    holds one per cell).
    """

    offset: int | None = None  # char offset into Document.text
    page: int | None = None  # 1-based page (PDF)
    bbox: tuple[float, float, float, float] | None = None  # PDF points: x0, top, x1, bottom


@dataclass
class GridCell:
    """One cell of a laid-out table; text already folded + simplified."""

    text: str
    position: Position
    row: int  # top-left row/col in the expanded grid
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    """One table as laid out, spans expanded.

    ``rows[r][c]`` is the GridCell covering (r, c); ``None`` = no cell there.
    """

    rows: list[list[GridCell | None]]


@dataclass
class Document:
    """Format-neutral view of one input file."""

    source: str  # path or URL
    kind: str  # "html" | "text" | "markdown" | "pdf" | "docx" | "json" | "image"
    text: str  # whole readable text, fold()+to_simplified(); offsets refer here
    grids: list[Grid] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # title, encoding, published, pages, ...
    warnings: list[str] = field(default_factory=list)
    # OCR'd documents only: (page, cell box) → (cell text, recogniser confidence 0..1), for every
    # table cell read from an image (adapters/scan.py; used by readers/ocr_doubts.py)
    readings: dict[tuple[int, tuple[float, float, float, float]], tuple[str, float]] = field(
        default_factory=dict
    )


class AdapterError(XxgkError):
    """Unusable input; ``str()`` is the user-facing reason (without the path)."""
