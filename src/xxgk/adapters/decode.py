"""Bytes → str for web pages and scraped text.

Order (issue 3): BOM, then a declared charset (HTTP-ish ``Content-Type`` line or
``<meta charset>``), then strict UTF-8, then charset-normalizer. gb2312/gbk are widened to
gb18030 because real pages labelled gb2312 routinely contain characters outside it.
"""

from __future__ import annotations

import codecs
import re

from xxgk.adapters.base import AdapterError

_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}
_DECLARED = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _canonical(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _WIDEN.get(codec, codec if codec != "big5" else "big5hkscs")


def declared_charset(data: bytes) -> str | None:
    """The charset the bytes declare in their head (meta tag, XML decl or a Content-Type line)."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    return _canonical(match.group(1).decode("ascii", "replace"))


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding used). AdapterError for binary junk."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace").lstrip("\ufeff"), name
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lies; fall back to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise AdapterError("binary data, not a text or HTML report")
    from charset_normalizer import from_bytes  # only for undeclared non-UTF-8 input: ~15 ms to import

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise AdapterError("cannot determine the text encoding")
    name = _canonical(best.encoding) or best.encoding
    return data.decode(name, errors="replace"), name
