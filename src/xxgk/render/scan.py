"""Given a report PDF, return it as a scanner would: page images with the defects of real scans.

The scanned test set (tests/ocr, benchmarks/bench_ocr.py) is made from the project's own
renderings — generated reports and the dev corpus labels, rendered to DOCX and converted to PDF
by LibreOffice — so every cell's true value is known. Each page is rasterised at the chosen DPI
and then, as a print-and-scan would:

- a red 公章 (a ring with a star and text-like marks) is stamped over the table's numbers,
  blended like ink (multiply), so the digits under it stay visible but tinted;
- the page is rotated by up to ±``max_angle`` degrees;
- Gaussian noise is added and the page is JPEG-compressed (artefacts around glyphs);

and the pages come back as an image-only PDF (no text layer) or as PNG files. Seeded: the same
arguments give the same bytes.

Needs the ``[ocr]`` extra (numpy, opencv, Pillow).
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

Array = Any


@dataclass(frozen=True)
class Defects:
    """How badly a page is scanned (the defaults: an ordinary office scan)."""

    max_angle: float = 2.0  # degrees, either way
    noise: float = 6.0  # standard deviation of Gaussian noise, in gray levels
    jpeg_quality: int = 70
    stamp: bool = True


def rasterise(pdf_bytes: bytes, dpi: int) -> list[Array]:
    """Every page of a PDF as an RGB array at ``dpi``."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                bgr = page.render(scale=dpi / 72.0).to_numpy()
            finally:
                page.close()
            pages.append(np.ascontiguousarray(bgr[:, :, 2::-1]))  # BGR → RGB
        return pages
    finally:
        pdf.close()


def stamp(rgb: Array, rng: random.Random, dpi: int) -> Array:
    """A red official seal (4 cm across) blended over the page's lower table area."""
    h, w = rgb.shape[:2]
    radius = int(dpi * 4.0 / 2.54 / 2)
    cx = rng.randint(int(w * 0.35), int(w * 0.8))
    cy = rng.randint(int(h * 0.3), int(h * 0.75))
    seal = np.full((h, w), 255, dtype=np.uint8)
    thick = max(2, dpi // 40)
    cv2.circle(seal, (cx, cy), radius, 0, thick, cv2.LINE_AA)
    star = [
        (
            int(cx + (radius * 0.35 if k % 2 == 0 else radius * 0.14) * math.sin(k * math.pi / 5)),
            int(cy - (radius * 0.35 if k % 2 == 0 else radius * 0.14) * math.cos(k * math.pi / 5)),
        )
        for k in range(10)
    ]
    cv2.fillPoly(seal, [np.array(star, dtype=np.int32)], 0, cv2.LINE_AA)
    for k in range(14):  # text-like marks along the ring
        angle = math.pi * (0.8 + 1.4 * k / 13)
        x = int(cx + radius * 0.75 * math.cos(angle))
        y = int(cy + radius * 0.75 * math.sin(angle))
        cv2.rectangle(seal, (x - thick * 2, y - thick * 2), (x + thick * 2, y + thick * 2), 0, -1)
    ink = (255 - seal).astype(np.float32) / 255 * rng.uniform(0.6, 0.9)
    red = np.array([225, 30, 35], dtype=np.float32) / 255
    tint = 1 - ink[:, :, None] * (1 - red[None, None, :])  # multiply blend: the print shows through
    out: Array = (rgb.astype(np.float32) * tint).clip(0, 255).astype(np.uint8)
    return out


def degrade(rgb: Array, dpi: int, rng: random.Random, defects: Defects) -> Array:
    """One clean page → the page as scanned (stamp, rotation, noise, JPEG)."""
    page = stamp(rgb, rng, dpi) if defects.stamp else rgb
    angle = rng.uniform(-defects.max_angle, defects.max_angle)
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    page = cv2.warpAffine(
        page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255)
    )
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, defects.noise, page.shape)
    page = (page.astype(np.float32) + noise).clip(0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", page[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, defects.jpeg_quality])
    if not ok:  # pragma: no cover - opencv always encodes an RGB array
        raise RuntimeError("JPEG encoding failed")
    decoded: Array = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
    return decoded[:, :, ::-1]


def scan_pages(pdf_bytes: bytes, dpi: int, seed: int = 0, defects: Defects | None = None) -> list[Array]:
    """The PDF's pages as scanned at ``dpi`` (seeded)."""
    rng = random.Random(seed)
    chosen = defects or Defects()
    return [degrade(page, dpi, rng, chosen) for page in rasterise(pdf_bytes, dpi)]


def image_pdf(pages: list[Array], dpi: int) -> bytes:
    """Pages as a PDF of JPEG images, with no text layer (what a scanner's "scan to PDF" gives)."""
    images = [Image.fromarray(p) for p in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=85)
    return out.getvalue()


def png_bytes(page: Array, dpi: int) -> bytes:
    """One page as PNG bytes with its resolution recorded (pHYs)."""
    out = io.BytesIO()
    Image.fromarray(page).save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def tiff_bytes(pages: list[Array], dpi: int) -> bytes:
    """Pages as one multi-page TIFF (a fax or document scanner's output)."""
    images = [Image.fromarray(p) for p in pages]
    out = io.BytesIO()
    images[0].save(
        out, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=images[1:], compression="tiff_lzw"
    )
    return out.getvalue()
