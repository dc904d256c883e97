"""PDF and DOCX reading speed (issue 4): PDF pages/s/core and DOCX reports/s, single process.

Inputs are the committed fixtures (tests/fixtures/pdfdocx): every dev report as PDF and DOCX plus
the layout variants. Baselines measured in the same run on the same files:
- PDF: pypdfium2 text of every page only (the floor: no tables at all), and pdfplumber table
  finding on every page (what a naive adapter would do);
- DOCX: python-docx opening the package only.

    .venv/bin/python benchmarks/bench_pdfdocx.py
"""

from __future__ import annotations

import io
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from docx import Document as open_docx  # noqa: E402

from xxgk.adapters.docx import read_docx  # noqa: E402
from xxgk.adapters.pdf import read_pdf  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "pdfdocx"
ROUNDS = 3


def best_of(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def pdfium_text(data: bytes) -> None:
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        page.get_textpage().get_text_range()
        page.close()
    pdf.close()


def plumber_all(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.find_tables()


def main() -> int:
    pdfs = [p.read_bytes() for p in sorted([*FIXTURES.glob("pdf/*.pdf"), *FIXTURES.glob("variants/*.pdf")])]
    docxs = [
        p.read_bytes() for p in sorted([*FIXTURES.glob("docx/*.docx"), *FIXTURES.glob("variants/*.docx")])
    ]
    pages = sum(len(pdfium.PdfDocument(d)) for d in pdfs)
    read_pdf(pdfs[0], "warm.pdf")  # imports, OpenCC dictionaries
    read_docx(docxs[0], "warm.docx")

    ours = best_of(lambda: [read_pdf(d, "b.pdf") for d in pdfs])
    text_only = best_of(lambda: [pdfium_text(d) for d in pdfs])
    naive = best_of(lambda: [plumber_all(d) for d in pdfs])
    docx_ours = best_of(lambda: [read_docx(d, "b.docx") for d in docxs])
    docx_open = best_of(lambda: [open_docx(io.BytesIO(d)) for d in docxs])

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"PDF : {len(pdfs)} files, {pages} pages")
    print(
        f"  xxgk read_pdf (text + tables)   {pages / ours:8.1f} pages/s/core  ({1000 * ours / pages:.1f} ms/page)"
    )
    print(
        f"  baseline pypdfium2 text only     {pages / text_only:8.1f} pages/s/core  (ours is {ours / text_only:.1f}x slower)"
    )
    print(
        f"  baseline pdfplumber, all pages   {pages / naive:8.1f} pages/s/core  (ours is {naive / ours:.2f}x faster)"
    )
    print(f"DOCX: {len(docxs)} files")
    print(
        f"  xxgk read_docx                   {len(docxs) / docx_ours:8.1f} reports/s  ({1000 * docx_ours / len(docxs):.1f} ms/report)"
    )
    print(
        f"  baseline python-docx open only   {len(docxs) / docx_open:8.1f} reports/s  (ours is {docx_ours / docx_open:.2f}x)"
    )
    target = pages / ours >= 20
    print(f"target >= 20 PDF pages/s/core: {'met' if target else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
