"""`xxgk check`, `xxgk rules`, `xxgk schema` as a user runs them (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.paths import DEV_TRUTH, REPO

from xxgk.check import markdown_table

LABEL_OK = DEV_TRUTH / "002_594938079f36f576.json"
LABEL_BAD = DEV_TRUTH / "101_pingtan-junshan-2022.json"


def xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xxgk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"},
    )


def test_check_exit_0_without_errors() -> None:
    run = xxgk("check", str(LABEL_OK))
    assert run.returncode == 0, run.stderr
    assert "共核查 1 份报告，0 份有错误" in run.stdout


def test_check_exit_1_with_errors_names_rows_and_columns_in_chinese() -> None:
    run = xxgk("check", str(LABEL_BAD))
    assert run.returncode == 1
    assert "T3-DISPOSAL-SUM" in run.stdout and "（七）总计" in run.stdout and "自然人" in run.stdout
    assert "错误 3 条" in run.stdout


def test_check_json_output() -> None:
    run = xxgk("check", "--format", "json", str(LABEL_BAD), str(LABEL_OK))
    assert run.returncode == 1
    results = json.loads(run.stdout)
    assert [r["source"] for r in results] == [str(LABEL_BAD), str(LABEL_OK)]
    assert results[0]["summary"]["error"] == 3 and results[1]["summary"]["error"] == 0
    assert {f["cells"][0] for f in results[0]["findings"] if f["severity"] == "error"} == {
        "table3.total.natural_person",
        "table3.total.other",
        "table3.total.total",
    }


def test_check_english() -> None:
    run = xxgk("check", "--lang", "en", str(LABEL_BAD))
    assert "the disposal rows add up to 3" in run.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such file"),
        ("{oops", "not JSON"),
        ('{"format": "xxgk-report/7"}', "unknown format version"),
    ],
)
def test_check_exit_2_on_unusable_input_one_line_no_traceback(
    tmp_path: Path, content: str | None, needle: str
) -> None:
    path = tmp_path / "input.json"
    if content is not None:
        path.write_text(content, "utf-8")
    run = xxgk("check", str(path), str(LABEL_OK))
    assert run.returncode == 2
    assert run.stderr.strip() == f"xxgk: {path}: " + run.stderr.strip().split(f"{path}: ", 1)[1]
    assert (
        needle in run.stderr and "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    )
    assert "共核查 1 份报告" in run.stdout  # the good file was still checked


def test_cross_year_via_previous_option(tmp_path: Path) -> None:
    last = json.loads(LABEL_OK.read_text("utf-8"))
    this = dict(last, year=2023)
    (tmp_path / "2022.json").write_text(json.dumps(last, ensure_ascii=False), "utf-8")
    (tmp_path / "2023.json").write_text(json.dumps(this, ensure_ascii=False), "utf-8")
    run = xxgk(
        "check", "--format", "json", "--previous", str(tmp_path / "2022.json"), str(tmp_path / "2023.json")
    )
    rules = {f["rule"] for f in json.loads(run.stdout)[0]["findings"]}
    assert "X-CARRIED-OVER" in rules  # 2022 carried 17 forward, the copy says 28 carried over
    assert run.returncode == 1


def test_rules_markdown_is_the_readme_table() -> None:
    run = xxgk("rules", "--format", "markdown")
    assert run.stdout == markdown_table()
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert block == markdown_table(), "README rule table drifted: run `make docs`"


def test_rules_json_lists_every_rule() -> None:
    rules = json.loads(xxgk("rules", "--format", "json").stdout)
    assert len({r["id"] for r in rules}) == len(rules) >= 15


def test_schema_command_prints_the_committed_schema() -> None:
    run = xxgk("schema")
    assert json.loads(run.stdout) == json.loads((REPO / "docs" / "report.schema.json").read_text("utf-8"))
