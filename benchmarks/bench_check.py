"""Benchmark: `check()` over 10,000 reports on one core (target: under 1 s per 1,000 reports).

Two corpora: random cell values in every template cell (most identities fail, so many findings —
the slow case), and reports that add up (few findings — the common case). The baseline measured in
the same run is validating the same reports from JSON (`parse_report`), the cost every reader pays.
Run: .venv/bin/python benchmarks/bench_check.py [N]
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import time

from xxgk.check import check
from xxgk.model import Report, parse_report
from xxgk.templates import get_template


def random_report(rng: random.Random, consistent: bool) -> Report:
    template = get_template(rng.choice(["2019", "2021"]))
    report = Report(template=template.id, year=2020 if template.id == "2019" else 2022, agency="基准测试局")
    for cell in template.cells():
        value = 0 if consistent else rng.randint(0, 50)
        report.set(cell.key, value if rng.random() < 0.8 else None)
    return report


def timed(fn, items) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rng = random.Random(20261121)
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    print(f"machine: {platform.machine()} {cpu}, python {platform.python_version()}, pinned to 1 core")
    for name, consistent in (("random cells (many findings)", False), ("consistent (few findings)", True)):
        reports = [random_report(rng, consistent) for _ in range(n)]
        payloads = [json.loads(r.to_json()) for r in reports]
        baseline = timed(parse_report, payloads)
        elapsed = timed(check, reports)
        findings = sum(len(check(r)) for r in reports[:1000])
        print(
            f"{name}: {n} reports checked in {elapsed:.2f} s = {elapsed / n * 1000:.2f} s per 1,000 "
            f"({n / elapsed:,.0f} reports/s); {findings / 1000:.1f} findings/report; "
            f"baseline parse_report {baseline:.2f} s; check/parse = {elapsed / baseline:.2f}x"
        )


if __name__ == "__main__":
    main()
