"""The report JSON model reads and writes the format exactly; the committed schema cannot drift."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from tests.paths import REPO, dev_labels

from xxgk.model import FORMAT, Report, ReportFileError, json_schema, load_report, parse_report

SCHEMA_FILE = REPO / "docs" / "report.schema.json"


@pytest.mark.parametrize("label", dev_labels(), ids=lambda p: p.stem)
def test_labels_round_trip(label: Path) -> None:
    raw = json.loads(label.read_text("utf-8"))
    report = load_report(label)
    again = parse_report(json.loads(report.to_json()))
    assert again == report
    # every labelled value survives, "?" becomes null + ambiguous
    for table in ("table2", "table3", "table4"):
        for row, cols in raw[table].items():
            for col, value in cols.items():
                key = f"{table}.{row}.{col}"
                if value == "?":
                    assert report.value(key) is None and report.status(key) == "ambiguous"
                else:
                    assert report.value(key) == (Decimal(str(value)) if isinstance(value, float) else value)


def test_decimal_amount_is_exact_and_written_as_a_number() -> None:
    report = parse_report({"format": FORMAT, "table2": {"fees": {"amount_wan": 3027.6557}}})
    assert report.value("table2.fees.amount_wan") == Decimal("3027.6557")
    assert '"amount_wan": 3027.6557' in report.to_json()


def test_blank_stays_blank() -> None:
    report = parse_report({"table3": {"new": {"total": None}}})
    assert report.has("table3.new.total") and report.value("table3.new.total") is None
    assert json.loads(report.to_json())["table3"]["new"]["total"] is None


def test_unknown_keys_survive() -> None:
    report = parse_report({"format": FORMAT, "x_future": {"a": 1}})
    assert json.loads(report.to_json())["x_future"] == {"a": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not JSON"),
        ('{"format": "xxgk-report/9"}', "unknown format version 'xxgk-report/9'"),
        ("[1, 2]", "not a report JSON object"),
        ('{"table3": {"new": {"total": "12"}}}', "invalid report at table3.new.total"),
        ('{"table3": {"new": {"total": true}}}', "invalid report at table3.new.total"),
        ('{"year": "twenty"}', "invalid report at year"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ReportFileError) as info:
        load_report(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReportFileError, match="no such file"):
        load_report(tmp_path / "absent.json")


def test_committed_schema_matches_the_model() -> None:
    committed = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert committed == json_schema(), (
        "docs/report.schema.json drifted: run `xxgk schema > docs/report.schema.json`"
    )


def test_schema_describes_the_contract() -> None:
    schema = json_schema()
    assert set(schema["properties"]) >= {
        "format",
        "agency",
        "year",
        "template",
        "published",
        "source",
        "sections",
        "table2",
        "table3",
        "table4",
        "cells",
        "findings",
    }
    assert Report.model_validate({}).format == FORMAT
