"""Bytes → text: declared charset first (gb2312/gbk widened to gb18030), BOMs, then detection."""

from __future__ import annotations

import codecs

import pytest
from tests.paths import DEV_DOCS

from xxgk.adapters.decode import declared_charset, decode
from xxgk.extract import extract_bytes


def _dev_text(prefix: str) -> str:
    return next(p for p in DEV_DOCS.iterdir() if p.name.startswith(prefix)).read_text(encoding="utf-8")


def test_gb2312_declaration_is_widened_to_gb18030() -> None:
    # 镕 and 堃 are outside GB2312 but real pages labelled gb2312 contain them (GBK/GB18030 bytes)
    page = '<html><head><meta charset="gb2312"></head><body><p>朱镕基 王堃</p></body></html>'
    data = page.encode("gb18030")
    assert declared_charset(data) == "gb18030"
    text, encoding = decode(data)
    assert "朱镕基 王堃" in text and encoding == "gb18030"


def test_http_style_content_type_line() -> None:
    data = "Content-Type: text/plain; charset=GBK\n\n一、总体情况".encode("gbk")
    assert decode(data) == ("Content-Type: text/plain; charset=GBK\n\n一、总体情况", "gb18030")


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_wins(bom: bytes, codec: str) -> None:
    text, _ = decode(bom + "二、主动公开政府信息情况".encode(codec))
    assert text == "二、主动公开政府信息情况"


def test_lying_declaration_falls_back_to_detection() -> None:
    data = b'<meta charset="big5">' + "沿海工业城发展服务中心政务信息公开".encode()
    text, encoding = decode(data)
    assert "沿海工业城" in text and encoding == "utf-8"


@pytest.mark.parametrize("prefix,codec", [("000_", "gbk"), ("002_", "gb18030"), ("004_", "big5")])
def test_undeclared_legacy_encodings_of_real_reports(prefix: str, codec: str) -> None:
    raw = _dev_text(prefix)
    data = raw.encode(codec, errors="ignore" if codec == "big5" else "strict")
    utf8 = extract_bytes(raw.encode("utf-8"), f"{prefix}.txt")
    legacy = extract_bytes(data, f"{prefix}.txt")
    assert legacy.year == utf8.year
    assert list(legacy.iter_cells()) == list(utf8.iter_cells())
