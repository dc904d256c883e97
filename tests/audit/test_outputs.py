"""The audit outputs read back: the workbook with python-calamine (values) and its XML parts
(fills, filters), CSV/Parquet, and the HTML site's links."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from lxml import html as lxml_html
from python_calamine import CalamineWorkbook
from tests.audit.corpus import write_generated
from tests.audit.visible import problems
from tests.audit.xlsx import read_sheets

from xxgk.audit.decisions import set_decision
from xxgk.audit.outputs import Options, write_all
from xxgk.audit.outputs.excel import Layout
from xxgk.audit.pipeline import audit
from xxgk.audit.query import FindingInfo, iter_findings, iter_reports
from xxgk.check.describe import describe_cell
from xxgk.model import Report, load_report
from xxgk.storage import open_db

RED, AMBER, BLUE = "F4C7C3", "FFE699", "DDEBF7"
SHEETS = ["2021版模板", "2019版模板", "未识别模板", "存疑与问题单元格", "问题", "覆盖情况", "无法读取"]


class Audited:
    def __init__(self, db: Path, out: Path, paths: list[Path]) -> None:
        self.db, self.out, self.paths = db, out, paths
        self.reports = {str(p): load_report(p) for p in paths}
        handle = open_db(f"sqlite:///{db}")
        try:
            self.findings: list[FindingInfo] = list(iter_findings(handle))
            self.agencies = {r.agency for r in iter_reports(handle, with_data=False)}
        finally:
            handle.close()


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Audited:
    tmp = tmp_path_factory.mktemp("outputs")
    corpus = tmp / "corpus"
    paths = write_generated(corpus, 40)
    (corpus / "garbage.html").write_text("<html><body>没有表格 no tables here</body></html>", "utf-8")
    db = open_db(f"sqlite:///{tmp / 'audit.db'}")
    try:
        audit([corpus], db)
        first = next(f for f in iter_findings(db) if f.severity == "error")
        set_decision(db, first.id, "dismissed", "reviewed")
        write_all(db, tmp / "out", options=Options(cells=True))
    finally:
        db.close()
    return Audited(tmp / "audit.db", tmp / "out", paths)


def _rows(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _columns(rows: list[list[object]]) -> dict[tuple[str, str], int]:
    """(group label, column label) → column index, from the two header rows (groups merged)."""
    out, group = {}, ""
    for j, (top, label) in enumerate(zip(rows[0], rows[1], strict=True)):
        group = str(top) or group
        out[(group, str(label))] = j
    return out


def test_workbook_has_a_sheet_per_template_never_mixed(audited: Audited) -> None:
    rows = _rows(audited.out / "audit.xlsx")
    assert list(rows) == SHEETS
    seen = []
    for template, sheet in (("2021", "2021版模板"), ("2019", "2019版模板")):
        body = rows[sheet][2:]
        assert body, f"the generated corpus has {template} reports"
        for row in body:
            assert audited.reports[str(row[2])].template == template
            seen.append(str(row[2]))
    assert sorted(seen) == sorted(audited.reports)
    assert len(rows["无法读取"]) == 2 and str(rows["无法读取"][1][0]).endswith("garbage.html")
    # The reader's English reason, in Chinese first (the original kept after it).
    assert str(rows["无法读取"][1][4]).startswith("不是政府信息公开工作年度报告（未找到模板的栏目名称）（")


def test_workbook_headers_are_the_template_and_values_are_numbers(audited: Audited) -> None:
    rows = _rows(audited.out / "audit.xlsx")["2021版模板"]
    assert rows[1][:4] == ["机关", "年度", "文件", "报告编号"]
    cols = _columns(rows)
    new_person = cols[("表三 · 一、本年新收政府信息公开申请数量", "自然人")]
    made = cols[("表二 · 第二十条第（一）项 规章", "本年制发件数")]
    checked = 0
    for row in rows[2:]:
        report: Report = audited.reports[str(row[2])]
        for key, j in (("table3.new.natural_person", new_person), ("table2.regulations.made", made)):
            src = report.cells.get(key)
            if src is not None and src.status == "ambiguous":
                assert row[j] == "存疑"
                continue
            value = report.value(key)
            assert row[j] == ("" if value is None else value)
            if value is not None:
                assert isinstance(row[j], (int, float)) and not isinstance(row[j], bool)
                checked += 1
    assert checked > 10


def test_highlights_and_flagged_cells_sheet_match_the_findings(audited: Audited) -> None:
    """Fills on the template sheets; every ambiguous or flagged cell one row of the flagged-cells
    sheet with its candidates and the findings' messages (cell comments until issue 16)."""
    rows = _rows(audited.out / "audit.xlsx")
    sheets = read_sheets(audited.out / "audit.xlsx")
    marked: dict[tuple[str, str], list[str]] = {}
    for line in rows["存疑与问题单元格"][1:]:
        assert (str(line[3]), str(line[4])) not in marked  # one row per cell
        marked[(str(line[3]), str(line[4]))] = [str(v) for v in line[5:]]
    assert rows["存疑与问题单元格"][0][:6] == ["报告编号", "机关", "年度", "文件", "单元格", "情况"]
    seen: set[tuple[str, str]] = set()
    for name in ("2021版模板", "2019版模板"):
        grid, sheet = rows[name], sheets[name]
        template = "2021" if name.startswith("2021") else "2019"
        cols = {key: 4 + j for j, (key, _, _) in enumerate(Layout.of(template).columns)}
        by_path = {str(r[2]): i for i, r in enumerate(grid) if i >= 2}
        expected: dict[tuple[int, int], str] = {}
        messages: dict[tuple[int, int], list[str]] = {}
        for f in audited.findings:
            if f.severity == "info" or f.path not in by_path:
                continue
            for cell in f.cells:
                at = (by_path[f.path], cols[cell])
                expected[at] = RED if f.severity == "error" or expected.get(at) == RED else AMBER
                messages.setdefault(at, []).append(f.message)
        label = {
            4 + j: describe_cell(template, key) for j, (key, _, _) in enumerate(Layout.of(template).columns)
        }
        for at, colour in expected.items():
            assert sheet.fills.get(at) == colour, (name, at)
            line = marked[(str(grid[at[0]][2]), label[at[1]])]
            assert all(m in line[2] for m in messages[at])
            seen.add((str(grid[at[0]][2]), label[at[1]]))
        body_fills = {at: c for at, c in sheet.fills.items() if at[0] >= 2}
        for at, colour in body_fills.items():
            if colour == BLUE:  # an ambiguous cell: 存疑 with its candidates
                assert grid[at[0]][at[1]] == "存疑"
                line = marked[(str(grid[at[0]][2]), label[at[1]])]
                assert line[0] == "存疑" and "1 / 14" in line[1]
                seen.add((str(grid[at[0]][2]), label[at[1]]))
            else:
                assert expected.get(at) == colour, (name, at)
        assert not sheet.comments  # nothing held until the file is closed
        assert sheet.autofilter and sheet.frozen and sheet.widths
    assert seen == set(marked)  # and nothing else on the flagged-cells sheet
    assert any(c == BLUE for c in sheets["2021版模板"].fills.values())
    assert any(c == RED for c in sheets["2021版模板"].fills.values())
    for sheet in sheets.values():
        assert sheet.autofilter, sheet.name
        assert sheet.frozen and sheet.widths, sheet.name
        assert sheet.formulas == 0


