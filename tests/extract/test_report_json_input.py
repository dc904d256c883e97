"""Report JSON given to `extract` is read as is, and still says where it came from."""

from __future__ import annotations

from pathlib import Path

from xxgk.extract import extract_bytes, extract_file


def test_report_json_without_a_source_is_named_after_its_input(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"format": "xxgk-report/1", "year": 2022}', "utf-8")
    assert extract_file(path).source == str(path)
    assert extract_bytes(path.read_bytes(), "-").source == "-"


def test_report_json_keeps_its_own_source(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"format": "xxgk-report/1", "source": "https://example.invalid/r.html"}', "utf-8")
    assert extract_file(path).source == "https://example.invalid/r.html"
