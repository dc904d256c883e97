"""`xxgk audit` end to end on a sample corpus from `xxgk samples` (what `make run` does)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from xxgk.audit.query import iter_findings, iter_reports
from xxgk.storage import open_db


def xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], capture_output=True, text=True, timeout=600)


def test_samples_audit_finds_every_decidable_planted_error(tmp_path: Path) -> None:
    """Issue 5 acceptance: every planted error the file's layout can carry is found; each
    agency's years link into one identity (value errors in boundary-less layouts are marked
    not decidable by the generator, xxgk.samples.decidable)."""
    samples, db_path, out = tmp_path / "samples", tmp_path / "xxgk.db", tmp_path / "audit"
    assert xxgk("samples", str(samples), "--count", "48", "--quiet").returncode == 0
    run = xxgk(
        "audit", str(samples), "--db", f"sqlite:///{db_path}", "--out", str(out), "--jobs", "2", "--quiet"
    )
    assert run.returncode == 0, run.stderr
    manifest = json.loads((samples / "manifest.json").read_text("utf-8"))
    n = len(manifest["files"])
    assert run.stdout.startswith(f"audit: {n} files, {n} processed")
    assert f"report: {out / 'index.html'}" in run.stdout and f"db: sqlite:///{db_path}" in run.stdout
    agencies = len({e["agency"] for e in manifest["files"]})
    assert f"database: {n} reports, {agencies} agencies" in run.stdout
    assert (out / "assets" / "echarts.min.js").stat().st_size > 1_000_000  # offline: ECharts beside the pages
    assert len(list((out / "agencies").glob("*.html"))) == agencies
    db = open_db(f"sqlite:///{db_path}")
    try:
        reports = {Path(r.path).name: r for r in iter_reports(db)}
        found: dict[str, set[str]] = {}
        for f in iter_findings(db):
            found.setdefault(Path(f.path).name, set()).add(f.rule)
    finally:
        db.close()
    assert len(reports) == n

    planted = [(entry, e) for entry in manifest["files"] for e in entry["errors"]]
    missed = [
        (entry["file"], rule)
        for entry, e in planted
        if e["decidable"]
        for rule in e["rules"]
        if rule not in found.get(entry["file"], set())
    ]
    assert not missed
    assert sum(1 for _, e in planted if e["decidable"]) >= 10
    assert any(e["rules"] == ["X-CARRIED-OVER"] and e["decidable"] for _, e in planted)

    again = xxgk("audit", str(samples), "--db", f"sqlite:///{db_path}", "--quiet")
    assert again.stdout.startswith(f"audit: {n} files, 0 processed (0 new versions), {n} unchanged")


def test_decide_and_list(tmp_path: Path) -> None:
    from tests.audit.corpus import PLAN, write_reports

    write_reports(tmp_path / "c", PLAN)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert xxgk("audit", str(tmp_path / "c"), "--db", url, "--jobs", "1", "-q").returncode == 0
    listed = xxgk("audit", "findings", "--db", url)
    first = listed.stdout.splitlines()[0].split("\t")
    # the rule by its name, the code after it (issue 12): "表三各行总计…（T3-ROW-TOTAL）"
    assert re.fullmatch(r"[^A-Za-z]+（[A-Z0-9-]+）", first[3]), first[3]
    decided = xxgk("audit", "decide", first[0], "dismissed", "--note", "按原文核实无误", "--db", url)
    assert decided.returncode == 0 and decided.stdout.strip() == f"finding {first[0]}: dismissed"
    listed = xxgk("audit", "findings", "--db", url)
    assert listed.stdout.splitlines()[0].split("\t")[5] == "dismissed"
    undecided = xxgk("audit", "findings", "--undecided", "--db", url)
    assert first[0] not in [line.split("\t")[0] for line in undecided.stdout.splitlines()]


def test_user_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    open_db(url).close()
    for args, message in [
        (("audit", "findings", "--db", missing), "no such database"),  # and none is created (issue 11)
        (("audit", "decide", "1", "confirmed", "--db", missing), "no such database"),
        (("audit", str(tmp_path / "nope"), "--db", url), "no such file or directory"),
        (("audit", str(tmp_path), "--db", "mysql+nothing://x"), "unknown database type"),
        (("audit", "decide", "99", "confirmed", "--db", url), "no finding with id 99"),
        (("audit", "decide", "1", "perhaps", "--db", url), "decision must be one of"),
        (("audit", str(tmp_path), "--db", url, "--aliases", str(tmp_path / "none.toml")), "no such file"),
    ]:
        done = xxgk(*args)
        assert done.returncode == 2, args
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "missing.db").exists()


def test_cli_default_database_is_the_storage_default() -> None:
    from xxgk.cli.audit import DEFAULT_URL as CLI_DEFAULT
    from xxgk.storage.db import DEFAULT_URL

    assert CLI_DEFAULT == DEFAULT_URL


def test_cell_outputs_only_with_cells_and_a_rerun_with_cells_writes_them(tmp_path: Path) -> None:
    """Issue 16 (b): a default audit writes no per-cell outputs (the workbook's template sheets,
    cells.csv/.parquet); a re-run with --cells and nothing new to read writes them; a re-run
    without --cells again removes them (no stale cell table beside newer outputs)."""
    from python_calamine import CalamineWorkbook

    samples, db_url, out = tmp_path / "samples", f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "out"
    assert xxgk("samples", str(samples), "--count", "8", "--quiet").returncode == 0
    base = ("audit", str(samples), "--db", db_url, "--out", str(out), "--jobs", "1", "--quiet")

    def sheets() -> list[str]:
        return list(CalamineWorkbook.from_path(str(out / "audit.xlsx")).sheet_names)

    first = xxgk(*base)
    assert first.returncode == 0, first.stderr
    assert "with --cells" in first.stdout
    assert not (out / "cells.csv").exists() and not (out / "cells.parquet").exists()
    assert (out / "reports.csv").is_file() and (out / "findings.csv").is_file()
    assert "2021版模板" not in sheets() and "问题" in sheets() and "存疑与问题单元格" in sheets()
    pages = list((out / "agencies").glob("*.html"))
    assert pages and all(
        '<table class="cells">' in p.read_text("utf-8") for p in pages
    )  # every report's tables

    again = xxgk(*base, "--cells")
    assert again.returncode == 0, again.stderr
    assert " 0 processed" in again.stdout.splitlines()[0]  # nothing read again: only the outputs
    assert (out / "cells.csv").stat().st_size > 0 and (out / "cells.parquet").is_file()
    assert {"2021版模板", "2019版模板"} & set(sheets())
    assert "with --cells" not in again.stdout

    third = xxgk(*base)
    assert third.returncode == 0, third.stderr
    assert not (out / "cells.csv").exists() and not (out / "cells.parquet").exists()
    assert "2021版模板" not in sheets()
