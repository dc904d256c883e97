"""`xxgk compile` from the command line: ledger input, office texts, Word templates, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from tests.paths import REPO
from tests.register.ledgers import clean_cases, clean_rows, write_ledger, xxgk

from xxgk.model import Report

AGENCY = "福州市某某区人民政府办公室"
EXAMPLES = REPO / "examples" / "register"


def test_compile_from_a_ledger_with_table2_and_sections(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases())
    result = xxgk(
        "compile", "--agency", AGENCY, "--year", "2025", "--ledger", str(ledger), "--format", "json",
        "--table2", str(EXAMPLES / "table2.toml"), "--sections", str(EXAMPLES / "sections.toml"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = Report.model_validate(json.loads(result.stdout))
    assert report.value("table2.licensing.decisions") == 1532
    assert report.value("table2.regulations.made") == 0 and report.status("table2.regulations.made") == "read"
    assert str(report.value("table2.fees.amount_wan")) == "0.47"
    assert report.table3["new"]["total"] == 5 and report.table3["carried_over"]["total"] == 1
    assert "全年新收政府信息公开申请5件" in report.sections[0].text
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert not [f for f in report.findings if f.severity == "error"]


def test_office_word_template_through_docxtpl(tmp_path: Path) -> None:
    template = docx.Document()
    template.add_paragraph("{{ agency }}{{ year }}年政府信息公开工作年度报告")
    template.add_paragraph("本年新收申请{{ t3.new.total }}件，其中自然人{{ t3.new.natural_person }}件。")
    template.add_paragraph("{{ sections[3] }}")
    path = tmp_path / "office.docx"
    template.save(str(path))
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases())
    out = tmp_path / "report.docx"
    result = xxgk(
        "compile", "--agency", AGENCY, "--year", "2025", "--ledger", str(ledger), "--word-template", str(path),
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert f"{AGENCY}2025年政府信息公开工作年度报告" in text
    assert "本年新收申请5件，其中自然人2件。" in text
    assert "办结4件，结转下年度继续办理2件" in text


def test_bad_inputs_are_one_line_errors_and_write_nothing(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases())
    base = ("compile", "--agency", AGENCY, "--year", "2025", "--ledger", str(ledger))
    fee = tmp_path / "t2.json"
    fee.write_text('{"fees": {"amount_wan": 3}}', "utf-8")
    unknown = tmp_path / "t2b.json"
    unknown.write_text('{"licensing": {"made": 3}}', "utf-8")
    text = tmp_path / "t2c.json"
    text.write_text('{"licensing": {"decisions": "many"}}', "utf-8")
    sections = tmp_path / "s.toml"
    sections.write_text('[sections]\n1 = "共{total_cases}件"\n', "utf-8")
    out = tmp_path / "r.docx"
    cases = [
        ((*base, "--table2", str(fee), "--out", str(out)), "computed from the register"),
        ((*base, "--table2", str(unknown), "--out", str(out)), "not a cell of the 2021 template"),
        ((*base, "--table2", str(text), "--out", str(out)), "not a number"),
        ((*base, "--sections", str(sections), "--out", str(out)), "unknown placeholder {total_cases}"),
        ((*base, "--explain", "table3.nonsense.total"), "not a cell"),
        ((*base, "--explain", "table9.new.total"), "not a cell"),  # was a KeyError traceback
        ((*base, "--explain", "new"), "not a cell"),
        (
            ("compile", "--agency", AGENCY, "--year", "2018", "--ledger", str(ledger)),
            "no national report template",
        ),
        ((*base, "--out", str(tmp_path / "r.pdf")), "compile writes .docx, .html or .json"),
        (
            ("compile", "--agency", "没有的机关", "--year", "2025", "--db", f"sqlite:///{tmp_path}/e.db"),
            "no register",
        ),
    ]
    for args, reason in cases:
        result = xxgk(*args)
        assert result.exit_code == 2, (args, result.stdout)
        assert reason in result.stderr and result.stderr.count("\n") == 1, (reason, result.stderr)
    assert not out.exists()


def test_compiled_json_passes_xxgk_check_on_the_command_line(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases())
    outs = []
    for year in (2024, 2025):
        out = tmp_path / f"r{year}.json"
        result = xxgk(
            "compile", "--agency", AGENCY, "--year", str(year), "--ledger", str(ledger), "--out", str(out)
        )
        assert result.exit_code == 0, result.stderr
        outs.append(str(out))
    checked = xxgk("check", *outs)
    assert checked.exit_code == 0, checked.stdout


def test_word_template_text_is_escaped_and_the_template_is_sandboxed(tmp_path: Path) -> None:
    """Regression: docxtpl inserted values as raw XML, so a 办理情况 text or an agency with `&` or
    `<` cut the paragraph silently; and the template's Jinja could reach Python's internals."""
    template = docx.Document()
    template.add_paragraph("{{ agency }}")
    template.add_paragraph("{{ sections[1] }}")
    path = tmp_path / "office.docx"
    template.save(str(path))
    sections = tmp_path / "s.toml"
    sections.write_text('[sections]\n1 = "甲&乙 <第一部分> \\"引号\\""\n', "utf-8")
    ledger = write_ledger(tmp_path / "l.xlsx", clean_rows(), clean_cases())
    out = tmp_path / "report.docx"
    agency = "福州市甲&乙<区>办公室"
    base = ("compile", "--agency", agency, "--year", "2025", "--ledger", str(ledger), "--out", str(out))
    result = xxgk(*base, "--word-template", str(path), "--sections", str(sections))
    assert result.exit_code == 0, result.stderr
    assert [p.text for p in docx.Document(str(out)).paragraphs] == [agency, '甲&乙 <第一部分> "引号"']
    out.unlink()
    hostile = docx.Document()
    hostile.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    hostile.save(str(path))
    result = xxgk(*base, "--word-template", str(path))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot fill the Word template" in result.stderr and "unsafe" in result.stderr
    assert not out.exists()
