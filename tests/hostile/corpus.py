"""A hostile corpus, generated: every kind of broken or malicious input issue 11 lists.

`write_hostile(folder)` writes the files and returns the cases: name → what the audit must do
with it ("ok": read as a report; "unreadable": recorded as failed with a one-line reason;
"set aside": found but not read, with a reason). Valid reports are rendered from a dev label,
so the corpus needs nothing but the repository and ../shared.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.paths import DEV_TRUTH, REPO

from xxgk.model import Report, load_report
from xxgk.render import render
from xxgk.render.docx import render_docx

FIXTURES = REPO / "tests" / "fixtures" / "pdfdocx"
LABEL = DEV_TRUTH / "101_pingtan-junshan-2022.json"


@dataclass(frozen=True)
class Case:
    name: str  # file name (str; may hold surrogate-escaped bytes)
    expect: str  # "ok" | "unreadable" | "set aside"
    reason: str = ""  # a fragment the one-line reason must contain


def valid_report() -> Report:
    return load_report(LABEL)


def report_html(report: Report | None = None) -> bytes:
    return render(report or valid_report(), "html")


def report_docx(report: Report | None = None) -> bytes:
    return render_docx(report or valid_report())


def understated_zip_bomb(inflated_mb: int = 80) -> bytes:
    """A DOCX whose word/document.xml inflates to `inflated_mb` MB while the zip directory (local
    header and central directory) says 1 KB: the archive passes any check of declared sizes."""
    spaces = b" " * (1 << 20)
    return understated(report_docx(), "word/document.xml", [b"<!--", *[spaces] * inflated_mb, b"-->"])


def understated(archive: bytes, member: str, chunks: Iterable[bytes], fake: int = 1024) -> bytes:
    """`archive` with `member` replaced by the concatenated `chunks` (streamed in), while the zip
    directory (local header and central directory) says the member is `fake` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == member:
                with dst.open(member, "w") as part:
                    for chunk in chunks:
                        part.write(chunk)
            else:
                dst.writestr(info, src.read(info))
    data = bytearray(out.getvalue())
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:  # local headers: uncompressed size at +22
        (name_len,) = struct.unpack_from("<H", data, local + 26)
        if data[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", data, local + 22, fake)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:  # central directory: uncompressed size at +24
        (name_len,) = struct.unpack_from("<H", data, central + 28)
        if data[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, fake)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def docx_with_document_xml(xml: bytes) -> bytes:
    """A valid DOCX package whose main part is replaced by `xml` (billion laughs, XXE)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(report_docx())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, xml if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


LAUGHS = (
    b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
"""
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"""]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""
)

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


def pdf_pages(n: int) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(n):
        doc.new_page(200, 200)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def report_with_value(value: int) -> bytes:
    """The valid report rendered as HTML with one table cell printing `value`."""
    report = valid_report()
    report.set("table3.new.natural_person", value)
    return report_html(report)


def write_hostile(folder: Path, *, heavy: bool = True) -> list[Case]:
    """Write the corpus into `folder` (created); returns the cases. `heavy`: the 80 MB zip bomb
    and the 2,001-page PDF (a few seconds to build)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def put(name: str, data: bytes, expect: str, reason: str = "") -> None:
        (folder / name).write_bytes(data)
        cases.append(Case(name, expect, reason))

    html = report_html()
    put("valid.html", html, "ok")
    put("valid.docx", report_docx(), "ok")
    put("=1+2.html", html, "ok")  # a formula as a file name: the outputs must still be written
    put(os.fsdecode(b"non-utf8-\xff\xfe-name.html"), html, "ok")
    put("newline\nxxgk: forged line.html", html, "ok")
    agency = valid_report()
    agency.agency = '=HYPERLINK("http://x")' + "很长的机关名称" * 35  # > 255 (the old VARCHAR), < 300
    put("long-agency.json", agency.to_json().encode(), "ok")
    huge = agency.to_dict()
    huge["agency"] = "机关" * 1000  # past what PostgreSQL can index: refused, alike on both back ends
    put("huge-agency.json", json.dumps(huge, ensure_ascii=False).encode(), "unreadable", "agency")
    put("digits25.html", report_with_value(10**24 + 7), "ok")  # read; the cell refused as ambiguous
    put("digits401.html", report_with_value(10**400 + 1), "ok")
    big = valid_report().to_dict()
    big["table3"]["new"]["natural_person"] = 10**24
    put("digits25.json", json.dumps(big).encode(), "unreadable", "more than 15 digits")
    put("empty.txt", b"", "unreadable", "empty")
    put("junk.bin", bytes(range(256)) * 64, "unreadable", "")
    put("junk.html", b"\x00\xff" * 5000, "unreadable", "")
    put("truncated.docx", report_docx()[:3000], "unreadable", "DOCX")
    pdf = (FIXTURES / "pdf" / "101_pingtan-junshan-2022.pdf").read_bytes()
    put("truncated.pdf", pdf[: len(pdf) // 3], "unreadable", "")
    shutil.copy(FIXTURES / "bad" / "encrypted.pdf", folder / "encrypted.pdf")
    cases.append(Case("encrypted.pdf", "unreadable", "password"))
    put("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096, "unreadable", "password")
    put("laughs.docx", docx_with_document_xml(LAUGHS), "unreadable", "")
    put("xxe.docx", docx_with_document_xml(XXE), "unreadable", "")
    put("laughs.xhtml", LAUGHS.replace(b"w:document", b"html"), "unreadable", "")
    put("deep.html", b"<html><body>" + b"<div>" * 200_000 + b"x" + b"</div>" * 200_000, "unreadable", "")
    put("deep.json", b"[" * 100_000 + b"]" * 100_000, "unreadable", "nested")
    put("empty-object.json", b"{}", "unreadable", "not a report")
    put(
        "spans.html",
        b"<table>" + b"<tr>" + b'<td rowspan="200" colspan="200">x</td>' * 2000 + b"</tr></table>",
        "unreadable",
        "grid cells",
    )
    text = html.decode("utf-8", "replace")
    mixed = text[: len(text) // 2].encode("gbk", "replace") + text[len(text) // 2 :].encode("utf-8")
    put("mixed-encoding.html", mixed, "unreadable", "encoding")
    # unreadable for root too: reading /proc/self/mem at offset 0 fails with EIO
    os.symlink("/proc/self/mem", folder / "unreadable.txt")
    cases.append(Case("unreadable.txt", "unreadable", "cannot read"))
    os.symlink("loop-b", folder / "loop-a.html")
    os.symlink("loop-a.html", folder / "loop-b")
    cases.append(Case("loop-a.html", "set aside", "symbolic link"))
    cases.append(Case("loop-b", "set aside", "symbolic link"))
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")
    cases.append(Case("sub/up", "set aside", "symbolic link to a folder"))
    os.mkfifo(folder / "fifo.txt")
    cases.append(Case("fifo.txt", "set aside", "not a regular file"))
    deep = folder
    for i in range(9):  # a path over 2,000 bytes: set aside identically on SQLite and PostgreSQL
        deep = deep / (f"{i}" + "长" * 80)
    deep.mkdir(parents=True)
    (deep / "r.html").write_bytes(html)
    cases.append(Case(str((deep / "r.html").relative_to(folder)), "set aside", "path longer than"))
    if heavy:
        put("bomb-understated.docx", understated_zip_bomb(), "unreadable", "")
        put("pages2001.pdf", pdf_pages(2001), "unreadable", "2001 pages")
    return cases
