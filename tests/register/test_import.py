"""Import (all or nothing, each bad row named), re-import as a no-op, newer ledgers as new
versions, frozen published years, export — on SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.register.ledgers import HEADER, clean_cases, clean_rows, row, write_ledger, xxgk

from xxgk.register.ledger import LedgerError, LedgerMapping, read_ledger
from xxgk.register.models import RegisterVersion
from xxgk.register.store import load
from xxgk.storage.db import open_db

AGENCY = "福州市某某区人民政府办公室"


def _versions(url: str) -> int:
    db = open_db(url)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(RegisterVersion)) or 0
    finally:
        db.close()


def test_planted_bad_rows_are_each_named_and_nothing_is_written(tmp_path: Path, db_url: str) -> None:
    rows = clean_rows()
    rows[1] = row("2025-0001", "2025-13-40")  # row 3: not a date
    rows[2] = row("2025-0002", "2025-03-03", "个体户")  # row 4: unknown applicant type
    rows[3] = row(
        "2025-0003", "2025-03-03", 答复日期="2025-03-01", 办理结果="予以公开"
    )  # row 5: replied first
    rows.append(
        row("2025-0009", "2025-04-01", 答复日期="2025-04-09", 办理结果="看心情")
    )  # row 8: unknown outcome
    rows.append(row("2025-0001", "2025-04-01"))  # row 9: repeated number
    rows.append(row("", "2025-04-01"))  # row 10: no number
    cases = [
        *clean_cases(),
        ["FY-9", "行政复议", "2025-01-01", "2025-02-01", "", ""],
    ]  # cases row 4: no result
    ledger = write_ledger(tmp_path / "bad.xlsx", rows, cases)
    result = xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", db_url)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    expected = [
        ("'台账' row 3", "'收到日期'", "not a date"),
        ("'台账' row 4", "'申请人类型'", "个体户"),
        ("'台账' row 5", "'答复日期'", "before received"),
        ("'台账' row 8", "'办理结果'", "看心情"),
        ("'台账' row 9", "'编号'", "repeats sheet '台账' row 3"),
        ("'台账' row 10", "'编号'", "required"),
        ("'复议诉讼' row 4", "'结果'", "needs its result"),
    ]
    for where, column, reason in expected:
        assert any(where in line and column in line and reason in line for line in lines), (where, lines)
    assert "nothing imported" in lines[-1]
    assert _versions(db_url) == 0


def test_clean_import_reimport_noop_and_newer_ledger_makes_versions(tmp_path: Path, db_url: str) -> None:
    ledger = write_ledger(tmp_path / "ledger.xlsx", clean_rows(), clean_cases())
    first = xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", db_url, "--by", "registrar")
    assert first.exit_code == 0, first.stderr
    assert "6 applications, 2 cases; 8 new, 0 changed" in first.stdout
    again = xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", db_url)
    assert "0 new, 0 changed (new versions), 8 unchanged" in again.stdout
    assert _versions(db_url) == 8
    # publish 2025, then a newer ledger concludes 2025-0003 and adds one
    published = xxgk(
        "compile", "--agency", AGENCY, "--year", "2025", "--db", db_url, "--publish", "--format", "json"
    )
    assert published.exit_code == 0, published.stderr
    rows = clean_rows()
    rows[3] = row(
        "2025-0003", "2025-11-20", "法律服务机构", 承办人="李四", 答复日期="2025-12-30", 办理结果="不掌握"
    )
    rows.append(row("2026-0001", "2026-01-05"))
    newer = write_ledger(tmp_path / "ledger-2.xlsx", rows, clean_cases())
    second = xxgk("register", "import", str(newer), "--agency", AGENCY, "--db", db_url, "--by", "registrar2")
    assert "1 new, 1 changed (new versions), 7 unchanged" in second.stdout
    assert "touch the published 2025 report" in second.stdout
    assert _versions(db_url) == 10
    history = xxgk("register", "history", "2025-0003", "--agency", AGENCY, "--db", db_url)
    assert "v1" in history.stdout and "v2" in history.stdout and "by registrar2" in history.stdout
    assert "outcome:  → unable_not_held" in history.stdout
    # the frozen year: compiling it again shows the difference, and it cannot be re-published
    again_2025 = xxgk("compile", "--agency", AGENCY, "--year", "2025", "--db", db_url, "--format", "json")
    assert "is published; the register now differs" in again_2025.stderr
    assert "table3.unable_not_held.legal: published 0 → now 1" in again_2025.stderr
    refused = xxgk("compile", "--agency", AGENCY, "--year", "2025", "--db", db_url, "--publish")
    assert refused.exit_code == 2 and "already published" in refused.stderr
    db = open_db(db_url)
    try:
        register = load(db, AGENCY)
    finally:
        db.close()
    assert len(register.applications) == 7 and len(register.cases) == 2


def test_unmasked_export_imports_back_unchanged(tmp_path: Path, db_url: str) -> None:
    ledger = write_ledger(tmp_path / "ledger.xlsx", clean_rows(), clean_cases())
    xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", db_url)
    out = tmp_path / "export.xlsx"
    assert (
        xxgk(
            "register", "export", "--agency", AGENCY, "--db", db_url, "--out", str(out), "--reveal-personal"
        ).exit_code
        == 0
    )
    again = xxgk("register", "import", str(out), "--agency", AGENCY, "--db", db_url)
    assert "0 new, 0 changed (new versions), 8 unchanged" in again.stdout, again.stdout + again.stderr
    csv = tmp_path / "export.csv"
    assert (
        xxgk(
            "register", "export", "--agency", AGENCY, "--db", db_url, "--out", str(csv), "--reveal-personal"
        ).exit_code
        == 0
    )
    assert read_ledger(csv, AGENCY).applications == read_ledger(ledger, AGENCY).applications


def test_mapping_file_renames_headers_and_words(tmp_path: Path) -> None:
    header = [h.replace("收到日期", "受理时间").replace("办理结果", "处理结果") for h in HEADER]
    rows = [row("A-1", "2025-01-20", "个人", 答复日期="2025-02-01", 办理结果="同意公开")]
    ledger = write_ledger(tmp_path / "own.xlsx", [r for r in rows], header=header)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\n"受理时间" = "收到日期"\n"处理结果" = "outcome"\n[outcomes]\n"同意公开" = "予以公开"\n'
        '[applicant_types]\n"个人" = "自然人"\n',
        "utf-8",
    )
    with pytest.raises(LedgerError):
        read_ledger(ledger, AGENCY)
    from xxgk.register.ledger import load_mapping

    register = read_ledger(ledger, AGENCY, load_mapping(mapping))
    assert register.applications[0].outcome == "granted"
    assert register.applications[0].applicant_type == "natural_person"
    assert LedgerMapping().columns == {}


def test_a_file_that_is_not_a_ledger_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"not a zip")
    result = xxgk("register", "import", str(bogus), "--agency", AGENCY, "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "notes.xlsx" in result.stderr
    other = write_ledger(tmp_path / "other.xlsx", [["1", "会议纪要"]], header=["序号", "标题"])
    result = xxgk("register", "import", str(other), "--agency", AGENCY, "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.exit_code == 2 and "no sheet with the ledger's columns" in result.stderr


def test_real_excel_dates_and_numbers(tmp_path: Path) -> None:
    """Offices type dates as Excel dates and numbers as numbers, not text."""
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "typed.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("2025年台账")
    date_format = book.add_format({"num_format": "yyyy/m/d"})
    for c, h in enumerate(["编号", "收到日期", "申请人类型", "页数", "收费方式", "答复日期", "办理结果"]):
        sheet.write_string(0, c, h)
    sheet.write_number(1, 0, 137)
    sheet.write_datetime(1, 1, dt.datetime(2025, 1, 20), date_format)
    sheet.write_string(1, 2, "自然人")
    sheet.write_number(1, 3, 250)
    sheet.write_string(1, 4, "按量")
    sheet.write_datetime(1, 5, dt.datetime(2025, 2, 21), date_format)
    sheet.write_string(1, 6, "1.属于国家秘密")
    book.close()
    app = read_ledger(path, AGENCY).applications[0]
    assert (app.number, app.received, app.replied, app.pages) == (
        "137",
        dt.date(2025, 1, 20),
        dt.date(2025, 2, 21),
        250,
    )
    assert app.outcome == "denied_state_secret"


def test_every_ledger_error_is_said_in_chinese_and_in_english(tmp_path: Path) -> None:
    """Each reason a row is refused is a catalogue message (xxgk.i18n, `ledger.*`): Chinese for
    the web's report, English (`reason`, what the CLI and the API print) from the same ids."""
    import re

    from xxgk.i18n import catalogue

    src = Path(__file__).parents[2] / "src/xxgk"
    source = "".join(
        (src / name).read_text("utf-8")
        for name in ("register/ledger.py", "register/spreadsheet.py", "web/registers.py")
    )
    used = set(re.findall(r'"(ledger\.[a-z_.]+)"', source))
    assert used and used <= set(catalogue()), used - set(catalogue())
    assert {u for u in used if u.startswith("ledger.file.")}  # a whole file's refusals too
    rows = [
        row("A-1", "下周"),  # not a date
        row("A-2", "2025-02-30"),  # not a date of the calendar
        row("A-3", "2025-03-03", "个体户"),  # applicant type
        row("A-4", "2025-03-03", 申请方式="飞鸽传书"),  # channel
        row("A-5", "2025-03-03", 征求意见开始="2025-03-05"),  # half a consultation
        row("A-6", "2025-03-03", 答复日期="2025-03-01"),  # replied before received
        row("A-7", "2025-03-03", 办理结果="予以公开"),  # outcome with no reply
        row("A-8", "2018-03-03", 答复日期="2018-03-05", 办理结果="予以公开"),  # no template
        row("A-9", "2025-03-03", 答复日期="2025-03-05", 办理结果="看心情"),  # not an outcome
        row("A-10", "2025-03-03", 收费方式="按心情"),  # fee method
        row("A-11", "2025-03-03", 页数="许多"),  # pages
        row("A-12", "2025-03-03", 收费方式="按量"),  # 按量 without pages
        row("A-1", "2025-04-01"),  # repeated number
        row("", "2025-04-01"),  # required, empty
    ]
    cases = [
        ["C-1", "上访", "2025-01-01", "", "", ""],  # case type
        ["C-2", "行政复议", "2025-01-01", "2025-02-01", "和解了", ""],  # result
        ["C-3", "行政复议", "2025-03-01", "2025-02-01", "维持", ""],  # closed before filed
        ["C-4", "行政复议", "2025-01-01", "2025-02-01", "", ""],  # closed without result
        ["C-5", "行政复议", "2025-01-01", "", "维持", ""],  # result without closing
    ]
    with pytest.raises(LedgerError) as refused:
        read_ledger(write_ledger(tmp_path / "bad.xlsx", rows, cases), AGENCY)
    errors = refused.value.errors
    said = {e.msg_id for e in errors}
    assert len(said) >= 18, sorted(said)
    for e in errors:
        zh, en = e.message("zh"), e.message("en")
        assert e.reason == en and en in str(e)
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"\b(not|before|needs|required)\b", zh), zh
        assert re.search(r"\b(not|before|needs?|required|repeats|no)\b", en), en
    by_row = {(e.sheet, e.row): e for e in errors}
    assert by_row[("台账", 2)].message("zh") == "“下周”不是日期（请写成 2025-01-20）"
    assert by_row[("台账", 2)].reason == "'下周' is not a date (write 2025-01-20)"
    assert by_row[("台账", 4)].message("zh").startswith("“个体户”不是申请人类型（自然人、")
    # No sheet with the ledger's columns: Chinese too.
    with pytest.raises(LedgerError) as other:
        read_ledger(
            write_ledger(tmp_path / "other.xlsx", [["1", "会议纪要"]], header=["序号", "标题"]), AGENCY
        )
    assert other.value.errors[0].message("zh").startswith("没有含台账各列的工作表（编号")


