"""Content sniffing (issue 10 item 6): stdin and misnamed files are read by what they hold, and
`--input-format` forces the reader. Before, an HTML page saved as `.txt` (or a page fragment on
stdin) was read as text: tags and all, every cell blank or ambiguous, exit 0."""

from __future__ import annotations

import json
import random
import subprocess

import pytest
from tests.paths import REPO

from xxgk.adapters import AdapterError, adapter_for
from xxgk.extract import ExtractError, extract_bytes
from xxgk.render import render
from xxgk.samples import random_report

XXGK = str(REPO / ".venv" / "bin" / "xxgk")


def _fragment() -> tuple[bytes, object]:
    """The page's body only, behind a long inline script: no `<html` or `<table` in its first KiB."""
    report = random_report(random.Random(11), "2021")
    page = render(report, "html").decode()
    body = page[page.index("<body") : page.rindex("</body>")]
    body = body[body.index(">") + 1 :]
    script = "<script>var nav = [" + ",".join(f'"item{i}"' for i in range(300)) + "];</script>\n"
    return ("<div class=article>" + script + body + "</div>").encode(), report


def test_html_fragment_saved_as_txt_is_read_as_html() -> None:
    data, report = _fragment()
    assert b"<html" not in data[:1024] and b"<table" not in data[:1024]
    assert adapter_for(data, "page.txt")[0] == ".html"
    got = extract_bytes(data, "page.txt")
    assert got.value("table3.new.total") == report.value("table3.new.total")  # type: ignore[attr-defined]
    assert not [k for k, s in got.cells.items() if s.status == "ambiguous"]


def test_markdown_with_br_tags_stays_text() -> None:
    data = ("| 一、本年新收 | 1<br>2 |\n" * 10).encode()
    assert adapter_for(data, "-")[0] != ".html"


def test_pdf_with_junk_before_its_header_is_sniffed() -> None:
    assert adapter_for(b"\r\n\x00junk%PDF-1.7\n...", "download")[0] == ".pdf"


def test_input_format_forces_the_reader() -> None:
    data, _ = _fragment()
    assert adapter_for(data, "page.html", "text")[0] == ".txt"
    with pytest.raises(AdapterError, match="unknown input format"):
        adapter_for(data, "page.html", "xml")
    with pytest.raises(ExtractError, match=r"page\.bin"):
        extract_bytes(b"plain words, no report", "page.bin", input_format="pdf")


def test_cli_stdin_fragment_and_input_format() -> None:
    data, report = _fragment()
    run = subprocess.run(
        [XXGK, "extract", "-", "--format", "jsonl"], input=data, capture_output=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    read = json.loads(run.stdout)
    assert read["table3"]["new"]["total"] == report.value("table3.new.total")  # type: ignore[attr-defined]
    assert read["cells"]["table3.new.total"]["status"] == "read"
    forced = subprocess.run(
        [XXGK, "extract", "-", "--input-format", "bogus"], input=data, capture_output=True, timeout=120
    )
    assert forced.returncode != 0 and b"Traceback" not in forced.stderr
