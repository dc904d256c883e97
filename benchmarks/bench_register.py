"""Benchmark: import of a 100,000-row ledger (.xlsx) and compile of a year (issue 14).

Steps, each timed: write the ledger (xlsxwriter, not part of xxgk's import), read it with
python-calamine alone (the baseline: what any reader of the file pays), `read_ledger` (calamine
+ validation of every row), saving into a fresh SQLite database, re-importing the same file (a
no-op), loading the register and compiling one year (tables 3/4 by construction + fee cell +
check), and rendering that year's DOCX. Ratios are against the calamine baseline of the same run.
Run: .venv/bin/python benchmarks/bench_register.py [ROWS]
"""

from __future__ import annotations

import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from python_calamine import CalamineWorkbook

from xxgk.register.cases import APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, Application, Case, Register
from xxgk.register.compile import compile_year, render_docx
from xxgk.register.export import to_xlsx
from xxgk.register.ledger import read_ledger
from xxgk.register.store import load, save
from xxgk.storage.db import open_db
from xxgk.templates import template_for_year

AGENCY = "基准测试市人民政府办公室"


def random_register(rng: random.Random, rows: int) -> Register:
    types = list(APPLICANT_TYPES.values())
    apps = []
    for i in range(rows):
        received = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
        replied = received + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.9 else None
        outcome = None
        if replied is not None:
            template = template_for_year(replied.year)
            assert template is not None
            outcome = rng.choice(template.table3.rows_with_role("disposal")).key
        method = rng.choice([None] * 8 + ["按件", "按量"])
        app = Application(
            number=f"{received.year}-{i:06d}", received=received, applicant_type=rng.choice(types),
            channel="网络", applicant=f"申请人{rng.randint(1, 5000)}", id_number=f"3501{rng.randint(10**13, 10**14 - 1)}",
            contact=f"138{rng.randint(10**7, 10**8 - 1)}", request="某某信息", handler=rng.choice(["张三", "李四"]),
            fee_method=method, pages=rng.randint(0, 300) if method == "按量" else None,
            fee_paid=replied if method and replied else None, replied=replied, outcome=outcome,
        )  # fmt: skip
        apps.append(app)
    cases = []
    for i in range(rows // 100):
        filed = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
        closed = filed + timedelta(days=rng.randint(10, 400)) if rng.random() < 0.8 else None
        cases.append(
            Case(f"C{i:05d}", rng.choice(list(CASE_KINDS.values())), filed, closed,
                 rng.choice(list(CASE_RESULTS.values())) if closed else None)
        )  # fmt: skip
    return Register(AGENCY, apps, cases)


def timed(label: str, fn, results: dict[str, float]):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    return value


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    print(f"machine: {platform.machine()} {cpu}, python {platform.python_version()}, pinned to 1 core")
    rng = random.Random(20261203)
    register = random_register(rng, rows)
    t: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "ledger.xlsx"
        timed("write", lambda: ledger.write_bytes(to_xlsx(register, reveal_personal=True)), t)
        size = ledger.stat().st_size

        def calamine_only() -> int:
            book = CalamineWorkbook.from_path(str(ledger))
            return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)

        timed("calamine", calamine_only, t)
        read = timed("read", lambda: read_ledger(ledger, AGENCY), t)
        entries = [*read.applications, *read.cases]
        db = open_db(f"sqlite:///{tmp}/bench.db")
        first = timed("save", lambda: save(db, AGENCY, entries, author="bench"), t)
        again = timed(
            "reimport",
            lambda: save(db, AGENCY, [*read_ledger(ledger, AGENCY).applications], author="bench"),
            t,
        )
        loaded = timed("load", lambda: load(db, AGENCY), t)
        compiled = timed("compile", lambda: compile_year(loaded, 2023), t)
        render_docx(compiled.report)  # warm-up: the first call pays for importing python-docx
        docx = timed("docx", lambda: render_docx(compiled.report), t)
        db.close()
    assert len(first.added) == len(entries) and not again.added and not again.changed
    assert not [f for f in compiled.findings if f.severity == "error"]
    base = t["calamine"]
    print(
        f"ledger: {rows:,} applications + {len(register.cases):,} cases, {size / 1e6:.1f} MB xlsx (written in {t['write']:.1f} s)"
    )
    print(f"baseline calamine read only: {base:.2f} s")
    print(
        f"read_ledger (calamine + validate every row): {t['read']:.2f} s = {rows / t['read']:,.0f} rows/s; {t['read'] / base:.1f}x baseline"
    )
    print(
        f"save into a fresh SQLite db: {t['save']:.2f} s; import total {t['read'] + t['save']:.2f} s = {(t['read'] + t['save']) / base:.1f}x baseline"
    )
    print(f"re-import of the same file (no-op): {t['reimport']:.2f} s")
    t3 = compiled.report.table3
    print(
        f"compile 2023: load register {t['load']:.2f} s + construct/sections/check {t['compile']:.2f} s "
        f"(新收 {t3['new']['total']:,}, 办结 {t3['total']['total']:,}); DOCX {t['docx']:.2f} s ({len(docx) / 1e3:.0f} kB)"
    )


if __name__ == "__main__":
    main()