def test_a_ledger_file_that_cannot_be_read_is_said_in_both_languages(tmp_path: Path) -> None:
    """Regression (review item 3): the refusals of a whole file were English text only, so the
    Chinese web page showed them in English; now each is a catalogue message (`ledger.file.*`),
    the CLI's one line still English and naming the file."""
    from xxgk.register.errors import LedgerFileError

    gbk_and_not = tmp_path / "台账.csv"
    gbk_and_not.write_bytes("编号,收到日期\n".encode() + b"\xff\xff\xff\n")
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"not a zip")
    said = {}
    for path in (gbk_and_not, bogus, tmp_path / "gone.xlsx"):
        with pytest.raises(LedgerFileError) as refused:
            read_ledger(path, AGENCY)
        e = refused.value
        assert str(e) == f"{path}: {e.message('en')}" and e.name == str(path)
        said[e.msg_id] = e.message("zh")
    assert said == {
        "ledger.file.encoding": "既不是 UTF-8 也不是 GB18030 编码的文本",
        "ledger.file.not_a_spreadsheet": said["ledger.file.not_a_spreadsheet"],
        "ledger.file.missing": "文件不存在",
    }
    assert said["ledger.file.not_a_spreadsheet"].startswith("不是可读的电子表格：")
    result = xxgk(
        "register", "import", str(gbk_and_not), "--agency", AGENCY, "--db", f"sqlite:///{tmp_path}/x.db"
    )
    assert result.exit_code == 2 and result.stderr.strip().endswith(
        "台账.csv: neither UTF-8 nor GB18030 text"
    )
