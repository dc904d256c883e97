"""Make README's scanned-report example: page 1 of a dev report as a 200 dpi scan, with a digit lost.

Page 1 of dev report 002 (its committed LibreOffice PDF) goes through the scanned test set's
defects (``xxgk.render.scan``: red 公章, rotation, noise, JPEG), and the second digit of two
numbers is wiped out as by a blot of correction fluid: the 5 of 1548 (table 3, 自然人 / 本年新收,
a cell the table's sums constrain) and the second 5 of 50154 (table 2, 行政许可 / 处理决定数量,
a cell no identity checks). README shows what OCR makes of them.

    .venv/bin/python scripts/scan_example.py build/scan-page1.png
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pypdfium2 as pdfium

from xxgk.adapters.pdfpage import page_chars
from xxgk.render.scan import Defects, degrade, png_bytes, rasterise

REPO = Path(__file__).resolve().parent.parent
PDF = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf" / "002_594938079f36f576.pdf"
DPI = 200
BLOTS = (("1548", 1), ("50154", 3))  # (number printed on page 1, index of the digit wiped out)


def main(out: Path) -> int:
    data = PDF.read_bytes()
    pdf = pdfium.PdfDocument(data)
    try:
        chars = page_chars(pdf[0])
    finally:
        pdf.close()
    text = "".join(ch["text"] for ch in chars)
    page = rasterise(data, DPI)[0]
    scale = DPI / 72  # PDF points → pixels
    for number, digit in BLOTS:  # wiped on the printed page, before it is stamped and scanned
        ch = chars[text.index(number) + digit]
        x0, top, x1, bottom = (round(ch[k] * scale) for k in ("x0", "top", "x1", "bottom"))
        page[top:bottom, x0:x1] = 255
    scanned = degrade(page, DPI, random.Random(DPI), Defects())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png_bytes(scanned, DPI))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
