"""`xxgk render` and `xxgk samples` through the real Typer app: files, stdout, one-line errors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.model import Report, load_report
from xxgk.render import LAYOUTS, render

runner = CliRunner()


@pytest.fixture
def report_file(tmp_path: Path, report: Report) -> Path:
    path = tmp_path / "report.json"
    path.write_text(report.to_json(), encoding="utf-8")
    return path


def test_render_to_file_and_stdout(report_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    result = runner.invoke(app, ["render", str(report_file), "--layout", "html-gbk", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == render(load_report(report_file), "html-gbk")
    result = runner.invoke(app, ["render", str(report_file), "--layout", "pipe"])
    assert result.exit_code == 0
    assert result.stdout_bytes == render(load_report(report_file), "pipe")


def test_list_layouts() -> None:
    result = runner.invoke(app, ["render", "--list-layouts"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == list(LAYOUTS)


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("{not json", ["--layout", "pipe"], "not JSON"),
        ('{"format": "xxgk-report/9"}', ["--layout", "pipe"], "unknown format"),
        ('{"agency": "x"}', ["--layout", "pipe"], "no template"),
        ("VALID", ["--layout", "nope"], "unknown layout"),
        ("VALID", ["--to", "pdf"], "not supported"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_output(
    tmp_path: Path, report: Report, content: str, args: list[str], message: str
) -> None:
    src = tmp_path / "in.json"
    src.write_text(report.to_json() if content == "VALID" else content, encoding="utf-8")
    out = tmp_path / "out.txt"
    result = runner.invoke(app, ["render", str(src), *args, "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temp file left behind either


def test_missing_report_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(tmp_path / "absent.json")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_to_docx(report_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["render", str(report_file), "--to", "docx", "-o", str(out)])
    if importlib.util.find_spec("xxgk.render.docx") is None:
        assert result.exit_code == 2 and "DOCX output is not available" in result.stderr
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:2] == b"PK"


def test_samples_command(tmp_path: Path) -> None:
    out = tmp_path / "samples"
    result = runner.invoke(app, ["samples", str(out), "--count", "7", "--seed", "3", "--quiet"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1 and "wrote 7 files" in result.output
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f["file"] for f in manifest["files"]), "manifest.json"]
    )
    verbose = runner.invoke(app, ["samples", str(tmp_path / "v"), "--count", "3"])
    assert verbose.exit_code == 0 and len(verbose.output.strip().splitlines()) == 4


def test_samples_refuses_a_file_as_out_dir(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = runner.invoke(app, ["samples", str(target)])
    assert result.exit_code == 2 and "not a directory" in result.stderr