def test_workbook_visible_text_has_no_keys_and_names_every_rule(audited: Audited) -> None:
    for name, grid in _rows(audited.out / "audit.xlsx").items():
        for row in grid:
            for value in row:
                assert problems(str(value)) == [], (name, value)


def test_findings_sheet_is_chinese_with_numbers_and_decisions(audited: Audited) -> None:
    rows = _rows(audited.out / "audit.xlsx")["问题"]
    assert rows[0] == [
        "问题编号",
        "机关",
        "年度",
        "文件",
        "级别",
        "规则",
        "单元格",
        "应为",
        "实为",
        "说明",
        "处理",
        "备注",
    ]
    assert len(rows) == 1 + len(audited.findings)
    numeric = [r for r in rows[1:] if r[7] != "" and re.fullmatch(r"-?\d+", str(audited_value(r[7])))]
    assert numeric and all(isinstance(r[7], (int, float)) for r in numeric)
    assert {r[4] for r in rows[1:]} <= {"错误", "警告", "提示"}
    decided = [r for r in rows[1:] if r[10] == "已排除"]
    assert len(decided) == 1 and decided[0][11] == "reviewed"


def audited_value(v: object) -> object:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def test_workbook_by_agency_has_a_sheet_per_agency(audited: Audited, tmp_path: Path) -> None:
    db = open_db(f"sqlite:///{audited.db}")
    try:
        write_all(db, tmp_path, options=Options(by_agency=True, cells=True))
    finally:
        db.close()
    rows = _rows(tmp_path / "audit.xlsx")
    extra = [n for n in rows if n not in SHEETS]
    assert sorted(extra) == sorted(audited.agencies)
    total = 0
    for name in extra:
        grid = rows[name]
        assert grid[1][:4] == ["机关", "年度", "文件", "报告编号"]
        body = [r for r in grid[2:] if r and r[2] and r[2] != "文件"]
        templates = {audited.reports[str(r[2])].template for r in body}
        assert templates, name
        total += len(body)
    assert total == len(audited.reports)


