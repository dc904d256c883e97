"""Adapter registry: pick the reader for a file by suffix, else by sniffing its first bytes.

Adapters register ``read(data, source) -> Document``. HTML and text are built in; PDF and DOCX
live in ``adapters/pdf.py`` / ``adapters/docx.py`` and are imported only when a PDF or DOCX input
is actually met (``register_lazy``): pypdfium2, pdfplumber and python-docx cost ~120 ms of import
time that ``xxgk extract report.txt`` and ``xxgk --help`` should not pay. A missing optional
module never breaks text/HTML reading.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Callable
from pathlib import PurePath

from xxgk.adapters.base import AdapterError, Document, Grid, GridCell, Position

__all__ = [
    "INPUT_FORMATS",
    "AdapterError",
    "Document",
    "Grid",
    "GridCell",
    "Position",
    "ReadFn",
    "adapter_for",
    "read_document",
    "register",
    "register_lazy",
]

ReadFn = Callable[[bytes, str], Document]
_REGISTRY: dict[str, ReadFn] = {}
_LAZY: dict[str, str] = {}  # suffix → module that registers its reader when imported
_MISSING: dict[str, str] = {}  # suffix → what to install when its lazy module cannot be imported


def register(suffixes: tuple[str, ...], read: ReadFn) -> None:
    """Register ``read`` for file suffixes like ``(".html", ".htm")`` (lower case, with the dot)."""
    for suffix in suffixes:
        _REGISTRY[suffix.lower()] = read


def register_lazy(suffixes: tuple[str, ...], module: str, missing: str | None = None) -> None:
    """Name the module whose import registers the reader for ``suffixes``; imported on first use.

    ``missing`` is the one-line reason given when that module cannot be imported (an optional
    extra or external tool absent), instead of "no reader".
    """
    for suffix in suffixes:
        _LAZY.setdefault(suffix.lower(), module)
        if missing:
            _MISSING[suffix.lower()] = missing


def _reader(suffix: str) -> ReadFn | None:
    """The reader for a suffix, importing its module the first time it is needed."""
    read = _REGISTRY.get(suffix)
    if read is None and suffix in _LAZY:
        module = _LAZY[suffix]
        with contextlib.suppress(ImportError):  # optional adapter or its library absent
            importlib.import_module(module)
        for key in [k for k, m in _LAZY.items() if m == module]:
            del _LAZY[key]
        read = _REGISTRY.get(suffix)
    return read


# Structural tags of a web page; not <br>, which markdown conversions put inside pipe tables.
_MARKUP = re.compile(rb"<(html|head|body|meta|div|table|tr|td|p|span|script|style|title|ul|li|a)[\s>/]", re.I)
# the input formats ``--input-format`` can force, as the suffix whose reader they select
INPUT_FORMATS = {"html": ".html", "text": ".txt", "pdf": ".pdf", "docx": ".docx"}


def _sniff(data: bytes) -> str | None:
    """Guess a suffix from content when the name does not tell (stdin, a page saved as .txt).

    Magic bytes first (a PDF may carry junk before `%PDF`, within its first KiB); then markup:
    a document that opens with a tag, or whose head holds several HTML tags, is a web page
    (issue 10: HTML on stdin or saved as .txt read as all-blank text).
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in data[:1024]:
        return ".pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return {0x89: ".png", 0xFF: ".jpg"}.get(data[0], ".tif")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file: Word 97 .doc, WPS, Excel .xls
        return ".doc"
    if data.startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    low = head[:1024].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low or b"<table" in low:
        return ".html"
    if b"<" not in data[:65536]:  # scraped text: no markup to look for
        return None
    tags = [t.lower() for t in _MARKUP.findall(data[:65536])]
    if (len(tags) >= 5 and len(set(tags)) >= 3) or (low.startswith(b"<") and _MARKUP.match(low)):
        return ".html"
    return None


def adapter_for(data: bytes, source: str, input_format: str | None = None) -> tuple[str, ReadFn]:
    """The (suffix, read function) for these bytes; AdapterError if no adapter fits.

    ``input_format`` (a key of INPUT_FORMATS) forces the reader, whatever the name and content say.
    """
    if input_format is not None:
        forced = INPUT_FORMATS.get(input_format)
        if forced is None:
            raise AdapterError(f"unknown input format {input_format!r} (one of: {', '.join(INPUT_FORMATS)})")
        forced_read = _reader(forced)
        if forced_read is None:
            raise AdapterError(f"no {forced} reader is installed")
        return forced, forced_read
    suffix = PurePath(source).suffix.lower()
    read = _reader(suffix)
    if read is not None and suffix not in (".txt", ".md", ""):
        return suffix, read
    if read is None and suffix in _MISSING:
        raise AdapterError(_MISSING[suffix])
    sniffed = _sniff(data)
    if sniffed is not None:
        sniffed_read = _reader(sniffed)
        if sniffed_read is not None:
            return sniffed, sniffed_read
        if sniffed in _MISSING:
            raise AdapterError(_MISSING[sniffed])
        raise AdapterError(f"looks like a {sniffed[1:].upper()} file, but no {sniffed} reader is installed")
    if read is not None:
        return suffix, read
    if suffix in (".pdf", ".docx"):
        raise AdapterError(f"no {suffix} reader is installed")
    return ".txt", _REGISTRY[".txt"]


def read_document(data: bytes, source: str, input_format: str | None = None) -> Document:
    """Bytes → Document, dispatching on suffix, then on content (%PDF, PK zip → docx, <html)."""
    _, read = adapter_for(data, source, input_format)
    return read(data, source)


def _load_builtin() -> None:
    from xxgk.adapters import html, text

    register((".html", ".htm", ".xhtml", ".shtml"), html.read_html)
    register((".txt", ".md", ".markdown", ".text", ""), text.read_text_bytes)
    register_lazy((".pdf",), "xxgk.adapters.pdf")
    register_lazy((".docx", ".docm"), "xxgk.adapters.docx")
    # Scans by OCR (the optional [ocr] extra) and legacy office files through LibreOffice.
    register_lazy(_IMAGE_SUFFIXES, "xxgk.adapters.scan", missing=_NO_OCR)
    register_lazy((".doc", ".wps", ".rtf", ".wpt", ".dot", ".xls", ".et", ".ett"), "xxgk.adapters.legacy")


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
_NO_OCR = (
    "a scanned image needs OCR, which is not installed: install the [ocr] extra "
    "(pip install 'xxgk[ocr]': rapidocr, onnxruntime, opencv-python-headless)"
)


_load_builtin()
