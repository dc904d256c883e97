"""`xxgk register due` and the register's own findings, on a ledger with known dates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.register.ledgers import row, write_ledger, xxgk

from xxgk.register.calendar import seed
from xxgk.register.cases import Application
from xxgk.register.findings import due_list, register_findings

AGENCY = "某某县人民政府办公室"


def _app(number: str, **kw: object) -> Application:
    return Application(number=number, received=date(2025, 1, 20), applicant_type="natural_person", **kw)  # type: ignore[arg-type]


def test_findings_on_the_register() -> None:
    apps = [
        _app("late-reply", replied=date(2025, 2, 24), outcome="granted"),  # due 02-21
        _app("on-time", replied=date(2025, 2, 21), outcome="granted"),
        _app(
            "late-notice", correction_notified=date(2025, 2, 6), correction_received=date(2025, 2, 10)
        ),  # due 02-05
        _app("late-extension", extended=date(2025, 2, 24)),
        _app("no-outcome", replied=date(2025, 2, 3)),
        _app("order", fee_notified=date(2025, 2, 10), fee_paid=date(2025, 2, 3)),
        _app(
            "fee-typed",
            fee_method="按量",
            pages=250,
            fee_yuan=4000,
            replied=date(2025, 2, 3),
            outcome="granted",
        ),  # type: ignore[arg-type]
    ]
    apps.append(_app("open-late"))
    found = {(f.rule, f.number) for f in register_findings(apps, seed(), today=date(2025, 2, 24))}
    assert found == {
        ("REG-LATE-REPLY", "late-reply"),
        ("REG-LATE-CORRECTION-NOTICE", "late-notice"),
        ("REG-LATE-EXTENSION", "late-extension"),
        ("REG-NO-OUTCOME", "no-outcome"),
        ("REG-DATE-ORDER", "order"),
        ("REG-FEE-TYPED", "fee-typed"),
        ("REG-OVERDUE", "open-late"),
        ("REG-OVERDUE", "late-extension"),
        ("REG-OVERDUE", "order"),
    }


def test_due_list_counts_working_days_and_flags_overdue() -> None:
    apps = [
        _app("A"),  # due 2025-02-21
        Application("B", date(2025, 2, 3), "legal"),  # received in the holiday: 02-05 is day 1 … due 03-03
        _app("C", replied=date(2025, 2, 1), outcome="granted"),  # closed: never listed
        _app("D", correction_notified=date(2025, 1, 22)),  # awaiting correction: no clock
    ]
    rows, gaps = due_list(apps, seed(), date(2025, 2, 24), within=4)
    assert gaps == []
    assert [(r.number, r.due, r.working_days_left) for r in rows] == [("A", date(2025, 2, 21), -1)]
    rows, _ = due_list(apps, seed(), date(2025, 2, 24), within=10)
    assert [(r.number, r.working_days_left) for r in rows] == [("A", -1), ("B", 5)]


def test_register_due_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    ledger = write_ledger(
        tmp_path / "l.xlsx",
        [
            row("A", "2025-01-20", 承办人="张三"),
            row("B", "2025-02-03", 承办人="李四"),
            row("C", "2025-02-20", 承办人="张三"),
        ],
    )
    assert xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", db).exit_code == 0
    result = xxgk(
        "register",
        "due",
        "--agency",
        AGENCY,
        "--db",
        db,
        "--today",
        "2025-02-24",
        "--within",
        "5",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert [(d["number"], d["due"], d["overdue"]) for d in data] == [
        ("A", "2025-02-21", True),
        ("B", "2025-03-03", False),
    ]
    mine = xxgk(
        "register",
        "due",
        "--agency",
        AGENCY,
        "--db",
        db,
        "--today",
        "2025-02-24",
        "--within",
        "30",
        "--handler",
        "张三",
    )
    assert "A" in mine.stdout and "逾期 1" in mine.stdout and "李四" not in mine.stdout
    check = xxgk("register", "check", "--agency", AGENCY, "--db", db, "--today", "2025-02-24")
    assert (
        check.exit_code == 1 and "REG-OVERDUE\tA: still open on 2025-02-24, due by 2025-02-21" in check.stdout
    )
    assert xxgk("register", "check", "--agency", AGENCY, "--db", db, "--today", "2025-02-21").exit_code == 0


def test_workdays_cli(tmp_path: Path) -> None:
    assert xxgk("workdays", "add", "2025-01-20", "20").stdout.strip() == "2025-02-21"
    listed = xxgk("workdays", "list", "2025").stdout
    assert "2025-01-26\t日\t上班" in listed and "2025-01-28\t二\t休息\t春节" in listed
    gap = xxgk("workdays", "add", "2026-12-20", "20")
    assert gap.exit_code == 2 and "no working-day calendar for 2027" in gap.stderr
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert xxgk("workdays", "add", "2026-12-20", "20", "--db", db).exit_code == 2
    # enter 2027 by hand: New Year's Day and a Spring Festival week, then cover the year
    for day in ("2027-01-01", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"):
        assert xxgk("workdays", "set", day, "holiday", "--name", "春节", "--db", db).exit_code == 0
    assert xxgk("workdays", "set", "2027-02-06", "workday", "--name", "春节", "--db", db).exit_code == 0
    assert xxgk("workdays", "cover", "2027", "--db", db).exit_code == 0
    # 2027-01-29 (Fri) + 10: 02-01…02-05 (5), Sat 02-06 (6), 02-15…02-18 (10)
    assert xxgk("workdays", "add", "2027-01-29", "10", "--db", db).stdout.strip() == "2027-02-18"
    assert xxgk("workdays", "set", "2027-02-06", "ordinary", "--db", db).exit_code == 0
    assert xxgk("workdays", "add", "2027-01-29", "10", "--db", db).stdout.strip() == "2027-02-19"
    bad = xxgk("workdays", "set", "2027-02-30", "holiday", "--db", db)
    assert bad.exit_code == 2 and "not a date" in bad.stderr


def test_fee_policy_from_the_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    ledger = write_ledger(
        tmp_path / "l.xlsx", [row("F", "2025-01-20", 收费通知日期="2025-02-10", 缴费日期="2025-02-14")]
    )
    assert xxgk("register", "import", str(ledger), "--agency", AGENCY, "--db", db).exit_code == 0
    default = xxgk("register", "deadline", "F", "--agency", AGENCY, "--db", db).stdout
    stopped = xxgk("register", "deadline", "F", "--agency", AGENCY, "--db", db, "--fee-stops-clock").stdout
    assert "缴费期限 2025-03-10" in default
    assert default.rstrip().endswith("答复期限 2025-02-21") and stopped.rstrip().endswith(
        "答复期限 2025-02-27"
    )
