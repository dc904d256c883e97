"""The command: batches, stdin, bad inputs (one line each, no traceback, exit 1 at the end)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.paths import DEV_DOCS, XXGK_SCRIPT

XXGK = str(XXGK_SCRIPT)


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([XXGK, "extract", *args], input=stdin, capture_output=True, timeout=300)


def _dev(prefix: str) -> Path:
    return next(p for p in DEV_DOCS.iterdir() if p.name.startswith(prefix))


def test_bad_inputs_do_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "notice.txt").write_text("关于开展防汛演练的通知\n请各单位做好准备。", encoding="utf-8")
    with (tmp_path / "huge.txt").open("wb") as f:  # sparse: over the limit without using the disk
        f.truncate(60 * 1024 * 1024)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    good = _dev("000_")
    run = _run(
        str(tmp_path / "empty.txt"),
        str(tmp_path / "junk.bin"),
        str(tmp_path / "notice.txt"),
        str(tmp_path / "huge.txt"),
        str(tmp_path / "missing.txt"),
        str(tmp_path / "broken.json"),
        str(good),
        "--format",
        "jsonl",
    )
    err = run.stderr.decode()
    assert run.returncode == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 6
    assert any("empty.txt: empty file" in x for x in lines)
    assert any("notice.txt: not a government information disclosure annual report" in x for x in lines)
    assert any("huge.txt: file is larger than the 50 MB limit" in x for x in lines)
    assert any("missing.txt: no such file" in x for x in lines)
    assert any("broken.json: not JSON" in x for x in lines)
    out = [json.loads(x) for x in run.stdout.decode().splitlines()]
    assert len(out) == 1 and out[0]["table3"]["new"]["total"] == 2


def test_directory_is_read_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    shutil.copy(_dev("002_"), tmp_path / "b" / "c" / "z.txt")
    shutil.copy(_dev("000_"), tmp_path / "a.txt")
    run = _run(str(tmp_path), "--format", "jsonl")
    assert run.returncode == 0, run.stderr
    sources = [json.loads(x)["source"] for x in run.stdout.decode().splitlines()]
    assert [Path(s).name for s in sources] == ["a.txt", "z.txt"]


def test_stdin_and_check() -> None:
    run = _run("-", "--check", stdin=_dev("004_").read_bytes())
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["source"] == "-" and report["template"] == "2021"
    assert isinstance(report["findings"], list)


def test_report_json_is_accepted_as_input(tmp_path: Path) -> None:
    first = _run(str(_dev("002_")))
    path = tmp_path / "r.json"
    path.write_bytes(first.stdout)
    again = _run(str(path))
    assert again.returncode == 0
    assert json.loads(again.stdout)["table3"] == json.loads(first.stdout)["table3"]


def test_table_format_draws_the_tables_as_the_template_prints_them() -> None:
    run = _run(str(_dev("102_")), "--format", "table")
    assert run.returncode == 0
    out = run.stdout.decode()
    for title in (
        "表二 主动公开政府信息情况",
        "表三 收到和处理政府信息公开申请情况",
        "表四 政府信息公开行政复议",
    ):
        assert title in out
    header = next(line for line in out.splitlines() if "自然人" in line)
    assert re.findall(r"[\u4e00-\u9fff]+", header) == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    row = next(line for line in out.splitlines() if "第二十条第（一）项 规章" in line)
    assert row.count("存疑") == 3  # the glued "1411": not guessed
    assert "存疑：表二 · 第二十条第（一）项 规章 · 本年新制作数量：1 / 14" in out
    assert "table2." not in out and "ambiguous" not in out


def test_stdin_html_in_gbk_is_sniffed() -> None:
    raw = _dev("000_").read_text(encoding="utf-8")
    rows = "".join(
        "<tr>" + "".join(f"<td>{c.strip()}</td>" for c in line.split("|")) + "</tr>"
        for line in raw.splitlines()
        if "|" in line
    )
    page = f'<html><head><meta charset="gbk"></head><body><p>{raw.splitlines()[0]}</p><table>{rows}</table></body></html>'
    run = _run("-", "--format", "json", stdin=page.encode("gbk", errors="ignore"))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["table3"]["new"]["total"] == 2 and report["cells"]["table3.new.total"]["status"] == "read"


def test_check_reports_what_does_not_add_up() -> None:
    run = _run(str(_dev("101_")), "--check")
    findings = json.loads(run.stdout)["findings"]
    assert any(f["rule"] == "T3-DISPOSAL-SUM" for f in findings)
