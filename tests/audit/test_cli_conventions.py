"""CLI conventions (issue 12): --version, help in words (no Python types), `xxgk audit PATH`
shown in help, 确认/排除 accepted, next-step hints, `audit run` saying where outputs went, and a
progress bar for `extract` on a directory when stderr is a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.audit.corpus import PLAN, write_reports
from tests.audit.test_cli import xxgk
from tests.paths import DEV_DOCS
from typer.testing import CliRunner

import xxgk as package
from xxgk.cli import COMMAND_MODULES, app

PYTHON_TYPES = ("<list[", "<bool>", "<str>", "<int", "<path>", "{paths}", "{report")


def test_version() -> None:
    done = xxgk("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"xxgk {package.__version__}"


def test_help_has_no_python_types_and_shows_audit_path() -> None:
    commands = [name for name in COMMAND_MODULES if name != "audit"]
    commands += ["audit", "audit run", "audit decide", "audit findings"]
    for command in commands:
        done = CliRunner().invoke(app, [*command.split(), "--help"], env={"COLUMNS": "120"})
        assert done.exit_code == 0, command
        for word in PYTHON_TYPES:
            assert word not in done.output, (command, word)
        assert "needs the  extra" not in done.output
    audit_help = xxgk("audit", "--help").stdout
    assert "xxgk audit PATH..." in audit_help and "audit [OPTIONS] PATH... | COMMAND" in audit_help
    assert "[dask] extra" in xxgk("audit", "run", "--help").stdout


def test_decisions_in_chinese_and_where_outputs_went(tmp_path: Path) -> None:
    write_reports(tmp_path / "c", PLAN)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    run = xxgk("audit", str(tmp_path / "c"), "--db", url, "--jobs", "1", "-q")
    assert run.returncode == 0 and "未要求输出审计报告" in run.stdout  # no --out: said, not silent
    ids = [line.split("\t")[0] for line in xxgk("audit", "findings", "--db", url).stdout.splitlines()]
    assert len(ids) >= 2
    assert (
        xxgk("audit", "decide", ids[0], "排除", "--db", url).stdout.strip() == f"finding {ids[0]}: dismissed"
    )
    assert (
        xxgk("audit", "decide", ids[1], "确认", "--db", url).stdout.strip() == f"finding {ids[1]}: confirmed"
    )
    listed = {
        line.split("\t")[0]: line.split("\t")[5]
        for line in xxgk("audit", "findings", "--db", url).stdout.splitlines()
    }
    assert listed[ids[0]] == "dismissed" and listed[ids[1]] == "confirmed"
    wrong = xxgk("audit", "decide", ids[0], "也许", "--db", url)
    assert wrong.returncode == 2 and "确认 or 排除" in wrong.stderr and len(wrong.stderr.splitlines()) == 1
    missing = xxgk("audit", "decide", "99999", "确认", "--db", url)
    assert "xxgk audit findings" in missing.stderr and len(missing.stderr.splitlines()) == 1
    out = tmp_path / "out"
    run = xxgk("audit", str(tmp_path / "c"), "--db", url, "--out", str(out), "--by-agency", "-q")
    assert f"report: {out / 'index.html'}" in run.stdout and f"workbook: {out / 'audit.xlsx'}" in run.stdout
    assert "columns.csv" in run.stdout


def test_check_on_a_document_suggests_extract() -> None:
    doc = next(DEV_DOCS.glob("101_*"))
    done = xxgk("check", str(doc))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"xxgk: {doc}: not JSON (Expecting value at line 1); "
        f"如果这是一份年报原文，请用 xxgk extract {doc} --check"
    )


def test_extract_on_a_directory_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    main, child = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "xxgk", "extract", str(DEV_DOCS), "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=child,
        timeout=300,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(child)
    seen = b""
    try:
        while chunk := os.read(main, 65536):
            seen += chunk
    except OSError:
        pass  # the terminal closed
    os.close(main)
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == len(list(DEV_DOCS.iterdir()))
    assert "抽取 extract".encode() in seen
    quiet = subprocess.run(
        [sys.executable, "-m", "xxgk", "extract", str(DEV_DOCS), "--format", "jsonl"],
        capture_output=True,
        timeout=300,
    )
    assert quiet.stderr == b""  # not a terminal: no bar, not even a blank line
