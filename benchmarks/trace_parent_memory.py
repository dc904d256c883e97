"""What the auditing (parent) process holds, by allocation site, at two corpus sizes (issue 16:
the parent's memory must not grow with the corpus).

    python benchmarks/trace_parent_memory.py --count 3000 --times 3 [--workdir build/trace-parent]

Writes generated report JSON corpora of N and k×N reports (tests/audit/corpus.write_generated:
agencies over consecutive years, planted errors, no rendering, so the readers are cheap), audits
each in this process with the process pool (its workers forked before tracing starts), and takes
tracemalloc snapshots in the parent: at the end of ingest + link (`audit` returned) and at the
end of the output phase (`write_all`). Prints the traced memory and its peak per phase at both
sizes, and the allocation sites that grew most from N to k×N. Baseline in the same run: the
N-report audit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil
from tests.audit.corpus import write_generated

from xxgk.audit.executors import ProcessExecutor
from xxgk.audit.outputs import write_all
from xxgk.audit.pipeline import audit
from xxgk.storage import open_db


def rss_mb() -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def run(count: int, work: Path) -> dict[str, object]:
    corpus = work / f"c{count}"
    if not corpus.is_dir():
        write_generated(corpus, count)
    db_path = work / f"a{count}.db"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), work / f"out{count}"):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    db = open_db(f"sqlite:///{db_path}")
    executor = ProcessExecutor(2)
    executor.start()  # forked before tracing: the workers are not traced
    tracemalloc.start(6)
    start = time.perf_counter()
    audit([corpus], db, executor=executor)
    ingest = time.perf_counter() - start
    current, peak = tracemalloc.get_traced_memory()
    after_ingest = tracemalloc.take_snapshot()
    ingest_rss = rss_mb()
    tracemalloc.reset_peak()
    write_all(db, work / f"out{count}", jobs=1)
    out_current, out_peak = tracemalloc.get_traced_memory()
    after_outputs = tracemalloc.take_snapshot()
    tracemalloc.stop()
    db.close()
    return {
        "count": count,
        "ingest": (current, peak, ingest_rss, ingest),
        "outputs": (out_current, out_peak, rss_mb(), time.perf_counter() - start - ingest),
        "snapshots": (after_ingest, after_outputs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--times", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("build/trace-parent"))
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    small = run(args.count, args.workdir)
    large = run(args.count * args.times, args.workdir)
    for phase, i in (("ingest + link", 0), ("outputs", 1)):
        key = "ingest" if i == 0 else "outputs"
        for r in (small, large):
            cur, peak, rss, secs = r[key]  # type: ignore[misc]
            print(
                f"{phase} at {r['count']}: traced {cur / 2**20:.1f} MB held, peak {peak / 2**20:.1f} MB;"
                f" RSS {rss:.0f} MB; {secs:.0f} s"
            )
        grown = large["snapshots"][i].compare_to(small["snapshots"][i], "traceback")  # type: ignore[index]
        print(f"  grew most from {small['count']} to {large['count']} ({phase}, held at its end):")
        for stat in grown[: args.top]:
            frames = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback[:4])
            print(f"    {stat.size_diff / 1024:+9.0f} KB ({stat.count_diff:+d} blocks) {frames}")


if __name__ == "__main__":
    main()
