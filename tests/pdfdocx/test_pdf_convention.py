"""The 自然人 convention is for text that dropped its blank cells; a PDF's text layer drops every
empty cell whatever the report printed, so a table 3 row read from it keeps its cells ambiguous
(issue 10: sparse borderless rows placed by the convention read one column off, `inferred`)."""

from __future__ import annotations

from dataclasses import replace

from tests.paths import DEV_DOCS

from xxgk.adapters import read_document
from xxgk.extract import extract_document


def test_a_pdf_text_row_is_not_placed_by_the_convention() -> None:
    path = next(p for p in DEV_DOCS.iterdir() if p.name.startswith("001_"))
    text = read_document(path.read_bytes(), path.name)
    as_text = extract_document(text)
    as_pdf = extract_document(replace(text, kind="pdf", source="001.pdf"))
    # the real report drops the blanks of its table 3 rows: read as text, the convention places
    # the first value under 自然人 (tests/extract/test_dev_corpus.py)
    assert (as_text.value("table3.new.natural_person"), as_text.status("table3.new.natural_person")) == (
        9,
        "inferred",
    )
    convention = [k for k, src in as_text.cells.items() if src.basis == "convention"]
    assert convention
    for key in convention:
        assert as_pdf.status(key) == "ambiguous", key
        assert as_pdf.cells[key].candidates, key
    assert not any(src.basis == "convention" for src in as_pdf.cells.values())
    # the rest reads the same
    same = [k for k in as_text.cells if k not in convention and as_text.status(k) != "ambiguous"]
    assert [as_pdf.value(k) for k in same] == [as_text.value(k) for k in same]
