"""One PDF page's characters, words and ruling lines, read with pypdfium2 in pdfplumber's shapes.

pdfplumber gets these from pdfminer, which parses each page in Python (about 40 ms a page here;
shared/spec/libraries.md B.5 measured the same 40× gap). PDFium already has them: characters
with boxes from the text page, rules from the path objects. So the page is read with PDFium and
only pdfplumber's pure table geometry (merge_edges → intersections → cells → tables) is reused.
Coordinates are PDF points with ``top`` measured from the top of the page, as pdfplumber does.
"""

from __future__ import annotations

import ctypes
import itertools
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import (
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)
from pdfplumber.utils import filter_edges

Obj = dict[str, Any]
Box = tuple[float, float, float, float]
RULE_MAX_THICKNESS = 3.0  # points: a path thinner than this is a rule, not a shaded area
WORD_GAP = 1.5  # points between characters that still belong to one word


def page_chars(page: pdfium.PdfPage) -> list[Obj]:
    """Printed characters (not PDFium's generated spaces and line breaks) with their boxes."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        out: list[Obj] = []
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (0, 0xFFFE) or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            ch = chr(code)
            if ch in "\r\n":
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            size = pdfium_c.FPDFText_GetFontSize(raw, i) or (top - bottom)
            out.append(
                {
                    "text": ch,
                    "x0": left,
                    "x1": right,
                    "top": height - top,
                    "bottom": height - bottom,
                    "size": size,
                }
            )
        return out
    finally:
        textpage.close()


def chars_to_words(chars: list[Obj]) -> list[Obj]:
    """Words as pdfplumber's extract_words makes them: split at spaces and at gaps between glyphs."""
    words: list[Obj] = []
    lines: list[list[Obj]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= 2:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        current: list[Obj] = []
        for ch in sorted(line, key=lambda c: c["x0"]):
            if ch["text"].isspace():
                _flush(current, words)
                current = []
                continue
            if current and ch["x0"] - current[-1]["x1"] > WORD_GAP:
                _flush(current, words)
                current = []
            current.append(ch)
        _flush(current, words)
    return words


def _flush(chars: list[Obj], words: list[Obj]) -> None:
    if chars:
        words.append(
            {
                "text": "".join(c["text"] for c in chars),
                "x0": min(c["x0"] for c in chars),
                "x1": max(c["x1"] for c in chars),
                "top": min(c["top"] for c in chars),
                "bottom": max(c["bottom"] for c in chars),
            }
        )


def line_edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> Obj:
    """A ruling line as pdfplumber's table finder takes it (a PDF path, or a rule found in a scan)."""
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def _box_edges(left: float, top: float, right: float, bottom: float) -> list[Obj]:
    """A path's box as rules: a thin box is one line, a larger one is four (as pdfplumber does)."""
    if right - left <= RULE_MAX_THICKNESS and bottom - top > RULE_MAX_THICKNESS:
        x = (left + right) / 2
        return [line_edge(x, top, x, bottom, "v")]
    if bottom - top <= RULE_MAX_THICKNESS and right - left > RULE_MAX_THICKNESS:
        y = (top + bottom) / 2
        return [line_edge(left, y, right, y, "h")]
    if right - left <= RULE_MAX_THICKNESS:
        return []  # a dot
    return [
        line_edge(left, top, right, top, "h"),
        line_edge(left, bottom, right, bottom, "h"),
        line_edge(left, top, left, bottom, "v"),
        line_edge(right, top, right, bottom, "v"),
    ]


def _segments(obj: Any, height: float) -> list[Obj] | None:
    """Straight horizontal/vertical pieces of a multi-segment path; None if it cannot be walked."""
    raw = obj.raw
    count = pdfium_c.FPDFPath_CountSegments(raw)
    if count <= 2:
        return None
    matrix = obj.get_matrix()
    a, b, c, d, e, f = matrix.get()
    points: list[tuple[float, float, int]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(count):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            return None
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        points.append((px, height - py, pdfium_c.FPDFPathSegment_GetType(seg)))
    edges: list[Obj] = []
    for (x0, y0, _), (x1, y1, kind) in itertools.pairwise(points):
        if kind != pdfium_c.FPDF_SEGMENT_LINETO:
            continue
        if abs(y0 - y1) <= 0.5 and abs(x1 - x0) > RULE_MAX_THICKNESS:
            edges.append(line_edge(min(x0, x1), y0, max(x0, x1), y0, "h"))
        elif abs(x0 - x1) <= 0.5 and abs(y1 - y0) > RULE_MAX_THICKNESS:
            edges.append(line_edge(x0, min(y0, y1), x0, max(y0, y1), "v"))
    return edges


def page_edges(page: pdfium.PdfPage) -> list[Obj]:
    """Ruling lines of the page from its path objects (lines, thin rectangles, rectangle outlines)."""
    height = page.get_height()
    edges: list[Obj] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
        walked = _segments(obj, height)
        if walked is not None:
            edges.extend(walked)
            continue
        left, bottom, right, top = obj.get_bounds()
        edges.extend(_box_edges(left, height - top, right, height - bottom))
    return edges


def find_ruled_tables(edges: list[Obj]) -> list[list[Box]]:
    """pdfplumber's lattice algorithm on our edges: each table as its list of cell boxes."""
    settings = TableSettings()
    merged = merge_edges(
        filter_edges(edges, min_length=settings.edge_min_length_prefilter),
        snap_x_tolerance=settings.snap_x_tolerance,
        snap_y_tolerance=settings.snap_y_tolerance,
        join_x_tolerance=settings.join_x_tolerance,
        join_y_tolerance=settings.join_y_tolerance,
    )
    merged = filter_edges(merged, min_length=settings.edge_min_length)
    points = edges_to_intersections(
        merged, settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    cells = intersections_to_cells(points)
    return [[tuple(map(float, box)) for box in table] for table in cells_to_tables(cells)]  # type: ignore[misc]
