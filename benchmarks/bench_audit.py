"""Audit benchmark: a generated corpus through `xxgk audit --jobs 2`, timed, with memory sampled
and planted errors compared with what the audit found (issue 5 acceptance: every decidable planted
error must be found; errors planted in layouts that lose cell boundaries are counted apart).

    python benchmarks/bench_audit.py [--count 10000] [--jobs 2] [--workdir build/bench-audit]
                                     [--db postgresql+psycopg://…] [--keep-corpus] [--no-baseline]

Baseline in the same run: the same documents through extract + check in a plain process pool
(no database, no outputs) — the floor the audit's storage, linking and outputs add to.
Also measured (issue 16): the peak RSS of every process (the parent and each worker, apart),
a re-run of the unchanged corpus with --out against the first run, and the database size per
report. `--db` audits into that database instead of a fresh SQLite file (it must be empty).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
from sqlalchemy import String

from xxgk.audit.pipeline import iter_inputs, process_batch
from xxgk.audit.query import iter_findings
from xxgk.samples import BOUNDARY_LOST, write_corpus
from xxgk.storage import open_db


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def children_cpu() -> float:
    """CPU seconds of every waited-for descendant so far: less sensitive to a shared machine's
    load than wall time, so the ratios are given both ways."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def floor(paths: list[str], jobs: int) -> float:
    """Seconds to extract + check every document in a process pool, storing nothing."""
    chunks = [paths[i : i + 16] for i in range(0, len(paths), 16)]
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        for _ in pool.map(process_batch, chunks):
            pass
    return time.perf_counter() - start


