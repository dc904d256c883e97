"""Page images: decode, clean up for OCR, and find the table rules drawn on them.

Given the bytes of a PNG/JPEG/TIFF (a multi-page TIFF is several pages) or a page rasterised
from a PDF, return grayscale pages at a known resolution, with:

- **coloured ink removed** — a red 公章 stamped over a number is common. A pixel's brightest
  channel is taken as its gray: black print is dark in every channel, red or blue ink is bright
  in at least one, so the stamp fades to white and the digits under it stay black;
- **deskew** — a scan is often rotated by a degree or two, which breaks rows of small digits
  apart; the angle whose horizontal projection is sharpest wins (±3°, 0.1° steps);
- **DPI normalisation** — every page is scaled to ``WORK_DPI`` so OCR costs the same per page
  whatever the scan resolution, and box sizes mean the same everywhere.

``ruling_edges`` returns the long horizontal and vertical rules as pdfplumber-style edges in
PDF points, so the PDF adapter's lattice table finder (``pdfpage.find_ruled_tables``) rebuilds
ruled tables from a scan exactly as from a PDF's vector paths.

numpy/opencv/Pillow come with the ``[ocr]`` extra; this module is only imported by the OCR
adapters (``adapters/scan.py``), behind their lazy import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageSequence

from xxgk.adapters.base import AdapterError
from xxgk.adapters.pdfpage import line_edge

WORK_DPI = 150  # every page is OCR'd at this resolution (digits ~25 px high at 10.5 pt)
A4_WIDTH_IN = 8.27  # a page of unknown resolution is taken to be A4 wide (portrait) for its DPI
LINE_INK = 210  # gray below this may be a rule: a one-pixel rule, blurred by a scan, is light
MAX_PAGES = 200  # image pages in one file (a multi-page TIFF)
MAX_PIXELS = 12_000 * 12_000  # a larger page is refused, not decoded (decompression bombs)
POINTS_PER_INCH = 72.0

Array = Any  # numpy arrays (numpy's generic types add nothing here)


@dataclass
class PageImage:
    """One page as an 8-bit grayscale array at ``dpi`` (pixels per inch)."""

    gray: Array
    dpi: float

    @property
    def scale(self) -> float:
        """PDF points per pixel: provenance boxes are in points, as for a PDF with text."""
        return POINTS_PER_INCH / self.dpi


def decode_images(data: bytes) -> list[tuple[Array, float | None]]:
    """Image bytes → (RGB array, DPI when the file says) per page; AdapterError when undecodable."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        pages: list[tuple[Array, float | None]] = []
        for n, frame in enumerate(ImageSequence.Iterator(image)):
            if n >= MAX_PAGES:
                raise AdapterError(f"refused: image file has more than {MAX_PAGES} pages")
            dpi = frame.info.get("dpi")
            x_dpi = float(dpi[0]) if dpi and dpi[0] and float(dpi[0]) > 30 else None
            pages.append((np.asarray(frame.convert("RGB")), x_dpi))
    except Image.DecompressionBombError:
        raise AdapterError(f"refused: image larger than {MAX_PIXELS:,} pixels") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise AdapterError(f"damaged or unsupported image ({str(exc).splitlines()[0][:80]})") from None
    if not pages:
        raise AdapterError("image file has no pages")
    return pages


def drop_colour(rgb: Array) -> Array:
    """Grayscale where coloured ink (a red or blue stamp) turns white: each pixel's brightest channel."""
    if rgb.ndim == 2:
        return rgb
    gray: Array = rgb.max(axis=2)
    return gray


def estimate_dpi(gray: Array, declared: float | None) -> float:
    """The resolution the file declares, else the one that makes the page A4 wide."""
    if declared:
        return declared
    height, width = gray.shape[:2]
    return min(width, height) / A4_WIDTH_IN


def skew_angle(gray: Array) -> float:
    """Degrees to rotate by so text lines and rules are horizontal (0 when the page is straight)."""
    small_w = 800
    factor = small_w / gray.shape[1]
    small = cv2.resize(gray, (small_w, max(1, int(gray.shape[0] * factor))), interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.sum() < 200:
        return 0.0
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1)
        return float((profile.astype(np.float64) ** 2).sum())

    coarse = max((a / 2 for a in range(-6, 7)), key=sharpness)
    fine = max((coarse + a / 10 for a in range(-5, 6)), key=sharpness)
    return round(fine, 2)


def rotate(gray: Array, angle: float) -> Array:
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out: Array = cv2.warpAffine(
        gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return out


def prepare(rgb: Array, declared_dpi: float | None) -> PageImage:
    """A decoded page → grayscale, stamp removed, deskewed, at WORK_DPI."""
    gray = drop_colour(rgb)
    dpi = estimate_dpi(gray, declared_dpi)
    factor = WORK_DPI / dpi
    if abs(factor - 1) > 0.02:
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(
            gray,
            (max(1, round(gray.shape[1] * factor)), max(1, round(gray.shape[0] * factor))),
            interpolation=interpolation,
        )
    gray = rotate(gray, skew_angle(gray))
    return PageImage(gray=np.ascontiguousarray(gray), dpi=WORK_DPI)


def rule_masks(gray: Array) -> tuple[Array, Array]:
    """The page's long horizontal and vertical rules as two ink masks (uint8, 255 = rule).

    Dark pixels are opened with a long thin kernel in each direction: text strokes are short, so
    only rules survive; one-pixel breaks (noise, JPEG) along a rule are bridged.
    """
    ink = (gray < LINE_INK).astype(np.uint8) * 255
    h, w = ink.shape
    masks = []
    for kernel in (
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1)),
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 80))),
    ):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        masks.append(cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))))
    return masks[0], masks[1]


def ruling_edges(page: PageImage, masks: tuple[Array, Array] | None = None) -> list[dict[str, Any]]:
    """Long horizontal and vertical rules of the page as pdfplumber edges (PDF points).

    Each component of ``rule_masks`` (computed here unless given) is one edge at its centre line.
    """
    scale = page.scale
    edges: list[dict[str, Any]] = []
    for orientation, lines in zip(("h", "v"), masks or rule_masks(page.gray), strict=True):
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for i in range(1, count):
            x, y, bw, bh, _area = (int(v) for v in stats[i])
            if orientation == "h" and bw > 3 * bh:
                mid = (y + bh / 2) * scale
                edges.append(line_edge(x * scale, mid, (x + bw) * scale, mid, "h"))
            elif orientation == "v" and bh > 3 * bw:
                mid = (x + bw / 2) * scale
                edges.append(line_edge(mid, y * scale, mid, (y + bh) * scale, "v"))
    return edges
