"""Audit outputs at scale (issue 12): a generated corpus of 10,000 reports audited into SQLite,
then the outputs written; prints the time, the peak memory of the writing process, the size of
the index and of the largest agency page, and takes screenshots of both in headless chromium
(build/bench-outputs/*.png: look at them).

    python benchmarks/bench_outputs.py [--count 10000] [--workdir build/bench-outputs]

Baseline in the same run: reading the same reports and findings back from the database
(`query.iter_reports` + `query.iter_findings`) without writing anything — the floor every writer
pays. Targets: index.html under 1 MB, every agency page under 200 KB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.audit.corpus

from tests.audit.corpus import write_generated

from xxgk.audit import query
from xxgk.audit.executors import ProcessExecutor
from xxgk.audit.outputs import write_all
from xxgk.audit.pipeline import audit
from xxgk.storage import open_db

INDEX_LIMIT, PAGE_LIMIT = 1_000_000, 200_000


def _floor(url: str) -> float:
    db = open_db(url)
    try:
        start = time.perf_counter()
        n = sum(1 for _ in query.iter_findings(db)) + sum(1 for _ in query.iter_reports(db))
        assert n
        return time.perf_counter() - start
    finally:
        db.close()


def _write(url: str, out: str) -> tuple[float, int]:
    """Seconds to write every output (one process, jobs=1) and the peak RSS in MB."""
    db = open_db(url)
    try:
        start = time.perf_counter()
        write_all(db, out, jobs=1)
        seconds = time.perf_counter() - start
    finally:
        db.close()
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _screenshots(index: Path, page: Path, outdir: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 1000})
            start = time.perf_counter()
            tab.goto(index.as_uri())
            tab.wait_for_selector("#chart-agency[data-drawn='1'] canvas")
            print(f"index opened and charts drawn in chromium in {time.perf_counter() - start:.1f} s")
            tab.locator("#charts").screenshot(path=str(outdir / "bench-index-charts.png"))
            tab.screenshot(path=str(outdir / "bench-index-top.png"))
            tab.goto(page.as_uri())
            tab.screenshot(path=str(outdir / "bench-agency-page.png"))
        finally:
            browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--workdir", type=Path, default=Path("build/bench-outputs"))
    args = ap.parse_args()
    work: Path = args.workdir.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    start = time.perf_counter()
    write_generated(work / "corpus", args.count)
    print(f"corpus: {args.count} report JSON files generated in {time.perf_counter() - start:.1f} s")
    url = f"sqlite:///{work / 'audit.db'}"
    db = open_db(url)
    try:
        start = time.perf_counter()
        executor = ProcessExecutor(jobs=2)
        summary = audit([work / "corpus"], db, executor=executor)
        executor.close()
        figures = query.counts(db)
    finally:
        db.close()
    print(
        f"audit: {summary.processed} reports, {figures['agencies']} agencies, {figures['findings']} findings "
        f"in {time.perf_counter() - start:.1f} s"
    )
    floor = _floor(url)
    with ProcessPoolExecutor(1) as pool:  # a fresh process, so its peak RSS is the writers' alone
        seconds, rss = pool.submit(_write, url, str(work / "out")).result()
    out = work / "out"
    index = (out / "index.html").stat().st_size
    pages = sorted((out / "agencies").glob("*.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1].stat().st_size
    book = (out / "audit.xlsx").stat().st_size
    print(f"baseline: reading reports + findings back from the database: {floor:.1f} s")
    print(f"outputs written in {seconds:.1f} s ({seconds / floor:.1f}x the baseline), peak RSS {rss} MB")
    print(
        f"index.html {index / 1e3:,.0f} KB (limit {INDEX_LIMIT / 1e3:,.0f}); {len(pages)} agency pages, "
        f"largest {largest / 1e3:,.1f} KB (limit {PAGE_LIMIT / 1e3:,.0f}), median "
        f"{pages[len(pages) // 2].stat().st_size / 1e3:,.1f} KB; audit.xlsx {book / 1e6:,.1f} MB"
    )
    _screenshots(out / "index.html", pages[-1], work)
    print(f"screenshots: {work}/bench-*.png")
    ok = index < INDEX_LIMIT and largest < PAGE_LIMIT
    print("targets met" if ok else "TARGETS MISSED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
