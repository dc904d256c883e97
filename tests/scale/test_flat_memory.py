"""Flat memory of the audit's processes (issue 16): what a pool worker holds must not depend on
how large the corpus is, nor what the parent holds while it lists the inputs."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import psutil

from xxgk.audit.executors import ProcessExecutor
from xxgk.files import iter_inputs


def _rss_mb(_: object) -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def test_pool_workers_do_not_inherit_what_the_parent_grows_after_start() -> None:
    """The workers are forked by `start`, before the audit lists its inputs: a worker forked at
    the first submit carried the parent's heap as the listing of 100,000 files had grown it
    (70 MB at 10,000 reports, 94 MB at 100,000)."""
    executor = ProcessExecutor(jobs=1)
    try:
        before = _rss_mb(None)  # the test process's own size: ~1 GB late in the whole suite
        executor.start()
        ballast = bytearray(300 * 2**20)  # the parent grows after the workers started
        ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident, not just reserved
        (worker,) = list(executor.map_unordered(_rss_mb, [None]))
        grown = worker - before
        assert grown < 150, (
            f"a worker holds {grown:.0f} MB more than its parent at start: forked after it grew"
        )
        del ballast
    finally:
        executor.close()


def test_listing_a_large_folder_holds_little_per_file(tmp_path: Path) -> None:
    """While the audit walks a folder it holds the folder's sorted names (~70 bytes a file), not
    an os.DirEntry each (~300 bytes: ~30 MB for a folder of 100,000 reports)."""
    n = 4000
    for i in range(n):
        (tmp_path / f"r{i:05d}.txt").touch()
    tracemalloc.start()
    try:
        walk = iter_inputs([tmp_path])
        first = next(walk)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.name == "r00000.txt"
    assert held / n < 160, f"{held / n:.0f} bytes a file held while walking"
    assert sum(1 for _ in walk) == n - 1


def test_agency_keys_are_cached_in_bounded_memory() -> None:
    """The parent keys every printed agency name it stores findings for: an unbounded cache held
    ~150 bytes a name for the whole audit, growing with the number of bodies (25,000 at 100,000
    reports)."""
    from xxgk.audit.agencies import _key, agency_key

    _key.cache_clear()
    tracemalloc.start()
    try:
        for i in range(20_000):
            agency_key(f"江南省临江市第{i}街道办事处")
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        _key.cache_clear()
    assert held < 1.5 * 2**20, f"{held / 2**20:.1f} MB held for 20,000 names"


def test_a_folder_larger_than_a_sort_run_is_listed_in_order_holding_one_run(tmp_path: Path) -> None:
    """A folder's sorted names were held whole while it was walked (~85 bytes a file: 8 MB at
    100,000 reports in one folder); past SORT_RUN names they are sorted in runs on disk and
    merged, so what is held is a run's names, then a block of each run."""
    from xxgk.files import sorted_names

    names = [f"r{i:05d}{'é' if i % 7 == 0 else ''}.txt" for i in range(6000)]
    names += ["a", "a.txt", "a b", "Z", "\udcff-not-utf8"]  # an undecodable byte survives the spill
    for name in names:
        (tmp_path / name).touch()
    assert list(sorted_names(tmp_path, run=1000)) == sorted(names)
    assert list(sorted_names(tmp_path, run=len(names))) == sorted(names)  # exactly one full run

    held = {}
    for n in (3000, 9000):
        folder = tmp_path / f"f{n}"
        folder.mkdir()
        for i in range(n):
            (folder / f"report-number-{i:06d}.html").touch()
        tracemalloc.start()
        try:
            walk = sorted_names(folder, run=1000)
            next(walk)
            held[n], _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert sum(1 for _ in walk) == n - 1
    # a block's names a run (4 KB read: ~15 KB of objects) where the whole list was ~85 bytes a name
    assert held[9000] < 9000 * 30, f"held {held}: ~{held[9000] // 9000} bytes a file"


def test_linking_agencies_holds_rows_not_orm_objects(tmp_path: Path) -> None:
    """sync_agencies loaded every Agency and AgencyAlias as an ORM object: 41.8 MB at the peak for
    the 7,500 bodies of 30,000 reports, 21.8 MB as rows (issue 16)."""
    from datetime import datetime

    from sqlalchemy import insert

    from xxgk.audit.link import sync_agencies
    from xxgk.storage import open_db
    from xxgk.storage.models import Document, ReportRow

    n = 3000
    with open_db(f"sqlite:///{tmp_path / 'a.db'}") as db:
        with db.session() as s:
            s.execute(
                insert(Document),
                [
                    {"id": i + 1, "path": f"r{i}.json", "sha256": "0" * 64, "format": "json", "size": 1,
                     "status": "ok", "seen_at": datetime(2026, 1, 1)}
                    for i in range(n)
                ],
            )  # fmt: skip
            s.execute(
                insert(ReportRow),
                [
                    {"document_id": i + 1, "agency_name": f"临江市第{i}街道办事处", "year": 2022, "data": {}}
                    for i in range(n)
                ],
            )
        sync_agencies(db, None, None)  # the first pass creates the rows; the second finds them all
        tracemalloc.start()
        try:
            sync_agencies(db, None, None)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak / n < 3000, f"{peak / n:.0f} bytes an agency at the peak"  # 3,615 with ORM objects
