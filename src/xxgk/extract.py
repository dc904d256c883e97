"""Library API of ``xxgk extract``: any supported input → a :class:`~xxgk.model.Report`.

Pipeline: bytes → adapter (``xxgk.adapters``) → Document → reader (``xxgk.readers``) → Report
(+ findings from ``xxgk.check`` when asked). Every failure is an :class:`ExtractError` whose
``str()`` is ``"<path>: <reason>"`` — one line, no traceback — so a batch can go on.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

from xxgk.adapters import AdapterError, Document, read_document
from xxgk.adapters.html import html_document
from xxgk.adapters.text import document_from_text
from xxgk.errors import XxgkError
from xxgk.files import InputTooLarge, display_path, iter_inputs, read_bounded
from xxgk.model import (
    MAX_AGENCY_CHARS,
    MAX_MAGNITUDE,
    MAX_YEAR,
    MIN_YEAR,
    OUT_OF_RANGE,
    CellSource,
    Report,
    ReportFileError,
    in_range,
    load_report,
    parse_report,
)
from xxgk.readers import NotAReportError, read_report

MAX_BYTES = 50 * 1024 * 1024  # refuse larger inputs outright (issue 3, item 4)

__all__ = ["MAX_BYTES", "ExtractError", "extract_bytes", "extract_file", "extract_text", "iter_inputs"]


class ExtractError(XxgkError):
    """One input could not be read as a report; ``str(e) == f"{path}: {reason}"``."""

    def __init__(self, path: str, reason: str) -> None:
        # the path as one printable line: a name cannot forge an error line (issue 11 item 3)
        super().__init__(f"{display_path(path)}: {reason}")
        self.path = path
        self.reason = reason


def _finish(report: Report, check: bool) -> Report:
    if check:
        from xxgk.check import check as run_check

        report.findings = run_check(report)
    return report


def extract_document(doc: Document, *, check: bool = False) -> Report:
    """Document → Report (for adapters' callers that already hold a Document)."""
    try:
        report = read_report(doc)
    except NotAReportError as exc:
        raise ExtractError(doc.source, str(exc)) from None
    except RecursionError:
        raise ExtractError(doc.source, "document structure too deeply nested to read") from None
    if doc.readings:  # OCR'd cells: confidence into provenance, doubtful digits never silent
        from xxgk.readers.ocr_doubts import settle_doubts

        settle_doubts(report, doc.readings)
    refuse_out_of_range(report)
    return _finish(report, check)


def refuse_out_of_range(report: Report) -> list[str]:
    """Cells whose number the model cannot hold become `ambiguous` (V-AMBIGUOUS names them).

    A 25-digit run printed in a table is not a count any 年报 reports; keeping it would break
    every writer downstream (issue 11 item 2). The printed digits stay in the cell's text.
    Returns the refused cells.
    """
    refused = []
    out_of_range = [
        (c, v)
        for c, v in report.iter_cells()
        # a small int (nearly every cell) is in range: tested inline before the general check
        if v is not None and not (type(v) is int and -MAX_MAGNITUDE < v < MAX_MAGNITUDE) and not in_range(v)
    ]
    for cell, value in out_of_range:
        source = report.cells.get(cell)
        text = (source.text if source is not None and source.text else str(value))[:64]
        if source is None:
            refused_source = CellSource(status="ambiguous", text=text, note=OUT_OF_RANGE)
        else:
            update = {
                "status": "ambiguous",
                "text": text,
                "note": OUT_OF_RANGE,
                "candidates": None,
                "basis": None,
            }
            refused_source = source.model_copy(update=update)
        report.set(cell, None, refused_source)
        refused.append(cell)
    for source in report.cells.values():
        # rewritten only where a candidate is out of range (most reports: none, and no rewrite)
        if source.candidates and not all(in_range(c.value) for c in source.candidates):
            source.candidates = [c for c in source.candidates if in_range(c.value)] or None
    if report.year is not None and not MIN_YEAR <= report.year <= MAX_YEAR:
        report.year = None
    if report.agency is not None and len(report.agency) > MAX_AGENCY_CHARS:
        report.agency = None  # not a name any body has: unknown rather than a cut guess
    return refused


def _looks_like_report_json(data: bytes, source: str) -> bool:
    if not source.lower().endswith(".json"):
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        return head.startswith(b"{") and b'"xxgk-report/' in data[:4096]
    return True


def extract_bytes(
    data: bytes, source: str, *, check: bool = False, input_format: str | None = None
) -> Report:
    """Read one input given as bytes; ``source`` (path/URL/"-") picks the adapter and names errors.

    ``input_format`` (html, text, pdf, docx) forces the adapter; otherwise the suffix, then the
    content decides (xxgk.adapters.adapter_for)."""
    source = display_path(source)  # what the report and any message carry: one printable line
    if len(data) > MAX_BYTES:
        raise ExtractError(source, f"file is larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
    if not data.strip():
        raise ExtractError(source, "empty file")
    if input_format is None and _looks_like_report_json(data, source):
        try:
            raw = json.loads(data.decode("utf-8-sig"))
            report = parse_report(raw, source)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ExtractError(source, "not a valid report JSON file") from None
        except RecursionError:
            raise ExtractError(source, "JSON nested too deeply to be a report") from None
        except ReportFileError as exc:
            raise ExtractError(source, str(exc).removeprefix(f"{source}: ")) from None
        if report.source is None:
            report.source = source  # say where it came from, as for every other input
        return _finish(report, check)
    try:
        doc = read_document(data, source, input_format)
    except AdapterError as exc:
        raise ExtractError(source, str(exc)) from None
    except RecursionError:
        raise ExtractError(source, "document structure too deeply nested to read") from None
    return extract_document(doc, check=check)


def extract_file(path: str | Path, *, check: bool = False, input_format: str | None = None) -> Report:
    """Read one file (HTML, text, markdown, PDF, DOCX, or an xxgk report .json)."""
    p = Path(path)
    try:
        info = p.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ExtractError(str(p), "is a directory")
        data = read_bounded(p, MAX_BYTES)  # bounded: /dev/zero and pipes report size 0
    except FileNotFoundError:
        raise ExtractError(str(p), "no such file") from None
    except InputTooLarge as exc:
        raise ExtractError(str(p), str(exc)) from None
    except OSError as exc:
        raise ExtractError(str(p), f"cannot read: {exc.strerror or exc}") from None
    if p.suffix.lower() == ".json" and input_format is None:
        try:
            report = load_report(p, data)
            if report.source is None:
                report.source = display_path(p)
            return _finish(report, check)
        except ReportFileError as exc:
            raise ExtractError(str(p), str(exc).removeprefix(f"{p}: ")) from None
    return extract_bytes(data, str(p), check=check, input_format=input_format)


def extract_text(text: str, source: str = "<text>", *, check: bool = False) -> Report:
    """Read a report that is already a Python string (pasted text, markdown or HTML)."""
    if len(text) > MAX_BYTES:
        raise ExtractError(source, f"text is larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
    if not text.strip():
        raise ExtractError(source, "empty text")
    head = text[:2048].lstrip().lower()
    try:
        if head.startswith(("<!doctype html", "<html")) or "<table" in text[:200_000].lower():
            doc = html_document(text, source)
        else:
            doc = document_from_text(text, source)
    except AdapterError as exc:
        raise ExtractError(source, str(exc)) from None
    return extract_document(doc, check=check)
