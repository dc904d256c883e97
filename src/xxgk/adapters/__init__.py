"""Adapter registry: pick the reader for a file by suffix, else by sniffing its first bytes.

Adapters register ``read(data, source) -> Document``. HTML and text are built in; PDF and DOCX
live in ``adapters/pdf.py`` / ``adapters/docx.py`` and are imported if present, so a missing
optional module never breaks text/HTML reading.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from pathlib import PurePath

from xxgk.adapters.base import AdapterError, Document, Grid, GridCell, Position

__all__ = [
    "AdapterError",
    "Document",
    "Grid",
    "GridCell",
    "Position",
    "ReadFn",
    "adapter_for",
    "read_document",
    "register",
]

ReadFn = Callable[[bytes, str], Document]
_REGISTRY: dict[str, ReadFn] = {}


def register(suffixes: tuple[str, ...], read: ReadFn) -> None:
    """Register ``read`` for file suffixes like ``(".html", ".htm")`` (lower case, with the dot)."""
    for suffix in suffixes:
        _REGISTRY[suffix.lower()] = read


def _sniff(data: bytes) -> str | None:
    """Guess a suffix from content when the name does not tell (stdin, odd extensions)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    low = head[:1024].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low or b"<table" in low:
        return ".html"
    return None


def adapter_for(data: bytes, source: str) -> tuple[str, ReadFn]:
    """The (suffix, read function) for these bytes; AdapterError if no adapter fits."""
    suffix = PurePath(source).suffix.lower()
    if suffix in _REGISTRY and suffix not in (".txt", ".md", ""):
        return suffix, _REGISTRY[suffix]
    sniffed = _sniff(data)
    if sniffed is not None:
        if sniffed in _REGISTRY:
            return sniffed, _REGISTRY[sniffed]
        raise AdapterError(f"looks like a {sniffed[1:].upper()} file, but no {sniffed} reader is installed")
    if suffix in _REGISTRY:
        return suffix, _REGISTRY[suffix]
    if suffix in (".pdf", ".docx"):
        raise AdapterError(f"no {suffix} reader is installed")
    return ".txt", _REGISTRY[".txt"]


def read_document(data: bytes, source: str) -> Document:
    """Bytes → Document, dispatching on suffix, then on content (%PDF, PK zip → docx, <html)."""
    _, read = adapter_for(data, source)
    return read(data, source)


def _load_builtin() -> None:
    from xxgk.adapters import html, text

    register((".html", ".htm", ".xhtml", ".shtml"), html.read_html)
    register((".txt", ".md", ".markdown", ".text", ""), text.read_text_bytes)
    for name in ("pdf", "docx"):
        with contextlib.suppress(ImportError):  # optional adapters (H3): absence must not break text/HTML
            importlib.import_module(f"xxgk.adapters.{name}")


_load_builtin()
