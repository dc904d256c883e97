"""Speed-related guarantees that are behaviour, not timing (issue 3 speed targets).

* Reading a text or HTML report must not import the PDF/DOCX stacks (pypdfium2, pdfplumber,
  python-docx: ~120 ms of import time per process), and a PDF must still be read on demand.
* label_key's cache is bounded and whole documents never enter it (10,000-document batches).
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.paths import DEV_DOCS, REPO

from xxgk.templates import all_templates, detect_template, marker_counts
from xxgk.text import _cached_key, label_key, text_key

HEAVY = ("pypdfium2", "pdfplumber", "docx", "xxgk.adapters.pdf", "xxgk.adapters.docx")


def _imported_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_text_and_html_extraction_do_not_import_pdf_or_docx_libraries() -> None:
    doc = sorted(p for p in DEV_DOCS.iterdir() if p.suffix == ".txt")[0]
    code = (
        "from xxgk.extract import ExtractError, extract_bytes, extract_file\n"
        f"extract_file({str(doc)!r})\n"
        "try:\n"
        "    extract_bytes('<html><body><table><tr><td>规章</td><td>1</td></tr></table></body></html>'.encode(), 'p.html')\n"
        "except ExtractError:\n"
        "    pass\n"
        "import xxgk.cli\n"
    )
    assert _imported_after(code) == []


def test_pdf_adapter_is_imported_when_a_pdf_is_met() -> None:
    fixtures = REPO / "tests" / "fixtures" / "pdfdocx" / "pdf"
    pdf = next(fixtures.glob("*.pdf"))
    code = (
        f"from xxgk.adapters import adapter_for\nadapter_for(open({str(pdf)!r}, 'rb').read(), 'download.bin')"
    )
    loaded = _imported_after(code)
    assert "xxgk.adapters.pdf" in loaded and "pypdfium2" in loaded


def test_label_key_cache_is_bounded_and_skips_whole_documents() -> None:
    info = _cached_key.cache_info()
    assert info.maxsize is not None and info.maxsize <= 8192
    text = (DEV_DOCS / "000_a362a86d6de7df23.txt").read_text(encoding="utf-8")
    before = _cached_key.cache_info().currsize
    marker_counts(text)
    detect_template(text)
    label_key(text)
    markers = sum(len(t.markers) for t in all_templates())
    assert _cached_key.cache_info().currsize - before <= markers  # the markers, not the document
    assert label_key(text) == text_key(text)
    assert label_key("（二）部分公開（區分處理的，只計這一情形）") == label_key(
        "(二)部分公开(区分处理的,只计这一情形)"
    )
