"""Legacy office files (.doc, .wps, .rtf; .xls, .et) → converted by LibreOffice, then read.

County offices still publish Word 97 ``.doc`` and WPS ``.wps`` attachments, and some send the
tables as a sheet (``.xls``, WPS ``.et``). There is no maintained pure-Python reader for them
(shared/spec/libraries.md B.7), so they are converted with LibreOffice headless when it is
installed — documents to DOCX and read by the DOCX adapter, sheets to HTML (one ``<table>`` per
sheet, merged cells kept as spans; its bordered blocks split into tables by
``sheet_html.split_sheet_tables``) and read by the HTML adapter. The conversion runs:

- in a private temporary directory holding only a copy of the input, with its own LibreOffice
  profile (parallel conversions must not share one), deleted afterwards;
- with a timeout (``TIMEOUT`` s) — a file LibreOffice chokes on is refused, not waited on;
- only for files up to ``MAX_BYTES`` (the DOCX/HTML it produces goes through its adapter's
  own limits).

The Document says it was converted (a warning, which becomes a note in the report), and its
kind is the original format. Without LibreOffice, one line says which Debian package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePath

from xxgk.adapters import register
from xxgk.adapters.base import AdapterError, Document

TIMEOUT = 120.0  # seconds for one conversion (a 30-page .doc takes ~3 s)
MAX_BYTES = 20 * 1024 * 1024
DOCUMENTS = (".doc", ".wps", ".rtf", ".wpt", ".dot")
SHEETS = (".xls", ".et", ".ett")
MSG_NO_SOFFICE = (
    "{kind} files are read through LibreOffice, which is not installed: "
    "install the Debian package libreoffice-writer (apt-get install libreoffice-writer{calc})"
)
MSG_FAILED = "LibreOffice could not convert this {kind} file (damaged, encrypted or not a {kind} file)"
MSG_TIMEOUT = "LibreOffice did not finish converting this {kind} file within {seconds:.0f} s"


def soffice() -> str | None:
    """The LibreOffice binary, if installed (``XXGK_SOFFICE`` overrides the search)."""
    override = os.environ.get("XXGK_SOFFICE")
    if override is not None:
        return override if override and Path(override).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str) -> bytes:
    """The bytes of ``data`` (a ``suffix`` file) converted to ``target`` ("docx" or "html")."""
    kind = suffix.lstrip(".").upper()
    binary = soffice()
    if binary is None:
        calc = " libreoffice-calc" if suffix in SHEETS else ""
        raise AdapterError(MSG_NO_SOFFICE.format(kind=kind, calc=calc))
    if len(data) > MAX_BYTES:
        raise AdapterError(f"refused: {kind} file larger than {MAX_BYTES // (1024 * 1024)} MB")
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        filter_name = {"docx": "docx:MS Word 2007 XML", "html": "html:HTML (StarCalc)"}[target]
        cmd = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            filter_name,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}  # nothing written outside the sandbox directory
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False, cwd=work, env=env)
        except subprocess.TimeoutExpired:
            raise AdapterError(MSG_TIMEOUT.format(kind=kind, seconds=TIMEOUT)) from None
        except OSError as exc:
            raise AdapterError(f"LibreOffice could not be started ({exc.strerror or exc})") from None
        produced = sorted(out_dir.glob(f"input.{target}"))
        if not produced or produced[0].stat().st_size == 0:
            raise AdapterError(MSG_FAILED.format(kind=kind))
        return produced[0].read_bytes()


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_container(data: bytes, suffix: str) -> None:
    """A Word 97 / WPS / Excel 97 file is an OLE2 compound file: refuse one whose header is broken.

    LibreOffice opens anything: a damaged binary would come back as a page of garbage text, so
    the header is checked here (byte order FFFE, 512- or 4096-byte sectors; MS-CFB 2.2).
    """
    if suffix == ".rtf" or not data.startswith(OLE2_MAGIC):
        if suffix != ".rtf" and not data.startswith((b"PK\x03\x04", b"{\\rtf", b"<")):
            raise AdapterError(f"damaged {suffix} file: not a Word/WPS/Excel compound document")
        return
    if len(data) < 1536 or data[28:30] != b"\xfe\xff" or data[30:32] not in (b"\x09\x00", b"\x0c\x00"):
        raise AdapterError(f"damaged {suffix} file: its compound-document header is broken")


def read_legacy(data: bytes, source: str) -> Document:
    """A .doc/.wps/.rtf (→ DOCX) or .xls/.et (→ HTML) file, converted by LibreOffice, as a Document."""
    suffix = PurePath(source).suffix.lower()
    if suffix not in DOCUMENTS + SHEETS:
        suffix = ".rtf" if data.startswith(b"{\\rtf") else ".doc"  # sniffed (stdin, odd name)
    kind = suffix.lstrip(".")
    _check_container(data, suffix)
    if suffix in SHEETS:
        from xxgk.adapters.html import html_document
        from xxgk.adapters.sheet_html import split_sheet_tables

        doc = html_document(split_sheet_tables(convert(data, suffix, "html")), source)
    else:
        from xxgk.adapters.docx import read_docx

        doc = read_docx(convert(data, suffix, "docx"), source)
    doc.kind = kind
    doc.meta["converted"] = f"{kind} → {'html' if suffix in SHEETS else 'docx'} by LibreOffice"
    doc.warnings.insert(0, f"converted from .{kind} by LibreOffice (headless) before reading")
    return doc


register(DOCUMENTS + SHEETS, read_legacy)