@pytest.mark.slow
def test_libreoffice_converts_the_workbook(audited: Audited, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice missing (scripts/system-deps.sh installs it)")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(audited.out / "audit.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "audit.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_csv_and_parquet_agree(audited: Audited) -> None:
    out, paths = audited.out, audited.paths
    for name in ("reports", "cells", "findings", "coverage", "failures"):
        with (out / f"{name}.csv").open(encoding="utf-8-sig") as fh:
            csv_rows = list(csv.DictReader(fh))
        table = pq.read_table(out / f"{name}.parquet")
        assert table.num_rows == len(csv_rows), name
        assert table.schema.names == list(csv_rows[0]) if csv_rows else True
    assert pq.read_table(out / "reports.parquet").num_rows == len(paths)
    cells = pq.read_table(out / "cells.parquet").to_pylist()
    expected = sum(sum(1 for _ in load_report(p).iter_cells()) for p in paths)
    assert len(cells) == expected
    ids = {r["path"]: r["report_id"] for r in pq.read_table(out / "reports.parquet").to_pylist()}
    for p in paths[:10]:
        sample = load_report(p)
        mine = {c["cell"]: c["value"] for c in cells if c["report_id"] == ids[str(p)]}
        assert mine == {k: (None if v is None else float(v)) for k, v in sample.iter_cells()}
    with (out / "columns.csv").open(encoding="utf-8-sig") as fh:
        meanings = {r["column"]: r["含义"] for r in csv.DictReader(fh)}
    names = set(pq.read_table(out / "reports.parquet").schema.names)
    names |= set(pq.read_table(out / "cells.parquet").schema.names)
    assert names <= set(meanings)
    assert meanings["table3.new.total"] == "表三 · 一、本年新收政府信息公开申请数量 · 总计"


def test_html_site_links_resolve(audited: Audited) -> None:
    out = audited.out
    index = lxml_html.parse(str(out / "index.html"))
    pages = index.xpath("//table[@id='grid']//a/@href")
    assert len(pages) == len(audited.agencies) == 10
    for href in pages:
        page = out / href
        assert page.exists(), href
        tree = lxml_html.parse(str(page))
        ids = set(tree.xpath("//@id"))
        for link in tree.xpath("//table[@class='findings']//a/@href"):
            assert link[1:] in ids
        for source in tree.xpath("//a[text()='原文件']/@href"):
            assert (page.parent / source).resolve().exists(), source
    assert "garbage.html" in index.xpath("string(//section[@id='failures'])")
    assert (out / "assets" / "echarts.min.js").exists()


def test_english_outputs_speak_english(audited: Audited, tmp_path: Path) -> None:
    db = open_db(f"sqlite:///{audited.db}")
    try:
        write_all(db, tmp_path, options=Options(lang="en", cells=True))
    finally:
        db.close()
    rows = _rows(tmp_path / "audit.xlsx")
    assert list(rows) == [
        "template 2021",
        "template 2019",
        "template unknown",
        "flagged cells",
        "findings",
        "coverage",
        "unreadable",
    ]
    findings = rows["findings"]
    assert findings[0][:6] == ["finding id", "agency", "year", "file", "severity", "rule"]
    assert {r[4] for r in findings[1:]} <= {"error", "warning", "note"}
    han = re.compile(r"[\u4e00-\u9fff]")
    for r in findings[1:]:
        title, code = str(r[5]).rsplit(" (", 1)
        assert not han.search(code) and title  # "Table 3: each row's 总计 = … (T3-ROW-TOTAL)"
    index = lxml_html.parse(str(tmp_path / "index.html"))
    headings = " ".join(index.xpath("//h1//text() | //h2//text() | //th//text()"))
    assert not han.search(headings.replace("●", "")), headings


def test_reports_linked_to_no_agency_share_one_page(tmp_path: Path) -> None:
    import random

    from tests.audit.corpus import make_report

    rng = random.Random(2)
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, year in enumerate((2021, 2022, 2023, 2022)):
        report = make_report(rng, "青山区人民政府", year)
        if i != 3:
            report.agency = None  # no printed name: linked to no agency
        (corpus / f"{i}.json").write_text(report.to_json(), "utf-8")
    db = open_db(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        audit([corpus], db)
        write_all(db, tmp_path / "out")
    finally:
        db.close()
    page = lxml_html.parse(str(tmp_path / "out" / "agencies" / "none.html"))
    assert page.xpath("string(//h1)") == "（未识别机关）"
    assert len(page.xpath("//section[@class='report']")) == 3
    index = lxml_html.parse(str(tmp_path / "out" / "index.html"))
    names = index.xpath("//table[@id='grid']//a/text()")
    assert sorted(names) == sorted(["（未识别机关）", "青山区人民政府"])


def test_workbook_sheets_roll_over_past_the_row_limit(audited: Audited, tmp_path: Path) -> None:
    """Past Excel's rows per sheet a sheet goes on in 名称(2), 名称(3)…, each part with the same
    header, its own filter and at most the limit of rows; read in order, the parts are the
    unsplit sheet (issue 16; a small limit stands in for 1,048,576)."""
    from xxgk.audit import query
    from xxgk.audit.outputs import Summary
    from xxgk.audit.outputs.excel import ExcelSink

    limit = 7
    db = open_db(f"sqlite:///{audited.db}")
    try:
        with ExcelSink(tmp_path, max_rows=limit) as sink:
            for chunk, findings in query.iter_report_chunks(db, chunk=3):
                for report in chunk:
                    sink.add_report(report, findings.get(report.id, []))
            sink.finish(
                Summary(query.Findings(db), query.Coverages(db), query.failures(db), query.counts(db))
            )
    finally:
        db.close()
    whole = _rows(audited.out / "audit.xlsx")
    split = _rows(tmp_path / "audit.xlsx")
    sheets = read_sheets(tmp_path / "audit.xlsx")
    rolled = 0
    for name, rows in whole.items():
        head = 2 if name.endswith("版模板") else 1
        parts = [name] + [f"{name}({n})" for n in range(2, len(split) + 2) if f"{name}({n})" in split]
        assert set(split) >= set(parts)
        assert len(parts) == max(1, -(-(len(rows) - head) // (limit - head))), name
        rolled += len(parts) > 1
        body: list[list[object]] = []
        for part in parts:
            assert len(split[part]) <= limit
            assert split[part][:head] == rows[:head], part
            body += split[part][head:]
            assert sheets[part].autofilter and sheets[part].frozen, part
        assert body == rows[head:], name
    assert rolled >= 4  # both templates, the flagged cells, the findings, the coverage
    assert set(split) == {p for name in whole for p in split if p == name or p.startswith(f"{name}(")}


def test_parquet_row_groups_gather_many_batches(
    audited: Audited, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Parquet writer holds ~0.9 KB for each column of each row group until it closes, so
    batches are gathered into row groups of ~8 MB of Arrow data, not one row group each
    (issue 16: the wide reports table grew the writer by ~33 MB at 100,000 reports)."""
    from xxgk.audit.outputs import tables, write_sinks

    monkeypatch.setattr(tables, "_BATCH_VALUES", 1200)  # 100 cell rows, 5 reports a batch
    db = open_db(f"sqlite:///{audited.db}")
    try:
        write_sinks(db, tmp_path / "gathered", ("tables",), Options(cells=True))
        monkeypatch.setattr(tables, "_ROW_GROUP_BYTES", 1)  # a row group per batch
        write_sinks(db, tmp_path / "each", ("tables",), Options(cells=True))
    finally:
        db.close()
    for name in ("cells", "reports"):
        gathered = pq.ParquetFile(tmp_path / "gathered" / f"{name}.parquet")
        each = pq.ParquetFile(tmp_path / "each" / f"{name}.parquet")
        assert gathered.metadata.num_row_groups == 1
        assert each.metadata.num_row_groups > 5
        assert gathered.read().equals(each.read())
        with (tmp_path / "gathered" / f"{name}.csv").open(encoding="utf-8-sig") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == gathered.metadata.num_rows


def test_findings_table_holds_a_bounded_batch_of_rows(
    audited: Audited, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings rows are mostly text, so their batch is counted in rows, not in values: 17,000
    rows held at once were ~35 MB at the finish of a 30,000-report audit (issue 16)."""
    from xxgk.audit.outputs import tables, write_sinks

    monkeypatch.setattr(tables, "_FINDING_ROWS", 4)
    held: list[int] = []
    add = tables._Table.add

    def counting(table: tables._Table, row: object) -> None:
        add(table, row)  # type: ignore[arg-type]
        if table.schema.names[0] == "finding_id":
            held.append(len(table._columns[0]))

    monkeypatch.setattr(tables._Table, "add", counting)
    db = open_db(f"sqlite:///{audited.db}")
    try:
        write_sinks(db, tmp_path, ("tables",))
    finally:
        db.close()
    assert len(held) == len(audited.findings) > 8
    assert max(held) < 4
    written = pq.read_table(tmp_path / "findings.parquet").column("finding_id").to_pylist()
    assert sorted(written) == sorted(f.id for f in audited.findings)


def _contents(out: Path) -> dict[str, bytes]:
    """Every output file's bytes (a workbook: each of its parts but the creation time)."""
    files: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        name = str(path.relative_to(out))
        if not path.is_file() or name.startswith(".xxgk-outputs"):
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                files.update(
                    {f"{name}:{part}": z.read(part) for part in z.namelist() if part != "docProps/core.xml"}
                )
        else:
            files[name] = path.read_bytes()
    return files


@pytest.mark.parametrize("cells", [False, True])
def test_outputs_written_in_two_processes_equal_those_written_in_one(
    audited: Audited, tmp_path: Path, cells: bool
) -> None:
    """With jobs > 1 the workbook is written in a second process beside the HTML and the tables
    (issue 16: the output phase used one core of two); the files are the same bytes."""
    db = open_db(f"sqlite:///{audited.db}")
    try:
        write_all(db, tmp_path / "one", options=Options(cells=cells), jobs=1)
        write_all(db, tmp_path / "two", options=Options(cells=cells), jobs=2)
    finally:
        db.close()
    one, two = _contents(tmp_path / "one"), _contents(tmp_path / "two")
    assert len(one) > 20 and one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_flagged_cells_sheet_is_the_same_without_the_template_sheets(
    audited: Audited, tmp_path: Path
) -> None:
    """Without the template sheets the workbook looks only at each report's ambiguous and flagged
    cells, not at every column (issue 16); the flagged-cells sheet is row for row the same."""
    db = open_db(f"sqlite:///{audited.db}")
    try:
        write_all(db, tmp_path, options=Options(cells=False))
    finally:
        db.close()
    full = _rows(audited.out / "audit.xlsx")["存疑与问题单元格"]
    assert len(full) > 10
    assert _rows(tmp_path / "audit.xlsx")["存疑与问题单元格"] == full


def test_the_outputs_read_each_report_as_the_database_stores_it(db_url: str, tmp_path: Path) -> None:
    """The outputs fetch the stored reports by a plain statement and decode them themselves
    (issue 16): on SQLite (text) and PostgreSQL (decoded by the driver) alike, each is the
    report the database holds."""
    from xxgk.audit.query import report_json
    from xxgk.storage.compact import rebuild

    write_generated(tmp_path / "corpus", 6)
    db = open_db(db_url)
    try:
        audit([tmp_path / "corpus"], db)
        reports = list(iter_reports(db))
        assert len(reports) == 6
        for r in reports:
            assert isinstance(r.data, dict) and rebuild(r.data) == report_json(db, r.id)
    finally:
        db.close()
