"""Peak memory of the output phase from N to k×N reports (issue 16: flat within 10 % from 10k to 100k).

    python benchmarks/bench_memory_scale.py [build/bench-audit/audit.db] [--times 10] [--workdir build/bench-scale]

Auditing 100,000 generated documents takes hours on a shared 2-core machine; the output phase is
where the parent process grew (issue 16's note). So this benchmark takes the SQLite database of an
audit of N documents (bench_audit.py leaves one in its workdir) and makes a database of k×N by
copying every document, report, fact, finding and agency k−1 times under new paths and agency
names (SQL, seconds). It then writes every output of both databases the way `xxgk audit --out`
does (`write_all`, jobs=2: the workbook in a second process), sampling the RSS of this process
and of each child every 0.25 s, and prints the peaks side by side. Baseline in the same run:
the N-report database.

What it does not measure: the ingestion phase at k×N (bench_audit.py measures it at 1,000 and
10,000: workers and readers per document, the parent in batches).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import RssSampler, cpu_model
from xxgk.audit.outputs import write_all
from xxgk.storage import open_db

# Columns changed in each copy; the others are copied as they are.
SHIFTED = {
    "documents": {"id": "id + {k} * {documents}", "path": "path || '~{k}'"},
    "agencies": {"id": "id + {k} * {agencies}", "key": "key || '~{k}'", "name": "name || ' {k}'"},
    "reports": {
        "id": "id + {k} * {reports}",
        "document_id": "document_id + {k} * {documents}",
        "agency_id": "agency_id + {k} * {agencies}",
        "agency_name": "agency_name || ' {k}'",
        "previous_id": "previous_id + {k} * {reports}",
    },
    "report_facts": {"report_id": "report_id + {k} * {reports}"},
    "findings": {
        "id": "id + {k} * {findings}",
        "report_id": "report_id + {k} * {reports}",
        "identity": "identity || '~{k}'",
    },
}


def scale_up(source: Path, target: Path, times: int) -> None:
    """`target`: the database at `source` with every audited row copied `times` − 1 more times."""
    shutil.copyfile(source, target)
    con = sqlite3.connect(target)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    top = {
        t: con.execute(f"SELECT max(id) FROM {t}").fetchone()[0] or 0
        for t in ("documents", "agencies", "reports", "findings")
    }
    for k in range(1, times):
        for table, shifted in SHIFTED.items():
            columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
            select = ", ".join(shifted.get(c, c).format(k=k, **top) for c in columns)
            limit = f"WHERE id <= {top[table]}" if table in top else f"WHERE report_id <= {top['reports']}"
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} {limit}")
        con.commit()
    con.execute("VACUUM")
    con.close()


def write_measured(db_path: Path, out: Path) -> tuple[float, float, RssSampler]:
    """Every output of the database written as `xxgk audit --out` does, with this process's tree
    sampled: (seconds, this process's CPU seconds, the sampler)."""
    shutil.rmtree(out, ignore_errors=True)
    sampler = RssSampler(os.getpid())
    sampler.start()
    db = open_db(f"sqlite:///{db_path}")
    start, cpu = time.perf_counter(), time.process_time()
    try:
        write_all(db, out, jobs=2)
    finally:
        db.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    sampler.stop.set()
    sampler.join()
    return seconds, cpu, sampler


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "database",
        type=Path,
        nargs="?",
        default=Path("build/bench-audit/audit.db"),
        help="SQLite database of an audit (default: the one bench_audit.py leaves, which `make bench` runs first)",
    )
    ap.add_argument("--times", type=int, default=10)
    ap.add_argument("--workdir", type=Path, default=Path("build/bench-scale"))
    args = ap.parse_args()
    if not args.database.is_file():
        raise SystemExit(f"{args.database}: no such database (run benchmarks/bench_audit.py first)")
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    small, large = work / "small.db", work / "large.db"
    shutil.copyfile(args.database, small)
    t = time.perf_counter()
    scale_up(args.database, large, args.times)
    with sqlite3.connect(small) as a, sqlite3.connect(large) as b:
        n_small = a.execute("SELECT count(*) FROM reports").fetchone()[0]
        n_large = b.execute("SELECT count(*) FROM reports").fetchone()[0]
    print(f"databases: {n_small} and {n_large} reports (copied in {time.perf_counter() - t:.1f} s)")
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    peaks = {}
    for name, path, n in (("small", small, n_small), ("large", large, n_large)):
        seconds, cpu, sampler = write_measured(path, work / f"out-{name}")
        peaks[name] = sampler
        print(
            f"{n} reports: outputs written in {seconds:.1f} s ({1000 * seconds / n:.2f} ms per report); "
            f"peak RSS {sampler.peak_summary()}"
        )
        print(f"  parent RSS at 25/50/75/100 % of the writing: {sampler.parent_quartiles()}")
        workbook = max(
            (s for pid, s in sampler.cpu.items() if sampler.peaks[pid][0] == "worker"), default=0.0
        )
        print(
            f"  per 1,000 reports: {1000 * seconds / n:.1f} s; CPU parent {1000 * cpu / n:.1f} s, "
            f"workbook process {1000 * workbook / n:.1f} s"
        )
    for role in ("parent", "worker"):
        a, b = peaks["small"].peak(role), peaks["large"].peak(role)
        print(f"peak {role}: {a:.0f} MB → {b:.0f} MB ({100 * (b - a) / max(a, 1):+.1f} %)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