class RssSampler(threading.Thread):
    """Total RSS of a process and its children every `interval` seconds, and each one's peak.

    Roles: "parent" (the audit's own process), "reader" (a sandbox child reading documents,
    audit/sandbox.py), "worker" (a pool worker relaying between its reader and the parent),
    "workbook" (the spawned process writing the Excel workbook, outputs/__init__.py), "tracker"
    (multiprocessing's resource tracker). Before issue 16's fourth pass the workbook's process
    was counted as a "worker": the 434 s "relay" of the 100,000-report run was mostly the workbook."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self.parent: list[float] = []  # the parent's RSS at each sample
        self.peaks: dict[int, tuple[str, float]] = {}  # pid → (role, peak MB)
        self.cpu: dict[int, float] = {}  # pid → CPU seconds at its last sample
        self.stop = threading.Event()

    def _role(self, p: psutil.Process) -> str:
        if p.pid == self.proc.pid:
            return "parent"
        known = self.peaks.get(p.pid)
        if known:
            return known[0]
        try:
            cmdline = " ".join(p.cmdline())
        except psutil.Error:
            return "worker"
        if "xxgk.audit.sandbox" in cmdline:
            return "reader"
        if "resource_tracker" in cmdline:
            return "tracker"
        return "workbook" if "multiprocessing.spawn" in cmdline else "worker"

    def run(self) -> None:
        start = time.perf_counter()
        while not self.stop.is_set():
            total = 0.0
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                break
            for p in procs:
                try:
                    mb = p.memory_info().rss / 2**20
                    times = p.cpu_times()
                except psutil.Error:
                    continue
                if mb == 0:  # an ended process not yet waited for
                    continue
                self.cpu[p.pid] = times.user + times.system
                total += mb
                role = self._role(p)
                if role == "parent":
                    self.parent.append(mb)
                self.peaks[p.pid] = (role, max(mb, self.peaks.get(p.pid, (role, 0.0))[1]))
            self.samples.append((time.perf_counter() - start, total))
            time.sleep(self.interval)

    def peak(self, role: str) -> float:
        return max((mb for r, mb in self.peaks.values() if r == role), default=0.0)

    def peak_summary(self) -> str:
        parts = [f"parent {self.peak('parent'):.0f} MB"]
        for role in ("worker", "reader", "workbook"):
            mbs = sorted((mb for r, mb in self.peaks.values() if r == role), reverse=True)
            if mbs:
                parts.append(f"{role}s {', '.join(f'{mb:.0f}' for mb in mbs[:4])} MB")
        return "; ".join(parts)

    def cpu_summary(self) -> str:
        """CPU seconds by role, as sampled (a process's last 0.25 s can be missed)."""
        by_role: dict[str, float] = defaultdict(float)
        for pid, seconds in self.cpu.items():
            by_role[self.peaks[pid][0]] += seconds
        return ", ".join(f"{role} {seconds:.1f} s" for role, seconds in sorted(by_role.items()))

    def parent_quartiles(self) -> str:
        rss = self.parent
        if not rss:
            return "-"
        return "/".join(f"{rss[min(len(rss) - 1, int(len(rss) * q))]:.0f}" for q in (0.25, 0.5, 0.75)) + (
            f"/{rss[-1]:.0f} MB"
        )


def times(value: float, base: float) -> str:
    """`value` as a multiple of the baseline's, or a dash when the baseline was skipped."""
    return "-" if base != base else f"{value / base:.2f}x"  # NaN: --no-baseline


def run_audit(corpus: Path, db_url: str, out: Path, jobs: int) -> tuple[float, RssSampler, str]:
    cmd = [
        sys.executable,
        "-m",
        "xxgk",
        "audit",
        str(corpus),
        "--db",
        db_url,
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "-q",
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = RssSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"audit failed ({proc.returncode}): {stderr}")
    return elapsed, sampler, stdout


def database_sizes(db_url: str, documents: int, corpus_bytes: int) -> str:
    """Database bytes per report (whole database; stored report JSON; facts rows)."""
    from sqlalchemy import func, select, text

    from xxgk.storage.models import ReportFact, ReportRow

    db = open_db(db_url)
    try:
        with db.session() as s:
            reports = s.scalar(select(func.count()).select_from(ReportRow)) or 1
            facts = s.scalar(select(func.count()).select_from(ReportFact)) or 0
            if db.engine.url.get_backend_name() == "sqlite":
                s.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                page = s.scalar(text("PRAGMA page_size")) or 0
                total = page * (s.scalar(text("PRAGMA page_count")) or 0)
                data = s.scalar(select(func.sum(func.length(func.cast(ReportRow.data, String))))) or 0
            else:
                total = s.scalar(text("SELECT pg_database_size(current_database())")) or 0
                data = s.scalar(text("SELECT sum(pg_column_size(data)) FROM reports")) or 0
    finally:
        db.close()
    return (
        f"database: {total / 2**20:.1f} MB = {total / reports / 1024:.1f} KB per report "
        f"(corpus {corpus_bytes / documents / 1024:.1f} KB per document; database/corpus {total / corpus_bytes:.2f}x); "
        f"stored report JSON {data / reports / 1024:.1f} KB per report ({100 * data / max(1, total):.0f} % of the database); "
        f"{facts / reports:.1f} facts rows per report"
    )


def compare(manifest: dict, db_url: str) -> dict[bool, tuple[int, int, list[str]]]:
    """Planted rule hits by decidability: {decidable: (expected, found, misses)}, matched by file
    and rule. Errors the file's layout cannot carry (xxgk.samples.decidable) are counted apart."""
    db = open_db(db_url)
    try:
        found: dict[str, set[str]] = defaultdict(set)
        for f in iter_findings(db):
            found[Path(f.path).name].add(f.rule)
    finally:
        db.close()
    out: dict[bool, tuple[int, int, list[str]]] = {True: (0, 0, []), False: (0, 0, [])}
    for entry in manifest["files"]:
        for err in entry["errors"]:
            key = bool(err.get("decidable", True))
            for rule in err["rules"]:
                expected, hit, misses = out[key]
                if rule in found.get(entry["file"], set()):
                    out[key] = (expected + 1, hit + 1, misses)
                else:
                    misses.append(f"{entry['file']} {rule} ({entry['layout']})")
                    out[key] = (expected + 1, hit, misses)
    return out


def _report_misses(misses: list[str]) -> None:
    by_layout: dict[str, int] = defaultdict(int)
    by_rule: dict[str, int] = defaultdict(int)
    for m in misses:
        by_layout[m.rsplit("(", 1)[1].rstrip(")")] += 1
        by_rule[m.split()[1]] += 1
    if misses:
        print(
            "    missed by layout: "
            + ", ".join(f"{k} {v}" for k, v in sorted(by_layout.items(), key=lambda kv: -kv[1]))
        )
        print(
            "    missed by rule: "
            + ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items(), key=lambda kv: -kv[1]))
        )
        print("    e.g. " + "; ".join(misses[:5]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workdir", type=Path, default=Path("build/bench-audit"))
    ap.add_argument(
        "--db",
        help="database URL (default: a fresh SQLite file in the workdir); "
        "`postgresql`: a throwaway PostgreSQL server (benchmarks/throwaway_pg.py)",
    )
    ap.add_argument("--keep-corpus", action="store_true", help="reuse the corpus of an earlier run")
    ap.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the bare extract + check (a 100,000-report run, measured for memory and CPU per report)",
    )
    args = ap.parse_args()
    if args.db == "postgresql":
        from throwaway_pg import throwaway_postgresql

        with throwaway_postgresql() as url:
            args.db = url
            bench(args)
    else:
        bench(args)


def bench(args: argparse.Namespace) -> None:
    work = args.workdir
    corpus = work / "corpus"
    t = time.perf_counter()
    if args.keep_corpus and (corpus / "manifest.json").is_file():
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        for stale in (work / "out", work / "audit.db", work / "audit.db-wal", work / "audit.db-shm"):
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
        manifest = write_corpus(corpus, count=args.count, seed=args.seed)
    gen = time.perf_counter() - t
    paths = [str(p) for p in iter_inputs([corpus]) if p.name != "manifest.json"]
    size = sum(os.path.getsize(p) for p in paths)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(f"corpus: {len(paths)} documents, {size / 2**20:.1f} MB, generated in {gen:.1f} s")

    if args.no_baseline:
        base, base_cpu = float("nan"), float("nan")
        print("baseline: skipped (--no-baseline)")
    else:
        cpu0 = children_cpu()
        base = floor(paths, args.jobs)
        base_cpu = children_cpu() - cpu0
        print(
            f"baseline extract+check only, {args.jobs} processes: {base:.1f} s ({len(paths) / base:.0f} docs/s), "
            f"{base_cpu:.1f} CPU s"
        )

    db_url = args.db or f"sqlite:///{work / 'audit.db'}"
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    cpu0 = children_cpu()
    elapsed, sampler, stdout = run_audit(corpus, db_url, work / "out", args.jobs)
    audit_cpu = children_cpu() - cpu0
    rss = [m for _, m in sampler.samples]
    print(
        f"audit --jobs {args.jobs} (extract, check, store, link, outputs): {elapsed:.1f} s ({len(paths) / elapsed:.0f} docs/s), {times(elapsed, base)} baseline"
    )
    if rss:
        quarter = [rss[min(len(rss) - 1, int(len(rss) * q))] for q in (0.25, 0.5, 0.75)]
        print(
            f"memory (process tree RSS): peak {max(rss):.0f} MB; at 25/50/75 % of the run {quarter[0]:.0f}/{quarter[1]:.0f}/{quarter[2]:.0f} MB"
        )
    print(f"peak RSS per process: {sampler.peak_summary()}")
    print(f"parent RSS at 25/50/75/100 % of the run: {sampler.parent_quartiles()}")
    print(f"CPU by role (sampled): {sampler.cpu_summary()}")
    print(
        f"CPU: audit {audit_cpu:.1f} s ({1000 * audit_cpu / len(paths):.1f} ms a report), "
        + (
            "no baseline"
            if base_cpu != base_cpu
            else f"{times(audit_cpu, base_cpu)} the baseline's {base_cpu:.1f} s"
        )
    )
    print(f"load average after the audit: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("  " + stdout.strip().replace("\n", "\n  "))
    audit_own = float(stdout.splitlines()[0].rsplit(" in ", 1)[1].split()[0])
    print(
        f"of which ingest + link (the audit's own timer): {audit_own:.1f} s, {times(audit_own, base)} baseline; "
        f"outputs and start-up: {elapsed - audit_own:.1f} s"
    )
    sizes = database_sizes(db_url, len(paths), size)
    print(sizes)

    outputs_mtime = {p.name: p.stat().st_mtime_ns for p in (work / "out").iterdir()}
    again, sampler2, stdout2 = run_audit(corpus, db_url, work / "out", args.jobs)
    rewritten = [
        p.name for p in (work / "out").iterdir() if outputs_mtime.get(p.name) != p.stat().st_mtime_ns
    ]
    print(
        f"second audit of the unchanged corpus, with --out: {again:.1f} s = {100 * again / elapsed:.1f} % of the first run "
        f"(peak RSS {sampler2.peak_summary()}; output files rewritten: {len(rewritten)}) — {stdout2.splitlines()[0]}"
    )

    results = compare(manifest, db_url)
    expected, hit, misses = results[True]
    print(f"planted errors found: {hit}/{expected} ({100 * hit / max(1, expected):.1f} %)")
    _report_misses(misses)
    n_lossy, hit_lossy, misses_lossy = results[False]
    print(
        f"not decidable in their layout (value errors in {', '.join(sorted(BOUNDARY_LOST))}; "
        f"not required): found {hit_lossy}/{n_lossy}"
    )
    _report_misses(misses_lossy)
    print(
        json.dumps(
            {
                "documents": len(paths),
                "seconds": round(elapsed, 1),
                "baseline_seconds": None if base != base else round(base, 1),
                "peak_rss_mb": round(max(rss or [0])),
                "rerun_seconds": round(again, 2),
                "cpu_seconds": round(audit_cpu, 1),
                "baseline_cpu_seconds": None if base_cpu != base_cpu else round(base_cpu, 1),
                "planted": expected,
                "found": hit,
                "undecidable_planted": n_lossy,
                "undecidable_found": hit_lossy,
            }
        )
    )


if __name__ == "__main__":
    main()
