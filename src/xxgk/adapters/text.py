"""Plain text and markdown (scraped pages, PDF/Word → markdown) → Document.

The text is normalised once: fold() (full-width → ASCII, exotic spaces → space) and
to_simplified() (OpenCC t2s + domain dictionary). Both keep the length for the characters
reports use, so offsets into Document.text are offsets into the decoded file.
"""

from __future__ import annotations

from pathlib import PurePath

from xxgk.adapters.base import AdapterError, Document
from xxgk.adapters.decode import decode
from xxgk.text import fold, to_simplified


def normalise(raw: str) -> str:
    """fold + simplify + unify line ends (\\r\\n → \\n keeps offsets stable after one replace)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return to_simplified(fold(text))


def document_from_text(raw: str, source: str, *, encoding: str = "utf-8") -> Document:
    if "\x00" in raw[:4096]:
        raise AdapterError("binary data, not a text report")
    text = normalise(raw)
    kind = "markdown" if PurePath(source).suffix.lower() in (".md", ".markdown") else "text"
    title = _first_line(text)[:200]
    return Document(source=source, kind=kind, text=text, meta={"encoding": encoding, "title": title})


def _first_line(text: str) -> str:
    """The first non-empty line, without splitting the whole document into lines."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if line:
            return line
        start = end + 1
    return ""


def read_text_bytes(data: bytes, source: str) -> Document:
    raw, encoding = decode(data)
    return document_from_text(raw, source, encoding=encoding)
