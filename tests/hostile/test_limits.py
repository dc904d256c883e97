"""The bounds inside the readers and around them (issue 11), one behaviour per test."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from tests.hostile.corpus import report_html, understated_zip_bomb, valid_report

from xxgk.adapters import AdapterError
from xxgk.adapters.docx import read_docx
from xxgk.adapters.html import MAX_GRID_CELLS, read_html
from xxgk.extract import ExtractError, extract_bytes, extract_file
from xxgk.files import InputTooLarge, display_path, iter_inputs, read_bounded
from xxgk.model import MAX_MAGNITUDE, ReportFileError, in_range, load_report, parse_report


def test_understated_zip_bomb_is_refused_without_inflating_it() -> None:
    """The directory says 1 KB, the part inflates to 300 MB: before the fix python-docx inflated it
    all (zipfile's read() decompresses up to 2 GB before cutting to the declared size)."""
    bomb = understated_zip_bomb(inflated_mb=300)
    tracemalloc.start()
    try:
        with pytest.raises(AdapterError):
            read_docx(bomb, "bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MB while refusing the bomb"


def test_span_amplification_is_refused_by_the_grid_cap() -> None:
    page = b"<table><tr>" + b'<td rowspan="200" colspan="200">x</td>' * 100 + b"</tr></table>"
    with pytest.raises(AdapterError, match="grid cells"):
        read_html(page, "spans.html")
    wide = b"<table><tr><td colspan=200>x</td></tr>" + b"<tr><td>y</td></tr>" * (MAX_GRID_CELLS // 200 + 1)
    with pytest.raises(AdapterError, match="grid cells"):  # one wide row pads every row
        read_html(wide, "wide.html")


def test_a_real_page_is_far_below_the_grid_cap() -> None:
    assert len(read_html(report_html(), "r.html").grids) >= 3


def test_reads_are_bounded_whatever_the_file_says_its_size_is(tmp_path: Path) -> None:
    with pytest.raises(InputTooLarge, match="1 MB limit"):
        read_bounded("/dev/zero", 2**20)
    assert read_bounded(io.BytesIO(b"x" * 2**20), 2**20) == b"x" * 2**20
    with pytest.raises(ExtractError, match="/dev/zero: file is larger than the 50 MB limit"):
        extract_file("/dev/zero")


def test_stdin_from_dev_zero_is_refused_in_one_line() -> None:
    with open("/dev/zero", "rb") as zero:
        run = subprocess.run(
            [sys.executable, "-m", "xxgk", "extract", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    assert run.stderr.strip() == "xxgk extract: -: file is larger than the 50 MB limit"


def test_names_are_shown_as_one_printable_line() -> None:
    assert display_path(os.fsdecode(b"a-\xff.html")) == "a-\\xff.html"
    assert display_path("a\nxxgk: forged.html") == "a\\nxxgk: forged.html"
    assert display_path("报告\u2028.html") == "报告\\u2028.html"
    assert display_path("普通/报告.html") == "普通/报告.html"
    with pytest.raises(ExtractError) as info:
        extract_bytes(b"", "x\ny.txt")
    assert str(info.value) == "x\\ny.txt: empty file"


def test_extract_prints_odd_names_escaped_and_finishes(tmp_path: Path) -> None:
    html = report_html()
    (tmp_path / os.fsdecode(b"r-\xff.html")).write_bytes(html)
    unsourced = valid_report()
    unsourced.source = None  # the report then names the file it was read from
    (tmp_path / os.fsdecode(b"s-\xfe.json")).write_text(unsourced.to_json(), "utf-8")
    (tmp_path / "r\nxxgk: forged.html").write_bytes(b"")
    run = subprocess.run(
        [sys.executable, "-m", "xxgk", "extract", str(tmp_path), "--format", "jsonl"],
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 1  # the empty one failed
    out = run.stdout.decode("utf-8")
    assert len(out.splitlines()) == 2 and "r-\\\\xff.html" in out and "s-\\\\xfe.json" in out  # JSON-escaped
    assert run.stderr.decode().splitlines() == [f"xxgk extract: {tmp_path}/r\\nxxgk: forged.html: empty file"]


def test_folder_walk_reports_what_it_does_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("x")
    os.symlink("b", tmp_path / "a-loop")
    os.symlink("a-loop", tmp_path / "b")
    os.symlink(".", tmp_path / "self")
    os.mkfifo(tmp_path / "pipe.txt")
    skipped: list = []
    assert list(iter_inputs([tmp_path], skipped)) == [tmp_path / "a.html"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["a-loop"].startswith("broken symbolic link or link loop")
    assert reasons["self"] == "symbolic link to a folder, not followed (avoids loops)"
    assert reasons["pipe.txt"] == "not a regular file (device, pipe or socket)"


def test_unlistable_folder_is_reported() -> None:
    """As root a mode-000 folder is still listable: drop privileges in a child when we can."""
    import shutil
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="xxgk-closed-"))  # pytest's own tmp is private to root
    folder = tmp_path / "closed"
    folder.mkdir()
    (folder / "r.html").write_text("x")
    folder.chmod(0)
    code = (
        "import os,sys; from xxgk.files import iter_inputs;"
        "os.geteuid()==0 and (os.setgid(65534), os.setuid(65534));"
        f"s=[]; list(iter_inputs([{str(tmp_path)!r}], s)); print(s[0].reason)"
    )
    tmp_path.chmod(0o755)
    try:
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(tmp_path)
    if run.returncode != 0 and "Operation not permitted" in run.stderr:
        pytest.skip("cannot drop privileges here")
    assert run.stdout.strip() == "cannot list folder: Permission denied", run.stderr


@pytest.mark.parametrize(
    "value", [10**15, -(10**15), 10**24, 10**400, Decimal("1.0000000000000001"), Decimal("1E+20")]
)
def test_numbers_beyond_the_model_are_refused_at_reading_json(value: int | Decimal) -> None:
    assert not in_range(value)
    data = valid_report().to_dict()
    data["table3"]["new"]["natural_person"] = value
    with pytest.raises(ReportFileError, match=r"table3\.new\.natural_person.*more than 15 digits"):
        parse_report(data, "r.json")


def test_numbers_within_the_model_are_kept() -> None:
    for value in (0, MAX_MAGNITUDE - 1, Decimal("3027.6557"), Decimal("0.000000000000001")):
        assert in_range(value)


@pytest.mark.parametrize("digits", [25, 401])
def test_a_long_digit_run_in_a_document_becomes_an_ambiguous_cell_with_a_finding(digits: int) -> None:
    report = valid_report()
    report.set("table3.new.natural_person", 10 ** (digits - 1) + 7)
    html = report_html(report)
    got = extract_bytes(html, "r.html", check=True)
    assert got.value("table3.new.natural_person") is None
    source = got.cells["table3.new.natural_person"]
    assert source.status == "ambiguous" and source.note and "15 digits" in source.note
    assert any(f.rule == "V-AMBIGUOUS" and "table3.new.natural_person" in f.cells for f in got.findings)
    assert all(v is None or in_range(v) for _, v in got.iter_cells())
    parse_report(got.to_dict())  # what is stored reads back


def test_json_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    for content, reason in [
        ("{}", "not a report"),
        ('{"name": "x"}', "not a report"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ]:
        path = tmp_path / "r.json"
        path.write_text(content)
        with pytest.raises(ReportFileError, match=reason):
            load_report(path)


def test_check_on_deep_json_and_empty_object_exits_2_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "empty.json").write_text("{}")
    for name in ("deep.json", "empty.json"):
        run = subprocess.run(
            [sys.executable, "-m", "xxgk", "check", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_render_docx_without_template_and_to_a_terminal_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "nt.json").write_text('{"format": "xxgk-report/1", "year": 2015}')
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "xxgk",
            "render",
            str(tmp_path / "nt.json"),
            "--to",
            "docx",
            "-o",
            str(tmp_path / "x.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "no template" in run.stderr, run.stderr
    assert not (tmp_path / "x.docx").exists()
    (tmp_path / "ok.json").write_text(valid_report().to_json())
    # a pseudo-terminal as standard output: `script` gives the command one
    cmd = f"{sys.executable} -m xxgk render {tmp_path / 'ok.json'} --to docx"
    run = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, timeout=60)
    assert run.returncode == 2
    assert b"a DOCX file is binary" in run.stdout and b"PK\x03\x04" not in run.stdout
