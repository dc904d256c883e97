"""Adapter dispatch: suffix first, then content sniffing (stdin, odd or missing extensions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.paths import DEV_DOCS, REPO

from xxgk.adapters import AdapterError, adapter_for, read_document
from xxgk.extract import iter_inputs

FIXTURES = REPO / "tests" / "fixtures" / "pdfdocx"


def test_html_without_suffix_is_sniffed() -> None:
    suffix, _ = adapter_for(b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>", "-")
    assert suffix == ".html"
    doc = read_document(b"<html><body><p>\xe4\xb8\x80</p></body></html>", "page")
    assert doc.kind == "html"


def test_text_suffix_with_html_content_is_read_as_html() -> None:
    doc = read_document(b"<html><body><table><tr><td>a</td><td>b</td></tr></table></body></html>", "x.txt")
    assert doc.kind == "html" and len(doc.grids) == 1


@pytest.mark.skipif(not (FIXTURES / "pdf").exists(), reason="the PDF fixtures are not present")
def test_pdf_and_docx_bytes_are_sniffed_whatever_the_name() -> None:
    pdf = next((FIXTURES / "pdf").glob("*.pdf")).read_bytes()
    docx = next((FIXTURES / "docx").glob("*.docx")).read_bytes()
    assert adapter_for(pdf, "download.txt")[0] == ".pdf"
    assert adapter_for(docx, "-")[0] == ".docx"


def test_plain_text_and_markdown() -> None:
    md = read_document((DEV_DOCS / "103_shanghai-kewei-2024.md").read_bytes(), "x.md")
    txt = read_document("一、总体情况\n".encode(), "x")
    assert (md.kind, txt.kind) == ("markdown", "text")


def test_binary_junk_is_refused() -> None:
    with pytest.raises(AdapterError):
        read_document(b"\x00\x01\x02" * 100, "blob.txt")


def test_iter_inputs_skips_hidden_and_sorts(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.html").write_text("a")
    assert [p.name for p in iter_inputs([tmp_path])] == ["a.html", "b.txt"]
